import pytest

from neglect_kit.textsafety import clean_text, looks_like_email, neutralise_formula


@pytest.mark.parametrize(("raw", "clean", "change"), [
    ('=HYPERLINK("http://x.invalid","click")', "'=HYPERLINK(\"http://x.invalid\",\"click\")",
     "spreadsheet formula neutralised"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)", "spreadsheet formula neutralised"),
    ("<script>alert(1)</script>Hungry", "Hungry", "script removed"),
    ("<p>Home <b>cold</b></p>", "Home cold", "HTML tags removed"),
    ("Fish &amp; chips", "Fish & chips", "HTML entities decoded"),
    ("bell\x07 rang", "bell rang", "control characters removed"),
])
def test_markup_and_formulas_become_plain_text(raw, clean, change):
    text, changes = clean_text(raw)
    assert text == clean
    assert change in changes


def test_plain_words_and_numbers_are_left_alone():
    assert clean_text("Ruby is 5 < 6? No: she is 5.") == ("Ruby is 5 < 6? No: she is 5.", [])
    assert neutralise_formula("-3") == "-3"
    assert neutralise_formula("+44 1234") == "'+44 1234"


def test_an_email_is_recognised_by_its_headers():
    assert looks_like_email("From: a\nSent: b\nTo: c\n\nhello")
    assert not looks_like_email("Mum said: from now on she will cope")

from html.parser import HTMLParser

import pytest

from neglect_kit.textsafety import clean_text, escape_controls, looks_like_email, neutralise_formula, plain_text


class _Markup(HTMLParser):
    """What a browser would make of a text inserted into a page unescaped: the tags and comments it opens."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found.append(f"<{tag} {attrs}>")

    def handle_endtag(self, tag):
        self.found.append(f"</{tag}>")

    def handle_comment(self, data):
        self.found.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.found.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.found.append(f"<?{data}>")


def markup_in(text: str) -> list[str]:
    """The markup in `text` once the page's own next tag closes what the text left open."""
    parser = _Markup()
    parser.feed(text + ">")
    parser.close()
    return parser.found


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


# Each of these got through the regex cleaner this one replaced: a tag a browser runs, or a control character.
PAYLOADS = [
    ("&lt;img src=x onerror=alert(1)&gt;", ""),  # entities decoded into a live tag after the tags were stripped
    ("Seen at home &lt;img src=x onerror=alert(1)&gt; today", "Seen at home today"),
    ("&#60;svg onload=alert(1)&#62;", ""),
    ("<svg/onload=alert(1)>Home cold", "Home cold"),  # no space after the tag's name
    ("Home cold <img src=x onerror=alert(1)", "Home cold"),  # never closed
    ("Home cold <img src=x onerror=alert(1)//", "Home cold"),
    ("<scr<script>ipt>alert(1)</script>Hungry", "ipt>alert(1)Hungry"),  # "scr<script" is one tag to a browser
    ("<a href='javascript:alert(1)' title='a>b'>click</a>", "click"),
    ("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">", ""),
    ("Mum\x9b31m shouted", "Mum31m shouted"),  # a C1 control: a terminal's CSI
    ("Mum\x85 shouted", "Mum shouted"),
]
# and these, which the regex cleaner caught too
KEPT = [
    ("<!--<img src=x onerror=alert(1)>-->Ruby fed", "Ruby fed"),
    ("<textarea><img src=x onerror=alert(1)></textarea>", ""),
    ("<script>alert(1)", ""),
    ("Ruby\x00 fed \x1b[2J", "Ruby fed [2J"),
]


@pytest.mark.parametrize(("raw", "clean"), PAYLOADS + KEPT)
def test_payloads_become_text_no_browser_runs(raw, clean):
    text, changes = clean_text(raw)
    assert text == clean
    assert changes
    assert markup_in(text) == []


def test_markup_spelt_twice_in_entities_is_decoded_once_and_stays_text():
    text, _ = clean_text("&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;")
    assert text == "&lt;script&gt;alert(1)&lt;/script&gt;"  # what a reader of the page saw: no tag
    assert markup_in(text) == []


@pytest.mark.parametrize("raw", [
    "Mum said <3 and 5 > 4",
    "Tom & Jerry",
    "Ruby is 5 < 6? No: she is 5.",
    "Rent arrears £300 & rising -> eviction notice",
    "Dad: \"I'll be there\" <- said twice",
])
def test_ordinary_text_with_angle_brackets_and_ampersands_is_kept_as_written(raw):
    assert clean_text(raw) == (raw, [])


def test_pasted_paragraphs_and_lines_stay_apart():
    assert plain_text("<p>Home cold.</p><p>No food.</p>Mum<br>out")[0] == "Home cold.\n\nNo food.\nMum\nout"


def test_line_breaks_and_tabs_of_a_note_are_kept():
    assert plain_text("Seen:\n\tRuby\n\tSam &amp; Mum")[0] == "Seen:\n\tRuby\n\tSam & Mum"


def test_cleaning_clean_text_changes_nothing():
    for raw, _ in PAYLOADS + KEPT:
        once, _ = plain_text(raw)
        assert plain_text(once) == (once, [])


def test_very_long_text_is_cleaned_in_one_pass():
    raw = "<b>cold</b> & hungry <img src=x onerror=alert(1)> " * 2000
    text, changes = plain_text(raw)
    assert text.startswith("cold & hungry cold") and len(text) == len("cold & hungry ") * 2000 - 1
    assert changes == ["HTML tags removed"]


def test_plain_words_and_numbers_are_left_alone():
    assert neutralise_formula("-3") == "-3"
    assert neutralise_formula("+44 1234") == "'+44 1234"
    assert plain_text("=SUM(A1)") == ("=SUM(A1)", [])  # formulas are for the CSV export to stop


def test_a_printed_line_shows_control_characters_as_escapes():
    assert escape_controls("a\x1b[31mb\u202ec\x9b") == "a\\x1b[31mb\\u202ec\\x9b"


def test_an_email_is_recognised_by_its_headers():
    assert looks_like_email("From: a\nSent: b\nTo: c\n\nhello")
    assert not looks_like_email("Mum said: from now on she will cope")

"""The scrubbing engine: every form of identifier out of free text, offline, with no language model."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from datetime import date, timedelta

import pytest
from pseudonymise_cases import (
    ENTRIES,
    EVERYDAY,
    IDENTIFIERS,
    LABELS,
    LOGINS,
    ORDINARY,
    PEOPLE,
    PLACES,
    PROFESSIONALS,
    leaks,
)

from neglect_kit.pseudonymise import Scrubber, age_band, date_offset, keyed_id, residual
from neglect_kit.pseudonymise.denylists import initials, parse_recorded_by, professionals_from
from neglect_kit.pseudonymise.recognizers import PLACEHOLDERS


@pytest.fixture(scope="module")
def scrubber() -> Scrubber:
    return Scrubber.for_case(PEOPLE, PROFESSIONALS, PLACES, LABELS, LOGINS)


@pytest.mark.parametrize("casing", [str, str.upper, str.lower], ids=["as written", "upper", "lower"])
def test_no_identifier_survives_in_any_letter_case(scrubber, casing):
    texts = [casing(text) for _, _, text in ENTRIES]
    for before, after in zip(texts, scrubber.texts(texts), strict=True):
        assert leaks(before), before  # the test set holds identifiers in every text
        assert leaks(after.text) == [], after.text


def test_every_identifier_form_is_in_the_test_set():
    written = " ".join(text for _, _, text in ENTRIES)
    missing = [i for i in IDENTIFIERS if not re.search(re.escape(i), written, 0 if i.lower() in EVERYDAY else re.I)]
    assert missing == []


def test_people_become_their_role_labels_with_the_possessive_kept(scrubber):
    out = scrubber.text("KAYDEN's coat; kay-kay and Lils; Shannon Ashworth's flat; Nanna Rose came; the Pryces").text
    assert out == "Child A's coat; Child A and Child B; Mother's flat; Grandparent came; the [name]"


def test_a_name_two_people_share_says_no_one_and_a_name_inside_a_word_is_left(scrubber):
    # Ashworth is Kayden's, Lily-May's and Shannon's: replaced, but by no one's label
    assert scrubber.text("The Ashworth family; Ashworthy Lane").text == "The [name] family; Ashworthy Lane"


def test_initials_with_and_without_dots_but_never_an_abbreviation():
    assert initials("Kayden Ashworth-Pryce") == ({"K.A.", "K. A.", "K.A", "K.A.P.", "K. A. P.", "K.A.P"},
                                                 {"KA", "KAP"})
    assert initials("Edward Davies")[1] == set()  # "ED" is the emergency department in a record
    scrubber = Scrubber.for_case([{"id": "e", "kind": "adult", "name": "Edward Davies", "known_as": [],
                                   "relationships": {"c": "father"}}])
    assert scrubber.text("E.D. took him to ED; e.d. again").text == "Father took him to ED; Father again"


def test_bare_initials_are_matched_in_capitals_only(scrubber):
    # "KAP" in capitals is Kayden; "kap" in lower case is no one's initials
    assert scrubber.text("KAP said kap").text == "Child A said kap"


def test_professionals_are_labelled_by_agency_and_their_numbers_go_too(scrubber):
    shown = [scrubber.text(p["recorded_by"]).text for p in PROFESSIONALS]
    assert shown == ["SW (SW1)", "HV HV1", "PC1", "GP1", "Class teacher ([school])", "Health visitor"]
    assert scrubber.text("Okafor, Dr Quarshie, Tennant and officer 4471").text == "SW1, GP1, HV1 and officer PC1"


def test_recorded_by_roles_are_not_names():
    for role in ("Health visitor", "Duty worker (CMHT)", "Psychological therapist", "Midwife (Band 6)", "OM",
                 "Recovery service duty worker", "ED nurse"):
        assert parse_recorded_by(role).names == (), role
    assert parse_recorded_by("Dr R. Castell").names == (("Dr", "R. Castell"),)
    pros = professionals_from([("police", "PC 2417"), ("police", "PS 1190"), ("police", "PC 2417")])
    assert [p.label for p in pros] == ["PC1", "PC2"]


@pytest.mark.parametrize(("text", "scrubbed"), [
    ("NHS no 943 476 5919 on file", "NHS no [NHS number] on file"),
    ("NHS no 943 476 5918 on file", "NHS no [number] on file"),  # the check digit fails: still a long number
    ("NI AB 12 34 56 C given", "NI [NI number] given"),
    ("call 07700 900123 after six", "call [phone] after six"),
    ("or +44 7700 900123, or (01632) 960123", "or [phone], or [phone]"),
    ("moved to NE1 4XX last week", "moved to [postcode] last week"),  # Presidio scores it 0.1 without context
    ("moved to ne1 4xx", "moved to [postcode]"),
    ("moved to ZZ99 3AB", "moved to [postcode]"),  # a made-up area Presidio's strict pattern leaves
    ("mum.a@example.invalid wrote", "[email] wrote"),  # not a public suffix: still an address
    ("lives at 12 Acacia Road now", "lives at [address] now"),
    ("Flat 2b, Mercer House", "[address]"),
    ("DOB 03/04/2015", "DOB [date of birth]"),
    ("born 3rd April 2015 at home", "born [date of birth] at home"),
    ("d.o.b: 3.4.15", "d.o.b: [date of birth]"),
    ("Seen at Oak Tree Surgery, then Hillside Academy", "Seen at [surgery], then [school]"),
])
def test_uk_identifiers_become_typed_placeholders(text, scrubbed):
    assert Scrubber.for_case([]).text(text).text == scrubbed


def test_a_known_date_of_birth_goes_in_any_written_form(scrubber):
    out = scrubber.text("Birthday 03/04/2015, 3.4.15, 2015-04-03, April 3, 2015 and 3rd of April 2015").text
    assert out == ("Birthday [date of birth], [date of birth], [date of birth], [date of birth] and "
                   "[date of birth]")


def test_the_cases_places_go(scrubber):
    out = scrubber.text("Moved from Tanner St to Osier Way in Brantholme; at Brackenfield since May").text
    assert out == "Moved from [street] to [street] in [town]; at [place] since Child B"


@pytest.mark.parametrize(("text", "kept"), ORDINARY)
def test_everyday_words_survive(scrubber, text, kept):
    out = scrubber.text(text).text
    for word in kept:
        assert re.search(rf"\b{re.escape(word)}\b", out), (word, out)


def test_an_everyday_word_that_is_a_name_goes_with_a_capital_and_stays_in_lower_case(scrubber):
    # the trade-off (docs/guides/researchers.md): "Will" and "WILL" are the father wherever they stand, "May"
    # the month too when a child is called Lily-May; "will" and "may" in lower case are the verbs
    out = scrubber.text("Will said he will visit in May. WILL may not.")
    assert out.text == "Father said he will visit in Child B. Father may not."
    flagged = [(t.text, t.kind) for t in scrubber.residual(out)]
    assert ("will", "name as a word") in flagged and ("may", "name as a word") in flagged


def test_changes_say_where_and_how_but_never_the_original(scrubber):
    text = ENTRIES[1][2]
    result = scrubber.text(text)
    assert result.changes
    placeholders = set(PLACEHOLDERS.values()) | set(LABELS.values()) | {"HV1", "SW1", "[street]", "[town]"}
    for change in result.changes:
        assert result.text[change.start:change.end] in placeholders
        assert change.operator == "replace"
    logged = repr(result.changes)
    assert leaks(logged) == [] and "Lils" not in logged and "900461" not in logged
    assert {c.recognizer for c in result.changes} >= {"PERSON", "PROFESSIONAL", "PHONE", "EMAIL_ADDRESS", "UK_NHS",
                                                      "CASE_DATE_OF_BIRTH"}


def test_many_texts_at_once_give_what_one_at_a_time_gives(scrubber):
    texts = [t for _, _, t in ENTRIES] + ["", "  ", "Kayden\x00Shaz", "no names here"]
    together = scrubber.texts(texts)
    fresh = Scrubber.__new__(Scrubber)
    fresh.__dict__.update({**scrubber.__dict__, "_memo": {}})
    assert [r.text for r in together] == [fresh.text(t).text for t in texts]
    assert [r.changes for r in together] == [fresh.text(t).changes for t in texts]
    assert together[-2].text == "Child A\x00Mother" and together[-3].text == "  "


def test_the_same_case_gets_the_same_scrubber(scrubber):
    assert Scrubber.for_case(PEOPLE, PROFESSIONALS, PLACES, LABELS, LOGINS) is scrubber
    assert scrubber.login_label("priya.okafor") == "User 1" and scrubber.login_label("") == ""


def test_it_runs_with_the_network_refused(monkeypatch):
    tried = []

    def refused(*args, **kwargs):
        tried.append(args)
        raise OSError("network refused by the test")

    monkeypatch.setattr(socket.socket, "connect", refused)
    monkeypatch.setattr(socket, "create_connection", refused)
    monkeypatch.setattr(socket, "getaddrinfo", refused)  # tldextract's own fetch looks the name up first
    people = [{"id": "n", "kind": "child", "name": "Nia Offline", "known_as": [], "relationships": {}}]
    scrubber = Scrubber.for_case(people, places=["Network Test Council"])  # new inputs: built afresh
    out = scrubber.text("Nia wrote to nia@example.co.uk and nia@home.invalid").text
    assert out == "Child A wrote to [email] and [email]"
    assert tried == []


def test_no_language_model_is_loaded(scrubber):
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    assert isinstance(scrubber._analyzer.nlp_engine, NoOpNlpEngine)
    assert "spacy.lang.en" not in sys.modules or not any(m.startswith("en_core") for m in sys.modules)


def test_an_app_that_never_anonymises_never_imports_presidio():
    code = "import sys, neglect_kit.apps.chronology; print('presidio_analyzer' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_residual_lists_capitalised_words_numbers_and_name_shaped_tokens():
    tokens = residual("The visit went well. Kieran McAllister said O'Neill came at 10. She left; then Jaxon left.")
    assert [(t.text, t.kind) for t in tokens] == [("Kieran", "capitalised"), ("McAllister", "name-shaped"),
                                                  ("O'Neill", "name-shaped"), ("10", "number"),
                                                  ("Jaxon", "capitalised")]
    text = "Visit to Bob"
    assert [(t.start, t.end) for t in residual(text)] == [(0, 5), (9, 12)]  # "Visit" starts it but is no function word


def test_a_function_word_is_passed_over_only_where_a_sentence_starts():
    # after a full stop and a closing quote, after a line break, at the very start: a sentence starts; after an
    # opening bracket or mid-sentence the word is listed like any capitalised word
    text = 'He said "Fine." She left (Then came back) and The dog barked.\n  When it stopped: Both slept; 2 cats'
    assert [t.text for t in residual(text)] == ["Fine", "Then", "The", "2"]


def test_residual_passes_over_the_scrubbers_own_labels(scrubber):
    result = scrubber.text("Kayden's mum Shannon met Darren Smith at 10.")
    assert [t.text for t in result.residual()] == ["Darren", "Smith", "10"]


def test_the_date_shift_is_whole_weeks_never_zero_within_a_year_and_keyed():
    key = b"a secret key of the extract"
    shifts = {case: date_offset(key, case) for case in (f"case-{n}" for n in range(300))}
    for shift in shifts.values():
        assert shift.days % 7 == 0 and shift != timedelta(0) and abs(shift) <= timedelta(weeks=52)
    assert {s > timedelta(0) for s in shifts.values()} == {True, False}
    assert len(set(shifts.values())) > 50
    assert date_offset(key, "case-1") == shifts["case-1"]
    assert {date_offset(k, "case-1") for k in (b"key one", b"key two", b"key three")} != {shifts["case-1"]}
    monday = date(2024, 3, 4)
    assert (monday + shifts["case-7"]).weekday() == 0
    with pytest.raises(ValueError, match="key is empty"):
        date_offset(b"", "case-1")


@pytest.mark.parametrize(("born", "band"), [
    (date(2024, 3, 5), "under 1"), (date(2024, 3, 4), "1-5"), (date(2019, 3, 4), "6-10"),
    (date(2014, 3, 5), "6-10"), (date(2014, 3, 4), "11-15"), (date(2008, 3, 4), "16-17"), (date(2007, 3, 4), "18-24"),
    (date(1995, 1, 1), "25-34"), (date(1950, 1, 1), "65+"), (date(2025, 6, 1), "unborn"), (None, "not known"),
])
def test_age_bands(born, band):
    assert age_band(born, date(2025, 3, 4)) == band


def test_keyed_ids_are_stable_under_one_key_and_refuse_an_empty_key():
    assert keyed_id(b"k" * 16, "fenwick", prefix="C-") == keyed_id(b"k" * 16, "fenwick", prefix="C-")
    assert keyed_id(b"k" * 16, "fenwick") != keyed_id(b"j" * 16, "fenwick")
    with pytest.raises(ValueError, match="empty"):
        keyed_id(b"", "fenwick")


def test_a_professionals_part_that_is_an_everyday_word_goes_only_within_the_name_or_after_a_title():
    scrubber = Scrubber.for_case([], [{"agency": "nursery", "recorded_by": "Little Acorns key worker"},
                                      {"agency": "gp", "recorded_by": "Dr Sam Little"}])
    out = scrubber.text("Little food in the fridge. Little Acorns staff and Dr Little; Ms Little; Acorns; Sam").text
    assert out == "Little food in the fridge. NUR1 staff and GP1; GP1; NUR1; GP1"

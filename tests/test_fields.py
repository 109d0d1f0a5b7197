"""Single-field checks shared by the entry form and the importer."""

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neglect_kit.chronology import column_checks as cc
from neglect_kit.chronology import fields as f
from neglect_kit.chronology.dates import EventDate
from neglect_kit.chronology.model import Child, EntryContext
from neglect_kit.config import Settings


@pytest.mark.parametrize(("value", "expected"), [
    ("Ruby", ["ruby"]), ("ruby and Jack", ["ruby", "jack"]), ("Jack; Ruby", ["jack", "ruby"]),
    ("Both", ["ruby", "jack"]), ("Rubes", ["ruby"]), ("Ruby Ashdown", ["ruby"]), ("Ruby & Ruby", ["ruby"]),
])
def test_children_by_name_nickname_or_both(ctx, value, expected):
    assert f.check_children(value, ctx).value == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("Negative - she was hungry", ("negative", "she was hungry")),
    ("positive", ("positive", "")), ("", ("unknown", "")), ("Neutral: none seen", ("neutral", "none seen")),
])
def test_impact_word_with_optional_words_about_it(ctx, value, expected):
    assert f.check_impact(value, ctx).value == expected


def test_impact_without_a_known_word_is_refused(ctx):
    assert "should start with one of" in f.check_impact("Terrible", ctx).error


def test_optional_vocab_fields_may_be_blank_but_not_vague(ctx):
    assert f.check_significance("", ctx).value is None
    assert f.check_significance("H", ctx).value == "high"
    assert f.check_how_known("child said", ctx).value == "child_said"
    assert "not known" in f.check_how_known("telepathy", ctx).error


def test_an_unknown_agency_or_category_says_the_settings_can_add_it(ctx):
    agency = f.check_agency("Family Hub", ctx).error
    assert agency.startswith("source agency 'Family Hub' is not known (one of: Children's social care, ")
    assert agency.endswith("; a partnership can add it in the settings file's [agencies] table (docs/settings.md)")
    category = f.check_category("Holiday club", ctx).error
    assert category.endswith("[categories] table (docs/settings.md)")
    assert "\n" not in agency + category
    # vague words are refused as vague, not as something to add
    assert "settings" not in f.check_agency("Professional", ctx).error


def test_date_messages_quote_the_value_as_written(ctx):
    assert f.check_recorded_date("  June  2019 ", ctx).error == "date recorded 'June  2019' must be an exact day"
    assert f.check_event_date("c. 31/02/2019", ctx).error.startswith("'c. 31/02/2019' is not a real day")
    assert f.check_event_date("??/06/2019", ctx).notes == ("day not known: read as June 2019",)


def test_the_words_after_an_impact_are_free_text_cleaned_as_any_other(ctx):
    checked = f.check_impact("Negative - &lt;img src=x onerror=alert(1)&gt;mum\x00 asleep", ctx)
    assert checked.value == ("negative", "mum asleep")
    assert "impact note: control characters removed" in checked.notes
    too_long = f.check_impact("Negative - " + "x" * 50_006, ctx)
    assert too_long.error.startswith("impact note is 50,006 characters")


# cells a column may hold: text with what check_text cleans or refuses (markup, entities, C0 and C1 control
# characters, a formula or an e-mail header at a line's start), non-ASCII text, and cells that are not text
_CELL_TEXT = st.lists(st.sampled_from([*"ab =+-@<&:\n\t\r£é", "\x07", "\x85", "\x9f", "From:", "to:"]),
                      max_size=8).map("".join)
_CELLS = st.lists(st.one_of(_CELL_TEXT, st.none(), st.integers(), st.dates()), max_size=30)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_CELLS, st.integers(min_value=1, max_value=8), st.booleans(), st.sampled_from([2, 7, cc._BLOCK]))
def test_a_column_is_plain_exactly_where_each_cell_checked_alone_would_only_be_stripped(ctx, cells, limit, as_read,
                                                                                        block):
    column = np.array([*cells, None], dtype=object)[:-1] if as_read else cells  # as pandas reads it, or a list
    was, cc._BLOCK = cc._BLOCK, block  # a long column is searched in blocks of cells
    try:
        plain, stripped = cc.plain_cells(column, limit)
    finally:
        cc._BLOCK = was
    assert len(plain) == len(stripped) == len(cells)
    for cell, is_plain, text in zip(cells, plain, stripped, strict=True):
        alone = f.check_text(cell, ctx, "description", limit=limit)
        only_stripped = type(cell) is str and alone == f.Checked(cell.strip()) and bool(cell.strip())
        if is_plain:  # a plain cell stores its text stripped, with nothing said
            assert only_stripped and text == cell.strip()
        else:  # anything else is checked alone: something to clean, refuse, or not text at all
            assert not (only_stripped and not f.suspect_offsets("\n" + cell))


# lines of text with what may start a suspect line: spaces and tabs, a formula's sign, an e-mail header's word
_WORDS = [*" \t\r=+-@:<x\n", "From", "fRom", "sent", "Subject", "subJ", "To", "cc", "Cc", "The"]
_LINES = st.one_of(*(st.lists(st.lists(st.sampled_from(words), max_size=6).map("".join), max_size=30)
                     for words in (_WORDS, [*_WORDS, "é", "\x85"])))  # ASCII only, or not


@settings(max_examples=500)
@given(_LINES)
def test_a_columns_suspect_lines_are_found_where_a_search_line_by_line_finds_them(cells):
    text = "\n" + "\n".join(cells)
    assert sorted(cc._column_suspect_offsets(text)) == sorted(f.suspect_offsets(text))
    if text.isascii():  # where the newlines are, given by the caller who knows
        breaks = np.flatnonzero(np.frombuffer(text.encode(), np.uint8) == ord("\n"))
        assert sorted(cc._column_suspect_offsets(text, breaks)) == sorted(f.suspect_offsets(text))


# a case whose births differ in kind (born, expected, not known), and the days where the pre-birth rule turns:
# each birth, and a year before each conception, with the days either side
_KIDS = (Child("ruby", "Ruby Ashdown", date(2015, 9, 2)), Child("jack", "Jack Ashdown", date(2017, 3, 14)),
         Child("amy", "Amy Ashdown", expected_date_of_birth=date(2018, 6, 1)), Child("zed", "Zed Ashdown"))
_TURNS = [c.birth - timedelta(days=far + d) for c in _KIDS if c.birth for far in (0, 365 + 280) for d in (-1, 0, 1)]


def test_the_pre_birth_rule_over_columns_agrees_with_the_one_for_a_row():
    ctx = EntryContext("ashdown", _KIDS, Settings(), today=date(2026, 11, 26))
    children = [None, ["ruby"], ["jack"], ["amy"], ["zed"], ["jack", "ruby"], ["ruby", "jack", "amy", "zed"],
                ["zed", "amy", "jack"]]
    days = [None, date(2010, 1, 1), date(2020, 1, 1), *_TURNS]
    rows = [(code, day) for code in range(len(children)) for day in days]
    codes = np.array([code for code, _ in rows], dtype=np.intp)
    latest = np.array([np.nan if day is None else day.toordinal() for _, day in rows], dtype=float)
    group, outcomes = cc.pre_birth_columns(children, codes, latest, ctx)
    for (code, day), g in zip(rows, group.tolist(), strict=True):
        if children[code] is None:  # a row with an error in its children is not checked further
            assert g == -1
            continue
        body = {"children": children[code], "event_date": EventDate(text="x", precision="day", earliest=day,
                                                                   latest=day)}
        found = f.check_between(body, ctx)
        assert (outcomes[g] if g >= 0 else ([], f.Between())) == (body.get("pre_birth", []), found), (code, day)
    met = {n.removesuffix("'s birth: kept as a pre-birth entry") for _, found in outcomes for n in found.notes}
    assert met == {"before Ruby", "before Jack", "before Amy", "before Jack, Ruby", "before Ruby, Jack, Amy",
                   "before Jack, Amy", "before Amy, Jack"}  # each outcome is met
    assert any(found.warnings for _, found in outcomes)

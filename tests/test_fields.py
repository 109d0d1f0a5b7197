"""Single-field checks shared by the entry form and the importer."""

import pytest

from neglect_kit.chronology import fields as f


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

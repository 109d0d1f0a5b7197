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

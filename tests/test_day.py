"""A day in the child's life: versions, the model's rules, differences, the strip and the table."""

from datetime import date, timedelta

import pytest
from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle
from pydantic import ValidationError

from neglect_kit.assessment.day import (
    STATES,
    VERSIONS,
    DayInTheLife,
    compare_accounts,
    day_html,
    day_strip,
    describe_day,
    differences,
    slot_label,
    slot_state,
    suggest,
    version_for,
)
from neglect_kit.chronology.timeline import figure_bytes

SLOTS = {  # a fictional school day, Maisie aged 9
    "waking": {"parent_account": "I wake her at 7 and she gets herself up",
               "child_account": "Mum wakes me up at 7, I get up", "judged": "agree"},
    "breakfast": {"parent_account": "She has cereal and toast every morning",
                  "child_account": "There was nothing to eat so I had a drink of water",
                  "effect_on_child": "hungry at school", "judged": "differ"},
    "getting_to_school": {"parent_account": "I walk her to school"},
    "at_school": {"child_account": "I like reading with Miss Hart"},
    "bedtime": {"parent_account": "In bed by 8", "child_account": "I stay up late on the tablet",
                "effect_on_child": "tired in class", "judged": "differ"},
    "night": {"effect_on_child": "wets the bed"},
}


def day(**change):
    data = {"child": "maisie", "recorded_on": date(2023, 3, 3), "recorded_by": "sw.one", "version": "school_age",
            "kind": "weekday", "slots": SLOTS}
    data.update(change)
    return DayInTheLife.model_validate(data)


def test_each_version_runs_from_waking_to_night():
    assert list(VERSIONS) == ["baby", "pre_school", "school_age", "adolescent", "disabled_child"]
    assert VERSIONS["school_age"] == ("waking", "getting_ready", "breakfast", "getting_to_school", "at_school",
                                      "after_school", "tea", "evening", "bedtime", "night")
    for slots in VERSIONS.values():
        assert slots[0] == "waking" and slots[-1] == "night" and len(set(slots)) == len(slots)
        assert all(slot_label(s) for s in slots)
    assert "online" in VERSIONS["adolescent"] and "medication" in VERSIONS["disabled_child"]
    assert slot_label("at_school", "weekend") == "Daytime" and slot_label("at_school") == "At school"


@pytest.mark.parametrize(("age", "disabled", "version"), [
    (0, False, "baby"), (0.9, False, "baby"), (1, False, "pre_school"), (4.5, False, "pre_school"),
    (5, False, "school_age"), (12, False, "school_age"), (13, False, "adolescent"), (17.9, False, "adolescent"),
    (0.5, True, "disabled_child"), (15, True, "disabled_child"),
])
def test_version_for(age, disabled, version):
    assert version_for(age, disabled) == version


@pytest.mark.parametrize("age", [-1, 18, 30])
def test_version_for_refuses_an_age_that_is_not_a_childs(age):
    with pytest.raises(ValueError, match="under 18"):
        version_for(age)


def test_slots_are_kept_in_time_order_and_blank_ones_dropped():
    d = day(slots={"night": {"effect_on_child": "wakes hungry"}, "waking": {"parent_account": "up at 7"},
                   "tea": {"parent_account": "  "}})
    assert [s.slot for s in d.slots] == ["waking", "night"]


def test_slots_may_be_given_as_a_list():
    d = day(slots=[{"slot": "tea", "parent_account": "pasta"}])
    assert d.slot("tea").parent_account == "pasta" and d.slot("breakfast") is None


@pytest.mark.parametrize(("change", "message"), [
    ({"child": ["maisie", "tom"]}, "for one child: record one for each child, never siblings together"),
    ({"slots": {"playtime": {"parent_account": "plays out"}}},
     "'playtime' is not a time of day in the school age version: choose from waking, getting_ready"),
    ({"version": "baby", "slots": {"at_school": {"parent_account": "x"}}}, "choose from waking, first_feed"),
    ({"slots": {"tea": {"parent_account": ""}}}, "nothing is recorded: fill in at least one time of day"),
    ({"slots": {}}, "nothing is recorded"),
    ({"slots": [{"slot": "tea", "parent_account": "a"}, {"slot": "tea", "parent_account": "b"}]},
     "'tea' is recorded twice"),
    ({"version": "toddler"}, "'toddler' is not a version: choose from baby, pre_school"),
    ({"kind": "holiday"}, "'holiday' is not a kind: choose from weekday, weekend"),
    ({"recorded_on": date.today() + timedelta(days=1)}, "is in the future"),
    ({"recorded_by": ""}, "recorded_by"),
    ({"slots": {"tea": {"parent_acount": "x"}}}, "parent_acount"),
])
def test_bad_days_are_refused_with_the_reason(change, message):
    with pytest.raises(ValidationError, match=message):
        day(**change)


def test_one_child_in_a_list_is_read():
    assert day(child=["maisie"]).child == "maisie"


@pytest.mark.parametrize(("parent", "child", "why"), [
    ("She has breakfast every day", "There was nothing to eat", "on food"),
    ("She has breakfast every day", "no breakfast", "“no breakfast”"),
    ("She eats breakfast", "I don't eat breakfast", "“don't eat breakfast”"),
    ("I walk her to school", "I walk on my own", "on being looked after"),
    ("In bed by 8", "I stay up late", "on sleep"),
    ("Has a bath most nights", "We have no hot water so no bath", "the parent says “bath”, the child says not"),
    ("Off the phone at 9", "I'm on my phone till 2am", "on the time: the parent says “at 9”, the child “till 2am”, "
                                                       "more than an hour apart"),
    # the day the issue was filed over: "Agree" for these was wrong
    ("He goes to nursery", "Attended two mornings out of five", "on how often: the parent says “goes to nursery”, "
                                                                "the child’s side “two mornings out of five”"),
    ("She goes to school every day", "Attended 3 of 5 days this week", "on how often"),
    ("I walk them to school", "Nan takes us when she can", "on how often"),
])
def test_accounts_that_differ(parent, child, why):
    assert why in compare_accounts(parent, child)
    assert suggest(parent, child).words.startswith("They may differ")


@pytest.mark.parametrize(("parent", "child"), [
    ("Up at 7, dressed and fed", "I woke up by myself"),
    ("Watches cartoons with his brother", "I play football in the park"),
])
def test_accounts_about_different_things_are_suggested_unclear_in_plain_words(parent, child):
    found = suggest(parent, child)
    assert found.reading == "unclear" and compare_accounts(parent, child) is None
    assert found.words == "Hard to say: the two accounts seem to be about different things. Read them side by side."


def test_the_kits_reading_is_plain_words_never_the_machines():
    said = [suggest(p, c).words for p, c in [("Has a bath most nights", "We have no hot water so no bath"),
                                             ("Up at 7", "I woke up by myself"), ("pasta at 5", "we had pasta")]]
    for words in said:
        assert not any(w in words for w in ("shares none", "its 2 words", "account says", "polarit", "overlap"))
    assert said[2] == "They seem to agree: nothing in one contradicts the other that the kit can see."


@pytest.mark.parametrize(("parent", "child"), [
    ("She has cereal and toast before school", "I had cereal"),
    ("He goes to bed at 8", "I go to bed at 8 o'clock"),
    ("She is never hungry, she has toast", "I had toast"),
    ("Mum walks me to school", "I walk her to school"),
    ("She watches TV then goes to bed", "I watch telly with my brother"),
    ("In bed by 8pm", "I go to bed at 8:30"), ("She has 2 slices of toast", "I had toast at 7"),
    ("fine", ""), ("", "fine"),
])
def test_accounts_that_agree_or_cannot_be_compared(parent, child):
    assert compare_accounts(parent, child) is None


def test_differences_list_what_differs_and_every_effect_in_time_order():
    found = differences(day())
    assert [(f.slot, f.differs, f.effect) for f in found] == [
        ("breakfast", True, "hungry at school"), ("bedtime", True, "tired in class"), ("night", False, "wets the bed")]
    assert found[0].parent.startswith("She has cereal") and found[0].child.startswith("There was nothing")
    assert found[0].words.startswith("the accounts differ (the worker's judgement)")
    assert "effect on the child: hungry" in found[0].words
    assert found[2].words == "effect on the child: wets the bed"


def test_no_differences_when_the_accounts_agree_and_nothing_is_felt():
    assert differences(day(slots={"tea": {"parent_account": "pasta at 5", "child_account": "we had pasta"}})) == []


def test_a_babys_side_is_what_was_seen():
    d = day(version="baby", slots={"first_feed": {"parent_account": "a bottle at 6", "observed": "no bottle made up"},
                                   "naps": {"observed": "asleep in the pram"}})
    assert slot_state(d.slot("first_feed")) == "not_judged" and slot_state(d.slot("naps")) == "child_only"
    assert differences(d)[0].differs and "the kit suggests: They may differ on food" in differences(d)[0].words
    assert differences(d)[0].child == "no bottle made up"
    assert "Seen\nonly" in [t.get_text() for t in day_strip(d, "Baby B").axes[0].texts]


def test_states():
    d = day()
    assert [slot_state(s) for s in d.slots] == ["agree", "differ", "parent_only", "child_only", "differ", "none"]


def test_the_worker_judges_and_a_pair_not_judged_is_never_shown_as_agreeing():
    nursery = {"parent_account": "He goes to nursery", "child_account": "Attended two mornings out of five"}
    d = day(version="pre_school", slots={"nursery_or_morning": nursery})
    assert slot_state(d.slot("nursery_or_morning")) == "not_judged"
    page = day_html(d, "Theo")
    assert "<strong>Not judged</strong><br><small>The kit's suggestion: They may differ on how often" in page
    assert "Agree" not in page
    # the worker's judgement is what the day shows; the kit's reading stays a suggestion beside it
    judged = day(version="pre_school", slots={"nursery_or_morning": {**nursery, "judged": "unclear"}})
    assert slot_state(judged.slot("nursery_or_morning")) == "unclear"
    assert "<strong>Unclear</strong><br><small>The kit's suggestion: They may differ" in day_html(judged, "Theo")
    assert differences(judged)[0].words == "unclear whether the accounts agree (the worker's judgement)"
    assert "are unclear (the worker's judgement) in 1 (nursery or morning)" in describe_day(judged, "Theo")
    with pytest.raises(ValidationError):
        day(slots={"tea": {"parent_account": "pasta", "child_account": "pasta", "judged": "maybe"}})


def _cells(fig):
    return [p for p in fig.axes[0].patches if isinstance(p, Rectangle) and str(p.get_gid()).startswith("slot:")]


def test_the_strip_has_a_cell_per_time_of_day_with_its_name_and_state():
    fig = day_strip(day(), "Maisie")
    ax = fig.axes[0]
    cells = _cells(fig)
    assert [c.get_gid() for c in cells] == [f"slot:{s}" for s in VERSIONS["school_age"]]
    labels = [t.get_text().replace("\n", " ") for t in ax.texts if t.get_gid() == "slot_label"]
    assert labels[:3] == ["Waking", "Getting ready", "Breakfast"] and labels[-1] == "Night"
    # never colour alone: a differing cell is hatched and says so in words
    breakfast = cells[2]
    assert breakfast.get_hatch() == STATES["differ"][4] and cells[0].get_hatch() == ""
    words = [t.get_text() for t in ax.texts]
    assert words.count("Differ") == 2 and words.count("Agree") == 1 and "Parent\nonly" in words
    assert words.count("No\naccount") == 5  # getting ready, after school, tea, evening, and night (effect only)


def test_the_strip_marks_each_effect_and_writes_it():
    fig = day_strip(day(), "Maisie")
    ax = fig.axes[0]
    (marks,) = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_gid() == "effects"]
    assert len(marks.get_offsets()) == 3
    assert [t.get_text().replace("\n", " ") for t in ax.texts if t.get_gid() == "effect_text"] == [
        "hungry at school", "tired in class", "wets the bed"]


def test_the_strip_has_a_title_and_a_legend():
    fig = day_strip(day(kind="weekend"), "Maisie")
    (title,) = [t for t in fig.texts if t.get_gid() == "title"]
    assert title.get_text() == "Maisie: a day in the life (school age, weekend), recorded 3 Mar 2023"
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "Accounts agree (the worker's judgement)", "Accounts differ (the worker's judgement)",
        "Unclear (the worker's judgement)", "Both accounts, not yet judged", "Only the parent's account",
        "Only the child's account (or what was seen)", "No account recorded", "An effect on the child"]
    assert "Daytime" in [t.get_text() for t in fig.axes[0].texts]


def test_a_day_with_no_effect_draws_no_marks():
    fig = day_strip(day(slots={"tea": {"parent_account": "pasta"}}), "Child A")
    assert not [c for c in fig.axes[0].collections if c.get_gid() == "effects"]
    assert len(_cells(fig)) == 10


def test_the_strip_renders_to_png(tmp_path):
    png = figure_bytes(day_strip(day(), "Maisie"))
    assert png.startswith(b"\x89PNG")


def test_describe_day_says_how_many_what_differs_and_the_effects():
    text = describe_day(day(), "Maisie")
    assert text.startswith("Maisie: a day in the life (school age, weekday), recorded 3 Mar 2023: 6 of the 10 times")
    assert "agree (the worker's judgement) in 1 (waking)" in text
    assert "differ (the worker's judgement) in 2 (breakfast, bedtime)" in text
    assert "parent's only in 1 (getting to school)" in text and "child's only in 1 (at school)" in text
    assert text.endswith("Effects on Maisie: hungry at school (breakfast); tired in class (bedtime); wets the bed "
                         "(night).")
    assert describe_day(day(slots={"tea": {"parent_account": "pasta"}}), "Child A").endswith(
        "No effect on Child A is recorded.")


def test_day_html_puts_the_accounts_side_by_side_and_escapes_everything():
    d = day(slots={"tea": {"parent_account": "<script>alert(1)</script>", "child_account": "we had <b>chips</b>"},
                   "bedtime": SLOTS["bedtime"]})
    page = day_html(d, "Maisie & <Tom>")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>chips" not in page and "Maisie &amp; &lt;Tom&gt;" in page
    assert '<tr class="nk-differ"><th scope="row">Bedtime</th><td>In bed by 8</td>' in page
    assert ('<td class="nk-marker nk-mark-differ"><strong>Differ</strong><br><small>The kit\'s suggestion: They '
            'may differ on sleep') in page
    assert '<td class="nk-effect">tired in class</td>' in page
    assert page.count('<tr class="nk-none">') == 8 and "Not recorded" in page
    assert "What was seen" not in page
    assert "What was seen" in day_html(day(version="baby", slots={"naps": {"observed": "asleep"}}), "Baby B")

"""Progress across one child's assessments: the chart by its structure, the words, changes and drift flags."""

from datetime import date

import numpy as np
import pytest

from neglect_kit.assessment.framework import NOT_ENOUGH_EVIDENCE, sub_area_codes
from neglect_kit.assessment.model import NeglectAssessment
from neglect_kit.assessment.progress import (
    NEE_ROW,
    Change,
    compare,
    describe_progress,
    drift_flags,
    not_regraded,
    progress_figure,
    standing,
)
from neglect_kit.chronology.timeline import figure_bytes

NEE = NOT_ENOUGH_EVIDENCE


def assessment(day, grades, targets=(), child="maisie"):
    """One fictional assessment: grades by sub-area code, targets as (sub_area, grade, by)."""
    return NeglectAssessment.model_validate({
        "child": child, "assessed_on": day, "assessed_by": "sw.one",
        "grades": [{"sub_area": s, "grade": g, "evidence": f"Seen at a home visit in {day:%B %Y}."}
                   for s, g in grades.items()],
        "targets": [{"sub_area": s, "grade": g, "by": by, "agreed_with": "mother"} for s, g, by in targets]})


MAR21, SEP21, FEB22 = date(2021, 3, 4), date(2021, 9, 14), date(2022, 2, 10)
HISTORY = [
    assessment(MAR21, {"food": 4, "hygiene": 4, "health": NEE, "carer_absent": 4, "learning": 4, "play": 3},
               [("food", 2, date(2021, 9, 1)), ("hygiene", 2, date(2021, 9, 1)), ("learning", 2, date(2022, 6, 1))]),
    assessment(SEP21, {"food": 4, "hygiene": 2, "health": 3, "carer_absent": 4, "carer_present": NEE, "learning": 4,
                       "play": 3}),
    assessment(FEB22, {"food": 3, "hygiene": 2, "health": 2, "carer_absent": 5, "carer_present": 2, "learning": 3,
                       "play": NEE}, [("carer_absent", 3, date(2022, 8, 1))]),
]


def artists(fig, prefix):
    return {a.get_gid(): a for ax in fig.axes for a in [*ax.lines, *ax.collections]
            if (a.get_gid() or "").startswith(prefix)}


def test_one_panel_per_area_with_the_grades_in_words_and_a_titled_period():
    fig = progress_figure(list(reversed(HISTORY)), "Maisie")  # any order: sorted by date
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["Physical care", "Safety and supervision",
                                                             "Emotional warmth", "Development and esteem"]
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "1 needs met", "2 met most of the time", "3 met some of the time", "4 often not met", "5 needs largely unmet",
        "not enough evidence"]
    assert ax.get_ylim()[0] > ax.get_ylim()[1]  # inverted: grade 1 at the top
    title = next(t.get_text() for t in fig.texts if t.get_gid() == "title")
    assert title == "Maisie: neglect assessment grades, Mar 2021 to Feb 2022 (3 assessments)"
    ticks = [t.get_text() for t in fig.axes[-1].get_xticklabels()]
    assert ticks == ["Mar\n2021\n(baseline)", "Sep\n2021", "Feb\n2022"]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Not enough evidence (hollow, own row)" in legend and "Target: grade aimed for by its date" in legend


def test_each_sub_area_keeps_its_own_grades_and_not_enough_evidence_is_a_hollow_marker_on_its_own_row():
    fig = progress_figure(HISTORY, "Maisie")
    lines = artists(fig, "grades:")
    assert set(lines) == {f"grades:{c}" for c in ("food", "hygiene", "health", "carer_absent", "carer_present",
                                                   "learning", "play")}
    # a marker per graded assessment, at that grade (nudged a little so lines do not hide each other)
    food = np.asarray(lines["grades:food"].get_ydata(), float)
    assert np.round(food).tolist() == [4, 4, 3]
    health = np.asarray(lines["grades:health"].get_ydata(), float)
    assert np.isnan(health[0]) and np.round(health[1:]).tolist() == [3, 2]  # never a number for "not enough"
    hollow = artists(fig, "not_enough:")
    assert set(hollow) == {"not_enough:health", "not_enough:carer_present", "not_enough:play"}
    assert sum(len(line.get_xdata()) for line in hollow.values()) == 3
    for line in hollow.values():
        assert line.get_markerfacecolor() in ("white", (1.0, 1.0, 1.0, 1.0)) and line.get_linestyle() == "None"
        assert np.allclose(np.round(line.get_ydata(), 0), round(NEE_ROW))
    # a sub-area graded, then not enough evidence, then graded again: a dotted bridge over the gap
    assert "gap:carer_present" not in artists(fig, "gap:")  # graded only once
    gap = progress_figure([*HISTORY, assessment(date(2022, 9, 1), {"play": 2})], "Maisie")
    assert len(artists(gap, "gap:")["gap:play"].get_xdata()) == 3


def test_targets_are_stars_at_their_grade_and_date_with_a_dashed_path_from_when_agreed():
    fig = progress_figure(HISTORY, "Maisie")
    stars = [c for ax in fig.axes for c in ax.collections if c.get_gid() == "targets"]
    assert [len(c.get_offsets()) for c in stars] == [2, 1, 1]  # physical care, safety, development
    physical = next(c for c in fig.axes[0].collections if c.get_gid() == "targets")
    assert np.round(physical.get_offsets()[:, 1]).tolist() == [2, 2]
    paths = next(c for c in fig.axes[1].collections if c.get_gid() == "target_paths")
    (start, end), = paths.get_segments()
    assert round(start[1]) == 5 and round(end[1]) == 3  # carer absent: from 5 at Feb 2022 to 3 by Aug 2022
    assert fig.axes[0].get_xlim()[1] > end[0]  # the axis reaches the latest target


def test_plans_are_shaded_and_named_and_a_never_graded_sub_area_says_so():
    plans = [{"child_id": "maisie", "type": "child_protection", "category": "neglect", "start": date(2021, 2, 1),
              "end": None}, {"child_id": "theo", "type": "child_in_need", "start": date(2021, 1, 1), "end": None}]
    fig = progress_figure(HISTORY, "Maisie", plans)
    assert all(len([p for p in ax.patches if p.get_gid() == "plan"]) == 1 for ax in fig.axes)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Child protection plan" in legend and "Child in need plan" not in legend
    panel = [t.get_text() for t in fig.axes[2].get_legend().get_texts()]
    assert panel == ["Responsiveness to the child (not graded)", "Shared engagement (not graded)"]


def test_no_assessments_gives_a_figure_that_says_so():
    fig = progress_figure([], "Maisie")
    assert fig.axes == []
    assert "No assessments yet" in [t.get_text() for t in fig.texts]
    assert drift_flags([], date(2022, 1, 1), plan_open=True) == []
    assert describe_progress([], "Maisie") == "No neglect assessments for Maisie yet."


def test_close_assessments_get_regular_date_ticks_and_the_figure_renders():
    close = [assessment(date(2021, 3, 1), {"food": 4}), assessment(date(2021, 3, 20), {"food": 3}),
             assessment(date(2023, 3, 1), {"food": 2})]
    fig = progress_figure(close, "Child A")
    assert not any("baseline" in t.get_text() for t in fig.axes[-1].get_xticklabels())
    png = figure_bytes(fig)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000


def test_a_mix_of_children_is_refused_everywhere():
    theo = assessment(SEP21, {"food": 2}, child="theo")
    mixed = [HISTORY[0], theo]
    for call in (lambda: progress_figure(mixed, "Maisie"), lambda: describe_progress(mixed, "Maisie"),
                 lambda: drift_flags(mixed, FEB22, plan_open=True), lambda: compare(HISTORY[0], theo)):
        with pytest.raises(ValueError, match="2 different children"):
            call()


@pytest.mark.parametrize(("before", "after", "direction"), [
    (4, 2, "improved"), (2, 4, "worsened"), (3, 3, "same"), (None, 3, "newly graded"), (None, NEE, "newly graded"),
    (3, None, "not regraded"), (3, NEE, "not enough evidence"), (NEE, 1, "not enough evidence"),
    (NEE, NEE, "not enough evidence"),
])
def test_compare_directions(before, after, direction):
    one = {"food": before} if before is not None else {}
    two = {"food": after} if after is not None else {}
    change, = compare(assessment(MAR21, one | {"play": 2}), assessment(SEP21, two | {"play": 2}))[:1]
    since = MAR21 if direction == "not regraded" else None
    assert change == Change("food", "physical_care", before, after, direction, change.words, since)
    assert change.words.startswith("Food and drink: ")


def test_compare_words_and_order():
    changes = compare(HISTORY[0], HISTORY[2])
    assert [c.sub_area for c in changes] == [c for c in sub_area_codes() if c in {
        "food", "hygiene", "health", "carer_absent", "carer_present", "learning", "play"}]
    words = {c.sub_area: c.words for c in changes}
    assert words["food"] == "Food and drink: improved from 4 (often not met) to 3 (met some of the time)"
    assert words["health"] == "Health and dental care: from not enough evidence to 2 (met most of the time)"
    with pytest.raises(ValueError, match="dated before the earlier one"):
        compare(HISTORY[2], HISTORY[0])


def test_a_target_passed_without_being_reached_is_flagged_and_one_met_on_time_is_not():
    flags = drift_flags(HISTORY, date(2022, 3, 1), plan_open=False)
    assert [(f.sub_area, f.kind) for f in flags] == [("food", "target_missed")]  # hygiene reached 2 in time
    assert flags[0].message == ("Food and drink: the target of 2 or better by 01 Sep 2021 has passed without being "
                                "reached; the latest grade is 3 (Feb 2022)")
    assert flags[0].evidence == ((MAR21, 4), (SEP21, 4), (FEB22, 3))
    # learning's target (Jun 2022) is not due yet; once passed with no later assessment, it is missed
    later = drift_flags(HISTORY, date(2022, 6, 2), plan_open=False)
    assert ("learning", "target_missed") in [(f.sub_area, f.kind) for f in later]
    assert drift_flags(HISTORY, date(2022, 6, 1), plan_open=False) == flags  # due today: not passed yet


def test_not_enough_evidence_never_meets_a_target():
    items = [assessment(MAR21, {"food": 4}, [("food", 2, date(2021, 6, 1))]), assessment(SEP21, {"food": NEE})]
    flag, = drift_flags(items, date(2021, 10, 1), plan_open=False)
    assert flag.message.endswith("the latest grade is not enough evidence (Sep 2021)")


def test_grades_of_4_or_5_three_times_in_a_row_under_an_open_plan_are_flagged():
    flags = [f for f in drift_flags(HISTORY, date(2022, 3, 1), plan_open=True) if f.kind == "stuck_high"]
    assert [f.sub_area for f in flags] == ["carer_absent"]
    assert flags[0].message == ("With the carer absent, or other carers: graded 4 or worse at three assessments in a "
                                "row (Mar 2021, Sep 2021, Feb 2022) while a plan is open")
    assert flags[0].evidence == ((MAR21, 4), (SEP21, 4), (FEB22, 5))
    assert [f.kind for f in drift_flags(HISTORY, date(2022, 3, 1), plan_open=False)] == ["target_missed"]


@pytest.mark.parametrize(("grades", "flagged"), [
    ([4, 4], False), ([4, 4, 4], True), ([5, 4, 5, 4], True), ([4, 4, 2, 4, 4], False), ([4, 4, 3], False),
    ([4, NEE, 4, 4], False), ([2, 5, 5, 5], True),
])
def test_stuck_high_needs_an_unbroken_run_up_to_the_latest(grades, flagged):
    items = [assessment(date(2020 + k, 1, 1), {"food": g}) for k, g in enumerate(grades)]
    kinds = [f.kind for f in drift_flags(items, date(2030, 1, 1), plan_open=True)]
    assert kinds == (["stuck_high"] if flagged else [])


def test_the_description_says_who_how_many_when_and_what_changed():
    text = describe_progress(HISTORY, "Maisie")
    assert text.startswith("Neglect assessment grades for Maisie: 3 assessments, from 04 Mar 2021 (the baseline) to "
                           "10 Feb 2022.")
    assert "Improved: Food and drink (4 to 3); Hygiene (4 to 2); Learning and attendance (4 to 3)." in text
    assert "Worsened: With the carer absent, or other carers (4 to 5)." in text
    assert "To or from not enough evidence: Health and dental care (not enough evidence to 2)" in text
    assert "Targets: 1 met (Hygiene, 2 by Sep 2021), 1 missed (Food and drink, 2 by Sep 2021), 2 not yet due." in text
    assert "never averaged" in text
    one = describe_progress(HISTORY[:1], "Child A")
    assert "1 assessment, on 04 Mar 2021." in one and "graded 4 or 5: Food and drink (4); Hygiene (4)" in one


def test_a_target_for_a_sub_area_never_graded_since_is_missed_with_that_said():
    items = [assessment(MAR21, {"food": 3}, [("clothing", 2, date(2021, 6, 1))]), assessment(SEP21, {"food": 3})]
    flag, = drift_flags(items, date(2021, 10, 1), plan_open=True)
    assert flag.evidence == ()
    assert flag.message.endswith("passed without being reached; it has not been graded since it was agreed")
    assert "Targets: 1 missed (Clothing, 2 by Jun 2021)." in describe_progress(items, "Maisie")


# A repeat that grades 2 of the 14 sub-areas: the other grades stand, carried forward, never dropped.
APR22 = date(2022, 4, 20)
SPARSE = [*HISTORY, assessment(APR22, {"food": 3, "hygiene": 2})]


def test_a_sub_area_left_ungraded_keeps_its_last_grade_standing():
    stood = standing(SPARSE)
    assert stood["carer_absent"].grade == 5 and stood["carer_absent"].on == FEB22
    assert stood["food"].on == APR22
    assert standing(SPARSE, upto=SEP21)["carer_absent"].on == SEP21
    left = not_regraded(SPARSE[-1], SPARSE[:-1])
    assert set(left) == {"health", "carer_absent", "carer_present", "learning", "play"}
    assert left["learning"].grade == 3 and left["learning"].on == FEB22


def test_compare_carries_the_last_grade_forward_with_its_date():
    changes = {c.sub_area: c for c in compare(SPARSE[-2], SPARSE[-1], SPARSE)}
    carer = changes["carer_absent"]
    assert (carer.before, carer.after, carer.direction, carer.since) == (5, None, "not regraded", FEB22)
    assert carer.now == "5 since Feb 2022, not regraded"
    assert carer.words == ("With the carer absent, or other carers: 5 (needs largely unmet) since Feb 2022, "
                           "not regraded")
    # an earlier repeat that left it ungraded too: the grade that stood then is the one compared
    again = assessment(date(2022, 9, 1), {"food": 3})
    carer = {c.sub_area: c for c in compare(SPARSE[-1], again, SPARSE)}["carer_absent"]
    assert (carer.before, carer.direction, carer.since) == (5, "not regraded", FEB22)


def test_stuck_high_is_not_dropped_by_a_repeat_that_leaves_it_ungraded():
    flagged = [f for f in drift_flags(SPARSE, date(2022, 5, 1), plan_open=True) if f.kind == "stuck_high"]
    assert [f.sub_area for f in flagged] == ["carer_absent"]
    assert flagged[0].message == (
        "With the carer absent, or other carers: graded 4 or worse at each of the last three assessments that "
        "graded it (Mar 2021, Sep 2021, Feb 2022) while a plan is open; 5 since Feb 2022, not regraded at the "
        "assessment of 20 Apr 2022")
    assert flagged[0].evidence == ((MAR21, 4), (SEP21, 4), (FEB22, 5))  # only the grades given


@pytest.mark.parametrize(("grades", "flagged"), [
    ([4, None, 4, 4], True), ([4, 4, None], False), ([4, 4, 4, None, None], True), ([4, 4, 2, None, 4], False),
])
def test_an_assessment_that_leaves_the_sub_area_ungraded_neither_breaks_nor_counts_in_the_run(grades, flagged):
    items = [assessment(date(2020 + k, 1, 1), {"food": g} if g is not None else {"play": 2})
             for k, g in enumerate(grades)]
    kinds = [f.kind for f in drift_flags(items, date(2030, 1, 1), plan_open=True)]
    assert kinds == (["stuck_high"] if flagged else [])


def test_a_missed_target_says_its_grade_was_not_regraded_since():
    items = [assessment(MAR21, {"food": 4}, [("food", 2, date(2021, 6, 1))]), assessment(SEP21, {"play": 2})]
    flag, = drift_flags(items, date(2021, 10, 1), plan_open=False)
    assert flag.message.endswith("the latest grade is 4 (Mar 2021, before the target date), not regraded at the "
                                 "assessment of 14 Sep 2021")


def test_the_description_names_grades_standing_but_not_regraded():
    text = describe_progress(SPARSE, "Maisie")
    assert "Not regraded at the latest, last graded 4 or 5: With the carer absent, or other carers (5 since Feb " \
           "2022)." in text

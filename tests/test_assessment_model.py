"""The kit's own neglect assessment: grades, evidence and the rules around them."""

from datetime import date

import pytest
from pydantic import ValidationError

from neglect_kit.assessment.framework import AREAS, NOT_ENOUGH_EVIDENCE, area_of, sub_area_codes
from neglect_kit.assessment.model import ExternalAssessment, GradeError, NeglectAssessment, parse_grade
from neglect_kit.config import GRADE_MEANINGS


def assessment(**change):
    data = {"child": "maisie", "assessed_on": date(2021, 3, 1), "assessed_by": "sw.one",
            "grades": [{"sub_area": "food", "grade": 4, "evidence": "No food in the fridge at two visits."}]}
    data.update(change)
    return NeglectAssessment.model_validate(data)


def test_four_areas_with_their_sub_areas_and_five_grades():
    assert [a.code for a in AREAS] == ["physical_care", "safety", "emotional_warmth", "development"]
    assert len(sub_area_codes()) == len(set(sub_area_codes())) == 14
    assert area_of("learning").code == "development"
    assert sorted(GRADE_MEANINGS) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(("value", "grade"), [(1, 1), ("5", 5), (3.0, 3), ("Not enough evidence", NOT_ENOUGH_EVIDENCE)])
def test_grades_read(value, grade):
    assert parse_grade(value) == grade


@pytest.mark.parametrize(("value", "message"), [
    (0, "outside the grades"), (6, "outside the grades"), (3.5, "not a whole grade"), ("3.5", "not a whole grade"),
    ("N/A", "'N/A' is not a grade"), ("", "a blank is never read"), (None, "no grade given"),
    ("good", "'good' is not a grade"), (True, "is not a grade"),
])
def test_bad_grades_are_refused_with_the_reason(value, message):
    with pytest.raises(GradeError, match=message.replace("(", r"\(")):
        parse_grade(value)


def test_a_grade_without_evidence_is_refused():
    with pytest.raises(ValidationError, match="every grade needs written evidence"):
        assessment(grades=[{"sub_area": "food", "grade": 2, "evidence": "  "}])


def test_one_assessment_is_for_one_child():
    with pytest.raises(ValidationError, match="an assessment is for one child"):
        assessment(child=["maisie", "theo"])
    assert assessment(child=["maisie"]).child == "maisie"


def test_a_target_must_fall_after_the_assessment():
    with pytest.raises(ValidationError, match="not after the assessment of 01 Mar 2021"):
        assessment(targets=[{"sub_area": "food", "grade": 2, "by": date(2021, 2, 1)}])
    assert assessment(targets=[{"sub_area": "food", "grade": 2, "by": date(2021, 6, 1)}]).targets[0].grade == 2


def test_a_sub_area_graded_twice_or_unknown_is_refused():
    with pytest.raises(ValidationError, match="graded twice"):
        assessment(grades=[{"sub_area": "food", "grade": 2, "evidence": "a"},
                           {"sub_area": "food", "grade": 3, "evidence": "b"}])
    with pytest.raises(ValidationError, match="not a sub-area"):
        assessment(grades=[{"sub_area": "vibes", "grade": 2, "evidence": "a"}])


def test_an_external_assessment_holds_a_number_and_no_content():
    ext = ExternalAssessment(child="maisie", tool="Licensed profile tool", completed_on=date(2020, 1, 5), grade=4)
    assert ext.grade == 4
    with pytest.raises(ValidationError):
        ExternalAssessment(child="maisie", tool="x", completed_on=date(2020, 1, 5), grade=4, notes="copied text")

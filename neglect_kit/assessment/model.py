"""A neglect assessment of one child, graded sub-area by sub-area, with evidence for every grade.

Rules the model keeps (DOMAIN.md section 4): grades are whole numbers 1 to 5 for the here
and now, or "not enough evidence", which is never a number; a blank is never read as the
best grade; every grade has written evidence; one assessment is for one child; targets fall
after the assessment. Grades are never averaged across areas, so the model offers no total.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from ..textfields import Name, Note
from ..validators import Strict, one_child
from .framework import GRADES, NOT_ENOUGH_EVIDENCE, sub_area_codes

ASSESSMENT_KIND = "neglect_assessment"
EXTERNAL_KIND = "external_assessment"
Grade = int | Literal["not_enough_evidence"]
_NOT_ENOUGH = {"not enough evidence", "not_enough_evidence", "nee", "not known yet", "insufficient evidence"}


class GradeError(ValueError):
    """A grade the kit will not read, with the reason."""


def parse_grade(value: Any) -> Grade:
    """A grade as typed or imported: 1 to 5, or "not enough evidence".

    Raises:
        GradeError: blank (never read as the best grade), "N/A", 0, 6, 3.5 or any other value.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise GradeError("no grade given: choose 1 to 5, or 'not enough evidence' (a blank is never read "
                         "as a grade)")
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _NOT_ENOUGH:
            return NOT_ENOUGH_EVIDENCE
        if text in {"n/a", "na", "n.a.", "none", "-"}:
            raise GradeError(f"'{value}' is not a grade: if the evidence is not there yet, choose "
                             "'not enough evidence'")
        try:
            value = float(text)
        except ValueError:
            raise GradeError(f"'{value}' is not a grade: choose 1 to 5, or 'not enough evidence'") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise GradeError(f"'{value}' is not a grade: choose 1 to 5, or 'not enough evidence'")
    if value != int(value):
        raise GradeError(f"{value} is not a whole grade: choose 1 to 5 (grades are never split or averaged)")
    if int(value) not in GRADES:
        raise GradeError(f"{int(value)} is outside the grades 1 (needs met) to 5 (needs largely unmet)")
    return int(value)


class SubAreaGrade(Strict):
    """One sub-area's grade with what it rests on."""

    sub_area: str
    grade: Grade
    evidence: Note
    strengths: Note = ""
    entries: list[str] = Field(default_factory=list)  # chronology record ids the evidence rests on

    @field_validator("sub_area")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in sub_area_codes():
            raise ValueError(f"'{value}' is not a sub-area of the kit's assessment")
        return value

    @field_validator("grade", mode="before")
    @classmethod
    def _grade(cls, value: Any) -> Grade:
        return parse_grade(value)

    @field_validator("evidence")
    @classmethod
    def _evidence(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("every grade needs written evidence: what was seen, heard or recorded")
        return value.strip()


class Target(Strict):
    """A change agreed with the family for one sub-area, by a date."""

    sub_area: str
    grade: int = Field(ge=1, le=5)
    by: date
    agreed_with: Name = ""


class Visit(Strict):
    """A visit the assessment rests on; whether it was announced is None until the worker says."""

    on: date
    announced: bool | None = None

    @property
    def announced_words(self) -> str:
        return {True: "announced", False: "unannounced", None: "announced or not: not recorded"}[self.announced]


class NeglectAssessment(Strict):
    """One child's assessment; the first is the baseline, later ones are repeats."""

    child: Annotated[str, one_child("an assessment is for one child: record one for each child, never siblings "
                                    "together")]
    assessed_on: date
    assessed_by: Name = Field(min_length=1)
    visits: list[Visit] = Field(default_factory=list)
    carer_view: Note = ""
    child_view: Note = ""
    grades: list[SubAreaGrade] = Field(min_length=1)
    targets: list[Target] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> NeglectAssessment:
        seen = [g.sub_area for g in self.grades]
        twice = sorted({s for s in seen if seen.count(s) > 1})
        if twice:
            raise ValueError(f"sub-area '{twice[0]}' is graded twice")
        for target in self.targets:
            if target.by <= self.assessed_on:
                raise ValueError(f"the target for '{target.sub_area}' is due {target.by:%d %b %Y}, not after the "
                                 f"assessment of {self.assessed_on:%d %b %Y}")
        return self


class ExternalAssessment(Strict):
    """That a licensed assessment was completed: the tool's name, the date and a number, no content."""

    child: str
    tool: Name = Field(min_length=1, max_length=120)
    completed_on: date
    grade: int | None = Field(default=None, ge=1, le=5)

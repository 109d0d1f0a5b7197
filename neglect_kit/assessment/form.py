"""The assessment form: one child, every sub-area graded with its evidence, checked as it is filled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import ipywidgets as w
from pydantic import ValidationError

from ..config import settings
from ..ui.fields import STYLE, Field, area, date_field, label_style, text
from ..ui.panels import esc
from .framework import AREAS, GRADES, NOT_ENOUGH_EVIDENCE
from .model import GradeError, NeglectAssessment, parse_grade

ANNOUNCED = [("Not recorded", ""), ("Announced", "yes"), ("Unannounced", "no")]


def grade_options() -> list[tuple[str, str]]:
    """The grades with what each means, in the words the settings hold."""
    meanings = settings().grade_meanings
    return [("Choose a grade...", ""), *[(f"{g}: {meanings[g]}", str(g)) for g in GRADES],
            ("Not enough evidence yet", NOT_ENOUGH_EVIDENCE)]


class _Checked:
    """A field check's result, in the shape `ui.fields.Field` shows."""

    def __init__(self, value: Any = None, error: str = ""):
        self.value, self.error = value, error


def _grade_check(value: str) -> _Checked:
    try:
        return _Checked(parse_grade(value))
    except GradeError as exc:
        return _Checked(error=str(exc))


def _required(what: str) -> Callable[[Any], _Checked]:
    return lambda value: _Checked(value.strip()) if str(value).strip() else _Checked(error=f"{what} is needed")


def _day(what: str) -> Callable[[Any], _Checked]:
    return lambda value: _Checked(value) if isinstance(value, date) else _Checked(error=f"choose the {what}")


class SubAreaRow:
    """One sub-area: its grade, the evidence for it, strengths, and an optional target."""

    def __init__(self, code: str, label: str, prompt: str):
        self.code = code
        self.label = label
        self.grade = Field(f"{code}.grade", w.Dropdown(description=label, options=grade_options(), value="",
                                                          style=label_style(label), layout=w.Layout(width="48em")),
                           _grade_check)
        self.evidence = Field(f"{code}.evidence", area(f"Evidence: {label}", prompt, rows=2),
                              _required("written evidence for this grade"))
        self.strengths = text(f"Strengths: {label}", "what is going well for the child here", width="48em")
        self.target_grade = w.Dropdown(description=f"Target: {label}", style=label_style(f"Target: {label}"),
                                       options=[("No target", ""), *[(str(g), str(g)) for g in GRADES]])
        self.target_by = date_field("by", style={"description_width": "3em"})
        self.entries: list[str] = []  # chronology record ids the evidence rests on
        self.linked = w.HTML()
        self.widget = w.VBox([self.grade.box, self.evidence.box, self.linked, self.strengths,
                              w.HBox([self.target_grade, self.target_by])],
                             layout=w.Layout(border="1px solid #ccc", padding="0.3em", margin="0.2em 0"))

    def body(self) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        grade = {"sub_area": self.code, "grade": self.grade.value, "evidence": self.evidence.value,
                 "strengths": self.strengths.value, "entries": list(self.entries)}
        target = ({"sub_area": self.code, "grade": int(self.target_grade.value), "by": self.target_by.value}
                  if self.target_grade.value else None)
        return grade, target

    def link(self, record_ids: list[str], describe: Callable[[str], str]) -> None:
        """Rest this grade's evidence on chronology entries too (added to any linked before)."""
        self.entries = list(dict.fromkeys([*self.entries, *record_ids]))
        self._show(describe)

    def unlink(self, record_ids: list[str], describe: Callable[[str], str]) -> None:
        """Take entries linked by mistake off this grade's evidence."""
        self.entries = [r for r in self.entries if r not in set(record_ids)]
        self._show(describe)

    def _show(self, describe: Callable[[str], str]) -> None:
        items = "".join(f"<li>{esc(describe(r))}</li>" for r in self.entries)
        self.linked.value = (f'<div class="nk-linked">From the chronology ({len(self.entries)}):<ul>{items}</ul></div>'
                             if self.entries else "")


class AssessmentForm:
    """The whole assessment of one child. `check()` gives the assessment or shows every error."""

    def __init__(self, child_id: str, assessor: str):
        self.child_id = child_id
        self.assessed_on = Field("assessed_on", date_field("Assessed on", date.today()), _day("date of the assessment"))
        self.assessed_by = Field("assessed_by", text("Assessed by"), _required("who assessed"))
        self.assessed_by.value = assessor
        self.visit_on = date_field("Visit on")
        # blank until the worker says: an unannounced visit is evidence of its own, never assumed either way
        self.visit_announced = w.Dropdown(description="Announced?", options=ANNOUNCED, value="", style=STYLE,
                                          layout=w.Layout(width="24em"))
        self.carer_view = area("The carer's view", "in the carer's own words")
        self.child_view = area("The child's view", "what the child said or showed, and how")
        self.rows = {s.code: SubAreaRow(s.code, s.label, s.prompt) for a in AREAS for s in a.sub_areas}
        sections: list[w.Widget] = []
        for a in AREAS:
            sections.append(w.HTML(f"<h3>{esc(a.label)}</h3>"))
            sections.extend(self.rows[s.code].widget for s in a.sub_areas)
        self.message = w.HTML()
        self.widget = w.VBox([self.assessed_on.box, self.assessed_by.box,
                              w.HBox([self.visit_on, self.visit_announced]), self.carer_view, self.child_view,
                              *sections, self.message])

    def check(self) -> tuple[NeglectAssessment | None, list[str]]:
        """Every field checked and shown; the assessment when all is well."""
        errors = [r.error for r in (self.assessed_on.validate(), self.assessed_by.validate()) if r and r.error]
        grades, targets = [], []
        for row in self.rows.values():
            grade_result = row.grade.validate()
            if row.grade.value == "" and not row.evidence.value.strip() and not row.entries:
                row.grade.show("")  # a sub-area left untouched is simply not graded this time
                continue
            evidence_result = row.evidence.validate()
            errors += [f"{row.label}: {r.error}" for r in (grade_result, evidence_result) if r and r.error]
            grade, target = row.body()
            grades.append(grade)
            if target:
                targets.append(target)
        if not grades:
            errors.append("grade at least one sub-area, with its evidence")
        if errors:
            return None, errors
        visits = ([{"on": self.visit_on.value, "announced": {"yes": True, "no": False}.get(self.visit_announced.value)}]
                  if self.visit_on.value else [])
        try:
            assessment = NeglectAssessment.model_validate({
                "child": self.child_id, "assessed_on": self.assessed_on.value, "assessed_by": self.assessed_by.value,
                "visits": visits, "carer_view": self.carer_view.value, "child_view": self.child_view.value,
                "grades": grades, "targets": targets})
        except ValidationError as exc:  # rules across fields, such as a target before the assessment
            return None, [str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()]
        return assessment, []

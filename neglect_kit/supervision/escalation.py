"""Escalation of a professional disagreement, stage by stage, each stage due in working days.

Local policies stage a disagreement (DOMAIN.md section 5): practitioner to practitioner, then
managers, then senior leads, then an independent meeting, each with a timescale of a few
working days. The stages and their days are the settings' `escalation_stages`, and the bank
holidays are those of the settings' nation (`bank_holidays`), so this module takes both as
arguments and never reads the settings itself.

The record keeps who raised what with whom, how the child is kept safe while professionals
disagree, each stage with its dates, and how it ended and what was learnt. A record is never
changed in place: each step returns a new, validated `Escalation`. `stage_history` gives its
course as dated steps (raised, each stage reached, resolved) for a screen to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from pydantic import Field, field_validator, model_validator

from ..config import check_escalation_stages, default_of
from ..textfields import Name, Note
from ..vocab import normalise
from ..wording import day_text
from ._base import Strict, require_owner, require_words, says_nothing
from .calendar import DEFAULT_NATION, add_working_days, check_nation, working_days_between

ESCALATION_KIND = "escalation"
DEFAULT_STAGES: tuple[tuple[str, int], ...] = default_of("escalation_stages")


class Party(Strict):
    """A professional in the disagreement: a name, and the role or agency they speak for."""

    name: Name
    role: Name

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return require_words(value, "name", "say who, by name")

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        return require_owner(value, "role")


class StageStep(Strict):
    """One stage the disagreement reached: when it started, when it is due, and how it ended."""

    stage: int = Field(ge=1)
    name: Name = Field(min_length=1)
    started_on: date
    due_on: date
    note: Note = ""
    outcome: Note = ""

    @model_validator(mode="after")
    def _due_after_start(self) -> StageStep:
        if self.due_on < self.started_on:
            raise ValueError(f"stage {self.stage} is due on {day_text(self.due_on)}, before it started on "
                             f"{day_text(self.started_on)}")
        return self


class Escalation(Strict):
    """A professional disagreement about one case's children, from raising to resolution."""

    case_id: str = Field(min_length=1)
    children: list[str] = Field(min_length=1)
    raised_by: Party
    raised_with: Party
    about: Note
    child_safe_meanwhile: Note
    raised_on: date
    stages: list[StageStep] = Field(min_length=1)
    resolved_on: date | None = None
    resolution: Note = ""
    learning: Note = ""

    @field_validator("about")
    @classmethod
    def _about(cls, value: str) -> str:
        return require_words(value, "about", "say what the disagreement is about and what it means for the child")

    @field_validator("child_safe_meanwhile")
    @classmethod
    def _safe(cls, value: str) -> str:
        return require_words(value, "child_safe_meanwhile",
                             "say how the child is kept safe while the professionals disagree")

    @field_validator("resolution", "learning")
    @classmethod
    def _nothing_is_blank(cls, value: str) -> str:
        # "n/a" says no more than a blank: store it as one, so resolving without words is refused below.
        return "" if says_nothing(value) else value

    @model_validator(mode="after")
    def _consistent(self) -> Escalation:
        if normalise(self.raised_by.name) == normalise(self.raised_with.name):
            raise ValueError(f"raised_with is {self.raised_with.name}, who raised it: name the professional "
                             "the disagreement is with")
        if [s.stage for s in self.stages] != list(range(1, len(self.stages) + 1)):
            raise ValueError("stages must run 1, 2, 3 ... in order, with none missed")
        if self.stages[0].started_on != self.raised_on:
            raise ValueError(f"stage 1 starts on the day the disagreement was raised, {day_text(self.raised_on)}")
        for before, after in pairwise(self.stages):
            if after.started_on < before.started_on:
                raise ValueError(f"stage {after.stage} starts on {day_text(after.started_on)}, before stage "
                                 f"{before.stage} started on {day_text(before.started_on)}")
        if self.resolved_on is None:
            if self.resolution or self.learning:
                raise ValueError("resolved_on is blank but a resolution is written: give the date it was resolved")
            return self
        if not self.resolution or not self.learning:
            missing = "resolution" if not self.resolution else "learning"
            raise ValueError(f"{missing} is needed to resolve a disagreement: say how it was resolved for the "
                             "child (resolution) and what was learnt, for the case and for practice (learning)")
        if self.resolved_on < self.current_stage.started_on:
            raise ValueError(f"resolved_on ({day_text(self.resolved_on)}) is before stage "
                             f"{self.current_stage.stage} started on {day_text(self.current_stage.started_on)}")
        return self

    @property
    def current_stage(self) -> StageStep:
        """The stage the disagreement has reached (the last one, once resolved)."""
        return self.stages[-1]

    @property
    def due_on(self) -> date:
        """When the current stage is due to be settled."""
        return self.current_stage.due_on

    @property
    def is_resolved(self) -> bool:
        """True once a resolution, with its learning, is recorded."""
        return self.resolved_on is not None

    def working_days_overdue(self, today: date, nation: str = DEFAULT_NATION) -> int:
        """Working days the current stage has run past its due date on `today`; 0 if on time or resolved."""
        if self.is_resolved:
            return 0
        return max(working_days_between(self.due_on, today, nation), 0)

    def is_overdue(self, today: date, nation: str = DEFAULT_NATION) -> bool:
        """True once a working day has passed after the due date (a weekend after it does not count)."""
        return self.working_days_overdue(today, nation) > 0


def _step(number: int, on: date, note: str, stages: Sequence[tuple[str, int]], nation: str) -> dict[str, Any]:
    name, days = stages[number - 1]
    return {"stage": number, "name": name, "started_on": on, "due_on": add_working_days(on, days, nation),
            "note": note}


def open_escalation(*, case_id: str, children: Sequence[str], raised_by: Party | dict, raised_with: Party | dict,
                    about: str, child_safe_meanwhile: str, raised_on: date, note: str = "",
                    stages: Sequence[tuple[str, int]] = DEFAULT_STAGES, nation: str = DEFAULT_NATION) -> Escalation:
    """A new disagreement at stage 1, due the stage's working days after `raised_on`.

    Args:
        raised_by, raised_with: a `Party`, or a dict with `name` and `role`.
        note: what was done at stage 1 so far (may be blank).
        stages: (name, working days) in order: the settings' `escalation_stages`.
        nation: ENG, WLS, SCT or NIR: the settings' `bank_holidays`.

    Raises:
        ValueError: any rule of `Escalation` broken, with the field named; bad stages; an unknown nation.
    """
    stages, nation = check_escalation_stages(stages), check_nation(nation)
    return Escalation.model_validate({
        "case_id": case_id, "children": list(children), "raised_by": raised_by, "raised_with": raised_with,
        "about": about, "child_safe_meanwhile": child_safe_meanwhile, "raised_on": raised_on,
        "stages": [_step(1, raised_on, note, stages, nation)]})


def _open_on(esc: Escalation, on: date, doing: str) -> None:
    if esc.is_resolved:
        raise ValueError(f"this disagreement was resolved on {day_text(esc.resolved_on)}: it cannot be {doing}; "
                         "raise a new one if it has come back")
    if on < esc.current_stage.started_on:
        raise ValueError(f"{day_text(on)} is before stage {esc.current_stage.stage} started on "
                         f"{day_text(esc.current_stage.started_on)}")


def escalate(esc: Escalation, on: date, note: str, stages: Sequence[tuple[str, int]] = DEFAULT_STAGES,
             nation: str = DEFAULT_NATION) -> Escalation:
    """The disagreement moved to its next stage on `on`, due that stage's working days later.

    The stage left behind is marked not resolved (unless its outcome is already written).

    Args:
        note: why it moves on: what was tried at the stage before and why it did not settle it.

    Raises:
        ValueError: the disagreement is resolved or at the last stage; `on` is before the current stage
            started; `note` is blank; bad stages; an unknown nation.
    """
    stages, nation = check_escalation_stages(stages), check_nation(nation)
    _open_on(esc, on, "escalated")
    current = esc.current_stage
    if current.stage >= len(stages):
        raise ValueError(f"stage {current.stage} ({current.name}) is the last stage: there is no stage to "
                         "escalate to; resolve it there")
    require_words(note, "note", f"say why the disagreement moves on to stage {current.stage + 1}")
    left = current.model_dump() | {"outcome": current.outcome or f"Not resolved: raised to stage {current.stage + 1} "
                                                                  f"on {day_text(on)}"}
    body = esc.model_dump()
    body["stages"] = [*body["stages"][:-1], left, _step(current.stage + 1, on, note, stages, nation)]
    return Escalation.model_validate(body)


def resolve(esc: Escalation, on: date, resolution: str, learning: str) -> Escalation:
    """The disagreement resolved on `on`, with how it was resolved and what was learnt.

    Raises:
        ValueError: already resolved; `on` before the current stage started; resolution or learning blank.
    """
    _open_on(esc, on, "resolved again")
    body = esc.model_dump()
    current = body["stages"][-1]
    current["outcome"] = current["outcome"] or f"Resolved on {day_text(on)}"
    return Escalation.model_validate(body | {"resolved_on": on, "resolution": resolution, "learning": learning})


@dataclass(frozen=True)
class HistoryStep:
    """One dated step in a disagreement's course.

    Attributes:
        on: the day it happened.
        what: the step in words: "Raised at stage 1 (Practitioner to practitioner)", "Reached stage 2
            (Team managers)", "Resolved".
        due_on: when the stage it opened was due to be settled (None for the resolution).
        note: what was written at that step: why it moved on, or how it was resolved and what was learnt.
    """

    on: date
    what: str
    due_on: date | None
    note: str


def stage_history(esc: Escalation) -> list[HistoryStep]:
    """The disagreement's course, oldest first: raised, each later stage reached, and resolved if it was."""
    steps = [HistoryStep(s.started_on, f"Raised at stage 1 ({s.name})" if s.stage == 1 else
                         f"Reached stage {s.stage} ({s.name})", s.due_on, s.note) for s in esc.stages]
    if esc.resolved_on is not None:
        steps.append(HistoryStep(esc.resolved_on, f"Resolved at stage {esc.current_stage.stage}", None,
                                 f"{esc.resolution}; what was learnt: {esc.learning}"))
    return steps

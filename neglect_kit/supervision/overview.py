"""A supervisor's view across cases: open, overdue and repeated actions; open escalations by stage.

Pure functions over what the caller has read from the store, one list per case, so the view can be
worked out (and tested) on any day. An action re-issued session after session is flagged as
repeated (a warning sign of drift, DOMAIN.md section 5), and overdue is counted from the date it is
due now (carrying it over moves the date; the first date is kept beside it); an escalation is
overdue once a working day has passed after its current stage's due date, in the nation's bank
holidays.

Each list may hold the models themselves or the `Stored` wrappers read from the store; with a
wrapper, the row keeps its record id so a screen can open the record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from .actions import Action
from .escalation import DEFAULT_NATION, Escalation, Party
from .records import Stored

M = TypeVar("M", Action, Escalation)


@dataclass(frozen=True)
class ActionRow:
    """One open action (overdue or not) in one case."""

    case_id: str
    what: str
    who: str
    by: date
    status: str  # "open" or "overdue", as on the day asked
    carried_over: int
    repeated: bool  # carried over to a second session or more
    days_overdue: int  # calendar days past `by`; 0 when not overdue
    child: str | None = None
    record_id: str | None = None
    first_due: date | None = None  # when carrying it over moved its date: the date it was first due

    @property
    def overdue(self) -> bool:
        return self.status == "overdue"


@dataclass(frozen=True)
class EscalationRow:
    """One unresolved disagreement in one case, at the stage it has reached."""

    case_id: str
    about: str
    raised_by: str  # "Priya Shah (Health visitor)"
    raised_with: str
    raised_on: date
    stage: int
    stage_name: str
    started_on: date
    due_on: date
    overdue: bool
    working_days_overdue: int
    child_safe_meanwhile: str
    children: tuple[str, ...] = ()
    record_id: str | None = None


@dataclass(frozen=True)
class StageCount:
    """Open escalations at one stage, and how many of them are overdue."""

    stage: int
    name: str
    open: int
    overdue: int


@dataclass(frozen=True)
class Counts:
    """The summary at the head of the view."""

    open_actions: int  # open, overdue ones included
    overdue_actions: int
    repeated_actions: int
    open_escalations: int
    overdue_escalations: int
    by_stage: tuple[StageCount, ...]  # stage 1 first


def _unwrap(item: M | Stored[M]) -> tuple[M, str | None]:
    return (item.model, item.record_id) if isinstance(item, Stored) else (item, None)


def _party(party: Party) -> str:
    return f"{party.name} ({party.role})"


def action_rows(actions_by_case: Mapping[str, Sequence[Action | Stored[Action]]], today: date) -> list[ActionRow]:
    """The open actions of every case as on `today`: overdue first (most overdue first), then by date.

    Done and cancelled actions are left out.
    """
    rows = []
    for case_id, items in actions_by_case.items():
        for item in items:
            action, record_id = _unwrap(item)
            status = action.status_on(today)
            if status not in ("open", "overdue"):
                continue
            rows.append(ActionRow(
                case_id=case_id, what=action.what, who=action.who, by=action.by, status=status,
                carried_over=action.carried_over, repeated=action.repeatedly_carried,
                days_overdue=(today - action.by).days if status == "overdue" else 0, child=action.child,
                record_id=record_id, first_due=action.first_due if action.earlier_due else None))
    return sorted(rows, key=lambda r: (not r.overdue, -r.days_overdue, r.by, r.case_id, r.what))


def escalation_rows(escalations_by_case: Mapping[str, Sequence[Escalation | Stored[Escalation]]], today: date,
                    nation: str = DEFAULT_NATION) -> list[EscalationRow]:
    """The unresolved escalations of every case at their current stage, soonest due first.

    Args:
        nation: ENG, WLS, SCT or NIR (the settings' `bank_holidays`): which days are working days.

    Raises:
        ValueError: an unknown nation.
    """
    rows = []
    for case_id, items in escalations_by_case.items():
        for item in items:
            esc, record_id = _unwrap(item)
            if esc.is_resolved:
                continue
            stage, late = esc.current_stage, esc.working_days_overdue(today, nation)
            rows.append(EscalationRow(
                case_id=case_id, about=esc.about, raised_by=_party(esc.raised_by), raised_with=_party(esc.raised_with),
                raised_on=esc.raised_on, stage=stage.stage, stage_name=stage.name, started_on=stage.started_on,
                due_on=stage.due_on, overdue=late > 0, working_days_overdue=late,
                child_safe_meanwhile=esc.child_safe_meanwhile, children=tuple(esc.children), record_id=record_id))
    return sorted(rows, key=lambda r: (r.due_on, r.case_id, r.raised_on, r.about))


def counts(actions: Sequence[ActionRow], escalations: Sequence[EscalationRow]) -> Counts:
    """How many actions are open, overdue and repeated, and how many escalations are open and overdue, by stage.

    Takes the rows of `action_rows` and `escalation_rows`, so the summary and the lists agree.
    """
    stages: dict[int, tuple[str, int, int]] = {}
    for row in escalations:
        name, open_, late = stages.get(row.stage, (row.stage_name, 0, 0))
        stages[row.stage] = (name, open_ + 1, late + row.overdue)
    return Counts(
        open_actions=len(actions), overdue_actions=sum(r.overdue for r in actions),
        repeated_actions=sum(r.repeated for r in actions), open_escalations=len(escalations),
        overdue_escalations=sum(r.overdue for r in escalations),
        by_stage=tuple(StageCount(n, name, open_, late) for n, (name, open_, late) in sorted(stages.items())))

"""An action agreed in supervision: what, who, by when, what it should change for the child.

Rules the model keeps (DOMAIN.md sections 5 and 9, bad input 9):

- Every action has an owner (a role or agency, never "professionals" or "all"), a date, and
  the change it should bring for the child.
- A "monitor" action is refused. The rule: set aside filler words (articles, "continue to",
  "keep an eye on", "the situation", "the family", "the children", "closely", "ongoing",
  "safe and well" ...); if nothing is left but watching words (monitor, observe, review,
  support, watch, check, oversee, assess) the action says nothing anyone could do or check,
  and `what` must say what exactly is done or watched. "Monitor the situation" is refused;
  "check the child's lunchbox at school each day" is kept. The example in the refusal names the
  case's own child when the caller gives one (`example_child` in the validation context), never a
  child of another case; without one it says "the child".
- Status is stored as open, done or cancelled. "Overdue" is never stored: it is an open action
  past its date on a given day, from `status_on(today)`, so it can never go stale.
- Done needs evidence (never closed without it); cancelled needs a reason.
- Carrying an action over gives it a new due date, after the one it had (`carry_over`); the dates
  it had before are kept in `earlier_due`, oldest first, so "overdue" is counted from the date now
  agreed while the first date stays on the record. `carried_over` counts the carries (a record
  written before the dates were kept may count more carries than it holds earlier dates).
- An action carried over to a second session or more is flagged (`repeatedly_carried`): an
  action re-issued session after session is a warning sign of drift.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ..textfields import Name, Note
from ..vocab import normalise
from ..wording import day_text
from ._base import Strict, require_owner, require_words, says_nothing

ACTION_KIND = "supervision_action"
STATUSES = ("open", "done", "overdue", "cancelled")
# Carried over this many times or more: flagged as re-issued session after session.
REPEAT_CARRY = 2

_WATCHING = {
    "monitor", "monitoring", "monitored", "observe", "observing", "observation", "observations", "review",
    "reviewing", "reviewed", "support", "supporting", "supported", "watch", "watching", "check", "checking",
    "checked", "oversee", "overseeing", "oversight", "assess", "assessing", "assessment",
}
_FILLER = {
    "a", "an", "the", "and", "or", "to", "of", "on", "in", "at", "with", "for", "be", "is", "are", "will", "it",
    "this", "that", "any", "all", "as", "s", "continue", "continued", "continuing", "ongoing", "going", "keep",
    "keeping", "eye", "eyes", "closely", "close", "regular", "regularly", "further", "general", "generally",
    "overall", "needed", "necessary", "required", "appropriate", "appropriately", "situation", "things",
    "matters", "case", "family", "families", "child", "children", "kids", "parent", "parents", "carer", "carers",
    "mum", "dad", "mother", "father", "progress", "concerns", "issues", "plan", "care", "ensure", "safe",
    "safety", "well", "wellbeing", "welfare", "current", "position", "update", "updates", "tbc",
}
_STATUS_WORDS = {"open": "open", "done": "done", "complete": "done", "completed": "done", "closed": "done",
                 "cancelled": "cancelled", "canceled": "cancelled", "overdue": "overdue"}


def vague_action(what: str) -> bool:
    """True when `what` names no work beyond watching: only filler and watching words are left.

    "monitor", "continue to monitor", "keep an eye", "monitor the situation", "support the
    family" and "ensure the children are safe and well" are vague; "monitor the child's school
    attendance daily and share the figures each Friday" is not.
    """
    left = set(normalise(what).split()) - _FILLER
    return left <= _WATCHING


class Action(Strict):
    """One action from supervision, stored as open, done or cancelled."""

    case_id: str = Field(min_length=1)
    child: str | None = None
    what: Note
    who: Name
    by: date
    change_for_child: Note
    agreed_on: date | None = None
    status: Literal["open", "done", "cancelled"] = "open"
    evidence: Note = ""
    cancel_reason: Note = ""
    carried_over: int = Field(default=0, ge=0)
    earlier_due: list[date] = Field(default_factory=list)  # the due dates before `by`, oldest first

    @field_validator("what")
    @classmethod
    def _what(cls, value: str, info: ValidationInfo) -> str:
        require_words(value, "what", "say what exactly is to be done")
        if vague_action(value):
            raise ValueError(f"what '{value}' is too vague to act on or check: say what exactly is done or "
                             f"watched, e.g. 'check {_possessive(info)} lunchbox at school each day and tell the "
                             "social worker on Fridays' (who does it and by when go in who and by)")
        return value

    @field_validator("who")
    @classmethod
    def _who(cls, value: str) -> str:
        return require_owner(value, "who")

    @field_validator("change_for_child")
    @classmethod
    def _change(cls, value: str, info: ValidationInfo) -> str:
        child = _example_child(info)
        return require_words(value, "change_for_child",
                             f"say what the action should change in the child's daily life, e.g. "
                             f"'{child[0].upper() + child[1:]} has breakfast before school'")

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        status = _STATUS_WORDS.get(normalise(value))
        if status == "overdue":
            raise ValueError("status 'overdue' is worked out from the date, never stored: save the action as "
                             "open (it shows as overdue once its date has passed)")
        if status is None:
            raise ValueError(f"status '{value}' is not one of open, done or cancelled")
        return status

    @field_validator("evidence", "cancel_reason")
    @classmethod
    def _nothing_is_blank(cls, value: str) -> str:
        # "n/a" in a closing note is the same as no note: store it as blank so the rule below sees it.
        return "" if says_nothing(value) else value

    @model_validator(mode="after")
    def _closing(self) -> Action:
        if self.status == "done" and not self.evidence:
            raise ValueError("evidence is needed to mark an action done (closed without evidence): say what "
                             "shows it was done and what changed for the child")
        if self.status == "cancelled" and not self.cancel_reason:
            raise ValueError("cancel_reason is needed to cancel an action: say why it is no longer needed")
        if self.agreed_on and self.by < self.agreed_on:
            raise ValueError(f"by ({day_text(self.by)}) is before the action was agreed on "
                             f"{day_text(self.agreed_on)}")
        dates = [*self.earlier_due, self.by]
        if any(later <= earlier for earlier, later in pairwise(dates)):
            raise ValueError("earlier_due must run oldest first, each before the next and before by "
                             f"({', '.join(day_text(d) for d in dates)})")
        return self

    def status_on(self, today: date) -> str:
        """"overdue" for an open action whose date `by` is before `today`; otherwise the stored status."""
        return "overdue" if self.status == "open" and self.by < today else self.status

    @property
    def first_due(self) -> date:
        """The date the action was first due (its only date if it was never carried over with a new one)."""
        return self.earlier_due[0] if self.earlier_due else self.by

    @property
    def repeatedly_carried(self) -> bool:
        """Carried over to a second session or more: a warning sign that the plan is drifting."""
        return self.carried_over >= REPEAT_CARRY


def _example_child(info: ValidationInfo) -> str:
    # the case's own child, as the caller names it; never a child of another case
    given = (info.context or {}).get("example_child") if isinstance(info.context, dict) else None
    return str(given).strip() if given and str(given).strip() else "the child"


def _possessive(info: ValidationInfo) -> str:
    child = _example_child(info)
    return f"{child}'" if child.endswith("s") and child != "the child" else f"{child}'s"


def _changed(action: Action, **changes: Any) -> Action:
    # model_copy skips validation; a changed action must meet every rule a new one does.
    return Action.model_validate(action.model_dump() | changes)


def _only_open(action: Action, doing: str) -> None:
    if action.status != "open":
        raise ValueError(f"only an open action can be {doing}: '{action.what}' is {action.status}")


def carry_over(action: Action, *, by: date) -> Action:
    """The action carried to the next session: `carried_over` one more, due on `by`, its old date kept.

    Raises:
        ValueError: the action is done or cancelled; `by` is not after the date the action is due now.
    """
    _only_open(action, "carried over")
    if by <= action.by:
        raise ValueError(f"the new due date of '{action.what}' ({day_text(by)}) must fall after the date it is "
                         f"due now, {day_text(action.by)}")
    return _changed(action, carried_over=action.carried_over + 1, by=by, earlier_due=[*action.earlier_due, action.by])


def mark_done(action: Action, evidence: str) -> Action:
    """The action closed as done, with the evidence it was done.

    Raises:
        ValueError: the action is not open, or the evidence is blank.
    """
    _only_open(action, "marked done")
    return _changed(action, status="done", evidence=evidence)


def cancel(action: Action, reason: str) -> Action:
    """The action cancelled, with the reason.

    Raises:
        ValueError: the action is not open, or the reason is blank.
    """
    _only_open(action, "cancelled")
    return _changed(action, status="cancelled", cancel_reason=reason)

"""The form that raises a professional disagreement, shared by the actions and escalation app and the
reflective session (where ticking "escalation was considered" opens it, pre-filled for the case).

The form holds values only; the rules are `escalation.open_escalation`'s, and its refusal is shown
beside the button in the model's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import ipywidgets as w
from pydantic import ValidationError

from ..config import Settings
from ..store import Store
from ..ui.fields import STYLE, area, button, date_field, text
from ..ui.guard import guard
from ..ui.panels import esc, problems, say
from ..wording import day_text
from . import records
from .escalation import ESCALATION_KIND, Escalation, open_escalation


class RaiseForm:
    """Case, children, who raises it with whom, what it is about, how the child is kept safe, the day."""

    def __init__(self, store: Store, cfg: Settings, today: date, *, fixed_case: bool = False):
        """`fixed_case`: the form is for one case, set by `prefill` and named in words, with no case picker
        (the reflective session's own case picker is the page's only one)."""
        self.store, self.settings = store, cfg
        self.case = w.Dropdown(description="Case", style=STYLE, layout=w.Layout(width="36em"))
        self.children = w.SelectMultiple(description="Children", style=STYLE, rows=3)
        self.raised_by, self.raised_by_role = text("Raised by"), text("Role or agency (raised by)")
        self.raised_with, self.raised_with_role = text("Raised with"), text("Role or agency (raised with)")
        self.about = area("What the disagreement is about")
        self.safe = area("How the child is kept safe meanwhile")
        self.raised_on = date_field("Raised on", today)
        self.button = button("Raise the disagreement", "primary")
        self.message = w.HTML()
        self.case.observe(guard("list the case's children", self.message,
                                lambda ch: self.list_children(ch["new"])), names="value")
        self.case_named = w.HTML()
        self.widget = w.VBox([self.case_named if fixed_case else self.case, self.children,
                              w.HBox([self.raised_by, self.raised_by_role]),
                              w.HBox([self.raised_with, self.raised_with_role]), self.about, self.safe,
                              self.raised_on, self.button, self.message])

    def list_children(self, case_id: str | None, chosen: Sequence[str] = ()) -> None:
        """The case's children as options, `chosen` selected."""
        kids = self.store.people(case_id, kind="child") if case_id else []
        self.children.options = [(k["name"], k["id"]) for k in kids]
        self.children.value = tuple(c for c in chosen if c in {k["id"] for k in kids})

    def prefill(self, case_id: str, title: str, children: Sequence[str], raised_by: str, on: date | None) -> None:
        """The form for one case (which cannot be changed here), its children chosen, who raises it and when."""
        self.case.options = [(title, case_id)]
        self.case.value = case_id
        self.case.disabled = True
        self.case_named.value = f"<p><strong>Case</strong>: {esc(title)}</p>"
        self.list_children(case_id, children)
        if raised_by and not self.raised_by.value.strip():
            self.raised_by.value = raised_by
        if on is not None:
            self.raised_on.value = on

    def raise_(self) -> tuple[str, Escalation] | None:
        """Record the disagreement at stage 1 (due by the settings' working days): its record id and the
        record; None, with the reason shown beside the button, when a rule refuses it."""
        case_id = self.case.value or ""
        try:
            raised = open_escalation(
                case_id=case_id, children=list(self.children.value),
                raised_by={"name": self.raised_by.value.strip(), "role": self.raised_by_role.value.strip()},
                raised_with={"name": self.raised_with.value.strip(), "role": self.raised_with_role.value.strip()},
                about=self.about.value.strip(), child_safe_meanwhile=self.safe.value.strip(),
                raised_on=self.raised_on.value or date.today(), stages=self.settings.escalation_stages,
                nation=self.settings.bank_holidays)
        except (ValidationError, ValueError) as exc:
            self.message.value = say(f"Not raised: {problems(exc)}", alert=True)
            return None
        version = records.save_new(self.store, ESCALATION_KIND, case_id, raised, "disagreement raised")
        self.message.value = say(f"Raised at stage 1 ({raised.current_stage.name}), due {day_text(raised.due_on)}.")
        for control in (self.about, self.safe, self.raised_by, self.raised_by_role, self.raised_with,
                        self.raised_with_role):
            control.value = ""
        return version.record_id, raised

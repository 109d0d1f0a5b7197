"""Actions and escalation: a supervisor's view across cases.

Open, overdue and repeatedly carried actions; open escalations of professional disagreement by
stage and due date (working days, with the bank holidays of the nation in the settings). From
here an action is closed with its evidence or cancelled with a reason, and a disagreement is
raised, moved to its next stage, or resolved with what was learnt.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

import ipywidgets as w
from pydantic import BaseModel, ValidationError

from ..config import Settings, settings
from ..reports.html import style_block
from ..store import StaleEdit, Store
from ..supervision import records
from ..supervision.actions import cancel, mark_done
from ..supervision.calendar import NATIONS
from ..supervision.escalation import ESCALATION_KIND, escalate, open_escalation, resolve
from ..supervision.overview import action_rows, counts, escalation_rows
from ..supervision.records import Stored
from ..ui.fields import STYLE, area, button, date_field, refill, text
from ..ui.guard import guard
from ..ui.panels import FailedApp, esc, html_table, open_app, problems, say
from ..wording import count_words, day_text

M = TypeVar("M", bound=BaseModel)


class ActionsEscalationApp:
    """The app for one store and user; `.widget` is what the notebook shows."""

    def __init__(self, store: Store, cfg: Settings | None = None, today: date | None = None):
        self.store = store
        self.settings = cfg or settings()
        self.today = today or date.today()
        self.titles: dict[str, str] = {}
        self.summary, self.action_table, self.escalation_table = w.HTML(), w.HTML(), w.HTML()
        # closing an action
        self.action_picker = w.Dropdown(description="Action", style=STYLE, layout=w.Layout(width="48em"))
        self.action_text = text("Evidence, or reason", "what shows it was done / why it is no longer needed")
        self.done_button = button("Mark done", "primary")
        self.cancel_button = button("Cancel the action")
        self.action_message = w.HTML()
        # an escalation
        self.escalation_picker = w.Dropdown(description="Disagreement", style=STYLE, layout=w.Layout(width="48em"))
        self.step_note = text("Why it moves on", "what was tried at this stage, and why it did not settle it")
        self.step_on = date_field("On", self.today)
        self.escalate_button = button("Escalate to the next stage")
        self.resolution = area("How it was resolved")
        self.learning = area("What was learnt")
        self.resolve_button = button("Resolve")
        self.escalation_message = w.HTML()
        # raising one
        self.raise_case = w.Dropdown(description="Case", style=STYLE, layout=w.Layout(width="36em"))
        self.raise_children = w.SelectMultiple(description="Children", style=STYLE, rows=3)
        self.raised_by, self.raised_by_role = text("Raised by"), text("Role or agency (raised by)")
        self.raised_with, self.raised_with_role = text("Raised with"), text("Role or agency (raised with)")
        self.about = area("What the disagreement is about")
        self.safe = area("How the child is kept safe meanwhile")
        self.raised_on = date_field("Raised on", self.today)
        self.raise_button = button("Raise the disagreement", "primary")
        self.raise_message = w.HTML()

        self.done_button.on_click(guard("close the action", self.action_message,
                                        lambda _: self.close_action("done"), writes=True))
        self.cancel_button.on_click(guard("cancel the action", self.action_message,
                                          lambda _: self.close_action("cancelled"), writes=True))
        self.escalate_button.on_click(guard("escalate the disagreement", self.escalation_message,
                                            lambda _: self.step("escalate"), writes=True))
        self.resolve_button.on_click(guard("resolve the disagreement", self.escalation_message,
                                           lambda _: self.step("resolve"), writes=True))
        self.raise_case.observe(guard("list the case's children", self.raise_message,
                                      lambda ch: self._children(ch["new"])), names="value")
        self.raise_button.on_click(guard("raise the disagreement", self.raise_message,
                                         lambda _: self.raise_disagreement(), writes=True))

        stages = "".join(f"<li>Stage {n}: {esc(name)}, {count_words(days, 'working day')}</li>"
                         for n, (name, days) in enumerate(self.settings.escalation_stages, 1))
        self.widget = w.VBox([
            w.HTML(style_block()), self.summary,
            w.HTML("<h2>Open actions, across cases</h2>"), self.action_table,
            self.action_picker, self.action_text, w.HBox([self.done_button, self.cancel_button]), self.action_message,
            w.HTML(f"<h2>Escalations of professional disagreement</h2><p>Stages and timescales (working days, "
                   f"bank holidays of {esc(NATIONS[self.settings.bank_holidays])} excluded):</p><ul>{stages}</ul>"),
            self.escalation_table, self.escalation_picker, self.step_on, self.step_note, self.escalate_button,
            self.resolution, self.learning, self.resolve_button, self.escalation_message,
            w.HTML("<h3>Raise a disagreement</h3>"), self.raise_case, self.raise_children,
            w.HBox([self.raised_by, self.raised_by_role]), w.HBox([self.raised_with, self.raised_with_role]),
            self.about, self.safe, self.raised_on, self.raise_button, self.raise_message])
        self.refresh()

    @classmethod
    def open(cls, store: Store | None = None) -> ActionsEscalationApp | FailedApp:
        """The app, or a panel saying why it could not open (never a traceback)."""
        return open_app(lambda: cls(store or Store.open()), "The actions and escalation app could not be opened")

    def refresh(self) -> None:
        """Read every case's actions and escalations again."""
        cases = self.store.cases()
        self.titles = {c["id"]: c["title"] for c in cases}
        self.actions = {c: records.actions(self.store, c) for c in self.titles}
        self.escalations = {c: records.escalations(self.store, c) for c in self.titles}
        nation = self.settings.bank_holidays
        a_rows = action_rows(self.actions, self.today)
        e_rows = escalation_rows(self.escalations, self.today, nation)
        n = counts(a_rows, e_rows)
        by_stage = "; ".join(f"stage {s.stage} ({s.name}): {s.open}" + (f", {s.overdue} overdue" if s.overdue else "")
                             for s in n.by_stage if s.open)
        self.summary.value = (f"<p>As on {day_text(self.today)}: <strong>{count_words(n.open_actions, 'open action')}"
                              f"</strong>, {n.overdue_actions} overdue and {n.repeated_actions} carried over twice or "
                              f"more; <strong>{count_words(n.open_escalations, 'open escalation')}</strong>, "
                              f"{n.overdue_escalations} overdue.</p>"
                              + (f"<p>Open escalations by stage: {esc(by_stage)}.</p>" if by_stage else ""))
        self.action_table.value = html_table(
            ["Case", "Action", "Who", "By", "Status", "Carried over"],
            [[self.titles[r.case_id], r.what, r.who, day_text(r.by),
              r.status + (f", {r.days_overdue} days" if r.overdue else ""),
              f"{r.carried_over}" + (": again, what stands in its way?" if r.repeated else "")] for r in a_rows],
            caption="Overdue first") if a_rows else "<p>No open actions.</p>"
        self.escalation_table.value = html_table(
            ["Case", "About", "Raised by", "With", "Stage", "Due", "Overdue", "The child meanwhile"],
            [[self.titles[r.case_id], r.about, r.raised_by, r.raised_with, f"{r.stage}: {r.stage_name}",
              day_text(r.due_on), f"yes, {r.working_days_overdue} working days" if r.overdue else "no",
              r.child_safe_meanwhile] for r in e_rows],
            caption="By due date") if e_rows else "<p>No open escalations.</p>"
        # a refresh keeps what was chosen: the next step must never act on another record
        refill(self.action_picker, [(f"{self.titles[r.case_id]}: {r.what} (by {day_text(r.by)})",
                                      (r.case_id, r.record_id)) for r in a_rows])
        refill(self.escalation_picker, [(f"{self.titles[r.case_id]}: {r.about[:60]} (stage {r.stage})",
                                          (r.case_id, r.record_id)) for r in e_rows])
        refill(self.raise_case, [(t, c) for c, t in self.titles.items()])
        self._children(self.raise_case.value)

    def _children(self, case_id: str | None) -> None:
        kids = self.store.people(case_id, kind="child") if case_id else []
        self.raise_children.options = [(k["name"], k["id"]) for k in kids]

    def close_action(self, how: str) -> bool:
        """Mark the chosen action done (with evidence) or cancel it (with a reason)."""
        if not self.action_picker.value:
            self.action_message.value = say("Choose an action first.", alert=True)
            return False
        case_id, record_id = self.action_picker.value
        stored = next(a for a in self.actions[case_id] if a.record_id == record_id)
        changed = self._save(stored, lambda: (mark_done if how == "done" else cancel)(
            stored.model, self.action_text.value.strip()), "closed" if how == "done" else "cancelled",
            self.action_message)
        if changed is None:
            return False
        self.action_message.value = say(f"Action {'done' if how == 'done' else 'cancelled'}: {stored.model.what}")
        self.action_text.value = ""
        self.refresh()
        return True

    def step(self, how: str) -> bool:
        """Move the chosen disagreement to its next stage, or resolve it."""
        if not self.escalation_picker.value:
            self.escalation_message.value = say("Choose a disagreement first.", alert=True)
            return False
        case_id, record_id = self.escalation_picker.value
        stored = next(e for e in self.escalations[case_id] if e.record_id == record_id)
        on = self.step_on.value or self.today
        changed = self._save(stored, lambda: escalate(
            stored.model, on, self.step_note.value.strip(), self.settings.escalation_stages,
            self.settings.bank_holidays) if how == "escalate" else resolve(
            stored.model, on, self.resolution.value.strip(), self.learning.value.strip()),
            "escalated" if how == "escalate" else "resolved", self.escalation_message)
        if changed is None:
            return False
        now = changed.current_stage
        self.escalation_message.value = say(
            f"Moved to stage {now.stage} ({now.name}), due {day_text(now.due_on)}." if how == "escalate"
            else f"Resolved on {day_text(on)}.")
        for control in (self.step_note, self.resolution, self.learning):
            control.value = ""
        self.refresh()
        return True

    def _save(self, stored: Stored[M], change: Callable[[], M], reason: str, message: w.HTML) -> M | None:
        """Make the change (the model's rules check it) and save it from the version read; say why not."""
        try:
            changed = change()
            records.save_edit(self.store, stored, changed, reason)
        except (ValidationError, ValueError) as exc:
            message.value = say(f"Not changed: {problems(exc)}", alert=True)
            return None
        except StaleEdit as conflict:  # someone changed it first: show theirs, never overwrite it
            message.value = say(f"Not changed: {conflict}", alert=True)
            self.refresh()
            return None
        return changed

    def raise_disagreement(self) -> bool:
        """Record a new disagreement at stage 1, due by the settings' working days."""
        case_id = self.raise_case.value
        try:
            esc_ = open_escalation(
                case_id=case_id or "", children=list(self.raise_children.value),
                raised_by={"name": self.raised_by.value.strip(), "role": self.raised_by_role.value.strip()},
                raised_with={"name": self.raised_with.value.strip(), "role": self.raised_with_role.value.strip()},
                about=self.about.value.strip(), child_safe_meanwhile=self.safe.value.strip(),
                raised_on=self.raised_on.value or self.today, stages=self.settings.escalation_stages,
                nation=self.settings.bank_holidays)
        except (ValidationError, ValueError) as exc:
            self.raise_message.value = say(f"Not raised: {problems(exc)}", alert=True)
            return False
        records.save_new(self.store, ESCALATION_KIND, case_id, esc_, "disagreement raised")
        self.raise_message.value = say(f"Raised at stage 1 ({esc_.current_stage.name}), due "
                                       f"{day_text(esc_.due_on)}.")
        for control in (self.about, self.safe, self.raised_by, self.raised_by_role, self.raised_with,
                        self.raised_with_role):
            control.value = ""
        self.refresh()
        return True


"""Actions and escalation: a supervisor's view across cases.

Open, overdue and repeatedly carried actions (with the date each was first due); open escalations
of professional disagreement by stage and due date (working days, with the bank holidays of the
nation in the settings), and each disagreement's course, stage by stage with its dates (raised,
each stage reached, resolved). From here an action is closed with its evidence or cancelled with
a reason, and a disagreement is raised, moved to its next stage, or resolved with what was learnt.
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
from ..store.identity import Person
from ..supervision import records
from ..supervision.actions import cancel, mark_done
from ..supervision.calendar import NATIONS
from ..supervision.escalation import Escalation, escalate, resolve, stage_history
from ..supervision.escalation_form import RaiseForm
from ..supervision.overview import action_rows, counts, escalation_rows
from ..supervision.records import Stored
from ..ui.fields import STYLE, area, button, date_field, refill, text
from ..ui.guard import guard
from ..ui.panels import FailedApp, esc, html_table, open_app, problems, say
from ..ui.roles import RoleApp, no_cases
from ..wording import count_words, day_text

M = TypeVar("M", bound=BaseModel)


class ActionsEscalationApp:
    """The app for one store and user; `.widget` is what the notebook shows."""

    def __init__(self, store: Store, cfg: Settings | None = None, today: date | None = None, *,
                 person: Person | None = None):
        self.store = store
        self.person = person or store.person()
        self.settings = cfg or settings()
        self.today = today or date.today()
        self.titles: dict[str, str] = {}
        self.summary, self.action_table, self.escalation_table = w.HTML(), w.HTML(), w.HTML()
        self.histories = w.HTML()
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
        # raising one: the form the reflective session opens too
        self.raise_form = form = RaiseForm(store, self.settings, self.today)
        self.raise_case, self.raise_children, self.raise_button, self.raise_message = (
            form.case, form.children, form.button, form.message)
        self.raised_by, self.raised_by_role, self.raised_with, self.raised_with_role = (
            form.raised_by, form.raised_by_role, form.raised_with, form.raised_with_role)
        self.about, self.safe, self.raised_on = form.about, form.safe, form.raised_on

        self.done_button.on_click(guard("close the action", self.action_message,
                                        lambda _: self.close_action("done"), writes=True))
        self.cancel_button.on_click(guard("cancel the action", self.action_message,
                                          lambda _: self.close_action("cancelled"), writes=True))
        self.escalate_button.on_click(guard("escalate the disagreement", self.escalation_message,
                                            lambda _: self.step("escalate"), writes=True))
        self.resolve_button.on_click(guard("resolve the disagreement", self.escalation_message,
                                           lambda _: self.step("resolve"), writes=True))
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
            self.escalation_table, self.histories, self.escalation_picker, self.step_on, self.step_note,
            self.escalate_button, self.resolution, self.learning, self.resolve_button, self.escalation_message,
            w.HTML("<h3>Raise a disagreement</h3>"), form.widget])
        self.refresh()

    @classmethod
    def open(cls, store: Store | None = None, person: Person | None = None
             ) -> ActionsEscalationApp | RoleApp | FailedApp:
        """The app, or a panel saying why it could not open (never a traceback)."""
        return open_app(lambda s, p: cls(s, person=p), "The actions and escalation app could not be opened", store,
                        person, name="Actions and escalation")

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
                              + (f"<p>Open escalations by stage: {esc(by_stage)}.</p>" if by_stage else "")
                              + ("" if cases else say(no_cases(self.person))))
        self.action_table.value = html_table(
            ["Case", "Action", "Who", "By", "Status", "Carried over"],
            [[self.titles[r.case_id], r.what, r.who, day_text(r.by) + (
                f" (first due {day_text(r.first_due)})" if r.first_due else ""),
              r.status + (f", {r.days_overdue} days" if r.overdue else ""),
              (count_words(r.carried_over, "time") if r.carried_over else "not yet")
              + (": again, what stands in its way?" if r.repeated else "")] for r in a_rows],
            caption="Overdue first") if a_rows else "<p>No open actions.</p>"
        self.escalation_table.value = html_table(
            ["Case", "About", "Raised by", "With", "Stage", "Due", "Overdue", "The child meanwhile"],
            [[self.titles[r.case_id], r.about, r.raised_by, r.raised_with, f"{r.stage}: {r.stage_name}",
              day_text(r.due_on), f"yes, {r.working_days_overdue} working days" if r.overdue else "no",
              r.child_safe_meanwhile] for r in e_rows],
            caption="By due date") if e_rows else "<p>No open escalations.</p>"
        self.histories.value = self._histories()
        # a refresh keeps what was chosen: the next step must never act on another record
        refill(self.action_picker, [(f"{self.titles[r.case_id]}: {r.what} (by {day_text(r.by)})",
                                      (r.case_id, r.record_id)) for r in a_rows])
        refill(self.escalation_picker, [(f"{self.titles[r.case_id]}: {r.about[:60]} (stage {r.stage})",
                                          (r.case_id, r.record_id)) for r in e_rows])
        refill(self.raise_case, [(t, c) for c, t in self.titles.items()])
        self.raise_form.list_children(self.raise_case.value, self.raise_children.value)

    def _histories(self) -> str:
        """Each disagreement's course, stage by stage with its dates: open ones first, by due date, then the
        resolved ones, latest first. Each folds, its heading saying where it stands."""
        held = [(c, s.model) for c, items in self.escalations.items() for s in items]
        open_, done = [x for x in held if not x[1].is_resolved], [x for x in held if x[1].is_resolved]
        open_.sort(key=lambda x: x[1].due_on)
        done.sort(key=lambda x: x[1].resolved_on or x[1].raised_on, reverse=True)
        if not held:
            return ""
        parts = [self._history(c, e) for c, e in (*open_, *done)]
        return ("<h3>Each disagreement, stage by stage</h3><p>Raised, each stage reached and resolved, with the "
                "dates.</p>" + "".join(parts))

    def _history(self, case_id: str, e: Escalation) -> str:
        stage = e.current_stage
        where = (f"resolved on {day_text(e.resolved_on)}" if e.resolved_on else
                 f"stage {stage.stage} ({stage.name}) since {day_text(stage.started_on)}, due {day_text(e.due_on)}")
        about = e.about if len(e.about) <= 80 else e.about[:79].rstrip() + "\u2026"
        rows = [[day_text(h.on), h.what, day_text(h.due_on) if h.due_on else "", h.note] for h in stage_history(e)]
        table = html_table(["On", "What happened", "Due", "Note"], rows,
                           caption=f"{self.titles.get(case_id, case_id)}: raised {day_text(e.raised_on)}")
        return (f'<details class="nk-escalation-history"><summary>{esc(self.titles.get(case_id, case_id))}: '
                f"{esc(about)} ({esc(where)})</summary>{table}</details>")

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
        if self.raise_form.raise_() is None:
            return False
        self.refresh()
        return True


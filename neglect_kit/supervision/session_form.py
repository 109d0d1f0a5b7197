"""The session record as a form: who and when, last time's actions, the reflective cycle, the 4x4x4
model, decisions, escalation, the next date and the restricted wellbeing notes.

The form holds values only; checking is the model's (`SupervisionSession`), so the rules live in
one place and the app shows the model's messages beside the form.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as w

from ..ui.fields import STYLE, area, button, choice, date_field, text
from ..ui.guard import guard
from ..ui.panels import esc
from ..wording import count_words, day_text
from .actions import Action
from .session import CYCLE, FUNCTIONS, PROMPTS, STAKEHOLDERS, SupervisionSession

TYPES = [("Case supervision", "case"), ("Group supervision", "group"), ("Ad hoc", "ad_hoc")]
OUTCOMES = [("Done", "done"), ("Carried over", "carried_over"), ("Cancelled", "cancelled")]
# what everyone but the session's two people reads in place of its wellbeing notes
RESTRICTED_NOTE = "Only the session's supervisor and worker can read this"
ESCALATION_CHOICES = [("Raise a disagreement now", "raise"), ("Do not escalate now: say why", "not_now")]


class ReviewRow:
    """One of last time's actions, looked at again; carried over, it asks for the date it is due now."""

    def __init__(self, n: int, action_id: str, action: Action | None, what: str, today: date,
                 was_due: date | None = None):
        self.action_id, self.what = action_id, what
        self.was_due = was_due or (action.by if action and action.status == "open" else None)
        self.label = w.HTML(f"<p><strong>{n}.</strong> {esc(what)}{esc(review_label(action, today))}</p>")
        self.outcome = choice(f"Outcome of action {n}", OUTCOMES)
        self.note = text(f"Note on action {n}", "evidence it was done, or why not and what now")
        self.new_by = date_field(f"New due date of action {n}")
        self.new_by_hint = w.HTML(f"<p class='nk-note'>Carried over: the date it is due now, after "
                                  f"{esc(day_text(self.was_due))} and after this session.</p>" if self.was_due else
                                  "<p class='nk-note'>Carried over: the date it is due now, after this session.</p>")
        self.carry_box = w.VBox([self.new_by, self.new_by_hint])
        self.outcome.observe(guard("ask for the new due date", self.new_by_hint, lambda _: self._show_date()),
                             names="value")
        self._show_date()
        self.widget = w.VBox([self.label, w.HBox([self.outcome, self.note]), self.carry_box])

    def _show_date(self) -> None:
        self.carry_box.layout.display = None if self.outcome.value == "carried_over" else "none"

    def values(self) -> dict[str, Any]:
        carried = self.outcome.value == "carried_over"
        return {"action_id": self.action_id, "what": self.what, "outcome": self.outcome.value or None,
                "note": self.note.value.strip(), "was_due": self.was_due,
                "new_by": self.new_by.value if carried else None}


def review_label(action: Action | None, today: date) -> str:
    """" (due 30 Jun 2023, social worker; overdue 1,245 days; carried over 2 times, first due 28 Feb 2023)":
    overdue counted from the date it is due now."""
    if action is None:
        return ""
    status = action.status_on(today)
    if status == "overdue":
        status += f" {(today - action.by).days:,} days"
    carried = f"; carried over {count_words(action.carried_over, 'time')}" if action.carried_over else ""
    first = f", first due {day_text(action.first_due)}" if action.earlier_due else ""
    return f" (due {day_text(action.by)}, {action.who}; {status}{carried}{first})"


class DecisionRow:
    def __init__(self, n: int):
        self.decision = text(f"Decision {n}", width="60em")
        self.reason = text(f"Reason for decision {n}", "why: so a reader can follow the thinking", width="60em")
        self.widget = w.VBox([self.decision, self.reason])


class SessionForm:
    """The widgets of one session record; `values()` gives what the model takes."""

    def __init__(self, user: str):
        self.session_type = w.Dropdown(description="Type", options=TYPES, value="case", style=STYLE,
                                       layout=w.Layout(width="30em"))
        self.held_on = date_field("Date held", date.today())
        self.supervisor = text("Supervisor")
        self.supervisor.value = user
        self.worker = text("Worker")
        self.reviews: list[ReviewRow] = []
        self.review_box = w.VBox()
        self.stages = {code: area(label, rows=5) for code, label in CYCLE.items()}
        self.functions = {code: w.Checkbox(description=label, indent=False) for code, label in FUNCTIONS.items()}
        self.stakeholders = {code: w.Checkbox(description=label, indent=False) for code, label in STAKEHOLDERS.items()}
        self.decisions = [DecisionRow(1)]
        self.decision_box = w.VBox([self.decisions[0].widget])
        self.add_decision = button("Add another decision")
        self.decision_message = w.HTML()
        self.add_decision.on_click(guard("add a decision", self.decision_message, lambda _: self._more_decisions()))
        self.escalation_considered = w.Checkbox(description="Escalation was considered", indent=False)
        self.escalation_choice = w.RadioButtons(description="Decided", options=ESCALATION_CHOICES, value=None,
                                                style=STYLE, layout=w.Layout(width="auto"))
        self.escalation_note = area("Why it was not escalated (required)",
                                    "what was weighed, and why a disagreement was not raised", hides=True)
        self.escalation_raise_box = w.VBox()  # the app puts the raise form here
        self.escalation_box = w.VBox([self.escalation_choice, self.escalation_note, self.escalation_raise_box])
        self.escalation_considered.observe(guard("show the escalation choices", self.decision_message,
                                                 lambda _: self.show_escalation()), names="value")
        self.escalation_choice.observe(guard("show the escalation choice", self.decision_message,
                                             lambda _: self.show_escalation()), names="value")
        self.next_on = date_field("Next session")
        self.wellbeing = area("The worker's wellbeing (restricted)",
                              "seen only by the supervisor and the worker; never printed or exported", hides=True)
        self.wellbeing_note = w.HTML()
        stage_parts = []
        for code, box in self.stages.items():
            tips = "".join(f"<li>{esc(p)}</li>" for p in PROMPTS[code])
            stage_parts += [w.HTML(f"<h4>{esc(CYCLE[code])}</h4><ul class='nk-prompts'>{tips}</ul>"), box]
        self.widget = w.VBox([
            w.HTML("<h3>The session</h3>"), w.HBox([self.session_type, self.held_on]),
            w.HBox([self.supervisor, self.worker]),
            w.HTML("<h3>Actions from last time</h3>"), self.review_box,
            w.HTML("<h3>The reflective cycle</h3>"), *stage_parts,
            w.HTML("<h3>The 4x4x4 model: what this session covered</h3><h4>Functions</h4>"),
            w.HBox(list(self.functions.values())), w.HTML("<h4>Stakeholders</h4>"),
            w.HBox(list(self.stakeholders.values())),
            w.HTML("<h3>Decisions and their reasons</h3>"), self.decision_box, self.add_decision, self.decision_message,
            w.HTML("<h3>Escalation and the next session</h3>"), self.escalation_considered, self.escalation_box,
            self.next_on,
            w.HTML("<h3>The worker's wellbeing</h3>"), self.wellbeing_note, self.wellbeing])

        self.show_escalation()

    def show_escalation(self) -> None:
        """Escalation considered: raise a disagreement (the app's raise form) or say why not."""
        considered, chosen = self.escalation_considered.value, self.escalation_choice.value
        self.escalation_box.layout.display = None if considered else "none"
        self.escalation_note.layout.display = None if considered and chosen == "not_now" else "none"
        self.escalation_raise_box.layout.display = None if considered and chosen == "raise" else "none"

    def _more_decisions(self) -> None:
        self.decisions.append(DecisionRow(len(self.decisions) + 1))
        self.decision_box.children = tuple(d.widget for d in self.decisions)

    def set_reviews(self, items: list[tuple[str, Action | None, str]], today: date,
                    was_due: list[date | None] | None = None) -> None:
        """Last time's actions: (record id, the action if still held, what it said); `was_due`, a saved
        session's own record of when each was due."""
        dates = was_due or [None] * len(items)
        self.reviews = [ReviewRow(n, rid, action, what, today, due)
                        for n, ((rid, action, what), due) in enumerate(zip(items, dates, strict=True), 1)]
        self.review_box.children = tuple(r.widget for r in self.reviews) or (
            w.HTML("<p>No open actions from earlier sessions.</p>"),)

    def show_wellbeing(self, allowed: bool, supervisor: str, worker: str) -> None:
        """Only the supervisor and the worker see the wellbeing notes, or can write them."""
        self.wellbeing.layout.display = None if allowed else "none"
        who = f"{supervisor} and {worker}" if supervisor and worker else "the supervisor and the worker"
        self.wellbeing_note.value = (f"<p>Seen only by {esc(who)}: never printed, exported or analysed.</p>"
                                     if allowed else f"<p>{esc(RESTRICTED_NOTE)} ({esc(who)}).</p>")

    def stage_texts(self) -> dict[str, str]:
        return {code: box.value for code, box in self.stages.items()}

    def values(self, case_id: str) -> dict[str, Any]:
        """The form as the model's fields (challenges, new actions and sign-off are the app's)."""
        return {
            "session_type": self.session_type.value, "held_on": self.held_on.value,
            "supervisor": self.supervisor.value.strip(), "worker": self.worker.value.strip(), "cases": [case_id],
            "actions_reviewed": [r.values() for r in self.reviews],
            "stages": {code: text.strip() for code, text in self.stage_texts().items()},
            "functions_covered": [c for c, box in self.functions.items() if box.value],
            "stakeholders_covered": [c for c, box in self.stakeholders.items() if box.value],
            "decisions": [{"decision": d.decision.value.strip(), "reason": d.reason.value.strip()}
                          for d in self.decisions if d.decision.value.strip() or d.reason.value.strip()],
            "escalation_considered": self.escalation_considered.value,
            "escalation_note": self.escalation_note.value.strip() if self.escalation_considered.value else "",
            "next_on": self.next_on.value,
            "wellbeing": self.wellbeing.value.strip(),
        }

    def fill(self, s: SupervisionSession, actions: dict[str, Action], today: date) -> None:
        """Show a saved session (its wellbeing notes only if the caller read them)."""
        self.session_type.value, self.held_on.value = s.session_type, s.held_on
        self.supervisor.value, self.worker.value = s.supervisor, s.worker
        self.set_reviews([(r.action_id, actions.get(r.action_id), r.what) for r in s.actions_reviewed], today,
                         [r.was_due for r in s.actions_reviewed])
        for row, r in zip(self.reviews, s.actions_reviewed, strict=True):
            row.outcome.value, row.note.value, row.new_by.value = r.outcome or "", r.note, r.new_by
        for code, box in self.stages.items():
            box.value = getattr(s.stages, code)
        for code, box in self.functions.items():
            box.value = code in s.functions_covered
        for code, box in self.stakeholders.items():
            box.value = code in s.stakeholders_covered
        self.decisions = [DecisionRow(n) for n in range(1, max(len(s.decisions), 1) + 1)]
        for row, d in zip(self.decisions, s.decisions, strict=False):
            row.decision.value, row.reason.value = d.decision, d.reason
        self.decision_box.children = tuple(d.widget for d in self.decisions)
        self.escalation_considered.value, self.escalation_note.value = s.escalation_considered, s.escalation_note
        self.escalation_choice.value = ("raise" if s.escalations_raised else "not_now") if s.escalation_considered \
            else None
        self.next_on.value, self.wellbeing.value = s.next_on, s.wellbeing

    def lock(self, locked: bool) -> None:
        """A signed record is read-only here: changes go through an amendment."""
        for control in self.controls():
            control.disabled = locked

    def controls(self) -> list[w.Widget]:
        rows = [c for r in self.reviews for c in (r.outcome, r.note, r.new_by)] + \
            [c for d in self.decisions for c in (d.decision, d.reason)]
        return [self.session_type, self.held_on, self.supervisor, self.worker, *rows, *self.stages.values(),
                *self.functions.values(), *self.stakeholders.values(), self.add_decision,
                self.escalation_considered, self.escalation_choice, self.escalation_note, self.next_on,
                self.wellbeing]

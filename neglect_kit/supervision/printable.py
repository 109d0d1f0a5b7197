"""The printable record of a supervision session, for the case file (HTML and PDF).

Every part of the record is printed: the details, the actions from last time, each stage of the
reflective cycle, the 4x4x4 model, the challenges, the decisions with their reasons, the actions
agreed, escalation, sign-off and every amendment. Notes on the worker's own wellbeing are never
printed (DOMAIN.md section 5): the document is built only from `public_body`, the record with the
restricted fields and their amendments already taken out, so they cannot reach it by mistake.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from ..reports.document import Block, Document, Heading, Paragraph, Table
from ..wording import count_words, day_text
from .actions import Action
from .escalation import Escalation
from .session import CYCLE, FUNCTIONS, RESTRICTED, STAKEHOLDERS, ActionReview, SupervisionSession, public_body

SESSION_TYPE_LABELS = {"case": "Case", "group": "Group", "ad_hoc": "Ad hoc"}
OUTCOME_LABELS = {"done": "Done", "carried_over": "Carried over", "cancelled": "Cancelled"}
STATUS_LABELS = {"open": "Open", "overdue": "Overdue", "done": "Done", "cancelled": "Cancelled"}
FIELD_LABELS = {
    "session_type": "Type", "held_on": "Date", "supervisor": "Supervisor", "worker": "Worker", "cases": "Cases",
    "actions_reviewed": "Actions from last time", "functions_covered": "Functions covered",
    "stakeholders_covered": "Stakeholders covered", "decisions": "Decisions", "new_actions": "Actions agreed",
    "challenges": "Challenges", "escalation_considered": "Escalation considered",
    "escalation_note": "Escalation note", "next_on": "Next session",
    **{f"stages.{code}": label for code, label in CYCLE.items()},
}
WELLBEING_FOOTER = "Notes on the worker's wellbeing are restricted and are not part of this record."
_DATE_FIELDS = ("held_on", "next_on")
# Printing re-reads a record written in the past: the rule that a session is not in the future
# was checked when it was saved, and is not the printer's to check again.
_NO_FUTURE_CHECK = {"today": date.max}


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def _when(at: datetime) -> str:
    return f"{day_text(at)} at {at:%H:%M}"


def _cases_text(cases: Sequence[str], case_titles: Mapping[str, str]) -> str:
    return "; ".join(case_titles.get(case, case) for case in cases)


def _value_text(field: str, value: Any) -> str:
    """An amended value in words: dates as '7 Apr 2026', lists and records item by item."""
    if value is None or value == "" or value == []:
        return "(blank)"
    if isinstance(value, bool):
        return _yes(value)
    if field in _DATE_FIELDS and isinstance(value, str):
        try:
            return day_text(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return "; ".join(_value_text("", item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key.replace('_', ' ')}: {_value_text(key, item)}" for key, item in value.items())
    return str(value)


def _text_blocks(text: str, blank: str) -> list[Block]:
    """Free text as paragraphs, one for each line the writer kept apart."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [Paragraph(line) for line in lines] or [Paragraph(blank)]


def _details(s: SupervisionSession, case_titles: Mapping[str, str]) -> Table:
    rows = [["Type", SESSION_TYPE_LABELS.get(s.session_type, s.session_type)], ["Date", day_text(s.held_on)],
            ["Supervisor", s.supervisor], ["Worker", s.worker], ["Cases", _cases_text(s.cases, case_titles)],
            ["Next session", day_text(s.next_on) if s.next_on else "Not set"]]
    return Table(["Detail", "Recorded"], rows, caption="The session")


def _reviewed(s: SupervisionSession) -> list[Block]:
    if not s.actions_reviewed:
        return [Paragraph("No actions from last time were reviewed.")]
    rows = [[r.what or r.action_id, _outcome(r), r.note] for r in s.actions_reviewed]
    return [Table(["Action", "Outcome", "Note"], rows)]


def _outcome(r: ActionReview) -> str:
    if not r.outcome:
        return "No outcome recorded"
    if r.outcome == "carried_over" and r.new_by:
        return f"Carried over to {day_text(r.new_by)}" + (f" (was due {day_text(r.was_due)})" if r.was_due else "")
    return OUTCOME_LABELS[r.outcome]


def _stages(s: SupervisionSession) -> list[Block]:
    blocks: list[Block] = [Heading("The reflective cycle")]
    for code, label in CYCLE.items():
        blocks += [Heading(label, 3), *_text_blocks(getattr(s.stages, code), "Not written.")]
    return blocks


def _model(s: SupervisionSession) -> Table:
    rows = [["Function", label, _yes(code in s.functions_covered)] for code, label in FUNCTIONS.items()]
    rows += [["Stakeholder", label, _yes(code in s.stakeholders_covered)] for code, label in STAKEHOLDERS.items()]
    return Table(["Part", "Area", "Covered"], rows)


def _challenges(s: SupervisionSession) -> list[Block]:
    if not s.challenges:
        return [Paragraph("No challenges were recorded.")]
    rows = [[c.rule.replace("_", " ").capitalize(), c.prompt, c.evidence or "None shown",
             c.answer or "No answer recorded"] for c in s.challenges]
    return [Table(["Bias", "Prompt", "Evidence", "Answer"], rows)]


def _decisions(s: SupervisionSession) -> list[Block]:
    if not s.decisions:
        return [Paragraph("No decision is recorded.")]
    return [Table(["Decision", "Reason"], [[d.decision, d.reason] for d in s.decisions])]


def _status(action: Action, today: date) -> str:
    status = STATUS_LABELS[action.status_on(today)]
    if action.status_on(today) == "overdue":
        status += f" (due {day_text(action.by)}, {count_words((today - action.by).days, 'day')} ago)"
    if action.carried_over:
        status += f"; carried over {count_words(action.carried_over, 'time')}"
        if action.repeatedly_carried:
            status += ", a warning sign of drift"
    return status


def _closing(action: Action) -> str:
    if action.status == "done":
        return action.evidence
    if action.status == "cancelled":
        return f"Cancelled: {action.cancel_reason}"
    return ""


def _agreed(actions: Sequence[Action], child_labels: Mapping[str, str], today: date) -> list[Block]:
    if not actions:
        return [Paragraph("No new actions were agreed.")]
    rows = [[a.what, child_labels.get(a.child, a.child) if a.child else "All the children", a.who, day_text(a.by),
             a.change_for_child, _status(a, today), _closing(a)] for a in actions]
    return [Table(["What", "For", "Who", "By", "Change for the child", f"Status on {day_text(today)}",
                   "Evidence when done, or why cancelled"], rows)]


def _escalation(s: SupervisionSession, raised: Sequence[Escalation]) -> list[Block]:
    said = f"Escalation considered: {_yes(s.escalation_considered)}."
    blocks: list[Block] = [Paragraph(said), *_text_blocks(s.escalation_note, "")] if s.escalation_note \
        else [Paragraph(said)]
    if s.escalations_raised:
        rows = [[e.about, f"{e.raised_by.name} ({e.raised_by.role})", f"{e.raised_with.name} ({e.raised_with.role})",
                 day_text(e.raised_on)] for e in raised]
        blocks.append(Paragraph(f"Disagreements raised in this session: {len(s.escalations_raised)}."))
        if rows:
            blocks.append(Table(["About", "Raised by", "Raised with", "Raised on"], rows))
    return blocks


def _signoff(s: SupervisionSession) -> list[Block]:
    if not s.signatures:
        return [Paragraph("Not signed: this record is a draft.")]
    order = {"supervisor": 0, "worker": 1}
    signed = sorted(s.signatures, key=lambda sig: order[sig.role])
    blocks: list[Block] = [Table(["Role", "Who", "Signed at"],
                                 [[sig.role.capitalize(), sig.who, _when(sig.signed_at)] for sig in signed])]
    if not s.is_locked:
        missing = "worker" if signed[0].role == "supervisor" else "supervisor"
        blocks.append(Paragraph(f"Not signed by the {missing}: this record is a draft until both have signed."))
    return blocks


def _amendments(s: SupervisionSession) -> list[Block]:
    if not s.amendments:
        return [Paragraph("No amendments since the record was signed.")]
    rows = [[_when(a.at), a.author, FIELD_LABELS.get(a.field, a.field), _value_text(a.field, a.before),
             _value_text(a.field, a.after), a.reason] for a in sorted(s.amendments, key=lambda a: a.at)]
    return [Table(["When", "Who", "Field", "Before", "After", "Reason"], rows)]


def session_document(session: SupervisionSession, *, case_titles: Mapping[str, str], actions: Sequence[Action],
                     child_labels: Mapping[str, str], today: date, escalations: Sequence[Escalation] = ()
                     ) -> Document:
    """The session's record for the case file; print it with `to_html` or `to_pdf`.

    Args:
        session: the record as saved; its wellbeing notes, if any, are dropped before anything is read.
        case_titles: case id to the case's title ("The Fenwick children"); an unknown id is printed as is.
        actions: the actions agreed in this session (those whose record ids are in `session.new_actions`).
        child_labels: child id to the child's name, for an action about one child.
        today: the day the record is printed: an action's status (open or overdue) is as on this day.
        escalations: the disagreements raised in this session (those in `session.escalations_raised`).
    """
    s = SupervisionSession.model_validate(public_body(session), context=_NO_FUTURE_CHECK)
    if any(getattr(s, name) for name in RESTRICTED):  # never: public_body leaves them out, so they read blank
        raise RuntimeError("a restricted field reached the printable record")
    title = f"Reflective supervision record: {_cases_text(s.cases, case_titles)}, {day_text(s.held_on)}"
    doc = Document(title)
    doc.add(_details(s, case_titles),
            Heading("Actions from last time"), *_reviewed(s),
            *_stages(s),
            Heading("The 4x4x4 model"), _model(s),
            Heading("Challenges"), *_challenges(s),
            Heading("Decisions"), *_decisions(s),
            Heading("Actions agreed"), *_agreed(actions, child_labels, today),
            Heading("Escalation"), *_escalation(s, escalations),
            Heading("Sign-off"), *_signoff(s),
            Heading("Amendments"), *_amendments(s),
            Paragraph(f"Printed on {day_text(today)}."),
            Paragraph(WELLBEING_FOOTER))
    return doc

"""The case on screen in supervision: timeline, findings, progress, the child's voice, open actions.

Supervision challenges what the records show (DOMAIN.md 5), so the evidence sits beside the
session record: the chronology as a timeline, what the analysis found for each child, each
child's assessment progress, when each child was last seen, seen alone and heard, and the
case's open and overdue actions; each child's "what is life like" summary is one click away.
"""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from ..analysis.analyse import ChildFindings, case_findings
from ..analysis.case_data import CaseData, load_case
from ..analysis.panel import SummaryPanel
from ..analysis.unseen import contact_reader
from ..assessment.progress import describe_progress, progress_figure
from ..assessment.voice import contact_warnings, last_contact
from ..chronology.timeline import TimelineChild, figure_bytes, timeline_figure
from ..chronology.timeline_text import describe_timeline
from ..config import Settings, settings
from ..findings import KIND_TITLES
from ..store import Store
from ..ui.guard import guard
from ..ui.panels import esc, html_table, image_html
from ..wording import count_words, day_text
from . import records
from .actions import Action
from .overview import action_rows


def findings_html(found: list[ChildFindings]) -> str:
    """Each child's findings, a folding list per kind with its count (the summary has them in full)."""
    parts = []
    for f in found:
        parts.append(f"<h4>{esc(f.label)}</h4>")
        kinds = [(k, items) for k, items in f.by_kind().items() if items]
        if not kinds:
            parts.append("<p>Nothing found in these records.</p>")
        for kind, items in kinds:
            lines = "".join(f"<li>{esc(i.message)}</li>" for i in items)
            parts.append(f"<details><summary>{esc(KIND_TITLES[kind])} ({len(items)})</summary><ul>{lines}</ul>"
                         "</details>")
    return "".join(parts)


def actions_html(case_id: str, actions: list[Action], today: date, labels: dict[str, str]) -> str:
    """The case's open actions, overdue ones first, those carried over twice or more flagged."""
    rows = action_rows({case_id: actions}, today)
    if not rows:
        return "<p>No open actions.</p>"
    cells = [[r.what, r.who, day_text(r.by), r.status + (f" ({r.days_overdue} days)" if r.overdue else ""),
              (count_words(r.carried_over, "time") if r.carried_over else "not yet")
              + (" (again: what stands in its way?)" if r.repeated else ""),
              labels.get(r.child or "", "the whole family")] for r in rows]
    return html_table(["Action", "Who", "By", "Status", "Carried over", "For"], cells,
                      caption=f"{len(rows)} open actions, overdue first")


class CaseEvidence:
    """The evidence panel for one case; `show` reads the case's records again."""

    def __init__(self, store: Store, cfg: Settings | None = None):
        self.store = store
        self.settings = cfg or settings()
        self.timeline, self.findings, self.progress = w.HTML(), w.HTML(), w.HTML()
        self.voice, self.actions = w.HTML(), w.HTML()
        self.summary = SummaryPanel(store, self.settings, carried=records.carried)
        self.summary_buttons = w.HBox()
        self.summary_message = w.HTML()
        self.data: CaseData | None = None
        self.found: list[ChildFindings] = []
        self.widget = w.VBox([
            w.HTML("<h3>Timeline</h3>"), self.timeline,
            w.HTML("<h3>What the records show</h3><p>Prompts for judgement, from the records as they stand.</p>"),
            self.findings,
            w.HTML("<h3>Assessment progress</h3>"), self.progress,
            w.HTML("<h3>The children's voice: seen, seen alone, heard</h3>"), self.voice,
            w.HTML("<h3>Open and overdue actions</h3>"), self.actions,
            w.HTML("<h3>What is life like for each child?</h3>"), self.summary_buttons, self.summary_message,
            self.summary.widget])

    def show(self, case_id: str, today: date | None = None) -> CaseData:
        today = today or date.today()
        data = self.data = load_case(self.store, case_id, self.settings, today,
                                     actions=records.carried(self.store, case_id))
        labels = {c: data.child_name(c).split()[0] for c in data.children}
        kids = [TimelineChild(c, data.child_name(c)) for c in data.children]
        if data.frame.empty:
            self.timeline.value = "<p>No chronology entries yet.</p>"
        else:
            figure = timeline_figure(data.frame, data.plans, kids, self.settings)
            self.timeline.value = image_html(figure_bytes(figure), describe_timeline(
                data.frame, data.plans, kids, self.settings), "nk-timeline")
        self.found = case_findings(data, labels=labels)
        self.findings.value = findings_html(self.found)
        progress = []
        for child, label in labels.items():
            done = data.assessments_of(child)
            if done:
                figure = progress_figure(done, label, data.plans_of(child))
                progress.append(image_html(figure_bytes(figure), describe_progress(done, label), "nk-progress"))
            else:
                progress.append(f"<p>{esc(label)}: no neglect assessment yet.</p>")
        self.progress.value = "".join(progress)
        rows, warned = [], []
        for child, label in labels.items():
            contact = last_contact(data.voice_of(child), data.frame, today, child=child, reader=contact_reader(data),
                                   assessments=data.assessments_of(child))
            rows.append([label, *(day_text(d) if d else "these records do not say"
                                  for d in (contact.last_seen, contact.last_seen_alone, contact.last_heard))])
            warned += contact_warnings(contact, label, self.settings.contact_days)
        alert = ('<div role="alert" class="nk-warn"><ul>' + "".join(f"<li>{esc(m)}</li>" for m in warned)
                 + "</ul></div>") if warned else ""
        self.voice.value = html_table(["Child", "Last seen", "Last seen alone", "Last heard"], rows) + alert
        self.show_actions(case_id, today)
        buttons = []
        for child, label in labels.items():
            button = w.Button(description=f"What is life like for {label}?", layout=w.Layout(width="auto"))
            button.on_click(guard("show what life is like for the child", self.summary_message,
                                  lambda _, c=child: self.summary.show(case_id, c, "named", today)))
            buttons.append(button)
        self.summary_buttons.children = tuple(buttons)
        self.summary.clear()
        return data

    def show_actions(self, case_id: str, today: date) -> None:
        """The open actions again (after a session's sign-off changed them, or an action was added)."""
        assert self.data is not None
        labels = {c: self.data.child_name(c).split()[0] for c in self.data.children}
        held = [a.model for a in records.actions(self.store, case_id)]
        self.actions.value = actions_html(case_id, held, today, labels)

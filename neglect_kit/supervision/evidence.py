"""The case on screen in supervision: a short summary first, each part of the evidence opened on demand.

Supervision challenges what the records show (DOMAIN.md 5), so the evidence sits above the
session record; but a supervisor must reach the record on the first screen. So the panel opens
as a few lines (`summary_html`): the children and their plans, the most serious findings with
their counts, the open actions, each child's last neglect assessment. Each part in full is a
section opened on demand (`ui.sections.OnDemand`), drawn for the case on screen when opened:
the timeline, what the records show, assessment progress, the children's voice (seen, seen
alone, heard), the open and overdue actions, and each child's "what is life like" summary.

The most serious findings (`serious_findings`): one line for each of the first `MAX_SERIOUS`
kinds of finding the case has, ranked by the rule of a child summary's headline
(`analysis.headline.ranked`, docs/analysis-rules.md), across the children. A finding of the
same kind and code for several children is shown once, for the child it was picked for, "also
found for" the others (their own numbers are in the section). Each line says how many findings of
its kind the case has, and gives the finding's message up to `MAX_MESSAGE` characters (cut at a
word, marked with an ellipsis; the section holds it whole).
"""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from ..analysis.analyse import ChildFindings, case_findings
from ..analysis.case_data import CaseData, load_case
from ..analysis.headline import ranked
from ..analysis.panel import SummaryPanel
from ..analysis.unseen import contact_reader
from ..assessment.progress import describe_progress, progress_figure
from ..assessment.voice import contact_warnings, last_contact
from ..chronology.timeline import TimelineChild, figure_bytes, timeline_figure
from ..chronology.timeline_text import describe_timeline
from ..config import Settings, settings
from ..findings import KIND_TITLES, Finding
from ..store import Store
from ..ui.guard import guard
from ..ui.panels import esc, html_table, image_html
from ..ui.sections import OnDemand
from ..vocab import CP_CATEGORIES
from ..wording import count_words, day_text
from . import records
from .actions import Action
from .overview import action_rows

MAX_SERIOUS = 3  # lines of findings in the summary; the section holds them all
MAX_MESSAGE = 200  # characters of a finding's message in the summary

# each part of the evidence: (heading, what it is for, the button that opens it)
SECTIONS: dict[str, tuple[str, str, str]] = {
    "timeline": ("Timeline", "The chronology as a picture, with the children's plans.", "Show the timeline"),
    "findings": ("What the records show", "Every finding for each child, by kind: prompts for judgement, from "
                 "the records as they stand.", "Show every finding"),
    "progress": ("Assessment progress", "Each child's neglect assessment grades over time.",
                 "Show the progress"),
    "voice": ("The children's voice: seen, seen alone, heard", "When each child was last seen, seen alone and "
              "heard, and what is overdue.", "Show the children's voice"),
    "actions": ("Open and overdue actions", "The case's open actions, overdue first, with how often each was "
                "carried over.", "Show the open actions"),
    "life": ("What is life like for each child?", "Each child's one-page summary of what the records say.",
             "Show the children's summaries"),
}


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
    cells = [[r.what, r.who, day_text(r.by) + (f" (first due {day_text(r.first_due)})" if r.first_due else ""),
              r.status + (f" ({r.days_overdue:,} days)" if r.overdue else ""),
              (count_words(r.carried_over, "time") if r.carried_over else "not yet")
              + (" (again: what stands in its way?)" if r.repeated else ""),
              labels.get(r.child or "", "the whole family")] for r in rows]
    return html_table(["Action", "Who", "By", "Status", "Carried over", "For"], cells,
                      caption=f"{len(rows)} open actions, overdue first")


def serious_findings(found: list[ChildFindings], limit: int = MAX_SERIOUS) -> list[tuple[str, Finding, list[str], int]]:
    """The most serious findings by the rule in this module's docstring: (kind, the finding, the other
    children it was also found for, how many findings of its kind the case has)."""
    label_of = {id(f): cf.label for cf in found for f in cf.findings}
    every = [f for cf in found for f in cf.findings]
    out: list[tuple[str, Finding, list[str], int]] = []
    for top in ranked(every):
        if len(out) == limit:
            break
        if any(kind == top.kind for kind, *_ in out):
            continue  # one line a kind: the best-ranked of that kind
        alike = list(dict.fromkeys(label_of[id(f)] for f in every if f.kind == top.kind and f.code == top.code
                                   and label_of[id(f)] != label_of[id(top)]))
        out.append((top.kind, top, alike, sum(f.kind == top.kind for f in every)))
    return out


def _short(message: str) -> str:
    """A finding's message cut at a word to `MAX_MESSAGE` characters (the section holds it whole)."""
    if len(message) <= MAX_MESSAGE:
        return message
    return message[:MAX_MESSAGE].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


def _age(born: date | None, today: date) -> str:
    if born is None or born > today:
        return ""
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return f" ({years})"


def summary_html(data: CaseData, found: list[ChildFindings], actions: list[Action], today: date) -> str:
    """The evidence in a few lines: the children and their open plans, the most serious findings with their
    counts, the open actions, each child's last neglect assessment."""
    kids = []
    for child in data.children:
        plans = [f"{data.cfg.plan_types.label(p['type'])}"
                 + (f" ({CP_CATEGORIES.label(p['category']).lower()})" if p["category"] else "")
                 + f" since {day_text(p['start'])}" for p in data.plans_of(child) if p["end"] is None]
        kids.append(f"{esc(data.child_name(child))}{_age(data.birth(child), today)}"
                    + (f": {esc('; '.join(plans))}" if plans else ": no open plan"))
    lines = [f"<p><strong>The children</strong>: {'. '.join(kids) or 'none recorded'}.</p>"]
    serious = serious_findings(found)
    total = sum(len(cf.findings) for cf in found)
    if serious:
        items = "".join(
            f"<li><strong>{esc(KIND_TITLES[kind])}</strong> ({count_words(n, 'finding')}): {esc(_short(f.message))}"
            # the same kind and code for another child, its own numbers in the section
            + (f" <em>Also found for {esc(', '.join(alike))}.</em>" if alike else "") + "</li>"
            for kind, f, alike, n in serious)
        lines.append(f"<p><strong>Most serious in the records</strong> ({count_words(total, 'finding')} in all; "
                     f"\u201cWhat the records show\u201d below holds them all):</p><ul>{items}</ul>")
    else:
        lines.append("<p><strong>What the records show</strong>: nothing found in these records.</p>")
    rows = action_rows({data.case_id: actions}, today)
    if rows:
        overdue = [r for r in rows if r.overdue]
        repeated = sum(r.repeated for r in rows)
        oldest = f" (the longest {max(r.days_overdue for r in overdue):,} days past its date)" if overdue else ""
        lines.append(f"<p><strong>Open actions</strong>: {len(rows)}, {len(overdue)} overdue{oldest}"
                     + (f"; {repeated} carried over twice or more" if repeated else "") + ".</p>")
    else:
        lines.append("<p><strong>Open actions</strong>: none.</p>")
    last = []
    for child in data.children:
        done = data.assessments_of(child)
        first = data.child_name(child).split()[0]
        if not done:
            last.append(f"{esc(first)}: none yet")
            continue
        a = done[-1]
        high = sum(1 for g in a.grades if isinstance(g.grade, int) and g.grade >= 4)
        last.append(f"{esc(first)}: {day_text(a.assessed_on)}, {high} of {len(a.grades)} sub-areas graded 4 or 5")
    lines.append(f"<p><strong>Last neglect assessment</strong>: {'; '.join(last) or 'none yet'}.</p>")
    return '<div class="nk-evidence-summary">' + "".join(lines) + "</div>"


class CaseEvidence:
    """The evidence panel for one case: `show` reads the case and writes the summary; each section is built
    for the case on screen when opened, and a section opened stays open for the next case shown."""


    def __init__(self, store: Store, cfg: Settings | None = None):
        self.store = store
        self.settings = cfg or settings()
        self.headline = w.HTML()
        # one row of buttons, a line high, so the session form stays on the first screen; a section opened
        # is shown under the row, its heading and purpose above it
        self.sections_box = w.HBox(layout=w.Layout(flex_flow="row wrap"))  # the buttons keep their own margins apart
        self.opened_box = w.VBox()
        self.data: CaseData | None = None
        self.found: list[ChildFindings] = []
        self.case_id = ""
        self.today = date.today()
        self.opened: list[str] = []  # sections opened so far, opened again for the next case
        self.sections: dict[str, OnDemand] = {}
        self.timeline, self.findings, self.progress = w.HTML(), w.HTML(), w.HTML()
        self.voice, self.actions = w.HTML(), w.HTML()
        self.summary: SummaryPanel | None = None
        self.summary_buttons = w.HBox()
        self.summary_message = w.HTML()
        self.widget = w.VBox([self.headline, self.sections_box, self.opened_box])

    def waiting(self) -> None:
        """Say the case is being read (while the session list is already on screen)."""
        self.data, self.found = None, []
        self.headline.value = '<p class="nk-note">Reading the case\u2019s records\u2026</p>'
        self.sections_box.children = self.opened_box.children = ()

    def show(self, case_id: str, today: date | None = None) -> CaseData:
        """Read the case, write the summary, and offer each section (those opened before drawn again)."""
        self.case_id, self.today = case_id, today or date.today()
        data = self.data = load_case(self.store, case_id, self.settings, self.today,
                                     actions=records.carried(self.store, case_id))
        labels = self.labels()
        self.found = case_findings(data, labels=labels)
        held = [a.model for a in records.actions(self.store, case_id)]
        self.headline.value = summary_html(data, self.found, held, self.today)
        self.sections = {name: OnDemand(heading, purpose, opener, lambda n=name: self._build(n), level=3)
                         for name, (heading, purpose, opener) in SECTIONS.items()}
        for (_, purpose, _), section in zip(SECTIONS.values(), self.sections.values(), strict=True):
            section.button.tooltip = purpose
        self.sections_box.children = (w.Label("In full:"), *(s.button for s in self.sections.values()))
        self.opened_box.children = ()
        for name in list(self.opened):
            self.sections[name].open()
        return data

    def labels(self) -> dict[str, str]:
        assert self.data is not None
        return {c: self.data.child_name(c).split()[0] for c in self.data.children}

    def _build(self, name: str) -> w.Widget:
        if name not in self.opened:
            self.opened.append(name)
        section = self.sections[name]
        section.button.disabled = True  # opened below, once
        self.opened_box.children = (*self.opened_box.children, section.widget)
        return {"timeline": self._timeline, "findings": self._findings, "progress": self._progress,
                "voice": self._voice, "actions": self._actions, "life": self._life}[name]()

    def _timeline(self) -> w.Widget:
        data = self.data
        assert data is not None
        kids = [TimelineChild(c, data.child_name(c)) for c in data.children]
        if data.frame.empty:
            self.timeline.value = "<p>No chronology entries yet.</p>"
        else:
            figure = timeline_figure(data.frame, data.plans, kids, self.settings)
            self.timeline.value = image_html(figure_bytes(figure), describe_timeline(
                data.frame, data.plans, kids, self.settings), "nk-timeline")
        return self.timeline

    def _findings(self) -> w.Widget:
        self.findings.value = findings_html(self.found)
        return self.findings

    def _progress(self) -> w.Widget:
        data = self.data
        assert data is not None
        progress = []
        for child, label in self.labels().items():
            done = data.assessments_of(child)
            if done:
                figure = progress_figure(done, label, data.plans_of(child))
                progress.append(image_html(figure_bytes(figure), describe_progress(done, label), "nk-progress"))
            else:
                progress.append(f"<p>{esc(label)}: no neglect assessment yet.</p>")
        self.progress.value = "".join(progress)
        return self.progress

    def _voice(self) -> w.Widget:
        data = self.data
        assert data is not None
        rows, warned = [], []
        for child, label in self.labels().items():
            contact = last_contact(data.voice_of(child), data.frame, self.today, child=child,
                                   reader=contact_reader(data), assessments=data.assessments_of(child))
            rows.append([label, *(day_text(d) if d else "these records do not say"
                                  for d in (contact.last_seen, contact.last_seen_alone, contact.last_heard))])
            warned += contact_warnings(contact, label, self.settings.contact_days)
        alert = ('<div role="alert" class="nk-warn"><ul>' + "".join(f"<li>{esc(m)}</li>" for m in warned)
                 + "</ul></div>") if warned else ""
        self.voice.value = html_table(["Child", "Last seen", "Last seen alone", "Last heard"], rows) + alert
        return self.voice

    def _actions(self) -> w.Widget:
        held = [a.model for a in records.actions(self.store, self.case_id)]
        self.actions.value = actions_html(self.case_id, held, self.today, self.labels())
        return self.actions

    def _life(self) -> w.Widget:
        if self.summary is None:
            self.summary = SummaryPanel(self.store, self.settings, carried=records.carried)
        summary, case_id, today = self.summary, self.case_id, self.today
        buttons = []
        for child, label in self.labels().items():
            button = w.Button(description=f"What is life like for {label}?", layout=w.Layout(width="auto"))
            button.on_click(guard("show what life is like for the child", self.summary_message,
                                  lambda _, c=child: summary.show(case_id, c, "named", today)))
            buttons.append(button)
        self.summary_buttons.children = tuple(buttons)
        summary.clear()
        return w.VBox([self.summary_buttons, self.summary_message, summary.widget])

    def show_actions(self, case_id: str, today: date) -> None:
        """The open actions again (after a session's sign-off changed them, or an action was added)."""
        assert self.data is not None
        held = [a.model for a in records.actions(self.store, case_id)]
        self.headline.value = summary_html(self.data, self.found, held, today)
        if "actions" in self.opened:
            self.actions.value = actions_html(case_id, held, today, self.labels())

"""The 'What is life like for this child?' panel: used by the chronology app and the summary app."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

import ipywidgets as w

from ..anonymise import ANONYMISED, people_labels
from ..config import Settings, settings
from ..reports.document import Document, body_html
from ..store import Store
from ..ui.downloads import record_links
from ..ui.fields import date_field
from ..ui.guard import guard
from ..ui.panels import esc
from ..wording import day_text
from .analyse import ChildFindings, child_findings
from .case_data import CarriedAction, load_case
from .summary import child_summary


def child_label(people: list[dict], child: str, view: str) -> str:
    """The first name in the named view, the role label ("Child A") in the anonymised one."""
    if view == ANONYMISED:
        return people_labels(people, view)[child]
    name = next(p["name"] for p in people if p["id"] == child)
    return name.split()[0]


class SummaryPanel:
    """Findings and the one-page summary for one child, with the printable page and PDF.

    Findings are measured to the as-at day: today unless one is chosen. When the case's newest record
    is further back than the longest contact limit (a closed or historic case), a note says so and a
    button measures to that record's day instead.
    """

    def __init__(self, store: Store, cfg: Settings | None = None, *,
                 carried: Callable[[Store, str], Sequence[CarriedAction]] | None = None):
        """`carried` reads a case's open supervision actions for the carried-over rule (the apps give
        `supervision.records.carried`; analysis sits below supervision and cannot read them itself)."""
        self.store = store
        self.carried = carried
        self.settings = cfg or settings()
        self.html = w.HTML()
        self.links = w.HTML()
        self.found: ChildFindings | None = None
        self.doc: Document | None = None
        self.files: dict[str, bytes] = {}
        self.as_at = date_field("Findings as at")
        self.as_at.tooltip = "Leave empty for today; records after this day are not counted"
        self.as_at_note = w.HTML()
        self.newest_button = w.Button(description="Measure to the newest record", layout=w.Layout(display="none"))
        self.today_button = w.Button(description="Measure to today", layout=w.Layout(display="none"))
        self.newest: date | None = None
        self._shown: tuple[str, str, str, date | None] | None = None
        self.as_at.observe(guard("measure the findings to that day", self.as_at_note, lambda _: self._again()),
                           names="value")
        self.newest_button.on_click(guard("measure to the newest record", self.as_at_note,
                                          lambda _: setattr(self.as_at, "value", self.newest)))
        self.today_button.on_click(guard("measure to today", self.as_at_note,
                                         lambda _: setattr(self.as_at, "value", None)))
        self.widget = w.VBox([w.HBox([self.as_at, self.newest_button, self.today_button]), self.as_at_note,
                              self.html, self.links])

    def _again(self) -> None:
        if self._shown:
            self.show(*self._shown)

    def show(self, case_id: str, child: str, view: str, today: date | None = None) -> None:
        """Analyse the case's records as at the chosen day (else `today`, else today) and show the child's summary."""
        self._shown = (case_id, child, view, today)
        as_at = self.as_at.value or today or date.today()
        if as_at > date.today():
            self.clear(f"{day_text(as_at)} is in the future: choose a day up to today.", keep=True)
            return
        data = load_case(self.store, case_id, self.settings, as_at,
                         actions=self.carried(self.store, case_id) if self.carried else ())
        if child not in data.children:
            self.clear(f"Choose one child to see what life is like for them (case {case_id}).", keep=True)
            self._note(data.newest_record(), as_at)
            return
        label = child_label(data.people, child, view)
        self.found = child_findings(data, child, label)
        self.doc = child_summary(data, self.found, view)
        named = f"{case_id}-{label}" if view != ANONYMISED else label  # no case id (a family name) when anonymised
        stem = re.sub(r"[^A-Za-z0-9]+", "-", f"{named}-summary").strip("-").lower()
        links, self.files = record_links(self.doc, stem)
        # the links first: a summary must never sit beside the last view's downloads
        self.links.value = f'<div class="nk-links">{links}</div>'
        self.html.value = f'<div class="nk-summary">{body_html(self.doc, title_level=3)}</div>'
        self._note(data.newest_record(), as_at)  # last: the note never names a day the summary is not yet for


    def _note(self, newest: date | None, as_at: date) -> None:
        """The plain note and one-click change when the newest record is long before the as-at day."""
        self.newest = newest
        long_past = newest is not None and (as_at - newest).days > max(self.settings.contact_days.values())
        self.newest_button.layout.display = None if long_past and newest != as_at else "none"
        self.today_button.layout.display = None if self.as_at.value else "none"
        when = f"today ({day_text(as_at)})" if as_at == date.today() else day_text(as_at)
        if newest is not None and long_past:
            self.newest_button.description = f"Measure to {day_text(newest)}"
            self.as_at_note.value = (f'<p class="nk-note">The newest record is from {newest:%B %Y}: findings are '
                                     f"measured to {when}. Measure to {day_text(newest)} instead, with the "
                                     "button, for a closed or historic case.</p>")
        else:
            self.as_at_note.value = f'<p class="nk-note">Findings are measured to {when}.</p>'

    def clear(self, message: str = "", *, keep: bool = False) -> None:
        """Empty the summary (and, unless `keep`, forget the child shown, so a new as-at day shows nothing)."""
        self.found, self.doc, self.files = None, None, {}
        self.html.value = f"<p>{esc(message)}</p>" if message else ""
        self.links.value = ""
        if not keep:
            self._shown = None
            self.as_at_note.value = ""
            self.newest_button.layout.display = "none"

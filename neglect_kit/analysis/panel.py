"""The 'What is life like for this child?' panel: used by the chronology app and the summary app."""

from __future__ import annotations

import re
from datetime import date

import ipywidgets as w

from ..chronology.views import ANONYMISED, people_labels
from ..config import Settings, settings
from ..reports.document import Document, body_html
from ..store import Store
from ..ui.downloads import record_links
from ..ui.panels import esc
from .analyse import ChildFindings, child_findings
from .case_data import load_case
from .summary import child_summary


def child_label(people: list[dict], child: str, view: str) -> str:
    """The first name in the named view, the role label ("Child A") in the anonymised one."""
    if view == ANONYMISED:
        return people_labels(people, view)[child]
    name = next(p["name"] for p in people if p["id"] == child)
    return name.split()[0]


class SummaryPanel:
    """Findings and the one-page summary for one child, with the printable page and PDF."""

    def __init__(self, store: Store, cfg: Settings | None = None):
        self.store = store
        self.settings = cfg or settings()
        self.html = w.HTML()
        self.links = w.HTML()
        self.found: ChildFindings | None = None
        self.doc: Document | None = None
        self.files: dict[str, bytes] = {}
        self.widget = w.VBox([self.html, self.links])

    def show(self, case_id: str, child: str, view: str, today: date | None = None) -> None:
        """Analyse the case's records now and show the child's summary."""
        data = load_case(self.store, case_id, self.settings, today)
        if child not in data.children:
            self.clear(f"Choose one child to see what life is like for them (case {case_id}).")
            return
        label = child_label(data.people, child, view)
        self.found = child_findings(data, child, label)
        self.doc = child_summary(data, self.found, view)
        named = f"{case_id}-{label}" if view != ANONYMISED else label  # no case id (a family name) when anonymised
        stem = re.sub(r"[^A-Za-z0-9]+", "-", f"{named}-summary").strip("-").lower()
        links, self.files = record_links(self.doc, stem)
        # the links first: a summary must never sit beside the last view's downloads
        self.links.value = f'<div class="nk-links">{links}</div>'
        self.html.value = f'{_STYLE}<div class="nk-summary">{body_html(self.doc, title_level=3)}</div>'


    def clear(self, message: str = "") -> None:
        self.found, self.doc, self.files = None, None, {}
        self.html.value = f"<p>{esc(message)}</p>" if message else ""
        self.links.value = ""


_STYLE = """<style>
.nk-summary table { border-collapse: collapse; margin: 0.5em 0 1em; }
.nk-summary caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
.nk-summary th, .nk-summary td { border: 1px solid #767676; padding: 0.3em 0.6em; text-align: left;
  vertical-align: top; }
.nk-summary th { background: #f0f0f0; }
.nk-summary tr:target { background: #fff3c4; outline: 2px solid #8a4b00; }
.nk-summary a, .nk-links a { color: #0b57d0; text-decoration: underline; }
</style>"""

"""The chronology entries an assessment's grades rest on: readable labels, date order, a filter, a picker.

An entry is shown as its date, its agency and a short "what happened" cut at a word, never mid-word,
so a worker can tell entries apart in a list of hundreds. The list is in date order, newest first
(an assessment of the here and now rests mostly on recent entries), and narrowed by a filter: every
word typed must appear in the entry's date, agency or whole text. `EvidencePicker` links the chosen
entries to a sub-area of the form and removes any linked by mistake.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import ipywidgets as w

from ..chronology.records import StoredEntry
from ..config import settings
from ..ui.fields import STYLE, button, text
from ..ui.guard import guard
from ..ui.panels import esc
from ..wording import count_words
from .framework import AREAS, sub_area_label

SHORT = 90  # characters of "what happened" in a label
SHOWN = 200  # entries listed at most: a filter narrows a longer list


@dataclass(frozen=True)
class EvidenceEntry:
    """A chronology entry as the assessment shows it."""

    record_id: str
    on: date | None  # the first day it may fall on, for ordering; None when the date is unknown
    when: str  # the date as recorded ("13 Jun 2018", "Summer 2019")
    agency: str  # the agency's label
    what: str  # the whole description

    @property
    def short(self) -> str:
        """What happened, cut at a word within `SHORT` characters."""
        text = " ".join(self.what.split())
        return text if len(text) <= SHORT else text[:SHORT].rsplit(" ", 1)[0].rstrip(",;:.") + "…"

    @property
    def label(self) -> str:
        return f"{self.when} · {self.agency} · {self.short}"

    def matches(self, query: str) -> bool:
        """Whether every word of `query` is in the entry's date, agency or text (any case)."""
        words = query.lower().split()
        hay = f"{self.when} {self.on or ''} {self.agency} {self.what}".lower()
        return all(word in hay for word in words)


def evidence_entries(entries: Iterable[StoredEntry], child: str) -> list[EvidenceEntry]:
    """The current entries about `child`, newest first (an entry of unknown date last)."""
    agencies = settings().agencies
    mine = [EvidenceEntry(e.record_id, e.entry.event_date.earliest, e.entry.event_date.display(),
                          agencies.label(e.entry.agency), e.entry.description)
            for e in entries if child in e.entry.children]
    dated = sorted((e for e in mine if e.on), key=lambda e: (e.on, e.record_id), reverse=True)
    return dated + [e for e in mine if not e.on]


class EvidencePicker:
    """Choose a sub-area, find entries by date, agency or words, link them to it; remove any linked by mistake.

    `link(sub_area, ids)` and `unlink(sub_area, ids)` are called on the form the picker serves.
    """

    def __init__(self, link: Callable[[str, list[str]], None], unlink: Callable[[str, list[str]], None],
                 linked: Callable[[str], list[str]]):
        self._link, self._unlink, self._linked = link, unlink, linked
        self.entries: dict[str, EvidenceEntry] = {}
        self.sub_area = w.Dropdown(description="Sub-area", style=STYLE, layout=w.Layout(width="36em"),
                                   options=[(s.label, s.code) for a in AREAS for s in a.sub_areas])
        self.filter = text("Find entries", "a word, an agency or a date, e.g. school 2022", width="48em")
        self.count = w.HTML()
        self.found = w.SelectMultiple(description="Entries", style=STYLE, rows=10, layout=w.Layout(width="98%"))
        self.link_button = button("Link the chosen entries to this sub-area", "primary")
        self.on_sub_area = w.SelectMultiple(description="Linked to it", style=STYLE, rows=4,
                                            layout=w.Layout(width="98%"))
        self.remove_button = button("Remove the chosen from this sub-area")
        self.message = w.HTML()
        self.link_button.on_click(guard("link the entries", self.message, lambda _: self.link_chosen()))
        self.remove_button.on_click(guard("remove the entries", self.message, lambda _: self.remove_chosen()))
        self.filter.observe(guard("find the entries", self.message, lambda _: self.show_found()), names="value")
        self.sub_area.observe(guard("show the linked entries", self.message, lambda _: self.show_linked()),
                              names="value")
        self.widget = w.VBox([
            w.HTML("<h3>Evidence from the chronology</h3><p>Choose a sub-area, find the entries its grade rests "
                   "on (newest first; type a word, an agency or a date to narrow the list), choose one or more "
                   "(Ctrl or Shift for several) and link them.</p>"),
            self.sub_area, self.filter, self.count, self.found, self.link_button, self.on_sub_area,
            self.remove_button, self.message])

    def load(self, entries: list[EvidenceEntry]) -> None:
        """A new child's entries, in the order given (newest first)."""
        self.entries = {e.record_id: e for e in entries}
        self.filter.value = ""
        self.message.value = ""
        self.show_found()
        self.show_linked()

    def show_found(self) -> None:
        query = self.filter.value.strip()
        hits = [e for e in self.entries.values() if e.matches(query)]
        self.found.options = [(e.label, e.record_id) for e in hits[:SHOWN]]
        total = count_words(len(self.entries), "entry", "entries")
        if not self.entries:
            self.count.value = "<p>No chronology entries about this child yet.</p>"
        elif len(hits) > SHOWN:
            self.count.value = (f"<p>{len(hits)} of {total} match, newest first; the first {SHOWN} are listed: type "
                                "more to narrow them.</p>")
        else:
            self.count.value = (f"<p>{len(hits)} of {total} listed, newest first"
                                + (f" (matching \u201c{esc(query)}\u201d)" if query else "") + ".</p>")

    def show_linked(self) -> None:
        ids = self._linked(self.sub_area.value)
        self.on_sub_area.options = [(self.describe(i), i) for i in ids]

    def describe(self, record_id: str) -> str:
        """An entry's label, or a plain note for one no longer in the chronology."""
        found = self.entries.get(record_id)
        return found.label if found else "An entry no longer in the chronology (withdrawn or removed)"

    def link_chosen(self) -> None:
        chosen = list(self.found.value)
        if not chosen:
            self.message.value = '<p role="alert" class="nk-field-error">Choose one or more entries to link.</p>'
            return
        self._link(self.sub_area.value, chosen)
        self.found.value = ()
        self.show_linked()
        self.message.value = (f'<p role="status">{count_words(len(chosen), "entry", "entries")} linked to '
                              f"{esc(sub_area_label(self.sub_area.value))}.</p>")

    def remove_chosen(self) -> None:
        chosen = list(self.on_sub_area.value)
        if not chosen:
            self.message.value = ('<p role="alert" class="nk-field-error">Choose the linked entries to remove.</p>')
            return
        self._unlink(self.sub_area.value, chosen)
        self.show_linked()
        self.message.value = (f'<p role="status">{count_words(len(chosen), "entry", "entries")} removed from '
                              f"{esc(sub_area_label(self.sub_area.value))}.</p>")

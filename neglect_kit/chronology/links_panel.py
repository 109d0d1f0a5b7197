"""Linked incidents, for a person to confirm or undo: the kit's guess that two agencies told one incident.

Each linked pair is shown side by side (date, agency, category, words) with the reason the kit
linked them. "Same incident" records who confirmed it; "Not the same" saves a new version of the
later entry without `duplicate_of`, remembering the pair in `not_duplicate_of` so a return sent
again does not link them again, with the person's reason kept in the record's history.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w

from ..config import Settings
from ..store import StaleEdit, Store
from ..ui.fields import text
from ..ui.guard import guard
from ..ui.panels import esc, html_table, say
from .merge import explain
from .records import StoredEntry


class LinkedPair:
    """One link: the first report and the later one, with its controls."""

    def __init__(self, later: StoredEntry, first: StoredEntry, number: int):
        self.later, self.first = later, first
        what = f"pair {number}, {later.entry.event_date.display()}"
        self.same = w.Button(description="Same incident", button_style="primary", tooltip=f"Confirm {what}")
        self.differ = w.Button(description="Not the same", tooltip=f"Undo the link of {what}")
        self.why = text("Why not the same", "e.g. two different nights: the police log says Friday")
        self.view = w.HTML()
        self.widget = w.VBox([self.view, w.HBox([self.same, self.differ]), self.why])


class LinksPanel:
    """The case's linked pairs; `.widget` goes in the chronology app."""

    def __init__(self, store: Store, cfg: Settings, on_change: Callable[[], None]):
        self.store = store
        self.settings = cfg
        self.on_change = on_change
        self.show_text: Callable[[str], str] = lambda s: s
        self.pairs: list[LinkedPair] = []
        self.message = w.HTML()
        self.list = w.VBox()
        self.widget = w.VBox([w.HTML(
            "<p>The kit links an incident that a second agency reported again, so it is counted once. "
            "Check each link: confirm it, or undo it with a reason (the entry stays; only the link goes).</p>"),
            self.message, self.list])

    def show(self, entries: Sequence[StoredEntry], show_text: Callable[[str], str] = lambda s: s) -> None:
        """List the linked pairs among `entries` (a case's current entries), in the view `show_text` gives."""
        self.show_text = show_text
        typed = {p.later.record_id: p.why.value for p in self.pairs}  # a redraw keeps a reason being typed
        by_id = {s.record_id: s for s in entries}
        linked = sorted((s for s in entries if s.entry.duplicate_of in by_id),
                        key=lambda s: (s.entry.event_date.sort_key, s.record_id))
        self.pairs = [LinkedPair(s, by_id[s.entry.duplicate_of or ""], n) for n, s in enumerate(linked, 1)]
        for pair in self.pairs:
            pair.why.value = typed.get(pair.later.record_id, "")
            pair.view.value = self._pair_html(pair)
            pair.same.on_click(guard("confirm the link", self.message, lambda _, p=pair: self.confirm(p), writes=True))
            pair.differ.on_click(guard("undo the link", self.message, lambda _, p=pair: self.undo(p, p.why.value),
                                       writes=True))
        self.list.children = [p.widget for p in self.pairs] or [w.HTML("<p>No linked incidents in this case.</p>")]

    def _pair_html(self, pair: LinkedPair) -> str:
        first, later = pair.first.entry, pair.later.entry
        agencies, categories = self.settings.agencies, self.settings.categories
        rows = [("Date", first.event_date.display(), later.event_date.display()),
                ("Agency", agencies.label(first.agency), agencies.label(later.agency)),
                ("Category", categories.label(first.category) + (" (read from the words)" if "category" in
                                                                 first.inferred else ""),
                 categories.label(later.category) + (" (read from the words)" if "category" in
                                                     later.inferred else "")),
                ("What happened", self.show_text(first.description), self.show_text(later.description))]
        reason = explain((pair.later.record_id, later), (pair.first.record_id, first), self.settings) or (
            "the kit's rules no longer see these as one incident (an entry was edited since): check it")
        state = (f"Confirmed as the same incident by {later.duplicate_confirmed_by}."
                 if later.duplicate_confirmed_by else "Suggested by the kit, not yet confirmed.")
        return (html_table(("", "First report", "Later report"), rows,
                           caption=f"{agencies.label(later.agency)} on {later.event_date.display()}, linked to "
                                   f"{agencies.label(first.agency)}")
                + f"<p><strong>Why linked:</strong> {esc(self.show_text(reason))}. {esc(state)}</p>")

    def confirm(self, pair: LinkedPair) -> bool:
        """Record that a person saw the two reports as one incident."""
        body = pair.later.entry.model_copy(update={"duplicate_confirmed_by": self.store.user})
        return self._save(pair, body.model_dump(mode="json"),
                          f"confirmed: the same incident as entry {pair.first.record_id}",
                          "Confirmed: the two reports are kept linked as one incident.")

    def undo(self, pair: LinkedPair, why: str) -> bool:
        """Unlink the later report from the first, for good, with the person's reason."""
        if not why.strip():
            self.message.value = say("Say why they are not the same incident: the reason is kept with the entry.",
                                     alert=True)
            return False
        entry = pair.later.entry
        body = entry.model_copy(update={
            "duplicate_of": None, "duplicate_confirmed_by": None,
            "not_duplicate_of": [*entry.not_duplicate_of, pair.first.record_id]})
        return self._save(pair, body.model_dump(mode="json"),
                          f"not the same incident as entry {pair.first.record_id}: {why.strip()}",
                          "Link undone: each report now counts on its own, and they will not be linked again.")

    def _save(self, pair: LinkedPair, body: dict, reason: str, done: str) -> bool:
        try:
            self.store.update(pair.later.record_id, pair.later.record.version, body, reason=reason)
        except StaleEdit as conflict:
            self.message.value = say(f"{conflict.current.created_by} changed this entry after the list was shown; "
                                     "the list is shown again: look at the pair once more.", alert=True)
            self.on_change()
            return False
        self.on_change()
        self.message.value = say(done)
        return True

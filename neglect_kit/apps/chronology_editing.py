"""Adding an entry to the chronology, or editing one: the entry form, its buttons and message, and the saving
(a new entry, or a new version of one with the old kept; another person's save in between shown)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as w

from ..chronology.form import EntryForm
from ..chronology.model import ENTRY_KIND, ChronologyEntry, EntryContext
from ..store import NewRecord, RecordVersion, StaleEdit, Store
from ..ui.guard import guard
from ..ui.panels import say

if TYPE_CHECKING:
    from ..chronology.records import StoredEntry
    from ..config import Settings


class EntryEditor:
    """The entry form of the case on screen (`form`, in `form_box`), its Add/Save and Clear buttons and message."""

    def __init__(self, store: Store, cfg: Settings, *, case_id: Callable[[], str],
                 entries: Callable[[], list[StoredEntry]], text: Callable[[str], str],
                 reload: Callable[..., None]):
        """Args:
            store: where the entries are saved.
            cfg: the settings.
            case_id: the case on screen.
            entries: its entries, as last read.
            text: text as the current view may show it.
            reload: reads the case's entries again and redraws (`select`: the entry to mark in the table).
        """
        self.store, self.settings = store, cfg
        self._case_id, self._entries, self._text, self._reload = case_id, entries, text, reload
        self.form_box = w.VBox()
        self.form: EntryForm | None = None
        self.save_button = w.Button(description="Add entry", button_style="primary")
        self.clear_button = w.Button(description="Clear the form")
        self.form_message = w.HTML()
        self.save_button.on_click(guard("save the entry", self.form_message, lambda _: self.save(), writes=True))
        self.clear_button.on_click(guard("clear the form", self.form_message, lambda _: self._clear_form()))

    def rebuild(self, ctx: EntryContext, children: dict[str, str]) -> None:
        """A new form for the case `ctx`, naming its children as `children` (id: label)."""
        # what was typed survives a change of view, never a change of case (it names that case's children)
        same_case = self.form is not None and self.form.ctx.case_id == ctx.case_id
        typed = self.form.values() if same_case and self.form else None
        editing = self.form.editing if same_case and self.form else None
        self.form = EntryForm(ctx, children)
        if typed:
            self.form.fill(*typed)
            self.form.editing = editing
        self.form_box.children = (self.form.widget,)
        for field in self.form.fields.values():  # a new edit makes the last save's message old news
            field.control.observe(guard("update the form", self.form_message, lambda _: self._clear_status()),
                                  names="value")

    def _clear_status(self) -> None:
        if 'role="status"' in self.form_message.value:
            self.form_message.value = ""

    def save(self) -> RecordVersion | None:
        """Save the form: a new entry, or a new version of the one being edited."""
        assert self.form is not None
        entry, errors = self.form.check()
        if entry is None:
            self._say(self.form_message, f"Not saved: {len(errors)} field(s) need attention (see beside each).",
                      alert=True)
            return None
        editing = self.form.editing
        try:
            if editing is None:
                record = self._add(entry)
                message = "Entry added."
                if record.body.get("duplicate_of"):
                    message += " It looks like an incident another agency already reported: it is linked to it."
            else:
                body = self._edited(editing[0], entry).model_dump(mode="json")
                record = self.store.update(editing[0], editing[1], body, reason="edited in the chronology app")
                message = f"Saved as version {record.version}; the earlier version is kept."
        except StaleEdit as conflict:
            self._conflict(conflict)
            return None
        self.form.clear()
        self.save_button.description = "Add entry"
        self._say(self.form_message, message)
        self._reload(select=record.record_id)  # what was just saved is seen in the table
        return record

    def _add(self, entry: ChronologyEntry) -> RecordVersion:
        from ..chronology.merge import find_duplicates  # imported at the first save, not while the page opens

        new = NewRecord(body={})
        existing = [(s.record_id, s.entry) for s in self._entries()]
        links = find_duplicates([(new.record_id, entry)], existing, self.settings)
        if links:
            entry = entry.model_copy(update={"duplicate_of": links[0].duplicate_of})
        body = entry.model_dump(mode="json")
        [record] = self.store.create_many(ENTRY_KIND, self._case_id(), [NewRecord(body, new.record_id,
                                                                                  "added in the chronology app")])
        return record

    def _edited(self, record_id: str, entry: ChronologyEntry) -> ChronologyEntry:
        """An edit keeps where the entry came from (its return and import); the category saved from the
        form is the practitioner's, no longer one the kit read from the words."""
        was = next((s.entry for s in self._entries() if s.record_id == record_id), None)
        if was is None:
            return entry
        return entry.model_copy(update={"provenance": was.provenance,
                                        "inferred": [f for f in was.inferred if f != "category"]})

    def _conflict(self, conflict: StaleEdit) -> None:
        theirs = ChronologyEntry.model_validate(conflict.current.body)
        assert self.form is not None
        self.form.editing = (conflict.record_id, conflict.current.version)  # saving again saves over theirs
        self._say(self.form_message,
                  f"{conflict.current.created_by} saved this entry at {conflict.current.created_at:%H:%M on %d %b %Y}, "
                  f"after you opened it. Your text is still in the form. Their version says: "
                  f"\u201c{self._text(theirs.description)}\u201d ({theirs.event_date.text}). Compare the two; "
                  "Save again to keep yours as the newest version, or Clear the form to keep theirs.", alert=True)

    def edit(self, record_id: str) -> None:
        """Put an entry into the form to edit it."""
        found = next((s for s in self._entries() if s.record_id == record_id), None)
        if found is None or self.form is None:
            self._say(self.form_message, "That entry is no longer in the chronology.", alert=True)
            return
        self.form.load(found.entry, found.record_id, found.record.version)
        self.save_button.description = "Save changes"
        self._say(self.form_message, f"Editing the entry of {self._text(found.entry.event_date.text)}: "
                                     "change it, then Save changes.")

    def _clear_form(self) -> None:
        if self.form:
            self.form.clear()
        self.save_button.description = "Add entry"
        self.form_message.value = ""

    def _say(self, target: w.HTML, message: str, alert: bool = False) -> None:
        target.value = say(message, alert)

"""The entries table as the place to work: each row can be edited, withdrawn (after a confirmation
with a reason) or its history read (every version: who, when, why, and what changed).

The table is one `RowTable`; the confirmation and the history open just under it, where the eye
already is, and every message about them appears there too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

import ipywidgets as w

from ..config import Settings
from ..reports.html import html_table
from ..store import StaleEdit, Store
from ..ui.fields import button
from ..ui.guard import guard
from ..ui.panels import esc, say
from ..ui.row_table import ALL, MORE, Action, Column, RowTable
from ..wording import day_text
from .printable import TABLE_COLUMNS, table_rows
from .records import StoredEntry

if TYPE_CHECKING:
    import pandas as pd

EDIT, WITHDRAW, HISTORY = "edit", "withdraw", "history"
FORM = ".nk-entry-form input"  # where "Edit" takes the keyboard: the form's first field
_FOLDED = {"description", "impact", "child_words", "action", "outcome"}
# what a version changed, in the form's words
_FIELD_WORDS = {"event_date": "event date", "recorded_date": "date recorded", "agency": "agency",
                "source_detail": "recorded by", "how_known": "how known", "children": "child(ren)",
                "category": "category", "description": "what happened", "impact": "impact on the child",
                "impact_note": "effect on the child", "significance": "significance", "action": "action taken",
                "outcome": "outcome", "child_words": "the child's words", "duplicate_of": "link to another report",
                "not_duplicate_of": "links refused", "duplicate_confirmed_by": "link confirmed by"}


class EntriesPanel:
    """The table of entries shown, and the work on one entry. `.widget` goes on the page."""

    def __init__(self, store: Store, settings: Settings, *, on_edit: Callable[[str], None],
                 on_changed: Callable[[], None], text: Callable[[str], str], named: Callable[[], bool],
                 page: int = 25):
        """Args:
            store: where the entries are.
            settings: the kit's labels.
            on_edit: put an entry (by record id) into the form.
            on_changed: the entries changed here (one withdrawn): read them again.
            text: free text as the current view may show it.
            named: whether the view is named (only then are workers' names shown in a history).
            page: rows shown at first, and added by "Show the next".
        """
        self.store, self.settings = store, settings
        self._on_edit, self._on_changed, self._text, self._named = on_edit, on_changed, text, named
        self.page = page
        self.work = w.VBox()  # the confirmation or the history, under the table
        self.message = w.HTML()
        self.rows_shown: int | None = page
        self.table = RowTable("Chronology entries", [Column(k, h, k in _FOLDED) for k, h in TABLE_COLUMNS],
                              [Action(EDIT, "Edit", FORM), Action(WITHDRAW, "Withdraw"), Action(HISTORY, "History")],
                              guard("work on the entry", self.message, self._pressed, writes=True), page,
                              table_class="nk-chronology")
        self.widget = w.VBox([self.table, self.work, self.message])
        self.entries: dict[str, StoredEntry] = {}
        self.shown: pd.DataFrame | None = None  # until the app's first `show`
        self._present: Callable[[pd.DataFrame], pd.DataFrame] = lambda frame: frame
        self.total = 0
        self._withdrawing = ""

    @cached_property
    def reason(self) -> w.Text:
        """The confirmation's controls, built when first asked for (most visits withdraw nothing)."""
        self.confirm = button("Withdraw it", "danger")
        self.cancel = button("Keep it")
        self.question = w.HTML()
        self.confirm.on_click(guard("withdraw the entry", self.message,
                                    lambda _: self.withdraw(self._withdrawing, self.reason.value), writes=True))
        self.cancel.on_click(guard("keep the entry", self.message, lambda _: self.close()))
        return w.Text(continuous_update=False, description="Why withdraw it", style={"description_width": "initial"},
                      layout=w.Layout(width="36em"), placeholder="e.g. recorded on the wrong child")

    def show(self, shown: pd.DataFrame, entries: list[StoredEntry], total: int,
             present: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> None:
        """The entries that pass the filters, a page at a time; `present` makes rows as the view shows them,
        asked only of the rows drawn (the anonymised view scrubs 25 rows, not the 10,000 of a long case)."""
        self.shown, self.total = shown, total
        self._present = present or (lambda frame: frame)
        self.entries = {s.record_id: s for s in entries}
        if self._withdrawing and self._withdrawing not in set(shown["record_id"]):
            self.close()
        self._draw()

    def _draw(self) -> None:
        import pandas as pd  # with the first frame (`records.entries_frame`), never with the module

        shown = self.shown
        assert shown is not None, "drawn before anything was shown"
        limit = self.rows_shown if self.rows_shown is not None and self.rows_shown < len(shown) else None
        linked = int((shown["duplicate_of"] != "").sum()) if len(shown) else 0
        caption = f"{len(shown)} of {self.total} entries" + (
            f" ({linked} the same incident as another agency's report, drawn once on the timeline)"
            if linked else "") + (f"; the first {limit} shown here (the downloads hold them all)" if limit else "")
        # the rows drawn as the view shows them; the rest only give their ids (an entry "shown above")
        drawn = self._present(shown) if limit is None else pd.concat([self._present(shown.iloc[:limit]),
                                                                      shown.iloc[limit:]])
        cells = table_rows(drawn, self.settings, limit)
        keys = [k for k, _ in TABLE_COLUMNS]
        rows = [{"id": rid, "name": f"{row[0]}, {row[1]}", "cells": dict(zip(keys, row, strict=True))}
                for rid, row in zip(shown["record_id"], cells, strict=False)]
        self.table.show(rows, caption, len(shown) - len(rows))

    def show_rows(self, rows: int | None) -> None:
        """Show the first `rows` entries (None: all)."""
        self.rows_shown = rows
        self._draw()

    def select(self, record_id: str) -> None:
        """Mark an entry's row (bringing it into the rows shown): what was saved or clicked is seen."""
        ids = list(self.shown["record_id"]) if self.shown is not None and len(self.shown) else []
        if record_id not in ids:
            return
        at = ids.index(record_id)
        if self.rows_shown is not None and at >= self.rows_shown:
            self.show_rows(-(-(at + 1) // self.page) * self.page)  # whole pages, rounded up
        self.table.selected = record_id

    def _pressed(self, action: str, record_id: str) -> None:
        if action == MORE:
            self.show_rows((self.rows_shown or 0) + self.page)
        elif action == ALL:
            self.show_rows(None)
        elif action == EDIT:
            self.close()
            self.table.selected = record_id
            self._on_edit(record_id)
        elif action == WITHDRAW:
            self.ask_withdraw(record_id)
        elif action == HISTORY:
            self.show_history(record_id)

    def _named_entry(self, record_id: str) -> str:
        row = self._present(self.shown[self.shown["record_id"] == record_id]).iloc[0]
        return (f"the entry of {row['date_shown']} from {self.settings.agencies.label(row['agency'])}: "
                f"\u201c{row['description'][:80]}{'…' if len(row['description']) > 80 else ''}\u201d")

    def ask_withdraw(self, record_id: str) -> None:
        """Ask for the reason, and for a second click, before an entry is withdrawn."""
        self._withdrawing = record_id
        self.table.selected = record_id
        self.reason.value = ""
        self.question.value = (f"<p><strong>Withdraw {esc(self._named_entry(record_id))}?</strong> It leaves the "
                               "chronology, the timeline and the analysis, and is kept with your reason in its "
                               "history.</p>")
        self.work.children = (self.question, self.reason, w.HBox([self.confirm, self.cancel]))
        self.message.value = ""

    def withdraw(self, record_id: str, reason: str) -> bool:
        """Withdraw the entry with the reason given; False (and why, beside the reason) when not done."""
        found = self.entries.get(record_id)
        if found is None or record_id != self._withdrawing:
            self.message.value = say("Choose the entry to withdraw with its row's Withdraw button.", alert=True)
            return False
        if not reason.strip():
            self.message.value = say("Say why the entry is withdrawn: the reason is kept with it. Nothing was "
                                     "withdrawn.", alert=True)
            return False
        try:
            self.store.withdraw(record_id, found.record.version, reason.strip())
        except StaleEdit as conflict:
            self.close()
            self.message.value = say(f"{conflict.current.created_by} changed this entry after you opened it; look "
                                     "at it again before withdrawing it. Nothing was withdrawn.", alert=True)
            self._on_changed()
            return False
        self.close()
        self._on_changed()
        self.message.value = say("Entry withdrawn. It is kept, with your reason, in its history.")
        return True

    def show_history(self, record_id: str) -> None:
        """Every version of the entry, oldest first: who saved it, when, why, and what changed."""
        self.close()
        self.table.selected = record_id
        versions = self.store.history(record_id)
        rows, before = [], None
        for v in versions:
            changed = "" if before is None else ", ".join(
                _FIELD_WORDS.get(k, k.replace("_", " ")) for k in sorted(set(v.body) | set(before))
                if v.body.get(k) != before.get(k) and k not in ("provenance", "inferred", "pre_birth"))
            rows.append([str(v.version), "withdrawn" if v.status == "withdrawn" else "current" if v is versions[-1]
                         else "replaced", v.created_by if self._named() else "(a worker)",
                         f"{day_text(v.created_at.date())} {v.created_at:%H:%M}", self._text(v.reason or ""),
                         "first saved" if before is None else changed or "nothing in the entry (its status only)"])
            before = v.body
        table = html_table(["Version", "Now", "Saved by", "When", "Why", "What changed"], rows,
                           f"History of {self._text(self._named_entry(record_id))}", css_class="nk-history")
        close = button("Close the history")
        close.on_click(guard("close the history", self.message, lambda _: self.close()))
        self.work.children = (w.HTML(table), close)
        self.message.value = ""

    def close(self) -> None:
        """Close the confirmation or the history."""
        self._withdrawing = ""
        self.work.children = ()

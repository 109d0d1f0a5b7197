"""A table whose rows each carry their own buttons (edit, withdraw, history...): one widget model.

Built with anywidget, so a table of 25 rows with three buttons each is one model in the browser,
not a hundred ipywidgets (each with its layout and style models) that slow the page's opening.
The browser builds the rows from plain text (never HTML from the data), and a row's button sends
`{"action": ..., "id": ...}` back; the action and the row are checked against what was shown
before anything runs, since a browser can send any message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anywidget
import traitlets as t

_STATIC = Path(__file__).parent / "static"
MORE, ALL = "more", "all"  # the pager's own actions: the next page, every row


@dataclass(frozen=True)
class Column:
    """One column: the key of each row's cell, its heading, and whether long text folds."""

    key: str
    heading: str
    fold: bool = False


@dataclass(frozen=True)
class Action:
    """A button on every row: what it sends, its words, and the element to focus after it (a CSS
    selector, e.g. the form it fills), so a keyboard user lands where the work continues."""

    name: str
    label: str
    focus: str = ""


class RowTable(anywidget.AnyWidget):
    """The table. `show(rows, remaining)` puts rows in; `on_action(name, row_id)` gets the clicks."""

    _esm = _STATIC / "row_table.js"
    _css = _STATIC / "row_table.css"

    label = t.Unicode("").tag(sync=True)  # the region's name for a screen reader
    table_class = t.Unicode("").tag(sync=True)
    caption = t.Unicode("").tag(sync=True)
    columns = t.List(t.Dict()).tag(sync=True)
    actions = t.List(t.Dict()).tag(sync=True)
    rows = t.List(t.Dict()).tag(sync=True)  # {"id", "name" (for the buttons' labels), "cells": {key: text}}
    selected = t.Unicode("").tag(sync=True)
    remaining = t.Int(0).tag(sync=True)  # rows not yet shown
    page = t.Int(25).tag(sync=True)

    def __init__(self, label: str, columns: list[Column], actions: list[Action],
                 on_action: Callable[[str, str], None], page: int = 25, table_class: str = ""):
        super().__init__(label=label, page=page, table_class=table_class,
                         columns=[{"key": c.key, "heading": c.heading, "fold": c.fold} for c in columns],
                         actions=[{"name": a.name, "label": a.label, "focus": a.focus} for a in actions])
        self._on_action = on_action
        self._names = {a.name for a in actions}
        self.on_msg(self._message)

    def show(self, rows: list[dict[str, Any]], caption: str, remaining: int = 0) -> None:
        """Rows as `{"id", "name", "cells"}` (text only), the caption, and how many are not shown."""
        with self.hold_sync():
            self.caption = caption
            self.rows = rows
            self.remaining = max(remaining, 0)
            if self.selected and self.selected not in self.row_ids():
                self.selected = ""

    def row_ids(self) -> list[str]:
        return [row["id"] for row in self.rows]

    def press(self, action: str, row_id: str = "") -> None:
        """What a click in the browser does (also how tests click)."""
        self._message(self, {"action": action, "id": row_id}, [])

    def _message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        action, row_id = content.get("action"), content.get("id", "")
        if action in (MORE, ALL) and self.remaining:
            self._on_action(action, "")
        elif action in self._names and isinstance(row_id, str) and row_id in self.row_ids():
            self._on_action(action, row_id)
        # anything else (an action not offered, a row not shown) is not acted on

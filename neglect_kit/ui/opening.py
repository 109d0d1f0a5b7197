"""An app's page in a notebook, the app's libraries imported just after the notebook's cell has run.

Voila sends a page once its cell has run, and the browser then takes about a second to load the page's
scripts. An app that imports its libraries (pandas, SQLAlchemy, its settings) inside the cell keeps the
browser waiting for all of that first; imported just after the cell instead, the kernel does that work
while the browser loads the page. The app's widgets are made once the page has drawn its "Opening…" note:
a widget made while the browser is still fetching the page's first widgets can be lost, leaving
"Loading widget..." for good, so the note's view tells the kernel when the page is ready for more.

This module imports no more than ipywidgets and anywidget, so the cell itself stays as quick as a
one-button notebook's.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

# set by `make notebooks` so that nbval sees an app that fails to open; users always get a panel
STRICT_ENV = "NEGLECT_KIT_STRICT"
OPENING = "Opening\u2026"


class OpeningNote(anywidget.AnyWidget):
    """ "Opening…" on the page; each view, once drawn, sends `{"shown": true}` to the kernel."""

    _esm = """
export default {
  render({ model, el }) {
    const note = document.createElement("p");
    note.className = "nk-note";
    note.setAttribute("role", "status");
    note.textContent = model.get("text");
    el.appendChild(note);
    model.send({ shown: true });
  },
};
"""
    text = traitlets.Unicode(OPENING).tag(sync=True)


def after_the_cell(open_app: Callable[[], Any], what: str, prepare: Callable[[], object] = lambda: None
                   ) -> w.Widget:
    """The page of an app whose libraries are imported once the cell has run, and which is opened once the
    page shows its "Opening…" note (the app's widget then takes the note's place).

    Outside a running event loop (a script, a test), and for the notebook tests (`NEGLECT_KIT_STRICT`,
    whose nbval must see an app that fails to open fail its cell), the app is opened at once and its
    widget given.

    Args:
        open_app: opens the app (its `open()`: an object with a `.widget`).
        what: what could not be opened, for the failure panel if the import itself fails.
        prepare: imports the app's module (making no widget), run just after the cell.

    Returns:
        The widget for the cell to show.
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no event loop running: a script or a test
        loop = None
    if loop is None or os.environ.get(STRICT_ENV) == "1":
        return open_app().widget
    note = OpeningNote()
    page = w.VBox([note])

    def prepared() -> None:
        try:
            prepare()
        except Exception:  # said in words when the app is opened, which meets the same failure
            return

    def shown(_: object, content: Any, __: object) -> None:
        if not (isinstance(content, dict) and content.get("shown")) or page.children != (note,):
            return  # another view of the note, or a message the note never sends
        try:
            app = open_app().widget
        except Exception as exc:  # an import that failed: the app's own open() shows the rest in words
            from .panels import failure_panel  # the store's and settings' errors: imported only now

            app = failure_panel(what, exc)
        page.children = (app,)

    note.on_msg(shown)
    loop.call_soon(prepared)
    return page

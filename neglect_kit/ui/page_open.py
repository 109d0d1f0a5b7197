"""Opening an app's page: the work put off until the notebook's cell has finished.

Voila sends the page once the notebook's cells have run, and the browser then spends most of a second loading
the page's scripts before it asks the kernel for any widget. An app whose imports and building run in the cell
makes the person wait for both, one after the other; run just after the cell, they overlap the browser's
loading, and the browser is answered (every widget at once) when they are done. This module imports nothing
heavy, so a notebook that uses it pays for the app's libraries only after its page has been sent.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable

import ipywidgets as w

# set by `make notebooks` so that nbval sees an app that fails to open; users always get the panel
STRICT_ENV = "NEGLECT_KIT_STRICT"


def after_this_cell() -> Callable[[Callable[[], None]], object] | None:
    """In a kernel, a way to run a function once the notebook's cell has finished (the page is sent
    then, and the browser loads and builds it while the function runs); elsewhere None: at once."""
    try:
        return asyncio.get_running_loop().call_soon
    except RuntimeError:  # no event loop running: a script or a test
        return None


def opened_after_this_cell(make: Callable[[], w.Widget]) -> w.Widget:
    """The widget `make` gives, made once the cell has finished where a kernel runs it (a box saying the app is
    opening stands in for it until then, and holds it after); made now in a script, a test, or the notebook
    tests (`STRICT_ENV`), whose cell must fail when the app cannot be made.

    Args:
        make: makes the page's widget; it shows a failure in words itself rather than raising.
    """
    later = None if os.environ.get(STRICT_ENV) == "1" else after_this_cell()
    if later is None:
        return make()
    box = w.VBox([w.HTML('<p class="nk-note" role="status">Opening\u2026</p>')])

    def fill() -> None:
        box.children = (make(),)

    later(fill)
    return box

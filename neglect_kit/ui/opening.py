"""An app's page in a notebook, the app built just after the notebook's cell has run.

Voila sends a page once its cell has run, and the browser then takes about a second to load the page's
scripts. An app that imports its libraries (pandas, SQLAlchemy, its settings) and reads its case inside
the cell keeps the browser waiting for all of that first; opened just after the cell instead, the kernel
does that work while the browser loads the page, and the app's widgets follow as soon as they are made.

This module imports no more than ipywidgets, so the cell itself stays as quick as a one-button notebook's.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Any

import ipywidgets as w

# set by `make notebooks` so that nbval sees an app that fails to open; users always get a panel
STRICT_ENV = "NEGLECT_KIT_STRICT"
OPENING = '<p class="nk-note" role="status">Opening\u2026</p>'


def after_the_cell(open_app: Callable[[], Any], what: str) -> w.Widget:
    """The page of an app opened once the cell has run; its widget in place of "Opening…" then.

    Outside a running event loop (a script, a test), and for the notebook tests (`NEGLECT_KIT_STRICT`,
    whose nbval must see an app that fails to open fail its cell), the app is opened at once and its
    widget given.

    Args:
        open_app: imports the app's module and opens the app (its `open()`: an object with a `.widget`).
        what: what could not be opened, for the failure panel if the import itself fails.

    Returns:
        The widget for the cell to show.
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no event loop running: a script or a test
        loop = None
    if loop is None or os.environ.get(STRICT_ENV) == "1":
        return open_app().widget
    page = w.VBox([w.HTML(OPENING)])

    def opened() -> None:
        try:
            shown = open_app().widget
        except Exception as exc:  # an import that failed: the app's own open() shows the rest in words
            from .panels import failure_panel  # the store's and settings' errors: imported only now

            shown = failure_panel(what, exc)
        page.children = (shown,)

    loop.call_soon(opened)
    return page

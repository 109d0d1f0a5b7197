"""A section of an app that says what it is for at once and builds its controls only when opened.

Every widget an app shows is a model the browser must create and draw before the page can be used;
panels most visits never touch (importing returns, removing a case) are built on the first click
instead, so the page opens sooner and stays shorter.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from .fields import button
from .guard import guard
from .panels import esc


class OnDemand:
    """A heading, a sentence saying what the section is for, and a button that opens it.

    `build` gives the section's content the first time the section is opened (by its button, or by
    `open()` from the app when something else needs it); it is never built twice. `level` is the
    heading's level, so a section inside another keeps the page's outline.
    """

    def __init__(self, heading: str, purpose: str, opener: str, build: Callable[[], w.Widget], level: int = 2):
        self.heading = heading
        self._build = build
        self.content: w.Widget | None = None
        self.intro = w.HTML(f"<h{level}>{esc(heading)}</h{level}><p>{esc(purpose)}</p>")
        self.message = w.HTML()
        self.button = button(opener)
        self.button.on_click(guard(f"open \u201c{heading}\u201d", self.message, lambda _: self.open()))
        self.widget = w.VBox([self.intro, self.button, self.message])

    @property
    def opened(self) -> bool:
        return self.content is not None

    def open(self) -> w.Widget:
        """Build the content (once) and show it in place of the button; gives the content."""
        if self.content is None:
            self.content = self._build()
            self.widget.children = (self.intro, self.content)
        return self.content

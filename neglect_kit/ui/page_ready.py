"""The browser's word that it has built the page's widgets, so what changed meanwhile is sent again.

The browser asks the kernel for every widget's state once, then makes the widgets; a change the kernel
sends between the two reaches no widget and is dropped. A picture drawn aside while the page opens (the
chronology's first timeline) could fall in that gap and leave "Drawing the timeline..." on screen for
good. This widget, last on the page, tells the kernel when its view is made (every model exists by then),
and the kernel sends the given widgets' state again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import anywidget
import ipywidgets as w

SHOWN = "shown"


class PageReady(anywidget.AnyWidget):
    """Put it last in the page; `widgets` are sent again each time a browser has built the page."""

    _esm = 'export default { render({ model }) { model.send({ event: "shown" }); } };'

    def __init__(self, widgets: Sequence[w.Widget] | Callable[[], Sequence[w.Widget]]):
        super().__init__()
        self._widgets = widgets
        self.on_msg(self._message)

    def _message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("event") == SHOWN:  # nothing else is asked of it
            for widget in self._widgets() if callable(self._widgets) else self._widgets:
                widget.send_state()

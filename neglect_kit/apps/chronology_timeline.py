"""The chronology app's timeline: its picture (the first one drawn in a worker thread, in a kernel), the
button that swaps it for the timeline to explore, and that explorer; and the timeline as SVG, for the downloads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..config import Settings
from ..perf import imported
from ..ui.guard import guard
from ..ui.panels import esc, image_html

if TYPE_CHECKING:
    from types import ModuleType

    import pandas as pd

    from ..chronology.timeline import TimelineChild, TimelineOptions


def _timeline() -> ModuleType:
    """The timeline's drawing, imported when first drawn: matplotlib takes a third of a second to import,
    which a kernel then spends after the page is sent, while the browser builds it."""
    return imported("..chronology.timeline", __package__)


@dataclass(frozen=True)
class TimelineAsk:
    """What a timeline is drawn from: the entries shown, the plans, the children (id, label) and the window."""

    filtered: pd.DataFrame
    plans: list[dict[str, Any]]
    children: tuple[tuple[str, str], ...]
    lanes: str
    start: date | None
    end: date | None

    def timeline_children(self, timeline: ModuleType) -> list[TimelineChild]:
        return [timeline.TimelineChild(child, label) for child, label in self.children]

    def options(self, timeline: ModuleType) -> TimelineOptions:
        # dates under every child's panel: a reader of the upper panel needs them there too
        return timeline.TimelineOptions(lanes=self.lanes, start=self.start, end=self.end, dates_on_every_panel=True)


def _picture(ask: TimelineAsk, cfg: Settings) -> tuple[bytes, str, str] | str:
    """The timeline's PNG, its alt text and the HTML that shows them, or why it cannot be drawn; touches no
    widget or store (it may run in a worker thread: the HTML too, so the page's first picture waits for no
    template once drawn)."""
    timeline = _timeline()
    try:
        png = timeline.figure_bytes(_figure(ask, cfg, timeline), "png")
        alt = timeline.describe_timeline(ask.filtered, ask.plans, ask.timeline_children(timeline), cfg,
                                         ask.options(timeline))
    except ValueError as exc:  # a window that ends before it starts, for one
        return str(exc)
    return png, alt, image_html(png, alt, "nk-timeline")


def timeline_svg(ask: TimelineAsk, cfg: Settings) -> bytes:
    """The timeline as SVG (the downloads')."""
    timeline = _timeline()
    return timeline.figure_bytes(_figure(ask, cfg, timeline), "svg")


def _figure(ask: TimelineAsk, cfg: Settings, timeline: ModuleType) -> Any:
    """The timeline's matplotlib figure."""
    return timeline.timeline_figure(ask.filtered, ask.plans, ask.timeline_children(timeline), cfg,
                                    ask.options(timeline))


class TimelinePanel:
    """The timeline's picture (`png`, `alt`: the one shown), and the explorer once asked for."""

    def __init__(self, cfg: Settings, status: w.HTML, present: Callable[[pd.DataFrame], pd.DataFrame]):
        """Args:
            cfg: the settings.
            status: where a drawing that fails aside says so.
            present: a frame as the view shows it (the explorer's texts).
        """
        self.settings, self._status, self._present = cfg, status, present
        self.png, self.alt = b"", ""
        self._drawings = 0  # timelines asked for: a picture drawn aside is shown only if no newer was asked
        self.timeline = w.HTML()
        # the interactive timeline (ipympl) is built when asked for: the page opens on the PNG
        self._explorer: Any = None
        self.explore_button = w.Button(description="Explore the timeline: point, click, zoom",
                                       layout=w.Layout(width="max-content"))
        self.explore_box = w.VBox()

    def draw(self, ask: TimelineAsk, aside: bool = False) -> None:
        """Draw the timeline of `ask`. `aside`: in a worker thread when the kernel's loop runs (the
        first drawing, whose matplotlib import and drawing take most of a second: the kernel meanwhile answers
        the browser building the page), its picture then shown from the loop, unless a newer one was drawn."""
        self._drawings += 1
        drawing = self._drawings
        try:
            loop = asyncio.get_running_loop() if aside else None
        except RuntimeError:
            loop = None
        if loop is None:
            self._show(ask, _picture(ask, self.settings))
            return

        def drawn(done: asyncio.Future[tuple[bytes, str, str] | str]) -> None:
            if drawing == self._drawings:  # no newer drawing since
                self._show(ask, done.result())

        loop.run_in_executor(None, _picture, ask, self.settings).add_done_callback(
            guard("draw the timeline", self._status, drawn))

    def _show(self, ask: TimelineAsk, picture: tuple[bytes, str, str] | str) -> None:
        if isinstance(picture, str):  # a window that ends before it starts, for one
            self.timeline.value = f'<p role="alert">The timeline cannot be drawn: {esc(picture)}</p>'
            return
        self.png, self.alt, self.timeline.value = picture
        if self._explorer is not None:
            timeline = _timeline()
            self._explorer.show(ask.filtered, ask.plans, ask.timeline_children(timeline), ask.options(timeline),
                                texts=self._present(ask.filtered))

    def explore(self, on_pick: Callable[[str], None]) -> None:
        """Swap the picture for the explorer (built the first time, a click on a mark calling `on_pick` with its
        entry's id); the next drawing draws it."""
        from ..chronology.timeline_interactive import TimelineExplorer  # ipympl only once asked for

        if self._explorer is None:
            self._explorer = TimelineExplorer(self.settings, on_pick)
            self.explore_box.children = (self._explorer.widget,)
        self.timeline.layout.display = self.explore_button.layout.display = "none"

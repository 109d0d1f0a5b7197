"""The timeline to explore on screen: hover an entry to read it, click it to open it, zoom to a window of dates.

The same Matplotlib drawing as the printable timeline (`timeline.timeline_figure`, with the dates
under every child's panel), shown on an ipympl canvas: the figure stays in the kernel and the
browser sends the pointer's events back to it. ipympl's JavaScript is a JupyterLab extension that
pip installs with it, so Voila serves it from the kit's own server (nothing is fetched from
elsewhere). ipympl is imported only when the explorer is first shown, so an app that never opens it
pays nothing for it.

- Hover: the entry nearest the pointer within `RADIUS` pixels is read out beside the figure
  ("12 March 2019, Health visiting: what happened"); over a busy stretch drawn as a block, how
  many entries it holds and how to see each.
- Click: a single mark calls `on_pick(entry_id)`, which the app gives (it opens the entry in its
  table and form); a click on a block zooms to its stretch.
- Zoom: drag across a panel's dates, or choose the months in "Dates from" and "to" (two
  dropdowns rather than a range slider: ipywidgets' slider handles have no accessible name, and
  a dropdown is one keyboard stop that says what it holds); "Show all dates" goes back. Each
  window redraws the figure, so blocks, labels and dates are laid out again for it.

The pure parts (`marks_of`, `nearest`, `hover_text`, `zoom_window`) are tested without a browser.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import ipywidgets as w
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..config import Settings
from ..ui.guard import guard
from ..ui.panels import esc
from .timeline import timeline_figure
from .timeline_layout import (
    TimelineChild,
    TimelineOptions,
    dense_bins,
    page_layout,
    prepare,
    vocab_for,
)
from .timeline_text import describe_timeline

RADIUS = 10  # pixels: how near the pointer must be to a mark to read it
SHORTEST = 14  # days: the narrowest window a drag or the dropdowns can zoom to
HOVER_WORDS = 160  # characters of what happened shown on hover


@dataclass(frozen=True)
class Marks:
    """Every entry as drawn: one element per entry on each child's panel it is on."""

    record_id: np.ndarray
    panel: np.ndarray
    x: np.ndarray  # Matplotlib date number of the mark
    lane: np.ndarray
    blocked: np.ndarray  # drawn inside a busy stretch's block, not as its own mark
    bin_start: np.ndarray  # the block's stretch (date numbers), for blocked entries
    bin_end: np.ndarray
    window: tuple[date, date]


def marks_of(frame: pd.DataFrame, plans: list[dict[str, Any]], children: list[TimelineChild], settings: Settings,
             options: TimelineOptions) -> Marks:
    """Where `timeline_figure` draws each entry, worked out by the same layout code."""
    p = prepare(frame, plans, children, settings, options)
    c = p.cols
    labels = [vocab_for(settings, options.lanes).label(code) for code in p.lanes]
    page = page_layout(p, labels, len(children), options)
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("i", "panel", "blocked", "b")}
    for k, mask in enumerate(p.child_masks):
        index = np.flatnonzero(mask)
        blocked, b = np.zeros(len(index), bool), np.zeros(len(index), int)
        inner = c["edge"][index] == 0  # as drawn: an entry at the edge is never in a block
        if inner.any():
            _, dense, bins = dense_bins(c["lane"][index[inner]], c["xm"][index[inner]], page, options.dense_threshold)
            blocked[inner] = dense[c["lane"][index[inner]], bins]
            b[inner] = bins
        for key, value in (("i", index), ("panel", np.full(len(index), k)), ("blocked", blocked), ("b", b)):
            parts[key].append(value)
    i, b = np.concatenate(parts["i"]).astype(int), np.concatenate(parts["b"])
    start = page.x0 + b * page.bin_days
    return Marks(record_id=c["record_id"][i], panel=np.concatenate(parts["panel"]), x=c["xm"][i],
                 lane=c["lane"][i], blocked=np.concatenate(parts["blocked"]), bin_start=start,
                 bin_end=np.minimum(start + page.bin_days, page.x1), window=(p.start, p.end))


def nearest(marks: Marks, panel: int, pixels: np.ndarray, pointer: tuple[float, float],
            radius: float = RADIUS) -> int | None:
    """The mark nearest the pointer on a panel, within `radius` pixels, or None.

    Args:
        marks: the figure's marks.
        panel: which child's panel the pointer is over.
        pixels: each mark's position on the canvas in pixels (n, 2), as the panel's axes put it.
        pointer: the pointer on the canvas in pixels.
        radius: how near counts.
    """
    mine = np.flatnonzero(marks.panel == panel)
    if not len(mine):
        return None
    gap = np.hypot(pixels[mine, 0] - pointer[0], pixels[mine, 1] - pointer[1])
    best = int(np.argmin(gap))
    return int(mine[best]) if gap[best] <= radius else None


def hover_text(entry: pd.Series, settings: Settings) -> str:
    """One entry read out: its date as the table shows it, the agency, and what happened (shortened)."""
    said = " ".join(str(entry.get("description") or "").split())
    said = said if len(said) <= HOVER_WORDS else said[:HOVER_WORDS - 1].rstrip() + "\u2026"
    when = str(entry.get("date_shown") or entry.get("event_date") or "date not known")  # as the table shows it
    return f"{when}, {settings.agencies.label(str(entry.get('agency') or ''))}: {said or '(nothing written)'}"


def block_text(marks: Marks, k: int) -> str:
    """A busy stretch read out: how many entries, which dates, and how to see each."""
    same = (marks.panel == marks.panel[k]) & (marks.lane == marks.lane[k]) & marks.blocked & \
        (marks.bin_start == marks.bin_start[k])
    first, last = mdates.num2date(marks.bin_start[k]), mdates.num2date(marks.bin_end[k] - 1)
    return (f"{int(same.sum())} entries from {first.day} {first:%B %Y} to {last.day} {last:%B %Y}: "
            "click the block, or drag across the dates, to see each")


def zoom_window(x0: float, x1: float, bounds: tuple[date, date], shortest: int = SHORTEST) -> tuple[date, date]:
    """The window of dates a drag from x0 to x1 (date numbers, either order) asks for.

    Kept inside `bounds` (the whole timeline's window) and at least `shortest` days long, so a
    click that barely moved zooms to something readable rather than to a day.
    """
    lo, hi = sorted((x0, x1))
    start, end = mdates.num2date(lo).date(), mdates.num2date(hi).date()
    start, end = max(start, bounds[0]), min(end, bounds[1])
    if (end - start).days < shortest:
        middle = start + (end - start) / 2
        start, end = middle - timedelta(days=shortest // 2), middle + timedelta(days=shortest - shortest // 2)
        if start < bounds[0]:
            start, end = bounds[0], min(bounds[0] + timedelta(days=shortest), bounds[1])
        elif end > bounds[1]:
            start, end = max(bounds[1] - timedelta(days=shortest), bounds[0]), bounds[1]
    return start, end


def _months(bounds: tuple[date, date]) -> list[tuple[str, date]]:
    """The zoom's stops: the first of each month in the window, and its last day."""
    stops, day = [], bounds[0].replace(day=1)
    while day <= bounds[1]:
        stops.append((f"{day:%b %Y}", max(day, bounds[0])))
        day = (day + timedelta(days=32)).replace(day=1)
    return [*stops, (f"{bounds[1].day} {bounds[1]:%b %Y}", bounds[1])]


class TimelineExplorer:
    """The timeline on an ipympl canvas, with hover, click to open and zoom; `.widget` is what the app shows."""

    def __init__(self, settings: Settings, on_pick: Callable[[str], None]):
        """Args:
            settings: the vocabularies in force.
            on_pick: called with an entry's id when its mark is clicked (the app opens the entry).
        """
        self.settings, self.on_pick = settings, on_pick
        self.hover = w.HTML('<p class="nk-note">Point at a mark to read its entry; click it to open it.</p>')
        self.zoom_from = w.Dropdown(description="Dates from", style={"description_width": "initial"},
                                    layout=w.Layout(width="16em"))
        self.zoom_to = w.Dropdown(description="to", style={"description_width": "initial"},
                                  layout=w.Layout(width="12em"))
        self.all_dates = w.Button(description="Show all dates")
        self.canvas_box = w.Box()
        self.about = w.HTML()  # the alt text of the window shown, for everyone
        self.widget = w.VBox([w.HBox([self.zoom_from, self.zoom_to, self.all_dates]), self.hover, self.canvas_box,
                              self.about])
        # a failure is said in words where the hover line is, never a traceback in the page
        for end in (self.zoom_from, self.zoom_to):
            end.observe(guard("zoom the timeline", self.hover, lambda _: self._chosen()), names="index")
        self.all_dates.on_click(guard("show all dates", self.hover, lambda _: self.zoom(None)))
        self._inputs: tuple[Any, ...] | None = None
        self._marks: Marks | None = None
        self._figure: Figure | None = None
        self._canvas: Any = None
        self._bounds: tuple[date, date] | None = None
        self._quiet = False
        self._spans: list[Any] = []
        self._press: tuple[float, float] | None = None
        self._texts = pd.DataFrame()

    def show(self, frame: pd.DataFrame, plans: list[dict[str, Any]], children: list[TimelineChild],
             options: TimelineOptions, texts: pd.DataFrame | None = None) -> None:
        """Draw these entries over the options' window, all of it.

        Args:
            frame: the entries as the app filtered them (`records.entries_frame` columns).
            plans: the case's plans.
            children: the children to draw, with the labels of the view.
            options: the printable timeline's options (the window the reader chose, the lanes).
            texts: the same entries as the view shows them, for what hover reads out (in the
                anonymised view, names replaced); `frame` if None.
        """
        self._inputs = (frame, plans, children, replace(options, dates_on_every_panel=True))
        self._texts = (frame if texts is None else texts).set_index("record_id", drop=False)
        self._bounds = None
        self.zoom(None)

    def zoom(self, window: tuple[date, date] | None) -> None:
        """Redraw over `window` (None: the whole timeline) and set the dropdowns to it."""
        if self._inputs is None:
            return
        frame, plans, children, options = self._inputs
        if window is not None:
            options = replace(options, start=window[0], end=window[1])
        self._marks = marks_of(frame, plans, children, self.settings, options)
        self._quiet = True  # the dropdowns follow a drag or a click on a block without zooming again
        try:
            if self._bounds is None:
                self._bounds = self._marks.window
                self.zoom_from.options = self.zoom_to.options = _months(self._bounds)
            stops = [day for _, day in self.zoom_from.options]
            first, last = self._marks.window
            self.zoom_from.index = max(0, bisect_right(stops, first) - 1)
            self.zoom_to.index = min(len(stops) - 1, bisect_left(stops, last))
        finally:
            self._quiet = False
        self._draw(timeline_figure(frame, plans, children, self.settings, options))
        alt = describe_timeline(frame, plans, children, self.settings, options)
        self.about.value = f'<p class="nk-note">{esc(alt)}</p>'

    def _chosen(self) -> None:
        """Zoom to the months chosen (either way round); the first and the last stop: all dates."""
        if self._quiet or self._bounds is None or self.zoom_from.index is None or self.zoom_to.index is None:
            return
        ends = sorted((self.zoom_from.index, self.zoom_to.index))
        if ends == [0, len(self.zoom_from.options) - 1]:
            self.zoom(None)
            return
        first, last = self.zoom_from.options[ends[0]][1], self.zoom_to.options[ends[1]][1]
        self.zoom(zoom_window(mdates.date2num(first), mdates.date2num(last), self._bounds))

    def _draw(self, figure: Figure) -> None:
        from ipympl.backend_nbagg import Canvas, FigureManager  # here: an app that never explores never loads it
        from matplotlib.widgets import SpanSelector

        if self._canvas is not None:
            self._canvas.close()
        canvas = Canvas(figure)
        FigureManager(canvas, 0)
        canvas.header_visible = canvas.footer_visible = canvas.resizable = False
        canvas.toolbar_visible = False  # zoom is the drag and the dropdowns; the kit's downloads save the picture
        canvas.mpl_connect("motion_notify_event", guard("read the entry", self.hover, self._moved))
        canvas.mpl_connect("button_press_event", guard("open the entry", self.hover, self._pressed))
        canvas.mpl_connect("button_release_event", guard("open the entry", self.hover, self._released))
        # a drag across a panel's dates zooms to them; a click that hardly moves is a pick
        dragged = guard("zoom the timeline", self.hover, self._dragged)
        self._spans = [SpanSelector(ax, dragged, "horizontal", minspan=2.0, useblit=True,
                                    props={"facecolor": "#0072B2", "alpha": 0.15}) for ax in figure.axes]
        self._figure, self._canvas = figure, canvas
        self.canvas_box.children = (canvas,)

    def _dragged(self, x0: float, x1: float) -> None:
        assert self._bounds is not None
        window = zoom_window(x0, x1, self._bounds)
        self.zoom(window)

    def _under(self, event: Any) -> tuple[int | None, bool]:
        """The mark under the pointer of a Matplotlib mouse event, and whether it is in a block."""
        if self._marks is None or self._figure is None or event.inaxes not in self._figure.axes:
            return None, False
        panel = self._figure.axes.index(event.inaxes)
        pixels = event.inaxes.transData.transform(np.column_stack([self._marks.x, self._marks.lane]))
        k = nearest(self._marks, panel, pixels, (event.x, event.y))
        return k, k is not None and bool(self._marks.blocked[k])

    def text_at(self, event: Any) -> str:
        """What the hover line says for a pointer event: the entry, a block, or nothing."""
        k, blocked = self._under(event)
        if k is None or self._marks is None:
            return ""
        if blocked:
            return block_text(self._marks, k)
        return hover_text(self._texts.loc[self._marks.record_id[k]], self.settings)

    def _moved(self, event: Any) -> None:
        text = self.text_at(event)
        value = f'<p class="nk-hover" aria-live="polite">{esc(text)}</p>' if text else ""
        if value and value != self.hover.value:
            self.hover.value = value

    def _pressed(self, event: Any) -> None:
        self._press = (event.x, event.y)

    def _released(self, event: Any) -> None:
        """A click: the mouse let go within a few pixels of where it was pressed."""
        if self._press is None or np.hypot(event.x - self._press[0], event.y - self._press[1]) > 4:
            return
        self.click(event)

    def click(self, event: Any) -> None:
        """Open the entry under a click (`on_pick`), or zoom to the block under it."""
        k, blocked = self._under(event)
        if k is None or self._marks is None or event.button != 1:
            return
        if blocked:
            assert self._bounds is not None
            self.zoom(zoom_window(self._marks.bin_start[k], self._marks.bin_end[k], self._bounds))
        else:
            self.on_pick(str(self._marks.record_id[k]))

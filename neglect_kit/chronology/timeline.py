"""The chronology timeline: a case's entries over time, one panel per child.

Each child has a panel (siblings stacked, on the same dates) whose rows ("lanes") are the
agencies, or the categories, that recorded something in the period. Each entry is a marker;
plan periods are shaded behind the lanes and named in a band above them, so a reader sees
what happened before, during and after each plan.

Encoding choices:

- Impact is coded by colour and shape together, never colour alone: negative is a vermillion
  downward triangle, positive a bluish-green upward triangle, neutral a grey circle, unknown
  a hollow dark-grey square. The colours are Okabe-Ito ones (told apart with the common
  colour-vision deficiencies), each with at least 3:1 contrast on white.
- Significance is marker size (high biggest); the child's own words are a blue ring.
- A date known only to the month, season or year, or roughly, is drawn as the span it may
  fall in with the marker at its middle; an entry with no date cannot be placed and is left
  out. The same incident reported by a second agency is drawn once.
- Where a lane holds more than `dense_threshold` entries within one bin (a stretch at least
  `min_bin_width` wide on the page), they become a grey block, darker for more, with a
  vermillion bar as high as the share of negative entries; the biggest runs of blocks carry
  their count. Ten busy years stay readable.

`describe_timeline` gives the alt text that goes with every figure. No pyplot: a figure is a
`Figure` rendered through the Agg canvas, so nothing piles up in a long-lived kernel. Drawing
is vectorised (a collection per panel for each marker look, for spans, for blocks), and text,
the slowest thing Matplotlib draws, is kept to what a reader needs.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.patches import Patch
from matplotlib.path import Path
from matplotlib.ticker import FixedLocator, FuncFormatter
from matplotlib.transforms import IdentityTransform

from ..config import Settings
from ..vocab import CP_CATEGORIES


@dataclass(frozen=True)
class TimelineChild:
    """A child to draw: the id entries name, and the label shown (a name, or "Child A")."""

    id: str
    label: str


@dataclass(frozen=True)
class TimelineOptions:
    """How the timeline is drawn.

    Attributes:
        lanes: one row per agency or per category.
        start: first day shown; None: the first entry's date, padded a little.
        end: last day shown; None: the last entry's date, padded a little.
        max_labels: most entries given a text label in the whole figure.
        width: figure width in inches (the height follows from the lanes and children).
        dense_threshold: more entries than this in one lane and bin become a block.
        min_bin_width: the narrowest bin in inches; the bin (a week up to a year) is the
            shortest this wide, so "dense" means crowded on the page.
        max_count_labels: most runs of blocks given their count as text (the biggest).
        label_from: a label's text: the other vocabulary (category on agency lanes, agency on
            category lanes), or the description's first words. Descriptions can name people,
            so an anonymised view keeps "vocabulary".
    """

    lanes: Literal["agency", "category"] = "agency"
    start: date | None = None
    end: date | None = None
    max_labels: int = 12
    width: float = 12.0
    dense_threshold: int = 6
    min_bin_width: float = 0.15
    max_count_labels: int = 12
    label_from: Literal["vocabulary", "description"] = "vocabulary"

    def __post_init__(self) -> None:
        if self.lanes not in ("agency", "category"):
            raise ValueError(f"lanes must be 'agency' or 'category', not {self.lanes!r}")
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"the window starts ({self.start}) after it ends ({self.end})")
        if min(self.max_labels, self.max_count_labels) < 0 or self.dense_threshold < 1 or self.width < 4:
            raise ValueError("labels must be 0 or more, dense_threshold 1 or more and width 4 inches or more")


@dataclass(frozen=True)
class _Look:
    marker: str
    face: str
    edge: str
    label: str


IMPACTS = {
    "negative": _Look("v", "#D55E00", "white", "Negative impact"),
    "positive": _Look("^", "#009E73", "white", "Positive impact"),
    "neutral": _Look("o", "#767676", "white", "Neutral impact"),
    "unknown": _Look("s", "none", "#4D4D4D", "Impact unknown"),
}
SIZES = {"high": 120.0, "medium": 55.0, "low": 26.0, "": 26.0}  # marker area, points squared
WORDS_COLOUR = "#0072B2"
# plan type: name in the band, and a light tint on which every marker keeps its contrast
PLAN_STYLE = {"child_protection": ("CP", "#FADBCB"), "child_in_need": ("CIN", "#FFF1BF"),
              "looked_after": ("LAC", "#D6E6F5"), "early_help": ("EH", "#DDF0E5")}
_BINS = (7.0, 14.0, 365.25 / 12, 365.25 / 6, 365.25 / 4, 365.25 / 2, 365.25)  # days, shortest first
# layout, inches: title, panel title, lane, plan band, date axis, right margin, legend row
_TITLE, _PANEL_TITLE, _LANE, _BAND, _AXIS, _RIGHT, _ROW = 0.5, 0.32, 0.27, 0.26, 0.38, 0.3, 0.2
_LEGEND_ROWS = 4  # so the key's columns are impact, significance, marks, plans


@dataclass
class _Prepared:
    """The entries to draw, as arrays with one element per entry (shown on each of its children)."""

    start: date
    end: date
    lanes: list[str]
    cols: dict[str, np.ndarray]
    child_masks: list[np.ndarray]
    undated: int
    duplicates: int
    outside: int


@lru_cache(maxsize=4096)
def _text_width(text: str, size: float = 8) -> float:
    """Width of `text` in inches at `size` points as Agg draws it, to lay out without drawing."""
    width, _, _ = RendererAgg(1, 1, 72).get_text_width_height_descent(text, FontProperties(size=size), ismath=False)
    return float(width) / 72


def _per_value(values: pd.Series, fn: Any, dtype: Any = object) -> np.ndarray:
    """`fn` of each element, computed once per distinct value (a column repeats a few values)."""
    codes, uniques = pd.factorize(values.fillna(""), use_na_sentinel=False)
    return np.array([fn(str(u)) for u in uniques], dtype=dtype)[codes] if len(values) else np.array([], dtype)


def _prepare(frame: pd.DataFrame, plans: list[dict[str, Any]], children: list[TimelineChild],
             settings: Settings, options: TimelineOptions) -> _Prepared:
    """Each shown child's dated entries in the window, duplicates skipped, placed on the page."""
    if not children:
        raise ValueError("the timeline needs at least one child")
    f = frame
    if "status" in f.columns:  # a withdrawn entry is out of every current view
        f = f[_per_value(f["status"], lambda s: s != "withdrawn", bool)]
    masks = [_per_value(f["children"], lambda s, c=c.id: c in {n.strip() for n in s.split(";")}, bool)
             for c in children]
    anyone = np.logical_or.reduce(masks)
    dup = _per_value(f["duplicate_of"], bool, bool)
    early = pd.to_datetime(f["earliest"], errors="coerce")
    late = pd.to_datetime(f["latest"], errors="coerce").fillna(early)
    dated = early.notna().to_numpy(bool)
    mine = anyone & ~dup & dated
    ids = {c.id for c in children}
    start, end = _window(options, early[mine], late[mine], [p for p in plans if p["child_id"] in ids])
    inside = dated & (early <= pd.Timestamp(end)).to_numpy(bool) & (late >= pd.Timestamp(start)).to_numpy(bool)
    keep = mine & inside
    rows = f[keep]
    x0, x1 = mdates.date2num(start), mdates.date2num(end + timedelta(days=1))
    # each span clipped to the window, so a marker is always in the middle of what is visible
    xs = np.maximum(mdates.date2num(early[keep].to_numpy()), x0)
    xe = np.minimum(mdates.date2num(late[keep].to_numpy()) + 1, x1)
    order = {c: i for i, c in enumerate(_vocab(settings, options.lanes).codes())}
    # vocabulary order, so a lane keeps its place from one case to the next; unknown codes last
    lanes = sorted(set(_per_value(rows[options.lanes], str)), key=lambda c: (order.get(c, len(order)), c))
    place = {c: i for i, c in enumerate(lanes)}
    cols = {
        "lane": _per_value(rows[options.lanes], place.__getitem__, int), "xs": xs, "xe": xe, "xm": (xs + xe) / 2,
        "impact": _per_value(rows["impact"], lambda s: s if s in IMPACTS else "unknown"),
        "sig": _per_value(rows["significance"], str),
        "words": _per_value(rows["child_words"], lambda s: bool(s.strip()), bool),
        "uncertain": _per_value(rows["precision"], lambda s: s != "day", bool),
        "agency": _per_value(rows["agency"], str), "category": _per_value(rows["category"], str),
        "description": rows["description"].fillna("").to_numpy(object),
    }
    return _Prepared(start, end, lanes, cols, [m[keep] for m in masks], undated=int((anyone & ~dup & ~dated).sum()),
                     duplicates=int((anyone & dup & inside).sum()), outside=int((mine & ~inside).sum()))


def _vocab(settings: Settings, kind: str) -> Any:
    return settings.agencies if kind == "agency" else settings.categories


def _window(options: TimelineOptions, early: pd.Series, late: pd.Series,
            plans: list[dict[str, Any]]) -> tuple[date, date]:
    """The options' window; else the entries' extent padded 2%; else the plans'; else the last year."""
    if len(early):
        lo, hi = early.min().date(), late.max().date()
    elif plans:
        lo, hi = min(p["start"] for p in plans), max(p["end"] or date.today() for p in plans)
    else:
        lo, hi = date.today() - timedelta(days=365), date.today()
    pad = timedelta(days=max(10, round((hi - lo).days * 0.02)))
    start, end = options.start or lo - pad, options.end or hi + pad
    if end < start:  # the one end given lies beyond the data: a year from it
        return (end - timedelta(days=365), end) if options.start is None else (start, start + timedelta(days=365))
    return start, end


def _child_plans(plans: list[dict[str, Any]], child: TimelineChild, start: date, end: date) -> list[dict[str, Any]]:
    return [p for p in plans if p["child_id"] == child.id and p["start"] <= end and (p["end"] or end) >= start]


def _who(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


@dataclass
class _Page:
    """Where things fall on the page, in inches and days, so text is laid out without drawing."""

    left: float
    data_w: float
    height: float
    panel: float
    lanes: int
    x0: float
    x1: float
    bin_days: float
    ticks: list[float] = field(default_factory=list)

    @property
    def per_in(self) -> float:
        return (self.x1 - self.x0) / self.data_w  # days per inch

    @property
    def band(self) -> float:
        return _BAND / _LANE  # the plan band above the lanes, in lanes

    def down(self, y: float) -> float:
        """Inches from a panel's top to lane position `y`."""
        return (y + 0.5 + self.band) / (max(self.lanes, 1) + self.band) * self.panel


def _page(p: _Prepared, lane_labels: list[str], panels: int, options: TimelineOptions) -> _Page:
    left = max((_text_width(s) for s in lane_labels), default=0.5) + 0.25
    panel = max(1.0, len(p.lanes) * _LANE + _BAND)
    height = _TITLE + panels * (_PANEL_TITLE + panel) + _AXIS + _LEGEND_ROWS * _ROW + 0.15
    x0, x1 = mdates.date2num(p.start), mdates.date2num(p.end + timedelta(days=1))
    data_w = options.width - left - _RIGHT
    shortest = options.min_bin_width * (x1 - x0) / data_w
    return _Page(left, data_w, height, panel, len(p.lanes), x0, x1, next((b for b in _BINS if b >= shortest), shortest))


def _dense(lane: np.ndarray, xm: np.ndarray, page: _Page, threshold: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lane-by-bin counts, which lane-bins are blocks, and each entry's bin."""
    nbins = max(1, math.ceil((page.x1 - page.x0) / page.bin_days))
    b = np.clip(((xm - page.x0) / page.bin_days).astype(int), 0, nbins - 1)
    counts = np.bincount(lane * nbins + b, minlength=page.lanes * nbins).reshape(page.lanes, nbins)
    dense = counts > threshold
    # a bin half as full beside a block joins it, so a busy stretch is not speckled with gaps
    beside = np.zeros_like(dense)
    beside[:, 1:] |= dense[:, :-1]
    beside[:, :-1] |= dense[:, 1:]
    return counts, dense | (beside & (counts * 2 > threshold)), b


def timeline_figure(frame: pd.DataFrame, plans: list[dict[str, Any]], children: list[TimelineChild],
                    settings: Settings, options: TimelineOptions | None = None) -> Figure:
    """Draw a case's chronology as a timeline, one panel per child.

    Args:
        frame: entries as `records.entries_frame` gives them.
        plans: plan rows as `Store.plans` gives them (child_id, type, category, start, end).
        children: the children to draw, top to bottom, each with the label to show.
        settings: the vocabularies in force (lane labels, plan names).
        options: lanes, window, label cap and density; the defaults if None.

    Returns:
        A `Figure` on an Agg canvas; `figure_bytes` renders it.

    Raises:
        ValueError: no child was given.
    """
    options = options or TimelineOptions()
    p = _prepare(frame, plans, children, settings, options)
    lane_labels = [_vocab(settings, options.lanes).label(c) for c in p.lanes]
    page = _page(p, lane_labels, len(children), options)
    ticks = mdates.AutoDateLocator(minticks=4, maxticks=12).tick_values(mdates.num2date(page.x0),
                                                                         mdates.num2date(page.x1))
    page.ticks = [t for t in ticks if page.x0 <= t <= page.x1]
    fig = Figure(figsize=(options.width, page.height))
    FigureCanvasAgg(fig)
    c = p.cols
    other = "category" if options.lanes == "agency" else "agency"
    label_text = (_per_value(pd.Series(c["description"]), lambda d: " ".join(d.split()[:5]))
                  if options.label_from == "description"
                  else _per_value(pd.Series(c[other]), _vocab(settings, other).label))
    axes: list[Axes] = []
    boxes: list[tuple[float, ...]] = []  # text placed so far: panel, x, y down, width, height (inches)
    candidates: list[np.ndarray] = []  # entries that may be labelled: rank, x, panel, lane, entry
    runs: list[tuple[Any, ...]] = []  # runs of blocks: count, axes, x, lane, width (inches)
    found: dict[str, Any] = {"plans": {}, "spans": False, "blocks": False}
    for i, (child, mask) in enumerate(zip(children, p.child_masks, strict=True)):
        top = page.height - _TITLE - _PANEL_TITLE - i * (_PANEL_TITLE + page.panel)
        ax = fig.add_axes((page.left / options.width, (top - page.panel) / page.height, page.data_w / options.width,
                           page.panel / page.height), sharex=axes[0] if axes else None)
        axes.append(ax)
        _panel(ax, child, int(mask.sum()), lane_labels, page)
        _plans(ax, i, _child_plans(plans, child, p.start, p.end), settings, page, boxes, found)
        if not mask.any():
            ax.text(0.5, 0.5, "No entries in this period", transform=ax.transAxes, ha="center", va="center",
                    fontsize=10, color="#444444", gid="no_entries")
            continue
        index = np.flatnonzero(mask)
        single = _blocks(ax, index, c, options, page, runs, found)
        _entries(ax, i, index[single], c, found, candidates)
    # Dates under the bottom panel only. The upper panels' date axes are hidden, so Matplotlib
    # builds no tick artists there (slow to build, never seen); every panel draws the same date
    # lines from one collection.
    axes[-1].xaxis.set_major_locator(FixedLocator(page.ticks))
    axes[-1].xaxis.set_major_formatter(FuncFormatter(_date_format(page.ticks)))
    axes[-1].tick_params(axis="x", labelsize=8)
    for ax in axes[:-1]:
        ax.xaxis.set_visible(False)
    # the biggest runs first, and only where the number fits inside its block
    for total, ax, x, y, width in sorted(runs, key=lambda r: (-r[0], r[2]))[:options.max_count_labels]:
        if _text_width(str(total), 6.5) + 0.02 <= width:
            ax.text(x, y, str(total), fontsize=6.5, ha="center", va="center", zorder=6, gid="dense_count")
    _labels(axes, candidates, label_text, options.max_labels, page, boxes)
    fig.text(page.left / options.width, 1 - 0.3 / page.height,
             f"{_who([ch.label for ch in children])}: chronology {p.start:%B %Y} to {p.end:%B %Y}",
             fontsize=12, fontweight="bold", va="center", gid="title")
    _legend(fig, found, options, page)
    return fig


def _date_format(ticks: list[float]) -> Any:
    """Years on a long window; months (or days), with the year under the first and each January."""
    days = [mdates.num2date(t) for t in ticks]
    yearly, monthly = all(d.timetuple()[1:3] == (1, 1) for d in days), all(d.day == 1 for d in days)

    def label(x: float, pos: int | None) -> str:
        d = mdates.num2date(x)
        if yearly:
            return str(d.year)
        text = f"{d:%b}" if monthly else f"{d.day} {d:%b}"
        return f"{text}\n{d.year}" if pos == 0 or d.timetuple()[1:3] == (1, 1) else text

    return label


def _panel(ax: Axes, child: TimelineChild, count: int, lane_labels: list[str], page: _Page) -> None:
    # y given: placing the title clear of the axis decorations would measure them all (slow)
    ax.set_title(f"{child.label} ({count} {'entry' if count == 1 else 'entries'})", loc="left", fontsize=10,
                 fontweight="bold", y=1.0, pad=6)
    ax.set_xlim(page.x0, page.x1)
    bottom, top = max(page.lanes, 1) - 0.5, -0.5 - page.band
    ax.set_ylim(bottom, top)  # the first lane at the top, the plan band above it
    # lane names as text beside the axes, not tick labels: the same look without building a
    # tick (five artists) per lane
    ax.set_yticks([])
    for k, label in enumerate(lane_labels):
        ax.text(-0.008, k, label, transform=ax.get_yaxis_transform(), ha="right", va="center", fontsize=8,
                gid="lane_label")
    if lane_labels:
        ax.hlines(range(len(lane_labels)), page.x0, page.x1, colors="#E8E8E8", lw=0.8, zorder=0.5, gid="lane_lines")
    ax.vlines(page.ticks, top, bottom, colors="#D0D0D0", lw=0.6, zorder=0.5, gid="date_lines")
    ax.spines[["top", "right"]].set_visible(False)


def _plans(ax: Axes, i: int, plans: list[dict[str, Any]], settings: Settings, page: _Page,
           boxes: list[tuple[float, ...]], found: dict[str, Any]) -> None:
    """Shade each plan behind the lanes (one collection) and name it in the band above them."""
    if not plans:
        return
    bottom, top = ax.get_ylim()
    verts, colours = [], []
    for plan in plans:
        full = settings.plan_types.label(plan["type"])
        short, colour = PLAN_STYLE.get(plan["type"], (full, "#E6E6E6"))
        found["plans"][plan["type"]] = (full if short == full else f"{short}: {full}", colour)
        ps = max(mdates.date2num(plan["start"]), page.x0)
        pe = min(mdates.date2num(plan["end"]) if plan["end"] else page.x1, page.x1)  # open: to the window's end
        verts.append([(ps, top), (pe, top), (pe, bottom), (ps, bottom)])
        colours.append(colour)
        # "CP: neglect"; a name too wide for its plan would run into the next: shortened, or
        # left to the legend and the description
        names = [f"{short}: {CP_CATEGORIES.label(plan['category']).lower()}"] if plan.get("category") else []
        for text in [*names, short]:
            width = _text_width(text, 7.5) + 0.06
            if width <= (pe - ps) / page.per_in:
                ax.text(ps + 0.03 * page.per_in, -0.5 - page.band / 2, text, fontsize=7.5, va="center",
                        color="#333333", gid="plan_label")
                boxes.append((i, (ps - page.x0) / page.per_in, 0.0, width, _BAND))  # entry labels keep clear
                break
    ax.add_collection(PolyCollection(verts, facecolors=colours, edgecolors="#9A9A9A", linewidths=0.6, zorder=0,
                                     gid="plans"), autolim=False)


def _blocks(ax: Axes, index: np.ndarray, c: dict[str, np.ndarray], options: TimelineOptions, page: _Page,
            runs: list[tuple[Any, ...]], found: dict[str, Any]) -> np.ndarray:
    """Draw crowded lane-bins as blocks; return which of the panel's entries stay single markers."""
    lane = c["lane"][index]
    counts, dense, b = _dense(lane, c["xm"][index], page, options.dense_threshold)
    if not dense.any():
        return np.ones(len(index), bool)
    found["blocks"] = True
    negative = np.bincount(lane * counts.shape[1] + b, weights=c["impact"][index] == "negative",
                           minlength=counts.size).reshape(counts.shape)
    ln, bn = np.nonzero(dense)
    n = counts[ln, bn]
    xl = page.x0 + bn * page.bin_days
    xr = np.minimum(xl + page.bin_days, page.x1)
    share = np.divide(negative[ln, bn], n, out=np.zeros(len(n)), where=n > 0)
    shade = colormaps["Greys"](0.2 + 0.3 * np.log1p(n) / math.log1p(max(int(counts.max()), 1)))
    ax.add_collection(PolyCollection(_boxes(xl, xr, ln - 0.36, ln + 0.36), facecolors=shade, edgecolors="white",
                                     linewidths=0.3, zorder=3, gid="dense_blocks"), autolim=False)
    inset = (xr - xl) * 0.2  # a bar inside the block, as high as the share of negative entries
    ax.add_collection(PolyCollection(_boxes(xl + inset, xr - inset, ln + 0.36 - 0.72 * share, ln + 0.36),
                                     facecolors=IMPACTS["negative"].face, edgecolors="none", alpha=0.7, zorder=3.2,
                                     gid="dense_negative"), autolim=False)
    # neighbouring blocks in a lane read as one busy stretch: one count for the stretch
    first = np.flatnonzero(np.r_[True, (np.diff(bn) != 1) | (np.diff(ln) != 0)])
    last = np.r_[first[1:] - 1, len(n) - 1]
    totals = np.add.reduceat(n, first)
    runs.extend((int(t), ax, (xl[f] + xr[la]) / 2, float(ln[f]), (xr[la] - xl[f]) / page.per_in)
                for t, f, la in zip(totals, first, last, strict=True))
    return ~dense[lane, b]


def _boxes(left: np.ndarray, right: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Rectangles as an (n, 4, 2) array of corners, for one PolyCollection."""
    return np.stack([np.column_stack([left, low]), np.column_stack([right, low]), np.column_stack([right, high]),
                     np.column_stack([left, high])], axis=1)


def _entries(ax: Axes, i: int, index: np.ndarray, c: dict[str, np.ndarray], found: dict[str, Any],
             candidates: list[np.ndarray]) -> None:
    """A panel's single entries: date spans, markers, rings for the child's words; label candidates."""
    y, x = c["lane"][index].astype(float), c["xm"][index]
    impact, sig, words, spans = c["impact"][index], c["sig"][index], c["words"][index], c["uncertain"][index]
    if spans.any():
        found["spans"] = True
        segs = np.stack([np.column_stack([c["xs"][index][spans], y[spans]]),
                         np.column_stack([c["xe"][index][spans], y[spans]])], axis=1)
        colours = [IMPACTS[k].edge if IMPACTS[k].face == "none" else IMPACTS[k].face for k in impact[spans]]
        ax.add_collection(LineCollection(segs, colors=colours, linewidths=2.0, alpha=0.6, zorder=2, gid="date_spans"),
                          autolim=False)
    size = np.array([SIZES.get(s, SIZES[""]) for s in sig])
    for name, look in IMPACTS.items():
        if (m := impact == name).any():
            _points(ax, x[m], y[m], look.marker, size[m], look.face, look.edge, 1.2 if look.face == "none" else 0.5,
                    4, f"entries:{name}")
    if words.any():
        _points(ax, x[words], y[words], "o", size[words] * 2.4 + 45, "none", WORDS_COLOUR, 1.3, 5, "child_words")
    # who may get a label: high-significance negative entries, then the child's words, then others
    rank = np.select([(sig == "high") & (impact == "negative"), words, sig == "high", impact == "negative"],
                     [0, 1, 2, 3], 9)
    m = rank < 9
    candidates.append(np.column_stack([rank[m], x[m], np.full(m.sum(), i), y[m], index[m]]))


@lru_cache(maxsize=16)
def _marker(marker: str) -> Path:
    look = MarkerStyle(marker)
    return look.get_path().transformed(look.get_transform())


def _points(ax: Axes, x: np.ndarray, y: np.ndarray, marker: str, area: np.ndarray, face: str, edge: str,
            width: float, zorder: float, gid: str) -> None:
    """Markers of one kind, as `scatter` makes them without its per-call argument handling.

    Markers of one size in one collection let Agg draw the marker once and stamp it, much the
    fastest for many points; for a few, one collection of mixed sizes costs less than three.
    """
    groups = [area == a for a in np.unique(area)] if len(x) > 64 else [np.ones(len(x), bool)]
    for m in groups:
        points = PathCollection([_marker(marker)], sizes=np.unique(area[m]) if len(groups) > 1 else area,
                                offsets=np.column_stack([x[m], y[m]]), offset_transform=ax.transData,
                                facecolors=face, edgecolors=edge, linewidths=width, zorder=zorder, gid=gid)
        points.set_transform(IdentityTransform())
        ax.add_collection(points, autolim=False)


def _labels(axes: list[Axes], candidates: list[np.ndarray], label_text: np.ndarray, cap: int, page: _Page,
            boxes: list[tuple[float, ...]]) -> None:
    """Label up to `cap` entries, most important first, spread over time, none overlapping."""
    if not candidates or cap == 0:
        return
    rows = np.concatenate(candidates)
    rows = rows[np.lexsort((rows[:, 2], rows[:, 1], rows[:, 0]))]  # by rank, then date, then panel
    done, placed = 0, set()
    for rank in np.unique(rows[:, 0]):
        group = rows[rows[:, 0] == rank]
        # evenly spaced picks first, so labels spread over the years instead of bunching at the start
        picks = np.unique(np.linspace(0, len(group) - 1, min(cap - done, len(group))).round().astype(int))
        for _, x, i, y, entry in group[np.r_[picks, np.setdiff1d(np.arange(len(group)), picks)]]:
            if done >= cap:
                return
            if entry in placed:  # an entry on two children's panels is labelled once
                continue
            text = str(label_text[int(entry)])
            text = text if len(text) <= 26 else text[:25].rstrip() + "…"
            w, h = _text_width(text, 7) + 0.05, 0.14
            xi = (x - page.x0) / page.per_in
            right = xi + 0.06 + w > page.data_w  # near the right edge the label goes left of its marker
            for dy in (-0.17, 0.17):  # just above the marker, else just below
                box = (i, xi - 0.06 - w if right else xi + 0.06, page.down(y) + dy - h / 2, w, h)
                if 0 <= box[2] <= page.panel - h and not any(_overlap(box, o) for o in boxes):
                    boxes.append(box)
                    placed.add(entry)
                    done += 1
                    axes[int(i)].annotate(
                        text, (x, y), xytext=(-6 if right else 6, -dy * 72), textcoords="offset points", fontsize=7,
                        ha="right" if right else "left", va="center", color="#222222", zorder=3.5,  # under markers
                        gid="entry_label", bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                                 "alpha": 0.75})
                    break


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two boxes (panel, x, y, width, height) overlap."""
    return a[0] == b[0] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3] and a[2] < b[2] + b[4] and b[2] < a[2] + a[4]


def _stretch(page: _Page) -> str:
    months = round(page.bin_days / 30.44)
    return ("a week" if page.bin_days <= 7 else "2 weeks" if page.bin_days <= 14 else
            "a month" if months == 1 else f"{months} months")


def _legend(fig: Figure, found: dict[str, Any], options: TimelineOptions, page: _Page) -> None:
    """The key, below the panels so it never covers an entry."""
    handles: list[Any] = [Line2D([], [], ls="", marker=s.marker, ms=8, mfc=s.face, mew=1.2,
                                 mec=s.edge if s.face == "none" else s.face, label=s.label) for s in IMPACTS.values()]
    handles += [Line2D([], [], ls="", marker="o", ms=math.sqrt(SIZES[k]), mfc="#BBBBBB", mec="#555555", label=t)
                for k, t in (("high", "High significance"), ("medium", "Medium significance"),
                             ("low", "Low or not rated"))]
    handles.append(Line2D([], [], ls="", marker="o", ms=13, mfc="none", mec=WORDS_COLOUR, mew=1.3,
                          label="Child's own words"))
    if found["spans"]:
        handles.append(Line2D([], [], color="#767676", lw=2, alpha=0.6, label="Uncertain date: its span"))
    handles += [Patch(facecolor=colour, edgecolor="#9A9A9A", label=label) for label, colour in found["plans"].values()]
    if found["blocks"]:
        handles.append(Patch(facecolor=colormaps["Greys"](0.4), edgecolor=IMPACTS["negative"].face,
                             label=f"Over {options.dense_threshold} in {_stretch(page)}: count (red: negative share)"))
    # blanks fill the last column, so each column holds one kind: impact, size and words, the rest
    handles += [Line2D([], [], ls="", label=" ") for _ in range(-len(handles) % _LEGEND_ROWS)]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.02, 0.08 / page.height), frameon=False,
               ncol=math.ceil(len(handles) / _LEGEND_ROWS), fontsize=8, handletextpad=0.4, columnspacing=1.4,
               borderaxespad=0)


def describe_timeline(frame: pd.DataFrame, plans: list[dict[str, Any]], children: list[TimelineChild],
                      settings: Settings, options: TimelineOptions | None = None) -> str:
    """The timeline's alt text: who, which period, how many entries, and the main pattern.

    Args:
        frame: entries as `records.entries_frame` gives them.
        plans: plan rows as `Store.plans` gives them.
        children: the children drawn, with their labels.
        settings: the vocabularies in force.
        options: as given to `timeline_figure`.

    Returns:
        One short paragraph of plain sentences; the same input gives the same text.
    """
    options = options or TimelineOptions()
    p = _prepare(frame, plans, children, settings, options)
    c, n, labels = p.cols, len(p.cols["xm"]), [ch.label for ch in children]
    say = [f"Timeline of the chronology of {_who(labels)} from {p.start:%B %Y} to {p.end:%B %Y}, one row per "
           f"{options.lanes}."]
    if n == 0:
        say.append("No entries in this period.")
    else:
        agencies = len(set(c["agency"]))
        each = f" ({', '.join(f'{ch} {int(m.sum())}' for ch, m in zip(labels, p.child_masks, strict=True))})"
        say.append(f"{n} {'entry' if n == 1 else 'entries'} from {agencies} {'agency' if agencies == 1 else 'agencies'}"
                   f"{each if len(children) > 1 else ''}.")
        negative = c["impact"] == "negative"
        if negative.any():
            per_lane = np.bincount(c["lane"][negative], minlength=len(p.lanes))
            most = np.flatnonzero(per_lane == per_lane.max())
            tops = [_vocab(settings, options.lanes).label(p.lanes[k]) for k in most]
            where = (f"most often in the {tops[0]} row ({int(per_lane.max())})" if len(tops) == 1 else
                     f"most often in the {_who(tops)} rows ({int(per_lane.max())} each)" if len(tops) <= 3 else
                     f"spread over {int((per_lane > 0).sum())} rows")
            say.append(f"{_n(int(negative.sum()), 'entry', 'entries')} ({round(100 * negative.mean())}%) had a "
                       f"negative impact on the child, {where}.")
        else:
            say.append("No entry is recorded as having a negative impact.")
        wnb = int((c["category"] == "was_not_brought").sum())
        say.append(f"{_n(wnb, 'entry is', 'entries are')} a child not brought to a health appointment, and "
                   f"{_n(int(c['words'].sum()), 'records', 'record')} the child's own words.")
        years = pd.Series(mdates.num2date(c["xm"])).map(lambda d: d.year).value_counts().sort_index()
        if len(years) > 1:
            say.append(f"The busiest year was {int(years.idxmax())} ({int(years.max())} entries).")
        page = _page(p, [_vocab(settings, options.lanes).label(code) for code in p.lanes], len(children), options)
        blocked = np.zeros(n, bool)
        for mask in p.child_masks:
            index = np.flatnonzero(mask)
            _, dense, b = _dense(c["lane"][index], c["xm"][index], page, options.dense_threshold)
            blocked[index[dense[c["lane"][index], b]]] = True
        if blocked.any():
            say.append(f"{int(blocked.sum())} in busy stretches are drawn as grey blocks with counts, not one by one.")
        if spans := int((c["uncertain"] & ~blocked).sum()):
            say.append(f"{spans} with an uncertain date {'is' if spans == 1 else 'are'} drawn across the span "
                       "it may fall in.")
    left_out = [f"{p.undated} with no known date {'is' if p.undated == 1 else 'are'} left out" if p.undated else "",
                f"{_n(p.duplicates, 'incident', 'incidents')} reported again by another agency "
                f"{'is' if p.duplicates == 1 else 'are'} drawn once" if p.duplicates else "",
                f"{p.outside} outside this period not shown" if p.outside else ""]
    if any(left_out):
        say.append("; ".join(filter(None, left_out)).capitalize() + ".")
    say.append(_plans_sentence(plans, children, p.start, p.end, settings))
    return " ".join(say)


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _plans_sentence(plans: list[dict[str, Any]], children: list[TimelineChild], start: date, end: date,
                    settings: Settings) -> str:
    grouped: dict[tuple[Any, ...], list[str]] = {}  # a plan the siblings share is said once
    for child in children:
        for plan in _child_plans(plans, child, start, end):
            key = (plan["start"], plan["end"] or date.max, plan["type"], plan.get("category") or "")
            grouped.setdefault(key, []).append(child.label)
    if not grouped:
        return "No plans in this period."
    shared = len(children) > 1 and all(len(who) == len(children) for who in grouped.values())
    items = []
    for (s, e, kind, cat), who in sorted(grouped.items()):
        name = settings.plan_types.label(kind).lower() + (f" ({CP_CATEGORIES.label(cat).lower()})" if cat else "")
        when = f"from {s:%b %Y} to {e:%b %Y}" if e != date.max else f"from {s:%b %Y}, still open"
        items.append(f"{name} {when}" + (f" ({_who(who)})" if len(children) > 1 and not shared else ""))
    both = " (both children)" if len(children) == 2 else " (all the children)"
    return f"Plans{both if shared else ''}: " + "; ".join(items) + "."


def figure_bytes(fig: Figure, fmt: Literal["png", "svg"] = "png", dpi: int = 100) -> bytes:
    """Render a figure to PNG or SVG bytes through the Agg canvas (no pyplot, nothing displayed).

    Args:
        fig: the figure, e.g. from `timeline_figure`.
        fmt: "png" or "svg".
        dpi: dots per inch of a PNG (an SVG is vector).

    Returns:
        The file's bytes; the caller wraps them (data URI, download, image widget).
    """
    if fmt not in ("png", "svg"):
        raise ValueError(f"fmt must be 'png' or 'svg', not {fmt!r}")
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    buf = io.BytesIO()
    # Unhinted glyphs draw in about half the time and look the same at screen sizes. No date
    # and fixed ids in an SVG, so the same figure gives the same bytes.
    with mpl.rc_context({"text.hinting": "none", "svg.hashsalt": "neglect-kit"}):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata={"Date": None} if fmt == "svg" else None)
    return buf.getvalue()

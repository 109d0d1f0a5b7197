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
is vectorised (a collection per panel for each marker look, for spans, for blocks; one for the
key's marks), and text, the slowest thing Matplotlib draws, is kept to what a reader needs.
Lane names, dates and the key are laid out here from measured text widths rather than by
Matplotlib's axes ticks and legend, which build and measure boxes of artists at every draw;
every label is a `timeline_glyphs.OutlineText`, which a PNG draws from outlines laid out once.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from typing import Any, Literal

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import TICKDOWN
from matplotlib.markers import MarkerStyle
from matplotlib.path import Path
from matplotlib.transforms import IdentityTransform, ScaledTranslation

from ..config import Settings
from .timeline_glyphs import axes_text, figure_text
from .timeline_layout import (
    BAND,
    IMPACTS,
    LEGEND_ROWS,
    PANEL_TITLE,
    PLAN_STYLE,
    SIZES,
    TITLE,
    WORDS_COLOUR,
    Page,
    TimelineChild,
    TimelineOptions,
    beyond_note,
    child_plans,
    dense_bins,
    page_layout,
    per_value,
    prepare,
    text_height,
    text_width,
    vocab_for,
    who,
)
from .timeline_text import describe_timeline

__all__ = ["IMPACTS", "PLAN_STYLE", "SIZES", "WORDS_COLOUR", "TimelineChild", "TimelineOptions",
           "describe_timeline", "figure_bytes", "timeline_figure"]
from ..vocab import CP_CATEGORIES


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
    p = prepare(frame, plans, children, settings, options)
    lane_labels = [vocab_for(settings, options.lanes).label(c) for c in p.lanes]
    page = page_layout(p, lane_labels, len(children), options)
    ticks = mdates.AutoDateLocator(minticks=4, maxticks=12).tick_values(mdates.num2date(page.x0),
                                                                         mdates.num2date(page.x1))
    page.ticks = [t for t in ticks if page.x0 <= t <= page.x1]
    fig = Figure(figsize=(options.width, page.height))
    FigureCanvasAgg(fig)
    c = p.cols
    other = "category" if options.lanes == "agency" else "agency"
    label_text = (per_value(pd.Series(c["description"]), lambda d: " ".join(d.split()[:5]))
                  if options.label_from == "description"
                  else per_value(pd.Series(c[other]), vocab_for(settings, other).label))
    axes: list[Axes] = []
    boxes: list[tuple[float, ...]] = []  # text placed so far: panel, x, y down, width, height (inches)
    candidates: list[np.ndarray] = []  # entries that may be labelled: rank, x, panel, lane, entry
    runs: list[tuple[Any, ...]] = []  # runs of blocks: count, axes, x, lane, width (inches)
    found: dict[str, Any] = {"plans": {}, "spans": False, "blocks": False}
    for i, (child, mask) in enumerate(zip(children, p.child_masks, strict=True)):
        top = page.height - TITLE - PANEL_TITLE - i * (PANEL_TITLE + page.panel + page.between)
        ax = fig.add_axes((page.left / options.width, (top - page.panel) / page.height, page.data_w / options.width,
                           page.panel / page.height), sharex=axes[0] if axes else None)
        axes.append(ax)
        _panel(ax, child, int(mask.sum()), lane_labels, page)
        _plans(ax, i, child_plans(plans, child, p.start, p.end), settings, page, boxes, found)
        if not mask.any():
            axes_text(ax, 0.5, 0.5, "No entries in this period", transform=ax.transAxes, ha="center", va="center",
                    fontsize=10, color="#444444", gid="no_entries")
            continue
        index = np.flatnonzero(mask)
        at_edge = c["edge"][index] != 0  # never hidden in a block: each is drawn, with its arrow
        single = _blocks(ax, index[~at_edge], c, options, page, runs, found)
        _entries(ax, i, np.sort(np.r_[index[~at_edge][single], index[at_edge]]), c, found, candidates)
        _edges(ax, index[at_edge], c, page)
    for ax in axes if options.dates_on_every_panel else axes[-1:]:
        _dates(ax, page)
    # the biggest runs first, and only where the number fits inside its block
    for total, ax, x, y, width in sorted(runs, key=lambda r: (-r[0], r[2]))[:options.max_count_labels]:
        if text_width(str(total), 6.5) + 0.02 <= width:
            axes_text(ax, x, y, str(total), fontsize=6.5, ha="center", va="center", zorder=6, gid="dense_count")
    _labels(axes, candidates, label_text, options.max_labels, page, boxes)
    figure_text(fig, page.left / options.width, 1 - 0.3 / page.height,
             f"{who([ch.label for ch in children])}: chronology {p.start:%B %Y} to {p.end:%B %Y}",
             fontsize=12, fontweight="bold", va="center", gid="title")
    if note := beyond_note(p.beyond):  # the window is drawn around the rest: say so where the title is read
        figure_text(fig, (page.left + page.data_w) / options.width, 1 - 0.3 / page.height, note + " \u2192"
                    if p.beyond[-1] > p.end else "\u2190 " + note, fontsize=9, ha="right", va="center",
                    color="#9E3A00", gid="edge_note")
    _legend(fig, found, options, page)
    return fig


def _edges(ax: Axes, index: np.ndarray, c: dict[str, np.ndarray], page: Page) -> None:
    """An arrow beside each entry drawn at the window's edge, pointing to where its date lies."""
    if not len(index):
        return
    edge, x, y = c["edge"][index], c["xm"][index], c["lane"][index].astype(float)
    gap = 0.12 * page.per_in  # just beyond the entry's marker, between it and the edge
    for side, marker in ((1, ">"), (-1, "<")):
        if (m := edge == side).any():
            _points(ax, x[m] + side * gap, y[m], marker, np.full(m.sum(), 30.0), "#9E3A00", "#9E3A00", 0.5, 5.5,
                    "edge_arrows")
    for arrows in (a for a in ax.collections if a.get_gid() == "edge_arrows"):
        arrows.set_clip_on(False)  # an arrow on the edge itself stays whole


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


def _dates(ax: Axes, page: Page) -> None:
    """Dates under the bottom panel: tick marks and labels drawn as an axis draws them.

    Every panel's date axis is hidden, so Matplotlib builds no tick artists (two lines and two
    texts per tick, slow to build); one line of tick markers and a text per date look the same.
    """
    ax.plot(page.ticks, np.zeros(len(page.ticks)), ls="none", marker=TICKDOWN, ms=mpl.rcParams["xtick.major.size"],
            mew=mpl.rcParams["xtick.major.width"], color=mpl.rcParams["xtick.color"], clip_on=False,
            transform=ax.get_xaxis_transform(), gid="date_ticks")
    # where an axis puts its labels: below the tick, by its length and the label pad
    place, va, ha = ax.get_xaxis_text1_transform(mpl.rcParams["xtick.major.size"] + mpl.rcParams["xtick.major.pad"])
    label = _date_format(page.ticks)
    for pos, x in enumerate(page.ticks):
        axes_text(ax, x, 0, label(x, pos), transform=place, va=va, ha=ha, fontsize=8, gid="date_label")


def _panel(ax: Axes, child: TimelineChild, count: int, lane_labels: list[str], page: Page) -> None:
    # y given: placing the title clear of the axis decorations would measure them all (slow)
    ax.set_title(f"{child.label} ({count} {'entry' if count == 1 else 'entries'})", loc="left", fontsize=10,
                 fontweight="bold", y=1.0, pad=6)
    ax.set_xlim(page.x0, page.x1)
    bottom, top = max(page.lanes, 1) - 0.5, -0.5 - page.band
    ax.set_ylim(bottom, top)  # the first lane at the top, the plan band above it
    # lane names as text beside the axes, not tick labels: the same look without building a
    # tick (five artists) per lane
    ax.set_yticks([])
    ax.xaxis.set_visible(False)  # dates drawn by `_dates`
    for k, label in enumerate(lane_labels):
        axes_text(ax, -0.008, k, label, transform=ax.get_yaxis_transform(), ha="right", va="center", fontsize=8,
                gid="lane_label")
    # rules as plain collections: `hlines` and `vlines` go through masked arrays, five times slower
    if lane_labels:
        rows = np.arange(len(lane_labels), dtype=float)
        ax.add_collection(LineCollection(_rules(rows, page.x0, page.x1, across=True), colors="#E8E8E8",
                                         linewidths=0.8, zorder=0.5, gid="lane_lines"), autolim=False)
    ax.add_collection(LineCollection(_rules(np.asarray(page.ticks, float), top, bottom, across=False),
                                     colors="#D0D0D0", linewidths=0.6, zorder=0.5, gid="date_lines"), autolim=False)
    ax.spines[["top", "right"]].set_visible(False)


def _rules(at: np.ndarray, lo: float, hi: float, across: bool) -> np.ndarray:
    """Straight lines as (n, 2, 2) segments: across (y = each of `at`, x from lo to hi) or up (x = each)."""
    ends = np.stack([np.full(len(at), lo), np.full(len(at), hi)], axis=1)
    points = np.stack([ends, np.repeat(at[:, None], 2, axis=1)], axis=2)
    return points if across else points[..., ::-1]


def _plans(ax: Axes, i: int, plans: list[dict[str, Any]], settings: Settings, page: Page,
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
            width = text_width(text, 7.5) + 0.06
            if width <= (pe - ps) / page.per_in:
                axes_text(ax, ps + 0.03 * page.per_in, -0.5 - page.band / 2, text, fontsize=7.5, va="center",
                        color="#333333", gid="plan_label")
                boxes.append((i, (ps - page.x0) / page.per_in, 0.0, width, BAND))  # entry labels keep clear
                break
    ax.add_collection(PolyCollection(verts, facecolors=colours, edgecolors="#9A9A9A", linewidths=0.6, zorder=0,
                                     gid="plans"), autolim=False)


def _blocks(ax: Axes, index: np.ndarray, c: dict[str, np.ndarray], options: TimelineOptions, page: Page,
            runs: list[tuple[Any, ...]], found: dict[str, Any]) -> np.ndarray:
    """Draw crowded lane-bins as blocks; return which of the panel's entries stay single markers."""
    lane = c["lane"][index]
    counts, dense, b = dense_bins(lane, c["xm"][index], page, options.dense_threshold)
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


def _labels(axes: list[Axes], candidates: list[np.ndarray], label_text: np.ndarray, cap: int, page: Page,
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
            w, h = text_width(text, 7) + 0.05, 0.14
            xi = (x - page.x0) / page.per_in
            right = xi + 0.06 + w > page.data_w  # near the right edge the label goes left of its marker
            for dy in (-0.17, 0.17):  # just above the marker, else just below
                box = (i, xi - 0.06 - w if right else xi + 0.06, page.down(y) + dy - h / 2, w, h)
                if 0 <= box[2] <= page.panel - h and not any(_overlap(box, o) for o in boxes):
                    boxes.append(box)
                    placed.add(entry)
                    done += 1
                    ax = axes[int(i)]
                    beside = ScaledTranslation((-6 if right else 6) / 72, -dy, ax.get_figure().dpi_scale_trans)
                    axes_text(ax, x, y, text, transform=ax.transData + beside, fontsize=7,
                              ha="right" if right else "left", va="center", color="#222222",
                              zorder=3.5,  # under the markers
                              gid="entry_label", bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                                       "alpha": 0.75})
                    break


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two boxes (panel, x, y, width, height) overlap."""
    return a[0] == b[0] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3] and a[2] < b[2] + b[4] and b[2] < a[2] + a[4]


def _stretch(page: Page) -> str:
    months = round(page.bin_days / 30.44)
    return ("a week" if page.bin_days <= 7 else "2 weeks" if page.bin_days <= 14 else
            "a month" if months == 1 else f"{months} months")


def _legend(fig: Figure, found: dict[str, Any], options: TimelineOptions, page: Page) -> None:
    """The key, below the panels so it never covers an entry.

    Laid out as `Figure.legend` would lay it out (a mark, a gap, its label; columns of
    `LEGEND_ROWS`, each holding one kind: impact, size and words, the rest) but drawn as one
    collection per kind of mark and one text per label: a legend measures and packs every entry
    in nested boxes each time it is drawn, which cost a sixth of the figure's drawing time.
    """
    # (label, kind, look): a marker (path, area, face, edge, edge width), the span line, or a patch (face, edge)
    items: list[tuple[str, str, tuple[Any, ...]]] = [
        (s.label, "marker", (s.marker, 64.0, s.face, s.edge if s.face == "none" else s.face, 1.2))
        for s in IMPACTS.values()]
    items += [(t, "marker", ("o", SIZES[k], "#BBBBBB", "#555555", 1.0))
              for k, t in (("high", "High significance"), ("medium", "Medium significance"),
                           ("low", "Low or not rated"))]
    items.append(("Child's own words", "marker", ("o", 169.0, "none", WORDS_COLOUR, 1.3)))
    if found["spans"]:
        items.append(("Uncertain date: its span", "line", ("#767676",)))
    items += [(label, "patch", (colour, "#9A9A9A")) for label, colour in found["plans"].values()]
    if found["blocks"]:
        items.append((f"Over {options.dense_threshold} in {_stretch(page)}: count (red: negative share)", "patch",
                      (colormaps["Greys"](0.4), IMPACTS["negative"].face)))
    # a legend's spacing at 8 points, in inches: mark 2 em by 0.7 em, 0.4 em to the label, 1.4 em
    # between columns, 0.5 em between rows, 0.4 em around the whole
    em = 8 / 72
    mark_w, mark_h, gap, col_gap, row_gap, pad = 2 * em, 0.7 * em, 0.4 * em, 1.4 * em, 0.5 * em, 0.4 * em
    height, descent = text_height(8)
    left = 0.02 * options.width + pad
    markers: list[tuple[float, float, tuple[Any, ...]]] = []
    patches: list[tuple[float, float, tuple[Any, ...]]] = []
    lines: list[tuple[float, float]] = []
    for col in range(0, len(items), LEGEND_ROWS):
        column = items[col:col + LEGEND_ROWS]
        for row, (label, kind, look) in enumerate(column):
            base = 0.08 + pad + descent + (LEGEND_ROWS - 1 - row) * (height + row_gap)  # the label's baseline
            if kind == "marker":
                markers.append((left + mark_w / 2, base + mark_h / 2, look))
            elif kind == "patch":
                patches.append((left, base, look))
            else:
                lines.append((left, base + mark_h / 2))
            figure_text(fig, left + mark_w + gap, base, label, transform=fig.dpi_scale_trans, fontsize=8, va="baseline",
                     gid="key_label")
        left += mark_w + gap + max(text_width(label, 8) for label, _, _ in column) + col_gap
    inches = fig.dpi_scale_trans
    looks = [look for _, _, look in markers]
    key = PathCollection([_marker(m) for m, *_ in looks], sizes=[a for _, a, *_ in looks],
                         offsets=[(x, y) for x, y, _ in markers], offset_transform=inches,
                         facecolors=[f for _, _, f, _, _ in looks], edgecolors=[e for *_, e, _ in looks],
                         linewidths=[w for *_, w in looks], gid="key_marks")
    key.set_transform(IdentityTransform())
    fig.add_artist(key)
    if patches:
        fig.add_artist(PolyCollection(
            [[(x, y), (x + mark_w, y), (x + mark_w, y + mark_h), (x, y + mark_h)] for x, y, _ in patches],
            facecolors=[f for *_, (f, _) in patches], edgecolors=[e for *_, (_, e) in patches], linewidths=1.0,
            transform=inches, gid="key_patches"))
    if lines:
        fig.add_artist(LineCollection([[(x, y), (x + mark_w, y)] for x, y in lines], colors="#767676", linewidths=2,
                                      alpha=0.6, capstyle="projecting", transform=inches, gid="key_lines"))


PNG_COMPRESSION = 1  # zlib's level (0-9) for a PNG: 1 is the fastest that still compresses


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
    # and fixed ids in an SVG, so the same figure gives the same bytes. A PNG is compressed at
    # zlib's fastest level: the same pixels in a file about 6% bigger, saved in about a fifth
    # less time (at zlib's default, compressing took a quarter of drawing a case's first timeline).
    png = {"pil_kwargs": {"compress_level": PNG_COMPRESSION}} if fmt == "png" else {}
    with mpl.rc_context({"text.hinting": "none", "svg.hashsalt": "neglect-kit"}):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata={"Date": None} if fmt == "svg" else None, **png)
    return buf.getvalue()

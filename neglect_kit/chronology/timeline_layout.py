"""Where a chronology timeline puts things: the entries to draw, the window, the lanes, and
the page (sizes in inches), worked out before anything is drawn.

Shared by the drawing (`timeline.py`) and the alt text (`timeline_text.py`), so the words
always describe the picture. No drawing here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.textpath import TextToPath

from ..config import Settings


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
        dates_on_every_panel: the dates under each child's panel, not only the bottom one (a
            screen, where the bottom panel can be scrolled out of sight).
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
    dates_on_every_panel: bool = False

    def __post_init__(self) -> None:
        if self.lanes not in ("agency", "category"):
            raise ValueError(f"lanes must be 'agency' or 'category', not {self.lanes!r}")
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"the window starts ({self.start}) after it ends ({self.end})")
        if min(self.max_labels, self.max_count_labels) < 0 or self.dense_threshold < 1 or self.width < 4:
            raise ValueError("labels must be 0 or more, dense_threshold 1 or more and width 4 inches or more")



BINS = (7.0, 14.0, 365.25 / 12, 365.25 / 6, 365.25 / 4, 365.25 / 2, 365.25)  # days, shortest first
# layout, inches: title, panel title, lane, plan band, date axis, right margin, legend row
TITLE, PANEL_TITLE, LANE, BAND, AXIS, RIGHT, ROW = 0.5, 0.32, 0.27, 0.26, 0.38, 0.3, 0.2
LEGEND_ROWS = 4  # so the key's columns are impact, significance, marks, plans
# an entry far outside the rest (`far_out`): more than two years beyond the next entry in, and
# further than half the span of those further in; drawn this share of the window inside its edge
FAR_GAP, FAR_SHARE, EDGE_INSET = 730.0, 0.5, 0.02



@dataclass
class Prepared:
    """The entries to draw, as arrays with one element per entry (shown on each of its children)."""

    start: date
    end: date
    lanes: list[str]
    cols: dict[str, np.ndarray]
    child_masks: list[np.ndarray]
    undated: int
    duplicates: int
    outside: int
    beyond: list[date] = field(default_factory=list)  # entries far outside the rest, drawn at the window's edge


FontKey = tuple[tuple[str, ...], str, str, Any, Any, float]  # family, style, variant, weight, stretch, size
_MEASURE = TextToPath()


def font_key(prop: FontProperties) -> FontKey:
    """A hashable copy of what picks and sizes a font (a `FontProperties` can change in place)."""
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(), prop.get_stretch(),
            prop.get_size_in_points())


def font_props(key: FontKey) -> FontProperties:
    family, style, variant, weight, stretch, size = key
    return FontProperties(family=list(family), style=style, variant=variant, weight=weight, stretch=stretch, size=size)


@lru_cache(maxsize=4096)
def line_metrics(text: str, key: FontKey) -> tuple[float, float, float]:
    """Width, height and descent of one line of text in points, unhinted, as Agg measures it."""
    w, h, d = _MEASURE.get_text_width_height_descent(text, font_props(key), ismath=False)
    return float(w), float(h), float(d)


@lru_cache(maxsize=4096)
def text_width(text: str, size: float = 8) -> float:
    """Width of `text` in inches at `size` points as it is drawn (unhinted), to lay out without drawing."""
    return line_metrics(text, font_key(FontProperties(size=size)))[0] / 72


@lru_cache(maxsize=16)
def text_height(size: float = 8) -> tuple[float, float]:
    """Height and descent of a line of text in inches at `size` points, as a legend spaces its rows:
    the glyphs' extent, at least the font's typographic ascent and descent."""
    prop = FontProperties(size=size)
    _, height, descent = RendererAgg(1, 1, 720).get_text_width_height_descent("lp", prop, ismath=False)
    font = get_font(findfont(prop))
    scale = size / 72 / font.get_sfnt_table("head")["unitsPerEm"]
    typo = font.get_sfnt_table("OS/2") or {"sTypoAscender": 0, "sTypoDescender": 0}
    ascent = max((height - descent) / 720, typo["sTypoAscender"] * scale)
    descent = max(descent / 720, -typo["sTypoDescender"] * scale)
    return ascent + descent, descent


def per_value(values: pd.Series, fn: Any, dtype: Any = object) -> np.ndarray:
    """`fn` of each element, computed once per distinct value (a column repeats a few values)."""
    codes, uniques = pd.factorize(values)  # a missing value is code -1, so it takes the last: fn("")
    missing = [fn("")] if (codes < 0).any() else []
    return np.array([*(fn(str(u)) for u in uniques), *missing], dtype=dtype)[codes]


def prepare(frame: pd.DataFrame, plans: list[dict[str, Any]], children: list[TimelineChild],
             settings: Settings, options: TimelineOptions) -> Prepared:
    """Each shown child's dated entries in the window, duplicates skipped, placed on the page."""
    if not children:
        raise ValueError("the timeline needs at least one child")
    f = frame
    if "status" in f.columns:  # a withdrawn entry is out of every current view
        current = per_value(f["status"], lambda s: s != "withdrawn", bool)
        f = f if current.all() else f[current]
    masks = [per_value(f["children"], lambda s, c=c.id: c in {n.strip() for n in s.split(";")}, bool)
             for c in children]
    anyone = np.logical_or.reduce(masks)
    dup = per_value(f["duplicate_of"], bool, bool)
    early = pd.to_datetime(f["earliest"], errors="coerce")
    late = pd.to_datetime(f["latest"], errors="coerce").fillna(early)
    dated = early.notna().to_numpy(bool)
    mine = anyone & ~dup & dated
    ids = {c.id for c in children}
    far = np.zeros(len(f), bool)
    if options.start is None or options.end is None:  # a window the reader chose shows what is in it, no more
        low, high = far_out(mdates.date2num(early[mine].to_numpy()))
        far[np.flatnonzero(mine)] = ((low if options.start is None else False)
                                     | (high if options.end is None else False))
    start, end = window_of(options, early[mine & ~far], late[mine & ~far], [p for p in plans if p["child_id"] in ids])
    inside = dated & (early <= pd.Timestamp(end)).to_numpy(bool) & (late >= pd.Timestamp(start)).to_numpy(bool)
    far &= ~inside
    keep = mine & (inside | far)
    x0, x1 = mdates.date2num(start), mdates.date2num(end + timedelta(days=1))
    # each span clipped to the window, so a marker is always in the middle of what is visible; an
    # entry far outside the rest sits just inside the edge it lies beyond
    xs = np.maximum(mdates.date2num(early[keep].to_numpy()), x0)
    xe = np.minimum(mdates.date2num(late[keep].to_numpy()) + 1, x1)
    edge = np.where(far[keep], np.where(xs >= x1, 1, -1), 0)
    inset = (x1 - x0) * EDGE_INSET
    xs = np.where(edge > 0, x1 - inset, np.where(edge < 0, x0 + inset, xs))
    xe = np.where(edge != 0, xs, xe)
    order = {c: i for i, c in enumerate(vocab_for(settings, options.lanes).codes())}
    # vocabulary order, so a lane keeps its place from one case to the next; unknown codes last
    # columns are read whole and then indexed: cheaper than copying the frame's kept rows
    codes = {k: per_value(f[k], str)[keep] for k in ("agency", "category")}
    lane_of, shown = pd.factorize(codes[options.lanes])
    lanes = sorted(set(shown), key=lambda c: (order.get(c, len(order)), c))
    place = {c: i for i, c in enumerate(lanes)}
    cols = {
        "lane": np.array([place[c] for c in shown], int)[lane_of], "xs": xs, "xe": xe, "xm": (xs + xe) / 2,
        "impact": per_value(f["impact"], lambda s: s if s in IMPACTS else "unknown")[keep],
        "sig": per_value(f["significance"], str)[keep],
        "words": per_value(f["child_words"], lambda s: bool(s.strip()), bool)[keep],
        "uncertain": per_value(f["precision"], lambda s: s != "day", bool)[keep] & (edge == 0), "edge": edge,
        "record_id": f["record_id"].to_numpy(object)[keep],
        "agency": codes["agency"], "category": codes["category"],
        "description": f["description"].fillna("").to_numpy(object)[keep],
    }
    return Prepared(start, end, lanes, cols, [m[keep] for m in masks], undated=int((anyone & ~dup & ~dated).sum()),
                     duplicates=int((anyone & dup & inside).sum()), outside=int((mine & ~inside & ~far).sum()),
                     beyond=sorted(d.date() for d in early[far]))


def far_out(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which dates lie far outside the rest, below and above them (two masks over `days`).

    The rule: from each end, a date more than `FAR_GAP` days beyond the next one in, and
    further from it than `FAR_SHARE` of the span of the dates further in, is far out (a
    mistyped year, most often); the next one in is then tried the same way, for at most
    `max(3, 1%)` of the dates at each end. The window is drawn around the rest.
    """
    low, high = np.zeros(len(days), bool), np.zeros(len(days), bool)
    order = np.argsort(days, kind="stable")
    x = days[order]
    most, lo, hi = max(3, len(x) // 100), 0, len(x) - 1
    for _ in range(2):  # twice: one end's slip can hide the other's by widening the span
        while hi - lo >= 2 and high.sum() < most and _apart(x[hi] - x[hi - 1], x[hi - 1] - x[lo]):
            high[order[hi]], hi = True, hi - 1
        while hi - lo >= 2 and low.sum() < most and _apart(x[lo + 1] - x[lo], x[hi] - x[lo + 1]):
            low[order[lo]], lo = True, lo + 1
    return low, high


def _apart(gap: float, span: float) -> bool:
    return gap > FAR_GAP and gap > FAR_SHARE * span


def beyond_note(dates: list[date]) -> str:
    """"1 entry dated 2031 shown at the edge", for the entries far outside the rest; "" if none."""
    if not dates:
        return ""
    years = sorted({d.year for d in dates})
    when = str(years[0]) if len(years) == 1 else f"{years[0]} and {years[1]}" if len(years) == 2 else \
        f"{years[0]} to {years[-1]}"
    return f"{len(dates)} {'entry' if len(dates) == 1 else 'entries'} dated {when} shown at the edge"


def vocab_for(settings: Settings, kind: str) -> Any:
    return settings.agencies if kind == "agency" else settings.categories


def window_of(options: TimelineOptions, early: pd.Series, late: pd.Series,
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


def child_plans(plans: list[dict[str, Any]], child: TimelineChild, start: date, end: date) -> list[dict[str, Any]]:
    return [p for p in plans if p["child_id"] == child.id and p["start"] <= end and (p["end"] or end) >= start]


def who(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


@dataclass
class Page:
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
    between: float = 0.0  # room for dates between panels, inches

    @property
    def per_in(self) -> float:
        return (self.x1 - self.x0) / self.data_w  # days per inch

    @property
    def band(self) -> float:
        return BAND / LANE  # the plan band above the lanes, in lanes

    def down(self, y: float) -> float:
        """Inches from a panel's top to lane position `y`."""
        return (y + 0.5 + self.band) / (max(self.lanes, 1) + self.band) * self.panel


def page_layout(p: Prepared, lane_labels: list[str], panels: int, options: TimelineOptions) -> Page:
    left = max((text_width(s) for s in lane_labels), default=0.5) + 0.25
    panel = max(1.0, len(p.lanes) * LANE + BAND)
    between = AXIS if options.dates_on_every_panel else 0.0
    height = TITLE + panels * (PANEL_TITLE + panel) + (panels - 1) * between + AXIS + LEGEND_ROWS * ROW + 0.15
    x0, x1 = mdates.date2num(p.start), mdates.date2num(p.end + timedelta(days=1))
    data_w = options.width - left - RIGHT
    shortest = options.min_bin_width * (x1 - x0) / data_w
    return Page(left, data_w, height, panel, len(p.lanes), x0, x1, next((b for b in BINS if b >= shortest), shortest),
                between=between)


def dense_bins(lane: np.ndarray, xm: np.ndarray, page: Page, threshold: int
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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



"""The timeline figure, checked by its structure (artists, counts, texts), never by pixels."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection, PolyCollection

from neglect_kit.chronology import timeline, timeline_layout
from neglect_kit.chronology.records import COLUMNS, entries_frame, stored_entries
from neglect_kit.chronology.timeline import (
    TimelineChild,
    TimelineOptions,
    describe_timeline,
    figure_bytes,
    timeline_figure,
)
from neglect_kit.config import Settings

SETTINGS = Settings()
RUBY, JACK = TimelineChild("ruby", "Child A"), TimelineChild("jack", "Child B")
YEAR = TimelineOptions(start=date(2020, 1, 1), end=date(2020, 12, 31))


def entry(day: date | None, *, rid: str | None = None, agency: str = "school", children: str = "ruby",
          category: str = "attendance", impact: str = "negative", significance: str = "medium",
          precision: str = "day", latest: date | None = None, child_words: str = "", duplicate_of: str = "",
          description: str = "Ruby was late to school.") -> dict[str, Any]:
    """One row as `entries_frame` gives it; a span when `latest` is after `day`."""
    return {"record_id": rid, "event_date": str(day or "?"), "precision": precision if day else "unknown",
            "earliest": day, "latest": latest or day, "agency": agency, "children": children,
            "category": category, "description": description, "impact": impact, "significance": significance,
            "child_words": child_words, "duplicate_of": duplicate_of, "status": "active", "pre_birth": ""}


def frame(*rows: dict[str, Any]) -> pd.DataFrame:
    """A frame with every `entries_frame` column, record ids filled in."""
    out = pd.DataFrame([dict.fromkeys(COLUMNS, "") | {k: v for k, v in r.items() if v is not None or k != "record_id"}
                        for r in rows], columns=COLUMNS)
    out["record_id"] = [r["record_id"] or f"r{i}" for i, r in enumerate(rows)]
    return out


def plan(child: str, kind: str, start: date, end: date | None, category: str = "") -> dict[str, Any]:
    return {"child_id": child, "type": kind, "category": category, "start": start, "end": end}


def gid(artists: list[Any], name: str) -> list[Any]:
    return [a for a in artists if (a.get_gid() or "").startswith(name)]


def points(ax: Any, name: str = "entries:") -> int:
    return sum(len(c.get_offsets()) for c in gid(ax.collections, name))


def texts(ax: Any, name: str) -> list[str]:
    return [t.get_text() for t in gid(ax.texts, name)]


def d(month: int, day: int = 15) -> date:
    return date(2020, month, day)


MIXED = frame(
    entry(d(1), agency="gp", category="was_not_brought", impact="unknown", significance="low"),
    entry(d(2), agency="school", impact="negative", significance="high", child_words="I was hungry."),
    entry(d(3), agency="police", children="ruby; jack", category="domestic_abuse", impact="negative"),
    entry(d(3, 16), agency="health_visiting", children="ruby; jack", category="domestic_abuse",
          duplicate_of="r2"),  # the same incident, reported again: drawn once
    entry(d(4, 1), agency="childrens_social_care", impact="positive", category="positive", precision="month",
          latest=d(4, 30)),
    entry(d(5), agency="school", impact="neutral", precision="season", latest=d(7, 31), children="jack"),
    entry(None, agency="gp", children="ruby"),  # no date: left out, counted
    entry(d(6), agency="nursery", impact="positive", child_words="I like it here.", children="jack"),
    entry(date(2019, 6, 1), agency="housing"),  # before the window
)
PLANS = [plan("ruby", "child_in_need", d(1, 1), d(4, 1)), plan("ruby", "child_protection", d(4, 1), None, "neglect"),
         plan("jack", "child_protection", d(4, 1), None, "neglect"), plan("ruby", "early_help", date(2018, 1, 1),
                                                                          date(2018, 6, 1))]


def test_lanes_follow_the_vocabulary_order_and_switch_to_categories():
    fig = timeline_figure(MIXED, PLANS, [RUBY], SETTINGS, YEAR)
    [ax] = fig.axes
    # ruby's entries in the window: gp, school, police, social care (not housing: 2019)
    assert texts(ax, "lane_label") == ["Children's social care", "GP", "Police", "School"]
    by_category = timeline_figure(MIXED, PLANS, [RUBY], SETTINGS, TimelineOptions(lanes="category", start=d(1, 1),
                                                                                    end=d(12, 31)))
    assert texts(by_category.axes[0], "lane_label") == [
        "Was not brought (health appointment)", "School or nursery absence", "Domestic abuse",
        "Positive event or strength"]


def test_each_entry_once_per_child_duplicates_and_undated_left_out():
    fig = timeline_figure(MIXED, PLANS, [RUBY, JACK], SETTINGS, YEAR)
    ruby, jack = fig.axes
    assert points(ruby) == 4  # gp, school, police, social care
    assert points(jack) == 3  # police (shared), school, nursery
    assert points(ruby, "child_words") == 1
    assert points(jack, "child_words") == 1
    assert ruby.get_title(loc="left") == "Child A (4 entries)"


def test_impact_is_shape_and_colour_together():
    many = frame(*[entry(d(m), impact=i, significance="medium") for m, i in
                   zip(range(1, 5), ["negative", "positive", "neutral", "unknown"], strict=True)])
    [ax] = timeline_figure(many, [], [RUBY], SETTINGS, YEAR).axes
    looks = {}
    for c in gid(ax.collections, "entries:"):
        assert isinstance(c, PathCollection)
        looks[c.get_gid()] = (tuple(map(tuple, c.get_paths()[0].vertices.round(3))),
                              tuple(c.get_facecolor()[0]) if len(c.get_facecolor()) else "none")
    assert set(looks) == {"entries:negative", "entries:positive", "entries:neutral", "entries:unknown"}
    assert len({shape for shape, _ in looks.values()}) == 4
    assert len({colour for _, colour in looks.values()}) == 4


def test_significance_is_size():
    rows = frame(entry(d(2), significance="high"), entry(d(3), significance="low"), entry(d(4), significance=""))
    [ax] = timeline_figure(rows, [], [RUBY], SETTINGS, YEAR).axes
    sizes = sorted(float(s) for c in gid(ax.collections, "entries:negative") for s in c.get_sizes())
    assert sizes == [timeline.SIZES["low"], timeline.SIZES["low"], timeline.SIZES["high"]]
    assert points(ax) == 3


def test_many_markers_are_one_collection_per_size():
    rows = frame(*[entry(d(1, 1) + timedelta(days=3 * k), agency=["school", "gp", "police"][k % 3],
                         significance=["high", "medium", "low"][k // 3 % 3]) for k in range(120)])
    [ax] = timeline_figure(rows, [], [RUBY], SETTINGS, YEAR).axes
    negative = gid(ax.collections, "entries:negative")
    assert len(negative) == 3
    assert all(len(c.get_sizes()) == 1 for c in negative)
    assert points(ax) == 120


def test_plans_shaded_per_child_and_named():
    fig = timeline_figure(MIXED, PLANS, [RUBY, JACK], SETTINGS, YEAR)
    ruby, jack = fig.axes
    # ruby's early help plan of 2018 is outside the window
    [shade] = gid(ruby.collections, "plans")
    assert isinstance(shade, PolyCollection)
    assert len(shade.get_paths()) == 2
    assert len(gid(jack.collections, "plans")[0].get_paths()) == 1
    assert texts(ruby, "plan_label") == ["CIN", "CP: neglect"]
    assert texts(jack, "plan_label") == ["CP: neglect"]
    # an open plan runs to the end of the window
    right = max(v[0] for v in gid(jack.collections, "plans")[0].get_paths()[0].vertices)
    assert right == pytest.approx(mdates.date2num(d(12, 31) + timedelta(days=1)))


def test_uncertain_dates_are_spans_with_the_marker_in_the_middle():
    fig = timeline_figure(MIXED, PLANS, [RUBY, JACK], SETTINGS, YEAR)
    ruby, jack = fig.axes
    [spans] = gid(ruby.collections, "date_spans")
    assert isinstance(spans, LineCollection)
    assert len(spans.get_segments()) == 1
    (x0, _), (x1, _) = spans.get_segments()[0]
    assert (x0, x1) == (mdates.date2num(d(4, 1)), mdates.date2num(d(5, 1)))
    assert mdates.date2num(d(4, 16)) in gid(ruby.collections, "entries:positive")[0].get_offsets()[:, 0]
    assert len(gid(jack.collections, "date_spans")[0].get_segments()) == 1  # summer 2020


def test_siblings_share_the_time_axis_and_the_window():
    fig = timeline_figure(MIXED, PLANS, [RUBY, JACK], SETTINGS, YEAR)
    ruby, jack = fig.axes
    assert ruby.get_shared_x_axes().joined(ruby, jack)
    assert ruby.get_position().y0 > jack.get_position().y1  # one above the other
    lo, hi = jack.get_xlim()
    assert (lo, hi) == (mdates.date2num(d(1, 1)), mdates.date2num(date(2021, 1, 1)))
    assert ruby.get_xlim() == (lo, hi)
    for ax in fig.axes:  # nothing drawn outside the window
        for c in gid(ax.collections, "entries:"):
            assert ((c.get_offsets()[:, 0] >= lo) & (c.get_offsets()[:, 0] <= hi)).all()


def test_dates_are_under_the_bottom_panel_only():
    fig = timeline_figure(MIXED, PLANS, [RUBY, JACK], SETTINGS, YEAR)
    ruby, jack = fig.axes
    assert texts(ruby, "date_label") == []
    months = texts(jack, "date_label")
    # a year's window: months, the year under the first and under January
    assert months[0] == "Jan\n2020" and "Jul" in months and months[-1] == "Jan\n2021"
    [marks] = gid(jack.lines, "date_ticks")
    assert len(marks.get_xdata()) == len(months)
    lo, hi = jack.get_xlim()
    assert all(lo <= x <= hi for x in marks.get_xdata())
    figure_bytes(fig)  # laid out: each date under its tick, below the panel
    for label, x in zip(gid(jack.texts, "date_label"), marks.get_xdata(), strict=True):
        box = label.get_window_extent()
        assert box.y1 < jack.get_window_extent().y0
        assert box.x0 < jack.transData.transform((x, 0))[0] < box.x1
    decade = timeline_figure(frame(entry(date(2013, 3, 1)), entry(date(2022, 9, 1))), [], [RUBY], SETTINGS)
    years = texts(decade.axes[0], "date_label")
    assert years[0] == "2013" and years[-1] == "2022" and all(y.isdigit() for y in years)


def test_default_window_is_the_data_padded():
    rows = frame(entry(date(2016, 1, 1)), entry(date(2019, 12, 31)))
    [ax] = timeline_figure(rows, [], [RUBY], SETTINGS).axes
    lo, hi = ax.get_xlim()
    assert mdates.date2num(date(2015, 11, 1)) < lo < mdates.date2num(date(2016, 1, 1))
    assert mdates.date2num(date(2020, 1, 1)) < hi < mdates.date2num(date(2020, 3, 1))


def test_a_busy_lane_becomes_blocks_with_counts():
    rng = np.random.default_rng(1)
    days = [d(1, 1) + timedelta(days=int(n)) for n in rng.integers(0, 366, 3000)]
    busy = frame(*[entry(day, impact=rng.choice(["negative", "positive"]), significance="high") for day in days],
                 entry(d(6), agency="gp"))
    fig = timeline_figure(busy, [], [RUBY], SETTINGS, YEAR)
    [ax] = fig.axes
    [blocks] = gid(ax.collections, "dense_blocks")
    assert len(blocks.get_paths()) > 20
    assert points(ax) < 50  # individual markers only where the lane is not crowded
    assert 0 < len(texts(ax, "dense_count")) <= YEAR.max_count_labels
    assert sum(int(t) for t in texts(ax, "dense_count")) <= 3000
    assert len(gid(ax.collections, "dense_negative")[0].get_paths()) == len(blocks.get_paths())
    assert "count" in " ".join(texts(fig, "key_label"))
    assert "drawn as grey blocks" in describe_timeline(busy, [], [RUBY], SETTINGS, YEAR)
    # a sparse lane stays as single markers
    assert gid(ax.collections, "entries:negative") or gid(ax.collections, "entries:positive")


def test_labels_are_capped_and_the_most_significant_come_first():
    rows = frame(*[entry(d(1, 1) + timedelta(days=9 * k), significance="high" if k % 3 == 0 else "low",
                         agency=["school", "gp", "police", "nursery"][k % 4], category="home_conditions")
                   for k in range(40)])
    fig = timeline_figure(rows, [], [RUBY], SETTINGS, TimelineOptions(start=d(1, 1), end=d(12, 31), max_labels=5))
    labels = texts(fig.axes[0], "entry_label")
    assert 0 < len(labels) <= 5
    assert set(labels) == {"Home conditions"}
    none = timeline_figure(rows, [], [RUBY], SETTINGS, TimelineOptions(max_labels=0))
    assert texts(none.axes[0], "entry_label") == []


def test_an_entry_on_two_panels_is_labelled_once():
    shared = frame(entry(d(3), children="ruby; jack", significance="high", category="injury"))
    fig = timeline_figure(shared, [], [RUBY, JACK], SETTINGS, YEAR)
    assert sum(len(texts(ax, "entry_label")) for ax in fig.axes) == 1


def test_title_names_the_children_and_the_period():
    fig = timeline_figure(MIXED, PLANS, [RUBY, JACK], SETTINGS, YEAR)
    assert texts(fig, "title") == ["Child A and Child B: chronology January 2020 to December 2020"]
    assert fig.axes[1].get_title(loc="left").startswith("Child B")


def test_an_empty_frame_still_draws_a_figure():
    fig = timeline_figure(frame(), PLANS[:2], [RUBY], SETTINGS)
    [ax] = fig.axes
    assert texts(ax, "no_entries") == ["No entries in this period"]
    assert len(gid(ax.collections, "plans")[0].get_paths()) == 2  # the window is around the plans
    assert figure_bytes(fig).startswith(b"\x89PNG")
    assert "No entries in this period" in describe_timeline(frame(), PLANS[:2], [RUBY], SETTINGS)


def test_the_key_is_below_the_panels_and_shows_each_mark():
    fig = timeline_figure(MIXED, PLANS, [RUBY, JACK], SETTINGS, YEAR)
    figure_bytes(fig)  # lay it out
    labels = texts(fig, "key_label")
    assert labels[:4] == ["Negative impact", "Positive impact", "Neutral impact", "Impact unknown"]
    assert {"High significance", "Child's own words", "Uncertain date: its span", "CP: Child protection plan",
            "CIN: Child in need plan"} <= set(labels)
    panels = min(ax.get_window_extent().y0 for ax in fig.axes)
    boxes = [t.get_window_extent() for t in gid(fig.texts, "key_label")]
    assert max(b.y1 for b in boxes) < panels
    assert min(b.y0 for b in boxes) > 0 and max(b.x1 for b in boxes) < fig.bbox.x1
    # columns of four: impact, then size and words, then the rest, none overlapping
    assert len({round(b.x0) for b in boxes[:4]}) == 1 and len({round(b.x0) for b in boxes[4:8]}) == 1
    assert boxes[0].x1 < boxes[4].x0 and boxes[4].x1 < boxes[8].x0
    assert [round(b.y0) for b in boxes[:4]] == [round(b.y0) for b in boxes[4:8]]
    # the impact marks look as on the panels: the same shape and colour (the fill, or the outline of a hollow one)
    [marks] = gid(fig.artists, "key_marks")
    assert len(marks.get_offsets()) == 4 + 3 + 1

    def colour(faces: np.ndarray, edges: np.ndarray, k: int) -> tuple[float, ...]:
        return tuple(faces[k] if len(faces) > k and faces[k][3] > 0 else edges[k])

    drawn = {c.get_gid(): c for ax in fig.axes for c in ax.collections if (c.get_gid() or "").startswith("entries:")}
    assert len(drawn) == 4  # every impact is on a panel
    for k, name in enumerate(["negative", "positive", "neutral", "unknown"]):
        c = drawn[f"entries:{name}"]
        np.testing.assert_allclose(marks.get_paths()[k].vertices, c.get_paths()[0].vertices)
        key = colour(marks.get_facecolor(), marks.get_edgecolor(), k)
        assert key == colour(c.get_facecolor(), c.get_edgecolor(), 0)
    [patches] = gid(fig.artists, "key_patches")
    assert len(patches.get_paths()) == 2  # the two plan types
    assert len(gid(fig.artists, "key_lines")) == 1  # the span line


def test_describe_says_who_when_how_many_and_the_pattern():
    text = describe_timeline(MIXED, PLANS, [RUBY, JACK], SETTINGS, YEAR)
    assert "Child A and Child B" in text
    assert "January 2020 to December 2020" in text
    assert "6 entries from 5 agencies (Child A 4, Child B 3)" in text
    assert "2 entries (33%) had a negative impact" in text
    assert "1 entry is a child not brought" in text
    assert "2 record the child's own words" in text
    assert "most often in the Police and School rows (1 each)" in text
    assert "2 with an uncertain date" in text
    assert "1 with no known date is left out" in text
    assert "1 incident reported again" in text
    assert "1 outside this period" in text
    assert "child protection plan (neglect) from Apr 2020, still open (Child A and Child B)" in text
    assert text == describe_timeline(MIXED, PLANS, [RUBY, JACK], SETTINGS, YEAR)


def test_withdrawn_entries_and_unknown_impacts():
    rows = frame(entry(d(2)), entry(d(3), impact="odd"))
    rows.loc[0, "status"] = "withdrawn"
    [ax] = timeline_figure(rows, [], [RUBY], SETTINGS, YEAR).axes
    assert points(ax) == 1
    assert points(ax, "entries:unknown") == 1


def test_figure_bytes_png_and_svg():
    fig = timeline_figure(MIXED, PLANS, [RUBY], SETTINGS, YEAR)
    assert figure_bytes(fig, "png").startswith(b"\x89PNG\r\n\x1a\n")
    svg = figure_bytes(fig, "svg")
    assert svg.lstrip().startswith((b"<?xml", b"<svg"))
    assert svg == figure_bytes(fig, "svg")
    with pytest.raises(ValueError, match="png"):
        figure_bytes(fig, "gif")  # type: ignore[arg-type]


def _zlib_level(png: bytes) -> int:
    """The FLEVEL of a PNG's image data: 0 for zlib's fastest levels, 2 for its default (the first IDAT's header)."""
    at = 8
    while png[at + 4:at + 8] != b"IDAT":  # each chunk: its length, type, data and CRC
        at += 12 + int.from_bytes(png[at:at + 4], "big")
    return png[at + 9] >> 6


def test_a_png_is_compressed_fast_with_the_same_pixels(monkeypatch):
    import io

    from PIL import Image

    fig = timeline_figure(MIXED, PLANS, [RUBY], SETTINGS, YEAR)
    fast = figure_bytes(fig, "png")
    assert _zlib_level(fast) == 0
    monkeypatch.setattr(timeline, "PNG_COMPRESSION", 6)
    default = figure_bytes(fig, "png")
    assert _zlib_level(default) == 2
    assert Image.open(io.BytesIO(fast)).tobytes() == Image.open(io.BytesIO(default)).tobytes()


def test_bad_options_and_no_children_are_refused():
    with pytest.raises(ValueError, match="after it ends"):
        TimelineOptions(start=d(5), end=d(4))
    with pytest.raises(ValueError, match="lanes"):
        TimelineOptions(lanes="child")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one child"):
        timeline_figure(MIXED, [], [], SETTINGS)


def test_no_pyplot_in_the_module():
    source = Path(timeline.__file__).read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import matplotlib\.pyplot|from matplotlib import pyplot)", source, re.M)


def test_the_demo_siblings(demo, capsys):
    capsys.readouterr()
    f = entries_frame(stored_entries(demo, "fenwick"))
    kids = [TimelineChild(c["id"], c["name"]) for c in demo.people("fenwick", kind="child")]
    fig = timeline_figure(f, demo.plans("fenwick"), kids, SETTINGS)
    assert len(fig.axes) == 2
    for ax, kid in zip(fig.axes, kids, strict=True):
        mine = f[f["children"].str.split("; ").map(lambda ids, k=kid.id: k in ids) & (f["duplicate_of"] == "")
                 & f["earliest"].notna()]
        assert points(ax) + sum(int(t) for t in texts(ax, "dense_count")) >= len(mine) >= points(ax)
        assert len(gid(ax.collections, "plans")[0].get_paths()) == 6
        assert texts(ax, "lane_label")[0] == "Children's social care"
    assert sum(len(texts(ax, "entry_label")) for ax in fig.axes) <= 12
    text = describe_timeline(f, demo.plans("fenwick"), kids, SETTINGS)
    assert "Maisie Fenwick and Theo Fenwick" in text
    assert "13 agencies" in text  # the school nurse row of the multi-agency log is school nursing

    one = entries_frame(stored_entries(demo, "dunmore"))
    [riley] = [TimelineChild(c["id"], "Child A") for c in demo.people("dunmore", kind="child")]
    fig = timeline_figure(one, demo.plans("dunmore"), [riley], SETTINGS, TimelineOptions(lanes="category"))
    assert points(fig.axes[0]) == len(one)
    assert "Riley" not in " ".join(t.get_text() for ax in fig.axes for t in ax.texts)  # anonymised


YEAR_OF_ENTRIES = [entry(date(2019, m, 10), agency=a, children="ruby; jack" if m % 2 else "ruby")
                   for m in range(1, 13) for a in ("school", "gp")]


def test_a_mistyped_far_future_entry_is_shown_at_the_edge_not_stretching_the_axis():
    rows = frame(*YEAR_OF_ENTRIES, entry(date(2031, 3, 4), agency="police", children="jack", rid="typo"))
    fig = timeline_figure(rows, [], [RUBY, JACK], SETTINGS)
    ruby, jack = fig.axes
    lo, hi = jack.get_xlim()
    assert hi < mdates.date2num(date(2020, 3, 1))  # the window is the rest's, not eleven years
    [arrow] = gid(jack.collections, "edge_arrows")
    [(x, y)] = arrow.get_offsets()
    assert hi - 0.05 * (hi - lo) < x <= hi  # at the right edge, on the police lane
    assert texts(jack, "lane_label")[int(y)] == "Police"
    assert gid(ruby.collections, "edge_arrows") == []
    assert points(jack) == 13  # the entry is drawn (its mark), not left out
    assert texts(fig, "edge_note") == ["1 entry dated 2031 shown at the edge \u2192"]
    text = describe_timeline(rows, [], [RUBY, JACK], SETTINGS)
    assert "1 entry dated 2031 shown at the edge, as it lies far outside the rest (4 March 2031)" in text
    assert "outside this period" not in text
    # a window the reader chose shows what is in it: the entry is outside it, counted, not at an edge
    chosen = timeline_figure(rows, [], [RUBY, JACK], SETTINGS, YEAR)
    assert gid(chosen.axes[1].collections, "edge_arrows") == [] and texts(chosen, "edge_note") == []


def test_far_out_is_for_lone_dates_far_from_the_rest():
    days = mdates.date2num(np.array([date(2012, 1, 1) + timedelta(days=40 * k) for k in range(100)]))
    low, high = timeline_layout.far_out(days)
    assert not low.any() and not high.any()  # an even spread: nothing far out
    typo = np.r_[days, mdates.date2num(date(2031, 1, 1)), mdates.date2num(date(1990, 1, 1))]
    low, high = timeline_layout.far_out(typo)
    assert np.flatnonzero(high).tolist() == [100] and np.flatnonzero(low).tolist() == [101]
    near = np.r_[days, days[-1] + 400]  # a year past the last: a gap, but not far out
    assert not timeline_layout.far_out(near)[1].any()
    few = mdates.date2num(np.array([date(2019, 1, 1), date(2019, 6, 1), date(2025, 1, 1)]))
    assert timeline_layout.far_out(few)[1].tolist() == [False, False, True]
    assert not timeline_layout.far_out(few[:2])[1].any()  # two dates: no rest to be far from
    assert timeline_layout.beyond_note([date(2029, 1, 1), date(2031, 5, 1), date(2030, 1, 1)]) == \
        "3 entries dated 2029 to 2031 shown at the edge"


def test_dates_under_every_panel_when_asked():
    fig = timeline_figure(MIXED, PLANS, [RUBY, JACK], SETTINGS, TimelineOptions(start=d(1, 1), end=d(12, 31),
                                                                                   dates_on_every_panel=True))
    ruby, jack = fig.axes
    assert texts(ruby, "date_label") == texts(jack, "date_label") != []
    figure_bytes(fig)
    top = max(t.get_window_extent().y1 for t in gid(ruby.texts, "date_label"))
    assert top < ruby.get_window_extent().y0  # under the upper panel
    assert min(t.get_window_extent().y0 for t in gid(ruby.texts, "date_label")) > jack.get_window_extent().y1

"""The timeline to explore: where each mark is, what hover reads, which entry a click opens, the zoom window."""

from __future__ import annotations

from datetime import date, timedelta

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.backend_bases import MouseButton, MouseEvent

from neglect_kit.chronology.timeline import TimelineOptions, timeline_figure
from neglect_kit.chronology.timeline_interactive import (
    TimelineExplorer,
    hover_text,
    marks_of,
    nearest,
    zoom_window,
)
from tests.test_chronology_app import NAMES, app  # noqa: F401 (the fixture)
from tests.test_timeline import JACK, MIXED, PLANS, RUBY, SETTINGS, YEAR, d, entry, frame, gid

BOUNDS = (date(2015, 1, 1), date(2020, 12, 31))


def test_marks_are_where_the_figure_draws_each_entry():
    marks = marks_of(MIXED, PLANS, [RUBY, JACK], SETTINGS, YEAR)
    fig = timeline_figure(MIXED, PLANS, [RUBY, JACK], SETTINGS, YEAR)
    for panel, ax in enumerate(fig.axes):
        drawn = sorted(map(tuple, np.concatenate([c.get_offsets() for c in gid(ax.collections, "entries:")])))
        mine = marks.panel == panel
        assert sorted(zip(marks.x[mine], marks.lane[mine].astype(float), strict=True)) == drawn
    # ruby: gp, school, police, social care; jack: police (the same entry), school, nursery
    assert sorted(marks.record_id[marks.panel == 0]) == ["r0", "r1", "r2", "r4"]
    assert sorted(marks.record_id[marks.panel == 1]) == ["r2", "r5", "r7"]
    assert not marks.blocked.any()


def test_nearest_finds_the_mark_under_the_pointer_on_its_panel_only():
    marks = marks_of(MIXED, PLANS, [RUBY, JACK], SETTINGS, YEAR)
    fig = timeline_figure(MIXED, PLANS, [RUBY, JACK], SETTINGS, YEAR)
    ruby, jack = fig.axes
    xy = np.column_stack([marks.x, marks.lane])
    pixels = ruby.transData.transform(xy)
    k = int(np.flatnonzero((marks.record_id == "r1") & (marks.panel == 0))[0])
    x, y = pixels[k]
    assert marks.record_id[nearest(marks, 0, pixels, (x + 4, y - 3))] == "r1"
    assert nearest(marks, 0, pixels, (x + 30, y + 30)) is None  # nothing within reach
    assert nearest(marks, 1, jack.transData.transform(xy), (x, y)) is None  # another panel's mark is not there


def test_hover_reads_the_date_the_agency_and_what_happened():
    row = frame(entry(d(2), agency="health_visiting", description="Home visit.   Kitchen had no food.\n"))
    assert hover_text(row.iloc[0], SETTINGS) == "2020-02-15, Health visiting: Home visit. Kitchen had no food."
    row.loc[0, "date_shown"] = "15 Feb 2020"
    assert hover_text(row.iloc[0], SETTINGS).startswith("15 Feb 2020, Health visiting: ")
    long = frame(entry(d(2), description="word " * 100)).iloc[0]
    text = hover_text(long, SETTINGS)
    assert text.endswith("\u2026") and len(text) < 200


def test_zoom_window_is_ordered_inside_the_bounds_and_never_shorter_than_two_weeks():
    a, b = mdates.date2num(date(2018, 5, 1)), mdates.date2num(date(2019, 2, 1))
    assert zoom_window(b, a, BOUNDS) == (date(2018, 5, 1), date(2019, 2, 1))  # dragged right to left
    assert zoom_window(mdates.date2num(date(2010, 1, 1)), a, BOUNDS) == (date(2015, 1, 1), date(2018, 5, 1))
    start, end = zoom_window(a, a + 1, BOUNDS)
    assert (end - start).days == 14 and start <= date(2018, 5, 1) <= end
    start, end = zoom_window(mdates.date2num(date(2020, 12, 30)), mdates.date2num(date(2020, 12, 31)), BOUNDS)
    assert end == date(2020, 12, 31) and (end - start).days == 14


def _event(explorer: TimelineExplorer, record_id: str, panel: int, kind: str = "button_press_event",
           nudge: float = 2.0) -> MouseEvent:
    fig = explorer._figure
    assert fig is not None and explorer._marks is not None
    marks = explorer._marks
    k = int(np.flatnonzero((marks.record_id == record_id) & (marks.panel == panel))[0])
    fig.canvas.draw()
    x, y = fig.axes[panel].transData.transform((marks.x[k], marks.lane[k]))
    return MouseEvent(kind, fig.canvas, x + nudge, y - nudge, button=MouseButton.LEFT)


def test_explorer_hover_reads_the_entry_and_a_click_opens_it():
    picked: list[str] = []
    explorer = TimelineExplorer(SETTINGS, picked.append)
    shown = MIXED.assign(description=[f"Said for {r}" for r in MIXED["record_id"]])  # as the view shows them
    explorer.show(MIXED, PLANS, [RUBY, JACK], YEAR, texts=shown)
    assert len(explorer._figure.axes) == 2
    assert all(gid(ax.texts, "date_label") for ax in explorer._figure.axes)  # dates under every panel
    assert explorer.text_at(_event(explorer, "r5", 1)) == "2020-05-15, School: Said for r5"
    explorer.click(_event(explorer, "r2", 1))
    assert picked == ["r2"]
    far = _event(explorer, "r2", 1, nudge=60)
    explorer.click(far)
    assert explorer.text_at(far) == "" and picked == ["r2"]
    # pressed and let go on the same spot is a click; a drag is not
    explorer._pressed(_event(explorer, "r7", 1))
    explorer._released(_event(explorer, "r7", 1, kind="button_release_event"))
    assert picked == ["r2", "r7"]
    explorer._pressed(_event(explorer, "r7", 1, nudge=-40))
    explorer._released(_event(explorer, "r7", 1, kind="button_release_event"))
    assert picked == ["r2", "r7"]


def test_explorer_zooms_by_drag_block_and_dropdowns_and_goes_back():
    rng = np.random.default_rng(3)
    days = [date(2016, 1, 1) + timedelta(days=int(n)) for n in rng.integers(0, 4 * 365, 1500)]
    busy = frame(*[entry(day, rid=f"b{i}") for i, day in enumerate(days)])
    explorer = TimelineExplorer(SETTINGS, lambda _: None)
    explorer.show(busy, [], [RUBY], TimelineOptions())
    whole = explorer._marks.window
    assert (explorer.zoom_from.index, explorer.zoom_to.index) == (0, len(explorer.zoom_to.options) - 1)
    # a block: hover says how many and how to see each; a click zooms to its stretch
    k = int(np.flatnonzero(explorer._marks.blocked)[0])
    rid = str(explorer._marks.record_id[k])
    assert " entries from " in explorer.text_at(_event(explorer, rid, 0, nudge=0))
    explorer.click(_event(explorer, rid, 0, nudge=0))
    start, end = explorer._marks.window
    assert whole[0] <= start and end <= whole[1] and (end - start).days < 200
    # a drag across the dates
    explorer._dragged(mdates.date2num(date(2017, 3, 1)), mdates.date2num(date(2017, 9, 1)))
    assert explorer._marks.window == (date(2017, 3, 1), date(2017, 9, 1))
    assert (explorer.zoom_from.value, explorer.zoom_to.value) == (date(2017, 3, 1), date(2017, 9, 1))  # they follow
    assert explorer._figure.axes[0].get_xlim()[0] == mdates.date2num(date(2017, 3, 1))
    # the months chosen (either way round), then "Show all dates"
    stops = [day for _, day in explorer.zoom_from.options]
    explorer.zoom_from.index = 2
    assert explorer._marks.window == (stops[2], date(2017, 9, 1))
    explorer.zoom_to.index = 5
    assert explorer._marks.window == (stops[2], stops[5])
    explorer.zoom_to.index = 1  # before "from": the two months either way round
    assert explorer._marks.window == (stops[1], stops[2])
    explorer.all_dates.click()
    assert explorer._marks.window == whole


def test_an_entry_far_outside_the_rest_is_a_mark_at_the_edge():
    rows = frame(*[entry(date(2019, m, 10)) for m in range(1, 13)], entry(date(2031, 3, 4), rid="typo"))
    marks = marks_of(rows, [], [RUBY], SETTINGS, TimelineOptions())
    [k] = np.flatnonzero(marks.record_id == "typo")
    assert marks.x[k] < mdates.date2num(date(2020, 3, 1))  # on the window, at its right edge
    assert marks.x[k] == pytest.approx(marks.x.max())
    assert isinstance(pd.Timestamp(marks.window[1]), pd.Timestamp) and marks.window[1] < date(2020, 3, 1)


def test_the_app_opens_on_the_picture_and_explores_when_asked(app):  # noqa: F811 (the fixture imported)
    assert app.timeline_panel._explorer is None and app.explore_box.children == ()
    app.explore()
    explorer = app.timeline_panel._explorer
    assert app.timeline.layout.display == "none" and explorer.widget in app.explore_box.children
    assert "Timeline of the chronology of Maisie Fenwick" in explorer.about.value
    # a click on a mark marks its row in the table (brought into the rows shown) and opens it in the form
    rid = str(explorer._marks.record_id[~explorer._marks.blocked][0])
    explorer.click(_event(explorer, rid, int(explorer._marks.panel[explorer._marks.record_id == rid][0]), nudge=0))
    assert app.table.table.selected == rid and rid in app.table.table.row_ids()
    assert app.save_button.description == "Save changes" and app.form.editing[0] == rid
    # the anonymised view: hover reads the entry as that view shows it, naming nobody
    app.view.value = "anonymised"
    explorer = app.timeline_panel._explorer
    said = [explorer.text_at(_event(explorer, str(r), int(p), nudge=0))
            for r, p in zip(explorer._marks.record_id, explorer._marks.panel, strict=True)]
    assert any(said) and not any(name in text for text in said for name in NAMES)
    assert not any(name in explorer.about.value for name in NAMES)

"""Drawing a ten-year, 10,000-entry timeline to PNG, against one plain scatter of the same points."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from _common import CHILDREN as CASE_CHILDREN
from _common import FAST, best_of, result_line
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from neglect_kit.chronology.records import COLUMNS
from neglect_kit.chronology.timeline import TimelineChild, TimelineOptions, figure_bytes, timeline_figure
from neglect_kit.config import Settings

ROWS = 10_000
GOAL = 2.0
FIRST, YEARS = date(2013, 1, 1), 10
CHILDREN = [TimelineChild(c.id, c.name) for c in CASE_CHILDREN]  # Ruby and Jack, as in every benchmark


def timeline_entries(rows: int = ROWS, seed: int = 0) -> pd.DataFrame:
    """Entries as `entries_frame` gives them: ten years, 12 agencies, mixed impact, significance, precision.

    About one in ten dates is known to the month only and one in fifty to the season; one in
    eight entries has the child's words and one in forty is a linked duplicate.
    """
    rng = np.random.default_rng(seed)
    agencies = Settings().agencies.codes()[:12]
    day = rng.integers(0, YEARS * 365, rows)
    earliest = np.array([FIRST + timedelta(days=int(d)) for d in day], dtype=object)
    precision = rng.choice(["day", "month", "season"], rows, p=[0.88, 0.1, 0.02])
    latest = earliest.copy()
    for i in np.flatnonzero(precision != "day"):  # a month or a season (three months) from the 1st
        first = earliest[i].replace(day=1)
        earliest[i] = first
        latest[i] = (first + timedelta(days=32 if precision[i] == "month" else 92)).replace(day=1) - timedelta(days=1)
    frame = pd.DataFrame(dict.fromkeys(COLUMNS, ""), index=range(rows))
    frame["record_id"] = [f"e{i:05d}" for i in range(rows)]
    frame["event_date"] = [d.isoformat() for d in earliest]
    frame["precision"], frame["earliest"], frame["latest"] = precision, earliest, latest
    frame["agency"] = rng.choice(agencies, rows)
    frame["children"] = rng.choice(["ruby", "jack", "ruby; jack"], rows)
    frame["category"] = rng.choice(Settings().categories.codes(), rows)
    frame["description"] = "Generated entry for the benchmark."
    frame["impact"] = rng.choice(["negative", "positive", "neutral", "unknown"], rows, p=[0.4, 0.2, 0.1, 0.3])
    frame["significance"] = rng.choice(["high", "medium", "low", ""], rows, p=[0.15, 0.4, 0.3, 0.15])
    frame["child_words"] = np.where(rng.random(rows) < 0.125, "I was hungry.", "")
    frame["duplicate_of"] = np.where(rng.random(rows) < 0.025, "e00000", "")
    return frame.sort_values(["earliest", "record_id"], kind="stable").reset_index(drop=True)


def timeline_plans() -> list[dict[str, object]]:
    """Each child's plans over the ten years: child in need, then protection, then an open plan."""
    spans = [("child_in_need", "", date(2014, 3, 1), date(2015, 6, 1)),
             ("child_protection", "neglect", date(2015, 6, 1), date(2017, 9, 1)),
             ("child_in_need", "", date(2017, 9, 1), date(2019, 1, 1)),
             ("child_protection", "neglect", date(2020, 5, 1), None)]
    return [{"child_id": c.id, "type": t, "category": cat, "start": s, "end": e}
            for c in CHILDREN for t, cat, s, e in spans]


def main(rows: int = ROWS) -> list[str]:
    """Time timeline_figure + PNG against a plain scatter + PNG; print and return the line."""
    frame, plans, settings = timeline_entries(rows), timeline_plans(), Settings()
    size = timeline_figure(frame, plans, CHILDREN, settings).get_size_inches()
    x = pd.to_datetime(frame["earliest"]).to_numpy()
    lane = frame["agency"].astype("category").cat.codes.to_numpy()

    def floor() -> bytes:  # the least a plot of these points must do, rendered the same way
        fig = Figure(figsize=size)
        FigureCanvasAgg(fig)
        fig.add_subplot().scatter(x, lane)
        return figure_bytes(fig, "png", dpi=100)

    def measured() -> bytes:
        return figure_bytes(timeline_figure(frame, plans, CHILDREN, settings, TimelineOptions()), "png", dpi=100)

    floor_time, took = best_of(floor, measured, repeat=FAST)
    return [result_line(f"timeline_figure + PNG, {rows:,} entries over {YEARS} years", took, floor_time, GOAL)]


if __name__ == "__main__":
    main()

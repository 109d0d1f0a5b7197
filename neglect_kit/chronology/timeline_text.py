"""The timeline's alt text: who, which period, how many entries, and the main pattern, in words.

A figure shown without it fails WCAG 1.1.1; every timeline the kit shows carries it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from ..config import Settings
from ..vocab import CP_CATEGORIES
from .timeline_layout import (
    TimelineChild,
    TimelineOptions,
    beyond_note,
    child_plans,
    dense_bins,
    page_layout,
    prepare,
    vocab_for,
    who,
)


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
    p = prepare(frame, plans, children, settings, options)
    c, n, labels = p.cols, len(p.cols["xm"]), [ch.label for ch in children]
    say = [f"Timeline of the chronology of {who(labels)} from {p.start:%B %Y} to {p.end:%B %Y}, one row per "
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
            tops = [vocab_for(settings, options.lanes).label(p.lanes[k]) for k in most]
            where = (f"most often in the {tops[0]} row ({int(per_lane.max())})" if len(tops) == 1 else
                     f"most often in the {who(tops)} rows ({int(per_lane.max())} each)" if len(tops) <= 3 else
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
        lane_labels = [vocab_for(settings, options.lanes).label(code) for code in p.lanes]
        page = page_layout(p, lane_labels, len(children), options)
        blocked = np.zeros(n, bool)
        for mask in p.child_masks:
            index = np.flatnonzero(mask & (c["edge"] == 0))  # as drawn: an entry at the edge is never in a block
            _, dense, b = dense_bins(c["lane"][index], c["xm"][index], page, options.dense_threshold)
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
    if p.beyond:
        they = "it lies" if len(p.beyond) == 1 else "they lie"
        say.append(f"{beyond_note(p.beyond)}, as {they} far outside the rest "
                   f"({', '.join(f'{d.day} {d:%B %Y}' for d in p.beyond[:5])}{', ...' if len(p.beyond) > 5 else ''}).")
    say.append(_plans_sentence(plans, children, p.start, p.end, settings))
    return " ".join(say)


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _plans_sentence(plans: list[dict[str, Any]], children: list[TimelineChild], start: date, end: date,
                    settings: Settings) -> str:
    grouped: dict[tuple[Any, ...], list[str]] = {}  # a plan the siblings share is said once
    for child in children:
        for plan in child_plans(plans, child, start, end):
            key = (plan["start"], plan["end"] or date.max, plan["type"], plan.get("category") or "")
            grouped.setdefault(key, []).append(child.label)
    if not grouped:
        return "No plans in this period."
    shared = len(children) > 1 and all(len(names) == len(children) for names in grouped.values())
    items = []
    for (s, e, kind, cat), names in sorted(grouped.items()):
        name = settings.plan_types.label(kind).lower() + (f" ({CP_CATEGORIES.label(cat).lower()})" if cat else "")
        when = f"from {s:%b %Y} to {e:%b %Y}" if e != date.max else f"from {s:%b %Y}, still open"
        items.append(f"{name} {when}" + (f" ({who(names)})" if len(children) > 1 and not shared else ""))
    both = " (both children)" if len(children) == 2 else " (all the children)"
    return f"Plans{both if shared else ''}: " + "; ".join(items) + "."



"""Start again: when the worker changes, what came before, so the new worker does not begin at zero.

A change of worker is a chronology entry of the category `worker_change`. For each one the
finding gives how long the child had been known, the entries and agencies so far, the plans
so far, and the other findings already under way by then (those that began before the change);
it links the change's entry and the first entry of each finding under way.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from ..findings import KIND_TITLES, Finding
from ..wording import count_words, day_text, duration, month_text
from .case_data import CaseData


def start_again_findings(data: CaseData, child: str, label: str, earlier: Sequence[Finding]) -> list[Finding]:
    """One finding per change of worker, summarising the history before it.

    Args:
        data: the case.
        child: the child's id.
        label: the child's name or role label.
        earlier: the child's other findings, to say which were already under way at each change.
    """
    rows = data.rows(child)  # in date order
    changes = rows[rows["category"] == "worker_change"].sort_values(["earliest", "record_id"])
    if changes.empty:
        return []
    days = rows["earliest"].to_numpy()
    # where each agency first appears: agencies known before a change are those first seen before it
    firsts = sorted(rows.reset_index(drop=True).groupby("agency").head(1).index)
    out = []
    for when, change_id in zip(changes["earliest"], changes["record_id"], strict=True):
        before = int(bisect_left(days, when))
        if before == 0:
            continue
        first = days[0]
        agencies = bisect_left(firsts, before)
        plans = [p for p in data.plans_of(child) if p["start"] < when]
        plan_words = "; ".join(f"{data.cfg.plan_types.label(p['type']).lower()} from {month_text(p['start'])}"
                               for p in plans) or "none"
        under_way = [f for f in earlier if f.start is not None and f.start < when and f.kind != "start_again"]
        kinds: dict[str, int] = {}
        for f in under_way:
            kinds[f.kind] = kinds.get(f.kind, 0) + 1
        found = "; ".join(f"{KIND_TITLES[k].lower()}: {n}" for k, n in kinds.items()) or "none yet"
        message = (f"When a new worker came on {day_text(when)}, {label} had been known for {duration(first, when)}: "
                   f"{count_words(before, 'entry', 'entries')} from {count_words(agencies, 'agency', 'agencies')}; "
                   f"plans so far: {count_words(len(plans), 'plan')} ({plan_words}). Findings already under way: "
                   f"{found}. What does the history before you say?")
        # the change itself, then the first entry of each finding under way (the findings list the rest)
        ids = tuple(dict.fromkeys([change_id, *(f.entry_ids[0] for f in under_way if f.entry_ids)]))
        out.append(Finding("start_again", "worker_change", child, first, when, message,
                           {"entries_before": before, "agencies_before": agencies, "plans_before": len(plans),
                            "findings_under_way": len(under_way)}, ids))
    return out

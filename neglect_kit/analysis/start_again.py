"""Start again: when the worker changes, what came before, so the new worker does not begin at zero.

A change of worker is a chronology entry of the category `worker_change`. For each one the
finding gives how long the child had been known, the entries and agencies so far, the plans
so far, and the other findings already under way by then (those that began before the change).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..chronology.patterns import child_rows
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
    rows = child_rows(data.frame, child)
    changes = rows[rows["category"] == "worker_change"].sort_values(["earliest", "record_id"])
    out = []
    for when, change_id in zip(changes["earliest"], changes["record_id"], strict=True):
        before = rows[rows["earliest"] < when]
        if before.empty:
            continue
        first = before["earliest"].min()
        plans = [p for p in data.plans_of(child) if p["start"] < when]
        plan_words = "; ".join(f"{data.cfg.plan_types.label(p['type']).lower()} from {month_text(p['start'])}"
                               for p in plans) or "none"
        under_way = [f for f in earlier if f.start is not None and f.start < when and f.kind != "start_again"]
        kinds = {}
        for f in under_way:
            kinds.setdefault(f.kind, []).append(f)
        found = "; ".join(f"{KIND_TITLES[k].lower()}: {len(fs)}" for k, fs in kinds.items()) or "none yet"
        message = (f"When a new worker came on {day_text(when)}, {label} had been known for {duration(first, when)}: "
                   f"{count_words(len(before), 'entry', 'entries')} from "
                   f"{count_words(before['agency'].nunique(), 'agency', 'agencies')}; plans so far: "
                   f"{count_words(len(plans), 'plan')} ({plan_words}). Findings already under way: {found}. "
                   "What does the history before you say?")
        ids = tuple(dict.fromkeys([change_id, *(i for f in under_way for i in f.entry_ids)]))
        out.append(Finding("start_again", "worker_change", child, first, when, message,
                           {"entries_before": len(before), "agencies_before": int(before["agency"].nunique()),
                            "plans_before": len(plans), "findings_under_way": len(under_way)}, ids))
    return out

"""The few findings a reader should see first: the headline of a child's summary.

The rule (written out in docs/analysis-rules.md, "The headline"): a finding's tier comes from
what it is; within a tier, the finding with more entries behind it comes first, then the more
recent; at most `PER_KIND` of one kind, so that different concerns show; `SHOWN` in all. What
the records show about the child's share of them (`record_share`) informs, and never heads.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from ..findings import Finding

SHOWN, PER_KIND = 4, 2


def tier(f: Finding) -> int | None:
    """1 is most serious; None: never in the headline."""
    if f.kind == "risk_not_named":
        # a risk in the records that plans were made without: the founding review's lesson
        return 1 if f.counts.get("plans", 0) and not f.counts.get("plans_naming", 0) else 2
    if f.kind == "unseen":
        # a gap found is a fact; "the records do not say" is a question to ask, one tier lower
        return 3 if f.code.endswith("_not_recorded") else 2
    return {"drift": 2, "indicator": 3, "start_again": 4}.get(f.kind)


def weight(f: Finding) -> int:
    """The entries behind a finding (its own count when it names one)."""
    return int(f.counts.get("entries", len(f.entry_ids)))


def headline(findings: list[Finding]) -> list[Finding]:
    """The findings to show first, most serious first (see the module's rule)."""
    ranked = sorted((f for f in findings if tier(f) is not None),
                    key=lambda f: (tier(f), -weight(f), -(f.end or f.start or date.min).toordinal()))
    chosen: list[Finding] = []
    per_kind: Counter[str] = Counter()
    for f in ranked:
        if per_kind[f.kind] < PER_KIND:
            chosen.append(f)
            per_kind[f.kind] += 1
        if len(chosen) == SHOWN:
            break
    return chosen

"""The few findings a reader should see first: the headline of a child's summary.

The rule (written out in docs/analysis-rules.md, "The headline"): a finding's tier comes from
what it is; within a tier, kinds in `KIND_ORDER`, codes in `CODE_ORDER`, then the finding with
more behind it (entries, or days since the child was last seen), then the more recent; at most
`PER_KIND` of one kind, so that different concerns show; `SHOWN` in all. What the records show
about the child's share of them (`record_share`) informs, and never heads. The supervision
screen's summary ranks by the same rule (`ranked`).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from ..findings import Finding

SHOWN, PER_KIND = 4, 2
KIND_ORDER = ("risk_not_named", "unseen", "drift", "indicator", "start_again")
CODE_ORDER = {
    "unseen": ("seen_alone", "seen_alone_not_recorded", "heard", "heard_not_recorded", "seen", "seen_not_recorded"),
    "drift": ("stuck_high", "target_missed", "action_carried", "long_plan", "repeat_plan", "re_referral"),
}


def tier(f: Finding) -> int | None:
    """1 is most serious; None: never in the headline."""
    if f.kind == "risk_not_named":
        # a risk in the records that plans were made without: the founding review's lesson
        return 1 if f.counts.get("plans", 0) and not f.counts.get("plans_naming", 0) else 2
    if f.kind == "unseen":
        # a gap found is a fact; "the records do not say" is a question to ask, one tier lower
        return 3 if f.code.endswith("_not_recorded") else 2
    return {"drift": 2, "indicator": 3, "start_again": 4}.get(f.kind)


def entries_behind(f: Finding) -> int:
    """The entries behind a finding (its own count when it names one)."""
    return int(f.counts.get("entries", len(f.entry_ids)))


def _key(f: Finding) -> tuple[int, ...]:
    codes = CODE_ORDER.get(f.kind, ())
    # more behind it first: entries, or for the child unseen the days since last recorded
    behind = int(f.counts.get("entries") or f.counts.get("recent_days") or len(f.entry_ids))
    return (tier(f) or 99, KIND_ORDER.index(f.kind), codes.index(f.code) if f.code in codes else len(codes),
            -behind, -(f.end or f.start or date.min).toordinal())


def ranked(findings: list[Finding]) -> list[Finding]:
    """Every finding that may head a summary, most serious first (see the module's rule)."""
    return sorted((f for f in findings if tier(f) is not None), key=_key)


def headline(findings: list[Finding]) -> list[Finding]:
    """The findings to show first: the most serious, at most `PER_KIND` of a kind, `SHOWN` in all."""
    chosen: list[Finding] = []
    per_kind: Counter[str] = Counter()
    for f in ranked(findings):
        if per_kind[f.kind] < PER_KIND:
            chosen.append(f)
            per_kind[f.kind] += 1
        if len(chosen) == SHOWN:
            break
    return chosen

"""Risk factors in the records but not in the plan.

In the review behind the kit, parental alcohol use ran through every agency's records and was
never named as a risk, so no plan addressed it (DOMAIN.md 1). For each of the four parental
factors an entry about the child counts when its category is that factor, or its words (the
description, the child's words, the impact note, the action and the outcome) mention it as present and not about someone
outside the child's parents and carers (see `chronology.risk_terms`). Mentions that rule the
factor out, are the adult's own denial, or only name a service ("referred to the substance misuse
team"), are counted apart and never as evidence.

A factor is raised when it is counted in at least `MIN_ENTRIES` entries and is named in none
of the child's plans, or was first named in a plan more than a year after it was first recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pandas as pd

from ..findings import Finding
from ..term_reader.reading import RECOVERY, TermMatcher
from ..wording import count_words, day_text, duration, month_text
from .case_data import CaseData

FACTORS = ("parental_alcohol", "parental_drugs", "parental_mental_health", "domestic_abuse")
MIN_ENTRIES = 2
LATE = timedelta(days=365)


def _reader(data: CaseData, child: str) -> Callable[[str], dict[str, str]]:
    """How a text reads for this child: one matcher, and one reading per distinct text, shared by
    siblings with the same parents (an entry about both is read once)."""
    parents = data.parents_of(child)
    names = tuple(sorted(n for p in parents for n in data.names_of(p)))
    others = tuple(sorted(n for p in data.people if p["kind"] != "child" and p not in parents
                          for n in data.names_of(p)))

    def make() -> Callable[[str], dict[str, str]]:
        matcher = TermMatcher({f: data.cfg.risk_terms[f] for f in (*FACTORS, RECOVERY) if f in data.cfg.risk_terms},
                              names, others)
        seen: dict[str, dict[str, str]] = {}
        return lambda text: seen[text] if text in seen else seen.setdefault(text, matcher.factors(text))

    return data.memo(("reader", names, others), make)


def factor_readings(data: CaseData, child: str) -> pd.DataFrame:
    """Per entry of the child: record_id, earliest, agency, and per factor how it reads
    ('present', 'other', 'negated', 'denied' or '')."""
    rows = data.rows(child)
    read = _reader(data, child)
    # joined as plain lists: a pandas column added to a column, four times over, took longer than the join
    columns = [rows[c].fillna("").tolist() for c in ("description", "child_words", "impact_note", "action", "outcome")]
    readings = [read("\n".join(cells)) for cells in zip(*columns, strict=True)]
    categories = rows["category"].tolist()
    out = rows[["record_id", "earliest", "agency", "category"]].copy()
    for f in FACTORS:
        out[f] = ["present" if c == f else r.get(f, "") for c, r in zip(categories, readings, strict=True)]
    return out


def risk_findings(data: CaseData, child: str, label: str) -> list[Finding]:
    """Each parental factor the child's records show and the child's plans do not name (or named late)."""
    readings = factor_readings(data, child)
    plans = data.plans_of(child)
    out = []
    for factor in FACTORS:
        if factor not in readings:
            continue
        present = readings[readings[factor] == "present"]
        if len(present) < MIN_ENTRIES:
            continue
        first, last = present["earliest"].min(), present["earliest"].max()
        named = [p for p in plans if factor in (p["risk_factors"] or [])]
        if named and named[0]["start"] - first <= LATE:
            continue
        agencies = present["agency"].nunique()
        name = data.cfg.risk_factors.label(factor)
        aside = [what.format(int((readings[factor] == k).sum())) for k, what in
                 (("negated", "ruled out in {} more"), ("denied", "denied by the adult in {} more"),
                  ("other", "{} more about someone outside the household"),
                  ("service", "{} more naming only a service"))
                 if (readings[factor] == k).any()]
        asides = f" ({'; '.join(aside)})" if aside else ""
        if not plans:
            plan_words = f"no plan for {label} is recorded in the kit"
        elif not named:
            plan_words = (f"not named in {label}'s plan" if len(plans) == 1 else
                          f"not named in any of {label}'s {count_words(len(plans), 'plan')}")
        else:
            plan_words = (f"first named in a plan on {day_text(named[0]['start'])}, "
                          f"{duration(first, named[0]['start'])} after it was first recorded")
        message = (f"{name}: mentioned in {count_words(len(present), 'entry', 'entries')} by "
                   f"{count_words(agencies, 'agency', 'agencies')} since {month_text(first)}{asides}; {plan_words}.")
        out.append(Finding("risk_not_named", factor, child, first, last, message,
                           {"entries": len(present), "agencies": agencies, "plans": len(plans),
                            "plans_naming": len(named), **{k: int((readings[factor] == k).sum())
                                                           for k in ("negated", "denied", "other", "service")}},
                           tuple(present.sort_values(["earliest", "record_id"])["record_id"])))
    return out


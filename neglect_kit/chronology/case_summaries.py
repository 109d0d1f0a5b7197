"""What each case holds, at a glance: children, plans and entries per agency."""

from __future__ import annotations

from typing import Any

from ..config import Settings, settings
from ..store import Store
from ..vocab import CP_CATEGORIES
from .records import counts_by_agency, stored_entries


def plan_label(plan: dict[str, Any], cfg: Settings) -> str:
    label = cfg.plan_types.label(plan["type"])
    if plan["category"]:
        label += f" ({CP_CATEGORIES.label(plan['category']).lower()})"
    end = f"{plan['end']:%d %b %Y}" if plan["end"] else "open"
    return f"{label}, {plan['start']:%d %b %Y} to {end}"


def case_summaries(store: Store, cfg: Settings | None = None) -> list[dict[str, Any]]:
    """Each case with its children, plans and entry counts (an incident reported twice counts once)."""
    cfg = cfg or settings()
    out = []
    for case in store.cases():
        children = store.people(case["id"], kind="child")
        names = {c["id"]: c["name"] for c in children}
        entries = stored_entries(store, case["id"])
        by_agency = counts_by_agency(entries)
        out.append({
            "id": case["id"], "title": case["title"], "local_authority": case["local_authority"],
            "children": [{"id": c["id"], "name": c["name"],
                          "date_of_birth": c["date_of_birth"] or c["expected_date_of_birth"]}
                         for c in children],
            "plans": [{"child": p["child_id"], "child_name": names.get(p["child_id"], p["child_id"]),
                       "type": p["type"], "category": p["category"], "start": p["start"], "end": p["end"],
                       "risk_factors": p["risk_factors"],
                       "risk_factor_labels": [cfg.risk_factors.label(r) for r in p["risk_factors"]],
                       "label": f"{names.get(p['child_id'], p['child_id'])}: {plan_label(p, cfg)}"}
                      for p in store.plans(case["id"])],
            "entries": sum(by_agency.values()),
            "linked_duplicates": sum(1 for e in entries if e.entry.duplicate_of),
            "entries_by_agency": {cfg.agencies.label(a): n for a, n in by_agency.items()},
        })
    return out

"""All the findings for a case, child by child, in one call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..findings import KIND_TITLES, Finding
from ..perf import collector_paused
from ..store import NotFound
from .case_data import CaseData
from .drift import CarriedAction, drift_findings
from .patterns import indicator_findings
from .risks import risk_findings
from .start_again import start_again_findings
from .unseen import gap_findings, share_findings


@dataclass(frozen=True)
class ChildFindings:
    child: str
    label: str
    findings: list[Finding]

    def by_kind(self) -> dict[str, list[Finding]]:
        """Findings grouped in the order of `KIND_TITLES` (every kind present, maybe empty)."""
        return {k: [f for f in self.findings if f.kind == k] for k in KIND_TITLES}


def child_findings(data: CaseData, child: str, label: str | None = None,
                   actions: Sequence[CarriedAction] | None = None) -> ChildFindings:
    """Every finding for one child.

    Args:
        data: the case.
        child: the child's id.
        label: how messages name the child (a role label in an anonymised view); the name if None.
        actions: supervision actions, for the carried-over rule; the case's own if None.

    Raises:
        NotFound: the child is not one of the case's children.
    """
    if child not in data.children:
        raise NotFound(f"no child '{child}' in case '{data.case_id}' (children: {', '.join(data.children)})")
    label = label or data.child_name(child).split()[0]
    found = [*indicator_findings(data.frame, child, label, data.cfg, rows=data.rows(child),
                                 categories_read=data.memo("categories read", dict)),
             *risk_findings(data, child, label),
             *drift_findings(data, child, label, data.actions if actions is None else actions),
             *gap_findings(data, child, label),
             *share_findings(data, child, label)]
    found += start_again_findings(data, child, label, found)
    return ChildFindings(child, label, found)


def case_findings(data: CaseData, child: str | None = None, labels: dict[str, str] | None = None,
                  actions: Sequence[CarriedAction] | None = None) -> list[ChildFindings]:
    """Findings for each child of the case (or the one named), in the case's order of children."""
    ids = [child] if child else list(data.children)
    with collector_paused():  # many small objects, no cycles: collections would only slow it
        return [child_findings(data, c, (labels or {}).get(c), actions) for c in ids]

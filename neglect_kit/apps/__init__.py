"""The apps, one per notebook: the public namespace every notebook imports from.

Each app composes several capabilities (chronology, assessment, analysis, supervision) over the core,
so the apps sit above them all. An app's module is imported when its name is first asked for, so a
notebook that opens one app does not pay for loading the others (and is imported with the collector held:
`perf.imported`).
"""

from __future__ import annotations

from typing import Any

from ..perf import imported

_WHERE = {
    "ActionsEscalationApp": "actions_escalation",
    "AssessmentApp": "assessment",
    "CaseListApp": "case_list",
    "ChildSummaryApp": "child_summary",
    "ChronologyApp": "chronology",
    "CodingApp": "coding",
    "CorpusAnalysis": "research_analysis",
    "DayApp": "day_in_the_life",
    "ExtractApp": "extract",
    "ReconcileApp": "reconcile",
    "ReflectiveSessionApp": "reflective_session",
    "ScreeningApp": "screening",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(imported(f".{_WHERE[name]}", __name__), name)

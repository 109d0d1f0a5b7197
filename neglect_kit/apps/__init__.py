"""The apps, one per notebook: the public namespace every notebook imports from.

Each app composes several capabilities (chronology, assessment, analysis, supervision) over the core,
so the apps sit above them all. An app's module is imported when its name is first asked for, so a
notebook that opens one app does not pay for loading the others (and is imported with the collector held:
`perf.imported`). A notebook's whole cell is `page("ChronologyApp")`: in a kernel the app is imported and built
just after the cell, while the browser loads the page (`ui.page_open`).
"""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as w

from ..perf import imported
from ..ui.page_open import STRICT_ENV, opened_after_this_cell

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
_ANALYSIS = "CorpusAnalysis"  # its notebooks show tables cell by cell: it has no page of one widget
__all__ = sorted([*_WHERE, "page"])


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(imported(f".{_WHERE[name]}", __name__), name)


def page(name: str) -> w.Widget:
    """The page of the app called `name` here (`page("ChronologyApp")`): its `open().widget`, or the panel saying
    why it could not be opened. In a kernel the app's module is imported and the app built once the notebook's
    cell has finished (a line saying it is opening stands in until then): see `ui.page_open`.

    Raises:
        ValueError: `name` is not an app with a page.
    """
    if name not in _WHERE or name == _ANALYSIS:
        pages = ", ".join(n for n in __all__ if n not in ("page", _ANALYSIS))
        raise ValueError(f"no app called {name!r} has a page; the apps are {pages}")

    def opened() -> w.Widget:
        try:
            return __getattr__(name).open().widget
        except Exception as exc:  # its module failed to import: `open` itself shows any later failure
            from ..ui.panels import failure_panel

            if os.environ.get(STRICT_ENV) == "1":
                raise
            return failure_panel("The app could not be opened", exc)

    return opened_after_this_cell(opened)

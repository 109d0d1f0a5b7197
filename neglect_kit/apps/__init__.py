"""The apps, one per notebook: the public namespace every notebook imports from.

Each app composes several capabilities (chronology, assessment, analysis, supervision) over the core,
so the apps sit above them all. An app's module is imported when its name is first asked for, so a
notebook that opens one app does not pay for loading the others.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "ActionsEscalationApp": "actions_escalation",
    "AssessmentApp": "assessment",
    "CaseListApp": "case_list",
    "ChildSummaryApp": "child_summary",
    "ChronologyApp": "chronology",
    "DayApp": "day_in_the_life",
    "ReflectiveSessionApp": "reflective_session",
    "ScreeningApp": "screening",
}
__all__ = [*sorted(_WHERE), "page"]


def page(name: str) -> Any:
    """The page of the app `name` (`page("ChronologyApp")`), for a notebook's one cell: in a kernel the app's
    module is imported just after the cell has run, while the browser loads the page, with what its
    `prepare()` imports (if it has one), and the app opened once the page is drawn
    (`ui.opening.after_the_cell`); elsewhere at once.
    """
    if name not in _WHERE:
        raise ValueError(f"no app named {name!r} (apps: {', '.join(sorted(_WHERE))})")
    from ..ui.opening import after_the_cell

    return after_the_cell(lambda: __getattr__(name).open(), f"The app ({name}) could not be opened",
                          prepare=lambda: getattr(__getattr__(name), "prepare", _nothing)())


def _nothing() -> None:
    """What an app that has nothing to prepare (see `page`) does."""


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_WHERE[name]}", __name__), name)

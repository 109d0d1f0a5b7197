"""Case and child dropdowns for the apps that work on one child at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..anonymise import ANONYMISED, people_labels
from ..store import Store
from .fields import STYLE
from .guard import guard
from .navigation import starting_choice
from .panels import say


class ChildPicker:
    """Choose a case, then one of its children; `on_child()` runs whenever the child changes."""

    def __init__(self, store: Store, on_child: Callable[[], None]):
        self.store = store
        self.case = w.Dropdown(description="Case", style=STYLE, layout=w.Layout(width="30em"))
        self.child = w.Dropdown(description="Child", style=STYLE, layout=w.Layout(width="30em"))
        self.children: dict[str, dict[str, Any]] = {}
        self.message = w.HTML()
        self.widget = w.VBox([self.case, self.child, self.message])
        self._on_child = on_child
        self._quiet = False
        self.anonymised = False
        self._labels: dict[str, str] = {}
        self.case.observe(guard("open the case", self.message,
                                lambda ch: None if self._quiet else self.select_case(ch["new"])), names="value")
        self.child.observe(guard("show the child", self.message,
                                 lambda ch: None if self._quiet or not ch["new"] else on_child()), names="value")

    def start(self, empty: str = "") -> None:
        """Fill the cases and choose one (once the app's own widgets exist): the case and child the page's
        address names, else the ones this user last chose, else the first (`navigation.starting_choice`);
        with no case to choose, say `empty` (`roles.no_cases`)."""
        cases = self.store.cases()
        self._quiet = True
        self.case.options = [(c["title"], c["id"]) for c in cases]
        self._quiet = False
        if cases:
            start = starting_choice(self.store.user, [c["id"] for c in cases])
            self.select_case(start.case, start.child)
        elif empty:
            self.message.value = say(empty)

    @property
    def case_id(self) -> str:
        return self.case.value or ""

    @property
    def child_id(self) -> str:
        return self.child.value or ""

    @property
    def child_label(self) -> str:
        return self.child.label or self.child_id

    def select_case(self, case_id: str, child_id: str = "") -> None:
        """Show `case_id` and its child `child_id` (the first child when it is not one of them)."""
        children = self.store.people(case_id, kind="child")
        self.children = {c["id"]: c for c in children}
        if self.anonymised:
            self._labels = people_labels(self.store.people(case_id), ANONYMISED)
        self._quiet = True
        try:
            self.case.value = case_id
            self.child.options = [(self._child_label(c), c["id"]) for c in children]
            ids = [c["id"] for c in children]
            self.child.value = child_id if child_id in ids else (ids[0] if ids else None)
        finally:
            self._quiet = False
        if children:
            self._on_child()

    def _child_label(self, child: dict[str, Any]) -> str:
        return self._labels.get(child["id"], child["name"]) if self.anonymised else child["name"]

    def anonymise(self, on: bool) -> None:
        """Cases as "Case 1", "Case 2" and children by role label ("Child A"), or by name again;
        the chosen case and child stay chosen."""
        self.anonymised = on
        case, child = self.case_id, self.child_id
        self._labels = people_labels(self.store.people(case), ANONYMISED) if case else {}
        self._quiet = True
        try:
            self.case.options = [(f"Case {n}" if on else c["title"], c["id"])
                                 for n, c in enumerate(self.store.cases(), 1)]
            self.case.value = case or None
            self.child.options = [(self._child_label(c), c["id"]) for c in self.children.values()]
            self.child.value = child or None
        finally:
            self._quiet = False

    def select_child(self, child_id: str) -> None:
        self.child.value = child_id


class OneChildApp:
    """An app about one child at a time, chosen with its `picker`: the case and child on screen."""

    picker: ChildPicker

    @property
    def case_id(self) -> str:
        return self.picker.case_id

    @property
    def child_id(self) -> str:
        return self.picker.child_id

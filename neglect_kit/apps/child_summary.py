"""The child summary app: 'What is life like for this child?', one child at a time."""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from ..analysis.panel import SummaryPanel
from ..anonymise import ANONYMISED, NAMED
from ..reports.html import style_block
from ..store import Store
from ..store.identity import Person
from ..supervision import records
from ..ui.child_picker import ChildPicker
from ..ui.fields import STYLE
from ..ui.guard import guard
from ..ui.panels import FailedApp, open_app
from ..ui.roles import RoleApp, no_cases


class ChildSummaryApp:
    """The app for one store and user; `.widget` is what the notebook shows."""

    def __init__(self, store: Store, today: date | None = None, *, person: Person | None = None):
        self.store = store
        self.person = person or store.person()
        self.today = today
        self.panel = SummaryPanel(store, carried=records.carried)
        self.view = w.ToggleButtons(description="View", style=STYLE,
                                    options=[("Named", NAMED), ("Anonymised", ANONYMISED)], value=NAMED)
        self.picker = ChildPicker(store, self.refresh)
        self.case_picker, self.child_picker = self.picker.case, self.picker.child
        self.view.observe(guard("change the view", self.picker.message, lambda _: self._view_changed()),
                          names="value")
        self.widget = w.VBox([w.HTML(style_block()), self.picker.widget, self.view, self.panel.widget])
        self.picker.start()
        if not self.picker.case.options:
            self.panel.clear(no_cases(self.person))

    @classmethod
    def open(cls, store: Store | None = None, person: Person | None = None) -> ChildSummaryApp | RoleApp | FailedApp:
        """The app, or a panel saying why it could not open (never a traceback)."""
        return open_app(lambda s, p: cls(s, person=p), "The child summary could not be opened", store, person,
                        name="What is life like for this child?")

    def _view_changed(self) -> None:
        self.picker.anonymise(self.view.value == ANONYMISED)  # the pickers must not name the family either
        self.refresh()

    def refresh(self) -> None:
        if self.picker.case_id and self.picker.child_id:
            self.panel.show(self.picker.case_id, self.picker.child_id, self.view.value, self.today)

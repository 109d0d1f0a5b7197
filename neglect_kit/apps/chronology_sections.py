"""The chronology app's sections few visits open: the import of agency returns, the linked incidents and the
removal of a case, each panel built (for the case on screen) when its section is first opened."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..store import Store
from ..store.identity import REMOVE_CASES, Person
from ..ui.sections import OnDemand

if TYPE_CHECKING:
    from ..chronology.import_panel import ImportPanel
    from ..chronology.links_panel import LinksPanel
    from ..chronology.records import StoredEntry
    from ..chronology.remove_panel import RemoveCasePanel
    from ..config import Settings


class OnDemandPanels:
    """The sections (`sections`; the removal only for who may remove a case: `removing`) and their panels."""

    def __init__(self, store: Store, cfg: Settings, person: Person, *, case_id: Callable[[], str],
                 entries: Callable[[], list[StoredEntry]], text: Callable[[str], str], reload: Callable[[], None],
                 on_removed: Callable[[str], None]):
        """Args:
            store: where the case's records are.
            cfg: the settings.
            person: who is using the app.
            case_id: the case on screen.
            entries: its entries, as last read.
            text: text as the current view may show it.
            reload: reads the case's entries again and redraws (after an import, or a link confirmed or undone).
            on_removed: called with the id of a case just removed.
        """
        self.store, self.settings, self.person = store, cfg, person
        self._case_id, self._entries, self._text, self._reload = case_id, entries, text, reload
        self._on_removed = on_removed
        self._imports: ImportPanel | None = None
        self._removal: RemoveCasePanel | None = None
        self._linked: LinksPanel | None = None
        self.import_section = OnDemand(
            "Import agency returns", "Check an agency's return (CSV or XLSX) row by row before anything is saved, "
            "or undo a whole import.", "Open the import of returns", self._build_imports)
        self.links_section = OnDemand(
            "One incident, two reports", "Confirm or undo each link the kit made between two agencies' reports "
            "of the same incident.", "Open the linked incidents", self._build_links)
        self.removal_section = OnDemand(
            "Remove this case", "For a case loaded by mistake only: remove it with its records, with a reason.",
            "Open the removal of this case", self._build_removal)
        # removing a case is an administrator's (and one person's own kit's): not built for other roles
        self.removing = person.may(REMOVE_CASES)
        self.sections = [self.import_section, self.links_section, *([self.removal_section] if self.removing else [])]

    @property
    def imports(self) -> ImportPanel:
        """The import panel; asking for it opens its section."""
        self.import_section.open()
        assert self._imports is not None
        return self._imports

    @property
    def linked(self) -> LinksPanel:
        """The linked incidents; asking for them opens their section."""
        self.links_section.open()
        assert self._linked is not None
        return self._linked

    @property
    def removal(self) -> RemoveCasePanel:
        """The removal panel; asking for it opens its section."""
        self.removal_section.open()
        assert self._removal is not None
        return self._removal

    def _build_imports(self) -> w.Widget:
        # imported here: the importer, intake and reading of returns are needed once the section is opened
        from ..chronology.import_panel import ImportPanel

        self._imports = ImportPanel(self.store, self._imported, show_text=self._text)
        if self._case_id():
            self._imports.set_case(self._case_id(), self._agency_options())
        return self._imports.widget

    def _build_links(self) -> w.Widget:
        from ..chronology.links_panel import LinksPanel  # imported here, as the panels below: opened by few visits

        self._linked = LinksPanel(self.store, self.settings, on_change=self._reload)
        self._linked.show(self._entries(), self._text)
        return self._linked.widget

    def _build_removal(self) -> w.Widget:
        from ..chronology.remove_panel import RemoveCasePanel

        self._removal = RemoveCasePanel(self.store, self._on_removed, self.person)
        if self._case_id():
            self._removal.set_case(self._case_id())
        return self._removal.widget

    def _agency_options(self) -> list[tuple[str, str]]:
        return [(label, code) for code, label in self.settings.agencies.labels().items()]

    def _imported(self, report: Any) -> None:
        self._reload()

    def set_case(self, case_id: str) -> None:
        """The panels built so far follow the case chosen."""
        if self._imports:
            self._imports.set_case(case_id, self._agency_options())
        if self._removal:
            self._removal.set_case(case_id)

    def relabel(self) -> None:
        """The panels built so far follow the view."""
        if self._imports:
            self._imports.relabel()

    def show_links(self) -> None:
        """The linked incidents, if built, shown again from the entries as last read."""
        if self._linked:
            self._linked.show(self._entries(), self._text)  # follows the view: names become labels

"""The chronology app: each child's lived experience as a timeline, built from every agency's records.

One page: choose the case and child, see the timeline and the entries (filtered), add or
edit an entry, import agency returns, and take the chronology away as CSV or a printable
page, in the named or the anonymised view. Every change redraws the timeline in place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..anonymise import ANONYMISED, NAMED, Anonymiser, people_labels
from ..chronology.entries_panel import EntriesPanel
from ..chronology.records import StoredEntry, case_context, entries_frame, stored_entries
from ..chronology.views import Filters, case_anonymiser, filter_entries, present
from ..config import Settings, settings
from ..reports.html import style_block
from ..store import RecordVersion, Store
from ..store.identity import Person
from ..ui.fields import STYLE, date_field, shared_layout, text
from ..ui.guard import guard
from ..ui.navigation import starting_choice
from ..ui.page_ready import PageReady
from ..ui.panels import FailedApp, after_the_cell, esc, open_app, say
from ..ui.roles import RoleApp, no_cases
from .chronology_downloads import chronology_files
from .chronology_editing import EntryEditor
from .chronology_sections import OnDemandPanels
from .chronology_timeline import TimelineAsk, TimelinePanel, timeline_svg

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.panel import SummaryPanel
    from ..chronology.form import EntryForm
    from ..chronology.import_panel import ImportPanel
    from ..chronology.links_panel import LinksPanel
    from ..chronology.remove_panel import RemoveCasePanel

PAGE = 25  # rows of the entries table shown at first, and added by "Show the next"; the downloads hold them all


def _heading(text: str, level: int = 2) -> w.HTML:
    return w.HTML(f"<h{level}>{esc(text)}</h{level}>", layout=shared_layout())


class ChronologyApp:
    """The app for one store and user; `.widget` is what the notebook shows."""

    def __init__(self, store: Store, cfg: Settings | None = None, *,
                 draw_later: Callable[[Callable[[], None]], object] | None = None, person: Person | None = None):
        """Args:
            store: where the case's records are.
            cfg: the settings (default: the kit's).
            draw_later: runs a function once the page has been sent (the kernel's event loop): the first
                case's entries are then read and its timeline drawn while the browser builds the page.
            person: who is using the app (default: the one the store names).
        """
        self.store = store
        self.person = person or store.person()
        self._draw_later = draw_later
        self.settings = cfg or settings()
        self.entries: list[StoredEntry] = []
        self._frame: pd.DataFrame | None = None  # `frame`, made when the entries are read
        self.people: list[dict[str, Any]] = []
        self.places: list[str] = []
        self._anonymiser: tuple[pd.DataFrame, Anonymiser] | None = None  # the frame it was built for, and it
        self.downloads: dict[str, bytes] = {}

        self.case_picker = w.Dropdown(description="Case", style=STYLE, layout=w.Layout(width="30em"))
        self.child_picker = w.Dropdown(description="Child", style=STYLE, layout=w.Layout(width="30em"))
        self.view = w.ToggleButtons(description="View", style=STYLE,
                                    options=[("Named", NAMED), ("Anonymised", ANONYMISED)], value=NAMED)
        self.lanes = w.ToggleButtons(description="Timeline lanes", style=STYLE,
                                     options=[("By agency", "agency"), ("By category", "category")])
        self.status = w.HTML()
        self.timeline_panel = TimelinePanel(self.settings, self.status, self._present)
        self.timeline, self.explore_button, self.explore_box = (
            self.timeline_panel.timeline, self.timeline_panel.explore_button, self.timeline_panel.explore_box)
        self.filter_agency = w.Dropdown(description="Show agency", style=STYLE)
        self.filter_category = w.Dropdown(description="Show category", style=STYLE)
        self.filter_significance = w.Dropdown(
            description="Show significance", style=STYLE,
            options=[("Any", ""), ("High", "high"), ("Medium", "medium"), ("Low", "low")])
        self.filter_start = date_field("From")
        self.filter_end = date_field("To")
        self.filter_words = text("Containing words", "in what happened, actions, the child's words")
        self.clear_filters = w.Button(description="Clear filters")
        self.table = EntriesPanel(store, self.settings, on_edit=self.edit, on_changed=self.reload, text=self._text,
                                  named=lambda: self.view.value == NAMED, page=PAGE)
        self.editor = EntryEditor(store, self.settings, case_id=lambda: self.case_id, entries=lambda: self.entries,
                                  text=self._text, reload=self.reload)
        self.form_box, self.save_button, self.clear_button, self.form_message = (
            self.editor.form_box, self.editor.save_button, self.editor.clear_button, self.editor.form_message)
        # the panels few visits use are built when their section is first opened (see `imports`)
        self.on_demand = OnDemandPanels(store, self.settings, self.person, case_id=lambda: self.case_id,
                                        entries=lambda: self.entries, text=self._text, reload=self.reload,
                                        on_removed=self._removed)
        self.import_section, self.links_section, self.removal_section, self.sections = (
            self.on_demand.import_section, self.on_demand.links_section, self.on_demand.removal_section,
            self.on_demand.sections)
        self.prepare_button = w.Button(description="Prepare downloads")
        self.links = w.HTML()
        self._summary: SummaryPanel | None = None  # built on the first "Show what the records say"
        self.summary_box = w.VBox()
        self.summary_button = w.Button(description="Show what the records say",
                                       layout=w.Layout(width="max-content"))
        self.summary_for: tuple[str, str, str] | None = None

        self._quiet = False  # set while the app itself changes controls, so each change redraws once
        cases = store.cases()
        self.case_picker.options = [(c["title"], c["id"]) for c in cases]
        for control in (self.filter_agency, self.filter_category, self.filter_significance, self.filter_start,
                        self.filter_end, self.filter_words, self.child_picker, self.lanes):
            control.observe(guard("show the chronology", self.status,
                                  lambda _: None if self._quiet else self.refresh_view()), names="value")
        self.case_picker.observe(guard("open the case", self.status,
                                       lambda ch: None if self._quiet else self.select_case(ch["new"])), names="value")
        self.view.observe(guard("change the view", self.status, lambda _: self._view_changed()), names="value")
        self.clear_filters.on_click(guard("clear the filters", self.status, lambda _: self._clear_filters()))
        self.prepare_button.on_click(guard("prepare the downloads", self.links, lambda _: self.prepare_downloads()))
        self.summary_button.on_click(guard("show what the records say", self.status, lambda _: self.show_summary()))
        self.explore_button.on_click(guard("explore the timeline", self.status, lambda _: self.explore()))

        self.widget = w.VBox([
            w.HTML(style_block()), self.case_picker, self.child_picker, self.view, self.status,
            _heading("Timeline"), self.lanes, self.timeline, self.explore_button, self.explore_box,
            _heading("What is life like for this child?"),
            w.HTML("<p>The child's words, a day in the child's life, and what the records show read together: "
                   "signs that keep coming back, risks never named in a plan, drift, and the child unseen. "
                   "Each finding links to its entries.</p>", layout=shared_layout()),
            self.summary_button, self.summary_box,
            _heading("Entries"),
            w.HBox([self.filter_agency, self.filter_category]),
            w.HBox([self.filter_significance, self.filter_words]),
            w.HBox([self.filter_start, self.filter_end, self.clear_filters]), self.table.widget,
            _heading("Add an entry, or edit one"),
            w.HTML("<p>To add an entry, fill in the form. To change one, use its row's Edit button above: a new "
                   "version is saved and the old one kept (its History button shows every version).</p>"),
            self.form_box, w.HBox([self.save_button, self.clear_button]), self.form_message,
            self.import_section.widget, self.links_section.widget,
            _heading("Take the chronology away"),
            w.HTML("<p>The entries as filtered above, in the view chosen above: a CSV file, a printable page, "
                   "and the timeline as PNG or SVG.</p>", layout=shared_layout()),
            self.prepare_button, self.links, *([self.removal_section.widget] if self.on_demand.removing else []),
            # last: what is filled once the page is sent (the entries, the first timeline) sent again when it is built
            PageReady([self.timeline, self.table.table, self.filter_agency, self.filter_category, self.status])])
        self.main_form = self.form_box  # where the header's skip link leads (ui.navigation)
        if cases:  # the case and child the page address names, else the user's last, else the first case
            start = starting_choice(self.person.username, [c["id"] for c in cases])
            self.select_case(start.case, start.child)
        else:
            self.status.value = say(no_cases(self.person))

    @classmethod
    def open(cls, store: Store | None = None, person: Person | None = None) -> ChronologyApp | RoleApp | FailedApp:
        """The app, or a panel saying why it could not open (never a traceback)."""
        return open_app(lambda s, p: cls(s, draw_later=after_the_cell(), person=p),
                        "The chronology app could not be opened", store, person, name="Chronology")

    # the sections built on demand -------------------------------------------------------

    @property
    def imports(self) -> ImportPanel:
        """The import panel; asking for it opens its section."""
        return self.on_demand.imports

    @property
    def linked(self) -> LinksPanel:
        """The linked incidents; asking for them opens their section."""
        return self.on_demand.linked

    @property
    def removal(self) -> RemoveCasePanel:
        """The removal panel; asking for it opens its section."""
        return self.on_demand.removal

    @property
    def summary(self) -> SummaryPanel:
        """The child's summary panel, put on the page the first time it is asked for."""
        if self._summary is None:
            # imported here: the analysis and supervision records are needed only once asked for
            from ..analysis.panel import SummaryPanel
            from ..supervision import records

            self._summary = SummaryPanel(self.store, self.settings, carried=records.carried)
            self.summary_box.children = (self._summary.widget,)
        return self._summary

    # the case, the child and the view -----------------------------------------------

    @property
    def case_id(self) -> str:
        return self.case_picker.value or ""

    def select_case(self, case_id: str, child_id: str | None = None) -> None:
        self._quietly(lambda: setattr(self.case_picker, "value", case_id))
        case = self.store.case(case_id)  # a clear NotFound for an unknown case
        self.people = self.store.people(case_id)
        # the council's name holds the family's town: the anonymised view scrubs it from every text
        self.places = [case["local_authority"]]
        self.ctx = case_context(self.store, case_id, self.settings, people=self.people)  # the case read once
        self.on_demand.set_case(case_id)
        self.table.rows_shown = PAGE  # another case starts at its first rows
        self._labels_changed(child_id)
        if self._draw_later is not None:
            # the page opening: its entries are read once it has been sent, pandas imported with them, while the
            # browser builds it (the kernel answers the browser only after; the timeline is then drawn aside)
            self._draw_later(guard("read the case", self.status, self.reload))
        else:
            self.reload()

    def select_child(self, child_id: str) -> None:
        self.child_picker.value = child_id

    def _view_changed(self) -> None:
        self._labels_changed()
        self.refresh_view()

    def _labels_changed(self, child_id: str | None = None) -> None:
        """Everything that names a person follows the view (the child chosen stays, or `child_id` is chosen)."""
        labels = people_labels(self.people, self.view.value)
        children = [p for p in self.people if p.get("kind") == "child"]
        current = self.child_picker.value if child_id is None else child_id
        cases = self.store.cases()

        def relabel() -> None:
            self.child_picker.options = [("All children", ""), *[(labels[c["id"]], c["id"]) for c in children]]
            self.child_picker.value = current if current in [c["id"] for c in children] else ""
            anonymised = self.view.value == ANONYMISED
            chosen = self.case_picker.value
            self.case_picker.options = [(f"Case {n}" if anonymised else c["title"], c["id"])
                                        for n, c in enumerate(cases, 1)]
            self.case_picker.value = chosen  # new labels must not move the app to another case

        self._quietly(relabel)
        self.on_demand.relabel()
        self.editor.rebuild(self.ctx, {c["id"]: labels[c["id"]] for c in children})

    def _quietly(self, change: Any) -> None:
        self._quiet = True
        try:
            change()
        finally:
            self._quiet = False

    def _text(self, text: str) -> str:
        """Text as the current view may show it."""
        if self.view.value != ANONYMISED:
            return text
        if self._anonymiser is None or self._anonymiser[0] is not self.frame:  # once per reading of the case
            self._anonymiser = (self.frame, case_anonymiser(self.frame, self.people, self.places))
        return self._anonymiser[1].text(text)

    def _present(self, frame: pd.DataFrame) -> pd.DataFrame:
        """`frame` as the view shows it (the anonymised view scrubs it as the whole case's engine does)."""
        return present(frame, self.people, self.view.value, whole=self.frame, places=self.places)

    # reading and showing ------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        """Read the case's entries again, then redraw (marking the entry `select` in the table)."""
        self.entries = stored_entries(self.store, self.case_id)
        self._frame = entries_frame(self.entries)
        if self.summary_for:
            self.summary_for = None
            self.summary.clear("The entries have changed: show what the records say again to see the findings now.")
        present_agencies = list(dict.fromkeys(self.frame["agency"]))
        present_categories = list(dict.fromkeys(self.frame["category"]))
        keep_agency, keep_category = self.filter_agency.value, self.filter_category.value

        def refill() -> None:
            self.filter_agency.options = [("Any", ""), *[(self.settings.agencies.label(a), a)
                                                         for a in self.settings.agencies.codes()
                                                         if a in present_agencies]]
            self.filter_category.options = [("Any", ""), *[(self.settings.categories.label(c), c)
                                                           for c in self.settings.categories.codes()
                                                           if c in present_categories]]
            self.filter_agency.value = keep_agency if keep_agency in present_agencies else ""
            self.filter_category.value = keep_category if keep_category in present_categories else ""

        self._quietly(refill)
        self.refresh_view(select)

    @property
    def frame(self) -> pd.DataFrame:
        """The case's entries as a frame (`records.entries_frame`), as last read."""
        if self._frame is None:  # none read yet (a kernel reads them once the page is sent)
            self._frame = entries_frame(self.entries)
        return self._frame

    def filters(self) -> Filters:
        return Filters(child=self.child_picker.value or "", agency=self.filter_agency.value or "",
                       category=self.filter_category.value or "", significance=self.filter_significance.value,
                       start=self.filter_start.value, end=self.filter_end.value, words=self.filter_words.value)

    def filtered(self) -> pd.DataFrame:
        """The entries that pass the filters, with ids (for the timeline and editing)."""
        return filter_entries(self.frame, self.filters())

    def visible(self) -> pd.DataFrame:
        """The filtered entries as the view shows them."""
        return self._present(self.filtered())

    def _timeline_ask(self, filtered: pd.DataFrame) -> TimelineAsk:
        """What the timeline is drawn from, read from the store and the controls (on the kernel's thread)."""
        labels = people_labels(self.people, self.view.value)
        chosen = self.child_picker.value
        f = self.filters()
        return TimelineAsk(filtered, self.store.plans(self.case_id),
                           tuple((p["id"], labels[p["id"]]) for p in self.people
                                 if p.get("kind") == "child" and (not chosen or p["id"] == chosen)),
                           self.lanes.value, f.start, f.end)

    def show_summary(self) -> None:
        """The chosen child's summary, from the records as they are now."""
        self.summary_for = (self.case_id, self.child_picker.value or "", self.view.value)
        if not self.child_picker.value:
            self.summary.clear("Choose one child above (not all children) to see what life is like for them.")
            return
        self.summary.show(self.case_id, self.child_picker.value, self.view.value)

    def refresh_view(self, select: str | None = None) -> None:
        """Redraw the table, the timeline and the entry list from what is held; `select`: an entry's row
        marked (brought into the rows shown) with the table, before the slower timeline is drawn."""
        if not self.case_id:
            return
        if self.summary_for and self.summary_for != (self.case_id, self.child_picker.value or "", self.view.value):
            self.summary_for = None  # never leave one child's summary beside another's chronology
            self.summary.clear()
        filtered = self.filtered()
        self.table.show(filtered, self.entries, len(self.frame), self._present)
        if select:
            self.table.select(select)
        if self._draw_later is not None:
            later, self._draw_later = self._draw_later, None
            self.timeline.value = '<p class="nk-note">Drawing the timeline\u2026</p>'
            later(guard("draw the timeline", self.status, lambda: self._draw_timeline(self.filtered(), aside=True)))
        else:
            self._draw_timeline(filtered)
        self.on_demand.show_links()
        self.links.value = ""
        self.downloads = {}

    def _draw_timeline(self, filtered: pd.DataFrame, aside: bool = False) -> None:
        """Draw the timeline of what is on screen (`aside`: see `TimelinePanel.draw`)."""
        self.timeline_panel.draw(self._timeline_ask(filtered), aside)

    @property
    def timeline_png(self) -> bytes:
        """The timeline shown, as PNG."""
        return self.timeline_panel.png

    @property
    def timeline_alt(self) -> str:
        """The timeline shown, in words."""
        return self.timeline_panel.alt

    def explore(self) -> None:
        """Swap the timeline's picture for the one to explore (hover, click to open an entry, zoom)."""
        self.timeline_panel.explore(self.open_entry)
        self._draw_timeline(self.filtered())

    def _clear_filters(self) -> None:
        def clear() -> None:
            for control, empty in ((self.filter_agency, ""), (self.filter_category, ""),
                                   (self.filter_significance, ""), (self.filter_start, None),
                                   (self.filter_end, None), (self.filter_words, "")):
                control.value = empty

        self._quietly(clear)
        self.refresh_view()

    # adding, editing, withdrawing --------------------------------------------------------

    @property
    def form(self) -> EntryForm | None:
        """The entry form of the case on screen."""
        return self.editor.form

    def save(self) -> RecordVersion | None:
        """Save the form: a new entry, or a new version of the one being edited."""
        return self.editor.save()

    def edit(self, record_id: str) -> None:
        """Put an entry into the form to edit it."""
        self.editor.edit(record_id)

    def open_entry(self, record_id: str) -> None:
        """An entry chosen elsewhere (a mark on the timeline): its row marked in the table, and the
        entry put in the form."""
        self.table.select(record_id)
        self.edit(record_id)

    def _removed(self, case_id: str) -> None:
        """After a case is removed: the next case, or a page saying there are none."""
        cases = self.store.cases()
        self._quietly(lambda: setattr(self.case_picker, "options", [(c["title"], c["id"]) for c in cases]))
        if cases:
            self.select_case(cases[0]["id"])
            return
        self.entries, self._frame = [], None
        self.table.show(present(self.frame, [], self.view.value), [], 0)
        self.timeline.value = self.links.value = ""
        self.status.value = say(no_cases(self.person))

    # taking it away ------------------------------------------------------------------------

    def prepare_downloads(self) -> dict[str, bytes]:
        """The CSV, printable page, PNG and SVG of what is shown, as links to download."""
        from ..ui.downloads import links  # imported here, as the writers of the files: once downloads are asked for

        shown = self.visible()
        view = self.view.value
        case = self.store.case(self.case_id)
        title = (f"Case {[c['id'] for c in self.store.cases()].index(self.case_id) + 1}" if view == ANONYMISED
                 else case["title"]) + ": chronology"
        svg = timeline_svg(self._timeline_ask(self.filtered()), self.settings)
        files = chronology_files(shown, self.settings, title=title, view=view, png=self.timeline_png,
                                 alt=self.timeline_alt, svg=svg,
                                 filters=self.filters().describe(self.settings, self.child_picker.label or ""),
                                 produced_by=self.person.display_name)
        self.downloads = {name: data for name, (_, data) in files.items()}
        self.links.value = links(files)
        return self.downloads

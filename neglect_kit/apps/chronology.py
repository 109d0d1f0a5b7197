"""The chronology app: each child's lived experience as a timeline, built from every agency's records.

One page: choose the case and child, see the timeline and the entries (filtered), add or
edit an entry, import agency returns, and take the chronology away as CSV or a printable
page, in the named or the anonymised view. Every change redraws the timeline in place.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..anonymise import ANONYMISED, NAMED, Anonymiser, people_labels
from ..chronology.entries_panel import EntriesPanel
from ..chronology.form import EntryForm
from ..chronology.model import ENTRY_KIND, ChronologyEntry
from ..chronology.records import StoredEntry, case_context, entries_frame, stored_entries
from ..chronology.views import Filters, case_anonymiser, filter_entries, present
from ..config import Settings, settings
from ..perf import imported
from ..reports.html import style_block
from ..store import NewRecord, RecordVersion, StaleEdit, Store
from ..store.identity import REMOVE_CASES, Person
from ..ui.fields import STYLE, date_field, shared_layout, text
from ..ui.guard import guard
from ..ui.navigation import starting_choice
from ..ui.page_ready import PageReady
from ..ui.panels import FailedApp, after_the_cell, esc, image_html, open_app, say
from ..ui.roles import RoleApp, no_cases
from ..ui.sections import OnDemand

if TYPE_CHECKING:
    from types import ModuleType

    import pandas as pd

    from ..analysis.panel import SummaryPanel
    from ..chronology.import_panel import ImportPanel
    from ..chronology.links_panel import LinksPanel
    from ..chronology.remove_panel import RemoveCasePanel
    from ..chronology.timeline import TimelineChild, TimelineOptions

PAGE = 25  # rows of the entries table shown at first, and added by "Show the next"; the downloads hold them all


def _timeline() -> ModuleType:
    """The timeline's drawing, imported when first drawn: matplotlib takes a third of a second to import,
    which a kernel then spends after the page is sent, while the browser builds it."""
    return imported("..chronology.timeline", __package__)


@dataclass(frozen=True)
class _TimelineAsk:
    """What a timeline is drawn from: the entries shown, the plans, the children (id, label) and the window."""

    filtered: pd.DataFrame
    plans: list[dict[str, Any]]
    children: tuple[tuple[str, str], ...]
    lanes: str
    start: date | None
    end: date | None

    def timeline_children(self, timeline: ModuleType) -> list[TimelineChild]:
        return [timeline.TimelineChild(child, label) for child, label in self.children]

    def options(self, timeline: ModuleType) -> TimelineOptions:
        # dates under every child's panel: a reader of the upper panel needs them there too
        return timeline.TimelineOptions(lanes=self.lanes, start=self.start, end=self.end, dates_on_every_panel=True)


def _picture(ask: _TimelineAsk, cfg: Settings) -> tuple[bytes, str, str] | str:
    """The timeline's PNG, its alt text and the HTML that shows them, or why it cannot be drawn; touches no
    widget or store (it may run in a worker thread: the HTML too, so the page's first picture waits for no
    template once drawn)."""
    timeline = _timeline()
    children, options = ask.timeline_children(timeline), ask.options(timeline)
    try:
        figure = timeline.timeline_figure(ask.filtered, ask.plans, children, cfg, options)
        png = timeline.figure_bytes(figure, "png")
        alt = timeline.describe_timeline(ask.filtered, ask.plans, children, cfg, options)
    except ValueError as exc:  # a window that ends before it starts, for one
        return str(exc)
    return png, alt, image_html(png, alt, "nk-timeline")


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
        self.timeline_png, self.timeline_alt = b"", ""
        self._drawings = 0  # timelines asked for: a picture drawn aside is shown only if no newer was asked

        self.case_picker = w.Dropdown(description="Case", style=STYLE, layout=w.Layout(width="30em"))
        self.child_picker = w.Dropdown(description="Child", style=STYLE, layout=w.Layout(width="30em"))
        self.view = w.ToggleButtons(description="View", style=STYLE,
                                    options=[("Named", NAMED), ("Anonymised", ANONYMISED)], value=NAMED)
        self.lanes = w.ToggleButtons(description="Timeline lanes", style=STYLE,
                                     options=[("By agency", "agency"), ("By category", "category")])
        self.status = w.HTML()
        self.timeline = w.HTML()
        # the interactive timeline (ipympl) is built when asked for: the page opens on the PNG
        self._explorer: Any = None
        self.explore_button = w.Button(description="Explore the timeline: point, click, zoom",
                                       layout=w.Layout(width="max-content"))
        self.explore_box = w.VBox()
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
        self.form_box = w.VBox()
        self.form: EntryForm | None = None
        self.save_button = w.Button(description="Add entry", button_style="primary")
        self.clear_button = w.Button(description="Clear the form")
        self.form_message = w.HTML()
        # the panels few visits use are built when their section is first opened (see `imports`)
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
        removing = self.person.may(REMOVE_CASES)
        self.sections = [self.import_section, self.links_section, *([self.removal_section] if removing else [])]
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
        self.save_button.on_click(guard("save the entry", self.form_message, lambda _: self.save(), writes=True))
        self.clear_button.on_click(guard("clear the form", self.form_message, lambda _: self._clear_form()))
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
            self.prepare_button, self.links, *([self.removal_section.widget] if removing else []),
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

    def _build_imports(self) -> w.Widget:
        # imported here: the importer, intake and reading of returns are needed once the section is opened
        from ..chronology.import_panel import ImportPanel

        self._imports = ImportPanel(self.store, self._imported, show_text=self._text)
        if self.case_id:
            self._imports.set_case(self.case_id, self._agency_options())
        return self._imports.widget

    def _build_links(self) -> w.Widget:
        from ..chronology.links_panel import LinksPanel  # imported here, as the panels below: opened by few visits

        self._linked = LinksPanel(self.store, self.settings, on_change=self.reload)
        self._linked.show(self.entries, self._text)
        return self._linked.widget

    def _build_removal(self) -> w.Widget:
        from ..chronology.remove_panel import RemoveCasePanel

        self._removal = RemoveCasePanel(self.store, self._removed, self.person)
        if self.case_id:
            self._removal.set_case(self.case_id)
        return self._removal.widget

    def _agency_options(self) -> list[tuple[str, str]]:
        return [(label, code) for code, label in self.settings.agencies.labels().items()]

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
        if self._imports:
            self._imports.set_case(case_id, self._agency_options())
        if self._removal:
            self._removal.set_case(case_id)
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
        if self._imports:
            self._imports.relabel()
        # what was typed survives a change of view, never a change of case (it names that case's children)
        same_case = self.form is not None and self.form.ctx.case_id == self.ctx.case_id
        typed = self.form.values() if same_case and self.form else None
        editing = self.form.editing if same_case and self.form else None
        self.form = EntryForm(self.ctx, {c["id"]: labels[c["id"]] for c in children})
        if typed:
            self.form.fill(*typed)
            self.form.editing = editing
        self.form_box.children = (self.form.widget,)
        for field in self.form.fields.values():  # a new edit makes the last save's message old news
            field.control.observe(guard("update the form", self.form_message, lambda _: self._clear_status()),
                                  names="value")

    def _clear_status(self) -> None:
        if 'role="status"' in self.form_message.value:
            self.form_message.value = ""

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

    def _timeline_ask(self, filtered: pd.DataFrame) -> _TimelineAsk:
        """What the timeline is drawn from, read from the store and the controls (on the kernel's thread)."""
        labels = people_labels(self.people, self.view.value)
        chosen = self.child_picker.value
        f = self.filters()
        return _TimelineAsk(filtered, self.store.plans(self.case_id),
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
        if self._linked:
            self._linked.show(self.entries, self._text)  # follows the view: names become labels
        self.links.value = ""
        self.downloads = {}

    def _draw_timeline(self, filtered: pd.DataFrame, aside: bool = False) -> None:
        """Draw the timeline of what is on screen. `aside`: in a worker thread when the kernel's loop runs (the
        first drawing, whose matplotlib import and drawing take most of a second: the kernel meanwhile answers
        the browser building the page), its picture then shown from the loop, unless a newer one was drawn."""
        ask = self._timeline_ask(filtered)
        self._drawings += 1
        drawing = self._drawings
        try:
            loop = asyncio.get_running_loop() if aside else None
        except RuntimeError:
            loop = None
        if loop is None:
            self._show_timeline(ask, _picture(ask, self.settings))
            return

        def drawn(done: asyncio.Future[tuple[bytes, str, str] | str]) -> None:
            if drawing == self._drawings:  # no newer drawing since
                self._show_timeline(ask, done.result())

        loop.run_in_executor(None, _picture, ask, self.settings).add_done_callback(
            guard("draw the timeline", self.status, drawn))

    def _show_timeline(self, ask: _TimelineAsk, picture: tuple[bytes, str, str] | str) -> None:
        if isinstance(picture, str):  # a window that ends before it starts, for one
            self.timeline.value = f'<p role="alert">The timeline cannot be drawn: {esc(picture)}</p>'
            return
        self.timeline_png, self.timeline_alt, self.timeline.value = picture
        if self._explorer is not None:
            timeline = _timeline()
            self._explorer.show(ask.filtered, ask.plans, ask.timeline_children(timeline), ask.options(timeline),
                                texts=self._present(ask.filtered))

    def explore(self) -> None:
        """Swap the timeline's picture for the one to explore (hover, click to open an entry, zoom)."""
        from ..chronology.timeline_interactive import TimelineExplorer  # ipympl only once asked for

        if self._explorer is None:
            self._explorer = TimelineExplorer(self.settings, self.open_entry)
            self.explore_box.children = (self._explorer.widget,)
        self.timeline.layout.display = self.explore_button.layout.display = "none"
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

    def save(self) -> RecordVersion | None:
        """Save the form: a new entry, or a new version of the one being edited."""
        assert self.form is not None
        entry, errors = self.form.check()
        if entry is None:
            self._say(self.form_message, f"Not saved: {len(errors)} field(s) need attention (see beside each).",
                      alert=True)
            return None
        editing = self.form.editing
        try:
            if editing is None:
                record = self._add(entry)
                message = "Entry added."
                if record.body.get("duplicate_of"):
                    message += " It looks like an incident another agency already reported: it is linked to it."
            else:
                body = self._edited(editing[0], entry).model_dump(mode="json")
                record = self.store.update(editing[0], editing[1], body, reason="edited in the chronology app")
                message = f"Saved as version {record.version}; the earlier version is kept."
        except StaleEdit as conflict:
            self._conflict(conflict)
            return None
        self.form.clear()
        self.save_button.description = "Add entry"
        self._say(self.form_message, message)
        self.reload(select=record.record_id)  # what was just saved is seen in the table
        return record

    def _add(self, entry: ChronologyEntry) -> RecordVersion:
        from ..chronology.merge import find_duplicates  # imported at the first save, not while the page opens

        new = NewRecord(body={})
        existing = [(s.record_id, s.entry) for s in self.entries]
        links = find_duplicates([(new.record_id, entry)], existing, self.settings)
        if links:
            entry = entry.model_copy(update={"duplicate_of": links[0].duplicate_of})
        body = entry.model_dump(mode="json")
        [record] = self.store.create_many(ENTRY_KIND, self.case_id, [NewRecord(body, new.record_id,
                                                                               "added in the chronology app")])
        return record

    def _edited(self, record_id: str, entry: ChronologyEntry) -> ChronologyEntry:
        """An edit keeps where the entry came from (its return and import); the category saved from the
        form is the practitioner's, no longer one the kit read from the words."""
        was = next((s.entry for s in self.entries if s.record_id == record_id), None)
        if was is None:
            return entry
        return entry.model_copy(update={"provenance": was.provenance,
                                        "inferred": [f for f in was.inferred if f != "category"]})

    def _conflict(self, conflict: StaleEdit) -> None:
        theirs = ChronologyEntry.model_validate(conflict.current.body)
        assert self.form is not None
        self.form.editing = (conflict.record_id, conflict.current.version)  # saving again saves over theirs
        self._say(self.form_message,
                  f"{conflict.current.created_by} saved this entry at {conflict.current.created_at:%H:%M on %d %b %Y}, "
                  f"after you opened it. Your text is still in the form. Their version says: "
                  f"\u201c{self._text(theirs.description)}\u201d ({theirs.event_date.text}). Compare the two; "
                  "Save again to keep yours as the newest version, or Clear the form to keep theirs.", alert=True)

    def edit(self, record_id: str) -> None:
        """Put an entry into the form to edit it."""
        found = next((s for s in self.entries if s.record_id == record_id), None)
        if found is None or self.form is None:
            self._say(self.form_message, "That entry is no longer in the chronology.", alert=True)
            return
        self.form.load(found.entry, found.record_id, found.record.version)
        self.save_button.description = "Save changes"
        self._say(self.form_message, f"Editing the entry of {self._text(found.entry.event_date.text)}: "
                                     "change it, then Save changes.")

    def open_entry(self, record_id: str) -> None:
        """An entry chosen elsewhere (a mark on the timeline): its row marked in the table, and the
        entry put in the form."""
        self.table.select(record_id)
        self.edit(record_id)

    def _clear_form(self) -> None:
        if self.form:
            self.form.clear()
        self.save_button.description = "Add entry"
        self.form_message.value = ""

    def _imported(self, report: Any) -> None:
        self.reload()

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
        # imported here: the writers of the files are needed once downloads are asked for, not to open the page
        from ..chronology.export import csv_downloads
        from ..chronology.printable import printable_page
        from ..ui.downloads import links

        shown = self.visible()
        view = self.view.value
        case = self.store.case(self.case_id)
        title = (f"Case {[c['id'] for c in self.store.cases()].index(self.case_id) + 1}" if view == ANONYMISED
                 else case["title"]) + ": chronology"
        ask, timeline = self._timeline_ask(self.filtered()), _timeline()
        svg = timeline.figure_bytes(timeline.timeline_figure(
            ask.filtered, ask.plans, ask.timeline_children(timeline), self.settings, ask.options(timeline)), "svg")
        page = printable_page(title=title, frame=shown, settings=self.settings, png=self.timeline_png,
                              alt=self.timeline_alt, view=view,
                              filters=self.filters().describe(self.settings, self.child_picker.label or ""),
                              produced_by=self.person.display_name, produced_at=datetime.now(UTC))
        stem = f"chronology-{view}-{datetime.now(UTC):%Y%m%d-%H%M}"
        what = f"({len(shown)} entries, {view} view)"
        files = {**csv_downloads(shown, self.settings, stem, what),
                 f"{stem}.html": (f"a printable page {what}", page.encode("utf-8")),
                 f"{stem}-timeline.png": (f"the timeline as PNG {what}", self.timeline_png),
                 f"{stem}-timeline.svg": (f"the timeline as SVG {what}", svg)}
        self.downloads = {name: data for name, (_, data) in files.items()}
        self.links.value = links(files)
        return self.downloads

    def _say(self, target: w.HTML, message: str, alert: bool = False) -> None:
        target.value = say(message, alert)

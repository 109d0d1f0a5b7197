"""The extract app: choose cases, see the k-anonymity gate, take a pseudonymised extract, check what is left.

The extract is built in the kernel and offered as one zip to download; its keyed mapping is saved to a file
on the server (outside the download, readable by its owner alone), so whoever receives the zip never
receives what undoes it. The residual-risk report lists every token left in the free text, with its table,
row and column, for a person to check before the extract leaves. On a team's database a researcher requests the
extract of an administrator's approval and receives it from the extract service (`extract_team.RequestForm`); an
administrator approves and withdraws (`extract_team.ApprovalsForm`); anyone else is told who takes extracts there,
and no control is built.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import ipywidgets as w

from ..config import data_dir, settings
from ..research.extract import Extract, take
from ..research.extract_errors import ExtractError
from ..research.extract_files import save_mapping
from ..store import Store
from ..store.identity import APPROVE_EXTRACTS, READ_REVIEWS, REQUEST_EXTRACTS, Person
from ..ui.downloads import links
from ..ui.fields import area, button, text
from ..ui.guard import guard
from ..ui.panels import FailedApp, Status, esc, html_table, open_app, style_block
from ..ui.roles import RoleApp, no_cases

SHOWN = 500  # residual tokens listed on screen; every one is in residual_risk.csv
ON_A_TEAM = ("On a team's database an extract is not taken in anyone's own process, which would read the named "
             "records: an administrator approves the cases for a researcher (`neglect-kit approvals add`), the "
             "researcher requests the extract here, and the extract service takes it")


def default_mapping(now: datetime | None = None) -> Path:
    """A new mapping file's place in the kit's data folder, named by the moment."""
    now = now or datetime.now(UTC)
    return data_dir() / "extracts" / f"extract-{now:%Y%m%d-%H%M%S}.mapping.json"


class ExtractApp:
    """The app for one store and user; `.widget` is what the notebook shows."""

    def __init__(self, store: Store, *, person: Person | None = None):
        self.store = store
        self.person = person or store.person()
        self.extract: Extract | None = None
        self.files: dict[str, bytes] = {}
        self.status = Status()
        self.report = w.HTML()
        self.download = w.HTML()
        if store.on_a_team:
            if self.person.may(REQUEST_EXTRACTS):
                from .extract_team import RequestForm

                self.form = RequestForm(store, self.person)
                self.widget = self.form.widget
                self.needs = READ_REVIEWS  # the header links the research apps, the researcher's own
                return
            if self.person.may(APPROVE_EXTRACTS):
                from .extract_team import ApprovalsForm

                self.form = ApprovalsForm(store)
                self.widget = self.form.widget
                return
            self.widget = w.VBox([w.HTML(style_block()), w.HTML(
                f'<div class="nk-role" role="status"><h2>Extracts are not taken here</h2><p>{esc(ON_A_TEAM)}.'
                "</p></div>")])
            return
        cases = store.cases()
        self.cases = {c["id"]: w.Checkbox(description=f"{c['title']} ({c['id']})", value=False, indent=False,
                                          layout=w.Layout(width="auto")) for c in cases}
        k = settings().research.min_k
        self.setting = k
        self.min_k, self.reason = gate_fields(k)
        self.mapping = text("Save the mapping to", width="60em")
        self.mapping.value = str(default_mapping())
        self.take_button = button("Take the extract", "primary")
        self.take_button.on_click(guard("take the extract", self.status, lambda _: self.take_extract()))
        chooser = (w.VBox([w.HTML("<h2>Cases</h2><p>Choose the cases the extract takes.</p>"),
                           *self.cases.values()])
                   if cases else w.HTML(f"<p>{esc(no_cases(self.person))}</p>"))
        self.main_form = chooser
        self.widget = w.VBox([
            w.HTML(style_block()),
            w.HTML("<p>People become role labels (Child A, Mother, "
                   "SW1), free text is scrubbed, every date of a case moves by one secret number of weeks, and "
                   "dates of birth become age bands. Pseudonymised data is still personal data.</p>"),
            chooser,
            w.HTML(f"<h2>The k-anonymity gate</h2><p>The extract is refused when any group of age band, sex, "
                   f"council, year and plan type holds fewer than k children. The settings say k = {k}; a lower k "
                   "needs a reason.</p>"),
            self.min_k, self.reason,
            w.HTML("<h2>The keyed mapping</h2><p>What undoes the extract: saved on this server, never in the "
                   "download. Keep it apart from the extract.</p>"),
            self.mapping, self.take_button, self.status, self.download, self.report])

    @classmethod
    def open(cls, store: Store | None = None, person: Person | None = None) -> ExtractApp | RoleApp | FailedApp:
        return open_app(lambda s, p: cls(s, person=p), "The extract app could not be opened", store, person,
                        name="Pseudonymised extracts", or_needs=(REQUEST_EXTRACTS, APPROVE_EXTRACTS))

    def take_extract(self) -> Extract | None:
        """Take the extract of the chosen cases, save its mapping, show the residual risk and the download."""
        self.report.value = self.download.value = ""
        self.status.clear()
        chosen = [case_id for case_id, box in self.cases.items() if box.value]
        if not chosen:
            self.status.refused("Choose at least one case.")
            return None
        place = Path(self.mapping.value.strip()).expanduser()
        if not self.mapping.value.strip() or not place.is_absolute():
            self.status.refused("Save the mapping to: give the whole path of a new file, e.g. "
                                f"{default_mapping()}.")
            return None
        if place.parent == default_mapping().parent:
            place.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        min_k = self.min_k.value if self.min_k.value != self.setting else None
        if min_k is not None and min_k < self.setting and not self.reason.value.strip():
            self.status.refused(f"Why lower it: k = {min_k} is below the settings' {self.setting}; say why (the "
                                "extract's log keeps it).")
            return None
        try:
            extract = take(self.store, chosen, min_k=min_k, reason=self.reason.value)
            save_mapping(extract.mapping_bytes(), place)
        except ExtractError as exc:
            self.status.refused(f"Not taken: {exc}.")
            return None
        self.extract = extract
        self.files = {"extract.zip": extract.zip_bytes()}
        self.mapping.value = str(default_mapping())  # the next extract gets a mapping of its own
        self.status.done(f"{extract.summary()} The mapping is saved to {place}.")
        self.report.value = residual_report(extract)
        self.download.value = links({"extract.zip": ("the extract (its tables, residual-risk report and log; "
                                                     "not the mapping)", self.files["extract.zip"])})
        return extract


def gate_fields(k: int) -> tuple[w.BoundedIntText, w.Textarea]:
    """The threshold (the settings' k to start with) and the reason for lowering it."""
    min_k = w.BoundedIntText(description="Least children in a group (k)", value=k, min=1, max=10_000,
                             style={"description_width": "initial"}, layout=w.Layout(width="24em"))
    reason = area("Why lower it", "only when k is below the settings': kept in the extract's log; write no names",
                  rows=2)
    return min_k, reason


def residual_report(extract: Extract) -> str:
    """The residual-risk report as the app shows it: the count, and the tokens with their rows."""
    return residual_table([[r.table, r.row, r.column, r.token, r.context] for r in extract.residual])


def residual_table(residual: list[list[str]]) -> str:
    """The residual-risk report from its rows (table, row, column, token, context)."""
    n = len(residual)
    head = (f"<h2>Residual risk</h2><p>{n} token{'s' if n != 1 else ''} left in the free text: capitalised words, "
            "numbers and name- or place-shaped words the scrubbing did not change. Check each before the extract "
            "leaves.</p>")
    if not n:
        return head
    rows = residual[:SHOWN]
    caption = f"Tokens to check ({n})" if n <= SHOWN else f"The first {SHOWN} of {n} tokens to check (all are in " \
        "residual_risk.csv)"
    # a box of its own that scrolls, reachable by keyboard (a scrolling region must take the focus: WCAG 2.1.1)
    return head + ('<div class="nk-scroll" tabindex="0" role="region" aria-label="Residual tokens" '
                   'style="max-height: 32em; overflow-y: auto;">'
                   + html_table(["Table", "Row", "Column", "Token", "In context"], rows, caption=caption) + "</div>")

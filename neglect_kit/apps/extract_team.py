"""The extract app on a team's database: a researcher requests an extract of an approval and receives it; an
administrator approves and withdraws.

The researcher never reads a case's named rows, nor a case id: they choose one of their live approvals (as
`neglect-kit approvals list` words it), the threshold and a reason, and request the extract; the extract service
takes it in its own process (`research/extract_service.py`). The request's status is kept up to date by a
background poll until it is finished; then the residual-risk report (read from the extract's own
residual_risk.csv) and the zip to download. Earlier requests are listed with their status, and a ready one can be
downloaded again. The keyed mapping stays with the service.
"""

from __future__ import annotations

import csv
import io
import logging
import threading
import time

import ipywidgets as w

from ..config import settings
from ..research import extract_requests as requests
from ..research.extract_errors import ExtractError
from ..store import Store, StoreError
from ..store.identity import Person
from ..ui.downloads import links
from ..ui.fields import area, button, text
from ..ui.guard import guard
from ..ui.panels import Status, esc, html_table, style_block
from .extract import gate_fields, residual_table  # the same threshold, reason and report as the one-person form

log = logging.getLogger(__name__)
POLL = 2.0  # seconds between looks at a request being waited for
NO_APPROVAL = ("No approval is open to you yet: an administrator approves the cases of an extract for you "
               "(`neglect-kit approvals add`), and it is listed here.")


def residual_rows(files: dict[str, bytes]) -> list[list[str]]:
    """The residual-risk report's rows (table, row, column, token, context) from the extract's residual_risk.csv."""
    text = files.get("residual_risk.csv", b"").decode("utf-8-sig")
    return [[r["table"], r["row"], r["column"], r["token"], r["context"]] for r in csv.DictReader(io.StringIO(text))]


class RequestForm:
    """The researcher's form; `.widget` is what the extract app shows on a team's database."""

    def __init__(self, store: Store, person: Person, *, poll: float = POLL):
        self.store, self.person, self.poll = store, person, poll
        self.current: int | None = None
        self.files: dict[str, bytes] = {}
        self.status = Status()
        self.state = w.HTML()
        self.report = w.HTML()
        self.download = w.HTML()
        self.earlier = w.HTML()
        self._watcher: threading.Thread | None = None
        self.approvals = requests.approvals(store)
        self.approval = w.Dropdown(description="Approval", options=[(a.words(), a.id) for a in self.approvals],
                                   style={"description_width": "initial"}, layout=w.Layout(width="60em"))
        self.setting = settings().research.min_k
        self.min_k, self.reason = gate_fields(self.setting)
        self.request_button = button("Request the extract", "primary")
        self.request_button.on_click(guard("request the extract", self.status, lambda _: self.request()))
        self.again = w.Dropdown(description="Ready requests", style={"description_width": "initial"},
                                layout=w.Layout(width="40em"))
        self.again_button = button("Download again")
        self.again_button.on_click(guard("download the extract", self.status, lambda _: self.fetch(self.again.value)))
        chooser = [self.approval, self.min_k, self.reason, self.request_button] if self.approvals else \
            [w.HTML(f"<p>{esc(NO_APPROVAL)}</p>")]
        self.widget = w.VBox([
            w.HTML(style_block()),
            w.HTML("<p>On the team's database the extract service takes the extract, in its own process: you "
                   "choose one of the approvals an administrator made for you, and receive the pseudonymised "
                   "extract alone (people as role labels, free text scrubbed, dates moved, dates of birth as age "
                   "bands). You never see the cases' names or ids. Pseudonymised data is still personal data.</p>"),
            w.HTML(f"<h2>Request an extract</h2><p>The extract is refused when any group of age band, sex, council, "
                   f"year and plan type holds fewer than k children. The settings say k = {self.setting}; a lower "
                   "k needs a reason.</p>"),
            *chooser, self.status, self.state, self.download, self.report,
            w.HTML("<h2>Your requests</h2>"), self.earlier, w.HBox([self.again, self.again_button])])
        self.refresh_earlier()

    def request(self) -> int | None:
        """Request the extract of the chosen approval and start watching it."""
        self.status.clear()
        self.report.value = self.download.value = ""
        if self.approval.value is None:
            self.status.refused(NO_APPROVAL)
            return None
        min_k = self.min_k.value if self.min_k.value != self.setting else None
        try:
            number = requests.request(self.store, self.approval.value, min_k=min_k, reason=self.reason.value)
        except (ExtractError, StoreError) as exc:
            self.status.refused(f"Not requested: {exc}.")
            return None
        self.current = number
        self.status.done(f"Requested: request {number}.")
        self.check()
        self.watch()
        return number

    def watch(self) -> None:
        """Look at the current request every `poll` seconds, in the background, until it is finished."""
        if self._watcher is not None and self._watcher.is_alive():
            return
        self._watcher = threading.Thread(target=self._watch, daemon=True, name="extract-request-watch")
        self._watcher.start()

    def _watch(self) -> None:
        try:
            while self.current is not None and not self.check():
                time.sleep(self.poll)
        except Exception:  # a background look that fails must not die unseen: said, and the log has why
            log.exception("watching extract request %s", self.current)
            self.state.value = (f'<p role="alert">Request {self.current}: its status could not be read; open the '
                                "app again to look.</p>")

    def check(self) -> bool:
        """Show the current request's status; once ready, its report and download. Whether it is finished."""
        if self.current is None:
            return True
        try:
            found = requests.get_request(self.store, self.current)
        except StoreError as exc:
            self.state.value = f'<p role="alert">Request {self.current}: {esc(str(exc))}.</p>'
            return True
        words = found.words()
        self.state.value = (f'<p role="status" class="nk-request">Request {found.id}: {esc(words)}'
                            f"{'.' if words[-1:] != '.' else ''}</p>")
        if found.finished:
            self.refresh_earlier()
            if found.status == "done":
                self.fetch(found.id)
        return found.finished

    def fetch(self, number: int | None) -> None:
        """Show a ready request's residual-risk report and its download."""
        if number is None:
            self.status.refused("No request is ready to download yet.")
            return
        found = requests.get_request(self.store, number)
        data = requests.archive(self.store, number)
        self.files = {"extract.zip": data}
        rows = residual_rows(requests.unzipped(data))
        self.report.value = residual_table(rows)
        self.download.value = (f"<p>{esc(found.message)}</p>" + links(
            {f"extract-request-{number}.zip": ("the extract (its tables, residual-risk report and log; the mapping "
                                               "stays with the extract service)", data)}))

    def refresh_earlier(self) -> None:
        """The researcher's requests with their status; the ready ones offered to download again."""
        mine = requests.my_requests(self.store)
        purposes = {a.id: a.purpose for a in self.approvals}
        rows = [[str(r.id), purposes.get(r.approval_id, f"approval {r.approval_id}"),
                 f"{r.requested_at:%d %b %Y %H:%M}", r.words()] for r in mine]
        self.earlier.value = html_table(["Request", "Approval", "Requested", "Status"], rows,
                                        caption="Your requests") if rows else "<p>No request yet.</p>"
        self.again.options = [(f"Request {r.id} ({purposes.get(r.approval_id, r.approval_id)})", r.id)
                              for r in mine if r.status == "done"]
        if self.again.options and self.again.value is None:
            self.again.index = 0


class ApprovalsForm:
    """The administrator's form: every approval with its cases, a new approval, a withdrawal. The administrator reads
    no case's content, so a case is named by its id, as `neglect-kit approvals add --case` names it."""

    def __init__(self, store: Store):
        self.store = store
        self.status = Status()
        self.listed = w.HTML()
        self.researcher = w.Dropdown(description="Researcher",
                                     options=[(f"{n} ({u})", u) for n, u in requests.researchers(store)],
                                     style={"description_width": "initial"}, layout=w.Layout(width="40em"))
        self.cases = text("Case ids", "the cases' ids, separated by commas", width="40em")
        self.purpose = area("Purpose", "what the extract is for: kept with the approval; write no names", rows=2)
        self.approve_button = button("Approve", "primary")
        self.approve_button.on_click(guard("approve the extract", self.status, lambda _: self.approve()))
        self.live = w.Dropdown(description="Live approvals", style={"description_width": "initial"},
                               layout=w.Layout(width="40em"))
        self.withdraw_button = button("Withdraw")
        self.withdraw_button.on_click(guard("withdraw the approval", self.status, lambda _: self.withdraw()))
        self.widget = w.VBox([
            w.HTML(style_block()),
            w.HTML("<p>Approve the cases of an extract for one researcher, with its purpose. The researcher sees "
                   "how many cases, never which; the extract service takes the extract they request.</p>"),
            w.HTML("<h2>Approve an extract</h2>"), self.researcher, self.cases, self.purpose, self.approve_button,
            self.status, w.HTML("<h2>Approvals</h2>"), self.listed, w.HBox([self.live, self.withdraw_button])])
        self.refresh()

    def approve(self) -> int | None:
        """Approve the typed cases for the chosen researcher; nothing is written on a refusal."""
        self.status.clear()
        cases = [c.strip() for c in self.cases.value.split(",") if c.strip()]
        if self.researcher.value is None:
            self.status.refused("No researcher is on the team's staff yet (`neglect-kit users add NAME --role "
                                "researcher`).")
            return None
        try:
            number = requests.approve(self.store, self.researcher.value, cases, self.purpose.value)
        except (ExtractError, StoreError) as exc:
            self.status.refused(f"Not approved: {exc}.")
            return None
        self.status.done(f"Approval {number}: {len(set(cases))} case{'s' if len(set(cases)) != 1 else ''} for "
                         f"{self.researcher.value}.")
        self.cases.value = self.purpose.value = ""
        self.refresh()
        return number

    def withdraw(self) -> None:
        """Withdraw the chosen live approval."""
        self.status.clear()
        if self.live.value is None:
            self.status.refused("No live approval to withdraw.")
            return
        requests.withdraw(self.store, self.live.value)
        self.status.done(f"Approval {self.live.value} withdrawn: no request of it is taken from now on.")
        self.refresh()

    def refresh(self) -> None:
        listed = requests.approvals(self.store)
        rows = [[str(a.id), a.researcher, a.purpose, ", ".join(a.cases or ()), a.approved_by,
                 f"{a.approved_at:%d %b %Y}", f"withdrawn {a.withdrawn_at:%d %b %Y}" if a.withdrawn_at else "live"]
                for a in listed]
        self.listed.value = html_table(["Approval", "Researcher", "Purpose", "Cases", "Approved by", "On", "Status"],
                                       rows, caption="Every approval") if rows else "<p>No approval yet.</p>"
        self.live.options = [(f"Approval {a.id}: {a.purpose} ({a.researcher})", a.id) for a in listed if a.live]
        if self.live.options and self.live.value is None:
            self.live.index = 0

"""Uploading agency returns in the app: the report first, then import all, valid rows only, or cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..store import Store
from ..ui.fields import choice
from ..ui.panels import esc, html_table
from .importer import ERROR, NOTE, WARNING
from .intake import ImportReport, ReturnFile, check_returns, save_checked
from .records import case_context, stored_entries

_SEVERITY = {ERROR: "Error", WARNING: "Check", NOTE: "Note"}


class ImportPanel:
    """Choose files, see what the kit makes of them, then decide."""

    def __init__(self, store: Store, on_saved: Callable[[ImportReport], None],
                 show_text: Callable[[str], str] = lambda s: s):
        self.store = store
        self.case_id = ""
        self.on_saved = on_saved
        self.show_text = show_text  # the app's view: names become labels in the anonymised view
        self.report: ImportReport | None = None
        self.upload = w.FileUpload(accept=".csv,.xlsx,.txt", multiple=True, description="Choose returns",
                                   tooltip="Agency returns: CSV or XLSX", layout=w.Layout(width="14em"))
        self.agency = choice("Agency of the file", [], blank="From the file's Agency column")
        self.check_button = w.Button(description="Check the files", button_style="primary")
        self.import_all = w.Button(description="Import all", disabled=True)
        self.import_valid = w.Button(description="Import valid rows only", disabled=True)
        self.cancel = w.Button(description="Cancel", disabled=True)
        self.result = w.HTML()
        self.check_button.on_click(lambda _: self.check())
        self.import_all.on_click(lambda _: self.save(valid_only=False))
        self.import_valid.on_click(lambda _: self.save(valid_only=True))
        self.cancel.on_click(lambda _: self.reset("Nothing was saved."))
        self.widget = w.VBox([
            w.HTML("<p>Agency returns as CSV (UTF-8 or Windows-1252) or XLSX. The kit checks every row "
                   "and shows what it found; nothing is saved until you choose.</p>"),
            w.HBox([self.upload, self.agency]), self.check_button, self.result,
            w.HBox([self.import_all, self.import_valid, self.cancel])])

    def set_case(self, case_id: str, agency_options: list[tuple[str, str]]) -> None:
        self.case_id = case_id
        self.agency.options = [("From the file's Agency column", ""), *agency_options]
        self.reset("")

    def files(self) -> list[ReturnFile]:
        agency = self.agency.value or None
        return [ReturnFile(f["name"], bytes(f["content"]), agency=agency) for f in self.upload.value]

    def check(self) -> ImportReport | None:
        """Check the chosen files against the case, saving nothing."""
        files = self.files()
        if not files:
            self.result.value = '<p role="alert">Choose one or more files first.</p>'
            return None
        ctx = case_context(self.store, self.case_id)
        existing = [(s.record_id, s.entry) for s in stored_entries(self.store, self.case_id)]
        self.report = check_returns(ctx, files, previous=self.store.imports(self.case_id), existing=existing)
        self.result.value = self._render(self.report)
        usable = self.report.valid_rows > 0
        self.import_all.disabled = bool(self.report.errors) or not usable
        self.import_valid.disabled = not (self.report.errors and usable)
        self.cancel.disabled = False
        return self.report

    def save(self, valid_only: bool) -> None:
        report = self.report
        if report is None or (report.errors and not valid_only):
            return
        report.valid_only = valid_only
        with self.store.transaction() as conn:
            save_checked(self.store, report, conn)
        self.reset(f"Saved {report.written} entries from {len(report.returns)} file(s)."
                   + (f" {len({p.row for p in report.errors})} row(s) with errors were left out."
                      if report.errors else ""))
        self.on_saved(report)

    def reset(self, message: str) -> None:
        self.report = None
        self.upload.value = ()
        self.import_all.disabled = self.import_valid.disabled = self.cancel.disabled = True
        self.result.value = f'<p role="status">{esc(message)}</p>' if message else ""

    def _render(self, report: ImportReport) -> str:
        summary = (f"{len(report.returns)} file(s), {report.rows} row(s): {report.valid_rows} ready to import, "
                   f"{len(report.errors)} error(s), {len(report.links)} linked as an incident already reported.")
        order = {ERROR: 0, WARNING: 1, NOTE: 2}
        rows: list[list[Any]] = [
            [_SEVERITY[p.severity], p.file, p.row or "", p.column, self.show_text(p.reason)]
            for p in sorted(report.problems, key=lambda p: (order[p.severity], p.file, p.row or 0))]
        decision = ("Rows with errors cannot be imported: correct them in the file and check again, or "
                    "import the valid rows only." if report.errors else "Every row can be imported.")
        table = html_table(["Kind", "File", "Row", "Column", "What the kit found"], rows,
                           caption="What the check found") if rows else ""
        return f"<p><strong>{esc(summary)}</strong></p><p>{esc(decision)}</p>{table}"

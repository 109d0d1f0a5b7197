"""Uploading agency returns in the app: the report first, then import all, valid rows only, or cancel;
and undoing a whole import (every entry it saved withdrawn with a reason)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..store import Store, StoreError
from ..ui.fields import STYLE, choice, text
from ..ui.guard import guard
from ..ui.panels import esc, html_table, say
from .importer import ERROR, NOTE, WARNING, Problem
from .intake import (
    LINKED,
    ImportReport,
    ReturnFile,
    check_returns,
    notes_by_kind,
    resent_lines,
    save_checked,
    undo_import,
)
from .model import Child
from .records import case_context, stored_entries

_SEVERITY = {ERROR: "Error", WARNING: "Check", NOTE: "Note"}
_COLUMNS = ["Kind", "File", "Row", "Column", "What the kit found"]


class ImportPanel:
    """Choose files, see what the kit makes of them, then decide."""

    def __init__(self, store: Store, on_saved: Callable[[ImportReport | None], None],
                 show_text: Callable[[str], str] = lambda s: s):
        self.store = store
        self.case_id = ""
        self._children: tuple[Child, ...] = ()
        self.on_saved = on_saved
        self.show_text = show_text  # the app's view: names become labels in the anonymised view
        self.report: ImportReport | None = None
        self.upload = w.FileUpload(accept=".csv,.xlsx,.txt", multiple=True, description="Choose returns",
                                   tooltip="Agency returns: CSV or XLSX", layout=w.Layout(width="14em"))
        self.agency = choice("Agency of the file", [], blank="From the file's Agency column")
        self.category = choice("Category of every row", [], blank="From the file, or read from the words")
        self.children = w.SelectMultiple(description="Children of every row", style=STYLE, rows=3,
                                         layout=w.Layout(width="30em"))
        self.replace = w.Checkbox(description="This copy replaces the previous return: rows no longer in it are "
                                              "withdrawn (changed rows are saved as new versions either way)",
                                  indent=False, layout=w.Layout(width="60em"))
        self.check_button = w.Button(description="Check the files", button_style="primary")
        self.import_all = w.Button(description="Import all", disabled=True)
        self.import_valid = w.Button(description="Import valid rows only", disabled=True)
        self.cancel = w.Button(description="Cancel", disabled=True)
        self.result = w.HTML()
        self.undo_picker = w.Dropdown(description="Import to undo", style=STYLE, layout=w.Layout(width="48em"))
        self.undo_reason = text("Why undo it", "e.g. loaded against the wrong case")
        self.undo_button = w.Button(description="Undo this import", button_style="danger")
        self.undo_message = w.HTML()
        self.check_button.on_click(guard("check the files", self.result, lambda _: self.check()))
        self.import_all.on_click(guard("import the files", self.result, lambda _: self.save(valid_only=False),
                                       writes=True))
        self.import_valid.on_click(guard("import the valid rows", self.result, lambda _: self.save(valid_only=True),
                                         writes=True))
        self.cancel.on_click(guard("cancel the import", self.result, lambda _: self.reset("Nothing was saved.")))
        self.replace.observe(guard("check the files again", self.result,
                                   lambda _: self.check() if self.report is not None else None), names="value")
        self.undo_button.on_click(guard("undo the import", self.undo_message, lambda _: self.undo(
            self.undo_picker.value, self.undo_reason.value), writes=True))
        self.widget = w.VBox([
            w.HTML("<p>Agency returns as CSV (UTF-8, UTF-16 or Windows-1252) or XLSX. The kit checks every row "
                   "and shows what it found; nothing is saved until you choose. A return without a child "
                   "column needs its children (a one-child case needs none); without a category column each "
                   "row's category is read from its words and shown as such, for you to check.</p>"),
            w.HBox([self.upload, self.agency]), w.HBox([self.children, self.category]), self.replace,
            self.check_button, self.result,
            w.HBox([self.import_all, self.import_valid, self.cancel]),
            w.HTML("<p>Undo a whole import: every entry it saved is withdrawn with your reason (kept in its "
                   "history, never deleted).</p>"),
            self.undo_picker, w.HBox([self.undo_reason, self.undo_button]), self.undo_message])

    def set_case(self, case_id: str, agency_options: list[tuple[str, str]]) -> None:
        self.case_id = case_id
        ctx = case_context(self.store, case_id)
        self.agency.options = [("From the file's Agency column", ""), *agency_options]
        self.category.options = [("From the file, or read from the words", ""),
                                 *[(label, code) for code, label in ctx.settings.categories.labels().items()]]
        self._children = ctx.children
        self.children.value = ()
        self.relabel()
        self.undo_message.value = ""
        self._list_imports()
        self.reset("")

    def relabel(self) -> None:
        """Name the children as the app's view does (role labels in the anonymised view), keeping the choice."""
        chosen = self.children.value
        self.children.options = [(self.show_text(c.name), c.id) for c in self._children]
        self.children.value = chosen

    def files(self) -> list[ReturnFile]:
        agency = self.agency.value or None
        return [ReturnFile(f["name"], bytes(f["content"]), agency=agency, children=tuple(self.children.value),
                           category=self.category.value or None) for f in self.upload.value]

    def check(self) -> ImportReport | None:
        """Check the chosen files against the case, saving nothing."""
        files = self.files()
        if not files:
            self.result.value = '<p role="alert">Choose one or more files first.</p>'
            return None
        ctx = case_context(self.store, self.case_id)
        self.report = check_returns(ctx, files, previous=self.store.imports(self.case_id),
                                    held=stored_entries(self.store, self.case_id), replace=self.replace.value)
        self.result.value = self._render(self.report)
        usable = self.report.new_rows > 0 or any(
            again.changed or (self.replace.value and again.gone) for again in self.report.resent)
        self.import_all.disabled = bool(self.report.errors) or not usable
        self.import_valid.disabled = not (self.report.errors and usable)
        self.cancel.disabled = False
        return self.report

    def save(self, valid_only: bool) -> None:
        report = self.report
        if report is None or (report.errors and not valid_only):
            return
        report.valid_only = valid_only
        try:
            with self.store.transaction() as conn:
                save_checked(self.store, report, conn)
        except StoreError as exc:  # someone imported the same file, or changed an entry, meanwhile
            self.result.value = say(f"Nothing was saved: {exc}", alert=True)
            return
        self.reset(f"Saved {report.written} entries from {len(report.returns)} file(s)."
                   + (f" {report.corrected} corrected as new versions." if report.corrected else "")
                   + (f" {report.withdrawn} withdrawn (not in the corrected copy)." if report.withdrawn else "")
                   + (f" {len({p.row for p in report.errors})} row(s) with errors were left out."
                      if report.errors else ""))
        self._list_imports()
        self.on_saved(report)

    def undo(self, import_id: int | None, reason: str) -> int | None:
        """Withdraw every entry an import saved, with the reason; returns how many."""
        if not import_id:
            self.undo_message.value = say("Choose the import to undo first.", alert=True)
            return None
        if not reason.strip():
            self.undo_message.value = say("Say why the import is undone: the reason is kept with each entry.",
                                          alert=True)
            return None
        try:
            info, withdrawn = undo_import(self.store, self.case_id, import_id, reason)
        except StoreError as exc:
            self.undo_message.value = say(f"Not undone: {exc}", alert=True)
            return None
        self.undo_reason.value = ""
        self.undo_message.value = say(f"Import {import_id} ({info['filename']}) undone: {withdrawn} entries "
                                      "withdrawn, each kept with your reason in its history.")
        self._list_imports()
        self.on_saved(None)
        return withdrawn

    def _list_imports(self) -> None:
        standing = [i for i in self.store.imports(self.case_id) if not i["undone_id"]] if self.case_id else []
        self.undo_picker.options = [("Choose an import...", 0)] + [
            (f"Import {i['id']}: {i['filename']}, {i['rows_written']} rows, {i['created_at']:%d %b %Y} by "
             f"{i['created_by']}", i["id"]) for i in reversed(standing)]
        self.undo_picker.value = 0

    def reset(self, message: str) -> None:
        self.report = None
        self.upload.value = ()
        self.import_all.disabled = self.import_valid.disabled = self.cancel.disabled = True
        self.result.value = f'<p role="status">{esc(message)}</p>' if message else ""

    def _rows(self, problems: list[Problem]) -> list[list[Any]]:
        return [[_SEVERITY[p.severity], p.file, p.row or "", p.column, self.show_text(p.reason)] for p in problems]

    def _render(self, report: ImportReport) -> str:
        summary = (f"{len(report.returns)} file(s), {report.rows} row(s): {report.new_rows} ready to import, "
                   f"{len(report.errors)} error(s), {len(report.links)} linked as an incident already reported.")
        # a screenful of errors and of warnings, as the command line prints: a return refused row by row
        # would otherwise send a table of every row to the page; links are listed one by one
        errors, more_errors = report.first_shown(ERROR)
        warnings, more_warnings = report.first_shown(WARNING)
        linked = sorted((p for p in report.problems if p.kind == LINKED), key=lambda p: (p.file, p.row or 0))
        shown = [*errors, *warnings, *linked]
        more = " and ".join(f"{n:,} more {word}{'s' if n > 1 else ''}"
                            for word, n in (("error", more_errors), ("warning", more_warnings)) if n)
        decision = ("Rows with errors cannot be imported: correct them in the file and check again, or "
                    "import the valid rows only." if report.errors else
                    "Every row can be imported." if report.new_rows or report.replace else
                    "Nothing new to import: the case holds these rows already (see above).")
        table = html_table(_COLUMNS, self._rows(shown), caption="What the check found") if shown else ""
        if more:
            table += say(f"{more} not listed: correct those above in the file and check again.")
        again = "".join(f"<li>{esc(self.show_text(line.strip()))}</li>"
                        for r, resent in zip(report.returns, report.resent, strict=True)
                        for line in resent_lines(r, resent, report.replace))
        folded = ""
        for r in report.returns:  # notes counted by kind, each one behind a disclosure
            notes = [p for p in r.problems if p.severity == NOTE and p.kind != LINKED]
            if notes:
                folded += (f"<details><summary>{esc(r.file)}: {len(notes)} note(s): "
                           f"{esc(notes_by_kind(notes))}</summary>"
                           f"{html_table(_COLUMNS, self._rows(notes), caption=f'Notes on {r.file}')}</details>")
        return (f"<p><strong>{esc(summary)}</strong></p>" + (f"<ul>{again}</ul>" if again else "")
                + f"<p>{esc(decision)}</p>{table}{folded}")


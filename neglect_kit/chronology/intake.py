"""Taking agency returns into a case's chronology: check, link duplicates, then save or not.

Nothing is written when any row has an error, unless the user asks for the valid rows
only; either way the write is one transaction, so a failure half way writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..config import Settings
from ..store import NewRecord, Store, new_record_id
from .importer import ERROR, NOTE, WARNING, CheckedReturn, Problem, check_return
from .merge import Link, find_duplicates
from .model import ENTRY_KIND, ChronologyEntry, EntryContext
from .records import case_context, stored_entries


@dataclass(frozen=True)
class ReturnFile:
    """One agency return to import."""

    name: str
    data: bytes
    agency: str | None = None
    mapping: dict[str, str] | None = None
    sheet: str | None = None

    @classmethod
    def from_path(cls, path: str | Path, **kw: object) -> ReturnFile:
        p = Path(path)
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise FileNotFoundError(f"{p}: cannot read the file ({exc.strerror})") from None
        return cls(p.name, data, **kw)  # type: ignore[arg-type]


@dataclass
class ImportReport:
    """What an import found and did."""

    case_id: str
    returns: list[CheckedReturn]
    links: list[Link] = field(default_factory=list)
    valid_only: bool = False
    written: int = 0
    # the records a save would write: (the return it came from, the record)
    pending: list[tuple[CheckedReturn, NewRecord]] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.returns for p in r.problems]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def rows(self) -> int:
        return sum(r.rows for r in self.returns)

    @property
    def valid_rows(self) -> int:
        return sum(len(r.entries) for r in self.returns)

    @property
    def blocked(self) -> bool:
        """True when the errors kept everything out."""
        return bool(self.errors) and not self.valid_only

    def text(self) -> str:
        """The report as a person reads it: a summary, then each problem by file, row and column."""
        lines = [f"Case {self.case_id}: {len(self.returns)} file(s), {self.rows} row(s), "
                 f"{self.valid_rows} valid, {len(self.errors)} error(s), "
                 f"{len(self.links)} linked as the same incident."]
        order = {ERROR: 0, WARNING: 1, NOTE: 2}
        for p in sorted(self.problems, key=lambda p: (p.file, p.row or 0, order[p.severity])):
            lines.append(f"  {p}")
        if self.blocked:
            lines.append("Nothing was saved: correct the errors, or import the valid rows only.")
        else:
            lines.append(f"Saved {self.written} entr{'y' if self.written == 1 else 'ies'}.")
        return "\n".join(lines)


def check_returns(ctx: EntryContext, files: list[ReturnFile], *, valid_only: bool = False,
                  previous: list[dict[str, Any]] | None = None,
                  existing: list[tuple[str, ChronologyEntry]] | None = None) -> ImportReport:
    """Check returns against a case, and find the incidents already reported, saving nothing.

    Args:
        ctx: the case's children and the settings.
        files: the returns.
        valid_only: whether the valid rows are to be saved despite errors in others.
        previous: the case's earlier imports, so a file imported before is named.
        existing: (record id, entry) of the case's current entries, for linking duplicates.
    """
    earlier = {i["sha256"]: i for i in previous or []}
    checked: list[CheckedReturn] = []
    for file in files:
        result = check_return(file.data, file.name, ctx, agency=file.agency, mapping=file.mapping,
                              sheet=file.sheet)
        if result.sha256 in earlier:
            before = earlier[result.sha256]
            result.problems.insert(0, Problem(
                file.name, None, "", f"this file was already imported into case {ctx.case_id} on "
                f"{before['created_at']:%d %b %Y} by {before['created_by']} (as {before['filename']})"))
        checked.append(result)
    report = ImportReport(ctx.case_id, checked, valid_only=valid_only)
    pending = [(r, row, new_record_id()) for r in checked if not r.file_error for row in r.entries]
    report.links = find_duplicates([(rid, row.entry) for _, row, rid in pending], existing or [],
                                   ctx.settings)
    linked = {link.record_id: link for link in report.links}
    for r, row, record_id in pending:
        entry = row.entry
        link = linked.get(record_id)
        if link:
            r.problems.append(Problem(r.file, row.row, "", f"linked: {link.reason}", NOTE))
            entry = entry.model_copy(update={"duplicate_of": link.duplicate_of})
        report.pending.append((r, NewRecord(entry.model_dump(mode="json"), record_id=record_id,
                                            reason=f"imported from {r.file}")))
    return report


def save_checked(store: Store, report: ImportReport, conn: sa.Connection) -> None:
    """Save a checked report's valid rows, duplicates linked, in the caller's transaction."""
    store.create_many(ENTRY_KIND, report.case_id, [record for _, record in report.pending], conn=conn)
    for r in report.returns:
        if not r.file_error:
            store.record_import(report.case_id, r.file, r.sha256, r.agency, len(r.entries), conn=conn)
    report.written = len(report.pending)


def import_returns(store: Store, case_id: str, files: list[ReturnFile], *, valid_only: bool = False,
                   settings: Settings | None = None) -> ImportReport:
    """Check returns against a case and save their entries, or nothing.

    Args:
        store: where the case is.
        case_id: the case the returns are for.
        files: the returns.
        valid_only: save the valid rows even when other rows have errors.
        settings: vocabularies and thresholds (default: the settings in force).
    """
    ctx = case_context(store, case_id, settings)
    existing = [(s.record_id, s.entry) for s in stored_entries(store, case_id)]
    report = check_returns(ctx, files, valid_only=valid_only, previous=store.imports(case_id),
                           existing=existing)
    if not report.blocked:
        with store.transaction() as conn:
            save_checked(store, report, conn)
    return report

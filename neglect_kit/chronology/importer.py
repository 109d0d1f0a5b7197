"""Checking an agency return row by row, before anything is saved.

Every problem is named by file, row, column and reason. Checks run once per distinct
value of a column (dates, agencies, names repeat a great deal), so a large return is
checked in about the time it takes to read it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from pydantic import TypeAdapter, ValidationError

from . import fields as f
from .columns import AGENCY_FIELD, FIELD_SYNONYMS, REQUIRED_FIELDS, match_columns
from .model import ChronologyEntry, EntryContext, Provenance
from .reading import ROW, ReadError, read_return

ERROR, WARNING, NOTE = "error", "warning", "note"
_LABELS = {"event_date": "event date", "recorded_date": "date recorded", "agency": "agency",
           "children": "child(ren)", "category": "category", "description": "description"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with (error), worth a look in (warning), or said about (note) a return."""

    file: str
    row: int | None
    column: str
    reason: str
    severity: str = ERROR

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.severity}: {self.where()}: {self.reason}"


@dataclass
class CheckedRow:
    row: int
    entry: ChronologyEntry


@dataclass
class CheckedReturn:
    """A return after checking: the rows that passed, and every problem found."""

    file: str
    sha256: str
    agency: str = ""
    rows: int = 0
    entries: list[CheckedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def error_rows(self) -> set[int]:
        return {p.row for p in self.problems if p.severity == ERROR and p.row is not None}

    @property
    def file_error(self) -> bool:
        return any(p.severity == ERROR and p.row is None for p in self.problems)


_CHECKS: dict[str, Callable[[object, EntryContext], f.Checked]] = {
    "event_date": f.check_event_date,
    "recorded_date": f.check_recorded_date,
    "agency": f.check_agency,
    "category": f.check_category,
    "how_known": f.check_how_known,
    "significance": f.check_significance,
    "impact": f.check_impact,
    "children": f.check_children,
}
_TEXT_FIELDS = ("description", "source_detail", "impact_note", "action", "outcome", "child_words")
_ENTRIES = TypeAdapter(list[ChronologyEntry])


def _checker(name: str, ctx: EntryContext) -> Callable[[object], f.Checked]:
    if name in _CHECKS:
        check = _CHECKS[name]
        return lambda v: check(v, ctx)
    label = name.replace("_", " ")
    if name == "description":
        limit = ctx.settings.max_description_chars
        return lambda v: f.check_text(v, ctx, label, limit=limit, required=True)
    return lambda v: f.check_text(v, ctx, label, limit=ctx.settings.max_description_chars)


def _check_column(series: pd.Series, check: Callable[[object], f.Checked]) -> list[f.Checked]:
    """Each distinct value checked once."""
    cache: dict[Any, f.Checked] = {}
    out = []
    for value in series.tolist():
        try:
            result = cache[value]
        except KeyError:
            result = cache[value] = check(value)
        except TypeError:  # an unhashable cell cannot be cached
            result = check(value)
        out.append(result)
    return out


def check_return(data: bytes, filename: str, ctx: EntryContext, *, agency: str | None = None,
                 mapping: dict[str, str] | None = None, sheet: str | None = None) -> CheckedReturn:
    """Check one agency return against its case.

    Args:
        data: the file's bytes.
        filename: its name, used for its kind and in every message.
        ctx: the case the rows are for.
        agency: the agency of every row, for a return without an agency column.
        mapping: {header: field} for headers the kit does not recognise.
        sheet: the sheet of a workbook (default the first).
    """
    result = CheckedReturn(filename, hashlib.sha256(data).hexdigest())
    problems = result.problems

    def file_error(reason: str) -> CheckedReturn:
        problems.append(Problem(filename, None, "", reason))
        return result

    try:
        table = read_return(data, filename, sheet)
    except ReadError as exc:
        return file_error(str(exc))
    if table.encoding == "cp1252":
        problems.append(Problem(filename, None, "", "read as Windows-1252 text", NOTE))
    frame = table.frame
    headers = [c for c in frame.columns if c != ROW]
    matched, unused, column_problems = match_columns(headers, mapping)
    problems += [Problem(filename, None, "", p, WARNING) for p in column_problems]
    problems += [Problem(filename, None, h, "column not used (no chronology field of that name)", NOTE)
                 for h in unused if h]
    header_of = {fld: h for h, fld in matched.items()}
    missing = [fld for fld in REQUIRED_FIELDS if fld not in header_of]
    if missing:
        return file_error("no column for " + ", ".join(
            f"{_LABELS[m]} (headers such as {', '.join(repr(s) for s in FIELD_SYNONYMS[m][:3])})"
            for m in missing) + "; name the column or give a mapping")
    if agency is not None:
        checked_agency = f.check_agency(agency, ctx)
        if checked_agency.error:
            return file_error(checked_agency.error)
        result.agency = checked_agency.value
    elif AGENCY_FIELD not in header_of:
        return file_error("no agency column, and no agency given for the whole return")
    result.rows = len(frame)

    rows = frame[ROW].tolist()
    columns: dict[str, list[f.Checked]] = {
        fld: _check_column(frame[h], _checker(fld, ctx)) for fld, h in header_of.items()}
    _flag_repeated_rows(frame, list(matched), filename, problems)
    repeated = {p.row for p in problems if p.severity == ERROR}

    bodies: list[dict[str, Any]] = []
    kept_rows: list[int] = []
    for i, row in enumerate(rows):
        body: dict[str, Any] = {"provenance": Provenance(file=filename, row=row)}
        row_ok = row not in repeated
        for fld, checked in columns.items():
            c = checked[i]
            where = header_of[fld]
            if c.error:
                problems.append(Problem(filename, row, where, c.error))
                row_ok = False
                continue
            for note in c.notes:
                problems.append(Problem(filename, row, where, note, NOTE))
            if fld == "impact":
                body["impact"], body["impact_note"] = c.value
            elif c.value is not None and c.value != "":
                body[fld] = c.value
        if AGENCY_FIELD not in header_of or not body.get("agency"):
            body["agency"] = result.agency
        if row_ok:
            row_ok = _cross_check(body, ctx, filename, row, header_of, problems)
        if row_ok:
            bodies.append(body)
            kept_rows.append(row)
    try:
        entries = _ENTRIES.validate_python(bodies)
    except ValidationError as exc:  # the field checks above should leave nothing for here
        return file_error(f"rows failed final validation: {exc.errors()[0]['msg']}")
    result.entries = [CheckedRow(r, e) for r, e in zip(kept_rows, entries, strict=True)]
    return result


def _cross_check(body: dict[str, Any], ctx: EntryContext, filename: str, row: int,
                 header_of: dict[str, str], problems: list[Problem]) -> bool:
    """Rules between fields: dates in order, events before a child's birth."""
    event = body["event_date"]
    recorded = body.get("recorded_date")
    if recorded is not None and event.earliest is not None and event.earliest > recorded:
        problems.append(Problem(
            filename, row, header_of["event_date"],
            f"event date {event.text} is after the date recorded {recorded:%d/%m/%Y}: "
            "are the two dates swapped?"))
        return False
    before, warnings = f.pre_birth_children(body["children"], event.latest, ctx)
    if before:
        body["pre_birth"] = before
        names = ", ".join(ctx.child(c).first_name for c in before)
        problems.append(Problem(filename, row, header_of["event_date"],
                                f"before {names}'s birth: kept as a pre-birth entry", NOTE))
    problems += [Problem(filename, row, header_of["children"], w, WARNING) for w in warnings]
    return True


def _flag_repeated_rows(frame: pd.DataFrame, headers: list[str], filename: str,
                        problems: list[Problem]) -> None:
    """The same row twice in one return is a copy-and-paste slip: the copy is refused."""
    content = frame[headers].astype(str)
    if not content.duplicated().any():
        return
    first_seen: dict[tuple[str, ...], int] = {}
    for row, key in zip(frame[ROW].tolist(), content.itertuples(index=False, name=None), strict=True):
        if key in first_seen:
            problems.append(Problem(filename, row, "", f"the same as row {first_seen[key]} of this "
                                    "return: keep one copy"))
        else:
            first_seen[key] = row

"""Checking an agency return row by row, before anything is saved.

Every problem is named by file, row, column and reason. Checks run once per distinct
value of a column (dates, agencies, names repeat a great deal), so a large return is
checked in about the time it takes to read it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from ..perf import collector_paused
from . import fields as f
from .columns import AGENCY_FIELD, FIELD_SYNONYMS, REQUIRED_FIELDS, match_columns
from .model import ChronologyEntry, EntryContext
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
    """A row that passed every check: its fields as they will be stored."""

    row: int
    body: dict[str, Any]
    _entry: ChronologyEntry | None = field(default=None, repr=False)

    @property
    def entry(self) -> ChronologyEntry:
        """The entry model, validated on first use (saving is when it must be)."""
        if self._entry is None:
            self._entry = ChronologyEntry.model_validate(self.body)
        return self._entry


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


def _check_column(series: pd.Series, check: Callable[[object], f.Checked], text_limit: int | None
                  ) -> tuple[list[Any], list[tuple[int, f.Checked]]]:
    """Each distinct value checked once; plain free text (most of it) not checked one by one.

    Returns:
        The value to store for each row (None where the row's value has an error), and the
        (position, result) of every row whose value has an error or a note.
    """
    out = np.empty(len(series), dtype=object)
    todo = np.ones(len(series), dtype=bool)
    if text_limit:
        plain = f.plain_text_mask(series, text_limit).to_numpy()
        out[plain] = series[plain].str.strip().to_numpy(dtype=object)
        todo = ~plain
    positions = np.flatnonzero(todo)
    codes, uniques = pd.factorize(series.iloc[positions].astype(object), use_na_sentinel=False)
    results = [check(u) for u in uniques]
    stored = np.empty(len(results), dtype=object)
    for n, r in enumerate(results):  # element by element: a tuple value must stay one element
        stored[n] = r.value
    out[positions] = stored[codes]
    worth_saying = [n for n, r in enumerate(results) if r.error or r.notes]
    hits = np.flatnonzero(np.isin(codes, worth_saying))
    return out.tolist(), [(int(positions[h]), results[codes[h]]) for h in hits]


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
    with collector_paused():
        return _check(data, filename, ctx, agency, mapping, sheet)


def _check(data: bytes, filename: str, ctx: EntryContext, agency: str | None,
           mapping: dict[str, str] | None, sheet: str | None) -> CheckedReturn:
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
    bad = _flag_repeated_rows(frame, list(matched), filename, problems)
    values: dict[str, list[Any]] = {}
    for fld, header in header_of.items():
        limit = ctx.settings.max_description_chars if fld in f.TEXT_FIELDS else None
        values[fld], flagged = _check_column(frame[header], partial(f.check_field, fld, ctx=ctx), limit)
        for i, c in flagged:
            if c.error:
                problems.append(Problem(filename, rows[i], header, c.error))
                bad.add(i)
            else:
                problems.extend(Problem(filename, rows[i], header, note, NOTE) for note in c.notes)
    if "impact" in values:  # "Negative - she was hungry" is an impact and words about it
        values["impact"], values["impact_note"] = _split_impact(values["impact"], values.get("impact_note"))

    if "agency" not in values:
        values["agency"] = [result.agency] * len(rows)
    names = list(values)
    for i, (row, *cells) in enumerate(zip(rows, *values.values(), strict=True)):
        if i in bad:
            continue
        body = dict(zip(names, cells, strict=True))  # blanks already hold each field's default
        body["provenance"] = {"file": filename, "row": row}
        if not f.between_applies(body["event_date"], body.get("recorded_date"), ctx) or _cross_check(
                body, ctx, filename, row, header_of, problems):
            result.entries.append(CheckedRow(row, body))
    return result


def _split_impact(impacts: list[Any], notes: list[Any] | None) -> tuple[list[Any], list[Any]]:
    """Impact pairs (code, words) into two columns; words in the impact cell come before the
    impact-notes column's."""
    codes, words = [], []
    for n, pair in enumerate(impacts):
        code, said = pair if pair is not None else (None, "")
        extra = notes[n] if notes is not None else ""
        codes.append(code)
        words.append(" ".join(x for x in (said, extra) if x))
    return codes, words


def _cross_check(body: dict[str, Any], ctx: EntryContext, filename: str, row: int,
                 header_of: dict[str, str], problems: list[Problem]) -> bool:
    found = f.check_between(body, ctx)
    if found.error:
        problems.append(Problem(filename, row, header_of[found.field], found.error))
        return False
    problems.extend(Problem(filename, row, header_of["event_date"], n, NOTE) for n in found.notes)
    problems.extend(Problem(filename, row, header_of[fld], w, WARNING) for fld, w in found.warnings)
    return True


def _flag_repeated_rows(frame: pd.DataFrame, headers: list[str], filename: str,
                        problems: list[Problem]) -> set[int]:
    """The same row twice in one return is a copy-and-paste slip: the copy is refused.

    Returns:
        The positions of the copies.
    """
    content = frame[headers].astype(str)
    if not content.duplicated().any():
        return set()
    copies: set[int] = set()
    first_seen: dict[tuple[str, ...], int] = {}
    rows = frame[ROW].tolist()
    for i, key in enumerate(content.itertuples(index=False, name=None)):
        if key in first_seen:
            problems.append(Problem(filename, rows[i], "", f"the same as row {first_seen[key]} of this "
                                    "return: keep one copy"))
            copies.add(i)
        else:
            first_seen[key] = rows[i]
    return copies

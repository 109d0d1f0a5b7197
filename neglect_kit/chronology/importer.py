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
from ..textsafety import escape_controls
from . import fields as f
from .categorise import infer_category
from .columns import FIELD_SYNONYMS, REQUIRED_FIELDS, column_refusals, match_columns
from .model import ChronologyEntry, EntryContext
from .reading import ROW, Limits, ReadError, read_return

ERROR, WARNING, NOTE = "error", "warning", "note"
_LABELS = {"event_date": "event date", "recorded_date": "date recorded", "agency": "agency",
           "children": "child(ren)", "category": "category", "description": "description"}
_DEFAULT_KEY = {"agency": 'agency = "..."', "children": 'children = ["child-id", ...]'}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with (error), worth a look in (warning), or said about (note) a return."""

    file: str
    row: int | None
    column: str
    reason: str
    severity: str = ERROR
    # what sort of note this is, for the report's counted summary ("12 categories read from words")
    kind: str = ""

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        # a cell's words reach a terminal: its control characters are shown, never acted on
        return escape_controls(f"{self.severity}: {self.where()}: {self.reason}")


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
    inferred_categories: int = 0  # rows whose category was read from their words
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


@dataclass(frozen=True)
class ReturnDefaults:
    """What a return says once for all its rows (case.toml's [[returns]] keys, or the import options).

    A default fills a return without that column and the blank cells of one with it; a cell that
    names something else is an error for that row, naming both, for a person to settle.
    """

    agency: str | None = None
    children: tuple[str, ...] = ()
    category: str | None = None


def check_return(data: bytes, filename: str, ctx: EntryContext, *, agency: str | None = None,
                 mapping: dict[str, str] | None = None, sheet: str | None = None,
                 children: list[str] | tuple[str, ...] = (), category: str | None = None) -> CheckedReturn:
    """Check one agency return against its case.

    Args:
        data: the file's bytes.
        filename: its name, used for its kind and in every message.
        ctx: the case the rows are for.
        agency: the agency of every row (fills a missing column or blank cells).
        mapping: {header: field} for headers the kit does not recognise.
        sheet: the sheet of a workbook (default the first).
        children: the child ids of every row (a one-child case needs none: its child is the default).
        category: the category of every row; without it and without a category column, each row's
            category is read from its words and marked inferred.
    """
    with collector_paused():
        return _check(data, filename, ctx, ReturnDefaults(agency, tuple(children), category), mapping, sheet)


def _defaults(given: ReturnDefaults, ctx: EntryContext) -> tuple[dict[str, Any], str]:
    """The checked defaults {field: stored value}, or an error naming the bad one."""
    out: dict[str, Any] = {}
    if given.agency is not None:
        c = f.check_agency(given.agency, ctx)
        if c.error:
            return {}, f"the agency given for the whole return: {c.error}"
        out["agency"] = c.value
    if given.children:
        c = f.check_children(", ".join(given.children), ctx)
        if c.error:
            return {}, f"the children given for the whole return: {c.error}"
        out["children"] = c.value
    elif len(ctx.children) == 1:
        out["children"] = [ctx.children[0].id]
    if given.category is not None:
        c = f.check_category(given.category, ctx)
        if c.error:
            return {}, f"the category given for the whole return: {c.error}"
        out["category"] = c.value
    return out, ""


def _note_kind(fld: str) -> str:
    if fld in ("event_date", "recorded_date"):
        return "dates read with a note"
    if fld in f.TEXT_FIELDS:
        return "text cleaned"
    return f"{_LABELS.get(fld, fld)} notes"


def _known_values(column: pd.Series, ctx: EntryContext) -> np.ndarray:
    """Which cells hold a category the kit knows (blank cells count as known: they are inferred anyway)."""
    codes, uniques = pd.factorize(column.astype(object), use_na_sentinel=False)
    known = np.array([f.is_blank(u) or not f.check_category(u, ctx).error for u in uniques], dtype=bool)
    return known[codes] if len(codes) else np.ones(0, dtype=bool)


def _blank_cells(series: pd.Series) -> np.ndarray:
    return (series.isna() | series.astype(str).str.strip().eq("")).to_numpy()


def _check(data: bytes, filename: str, ctx: EntryContext, given: ReturnDefaults,
           mapping: dict[str, str] | None, sheet: str | None) -> CheckedReturn:
    result = CheckedReturn(filename, hashlib.sha256(data).hexdigest())
    problems = result.problems

    def file_error(reason: str) -> CheckedReturn:
        problems.append(Problem(filename, None, "", reason))
        return result

    try:
        table = read_return(data, filename, sheet, Limits(**ctx.settings.limits))
    except ReadError as exc:
        return file_error(str(exc))
    if table.encoding == "cp1252":
        problems.append(Problem(filename, None, "", "read as Windows-1252 text", NOTE, "file read as Windows-1252"))
    problems += [Problem(filename, row, "", reason, WARNING) for row, reason in table.repairs]
    frame = table.frame
    result.rows = len(frame)  # counted even when the file is refused, so the report's totals are true
    headers = [c for c in frame.columns if c != ROW]
    if refusals := column_refusals(headers, mapping):  # a header twice, a mapping to nothing: nothing is read
        problems.extend(Problem(filename, None, "", r) for r in refusals)
        return result
    matched, unused, column_problems = match_columns(headers, mapping)
    problems += [Problem(filename, None, "", p, WARNING) for p in column_problems]
    problems += [Problem(filename, None, h, "column not used (no chronology field of that name)", NOTE,
                         "column(s) not used") for h in unused if h]
    header_of = {fld: h for h, fld in matched.items()}
    defaults, bad_default = _defaults(given, ctx)
    if bad_default:
        return file_error(bad_default)
    # a category can always be read from the words; children and agency need a column or a default
    missing = [fld for fld in (*REQUIRED_FIELDS, "agency")
               if fld not in header_of and fld not in defaults and fld != "category"]
    if missing:
        return file_error("no column for " + ", ".join(
            f"{_LABELS[m]} (headers such as {', '.join(repr(s) for s in FIELD_SYNONYMS[m][:3])})"
            for m in missing) + "; name the column, give a mapping" + "".join(
            f", or give the return's {_LABELS[m]} for every row (case.toml [[returns]] {_DEFAULT_KEY[m]}, or "
            f"--{m} on import)" for m in missing if m in _DEFAULT_KEY))
    result.agency = defaults.get("agency", "")

    rows = frame[ROW].tolist()
    bad = _flag_repeated_rows(frame, list(matched), filename, problems)
    values: dict[str, list[Any]] = {}
    stated: dict[str, np.ndarray] = {}  # fields with a default and a column: which cells say something
    # rows whose category is read from their words: every row with no column and no default, else blank cells
    to_infer = np.full(len(rows), "category" not in defaults)
    own_type = [""] * len(rows)
    for fld, header in header_of.items():
        column = frame[header]
        if fld == "category" and "category" not in defaults:
            # A blank cell, or an agency's own type the kit does not know ("Concern for welfare" in a
            # police export), is read from the row's words, the agency's type first: never a refusal.
            known = _known_values(column, ctx)
            to_infer = _blank_cells(column) | ~known
            own_type = column.where(~known, "").astype(str).tolist()
            column = column.where(~to_infer, "other")  # a placeholder, replaced by the words' category below
        elif fld in defaults:  # blank cells take the return's default
            blank = _blank_cells(column)
            stated[fld] = ~blank
            fill = ", ".join(defaults[fld]) if fld == "children" else defaults[fld]
            column = column.where(~blank, fill)
        limit = ctx.settings.max_description_chars if fld in f.TEXT_FIELDS else None
        values[fld], flagged = _check_column(column, partial(f.check_field, fld, ctx=ctx), limit)
        for i, c in flagged:
            if c.error:
                problems.append(Problem(filename, rows[i], header, c.error))
                bad.add(i)
            else:
                problems.extend(Problem(filename, rows[i], header, note, NOTE, _note_kind(fld)) for note in c.notes)
    for fld, says in stated.items():
        bad |= _conflicts(fld, values[fld], says, defaults[fld], frame, header_of[fld], rows, filename, ctx, problems)
    if "impact" in values:  # "Negative - she was hungry" is an impact and words about it
        values["impact"], values["impact_note"] = _split_impact(values["impact"], values.get("impact_note"))
    for fld, value in defaults.items():
        if fld not in values:
            values[fld] = [value] * len(rows)
    if "category" not in values:
        values["category"] = ["other"] * len(rows)
    blank = [""] * len(rows)
    for i in np.flatnonzero(to_infer):
        words = (own_type[i], values["description"][i], (values.get("action") or blank)[i],
                 (values.get("outcome") or blank)[i])
        # in order, so an action "raised at core group" does not turn a home visit's concern into a meeting
        values["category"][i] = infer_category([v or "" for v in words], ctx.settings.categories,
                                               ctx.settings.risk_terms)

    names = list(values)
    for i, (row, *cells) in enumerate(zip(rows, *values.values(), strict=True)):
        if i in bad:
            continue
        body = dict(zip(names, cells, strict=True))  # blanks already hold each field's default
        body["provenance"] = {"file": filename, "row": row}
        inferred = bool(to_infer[i])
        if inferred:
            body["inferred"] = ["category"]
        if not f.between_applies(body["event_date"], body.get("recorded_date"), ctx) or _cross_check(
                body, ctx, filename, row, header_of, problems):
            result.entries.append(CheckedRow(row, body))
            if inferred:
                result.inferred_categories += 1
                theirs = f"'{own_type[i]}' is not a category the kit knows: " if own_type[i].strip() else ""
                problems.append(Problem(filename, row, "", f"{theirs}category read from the words as "
                                        f"'{ctx.settings.categories.label(body['category'])}': check it",
                                        NOTE, "categories read from words"))
    return result


def _conflicts(fld: str, checked: list[Any], says: np.ndarray, default: Any, frame: pd.DataFrame, header: str,
               rows: list[int], filename: str, ctx: EntryContext, problems: list[Problem]) -> set[int]:
    """Rows whose own cell names something other than the return's default: errors naming both.

    Returns:
        The positions of those rows.
    """
    if fld == "children":
        differs = [says[i] and v is not None and set(v) != set(default) for i, v in enumerate(checked)]
        given = ", ".join(ctx.child(c).first_name for c in default)
    else:
        vocab = ctx.settings.agencies if fld == "agency" else ctx.settings.categories
        differs = [says[i] and v is not None and v != default for i, v in enumerate(checked)]
        given = vocab.label(default)
    out = set()
    for i in np.flatnonzero(differs):
        problems.append(Problem(filename, rows[i], header, f"the row says {_LABELS[fld]} "
                                f"'{str(frame[header].iloc[i]).strip()}' but the return's {_LABELS[fld]} is "
                                f"'{given}': correct the cell or the return's {_LABELS[fld]}"))
        out.add(int(i))
    return out


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
        problems.append(Problem(filename, row, header_of.get(found.field, ""), found.error))
        return False
    problems.extend(Problem(filename, row, header_of["event_date"], n, NOTE, "pre-birth entries")
                    for n in found.notes)
    problems.extend(Problem(filename, row, header_of.get(fld, ""), w, WARNING) for fld, w in found.warnings)
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

"""Checking an agency return, before anything is saved.

Every problem is named by file, row, column and reason. The checks run over whole columns:
once per distinct value of a column of coded values (dates, agencies, names repeat a great
deal), free text searched as one column; each good row's body is built once, when the rows are first asked for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ..perf import collector_paused, in_background
from ..textsafety import escape_controls
from . import fields as f
from .between_fields import _Between, _between_rows
from .categorise import infer_category
from .checked_rows import CheckedRow, CheckedRows, row_maker
from .column_checks import check_date_column
from .column_values import _check_text_column, _factorized, _flagged, _per_row, _worth_saying
from .columns import FIELD_SYNONYMS, REQUIRED_FIELDS, column_refusals, match_columns
from .model import EntryContext
from .reading import ROW, Limits, ReadError, Table, read_return

ERROR, WARNING, NOTE = "error", "warning", "note"
_LABELS = {"event_date": "event date", "recorded_date": "date recorded", "agency": "agency",
           "children": "child(ren)", "category": "category", "description": "description"}
_DEFAULT_KEY = {"agency": 'agency = "..."', "children": 'children = ["child-id", ...]'}


class Problem(NamedTuple):
    """One thing wrong with (error), worth a look in (warning), or said about (note) a return.

    A named tuple: as unchangeable as a frozen dataclass, and made in a third of the time, which counts
    when a large return has a note on tens of thousands of rows.
    """

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


# a problem from its six fields, made in C: what a named tuple's `_make` does, without its Python frame (a
# third of the time over the tens of thousands of notes of a large return)
_problem = partial(tuple.__new__, Problem)


@dataclass
class CheckedReturn:
    """A return after checking: the rows that passed, and every problem found."""

    file: str
    sha256: str
    agency: str = ""
    rows: int = 0
    inferred_categories: int = 0  # rows whose category was read from their words
    # the rows that passed: a list, or the checked columns until a row is asked for (`CheckedRows`)
    entries: Sequence[CheckedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def error_rows(self) -> set[int]:
        return {p.row for p in self.problems if p.severity == ERROR and p.row is not None}

    @property
    def file_error(self) -> bool:
        return any(p.severity == ERROR and p.row is None for p in self.problems)


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
    if fld in f.DATE_FIELDS:
        return "dates read with a note"
    if fld in f.TEXT_FIELDS:
        return "text cleaned"
    return f"{_LABELS.get(fld, fld)} notes"


def _check(data: bytes, filename: str, ctx: EntryContext, given: ReturnDefaults,
           mapping: dict[str, str] | None, sheet: str | None) -> CheckedReturn:
    try:
        table: Table | ReadError = read_return(data, filename, sheet, Limits(**ctx.settings.limits))
    except ReadError as exc:
        table = exc
    # hashed on another core while the rows are checked (pandas reads a large file with every core)
    digest = in_background(lambda: hashlib.sha256(data).hexdigest())
    result = CheckedReturn(filename, "")
    try:
        _check_table(result, table, ctx, given, mapping)
    finally:
        result.sha256 = digest()
    return result


def _check_table(result: CheckedReturn, table: Table | ReadError, ctx: EntryContext, given: ReturnDefaults,
                 mapping: dict[str, str] | None) -> None:
    """Check a return as read (or the reason it could not be), into `result`."""
    filename, problems = result.file, result.problems

    def file_error(reason: str) -> None:
        problems.append(Problem(filename, None, "", reason))

    if isinstance(table, ReadError):
        file_error(str(table))
        return
    if table.encoding == "cp1252":
        problems.append(Problem(filename, None, "", "read as Windows-1252 text", NOTE, "file read as Windows-1252"))
    problems += [Problem(filename, row, "", reason, WARNING) for row, reason in table.repairs]
    frame = table.frame
    result.rows = len(frame)  # counted even when the file is refused, so the report's totals are true
    headers = [c for c in frame.columns if c != ROW]
    if refusals := column_refusals(headers, mapping):  # a header twice, a mapping to nothing: nothing is read
        problems.extend(Problem(filename, None, "", r) for r in refusals)
        return
    matched, unused, column_problems = match_columns(headers, mapping)
    problems += [Problem(filename, None, "", p, WARNING) for p in column_problems]
    problems += [Problem(filename, None, h, "column not used (no chronology field of that name)", NOTE,
                         "column(s) not used") for h in unused if h]
    header_of = {fld: h for h, fld in matched.items()}
    defaults, bad_default = _defaults(given, ctx)
    if bad_default:
        file_error(bad_default)
        return
    # a category can always be read from the words; children and agency need a column or a default
    missing = [fld for fld in (*REQUIRED_FIELDS, "agency")
               if fld not in header_of and fld not in defaults and fld != "category"]
    if missing:
        file_error("no column for " + ", ".join(
            f"{_LABELS[m]} (headers such as {', '.join(repr(s) for s in FIELD_SYNONYMS[m][:3])})"
            for m in missing) + "; name the column, give a mapping" + "".join(
            f", or give the return's {_LABELS[m]} for every row (case.toml [[returns]] {_DEFAULT_KEY[m]}, or "
            f"--{m} on import)" for m in missing if m in _DEFAULT_KEY))
        return
    result.agency = defaults.get("agency", "")

    rows = frame[ROW].tolist()
    n = len(rows)
    # each column of coded values (all but free text) factorized once: its distinct values are checked
    # once each, and the codes find the rows to compare for repeats
    distinct = {h: _factorized(frame[h].to_numpy(dtype=object))
                for fld, h in header_of.items() if fld not in f.TEXT_FIELDS}
    problems_before_fields = len(problems)
    values: dict[str, list[Any]] = {}
    checked: dict[str, tuple[list[Any], np.ndarray]] = {}  # field -> (each distinct value's stored value, codes)
    stated: dict[str, np.ndarray] = {}  # fields with a default and a column: which cells say something
    # rows whose category is read from their words: every row with no column and no default, else blank cells
    to_infer = np.full(n, "category" not in defaults)
    own_type = [""] * n
    bad: set[int] = set()
    text_limit = ctx.settings.max_description_chars
    dates_read: dict[str, Any] = {}  # each text of the two date columns read once, in this return only
    for fld, header in header_of.items():
        check = partial(f.check_field, fld, ctx=ctx)
        if header not in distinct:
            values[fld], flagged = _check_text_column(frame[header], check, text_limit)
        else:
            codes, uniques = distinct[header]
            to_check = list(uniques)
            if fld == "category" and "category" not in defaults:
                # A blank cell, or an agency's own type the kit does not know ("Concern for welfare" in a
                # police export), is read from the row's words, the agency's type first: never a refusal.
                blank = [f.is_blank(u) for u in to_check]
                known = np.array([b or not f.check_category(u, ctx).error
                                  for u, b in zip(to_check, blank, strict=True)], bool)
                infer = np.array(blank, bool) | ~known
                to_infer = infer[codes]
                own_type = _per_row([str(u) if not k else "" for u, k in zip(to_check, known, strict=True)], codes)
                # a placeholder, replaced by the words' category below
                to_check = ["other" if i else u for u, i in zip(to_check, infer, strict=True)]
            elif fld in defaults:  # blank cells take the return's default
                blank = np.array([f.is_blank(u) for u in to_check], bool)
                stated[fld] = ~blank[codes]
                fill = ", ".join(defaults[fld]) if fld == "children" else defaults[fld]
                to_check = [fill if b else u for u, b in zip(to_check, blank, strict=True)]
            if fld in f.DATE_FIELDS:
                per_value, said = check_date_column(fld, to_check, ctx, dates_read)
            else:
                results = [check(u) for u in to_check]
                per_value, said = [r.value for r in results], _worth_saying(results)
            checked[fld] = per_value, codes
            values[fld] = _per_row(per_value, codes)
            flagged = _flagged(said, codes)
        kind = _note_kind(fld)
        found: list[tuple[Any, ...]] = []  # each problem's fields, made problems at once (`_problem`)
        for i, c in flagged:
            if c.error:
                found.append((filename, rows[i], header, c.error, ERROR, ""))
                bad.add(i)
            else:
                for note in c.notes:
                    found.append((filename, rows[i], header, note, NOTE, kind))
        problems.extend(map(_problem, found))
    repeats: list[Problem] = []
    bad |= _flag_repeated_rows(frame, list(matched), distinct, filename, repeats)
    problems[problems_before_fields:problems_before_fields] = repeats  # said first, as the first thing wrong
    for fld, says in stated.items():
        bad |= _conflicts(fld, checked[fld], says, defaults[fld], frame, header_of[fld], rows, filename, ctx,
                          problems)
    if "impact" in values:  # "Negative - she was hungry" is an impact and words about it
        values["impact"], values["impact_note"] = _split_impact(checked["impact"], values.get("impact_note"))
    for fld, value in defaults.items():
        if fld not in values:
            values[fld] = [value] * n
    if "category" not in values:
        values["category"] = ["other"] * n
    blank_words = [""] * n
    for i in np.flatnonzero(to_infer):
        words = (own_type[i], values["description"][i], values.get("action", blank_words)[i],
                 values.get("outcome", blank_words)[i])
        # in order, so an action "raised at core group" does not turn a home visit's concern into a meeting
        values["category"][i] = infer_category([v or "" for v in words], ctx.settings.categories,
                                               ctx.settings.risk_terms)
    _build_rows(result, values, rows, bad, to_infer, _between_rows(checked, values, ctx, n), own_type, header_of, ctx)


def _build_rows(result: CheckedReturn, values: dict[str, list[Any]], rows: list[int], bad: set[int],
                to_infer: np.ndarray, between: _Between, own_type: list[str], header_of: dict[str, str],
                ctx: EntryContext) -> None:
    """The good rows, kept as the checked columns (`CheckedRows`); the rules between fields and the category
    notes run now, for the rows they concern, so every problem is known when the check ends."""
    filename, problems = result.file, result.problems
    keep = np.ones(len(rows), dtype=bool)
    keep[list(bad)] = False
    make = row_maker(list(values), filename)
    columns = list(values.values())
    added: dict[int, dict[str, Any]] = {}  # {position: fields the rules add} for the rows they concern
    special = np.flatnonzero(keep & (to_infer | between.rows()))
    event_header = header_of.get("event_date", "")
    for i, group in zip(special.tolist(), between.group[special].tolist(), strict=True):
        row, more = rows[i], {}
        if to_infer[i]:
            more["inferred"] = ["category"]
        if between.swapped[i]:  # the row rule decides, on the row's body (few rows: their dates look swapped)
            body = make(row, *(c[i] for c in columns)).body | more
            if not _cross_check(body, ctx, filename, row, header_of, problems):
                keep[i] = False
                continue
            more = {k: body[k] for k in ("inferred", "pre_birth") if k in body}
        if group >= 0:
            before, found = between.outcomes[group]
            if before:
                more["pre_birth"] = list(before)
            for note in found.notes:
                problems.append(_problem((filename, row, event_header, note, NOTE, "pre-birth entries")))
            for fld, w in found.warnings:
                problems.append(_problem((filename, row, header_of.get(fld, ""), w, WARNING, "")))
        if to_infer[i]:
            result.inferred_categories += 1
            theirs = f"'{own_type[i]}' is not a category the kit knows: " if own_type[i].strip() else ""
            problems.append(Problem(filename, row, "", f"{theirs}category read from the words as "
                                    f"'{ctx.settings.categories.label(values['category'][i])}': check it",
                                    NOTE, "categories read from words"))
        if more:
            added[i] = more
    result.entries = CheckedRows(make, rows, columns, np.flatnonzero(keep), added)


def _conflicts(fld: str, checked: tuple[list[Any], np.ndarray], says: np.ndarray, default: Any,
               frame: pd.DataFrame, header: str, rows: list[int], filename: str, ctx: EntryContext,
               problems: list[Problem]) -> set[int]:
    """Rows whose own cell names something other than the return's default: errors naming both.

    Returns:
        The positions of those rows.
    """
    per_value, codes = checked
    if fld == "children":
        differs = [v is not None and set(v) != set(default) for v in per_value]
        given = ", ".join(ctx.child(c).first_name for c in default)
    else:
        vocab = ctx.settings.agencies if fld == "agency" else ctx.settings.categories
        differs = [v is not None and v != default for v in per_value]
        given = vocab.label(default)
    out = set()
    for i in np.flatnonzero(says & np.array(differs, bool)[codes]):
        problems.append(Problem(filename, rows[i], header, f"the row says {_LABELS[fld]} "
                                f"'{str(frame[header].iloc[i]).strip()}' but the return's {_LABELS[fld]} is "
                                f"'{given}': correct the cell or the return's {_LABELS[fld]}"))
        out.add(int(i))
    return out


def _split_impact(impacts: tuple[list[Any], np.ndarray], notes: list[Any] | None) -> tuple[list[Any], list[Any]]:
    """Impact pairs (code, words) into two columns; words in the impact cell come before the
    impact-notes column's."""
    per_value, codes = impacts
    pairs = [v if v is not None else (None, "") for v in per_value]
    said = _per_row([words for _, words in pairs], codes)
    if notes is not None:
        said = [" ".join(x for x in (s, extra) if x) for s, extra in zip(said, notes, strict=True)]
    return _per_row([code for code, _ in pairs], codes), said


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


_KEY_LIMIT = 2 ** 62  # a row's key over the columns compared, as one int64


def _flag_repeated_rows(frame: pd.DataFrame, headers: list[str],
                        distinct: dict[str, tuple[np.ndarray, np.ndarray]], filename: str,
                        problems: list[Problem]) -> set[int]:
    """The same row twice in one return is a copy-and-paste slip: the copy is refused.

    Cells are compared as text. Only rows alike in every factorized column of text cells (free text
    aside, whose cells nearly all differ) can be copies, so only those are compared whole.

    Returns:
        The positions of the copies.
    """
    key = np.zeros(len(frame), dtype=np.int64)
    kinds = 1  # how many values `key` may take
    # the columns with most distinct values first: once no two rows are alike, the rest need not be looked at
    for h in sorted((h for h in headers if h in distinct), key=lambda h: -len(distinct[h][1])):
        if all(type(u) is str for u in distinct[h][1]):  # equal as text only if equal
            codes, uniques = distinct[h]
            if kinds * len(uniques) >= _KEY_LIMIT:  # renumbered from 0 before the product could overflow
                key, values = pd.factorize(key)
                if len(values) == len(key):
                    return set()
                kinds = len(values)
            key, kinds = key * len(uniques) + codes, kinds * len(uniques)
    alike = np.flatnonzero(pd.Series(key).duplicated(keep=False).to_numpy())
    if not len(alike):
        return set()
    content = frame[headers].iloc[alike].astype(str)
    if not content.duplicated().any():
        return set()
    copies: set[int] = set()
    first_seen: dict[tuple[str, ...], int] = {}
    rows = frame[ROW].to_numpy()[alike].tolist()
    for i, row, key_cells in zip(alike.tolist(), rows, content.itertuples(index=False, name=None), strict=True):
        if key_cells in first_seen:
            problems.append(Problem(filename, row, "", f"the same as row {first_seen[key_cells]} of this "
                                    "return: keep one copy"))
            copies.add(i)
        else:
            first_seen[key_cells] = row
    return copies

"""Checks for each field of a chronology entry, one value at a time.

The same checks serve the entry form (one value as it is typed) and the importer (each
distinct value of a column once), so a rule is written in one place only. Each check
returns a `Checked`: the stored value, or an error, plus notes on how the value was read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain, compress
from typing import Any

import numpy as np
import pandas as pd

from ..textsafety import SUSPECT_CHAR, clean_text, looks_like_email
from ..vocab import HOW_KNOWN, IMPACT, SIGNIFICANCE, Vocabulary, normalise
from .dates import DateError, EventDate, parse_event_date, quoted, read_common
from .model import Child, EntryContext

_ALL_CHILDREN = {"both", "all", "all children", "both children", "siblings", "all siblings"}
_IMPACT_WITH_NOTE = re.compile(r"^(.+?)\s*[-–:,.;]\s*(.*)$", re.S)
# What clean_text or looks_like_email might change or refuse: markup, entities and control
# characters anywhere (SUSPECT_CHAR), a formula or an e-mail header at the start of a line. Searched in text
# with a newline put before it, so that "start of a line" is a plain "\n", which is far
# quicker to scan for than a multi-line "^" (this runs over whole columns of free text).
_SUSPECT_LINE = re.compile(r"\n(?:[ \t]*[=+\-@\t\r]|(?i:from|sent|to|subject|cc):)")


def _suspect_offsets(text: str) -> list[int]:
    """Where in `text` (which starts with a newline) something may need cleaning."""
    return [m.start() for p in (SUSPECT_CHAR, _SUSPECT_LINE) for m in p.finditer(text)]


_SPLIT_NAMES = re.compile(r"\s*(?:;|,|/|&|\+|\band\b)\s*", re.I)


@dataclass(frozen=True)
class Checked:
    value: Any = None
    error: str = ""
    notes: tuple[str, ...] = ()


def is_blank(value: object) -> bool:
    """None, NaN, or only spaces."""
    return value is None or (isinstance(value, float) and value != value) or not str(value).strip()


def check_event_date(value: object, ctx: EntryContext, read: dict[str, EventDate | str] | None = None) -> Checked:
    """An event date; `read` holds the dates an import has read so far (see `parse_event_date`)."""
    try:
        parsed = parse_event_date(value, today=ctx.today, read=read)
    except DateError as exc:
        return Checked(error=str(exc))
    return Checked(parsed, notes=(parsed.note,) if parsed.note else ())


def check_recorded_date(value: object, ctx: EntryContext, read: dict[str, EventDate | str] | None = None
                        ) -> Checked:
    """A date recorded, an exact day; `read` as for `check_event_date`."""
    if is_blank(value):
        return Checked(None)
    try:
        parsed = parse_event_date(value, today=ctx.today, read=read)
    except DateError as exc:
        return Checked(error=f"date recorded: {exc}")
    if parsed.precision != "day":
        return Checked(error=f"date recorded {quoted(value)} must be an exact day")
    return Checked(parsed.earliest, notes=(parsed.note,) if parsed.note else ())


def check_date_column(name: str, values: Sequence[object], ctx: EntryContext,
                      read: dict[str, EventDate | str] | None = None) -> tuple[list[Any], dict[int, Checked]]:
    """`check_event_date` or `check_recorded_date` (by field `name`) of many values at once, as an import
    checks the distinct values of a date column: those in the common shapes read together
    (`dates.read_common`), the others one at a time, each distinct text once with `read`.

    Returns:
        The value to store for each (None where it has an error), and {position: result} for the values
        with an error or a note.
    """
    at = [i for i, v in enumerate(values) if type(v) is str]
    texts = [values[i] for i in at]
    common = read_common(texts, ctx.today)
    stored = common.event_dates(texts) if name == "event_date" else common.earliest
    found = np.array(common.found, dtype=bool)
    if name != "event_date":  # a date recorded is an exact day
        found &= np.array(common.precision, dtype=object) == "day"
    positions = np.array(at, dtype=np.intp)[found]
    kept = np.empty(len(values), dtype=object)
    kept[positions] = np.fromiter(compress(stored, found), dtype=object, count=len(positions))
    out: list[Any] = kept.tolist()
    said: dict[int, Checked] = {}
    for k in np.flatnonzero(found & (np.array(common.note, dtype=object) != "")).tolist():
        said[at[k]] = Checked(stored[k], notes=(common.note[k],))
    alone = np.ones(len(values), dtype=bool)  # values the rules read one at a time
    alone[positions] = False
    for i in np.flatnonzero(alone).tolist():
        checked = CHECKS[name](values[i], ctx, read=read)
        out[i] = checked.value
        if checked.error or checked.notes:
            said[i] = checked
    return out, said


def _check_vocab(value: object, vocab: Vocabulary, what: str, required: bool, table: str = "") -> Checked:
    """A vocabulary value; `table` names the settings table where a partnership can add one."""
    if is_blank(value):
        return Checked(error=f"{what} is missing") if required else Checked(None)
    text = str(value).strip()
    if vocab.is_vague(text):
        return Checked(error=f"{what} {quoted(value)} is too vague: name the {what} "
                             f"(one of: {', '.join(vocab.labels().values())})")
    code = vocab.resolve(text)
    if code is None:
        where = (f"; a partnership can add it in the settings file's [{table}] table (docs/settings.md)"
                 if table else "")
        return Checked(error=f"{what} {quoted(value)} is not known "
                             f"(one of: {', '.join(vocab.labels().values())}){where}")
    return Checked(code)


def check_agency(value: object, ctx: EntryContext) -> Checked:
    return _check_vocab(value, ctx.settings.agencies, "source agency", required=True, table="agencies")


def check_category(value: object, ctx: EntryContext) -> Checked:
    return _check_vocab(value, ctx.settings.categories, "category", required=True, table="categories")


def check_how_known(value: object, ctx: EntryContext) -> Checked:
    return _check_vocab(value, HOW_KNOWN, "how known", required=False)


def check_significance(value: object, ctx: EntryContext) -> Checked:
    return _check_vocab(value, SIGNIFICANCE, "significance", required=False)


def check_impact(value: object, ctx: EntryContext) -> Checked:
    """An impact word, optionally followed by words about it: "Negative - she was hungry".

    The words are free text, checked as the impact-notes column is (markup, formulas, length)."""
    if is_blank(value):
        return Checked(("unknown", ""))
    text = str(value).strip()
    code = IMPACT.resolve(text)
    if code is not None:
        return Checked((code, ""))
    m = _IMPACT_WITH_NOTE.match(text)
    if m and (code := IMPACT.resolve(m[1])) is not None:
        note = check_text(m[2], ctx, "impact note", limit=ctx.settings.max_description_chars)
        return Checked(error=note.error) if note.error else Checked((code, note.value), notes=note.notes)
    return Checked(error=f"impact '{text}' should start with one of: "
                         f"{', '.join(IMPACT.labels().values())}")


def check_children(value: object, ctx: EntryContext) -> Checked:
    """The child or children an entry concerns, by first name, full name, nickname or "both"."""
    if is_blank(value):
        return Checked(error="no child named: every entry must name the child or children it concerns")
    text = str(value).strip()
    if normalise(text) in _ALL_CHILDREN:
        return Checked([c.id for c in ctx.children])
    lookup: dict[str, str] = {}
    for c in ctx.children:
        for name in (c.id, c.name, c.first_name, *c.known_as):
            lookup[normalise(name)] = c.id
    ids: list[str] = []
    unknown: list[str] = []
    for part in filter(None, _SPLIT_NAMES.split(text)):
        found = lookup.get(normalise(part))
        if found is None:
            unknown.append(part)
        elif found not in ids:
            ids.append(found)
    if unknown:
        names = ", ".join(c.first_name for c in ctx.children)
        return Checked(error=f"'{', '.join(unknown)}' is not a child of this case (children: {names})")
    return Checked(ids)


def check_text(value: object, ctx: EntryContext, what: str, limit: int | None = None,
               required: bool = False) -> Checked:
    if is_blank(value):
        return Checked(error=f"{what} is missing") if required else Checked("")
    raw = str(value)
    if not _suspect_offsets("\n" + raw):  # most text: nothing to clean, so skip the slower checks
        text = raw.strip()
        if limit is not None and len(text) > limit:
            return Checked(error=_too_long(what, len(text), limit))
        return Checked(text)
    if looks_like_email(raw):
        return Checked(error=f"{what} looks like a whole e-mail: write a short factual summary "
                             "and keep the e-mail in the agency's own records")
    text, changes = clean_text(raw)
    if required and not text:
        return Checked(error=f"{what} is empty once markup is removed")
    if limit is not None and len(text) > limit:
        return Checked(error=_too_long(what, len(text), limit))
    return Checked(text, notes=tuple(f"{what}: {c}" for c in changes))


# What SUSPECT_CHAR matches, as UTF-8 bytes: the C0 controls but tab, newline and return, DEL, "<" and "&"; the
# C1 controls are two bytes each (_C1_UTF8). Deleting every other byte of a column's text is many times quicker than
# the regular expression, and leaves nothing in the usual column, which then needs no search at all.
_SUSPECT_BYTES = frozenset((*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, ord("<"), ord("&")))
_NOT_SUSPECT = bytes(b for b in range(256) if b not in _SUSPECT_BYTES)
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


# the first character of a line _SUSPECT_LINE may match at, and the first two (lower-cased) of its words
_LINE_FIRST = np.frombuffer(b" \t=+-@\r", np.uint8)
_LINE_WORDS = np.array([a << 8 | b for a, b in (b"fr", b"se", b"su", b"to", b"cc")], dtype=np.uint16)


def _column_suspect_offsets(text: str, breaks: np.ndarray | None = None) -> list[int]:
    """`_suspect_offsets` for a whole column's text, each search only where a quick test finds cause.

    Args:
        text: the column's cells, each after a newline.
        breaks: where `text`'s newlines are, if the caller knows (found here otherwise).
    """
    encoded = text.encode("utf-8", "surrogatepass")
    if text.isascii():  # a byte a character: the lines that may match are found in numpy, then tried
        codes = np.frombuffer(encoded, np.uint8)
        starts = np.flatnonzero(codes[:-1] == ord("\n")) if breaks is None else breaks[breaks < len(codes) - 1]
        first = codes[starts + 1]
        second = codes[np.minimum(starts + 2, len(codes) - 1)]
        words = (first | 0x20).astype(np.uint16) << 8 | (second | 0x20)
        maybe = starts[np.isin(first, _LINE_FIRST) | np.isin(words, _LINE_WORDS)].tolist()
        found = [i for i in maybe if _SUSPECT_LINE.match(text, i)]
    else:
        found = [m.start() for m in _SUSPECT_LINE.finditer(text)]
    if encoded.translate(None, _NOT_SUSPECT) or (not text.isascii() and _C1_UTF8.search(encoded)):
        found += [m.start() for m in SUSPECT_CHAR.finditer(text)]
    return found


# what str.strip takes from the ends of ASCII text (str.isspace), as byte values
_ASCII_SPACE = np.array([c for c in range(128) if chr(c).isspace()], dtype=np.uint8)


def plain_cells(values: Sequence[object], limit: int) -> tuple[np.ndarray, list[str]]:
    """Which cells `check_text` would only strip: text, not blank, within `limit`, with nothing
    to clean or refuse. The importer skips the per-value check for these (most free text).

    Returns:
        That mask, and every cell stripped ("" for a cell that is not text): the stored value of a plain cell.
    """
    if isinstance(values, np.ndarray) and pd.api.types.infer_dtype(values, skipna=False) == "string":
        cells = values.tolist()  # a column read as text (a CSV's): every cell a str already
    else:
        cells = [v if type(v) is str else "" for v in values]
    # a block at a time: the text of a block is made in memory the last block's freed, not in fresh pages
    blocks = [_plain_block(cells[at:at + _BLOCK], limit) for at in range(0, len(cells), _BLOCK)]
    return (np.concatenate([plain for plain, _ in blocks]) if blocks else np.zeros(0, dtype=bool),
            list(chain.from_iterable(stripped for _, stripped in blocks)))


_BLOCK = 8192  # cells searched together


def _plain_block(cells: list[str], limit: int) -> tuple[np.ndarray, list[str]]:
    """`plain_cells` of a block of cells, each a str."""
    # one search over the whole block, lines joined, instead of one search per cell
    text = "\n".join(["", *cells])
    lengths = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
    starts = np.cumsum(lengths + 1) - lengths - 1  # where each cell's leading newline is
    if text.isascii() and text.count("\n") == len(cells):  # a byte a character, no line break within a cell
        stripped = _stripped_ascii(cells, text, starts, lengths)
        offsets = _column_suspect_offsets(text, starts)
    else:
        stripped = list(map(str.strip, cells))  # every cell is a str here: the method called from C, not per row
        lengths = np.fromiter(map(len, stripped), dtype=np.int64, count=len(cells))
        offsets = _column_suspect_offsets(text)
    plain = (lengths >= 1) & (lengths <= limit)
    if offsets:
        plain[np.searchsorted(starts, offsets, side="right") - 1] = False
    return plain, stripped


def _stripped_ascii(cells: list[str], text: str, starts: np.ndarray, lengths: np.ndarray) -> list[str]:
    """`cells` stripped, and `lengths` set to theirs, looking in numpy at the ends of each (in the column's
    ASCII `text`, each cell after the newline at `starts`): only a cell with a space at an end is stripped."""
    if not len(cells):
        return []
    codes = np.frombuffer(text.encode("ascii"), np.uint8)
    ends = np.isin(codes[np.minimum(starts + 1, len(codes) - 1)], _ASCII_SPACE) | np.isin(
        codes[starts + lengths], _ASCII_SPACE)
    spaced = np.flatnonzero(ends & (lengths > 0)).tolist()
    if not spaced:
        return cells
    stripped = list(cells)
    for i in spaced:
        stripped[i] = cells[i].strip()
        lengths[i] = len(stripped[i])
    return stripped


def _too_long(what: str, length: int, limit: int) -> str:
    return (f"{what} is {length:,} characters: a chronology entry is a short factual summary "
            f"(at most {limit:,})")


def pre_birth_children(children: list[str], event_latest: date | None, ctx: EntryContext
                       ) -> tuple[list[str], list[str]]:
    """Children for whom the event precedes birth, and warnings for events long before it.

    An event before birth is valid (pregnancy, an older sibling's history); one more than a
    year before conception is more likely an entry on the wrong child.
    """
    if event_latest is None or ctx.latest_birth is None or event_latest >= ctx.latest_birth:
        return [], []
    before: list[str] = []
    warnings: list[str] = []
    for cid in children:
        child: Child = ctx.child(cid)
        birth = child.birth
        if birth is None or event_latest >= birth:
            continue
        before.append(cid)
        if (birth - event_latest).days > 365 + 280:
            warnings.append(f"event is more than a year before {child.first_name} was conceived: "
                            "is this the right child?")
    return before, warnings


@dataclass(frozen=True)
class Between:
    """What the rules between fields found: at most one error (with its field), and notes."""

    field: str = ""
    error: str = ""
    notes: tuple[str, ...] = ()
    warnings: tuple[tuple[str, str], ...] = ()  # (field, warning)


def between_applies(event: EventDate, recorded: date | None, ctx: EntryContext) -> bool:
    """Whether `check_between` can find anything: dates out of order, or an event before the
    latest birth. A quick test, so a large import runs the full rule on the few rows it fits."""
    return ((recorded is not None and event.earliest is not None and event.earliest > recorded)
            or (event.latest is not None and ctx.latest_birth is not None and event.latest < ctx.latest_birth))


def between_applies_columns(earliest: np.ndarray, latest: np.ndarray, recorded: np.ndarray,
                            ctx: EntryContext) -> np.ndarray:
    """`between_applies` over whole columns, for an import: each row's event earliest and latest day and its
    date recorded as day numbers (`date.toordinal`), NaN where it has none."""
    applies = earliest > recorded
    if ctx.latest_birth is not None:
        applies |= latest < ctx.latest_birth.toordinal()
    return applies


def check_between(body: dict[str, Any], ctx: EntryContext) -> Between:
    """Rules between fields: dates in order, and events before a child's birth (sets pre_birth)."""
    event = body["event_date"]
    recorded = body.get("recorded_date")
    if not between_applies(event, recorded, ctx):
        return Between()
    if recorded is not None and event.earliest is not None and event.earliest > recorded:
        return Between("event_date", f"event date {event.text} is after the date recorded "
                                     f"{recorded:%d/%m/%Y}: are the two dates swapped?")
    before, found = _pre_birth(body["children"], event.latest, ctx)
    if before:
        body["pre_birth"] = before
    return found


def _pre_birth(children: list[str], event_latest: date | None, ctx: EntryContext) -> tuple[list[str], Between]:
    """The children an event came before the birth of, and what `check_between` says of that."""
    before, warnings = pre_birth_children(children, event_latest, ctx)
    warned = tuple(("children", w) for w in warnings)
    if not before:
        return [], Between(warnings=warned)
    names = ", ".join(ctx.child(c).first_name for c in before)
    return before, Between(notes=(f"before {names}'s birth: kept as a pre-birth entry",), warnings=warned)


def pre_birth_columns(children: Sequence[list[str] | None], codes: np.ndarray, latest: np.ndarray,
                      ctx: EntryContext) -> tuple[np.ndarray, list[tuple[list[str], Between]]]:
    """`check_between`'s rule of events before a birth over whole columns, for an import.

    What the rule finds for a row depends only on its children and on which births (and which
    conceptions a year earlier) come after its event, so rows alike in those are one group, and the
    rule runs once per group.

    Args:
        children: each distinct value of the children column (None where it has an error).
        codes: each row's index into `children`.
        latest: each row's event latest day as a day number (`date.toordinal`), NaN where it has none.
        ctx: the case.

    Returns:
        Each row's group (-1 where the rule finds nothing), and each group's (children born after the
        event, what the rule says).
    """
    group = np.full(len(codes), -1)
    births = sorted(c.birth.toordinal() for c in ctx.children if c.birth is not None)
    if not births or not len(codes):
        return group, []
    # how many births are on or before the event, and how many of the days a year before conception
    after_births = np.searchsorted(np.array(births, float), latest, side="right")
    after_far = np.searchsorted(np.array(births, float) - (365 + 280), latest, side="right")
    some = np.flatnonzero(after_births < len(births))  # an event before some birth (NaN sorts last: none)
    key = (codes[some] * (len(births) + 1) + after_births[some]) * (len(births) + 1) + after_far[some]
    keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    outcomes: list[tuple[list[str], Between]] = []
    says = np.full(len(keys), -1)
    for k, at in enumerate(some[first].tolist()):
        kids = children[codes[at]]
        if kids is None:
            continue
        before, found = _pre_birth(kids, date.fromordinal(int(latest[at])), ctx)
        if before:
            says[k] = len(outcomes)
            outcomes.append((before, found))
    group[some] = says[inverse.reshape(-1)]
    return group, outcomes


CHECKS = {
    "event_date": check_event_date,
    "recorded_date": check_recorded_date,
    "agency": check_agency,
    "category": check_category,
    "how_known": check_how_known,
    "significance": check_significance,
    "impact": check_impact,
    "children": check_children,
}
DATE_FIELDS = ("event_date", "recorded_date")
TEXT_FIELDS = ("description", "source_detail", "impact_note", "action", "outcome", "child_words")


def check_field(name: str, value: object, ctx: EntryContext) -> Checked:
    """The check for one field by name: the one rule the form and the importer share."""
    if name in CHECKS:
        return CHECKS[name](value, ctx)
    label = name.replace("_", " ")
    return check_text(value, ctx, label, limit=ctx.settings.max_description_chars,
                      required=name == "description")

"""The field checks over whole columns, for an import: each the same rule as its one-value check in `fields`
(which the entry form uses), run in numpy once per column.

Apart from `fields` so that the form, and the chronology app's page with it, is built without numpy or pandas:
a kernel imports them only once the page has been sent (docs/architecture.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from itertools import chain, compress
from typing import Any

import numpy as np
import pandas as pd

from ..textsafety import SUSPECT_CHAR
from .date_columns import read_common
from .dates import EventDate
from .fields import CHECKS, SUSPECT_LINE, Between, Checked, pre_birth_rule
from .model import EntryContext


def check_date_column(name: str, values: Sequence[object], ctx: EntryContext,
                      read: dict[str, EventDate | str] | None = None) -> tuple[list[Any], dict[int, Checked]]:
    """`check_event_date` or `check_recorded_date` (by field `name`) of many values at once, as an import
    checks the distinct values of a date column: those in the common shapes read together
    (`date_columns.read_common`), the others one at a time, each distinct text once with `read`.

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


# What SUSPECT_CHAR matches, as UTF-8 bytes: the C0 controls but tab, newline and return, DEL, "<" and "&"; the
# C1 controls are two bytes each (_C1_UTF8). Deleting every other byte of a column's text is many times quicker than
# the regular expression, and leaves nothing in the usual column, which then needs no search at all.
_SUSPECT_BYTES = frozenset((*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, ord("<"), ord("&")))
_NOT_SUSPECT = bytes(b for b in range(256) if b not in _SUSPECT_BYTES)
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


# the first character of a line SUSPECT_LINE may match at, and the first two (lower-cased) of its words
_LINE_FIRST = np.frombuffer(b" \t=+-@\r", np.uint8)
_LINE_WORDS = np.array([a << 8 | b for a, b in (b"fr", b"se", b"su", b"to", b"cc")], dtype=np.uint16)


def _column_suspect_offsets(text: str, breaks: np.ndarray | None = None) -> list[int]:
    """`suspect_offsets` for a whole column's text, each search only where a quick test finds cause.

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
        found = [i for i in maybe if SUSPECT_LINE.match(text, i)]
    else:
        found = [m.start() for m in SUSPECT_LINE.finditer(text)]
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
        before, found = pre_birth_rule(kids, date.fromordinal(int(latest[at])), ctx)
        if before:
            says[k] = len(outcomes)
            outcomes.append((before, found))
    group[some] = says[inverse.reshape(-1)]
    return group, outcomes

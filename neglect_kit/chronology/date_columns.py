"""A whole column of dates read at once (an import's), in numpy.

Most dates in a return are written in a few shapes: "2016-05-22", "22/05/2016", "May 2016", "spring 2016" and
"22 May 2016", each perhaps after "?". Those are read together, exactly as the rules of `neglect_kit.dates` read
them one by one; every other text is left to the rules. Apart from the rules so that the entry form, which reads
one date at a time, is built without numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from pydantic import TypeAdapter

from .dates import MONTHS, SEASONS, EventDate, long_date

_MONTH_WORDS = {word: (month, "month") for word, month in MONTHS.items()} | {
    word: (first, "season") for word, (first, _) in SEASONS.items()}
_EVENT_DATES = TypeAdapter(list[EventDate])
_DAYS = "datetime64[D]"
_LAST_DAY = np.datetime64("9999-12-31")  # a span reaching past the calendar is refused by the rules


@dataclass(frozen=True)
class CommonDates:
    """Dates in the common shapes, read together: for each text, whether it was read here (`found`), and
    if so its precision, first and last days and note (for the rest, the rules read it alone)."""

    found: list[bool]
    precision: list[str]
    earliest: list[date | None]
    latest: list[date | None]
    note: list[str]

    def event_dates(self, texts: Sequence[str]) -> list[EventDate | None]:
        """Each found text's `EventDate`, as `parse_event_date` gives it (None for a text not found)."""
        # a note only where there is one, as `_dated` gives it
        made = iter(_EVENT_DATES.validate_python([
            {"text": t, "precision": p, "earliest": e, "latest": last, "note": n} if n else
            {"text": t, "precision": p, "earliest": e, "latest": last}
            for t, ok, p, e, last, n in zip(texts, self.found, self.precision, self.earliest, self.latest,
                                            self.note, strict=True) if ok]))
        return [next(made) if ok else None for ok in self.found]


def _points(text: np.ndarray, width: int) -> np.ndarray:
    """The code points of each text's first `width` characters, 0 past its end."""
    have = text.dtype.itemsize // 4
    out = np.zeros((len(text), max(width, have)), dtype=np.int64)
    if have:  # (a column of empty texts has none)
        out[:, :have] = np.ascontiguousarray(text).view(np.uint32).reshape(len(text), have)
    return out[:, :width]


def _number(points: np.ndarray) -> np.ndarray:
    """The number the digits in each row of code points write, up to its end (numpy's own reading of text
    as numbers is many times slower)."""
    out = np.zeros(len(points), dtype=np.int64)
    for column in points.T:
        out = np.where(column > 0, out * 10 + column - ord("0"), out)
    return out


def read_common(texts: Sequence[str], today: date) -> CommonDates:
    """Many dates at once, each as `parse_event_date(text, today)` reads it, when it is in a common shape.

    A text in another shape, or one the rules refuse (not a real day, before 1900, after `today`), is not
    found here: the rules read it alone, and say why they refuse it.
    """
    n = len(texts)
    if not n:
        return CommonDates([], [], [], [], [])
    written = np.array(texts, dtype=np.str_)
    # ASCII only (digits such as "٣" are not dates), and no NUL at the end, which numpy's strings drop
    exact = np.fromiter(map(str.isascii, texts), bool, n) & (
        np.strings.str_len(written) == np.fromiter(map(len, texts), np.int64, n))
    uncertain = np.strings.startswith(written, "?")
    core = np.where(uncertain, np.strings.slice(written, 1, None), written)
    size = np.strings.str_len(core)
    # "2016-05-22" and "22/05/2016": ten characters, digits and separators in their places
    points = _points(core, 10)
    digit = (points >= ord("0")) & (points <= ord("9"))
    iso = exact & (size == 10) & digit[:, [0, 1, 2, 3, 5, 6, 8, 9]].all(1) & (points[:, 4] == ord("-")) & (
        points[:, 7] == ord("-"))
    numeric = exact & (size == 10) & digit[:, [0, 1, 3, 4, 6, 7, 8, 9]].all(1) & (points[:, 2] == ord("/")) & (
        points[:, 5] == ord("/"))
    # "[day ]word year": four digits after the last space, one or two before the first if a day is given
    head, space, year_text = np.strings.rpartition(core, " ")
    day_text, inner, word = np.strings.partition(head, " ")
    has_day = inner != ""
    word = np.where(has_day, word, day_text)
    day_text = np.where(has_day, day_text, "")
    worded = exact & ~iso & ~numeric & (space == " ") & (np.strings.str_len(year_text) == 4) & \
        np.strings.isdigit(year_text) & (~has_day | (np.strings.str_len(day_text) <= 2) & np.strings.isdigit(day_text))
    at = np.flatnonzero(worded)  # only these texts' words are looked up (sorted, so only these)
    words, word_codes = np.unique(np.strings.lower(word[at]), return_inverse=True)
    meaning = [_MONTH_WORDS.get(w, (0, "")) for w in words.tolist()]
    word_month, season = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    word_month[at] = np.array([m for m, _ in meaning], dtype=np.int64)[word_codes.reshape(-1)]
    season[at] = np.array([kind == "season" for _, kind in meaning], dtype=bool)[word_codes.reshape(-1)]
    worded &= (word_month > 0) & ~(season & has_day)  # a season has no day

    year = np.select([iso, numeric, worded], [_number(points[:, 0:4]), _number(points[:, 6:10]),
                                              _number(_points(year_text, 4))])
    month = np.select([iso, numeric, worded], [_number(points[:, 5:7]), _number(points[:, 3:5]), word_month])
    day = np.select([iso, numeric, worded & has_day], [_number(points[:, 8:10]), _number(points[:, 0:2]),
                                                       _number(_points(day_text, 2))])
    by_day = iso | numeric | (worded & has_day)
    found = (iso | numeric | worded) & (year >= 1900) & (month >= 1) & (month <= 12)
    year, month = np.where(found, year, 1970), np.where(found, month, 1)
    first = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
    month_days = ((first + 1).astype(_DAYS) - first.astype(_DAYS)).astype(np.int64)
    found &= ~by_day | ((day >= 1) & (day <= month_days))
    # each shape's span: a day; a month; a season, from its first month to the end of its third
    written_day = first.astype(_DAYS) + np.clip(day - 1, 0, 30)
    earliest = np.where(by_day, written_day, first.astype(_DAYS))
    last_month = np.where(season & ~by_day, first + 2, first)
    latest = np.where(by_day, earliest, (last_month + 1).astype(_DAYS) - 1)
    # "?" widens a day by a week either side, and a month or season by a month either side
    week = np.timedelta64(7, "D")
    earliest = np.where(uncertain, np.where(by_day, earliest - week, (first - 1).astype(_DAYS)), earliest)
    latest = np.where(uncertain, np.where(by_day, latest + week, (last_month + 2).astype(_DAYS) - 1), latest)
    found &= (latest <= _LAST_DAY) & (earliest <= np.datetime64(today))
    precision = np.where(uncertain, "approximate", np.where(by_day, "day", np.where(season, "season", "month")))
    note = [""] * n
    day_first = np.flatnonzero(found & numeric & (day <= 12) & (month <= 12) & (day != month))
    months: dict[tuple[int, int], str] = {}  # "May 2016", written once per month (as `long_date` writes it)
    for i, on in zip(day_first.tolist(), written_day[day_first].tolist(), strict=True):
        if (on.year, on.month) not in months:
            months[on.year, on.month] = long_date(on).split(" ", 1)[1]
        note[i] = f"read day-first as {on.day} {months[on.year, on.month]}"
    return CommonDates(found.tolist(), precision.tolist(), earliest.tolist(), latest.tolist(), note)

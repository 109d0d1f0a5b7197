"""Dates in an extract: every date of a case moved by the case's one offset, in its columns and its words.

The offset is a whole number of weeks (`pseudonymise.date_offset`), so every interval and every weekday is
kept. A date written in free text ("seen on 16 Sep 2019", "on 03/05/2016", "between Oct 2016 and Mar 2018",
as findings and records write them) moves with the rest; left as written it would give the offset away, and
with it every date of the case. A month and year moves as its middle day does, so it may become the month
before or after. A day and month with no year, or a year alone, cannot be moved: the residual-risk report
lists the numbers for a person to check.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from ..dates import MONTHS

_FULL = {name.lower() for name in calendar.month_name if len(name) > 3}  # "May" is short and full alike
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_WORDS = re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b", re.I)
_MONTH_YEAR = re.compile(r"\b" + _MONTH + r",?\s+(?P<year>\d{4})\b", re.I)
_DIGIT = re.compile(r"\d")
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_SLASHED = re.compile(r"\b(?P<day>\d{1,2})(?P<sep>[/.])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})\b")


@dataclass(frozen=True)
class Shifted:
    """A date found in text and moved: where it was in the text as given, its new text, and where that
    stands in the new text (`new_start`)."""

    start: int
    end: int
    text: str
    new_start: int

    @property
    def new_end(self) -> int:
        return self.new_start + len(self.text)


def shift(day: date | None, offset: timedelta) -> date | None:
    """`day` moved by the offset (None stays None)."""
    return None if day is None else day + offset


def _month_word(written: str, month: int) -> str:
    """The month's name as long as the one written: "September" for a full name, "Sep" for a short one."""
    full = written.rstrip(".").lower() in _FULL
    return calendar.month_name[month] if full else calendar.month_abbr[month]


def _year(text: str) -> int:
    # a two-digit year as the records mean it: this century's unless that would be years ahead
    if len(text) == 4:
        return int(text)
    year = 2000 + int(text)
    return year - 100 if year > date.today().year + 1 else year


def _day_words(m: re.Match[str], offset: timedelta) -> str | None:
    moved = _moved(_year(m["year"]), MONTHS[m["month"].lower().rstrip(".")], int(m["day"]), offset)
    if moved is None:
        return None
    month = _month_word(m["month"], moved.month)
    return f"{moved.day} {month} {moved.year}"


def _month_year(m: re.Match[str], offset: timedelta) -> str | None:
    moved = _moved(int(m["year"]), MONTHS[m["month"].lower().rstrip(".")], 15, offset)
    if moved is None:
        return None
    month = _month_word(m["month"], moved.month)
    return f"{month} {moved.year}"


def _iso(m: re.Match[str], offset: timedelta) -> str | None:
    moved = _moved(int(m["year"]), int(m["month"]), int(m["day"]), offset)
    return None if moved is None else moved.isoformat()


def _slashed(m: re.Match[str], offset: timedelta) -> str | None:
    # day first, as the kit reads every slash date (DOMAIN: UK records)
    moved = _moved(_year(m["year"]), int(m["month"]), int(m["day"]), offset)
    if moved is None:
        return None
    sep = m["sep"]
    return f"{moved.day:02d}{sep}{moved.month:02d}{sep}{moved.year}"


def _moved(year: int, month: int, day: int, offset: timedelta) -> date | None:
    try:
        return date(year, month, day) + offset
    except (ValueError, OverflowError):  # not a date (31/02/2019): left for the residual-risk report
        return None


# the longest shapes first: "16 Sep 2019" before "Sep 2019" within it
_SHAPES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], timedelta], str | None]], ...] = (
    (_DAY_WORDS, _day_words), (_ISO, _iso), (_SLASHED, _slashed), (_MONTH_YEAR, _month_year))


def shift_dates_in_text(text: str, offset: timedelta) -> tuple[str, list[Shifted]]:
    """`text` with every full date and every month and year in it moved by `offset`.

    Returns:
        The new text, and each date moved (its place in the text as given, and what it became).
    """
    if not text or not _DIGIT.search(text):  # most text holds no date: one scan of C, not one call a character
        return text, []
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, move in _SHAPES:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            new = move(m, offset)
            if new is not None:
                found.append((m.start(), m.end(), new))
                taken.append((m.start(), m.end()))
    if not found:
        return text, []
    found.sort()
    out: list[str] = []
    moved, last, length = [], 0, 0
    for start, end, new in found:
        out.append(text[last:start])
        length += start - last
        moved.append(Shifted(start, end, new, length))
        out.append(new)
        length += len(new)
        last = end
    out.append(text[last:])
    return "".join(out), moved

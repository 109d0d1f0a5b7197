"""Event dates as agencies write them, kept with their precision.

"?22 May 2016", "spring 2018" and "c. 2017" are normal in agency records: each is read
into the span of days the event may fall in, never forced onto a false exact day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

PRECISIONS = ("day", "month", "season", "year", "approximate", "unknown")

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
_UNKNOWN = {"unknown", "not known", "?", "??", "n k", "nk", "date unknown", "unk"}
_APPROX = re.compile(r"^(?:\?|(?:circa|approximately|approx|about|around|ca|c)(?:\b|(?=\d))\.?)\s*", re.I)
_EXCEL_EPOCH = date(1899, 12, 30)
# Excel serials for 1955..2064: wide enough for any child's records, narrow enough that a
# stray number in a date column is not silently read as a date.
_SERIAL_RANGE = (20090, 60000)
# an uncertain exact day ("?22 May 2016") may be off by about a week either side
_APPROX_DAY_SLACK = timedelta(days=7)


class DateError(ValueError):
    """A date that cannot be read, with the reason in words a practitioner understands."""


class EventDate(BaseModel):
    """When something happened, as precisely as the record knows it."""

    model_config = ConfigDict(frozen=True)

    text: str
    precision: str
    earliest: date | None = None
    latest: date | None = None
    note: str = ""

    @property
    def sort_key(self) -> date:
        return self.earliest or self.latest or date.max

    def display(self) -> str:
        """A reading of the date that says how sure it is."""
        if self.earliest is None or self.latest is None:
            return "date unknown"
        if self.precision == "day":
            return self.earliest.strftime("%d %b %Y").lstrip("0")
        if self.precision == "month":
            return self.earliest.strftime("%b %Y")
        if self.precision == "year":
            return str(self.earliest.year)
        return f"{self.text.strip()} ({self.earliest:%d %b %Y} to {self.latest:%d %b %Y})"


@dataclass(frozen=True)
class _Span:
    precision: str
    earliest: date | None
    latest: date | None
    note: str = ""


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year_of(text: str, today: date) -> tuple[int, str]:
    """A four-digit year, or a two-digit one read as the most recent such year (with a note)."""
    value = int(text)
    if len(text) == 4:
        return value, ""
    if len(text) != 2:
        raise DateError(f"'{text}' is not a year")
    century = today.year - today.year % 100
    year = century + value if century + value <= today.year else century - 100 + value
    return year, f"two-digit year '{text}' read as {year}"


def _check_year(year: int, original: str) -> None:
    if year < 1900:
        raise DateError(f"'{original}': the year {year} is too early for a child's record")


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _day(year: int, month: int, day: int, original: str) -> date:
    _check_year(year, original)
    if not 1 <= month <= 12:
        hint = " (UK dates are day/month/year)" if 1 <= day <= 12 else ""
        raise DateError(f"'{original}' has no month {month}{hint}")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"'{original}' is not a real day ({calendar.month_name[month]} {year} "
                        f"has {calendar.monthrange(year, month)[1]} days)") from None


_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_WORDY = re.compile(r"^(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([a-z]+)\.?,?\s+(\d{4}|\d{2})$")
_WORDY_US = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_SEASON = re.compile(r"^(early |late |mid )?(spring|summer|autumn|fall|winter)\s+(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_MONTH_DASH_YEAR = re.compile(r"^([a-z]+)[\-/ ](\d{2}|\d{4})$")


def _exact(text: str, today: date) -> _Span:
    """Read a date that names no uncertainty of its own."""
    t = text.strip().lower()
    if not t.isascii():  # digits such as "²" or "٣" are not dates any agency writes
        raise _unreadable(text)
    if m := _ISO.match(t):
        y, mo, d = (int(g) for g in m.groups())
        day = _day(y, mo, d, text)
        return _Span("day", day, day)
    if m := _ISO_MONTH.match(t):
        y, mo = int(m[1]), int(m[2])
        _check_year(y, text)
        if not 1 <= mo <= 12:
            raise DateError(f"'{text}' has no month {mo}")
        return _Span("month", date(y, mo, 1), _month_end(y, mo))
    if m := _NUMERIC.match(t):
        d, mo = int(m[1]), int(m[2])
        y, note = _year_of(m[3], today)
        day = _day(y, mo, d, text)
        if d <= 12 and mo <= 12 and d != mo:
            note = "; ".join(filter(None, [note, f"read day-first as {_long(day)}"]))
        return _Span("day", day, day, note)
    if m := _SEASON.match(t):
        first, last = _SEASONS[m[2]]
        y = int(m[3])
        _check_year(y, text)
        start = date(y, first, 1)
        end = _month_end(y + 1, last) if first > last else _month_end(y, last)
        return _Span("season", start, end)
    if m := _WORDY.match(t):
        month = _MONTHS.get(m[2])
        if month is None:
            raise DateError(f"'{text}': '{m[2]}' is not a month")
        y, note = _year_of(m[3], today)
        _check_year(y, text)
        if m[1]:
            day = _day(y, month, int(m[1]), text)
            return _Span("day", day, day, note)
        return _Span("month", date(y, month, 1), _month_end(y, month), note)
    if m := _WORDY_US.match(t):
        month = _MONTHS.get(m[1])
        if month is None:
            raise DateError(f"'{text}': '{m[1]}' is not a month")
        day = _day(int(m[3]), month, int(m[2]), text)
        return _Span("day", day, day)
    if m := _MONTH_DASH_YEAR.match(t):
        month = _MONTHS.get(m[1])
        if month is not None:
            y, note = _year_of(m[2], today)
            _check_year(y, text)
            return _Span("month", date(y, month, 1), _month_end(y, month), note)
    if m := _YEAR.match(t):
        y = int(m[1])
        _check_year(y, text)
        return _Span("year", date(y, 1, 1), date(y, 12, 31))
    if t.isdigit() and _SERIAL_RANGE[0] <= int(t) <= _SERIAL_RANGE[1]:
        day = _EXCEL_EPOCH + timedelta(days=int(t))
        return _Span("day", day, day, f"spreadsheet serial {t} read as {_long(day)}")
    raise _unreadable(text)


def _unreadable(text: str) -> DateError:
    return DateError(f"'{text}' is not a date the kit can read "
                     "(try 03/04/2019, 3 April 2019, April 2019, spring 2018, c. 2017 or 'unknown')")


def _widen(span: _Span) -> tuple[date, date]:
    assert span.earliest is not None
    assert span.latest is not None
    if span.precision == "day":
        return span.earliest - _APPROX_DAY_SLACK, span.latest + _APPROX_DAY_SLACK
    if span.precision == "year":
        return date(span.earliest.year - 1, 1, 1), date(span.latest.year + 1, 12, 31)
    # months and seasons: a month either side
    before = span.earliest.replace(day=1) - timedelta(days=1)
    after = span.latest + timedelta(days=1)
    return before.replace(day=1), _month_end(after.year, after.month)


@lru_cache(maxsize=65536)
def _parse_cached(text: str, today: date) -> EventDate:
    cleaned = " ".join(text.split())
    lowered = cleaned.lower()
    if lowered in _UNKNOWN:
        return EventDate(text=cleaned, precision="unknown")
    approx = _APPROX.match(cleaned)
    if approx and approx.end() < len(cleaned):
        span = _exact(cleaned[approx.end():], today)
        earliest, latest = _widen(span)
        return EventDate(text=cleaned, precision="approximate", earliest=earliest, latest=latest,
                         note=span.note)
    span = _exact(cleaned, today)
    return EventDate(text=cleaned, precision=span.precision, earliest=span.earliest,
                     latest=span.latest, note=span.note)


def parse_event_date(value: object, today: date | None = None, *, allow_future: bool = False
                     ) -> EventDate:
    """Read a date as an agency wrote it.

    Args:
        value: text, a `date`/`datetime` (from a spreadsheet cell) or an Excel serial number.
        today: the day "future" is measured from (default: today).
        allow_future: accept a date after today (an expected date of birth).

    Raises:
        DateError: blank, unreadable, impossible, or in the future; the message says which.
    """
    today = today or date.today()
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        parsed = EventDate(text=value.isoformat(), precision="day", earliest=value, latest=value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != int(value):
            value = int(value)  # a spreadsheet date-time: the day is what counts
        parsed = _parse_cached(str(int(value)), today)
    else:
        text = "" if value is None else str(value)
        if not text.strip() or text.strip().lower() == "nan":
            raise DateError("no date given (write 'unknown' if the date is not known)")
        parsed = _parse_cached(text, today)
    if not allow_future and parsed.earliest is not None and parsed.earliest > today:
        raise DateError(f"'{parsed.text}' is in the future")
    return parsed


def parse_plain_date(value: object, what: str = "date", *, allow_future: bool = False) -> date:
    """A date that must be an exact day (birth dates, recording dates)."""
    parsed = parse_event_date(value, allow_future=allow_future)
    if parsed.precision != "day" or parsed.earliest is None:
        raise DateError(f"{what} '{parsed.text}' must be an exact day")
    return parsed.earliest

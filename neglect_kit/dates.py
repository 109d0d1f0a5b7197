"""Event dates as agencies write them, kept with their precision.

"?22 May 2016", "??/06/2019", "spring term 2019", "Sept 22", "late 2018" and "c. 2017" are
normal in agency records: each is read into the span of days the event may fall in, never
forced onto a false exact day. Every refusal quotes the value exactly as it was written.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from pydantic import ConfigDict

from .validators import Strict

PRECISIONS = ("day", "month", "term", "season", "year", "approximate", "unknown")

# every way records name a month ("march", "mar", "sept"), lower case, to its number; also what finds dates in text
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
# School terms in England and Wales, wide enough for every council's dates: autumn runs from
# early September to Christmas, spring from January to Easter (which moves, so to April's
# end), summer from after Easter to late July. Half terms ("Spring 2") split each in two.
_TERMS = {"autumn": (9, 12), "spring": (1, 4), "summer": (4, 7)}
_HALF_TERMS = {("autumn", "1"): (9, 10), ("autumn", "2"): (11, 12), ("spring", "1"): (1, 2),
               ("spring", "2"): (2, 4), ("summer", "1"): (4, 5), ("summer", "2"): (6, 7)}
_UNKNOWN = {"unknown", "not known", "?", "??", "n k", "nk", "date unknown", "unk", "n/k", "dk", "not recorded"}
_APPROX = re.compile(r"^(?:\?|(?:circa|approximately|approx|about|around|roughly|estimated|est|ca|c)"
                     r"(?:\b|(?=\d))\.?)\s*", re.I)
# "2019?", "June 2019 (approx)", "2017 est."
_APPROX_AFTER = re.compile(r"^(.*?[\w.'’])\s*(?:\?+|\(?\s*(?:approx(?:imately)?|circa|est(?:imated)?)\.?\s*\)?)$",
                           re.I)
_EXCEL_EPOCH = date(1899, 12, 30)
# Excel serials for 1955..2064: wide enough for any child's records, narrow enough that a
# stray number in a date column is not silently read as a date.
_SERIAL_RANGE = (20090, 60000)
# an uncertain exact day ("?22 May 2016") may be off by about a week either side
_APPROX_DAY_SLACK = timedelta(days=7)


class DateError(ValueError):
    """A date that cannot be read, with the reason in words a practitioner understands."""


class EventDate(Strict):
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
        if self.precision == "year" and self.earliest.year == self.latest.year:
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


def _months(precision: str, year: int, first: int, last: int, note: str = "") -> _Span:
    """The span from the first day of one month to the last day of another (the next year's if earlier)."""
    end_year = year + 1 if last < first else year
    return _Span(precision, date(year, first, 1), _month_end(end_year, last), note)


def quoted(value: object) -> str:
    """A value quoted exactly as written, kept on one line (line breaks shown as \\n)."""
    text = str(value).strip()
    return "'" + text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t") + "'"


def _year_of(text: str, today: date, original: str) -> tuple[int, str]:
    """A four-digit year, or a two-digit one read as the most recent such year (with a note)."""
    value = int(text)
    if len(text) == 4:
        _check_year(value, original)
        return value, ""
    if len(text) != 2:
        raise DateError(f"{quoted(original)}: '{text}' is not a year")
    century = today.year - today.year % 100
    year = century + value if century + value <= today.year else century - 100 + value
    return year, f"two-digit year '{text}' read as {year}"


def _check_year(year: int, original: str) -> None:
    if year < 1900:
        raise DateError(f"{quoted(original)}: the year {year} is too early for a child's record")


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _month(word: str, original: str) -> int:
    month = MONTHS.get(word.lower())
    if month is None:
        raise DateError(f"{quoted(original)}: '{word}' is not a month")
    return month


def _day(year: int, month: int, day: int, original: str) -> date:
    _check_year(year, original)
    if not 1 <= month <= 12:
        hint = " (UK dates are day/month/year)" if 1 <= day <= 12 else ""
        raise DateError(f"{quoted(original)} has no month {month}{hint}")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"{quoted(original)} is not a real day ({calendar.month_name[month]} {year} "
                        f"has {calendar.monthrange(year, month)[1]} days)") from None


def _join(*notes: str) -> str:
    return "; ".join(filter(None, notes))


_YY = r"['’]?(\d{4}|\d{2})"  # a year, four digits or two ("'19")
# a time of day after a date (police and hospital exports): "03/06/2019 14:30", "3 June 2019 at 2.30pm"
_TIME = re.compile(r"[\s,T@]+(?:at\s+)?\d{1,2}(?:[:.]\d{2}){1,2}\s*(?:am|pm|hrs|hours)?$"
                   r"|\s+\d{3,4}\s*hrs$", re.I)
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
# the day (or day and month) written as ?, x, 0 or nk: "??/06/2019", "xx/06/19", "??/??/2019"
_DAY_UNKNOWN = re.compile(r"^(?:\?{1,2}|x{1,2}|0{1,2}|nk|-{1,2})[/.\-](\d{1,2}|\?{1,2}|x{1,2}|nk)[/.\-](\d{2}|\d{4})$",
                          re.I)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
# a school or financial year: "2018/19", "2018-2019" (read as the two calendar years it touches)
_TWO_YEARS = re.compile(r"^(\d{4})\s*([/\-])\s*(\d{2}|\d{4})$")
_WORDY = re.compile(r"^(?:(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?(?:\s+|[\-/.]))?([a-z]+)\.?,?(?:[\s\-/.]+|(?=['’]))"
                    + _YY + "$", re.I)
_WORDY_US = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$", re.I)
_SEASON = re.compile(r"^(spring|summer|autumn|fall|winter),?\s+" + _YY + "$", re.I)
_TERM = re.compile(r"^(autumn|spring|summer)\s*(?:term)?\s*([12])?\s*(?:term)?,?\s+" + _YY + "$",
                   re.I)
_YEAR = re.compile(r"^(\d{4})$")
# part of a span: "early 2019", "mid-June 2019", "the end of 2018", "late spring 2020"
_PART = re.compile(r"^(?:the\s+)?(early|beginning\s+of|start\s+of|mid(?:dle)?(?:\s+of)?|late|end\s+of)"
                   r"(?:\s*-\s*|\s+)(.+)$", re.I)
# a range: "June/July 2019", "Jan-Mar 2019", "Dec 2018 to Feb 2019", "between May and July 2019"
_MONTH_PAIR = re.compile(r"^([a-z]+)\.?\s*(?:/|-|–|—|\s+to\s+|\s+or\s+|\s+and\s+)\s*([a-z]+)\.?,?\s+" + _YY + "$",
                         re.I)
_RANGE = re.compile(r"^(?:between\s+)?(.+?)\s*(?:\s+to\s+|\s+and\s+|\s+until\s+|\s+-\s+|–|—)\s*(.+)$", re.I)
# a week: "w/c 03/06/2019", "week commencing 3 June 2019"
_WEEK = re.compile(r"^(?:w/?c|w/?b|wc|week\s+(?:commencing|beginning|starting)(?:\s+on)?)\.?:?\s+(.+)$", re.I)
_TYPOGRAPHIC = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-"})
_PARTS = {"early": 0, "beginning": 0, "start": 0, "mid": 1, "middle": 1, "late": 2, "end": 2}


def _exact(text: str, today: date, original: str) -> _Span:
    """Read a date that names no uncertainty of its own; errors quote `original`, the value as written."""
    t = text.strip().translate(_TYPOGRAPHIC)
    t = t if _ISO.match(t) else _TIME.sub("", t)
    if not t.isascii():  # digits such as "²" or "٣" are not dates any agency writes
        raise _unreadable(original)
    if m := _ISO.match(t):
        y, mo, d = (int(g) for g in m.groups())
        day = _day(y, mo, d, original)
        return _Span("day", day, day)
    if m := _TWO_YEARS.match(t):
        first, second = int(m[1]), int(m[3])
        if second % 100 == (first + 1) % 100 and (len(m[3]) == 4 or m[2] == "/" or second > 12):
            _check_year(first, original)
            return _Span("year", date(first, 1, 1), date(first + 1, 12, 31),
                         f"'{t}' read as some time in {first} or {first + 1} (a school or financial year)")
    if m := _ISO_MONTH.match(t):
        y, mo = int(m[1]), int(m[2])
        _check_year(y, original)
        if not 1 <= mo <= 12:
            raise DateError(f"{quoted(original)} has no month {mo}")
        return _Span("month", date(y, mo, 1), _month_end(y, mo))
    if m := _DAY_UNKNOWN.match(t):
        y, note = _year_of(m[2], today, original)
        if not m[1].isdigit():
            return _Span("year", date(y, 1, 1), date(y, 12, 31), _join(note, "day and month not known"))
        mo = int(m[1])
        _day(y, mo, 1, original)  # a real month
        return _Span("month", date(y, mo, 1), _month_end(y, mo),
                     _join(note, f"day not known: read as {date(y, mo, 1):%B %Y}"))
    if m := _NUMERIC.match(t):
        d, mo = int(m[1]), int(m[2])
        y, note = _year_of(m[3], today, original)
        day = _day(y, mo, d, original)
        if d <= 12 and mo <= 12 and d != mo:
            note = _join(note, f"read day-first as {long_date(day)}")
        return _Span("day", day, day, note)
    if (m := _TERM.match(t)) and (" term" in t.lower() or re.search(r"\s[12]\s", t)):
        return _term(m, today, original)
    if m := _SEASON.match(t):
        first, last = SEASONS[m[1].lower()]
        y, note = _year_of(m[2], today, original)
        return _months("season", y, first, last, note)
    if (m := _MONTH_PAIR.match(t)) and m[1].lower() in MONTHS and m[2].lower() in MONTHS:
        first, last = _month(m[1], original), _month(m[2], original)
        y, note = _year_of(m[3], today, original)  # "Nov-Jan 2019": the year written is the last month's
        return _months("approximate", y - 1 if last < first else y, first, last, note)
    if m := _PART.match(t):
        return _part(m, today, original)
    if m := _WEEK.match(t):
        inner = _exact(m[1], today, original)
        if inner.precision != "day" or inner.earliest is None:
            raise DateError(f"{quoted(original)}: a week must start on an exact day")
        return _Span("approximate", inner.earliest, inner.earliest + timedelta(days=6), inner.note)
    if m := _WORDY.match(t):
        month = _month(m[2], original)
        y, note = _year_of(m[3], today, original)
        if m[1]:
            day = _day(y, month, int(m[1]), original)
            return _Span("day", day, day, note)
        return _Span("month", date(y, month, 1), _month_end(y, month), note)
    if m := _WORDY_US.match(t):
        day = _day(int(m[3]), _month(m[1], original), int(m[2]), original)
        return _Span("day", day, day)
    if m := _YEAR.match(t):
        y = int(m[1])
        _check_year(y, original)
        return _Span("year", date(y, 1, 1), date(y, 12, 31))
    if t.isdigit() and _SERIAL_RANGE[0] <= int(t) <= _SERIAL_RANGE[1]:
        day = _EXCEL_EPOCH + timedelta(days=int(t))
        return _Span("day", day, day, f"spreadsheet serial {t} read as {long_date(day)}")
    if m := _RANGE.match(t):
        return _range(m[1], m[2], today, original)
    raise _unreadable(original)


def _term(m: re.Match[str], today: date, original: str) -> _Span:
    """A school term ("spring term 2019") or half term ("Autumn 2 2018"); the year is the calendar
    year written (spring term 2019 is January to April 2019)."""
    name = m[1].lower()
    y, note = _year_of(m[3], today, original)
    first, last = _HALF_TERMS[(name, m[2])] if m[2] else _TERMS[name]
    return _months("term", y, first, last, note)


def _part(m: re.Match[str], today: date, original: str) -> _Span:
    """The first, middle or last third of a span: "early 2019" is January to April 2019."""
    inner = _exact(m[2], today, original)
    if inner.earliest is None or inner.latest is None or inner.precision == "day":
        raise DateError(f"{quoted(original)}: '{m[1]}' needs a month, season or year after it")
    third = _PARTS[m[1].split()[0].lower()]
    start, end = inner.earliest, inner.latest
    if inner.precision == "year" and start.year == end.year:  # whole months: Jan-Apr, May-Aug, Sep-Dec
        return _months("approximate", start.year, 1 + 4 * third, 4 + 4 * third, inner.note)
    days = (end - start).days + 1
    lo = start + timedelta(days=days * third // 3)
    hi = start + timedelta(days=days * (third + 1) // 3 - 1)
    return _Span("approximate", lo, hi, inner.note)


def _range(left: str, right: str, today: date, original: str) -> _Span:
    """A span between two dates, the first taking the second's year when it names none ("May to July 2019")."""
    last = _exact(right, today, original)
    try:
        first = _exact(left, today, original)
    except DateError:
        if last.earliest is None or left.strip().lower() not in MONTHS:
            raise _unreadable(original) from None
        first = _exact(f"{left} {last.earliest.year}", today, original)
    if first.earliest is None or last.latest is None or first.earliest > last.latest:
        raise DateError(f"{quoted(original)}: the first date is after the second")
    return _Span("approximate", first.earliest, last.latest, _join(first.note, last.note))


def _unreadable(original: str) -> DateError:
    return DateError(f"{quoted(original)} is not a date the kit can read (try 03/04/2019, 3 April 2019, "
                     "April 2019, ??/04/2019, spring term 2019, early 2019, c. 2017 or 'unknown')")


def _widen(span: _Span) -> tuple[date, date]:
    assert span.earliest is not None
    assert span.latest is not None
    if span.precision == "day":
        return span.earliest - _APPROX_DAY_SLACK, span.latest + _APPROX_DAY_SLACK
    if span.precision == "year":
        return date(span.earliest.year - 1, 1, 1), date(span.latest.year + 1, 12, 31)
    # months, terms, seasons and parts of them: a month either side
    before = span.earliest.replace(day=1) - timedelta(days=1)
    after = span.latest + timedelta(days=1)
    return before.replace(day=1), _month_end(after.year, after.month)


def _approximate(inner: str, text: str, cleaned: str, today: date, note: str) -> EventDate:
    span = _exact(inner, today, text)
    if span.earliest is None:
        raise _unreadable(text)
    earliest, latest = _widen(span)
    return _dated(cleaned, "approximate", earliest, latest, _join(span.note, note))


def _dated(text: str, precision: str, earliest: date | None, latest: date | None, note: str) -> EventDate:
    """An `EventDate` given its note only where there is one. Its set of the fields it was given is then of four,
    which takes under half the memory of a set of five: an import makes tens of thousands of dates."""
    if note:
        return EventDate(text=text, precision=precision, earliest=earliest, latest=latest, note=note)
    return EventDate(text=text, precision=precision, earliest=earliest, latest=latest)


def _parse(text: str, today: date) -> EventDate:
    """Any date as written: each rule in turn."""
    cleaned = " ".join(text.split())
    lowered = cleaned.lower()
    if lowered in _UNKNOWN:
        return EventDate(text=cleaned, precision="unknown")
    if _DAY_UNKNOWN.match(cleaned):  # "??/06/2019" is a month, not an uncertain "?/06/2019"
        span = _exact(cleaned, today, text)
        return _dated(cleaned, span.precision, span.earliest, span.latest, span.note)
    try:
        if (after := _APPROX_AFTER.match(cleaned)) and (inner := _APPROX.sub("", after[1], count=1)):
            return _approximate(inner, text, cleaned, today, "marked as uncertain")
        approx = _APPROX.match(cleaned)
        if approx and approx.end() < len(cleaned):
            return _approximate(cleaned[approx.end():], text, cleaned, today, "")
        span = _exact(cleaned, today, text)
    except DateError:
        raise
    except (ValueError, OverflowError):  # a year beyond the calendar ("winter 9999")
        raise _unreadable(text) from None
    return _dated(cleaned, span.precision, span.earliest, span.latest, span.note)


# A value typed at a time (the entry form, a case's dates) is read once however often it is asked for. An
# import reads each distinct value of its date columns once, in a `read` dict of its own instead.
_parse_cached = lru_cache(maxsize=65536)(_parse)


def _parse_text(text: str, today: date, read: dict[str, EventDate | str] | None) -> EventDate:
    if read is None:
        return _parse_cached(text, today)
    found = read.get(text)
    if found is None:
        try:
            found = read[text] = _parse(text, today)
        except DateError as exc:
            found = read[text] = str(exc)
    if isinstance(found, str):
        raise DateError(found)
    return found


def parse_event_date(value: object, today: date | None = None, *, allow_future: bool = False,
                     read: dict[str, EventDate | str] | None = None) -> EventDate:
    """Read a date as an agency wrote it.

    Args:
        value: text, a `date`/`datetime` (from a spreadsheet cell) or an Excel serial number.
        today: the day "future" is measured from (default: today).
        allow_future: accept a date after today (an expected date of birth).
        read: {text: its date, or why it is refused} of the values read so far by the caller (an import's
            date columns), to read each distinct text once in that job alone; without it, a cache of the
            recent values serves.

    Raises:
        DateError: blank, unreadable, impossible, or in the future; the message quotes the value
            as written and says which.
    """
    today = today or date.today()
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        parsed = EventDate(text=value.isoformat(), precision="day", earliest=value, latest=value)
        written = value.isoformat()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != int(value):
            value = int(value)  # a spreadsheet date-time: the day is what counts
        written = str(int(value))
        parsed = _parse_text(written, today, read)
    else:
        written = "" if value is None else str(value)
        if not written.strip() or written.strip().lower() == "nan":
            raise DateError("no date given (write 'unknown' if the date is not known)")
        parsed = _parse_text(written, today, read)
    if not allow_future and parsed.earliest is not None and parsed.earliest > today:
        raise DateError(f"{quoted(written)} is in the future")
    return parsed


def parse_plain_date(value: object, what: str = "date", *, allow_future: bool = False) -> date:
    """A date that must be an exact day (birth dates, recording dates)."""
    parsed = parse_event_date(value, allow_future=allow_future)
    if parsed.precision != "day" or parsed.earliest is None:
        raise DateError(f"{what} {quoted(value)} must be an exact day")
    return parsed.earliest

"""Working days: Monday to Friday, less the bank holidays of one UK nation.

Escalation timescales are set in working days by local policy (DOMAIN.md section 5), and the
four UK nations keep different bank holidays (Scotland's 2 January, Northern Ireland's
17 March and 12 July), so a due date depends on the nation in the settings (`bank_holidays`).
Bank holidays come from the `holidays` library, which also moves a holiday falling at a
weekend to its substitute day (Boxing Day on a Saturday is taken on the Monday).

Counting follows the way a timescale is read: "2 working days from Thursday" does not count
the Thursday itself, so `add_working_days(start, n)` is the n-th working day after `start`,
and `working_days_between(start, end)` counts the working days after `start` up to and
including `end`. The two agree: `working_days_between(s, add_working_days(s, n)) == n`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

from ..config import BANK_HOLIDAY_NATIONS as NATIONS
from ..config import default_of

DEFAULT_NATION: str = default_of("bank_holidays")
_ONE_DAY = timedelta(days=1)


def check_nation(nation: str) -> str:
    """`nation` as given if it is one of ENG, WLS, SCT or NIR.

    Raises:
        ValueError: any other value, naming the four the kit knows.
    """
    if nation not in NATIONS:
        known = ", ".join(f"{code} ({name})" for code, name in NATIONS.items())
        raise ValueError(f"'{nation}' is not a UK nation the kit keeps bank holidays for: choose {known}")
    return nation


@lru_cache(maxsize=64)
def _bank_holidays(nation: str, year: int) -> frozenset[date]:
    # One year at a time, cached: due dates cluster in a few years, and the library builds a year's
    # holidays afresh on each call.
    import holidays  # about a tenth of a second to import: paid by the first due date, not by every app's start

    return frozenset(holidays.country_holidays("GB", subdiv=nation, years=year))


def _day(value: date, name: str) -> date:
    # A datetime is a date too, but adding days to one keeps its time and breaks comparisons.
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise ValueError(f"{name} must be a date, not {value!r}")
    return value


def bank_holiday(day: date, nation: str = DEFAULT_NATION) -> bool:
    """True if `day` is a bank holiday (or a substitute day for one) in `nation`.

    Raises:
        ValueError: an unknown nation, or a `day` that is not a date.
    """
    day = _day(day, "day")
    return day in _bank_holidays(check_nation(nation), day.year)


def is_working_day(day: date, nation: str = DEFAULT_NATION) -> bool:
    """True if `day` is a Monday to Friday and not a bank holiday in `nation`.

    Raises:
        ValueError: an unknown nation, or a `day` that is not a date.
    """
    day = _day(day, "day")
    return day.weekday() < 5 and not bank_holiday(day, nation)


def add_working_days(start: date, days: int, nation: str = DEFAULT_NATION) -> date:
    """The date `days` working days after `start` (`start` itself is not counted).

    Args:
        start: the day the clock starts, e.g. the day a concern was raised; it may be a weekend.
        days: whole working days, 0 or more; 0 gives `start` back unchanged.
        nation: ENG, WLS, SCT or NIR, whose bank holidays are skipped.

    Raises:
        ValueError: an unknown nation, a `start` that is not a date, or `days` that is not a whole
            number of 0 or more.
    """
    start = _day(start, "start")
    check_nation(nation)
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"days must be a whole number of working days, 0 or more, not {days!r}")
    day = start
    while days:
        day += _ONE_DAY
        if is_working_day(day, nation):
            days -= 1
    return day


def working_days_between(start: date, end: date, nation: str = DEFAULT_NATION) -> int:
    """The working days after `start` up to and including `end`; negative when `end` is before `start`.

    A stage due on a Friday and looked at on the next Monday is 1 working day late; on the
    Saturday between, it is 0.

    Raises:
        ValueError: an unknown nation, or a `start` or `end` that is not a date.
    """
    start, end = _day(start, "start"), _day(end, "end")
    check_nation(nation)
    if end < start:
        return -working_days_between(end, start, nation)
    count, day = 0, start
    while day < end:
        day += _ONE_DAY
        count += is_working_day(day, nation)
    return count

"""Working days: weekends and each UK nation's bank holidays skipped, with real 2025 and 2026 dates."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neglect_kit.supervision.calendar import (
    NATIONS,
    add_working_days,
    bank_holiday,
    check_nation,
    is_working_day,
    working_days_between,
)


@pytest.mark.parametrize(("day", "nation", "working"), [
    (date(2026, 3, 4), "ENG", True),  # a Wednesday
    (date(2026, 3, 7), "ENG", False),  # a Saturday
    (date(2026, 3, 8), "ENG", False),  # a Sunday
    (date(2025, 12, 25), "ENG", False),  # Christmas Day
    (date(2025, 8, 25), "ENG", False),  # late summer bank holiday in England
    (date(2025, 8, 25), "SCT", True),  # not in Scotland (theirs is early August)
    (date(2025, 8, 4), "SCT", False),
    (date(2026, 1, 2), "ENG", True),
    (date(2026, 1, 2), "SCT", False),  # the Scottish second of January
    (date(2026, 3, 17), "NIR", False),  # St Patrick's Day
    (date(2026, 3, 17), "WLS", True),
    (date(2026, 12, 28), "ENG", False),  # Boxing Day falls on a Saturday: taken on the Monday
])
def test_working_days(day, nation, working):
    assert is_working_day(day, nation) is working


def test_a_stage_raised_on_christmas_eve_2026_is_due_on_the_30th():
    # Thu 24 Dec: Fri 25 Christmas, Sat 26 and Sun 27, Mon 28 Boxing Day's substitute; Tue 29 is day 1
    assert add_working_days(date(2026, 12, 24), 2) == date(2026, 12, 30)
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_the_scottish_second_of_january_is_skipped_in_scotland_only():
    # Wed 31 Dec 2025: 1 Jan is a holiday in all four nations, 2 Jan in Scotland only
    assert add_working_days(date(2025, 12, 31), 1, "ENG") == date(2026, 1, 2)
    assert add_working_days(date(2025, 12, 31), 1, "SCT") == date(2026, 1, 5)


def test_easter_2025_and_a_weekend_start():
    # Thu 17 Apr 2025: Good Friday 18th, Easter Monday 21st
    assert add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)
    assert add_working_days(date(2025, 4, 17), 3) == date(2025, 4, 24)
    # raised on a Saturday: the Monday is the first working day after it
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)


def test_zero_days_is_the_start_itself():
    assert add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 7)


def test_a_datetime_counts_as_its_day():
    assert add_working_days(datetime(2026, 12, 24, 16, 30), 2) == date(2026, 12, 30)


def test_working_days_between_agrees_with_adding():
    start = date(2026, 12, 24)
    for n in range(0, 12):
        assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 28)) == 0  # all holidays and weekend
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 8)) == 0  # Friday to Sunday
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1


@given(st.dates(date(2024, 1, 1), date(2028, 12, 31)), st.integers(0, 40), st.sampled_from(list(NATIONS)))
def test_adding_lands_on_a_working_day_and_counts_back(start, days, nation):
    due = add_working_days(start, days, nation)
    assert working_days_between(start, due, nation) == days
    assert days == 0 or is_working_day(due, nation)
    assert due == start if days == 0 else due > start


def test_working_days_between_runs_backwards_as_a_negative():
    assert working_days_between(date(2026, 12, 30), date(2026, 12, 24)) == -2


def test_bank_holiday_by_nation():
    assert bank_holiday(date(2026, 3, 17), "NIR") and not bank_holiday(date(2026, 3, 17), "ENG")
    assert not bank_holiday(date(2026, 3, 7))  # a Saturday, but no holiday


@pytest.mark.parametrize("nation", ["GB", "eng", "Scotland", "", "UK"])
def test_an_unknown_nation_is_refused_by_name(nation):
    with pytest.raises(ValueError, match=rf"'{nation}' is not a UK nation .* choose ENG \(England\), WLS \(Wales\)"):
        check_nation(nation)
    with pytest.raises(ValueError, match="is not a UK nation"):
        add_working_days(date(2026, 1, 5), 1, nation)
    with pytest.raises(ValueError, match="is not a UK nation"):
        is_working_day(date(2026, 1, 5), nation)
    with pytest.raises(ValueError, match="is not a UK nation"):
        working_days_between(date(2026, 1, 5), date(2026, 1, 9), nation)


@pytest.mark.parametrize("days", [-1, 2.5, "3", True, None])
def test_days_must_be_a_whole_number_of_zero_or_more(days):
    with pytest.raises(ValueError, match="days must be a whole number of working days, 0 or more"):
        add_working_days(date(2026, 1, 5), days)


def test_a_start_that_is_not_a_date_is_refused():
    with pytest.raises(ValueError, match="start must be a date, not '2026-01-05'"):
        add_working_days("2026-01-05", 1)
    with pytest.raises(ValueError, match="end must be a date"):
        working_days_between(date(2026, 1, 5), None)

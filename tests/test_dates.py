from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neglect_kit.chronology.dates import DateError, parse_event_date

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(("text", "precision", "earliest", "latest"), [
    ("03/04/2019", "day", date(2019, 4, 3), date(2019, 4, 3)),
    ("3/4/2019", "day", date(2019, 4, 3), date(2019, 4, 3)),
    ("2019-04-03", "day", date(2019, 4, 3), date(2019, 4, 3)),
    ("3 April 2019", "day", date(2019, 4, 3), date(2019, 4, 3)),
    ("3rd Apr 2019", "day", date(2019, 4, 3), date(2019, 4, 3)),
    ("April 2019", "month", date(2019, 4, 1), date(2019, 4, 30)),
    ("2019-02", "month", date(2019, 2, 1), date(2019, 2, 28)),
    ("spring 2018", "season", date(2018, 3, 1), date(2018, 5, 31)),
    ("winter 2018", "season", date(2018, 12, 1), date(2019, 2, 28)),
    ("2017", "year", date(2017, 1, 1), date(2017, 12, 31)),
    ("?22 May 2016", "approximate", date(2016, 5, 15), date(2016, 5, 29)),
    ("c. 2017", "approximate", date(2016, 1, 1), date(2018, 12, 31)),
    ("circa March 2018", "approximate", date(2018, 2, 1), date(2018, 4, 30)),
    ("43558", "day", date(2019, 4, 3), date(2019, 4, 3)),
])
def test_agency_date_styles_keep_their_precision(text, precision, earliest, latest):
    parsed = parse_event_date(text, today=TODAY)
    assert (parsed.precision, parsed.earliest, parsed.latest) == (precision, earliest, latest)


def test_spreadsheet_cells_and_serial_numbers():
    assert parse_event_date(date(2019, 4, 3), today=TODAY).earliest == date(2019, 4, 3)
    assert parse_event_date(43558, today=TODAY).earliest == date(2019, 4, 3)
    assert parse_event_date(43558.75, today=TODAY).earliest == date(2019, 4, 3)


def test_unknown_is_an_answer_but_blank_is_not():
    assert parse_event_date("unknown", today=TODAY).precision == "unknown"
    assert parse_event_date("?", today=TODAY).earliest is None
    with pytest.raises(DateError, match="no date given"):
        parse_event_date("  ", today=TODAY)


def test_ambiguous_day_first_date_says_how_it_was_read():
    assert parse_event_date("03/04/2019", today=TODAY).note == "read day-first as 3 April 2019"
    assert parse_event_date("13/04/2019", today=TODAY).note == ""


def test_two_digit_year_is_read_as_the_latest_such_year_with_a_note():
    parsed = parse_event_date("14/02/18", today=TODAY)
    assert parsed.earliest == date(2018, 2, 14)
    assert "two-digit year '18' read as 2018" in parsed.note
    assert parse_event_date("1/2/95", today=TODAY).earliest == date(1995, 2, 1)


@pytest.mark.parametrize(("text", "message"), [
    ("04/13/2019", "no month 13 (UK dates are day/month/year)"),
    ("31/02/2019", "is not a real day (February 2019 has 28 days)"),
    ("2029-03-01", "in the future"),
    ("Smarch 2019", "'smarch' is not a month"),
    ("next Tuesday", "is not a date the kit can read"),
    ("01/01/1066", "too early"),
])
def test_bad_dates_are_refused_with_the_reason(text, message):
    with pytest.raises(DateError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_event_date(text, today=TODAY)


def test_an_expected_birth_may_be_in_the_future():
    assert parse_event_date("2027-01-05", today=TODAY, allow_future=True).earliest == date(2027, 1, 5)


@given(st.text(max_size=40))
def test_any_text_is_read_or_refused_with_a_date_error(text):
    try:
        parsed = parse_event_date(text, today=TODAY)
    except DateError as exc:
        parsed = None
        message = str(exc)
    if parsed is None:
        assert message
    elif parsed.earliest is not None:
        assert parsed.earliest <= parsed.latest
        assert parsed.earliest <= TODAY


@given(st.dates(min_value=date(1950, 1, 1), max_value=TODAY))
def test_every_real_day_round_trips_in_uk_and_iso_styles(day):
    for text in (f"{day:%d/%m/%Y}", day.isoformat(), f"{day.day} {day:%B %Y}"):
        assert parse_event_date(text, today=TODAY).earliest == day

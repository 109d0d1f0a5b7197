from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neglect_kit.chronology.date_columns import read_common
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
    ("Smarch 2019", "'Smarch 2019': 'Smarch' is not a month"),
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


@pytest.mark.parametrize(("text", "precision", "earliest", "latest"), [
    # the day (or day and month) not known
    ("??/06/2019", "month", date(2019, 6, 1), date(2019, 6, 30)),
    ("?/6/2019", "month", date(2019, 6, 1), date(2019, 6, 30)),
    ("xx/06/19", "month", date(2019, 6, 1), date(2019, 6, 30)),
    ("XX/06/2019", "month", date(2019, 6, 1), date(2019, 6, 30)),
    ("00/06/2019", "month", date(2019, 6, 1), date(2019, 6, 30)),
    ("??/??/2019", "year", date(2019, 1, 1), date(2019, 12, 31)),
    # school terms: the year is the calendar year written
    ("Spring term 2019", "term", date(2019, 1, 1), date(2019, 4, 30)),
    ("autumn term 2018", "term", date(2018, 9, 1), date(2018, 12, 31)),
    ("summer term 19", "term", date(2019, 4, 1), date(2019, 7, 31)),
    ("Autumn 2 2018", "term", date(2018, 11, 1), date(2018, 12, 31)),
    ("Spring 1 2019", "term", date(2019, 1, 1), date(2019, 2, 28)),
    ("spring 19", "season", date(2019, 3, 1), date(2019, 5, 31)),
    # month abbreviations with two-digit years, spreadsheet day-month-year
    ("Sept 22", "month", date(2022, 9, 1), date(2022, 9, 30)),
    ("Sep-22", "month", date(2022, 9, 1), date(2022, 9, 30)),
    ("Jun 19", "month", date(2019, 6, 1), date(2019, 6, 30)),
    ("June '19", "month", date(2019, 6, 1), date(2019, 6, 30)),
    ("Jun\u201919", "month", date(2019, 6, 1), date(2019, 6, 30)),
    ("22-Sep-19", "day", date(2019, 9, 22), date(2019, 9, 22)),
    ("3rd of June 2019", "day", date(2019, 6, 3), date(2019, 6, 3)),
    # part of a year or month
    ("early 2019", "approximate", date(2019, 1, 1), date(2019, 4, 30)),
    ("mid-2019", "approximate", date(2019, 5, 1), date(2019, 8, 31)),
    ("late 2019", "approximate", date(2019, 9, 1), date(2019, 12, 31)),
    ("beginning of 2019", "approximate", date(2019, 1, 1), date(2019, 4, 30)),
    ("the end of 2019", "approximate", date(2019, 9, 1), date(2019, 12, 31)),
    ("early June 2019", "approximate", date(2019, 6, 1), date(2019, 6, 10)),
    ("mid June 2019", "approximate", date(2019, 6, 11), date(2019, 6, 20)),
    ("late June 2019", "approximate", date(2019, 6, 21), date(2019, 6, 30)),
    # uncertain and approximate
    ("2019?", "approximate", date(2018, 1, 1), date(2020, 12, 31)),
    ("June 2019?", "approximate", date(2019, 5, 1), date(2019, 7, 31)),
    ("June 2019 (approx)", "approximate", date(2019, 5, 1), date(2019, 7, 31)),
    ("approx. June 2019", "approximate", date(2019, 5, 1), date(2019, 7, 31)),
    ("est. 2017", "approximate", date(2016, 1, 1), date(2018, 12, 31)),
    # spans
    ("2018/19", "year", date(2018, 1, 1), date(2019, 12, 31)),
    ("June/July 2019", "approximate", date(2019, 6, 1), date(2019, 7, 31)),
    ("Jan\u2013Mar 2019", "approximate", date(2019, 1, 1), date(2019, 3, 31)),
    ("Nov-Jan 2019", "approximate", date(2018, 11, 1), date(2019, 1, 31)),
    ("Dec 2018 to Feb 2019", "approximate", date(2018, 12, 1), date(2019, 2, 28)),
    ("between May and July 2019", "approximate", date(2019, 5, 1), date(2019, 7, 31)),
    ("w/c 03/06/2019", "approximate", date(2019, 6, 3), date(2019, 6, 9)),
    # a time of day after the date (police and hospital exports)
    ("03/06/2019 14:30", "day", date(2019, 6, 3), date(2019, 6, 3)),
    ("3 June 2019 at 2.30pm", "day", date(2019, 6, 3), date(2019, 6, 3)),
])
def test_uncertain_forms_agencies_write(text, precision, earliest, latest):
    parsed = parse_event_date(text, today=TODAY)
    assert (parsed.precision, parsed.earliest, parsed.latest) == (precision, earliest, latest)


def test_uncertain_dates_say_how_they_were_read():
    assert parse_event_date("??/06/2019", today=TODAY).note == "day not known: read as June 2019"
    assert parse_event_date("Sept 22", today=TODAY).note == "two-digit year '22' read as 2022"
    assert parse_event_date("summer term 19", today=TODAY).note == "two-digit year '19' read as 2019"
    assert parse_event_date("2019?", today=TODAY).note == "marked as uncertain"
    assert "2018 or 2019" in parse_event_date("2018/19", today=TODAY).note
    # an ISO month is not a school year: 2011-12 is December 2011
    assert parse_event_date("2011-12", today=TODAY).precision == "month"


def test_uncertain_dates_sort_by_their_earliest_day():
    written = ["late 2019", "Spring term 2019", "??/06/2019", "autumn term 2018", "2019?", "early June 2019"]
    ordered = sorted(written, key=lambda t: parse_event_date(t, today=TODAY).sort_key)
    # both June forms start on 1 June: the sort is stable, so they keep their written order
    assert ordered == ["2019?", "autumn term 2018", "Spring term 2019", "??/06/2019", "early June 2019",
                       "late 2019"]


def test_display_of_a_two_year_span_names_both_years():
    assert parse_event_date("2018/19", today=TODAY).display() == "2018/19 (01 Jan 2018 to 31 Dec 2019)"
    assert parse_event_date("2019", today=TODAY).display() == "2019"


@pytest.mark.parametrize(("text", "message"), [
    ("c. 31/02/2019", "'c. 31/02/2019' is not a real day (February 2019 has 28 days)"),
    ("approx Smarch 2019", "'approx Smarch 2019': 'Smarch' is not a month"),
    ("??/13/2019", "'??/13/2019' has no month 13"),
    ("Summer term 2029", "'Summer term 2029' is in the future"),
    ("  Next  Tuesday ", "'Next  Tuesday' is not a date the kit can read"),
    ("early 03/06/2019", "'early 03/06/2019': 'early' needs a month, season or year after it"),
    ("03/06/2019 - 01/06/2019", "'03/06/2019 - 01/06/2019': the first date is after the second"),
    ("June\n2019x", "'June\\n2019x' is not a date the kit can read"),
    ("winter 9999", "'winter 9999' is not a date the kit can read"),
])
def test_refusals_quote_the_value_exactly_as_written_on_one_line(text, message):
    with pytest.raises(DateError) as exc:
        parse_event_date(text, today=TODAY)
    assert str(exc.value).startswith(message)
    assert "\n" not in str(exc.value)


_WORDS = st.sampled_from(["May", "may", "MAY", "Sept", "Sep", "sept", "January", "Jan", "February", "spring",
                          "Summer", "autumn", "fall", "Winter", "Febuary", "Smarch", "circa", "c", "early", "term",
                          "of May", "May,"])
_NUMBER = st.integers(0, 40).map(str) | st.integers(0, 40).map("{:02d}".format) | st.sampled_from(["1st", "٣", "x"])
_YEAR = st.sampled_from([1066, 1899, 1900, 1901, 2012, 2016, 2024, 2026, 2027, 9998, 9999, 19]).map(str)
_COMMON_SHAPES = st.one_of(
    st.builds("{}-{}-{}".format, _YEAR, st.integers(0, 13).map("{:02d}".format), _NUMBER),
    st.builds("{}/{}/{}".format, _NUMBER, _NUMBER, _YEAR),
    st.builds("{} {}".format, _WORDS, _YEAR),
    st.builds("{} {} {}".format, _NUMBER, _WORDS, _YEAR),
)
# the common shapes, perhaps uncertain, and near misses: spaces, a NUL at the end, other text
_DATE_TEXTS = st.builds("{}{}{}".format, st.sampled_from(["", "?", "? ", " ", "c. "]), _COMMON_SHAPES,
                        st.sampled_from(["", "", " ", "\x00", "?"])) | st.text(max_size=12)


@settings(max_examples=500)
@given(st.lists(_DATE_TEXTS, max_size=40))
def test_dates_in_the_common_shapes_are_read_together_as_the_rules_read_each(texts):
    common = read_common(texts, TODAY)
    made = common.event_dates(texts)
    for at, text in enumerate(texts):
        try:
            ruled = parse_event_date(text, today=TODAY)
        except DateError:
            assert not common.found[at], text  # a date the rules refuse is left to them, to say why
            continue
        if common.found[at]:
            assert (made[at], made[at].model_fields_set) == (ruled, ruled.model_fields_set)
            assert (common.precision[at], common.earliest[at], common.latest[at], common.note[at]) == (
                ruled.precision, ruled.earliest, ruled.latest, ruled.note)
        else:
            assert made[at] is None


@pytest.mark.parametrize(("text", "found"), [
    ("2016-05-22", True), ("22/05/2016", True), ("03/04/2019", True), ("May 2016", True), ("sept 2016", True),
    ("spring 2016", True), ("Winter 2016", True), ("22 May 2016", True), ("?22 May 2016", True), ("?May 2016", True),
    ("?03/04/2019", True), ("?spring 2016", True),
    # other shapes, and what the rules refuse or read with more to say, are left to the rules
    ("3/4/2019", False), ("00/06/2019", False), ("31/02/2019", False), ("2031-01-01", False), ("1899-12-31", False),
    ("winter 9999", False), ("Febuary 2019", False), ("c. 2017", False), ("٢٠١٩-٠٤-٠٣", False),
])
def test_which_dates_are_read_together(text, found):
    common = read_common([text], TODAY)
    assert common.found == [found]
    if found:
        assert common.event_dates([text]) == [parse_event_date(text, today=TODAY)]


def test_a_span_past_the_calendar_is_left_to_the_rules():
    end = date(9999, 12, 31)
    assert read_common(["winter 9999", "?December 9999", "December 9999"], end).found == [False, False, True]
    with pytest.raises(DateError, match="is not a date the kit can read"):
        parse_event_date("winter 9999", today=end)

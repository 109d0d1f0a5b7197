"""Headers agencies write, matched to the chronology's fields."""

import pytest

from neglect_kit.chronology.columns import column_refusals, match_columns


@pytest.mark.parametrize(("header", "field"), [
    ("Action/Result", "action"), ("Action / Outcome", "action"), ("Actions and outcome", "action"),
    ("Entered by", "source_detail"), ("Created by", "source_detail"), ("Logged by", "source_detail"),
    ("Staff name", "source_detail"), ("Date/Time", "event_date"), ("Incident date/time", "event_date"),
    ("Contact date", "event_date"), ("Visit date", "event_date"), ("Date of visit", "event_date"),
    ("Concern", "description"), ("Nature of concern", "description"), ("Log", "description"),
    ("Log entry", "description"), ("Case note", "description"), ("Comments", "description"),
    ("Pupil", "children"), ("Pupil name", "children"), ("Child/YP", "children"),
    ("Young person's name", "children"), ("Concern type", "category"), ("Date entered", "recorded_date"),
])
def test_headers_agencies_write(header, field):
    matched, unused, problems = match_columns([header])
    assert matched == {header: field} and not unused and not problems


def test_a_school_log_export_maps_whole():
    headers = ["Date/Time", "Pupil name", "Concern type", "Nature of concern", "Action/Result", "Entered by"]
    matched, unused, problems = match_columns(headers)
    assert matched == {"Date/Time": "event_date", "Pupil name": "children", "Concern type": "category",
                       "Nature of concern": "description", "Action/Result": "action", "Entered by": "source_detail"}
    assert unused == [] and problems == []


def test_a_combined_action_column_leaves_a_separate_outcome_column_its_own():
    matched, _, problems = match_columns(["Action / Outcome", "Outcome"])
    assert matched == {"Action / Outcome": "action", "Outcome": "outcome"} and problems == []


def test_a_second_description_column_is_named_not_silently_dropped():
    matched, unused, problems = match_columns(["Concern", "Details"])
    assert matched == {"Concern": "description"} and unused == ["Details"]
    assert problems == ["column 'Details' also looks like 'description'; it was not used"]


@pytest.mark.parametrize("headers", [
    ["Date", "Child", "Details", "Details"],  # as a workbook gives them
    ["Date", "Child", "Details", "Details.1"],  # as pandas renames the second in a CSV
])
def test_a_header_written_twice_is_refused_by_name(headers):
    assert column_refusals(headers) == ["column 'Details' appears more than once: name each column once, "
                                        "so no column is dropped"]


def test_a_header_with_a_number_of_its_own_is_not_a_repeat():
    assert column_refusals(["Date", "Version 2.1", "Details", "", ""]) == []


def test_a_mapping_to_no_such_field_or_header_is_refused():
    headers = ["Date", "Pupil", "Notes", "Staff"]
    assert column_refusals(headers, {"Staff": "colour"})[0].startswith("mapping names unknown field 'colour'")
    assert column_refusals(headers, {"Worker": "source_detail"}) == [
        "mapping names column 'Worker', which the file does not have (its columns: Date, Pupil, Notes, Staff)"]
    assert column_refusals(headers, {"staff": "source_detail"}) == []

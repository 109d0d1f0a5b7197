"""Headers agencies write, matched to the chronology's fields."""

import pytest

from neglect_kit.chronology.columns import match_columns


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

"""Reading a return (neglect_kit/chronology/reading.py): the kinds of file refused by name, and cells as read.

The limits and encodings are in tests/test_reading.py; these are the other paths a return takes.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from helpers import XLSX_HEADER, csv_bytes, xlsx_bytes
from openpyxl import Workbook

from neglect_kit.chronology.reading import ROW, Limits, ReadError, cell_text, read_return
from neglect_kit.config import Settings


def workbook(*rows, title="Visits") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "hv.csv", "the file is empty"),
    (b"x", "hv.xls", "old Excel .xls files are not read"),
    (b"x", "hv.pdf", "'.pdf' files are not read: use CSV or XLSX"),
    (b"\n\n", "hv.csv", "the file has no header row"),
    (b"not a zip at all", "hv.xlsx", "the file is not a readable XLSX workbook"),
])
def test_a_file_the_kit_cannot_read_is_refused_by_name(data, name, message):
    with pytest.raises(ReadError, match=message):
        read_return(data, name)


def test_a_file_that_is_not_a_workbook_is_refused_before_opening_when_limits_apply():
    with pytest.raises(ReadError, match="the file is not a readable XLSX workbook"):
        read_return(b"PK\x03\x04 torn", "hv.xlsx", limits=Limits(**Settings().limits))


def test_a_sheet_is_chosen_by_name_and_a_missing_one_named_with_those_there():
    data = workbook(["Date", "Notes"], [date(2019, 1, 2), "Seen"])
    assert read_return(data, "hv.xlsx", sheet="Visits").sheet == "Visits"
    with pytest.raises(ReadError, match=r"the workbook has no sheet 'Log' \(sheets: Visits\)"):
        read_return(data, "hv.xlsx", sheet="Log")


def test_cells_are_read_as_a_person_sees_them_with_their_spreadsheet_row():
    data = workbook([None, None], ["Date", "Seen at", "Count", "Notes", None],
                    [datetime(2019, 1, 2), datetime(2019, 1, 2, 9, 30), 3.0, None], [None, None, None, None],
                    [datetime(2019, 1, 3), None, 2.5, "Home cold"])
    frame = read_return(data, "hv.xlsx").frame
    assert list(frame.columns) == [ROW, "Date", "Seen at", "Count", "Notes"]  # a blank header at the end dropped
    assert frame.to_dict("records") == [
        {ROW: 2, "Date": date(2019, 1, 2), "Seen at": datetime(2019, 1, 2, 9, 30), "Count": 3, "Notes": ""},
        {ROW: 4, "Date": date(2019, 1, 3), "Seen at": "", "Count": 2.5, "Notes": "Home cold"},
    ]


def test_an_empty_sheet_is_refused_naming_it():
    with pytest.raises(ReadError, match="sheet 'Visits' is empty"):
        read_return(workbook([None], title="Visits"), "hv.xlsx")


def test_a_column_named_as_the_kits_row_number_is_refused():
    with pytest.raises(ReadError, match=f"a column is named '{ROW}'"):
        read_return(csv_bytes(f"Date,{ROW}", "2019-01-02,1"), "hv.csv")


def test_a_sheet_past_the_row_limit_is_refused_by_the_name_a_person_sees():
    rows = b"".join(b'<row r="%d"><c><v>1</v></c></row>' % n for n in range(2, 12))
    data = xlsx_bytes([XLSX_HEADER, rows])
    with pytest.raises(ReadError, match="sheet 'Visits' is more than 5 rows"):
        read_return(data, "hv.xlsx", limits=Limits(file_mb=10, rows=5, inflated_mb=10))


def test_a_cell_as_text():
    assert [cell_text(v) for v in (date(2019, 1, 2), datetime(2019, 1, 2, 9, 30), None, 3)] == [
        "2019-01-02", "2019-01-02T09:30:00", "", "3"]

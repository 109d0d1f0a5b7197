"""Reading returns as agencies save them: the delimiter is told from the header row."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from helpers import XLSX_HEADER, csv_bytes, xlsx_bytes, xlsx_rows

from neglect_kit.chronology.reading import Limits, ReadError, read_return
from neglect_kit.config import Settings, SettingsError, settings_from_dict

PROSE = "Home visit, Rosie seen, feeding well, flat warm, mum tired but chatty, says her mum helps"


@pytest.mark.parametrize("sep", [";", "\t", "|", ","])
def test_delimiter_is_read_from_the_header_even_when_the_rows_are_full_of_commas(sep):
    text = f"Date of visit{sep}Health visitor{sep}Notes\n12/10/2021{sep}HV{sep}\"{PROSE}\"\n"
    table = read_return(text.encode("utf-8-sig"), "hv.csv")
    assert [c for c in table.frame.columns if c != "__row__"] == ["Date of visit", "Health visitor", "Notes"]
    assert table.frame.loc[0, "Notes"] == PROSE


def test_a_one_column_file_stays_one_column():
    table = read_return(b"Notes\nSeen at home, well\n", "notes.csv")
    assert list(table.frame.columns) == ["__row__", "Notes"]
    assert table.frame.loc[0, "Notes"] == "Seen at home, well"


def test_a_delimiter_inside_the_last_columns_text_is_joined_back_and_named():
    text = ("Contact Date;Staff;Summary\n"
            "06/02/2024;School nurse;Toothache on the left; teacher says two weeks\n"
            "07/02/2024;School nurse;Seen in clinic\n")
    table = read_return(text.encode(), "nursing.csv")
    assert table.frame["Summary"].tolist() == ["Toothache on the left; teacher says two weeks", "Seen in clinic"]
    [(row, reason)] = table.repairs
    assert row == 2 and "3 columns" in reason and "'Summary'" in reason



# --- encodings: UTF-16 as Excel's "Unicode text" saves it -----------------------------------------

UNICODE_TEXT = "Date of visit\tHealth visitor\tNotes\r\n12/10/2021\tHV\tRosie seen, feeding well – café\r\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_read_not_refused_as_nul_bytes(codec):
    # "utf-16" writes a byte-order mark, as Excel does; the other two are the same text without one
    table = read_return(UNICODE_TEXT.encode(codec), "hv.txt")
    assert table.encoding == "utf-16"
    assert [c for c in table.frame.columns if c != "__row__"] == ["Date of visit", "Health visitor", "Notes"]
    assert table.frame.loc[0, "Notes"] == "Rosie seen, feeding well – café"


def test_a_file_in_no_encoding_the_kit_reads_is_refused_by_name():
    # 0x81 and 0x8d are undefined in Windows-1252 and not UTF-8; a UTF-16 mark before bytes that are not UTF-16
    for data in (b"Date,Notes\n01/01/2020,\x81\x8d\n", "Date,Notes\n".encode("utf-16") + b"\x00\xd8x"):
        with pytest.raises(ReadError, match="neither UTF-8, UTF-16 nor Windows-1252"):
            read_return(data, "odd.csv")


def test_a_binary_file_named_csv_is_still_refused_for_its_nul_bytes():
    with pytest.raises(ReadError, match="NUL bytes"):
        read_return(b"Date,Notes\n\x00\x01\x02\x03\x00\x00binary", "photo.csv")


# --- limits, checked before parsing ------------------------------------------------------------

SMALL = Limits(file_mb=1, rows=1_000, inflated_mb=5)


def test_a_file_over_the_size_limit_is_refused_naming_the_limit():
    data = b"Date,Notes\n" + b"01/01/2020,Seen at home and well\n" * 40_000  # 1.3 MB
    with pytest.raises(ReadError, match=r"the file is 1\.3 MB, over the limit of 1 MB \(settings: \[limits\] "
                                        r"file_mb\)"):
        read_return(data, "big.csv", limits=SMALL)


def test_a_csv_over_the_row_limit_is_refused_and_one_at_it_is_read():
    rows = [f"{1 + n % 28:02d}/01/2020,Seen {n}" for n in range(1_000)]
    assert len(read_return(csv_bytes("Date,Notes", *rows), "at.csv", limits=SMALL).frame) == 1_000
    with pytest.raises(ReadError, match=r"more than 1,000 rows, over the limit of 1,000 rows \(settings: "
                                        r"\[limits\] rows\)"):
        read_return(csv_bytes("Date,Notes", *rows, "02/02/2020,one more"), "over.csv", limits=SMALL)


def test_line_breaks_inside_quoted_cells_are_not_counted_asxlsx_rows():
    rows = [f'0{1 + n % 9}/01/2020,"Seen at home.\nWell.\nMum well."' for n in range(600)]  # 1,800 lines
    assert len(read_return(csv_bytes("Date,Notes", *rows), "notes.csv", limits=SMALL).frame) == 600


def _bombs():
    millions = [XLSX_HEADER, *xlsx_rows(3_000_000), b"</sheetData>"]
    return {
        # 3,000,000 rows that say so in the sheet's dimension
        "rows stated": [b'<dimension ref="A1:B3000001"/><sheetData>', *millions],
        # the same rows under a dimension that understates them: only counting finds them
        "rows understated": [b'<dimension ref="A1:B2"/><sheetData>', *millions],
        # two rows, the second numbered 3,000,000: openpyxl makes every row between
        "rows in a gap": [b"<sheetData>", XLSX_HEADER, b'<row r="3000000"><c r="A3000000"><v>1</v></c></row>',
                          b"</sheetData>"],
    }


@pytest.mark.parametrize("kind", ["rows stated", "rows understated", "rows in a gap"])
def test_an_xlsx_bomb_is_refused_in_seconds_without_filling_memory(kind):
    data = xlsx_bytes(_bombs()[kind])
    assert len(data) < 2_000_000  # small on disk, millions of rows unzipped
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ReadError, match="sheet 'Visits' is more than 200,000 rows, over the limit of 200,000 "):
            read_return(data, "bomb.xlsx", limits=Limits(**Settings().limits))
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seconds < 10
    assert peak < 500_000_000


def test_a_workbook_that_unzips_past_the_limit_is_refused_from_the_zip_directory():
    data = xlsx_bytes([b"<sheetData>", *xlsx_rows(10), b"</sheetData>"], extra=("xl/sharedStrings.xml", 8_000_000))
    with pytest.raises(ReadError, match=r"the workbook unzipped is 8 MB, over the limit of 5 MB \(settings: \[limits\] "
                                        r"inflated_mb\)"):
        read_return(data, "swollen.xlsx", limits=SMALL)


def test_a_workbook_within_the_limits_is_read_whole():
    seen = b'<row><c t="inlineStr"><is><t>01/01/2020</t></is></c><c t="inlineStr"><is><t>Seen</t></is></c></row>'
    data = xlsx_bytes([b"<sheetData>", XLSX_HEADER, *xlsx_rows(1_000, seen), b"</sheetData>"])
    table = read_return(data, "ok.xlsx", limits=SMALL)
    assert len(table.frame) == 1_000 and table.sheet == "Visits"
    assert table.frame.loc[999, "Notes"] == "Seen"


@pytest.mark.parametrize("value", [0, 7.5, -1, "50"])
def test_a_limit_in_the_settings_is_a_whole_number_above_0(value):
    assert settings_from_dict({"limits": {"rows": 5_000}}).limits == {"file_mb": 50, "rows": 5_000, "inflated_mb": 300}
    with pytest.raises(SettingsError, match=r"limits\.rows must be a whole number of MB \(file_mb, inflated_mb\) or "
                                            f"rows, 1 or more \\(not {value!r}\\)"):
        settings_from_dict({"limits": {"rows": value}})
    with pytest.raises(SettingsError, match=r"limits\.pages is not one of file_mb, rows, inflated_mb"):
        settings_from_dict({"limits": {"pages": 3}})

"""Reading returns as agencies save them: the delimiter is told from the header row."""

from __future__ import annotations

import pytest

from neglect_kit.chronology.reading import read_return

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


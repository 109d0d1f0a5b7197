"""Coded passages as a table, CSV and XLSX: the passage's own words, the review's facts, formulas kept as text."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from neglect_kit.chronology.export import ExportError
from neglect_kit.research.codebook import default_codebook
from neglect_kit.research.coded_tables import COLUMNS, coded_passages, write_csv, write_xlsx, xlsx_bytes
from neglect_kit.research.refiqda_project import PassageCoding

TEXT = "=HYPERLINK(\"http://x\") was pasted in. Café 😀 closed. Mum drank.\n\n-  a list line"
SENTENCES = {"P1.S1": "=HYPERLINK(\"http://x\") was pasted in.", "P1.S2": "Café 😀 closed.", "P1.S3": "Mum drank.",
             "P2.S1": "-  a list line"}
PARTS = {p: (TEXT.index(s), TEXT.index(s) + len(s)) for p, s in SENTENCES.items()}


# a coding as the store and the REFI-QDA project hold it: the fields a table needs
Coding = PassageCoding


def coding(passage: str, coder: str, *codes: str, review: str = "R01") -> Coding:
    return Coding(review, passage, *PARTS[passage], coder, codes)


META = {"R01": {"review_id": "R01", "year_published": 2021, "age_band": "1-5",
                "harm_types": ["neglect", "physical abuse"], "citation": None},
        "R02": {"review_id": "R02", "year_published": 2019, "age_band": "under 1", "harm_types": ["neglect"]}}


def table() -> pd.DataFrame:
    codings = [coding("P1.S3", "coder_b", "parental-alcohol"), coding("P1.S1", "coder_a", "optimism", "drift"),
               coding("P1.S2", "coder_a"),  # cleared: no row
               coding("P2.S1", "coder_a", "no-chronology"), coding("P1.S1", "coder_b", "retired")]
    return coded_passages(codings, {"R01": TEXT}, default_codebook(), META)


def test_a_row_per_passage_coder_and_code_with_the_passages_own_words_and_the_reviews_facts():
    frame = table()
    assert list(frame.columns) == [*COLUMNS, "year_published", "age_band", "harm_types", "citation"]
    assert list(zip(frame["passage_id"], frame["coder"], frame["code"], strict=True)) == [
        ("P1.S1", "coder_a", "drift"), ("P1.S1", "coder_a", "optimism"), ("P1.S1", "coder_b", "retired"),
        ("P1.S3", "coder_b", "parental-alcohol"), ("P2.S1", "coder_a", "no-chronology")]
    assert frame.loc[3, "passage_text"] == "Mum drank."
    assert frame.loc[0, "passage_text"] == SENTENCES["P1.S1"]
    assert list(frame["code_name"][:3]) == ["Drift and delay", "Professional optimism", "retired"]  # no name: the id
    assert frame.loc[0, "harm_types"] == "neglect; physical abuse" and frame.loc[0, "year_published"] == 2021
    assert frame.loc[0, "citation"] == ""


def test_offsets_count_characters_so_text_after_an_emoji_is_cut_where_it_was_coded():
    # "Café 😀 closed." is 14 characters from 38 (😀 is one; two in UTF-16, four bytes in UTF-8)
    frame = coded_passages([Coding("R01", "P1.S3", 53, 63, "a", ("x",))], {"R01": TEXT})
    assert frame.loc[0, "passage_text"] == "Mum drank."


def test_a_coding_outside_its_text_or_without_a_text_is_refused_by_name():
    with pytest.raises(ValueError, match=r"review R01: passage P9.S1 runs from 60 to 999, outside the review's "
                       r"text of 79 characters"):
        coded_passages([Coding("R01", "P9.S1", 60, 999, "a", ("x",))], {"R01": TEXT})
    with pytest.raises(ValueError, match=r"review R07: no text given"):
        coded_passages([Coding("R07", "P1.S1", 0, 1, "a", ("x",))], {"R01": TEXT})


def test_an_empty_table_still_has_its_columns():
    assert list(coded_passages([], {}).columns) == list(COLUMNS)


def test_the_csv_keeps_a_would_be_formula_as_text(tmp_path: Path):
    path = tmp_path / "coded.csv"
    write_csv(table(), str(path))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert back.loc[0, "passage_text"] == "'" + SENTENCES["P1.S1"]  # the apostrophe a spreadsheet shows as text
    assert back.loc[4, "passage_text"] == "'-  a list line"
    assert back.loc[3, "passage_text"] == "Mum drank."
    assert list(back["code"]) == list(table()["code"])


def test_the_xlsx_holds_the_same_table_with_formulas_as_text_cells(tmp_path: Path):
    frame = table()
    path = tmp_path / "coded.xlsx"
    write_xlsx(frame, str(path))
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "Coded passages"
    rows = list(sheet.values)
    assert list(rows[0]) == list(frame.columns)
    assert [list(r) for r in rows[1:]] == [[None if v == "" else v for v in row]
                                           for row in frame.itertuples(index=False, name=None)]
    cell = sheet.cell(row=2, column=COLUMNS.index("passage_text") + 1)
    assert cell.value == SENTENCES["P1.S1"] and cell.data_type == "s" and cell.quotePrefix  # the words unchanged
    listed = sheet.cell(row=6, column=COLUMNS.index("passage_text") + 1)
    assert listed.value == "-  a list line" and listed.quotePrefix
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml  # no cell is a formula


def test_a_control_character_is_left_out_of_the_workbook_rather_than_breaking_it():
    frame = coded_passages([Coding("R01", "P1.S1", 0, 5, "a", ("x",))], {"R01": "Mu\x07m. drank"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    assert sheet.cell(row=2, column=COLUMNS.index("passage_text") + 1).value == "Mum."


def test_writing_into_a_folder_is_refused_and_leaves_nothing(tmp_path: Path):
    with pytest.raises(ExportError, match="is a folder"):
        write_xlsx(table(), str(tmp_path))
    with pytest.raises(ExportError, match="does not exist"):
        write_csv(table(), str(tmp_path / "no" / "coded.csv"))
    assert list(tmp_path.iterdir()) == []

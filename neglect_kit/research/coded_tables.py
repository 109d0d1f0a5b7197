"""Coded passages as a table: a row per review, passage, coder and code, with the passage's words and the
review's facts, to read in a spreadsheet or take into a statistics package.

Written as CSV (UTF-8 with a BOM, as the kit's other exports) or XLSX. Text that a spreadsheet would run
as a formula (starting `=`, `+`, `-` or `@`, as passages copied from a document can) is written as text:
in the CSV with an apostrophe in front, as the chronology's export does; in the XLSX as a text cell,
marked so that a spreadsheet keeps it text when the cell is edited, the words themselves unchanged.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

import pandas as pd

from ..chronology.export import ExportError, to_csv, write_bytes
from ..textsafety import looks_like_formula
from .codebook import Codebook

COLUMNS = ("review_id", "passage_id", "start", "end", "coder", "code", "code_name", "passage_text")
SHEET = "Coded passages"
XLSX_ROWS = 1_048_575  # a worksheet's rows, less the heading
CELL_LIMIT = 32_767  # characters in one cell


class CodingLike(Protocol):
    """What a coded passage needs: the store's `Coding` and the exchange's `PassageCoding` both have it."""

    review_id: str
    passage_id: str
    start: int
    end: int
    coder: str
    codes: Sequence[str]


def coded_passages(codings: Iterable[CodingLike], texts: Mapping[str, str], codebook: Codebook | None = None,
                   meta: Mapping[str, Mapping[str, object]] | None = None) -> pd.DataFrame:
    """A row per (review, passage, coder, code), in the order of the reviews' ids, the text and the coders.

    Args:
        codings: each coder's current coding of each passage; one with no codes (cleared) gives no row.
        texts: each review's stored text, by review id (the passage's words are `text[start:end]`).
        codebook: gives each code's name; without it (or for a code not in it) the name is the id.
        meta: each review's facts by review id (`ReviewMeta.model_dump(mode="json")`), added as columns
            after `COLUMNS`; a list is written as its items joined by "; ".

    Raises:
        ValueError: a coding's review has no text, or its span is outside the text.
    """
    names = {code.id: code.name for code in codebook.codes} if codebook else {}
    rows = []
    for coding in codings:
        text = texts.get(coding.review_id)
        if text is None:
            raise ValueError(f"review {coding.review_id}: no text given for its coded passages")
        if not 0 <= coding.start <= coding.end <= len(text):
            raise ValueError(f"review {coding.review_id}: passage {coding.passage_id} runs from {coding.start} "
                             f"to {coding.end}, outside the review's text of {len(text)} characters")
        words = text[coding.start:coding.end]
        rows.extend({"review_id": coding.review_id, "passage_id": coding.passage_id, "start": coding.start,
                     "end": coding.end, "coder": coding.coder, "code": code, "code_name": names.get(code, code),
                     "passage_text": words} for code in sorted(coding.codes))
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame = frame.astype({"start": "int64", "end": "int64"}).sort_values(
        ["review_id", "start", "coder", "code"], kind="stable", ignore_index=True)
    if meta:
        keys = list(dict.fromkeys(k for facts in meta.values() for k in facts if k not in COLUMNS))
        for key in keys:
            frame[key] = [_cell(meta.get(review, {}).get(key)) for review in frame["review_id"]]
    return frame


def _cell(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return "" if value is None else value


def write_csv(frame: pd.DataFrame, path: str) -> None:
    """Write coded passages as CSV (UTF-8 with a BOM, formulas kept as text); whole or not at all.

    Raises:
        ExportError: the path is a folder or cannot be written.
    """
    write_bytes(path, to_csv(frame), "coded-passages.csv")


def xlsx_bytes(frame: pd.DataFrame) -> bytes:
    """Coded passages as an XLSX workbook's bytes: one sheet, the columns' names as its heading row.

    Raises:
        ExportError: more rows than a worksheet holds.
    """
    from openpyxl import Workbook  # only when a workbook is asked for
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if len(frame) > XLSX_ROWS:
        raise ExportError(f"{len(frame):,} coded passages are more than a worksheet holds ({XLSX_ROWS:,}); "
                          "export them as CSV")
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([str(c) for c in frame.columns])
    for values in frame.itertuples(index=False, name=None):
        sheet.append([_plain(v, ILLEGAL_CHARACTERS_RE) for v in values])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and looks_like_formula(cell.value):
                cell.data_type = "s"  # text, never a formula (openpyxl takes "=..." for one)
                cell.quotePrefix = True  # and a spreadsheet keeps it text when the cell is edited
    sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _plain(value: object, illegal: re.Pattern[str]) -> object:
    """A value openpyxl writes: numpy numbers as Python numbers, missing as empty, text without the control
    characters a workbook may not hold (they carry no words).

    Raises:
        ExportError: text longer than a cell holds (openpyxl would cut it short without a word).
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str):
        if len(value) > CELL_LIMIT:
            raise ExportError(f"a cell of {len(value):,} characters is more than a worksheet cell holds "
                              f"({CELL_LIMIT:,}); export as CSV")
        return illegal.sub("", value)
    return value.item() if hasattr(value, "item") else value


def write_xlsx(frame: pd.DataFrame, path: str) -> None:
    """Write coded passages as an XLSX workbook (see `xlsx_bytes`); whole or not at all.

    Raises:
        ExportError: the path is a folder or cannot be written, or too many rows.
    """
    write_bytes(path, xlsx_bytes(frame), "coded-passages.xlsx")

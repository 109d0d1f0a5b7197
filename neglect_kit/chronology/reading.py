"""Reading an agency return (CSV in the encodings agencies use, or XLSX) into a table."""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from zipfile import BadZipFile

import pandas as pd

# Windows-1252 leaves these bytes undefined: a file holding them is in neither encoding.
ENCODINGS = ("utf-8-sig", "cp1252")
ROW = "__row__"


class ReadError(ValueError):
    """A file that cannot be read as a table, with the reason."""


@dataclass
class Table:
    """A return as read: text or spreadsheet values, with each row's number as a person sees it."""

    frame: pd.DataFrame  # object dtype; column ROW holds the spreadsheet row number
    encoding: str
    sheet: str = ""
    # (row, what was done) for rows read with a repair a person should check
    repairs: list[tuple[int, str]] = field(default_factory=list)


def read_return(data: bytes, filename: str, sheet: str | None = None) -> Table:
    """Read a return's bytes; the kind is told by the file name's ending.

    Raises:
        ReadError: an empty file, an unknown kind, an encoding the kit does not read,
            rows with more cells than the header, or a workbook without the named sheet.
    """
    suffix = PurePath(filename).suffix.lower()
    if not data:
        raise ReadError("the file is empty")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(data, sheet)
    if suffix in (".csv", ".txt", ""):
        return _read_csv(data)
    if suffix == ".xls":
        raise ReadError("old Excel .xls files are not read: save it as .xlsx or .csv")
    raise ReadError(f"'{suffix}' files are not read: use CSV or XLSX")


def _decode(data: bytes) -> tuple[str, str]:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), ("utf-8" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError("the file is neither UTF-8 nor Windows-1252 text: save it as CSV UTF-8")


_DELIMITERS = (",", ";", "\t", "|")


def _delimiter(text: str) -> str:
    """The delimiter that splits the header row into the most columns.

    Read from the header alone: prose in the rows below is full of commas, which led the csv
    module's sniffer to take a ';'-separated return for one column of text.
    """
    first = text.lstrip("\r\n").split("\n", 1)[0]
    widths = {d: len(next(csv.reader([first], delimiter=d), [])) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (widths[d], -_DELIMITERS.index(d)))
    # one column: split on nothing, so a comma in the text stays in it
    return best if widths[best] > 1 else "\x1f"


def _read_overflowing(text: str, sep: str) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """A table some of whose rows have more cells than the header.

    Systems that export with ';' rarely quote their text, so a ';' inside the last column's prose
    ("toothache on the left; teacher says...") splits it. The extra cells are joined back into the
    last column, whose words they are, and each such row is named for a person to check.
    """
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    header = rows[0] if rows else []
    width = len(header)
    body, repairs = [], []
    for number, cells in enumerate(rows[1:], start=2):
        if len(cells) > width:
            repairs.append((number, f"the row has {len(cells)} cells for {width} columns: the extra "
                                    f"'{sep}' was read as part of the text of '{header[-1].strip()}'; check it"))
            cells = [*cells[:width - 1], sep.join(cells[width - 1:])]
        body.append(cells + [""] * (width - len(cells)))
    return pd.DataFrame(body, columns=header, dtype=object), repairs


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    if "\x00" in text:
        raise ReadError("the file holds NUL bytes: it is not a CSV text file")
    sep = _delimiter(text)
    try:
        # index_col=False: without it pandas takes a first row with one cell too many as an index and
        # shifts every cell of the file one column left, silently; with it, the mismatch is a warning,
        # raised here so that the rows are read cell by cell instead
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                                skip_blank_lines=False, engine="c", index_col=False)
    except pd.errors.EmptyDataError:
        raise ReadError("the file has no header row") from None
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        frame, repairs = _read_overflowing(text, sep)
        frame.columns = [str(c).strip() for c in frame.columns]
        return Table(_numbered(frame), encoding, repairs=repairs)
    frame.columns = [str(c).strip() for c in frame.columns]
    return Table(_numbered(frame), encoding)


def _read_xlsx(data: bytes, sheet: str | None) -> Table:
    from openpyxl import load_workbook  # only when a workbook arrives
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ReadError(f"the file is not a readable XLSX workbook ({exc})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ReadError(f"the workbook has no sheet '{sheet}' (sheets: {', '.join(book.sheetnames)})")
        ws = book[sheet] if sheet else book.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        title = ws.title
    finally:
        book.close()
    while rows and all(_empty(v) for v in rows[0]):
        rows.pop(0)
    if not rows:
        raise ReadError(f"sheet '{title}' is empty")
    header = [str(v).strip() if v is not None else "" for v in rows[0]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    body = [[_cell(v) for v in (r + [None] * width)[:width]] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    return Table(_numbered(frame), "xlsx", title)


def _cell(value: object) -> object:
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is None:
        return ""
    return value


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop wholly blank rows, keeping each row's spreadsheet number (the header is row 1)."""
    if ROW in frame.columns:
        raise ReadError(f"a column is named '{ROW}', which the kit keeps for row numbers")
    keep = frame.ne("").any(axis=1) if len(frame.columns) else pd.Series(False, index=frame.index)
    frame = frame.copy()
    frame.insert(0, ROW, range(2, len(frame) + 2))
    return frame[keep].reset_index(drop=True)


def cell_text(value: object) -> str:
    """A cell as text for messages and text fields."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return "" if value is None else str(value)

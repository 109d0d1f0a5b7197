"""Reading an agency return (CSV in the encodings agencies use, or XLSX) into a table."""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import PurePath
from zipfile import BadZipFile, ZipFile

import numpy as np
import pandas as pd

# Windows-1252 leaves these bytes undefined: a file holding them is in neither encoding.
ENCODINGS = ("utf-8-sig", "cp1252")
ROW = "__row__"
_MB = 1_000_000


class ReadError(ValueError):
    """A file that cannot be read as a table, with the reason."""


@dataclass(frozen=True)
class Limits:
    """How big a return may be (settings [limits]): checked before the file is parsed.

    file_mb: the file's size; rows: rows below the header; inflated_mb: an XLSX workbook's
    size once unzipped (every part of it, as its zip directory declares).
    """

    file_mb: int
    rows: int
    inflated_mb: int

    def check_size(self, size: int) -> None:
        """Refuse a file of `size` bytes over the file_mb limit (before it is read, where it can be)."""
        if size > self.file_mb * _MB:
            raise self.too_big("the file", f"{size / _MB:,.1f} MB", "file_mb", "split it into smaller returns")

    def too_big(self, what: str, found: str, key: str, hint: str) -> ReadError:
        return ReadError(f"{what} is {found}, over the limit of {getattr(self, key):,}"
                         f"{' MB' if key.endswith('_mb') else ' rows'} (settings: [limits] {key}): "
                         f"nothing was read; {hint}")


@dataclass
class Table:
    """A return as read: text or spreadsheet values, with each row's number as a person sees it."""

    frame: pd.DataFrame  # object dtype; column ROW holds the spreadsheet row number
    encoding: str
    sheet: str = ""
    # (row, what was done) for rows read with a repair a person should check
    repairs: list[tuple[int, str]] = field(default_factory=list)


def read_return(data: bytes, filename: str, sheet: str | None = None, limits: Limits | None = None) -> Table:
    """Read a return's bytes; the kind is told by the file name's ending.

    Args:
        data: the file's bytes.
        filename: its name (its ending tells CSV from XLSX).
        sheet: the sheet of a workbook (default the first).
        limits: the largest file, row count and unzipped workbook read (default: no limit).

    Raises:
        ReadError: an empty file, an unknown kind, an encoding the kit does not read,
            a file over a limit, or a workbook without the named sheet.
    """
    suffix = PurePath(filename).suffix.lower()
    if not data:
        raise ReadError("the file is empty")
    if limits:
        limits.check_size(len(data))
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(data, sheet, limits)
    if suffix in (".csv", ".txt", ""):
        return _read_csv(data, limits)
    if suffix == ".xls":
        raise ReadError("old Excel .xls files are not read: save it as .xlsx or .csv")
    raise ReadError(f"'{suffix}' files are not read: use CSV or XLSX")


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _utf16(data: bytes) -> str | None:
    """The codec of UTF-16 text: told by its byte-order mark (Excel's "Unicode text" has one), or,
    without one, by a NUL byte beside most letters of the start ("D\0a\0t\0e\0": English headers are
    ASCII, whose every letter has a NUL beside it in UTF-16) and almost none on the other side."""
    if data[:2] in _UTF16_BOMS:
        return "utf-16"
    head = data[:400]
    pairs = len(head) // 2
    if pairs >= 4 and len(data) % 2 == 0:
        odd, even = head[1::2].count(0), head[0::2].count(0)
        if odd >= 0.7 * pairs and even <= 0.1 * pairs:
            return "utf-16-le"
        if even >= 0.7 * pairs and odd <= 0.1 * pairs:
            return "utf-16-be"
    return None


def _decode(data: bytes) -> tuple[str, str]:
    codec = _utf16(data)
    if codec:
        try:
            return data.decode(codec), "utf-16"
        except UnicodeDecodeError:
            raise ReadError("the file starts as UTF-16 text but is not UTF-16 throughout: it is neither UTF-8, "
                            "UTF-16 nor Windows-1252 text; save it as CSV UTF-8") from None
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), ("utf-8" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError("the file is neither UTF-8, UTF-16 nor Windows-1252 text: save it as CSV UTF-8")


_DELIMITERS = (",", ";", "\t", "|")
_TEXT_START = re.compile(r"[^\r\n]")  # the header's first character, after any blank lines


def _delimiter(text: str) -> str:
    """The delimiter that splits the header row into the most columns.

    Read from the header alone: prose in the rows below is full of commas, which led the csv
    module's sniffer to take a ';'-separated return for one column of text.
    """
    found = _TEXT_START.search(text)
    start = found.start() if found else len(text)
    end = text.find("\n", start)
    first = text[start:end if end >= 0 else None]  # the header line alone, not a copy of the whole text
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


def _check_csv_rows(encoded: bytes, sep: str, limits: Limits | None) -> None:
    """Refuse a text with more rows than the limit, counting records (a quoted cell may hold line breaks)
    only when there are more lines than that. `encoded` is the text as UTF-8."""
    if limits is None or _lines(encoded) <= limits.rows + 1:
        return
    text = encoded.decode("utf-8")
    records = sum(1 for _ in islice(csv.reader(io.StringIO(text), delimiter=sep), limits.rows + 2))
    if records > limits.rows + 1:
        raise limits.too_big("the file", f"more than {limits.rows:,} rows", "rows", "split it into smaller returns")


def _lines(encoded: bytes) -> int:
    """The line breaks in `encoded`, counted by numpy a megabyte at a time (a few times quicker than bytes.count,
    and never a mask the size of the file)."""
    codes = np.frombuffer(encoded, np.uint8)
    return sum(int(np.count_nonzero(codes[at:at + _MB] == ord("\n"))) for at in range(0, len(codes), _MB))


def _utf8(data: bytes) -> tuple[bytes, str]:
    """The file as UTF-8 bytes, what the C parser reads (twice as fast as a str), and the encoding it was in.

    An ASCII file (most returns) is UTF-8 as it came: it is not decoded, which would copy the whole of it."""
    if _utf16(data) is None and data.isascii():
        return data, "utf-8"
    text, encoding = _decode(data)
    # a UTF-8 file as it came, its BOM cut
    return (data.removeprefix(codecs.BOM_UTF8) if encoding == "utf-8" else text.encode("utf-8")), encoding


_TEXT_START_BYTE = re.compile(rb"[^\r\n]")


def _header(encoded: bytes) -> str:
    """The text up to the end of the header line (the first line that is not blank)."""
    found = _TEXT_START_BYTE.search(encoded)
    end = encoded.find(b"\n", found.start() if found else len(encoded))
    return encoded[:end if end >= 0 else None].decode("utf-8")


def _read_csv(data: bytes, limits: Limits | None = None) -> Table:
    encoded, encoding = _utf8(data)
    if b"\x00" in encoded:
        raise ReadError("the file holds NUL bytes: it is not a CSV text file")
    sep = _delimiter(_header(encoded))
    _check_csv_rows(encoded, sep, limits)
    try:
        # index_col=False: without it pandas takes a first row with one cell too many as an index and
        # shifts every cell of the file one column left, silently; with it, the mismatch is a warning,
        # raised here so that the rows are read cell by cell instead
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            # object columns of str cells, which the checks read faster than pandas' string dtype; no cell is
            # missing (a blank is ""), so na_filter=False spares the parser looking for one (a fifth of its time)
            frame = pd.read_csv(io.BytesIO(encoded), sep=sep, dtype=object, keep_default_na=False, na_filter=False,
                                skip_blank_lines=False, engine="c", index_col=False, encoding="utf-8")
    except pd.errors.EmptyDataError:
        raise ReadError("the file has no header row") from None
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        frame, repairs = _read_overflowing(encoded.decode("utf-8"), sep)
        frame.columns = [str(c).strip() for c in frame.columns]
        return Table(_numbered(frame), encoding, repairs=repairs)
    frame.columns = [str(c).strip() for c in frame.columns]
    return Table(_numbered(frame), encoding)


def _check_workbook(data: bytes, limits: Limits) -> None:
    """Refuse a workbook over the limits before openpyxl opens it, from the zip alone.

    Its unzipped size is read from the zip's directory (Python's zipfile stops a part at its declared
    size, so the directory bounds what is read). Every sheet's rows are then counted by streaming its
    XML: openpyxl reads a sheet whole on opening when it has no <dimension>, a dimension may understate,
    and openpyxl fills the gap up to a row numbered 3,000,000, so even a sheet of two rows can make millions.
    """
    try:
        with ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            inflated = sum(i.file_size for i in parts)
            if inflated > limits.inflated_mb * _MB:
                raise limits.too_big("the workbook unzipped", f"{inflated / _MB:,.0f} MB", "inflated_mb",
                                     "save the sheet as a smaller workbook or as CSV")
            names = _sheet_names(archive)
            for part in parts:
                last = _last_row(archive, part.filename, limits.rows + 1) if part.filename.endswith(".xml") else 0
                if last > limits.rows + 1:
                    raise limits.too_big(f"sheet '{names.get(part.filename, part.filename)}'",
                                         f"more than {limits.rows:,} rows", "rows", "split it into smaller returns")
    except ReadError:
        raise
    except (BadZipFile, OSError, ValueError) as exc:
        raise ReadError(f"the file is not a readable XLSX workbook ({exc})") from None


# a row's start tag (any namespace prefix) and its number, if it gives one
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])([^>]*)>")
_ROW_NUMBER = re.compile(rb"\br\s*=\s*[\"']?(\d+)")


def _last_row(archive: ZipFile, path: str, enough: int) -> int:
    """The last row a sheet's XML makes (its row tags, or the highest row number given), streamed,
    stopping once past `enough`."""
    count = last = 0
    with archive.open(path) as sheet:
        rest = b""
        while chunk := sheet.read(_MB):
            chunk = rest + chunk
            cut = chunk.rfind(b"<")  # a tag cut in two is read whole with the next chunk
            chunk, rest = (chunk[:cut], chunk[cut:]) if cut > 0 else (chunk, b"")
            for match in _ROW_TAG.finditer(chunk):
                count += 1
                number = _ROW_NUMBER.search(match.group(1))
                last = max(last, int(number.group(1)) if number else count)
            if last > enough:
                break
    return max(count, last)


_RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_names(archive: ZipFile) -> dict[str, str]:
    """{part path: sheet name} from the workbook's own list, so a refusal names the sheet a person sees."""
    from xml.etree import ElementTree

    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}  # a workbook laid out otherwise: the refusal names the part instead
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    return {"xl/" + target[s.get(_RELATIONSHIP)].removeprefix("/xl/").lstrip("/"): s.get("name", "")
            for s in book.iter() if s.tag.endswith("}sheet") and s.get(_RELATIONSHIP) in target}


def _read_xlsx(data: bytes, sheet: str | None, limits: Limits | None = None) -> Table:
    from openpyxl import load_workbook  # only when a workbook arrives
    from openpyxl.utils.exceptions import InvalidFileException

    if limits:
        _check_workbook(data, limits)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ReadError(f"the file is not a readable XLSX workbook ({exc})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ReadError(f"the workbook has no sheet '{sheet}' (sheets: {', '.join(book.sheetnames)})")
        ws = book[sheet] if sheet else book.worksheets[0]
        title = ws.title
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
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
    # column by column in numpy, each looking only at the rows blank so far (most rows have a first cell)
    blank = np.flatnonzero(frame.iloc[:, 0].to_numpy(dtype=object) == "") if len(frame.columns) else \
        np.arange(len(frame))
    for k in range(1, len(frame.columns)):
        if not len(blank):
            break
        blank = blank[frame.iloc[blank, k].to_numpy(dtype=object) == ""]
    frame.insert(0, ROW, range(2, len(frame) + 2))  # a frame just read: changed in place
    return frame.drop(index=blank).reset_index(drop=True) if len(blank) else frame


def cell_text(value: object) -> str:
    """A cell as text for messages and text fields."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return "" if value is None else str(value)

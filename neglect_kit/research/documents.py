"""A review's document as plain text: Markdown or text, Word (.docx) or PDF, read with well-kept libraries.

The text returned is what a review's passages are cut from and their offsets count into, so each
format gives it the same shape: line breaks as "\\n", paragraphs parted by a blank line. A document that
gives no text (a scanned PDF, an empty file) is refused, never taken as an empty review.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .review_schema import DOCUMENT_SUFFIXES, ReviewError

# NUL, escape and the other control characters (tab and line breaks are text): PostgreSQL refuses a NUL
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_BLANK_LINES = re.compile(r"\n{3,}")


def read_document(path: Path) -> str:
    """The text of the review document at `path`.

    `.md` and `.txt` are read as UTF-8 (a byte-order mark is dropped); `.docx` gives its paragraphs
    (headings and table rows too, in order) joined by a blank line; `.pdf` gives each page's text layer
    with its paragraph gaps kept as blank lines. Every format has its line ends made "\\n".

    Raises:
        ReviewError: one line naming the file: a kind the kit does not read, a file that cannot be
            read or is corrupt, a PDF with no text layer (it looks scanned: run it through OCR first),
            or a document with no text.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise ReviewError(path, None, "is not a document the kit reads: give the review as "
                          + ", ".join(DOCUMENT_SUFFIXES))
    if not path.is_file():
        raise ReviewError(path, None, "no such file")
    reader = {".md": _plain, ".txt": _plain, ".docx": _word, ".pdf": _pdf}[suffix]
    try:
        text = reader(path)
    except OSError as exc:
        raise ReviewError(path, None, f"cannot be read ({exc.strerror or exc})") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if found := _CONTROL.search(text):
        raise ReviewError(path, None, f"holds the control character U+{ord(found.group()):04X} at position "
                          f"{found.start()}: remove it")
    if not text.strip():
        raise ReviewError(path, None, "has no text: a review with nothing in it is not loaded")
    return text


def _plain(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReviewError(path, None, f"is not UTF-8 text (byte {data[exc.start]:#04x} at position {exc.start}): "
                          "save it as UTF-8") from None


def _word(path: Path) -> str:
    import docx  # only where a Word document is read
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        parts = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):  # a table's rows, each as one line of its cells
                parts.extend(" | ".join(cell.text.strip() for cell in row.cells) for row in block.rows)
            else:
                parts.append(block.text.strip())
    except (PackageNotFoundError, zipfile.BadZipFile):  # its words name the whole path: say it plainly
        raise ReviewError(path, None, "is damaged or not a Word document (.docx): open it in Word and save it "
                          "again") from None
    except (KeyError, ValueError) as exc:
        raise ReviewError(path, None, f"is a damaged Word document (.docx): {_first_line(exc)}") from None
    return "\n\n".join(p for p in parts if p)


def _pdf(path: Path) -> str:
    import pypdf  # only where a PDF is read
    from pypdf.errors import PyPdfError

    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted:
            raise ReviewError(path, None, "is a password-protected PDF: save an unprotected copy")
        # the layout mode keeps the gap between paragraphs as a blank line, which the plain mode loses
        pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ReviewError(path, None, f"is damaged or not a PDF ({_first_line(exc)}): open it and save it again, "
                          "or print it to a new PDF") from None
    if not any(page.strip() for page in pages):
        raise ReviewError(path, None, f"looks scanned: its {len(pages)} page(s) are images with no text layer; "
                          "run it through OCR first and load the PDF that gives text")
    return _joined([tidied for page in pages if (tidied := _tidied(page))])


def _joined(pages: list[str]) -> str:
    """Pages one after another: a blank line between them, but a line break where a sentence runs on
    over the page (the page ends without a stop and the next begins in lower case)."""
    text = pages[0] if pages else ""
    for page in pages[1:]:
        runs_on = text[-1] not in '.!?:;"\')]' and page[0].islower()
        text += ("\n" if runs_on else "\n\n") + page
    return text


def _tidied(page: str) -> str:
    """A page laid out with spaces as plain text: each line trimmed, runs of spaces and blank lines made one."""
    lines = [_SPACES.sub(" ", line).strip() for line in page.replace("\r\n", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]

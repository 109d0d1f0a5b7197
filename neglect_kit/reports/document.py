"""Printable records: one document, written out as a self-contained HTML page or as a PDF.

A record is a list of blocks (headings, paragraphs, tables, images with alt text), so the
page a worker prints and the PDF filed on the case always say the same thing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import settings
from .html import render


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """Text, and optionally references to rows of a table in the same document (label, row id):
    links on a page, plain labels in a PDF."""

    text: str
    refs: Sequence[tuple[str, str]] = ()
    refs_label: str = "Entries"


@dataclass(frozen=True)
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    caption: str = ""
    row_ids: Sequence[str] = ()  # anchors for references, one per row


@dataclass(frozen=True)
class Image:
    png: bytes
    alt: str


@dataclass(frozen=True)
class Callout:
    """A box of the few things to read first (on screen and on paper)."""

    title: str
    items: Sequence[Paragraph]


@dataclass(frozen=True)
class Fold:
    """A section a reader opens on screen when they need it; printed and filed open."""

    title: str
    blocks: Sequence[Heading | Paragraph | Table | Image]


Block = Heading | Paragraph | Table | Image | Callout | Fold


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self


def body_html(doc: Document, title_level: int = 1) -> str:
    """The document's blocks as HTML to place in a page (headings start at `title_level`; folds closed)."""
    return render("document.html", **_context(doc, title_level, folded=True))


def marking_of(marking: str | None) -> str:
    """The protective marking to print: the one given, else the settings' `protective_marking`."""
    return settings().protective_marking if marking is None else marking


def to_html(doc: Document, marking: str | None = None) -> str:
    """A page to print: the kit's stylesheet inline, every value escaped, images inline with their alt text,
    every fold open (paper cannot be opened).

    Args:
        doc: the record.
        marking: the protective marking on every page (default the settings' `protective_marking`).
    """
    return render("document_page.html", title=doc.title, marking=marking_of(marking),
                  **_context(doc, 1, folded=False))


def _kinds(blocks: Sequence[Block]) -> list[tuple[str, Any]]:
    return [(type(b).__name__, b) for b in blocks]


def _context(doc: Document, title_level: int, folded: bool) -> dict[str, Any]:
    """What document.html reads: each block with its kind, which the template writes accordingly."""
    return {"doc": doc, "title_level": title_level, "blocks": _kinds(doc.blocks), "kinds": _kinds,
            "folded": folded}


def _fonts() -> Path:
    """Matplotlib's DejaVu fonts, which hold every character records hold (matplotlib imported only when a
    PDF is made: a page that shows no plot need not load it)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def to_pdf(doc: Document, marking: str | None = None) -> bytes:
    """The same document as a PDF, with real text (searchable, and read aloud by screen readers).

    Every page carries the protective marking at its top and bottom and "Page 3 of 7" at its foot.

    Args:
        doc: the record.
        marking: the protective marking (default the settings' `protective_marking`).
    """
    pdf = _marked_pdf(marking_of(marking))
    pdf.set_title(doc.title)
    pdf.set_lang("en")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, doc.title, new_x="LMARGIN", new_y="NEXT")
    _pdf_blocks(pdf, doc.blocks)
    return bytes(pdf.output())


def _pdf_blocks(pdf: Any, blocks: Sequence[Block]) -> None:
    for b in blocks:
        if isinstance(b, Callout):
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", 12)
            pdf.multi_cell(0, 7, b.title, new_x="LMARGIN", new_y="NEXT", border="T")
            _pdf_blocks(pdf, b.items)
            pdf.multi_cell(0, 1, "", new_x="LMARGIN", new_y="NEXT", border="B")
        elif isinstance(b, Fold):
            _pdf_blocks(pdf, [Heading(b.title), *b.blocks])
        elif isinstance(b, Heading):
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", 13 if b.level <= 2 else 11)
            pdf.multi_cell(0, 7, b.text, new_x="LMARGIN", new_y="NEXT")
        elif isinstance(b, Paragraph):
            pdf.set_font("DejaVu", "", 10)
            refs = f" {b.refs_label}: {', '.join(label for label, _ in b.refs)}." if b.refs else ""
            pdf.multi_cell(0, 5, b.text + refs, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif isinstance(b, Table):
            if b.caption:
                pdf.set_font("DejaVu", "B", 10)
                pdf.multi_cell(0, 6, b.caption, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 8)
            if all(_row_fits(r) for r in b.rows):
                with pdf.table(headings_style=_heading_style(), text_align="LEFT") as table:
                    table.row([str(h) for h in b.headers])
                    for r in b.rows:
                        table.row([str(c) for c in r])
            else:  # a table row cannot break across pages: long rows are printed as labelled paragraphs
                for r in b.rows:
                    pdf.multi_cell(0, 4, "\n".join(f"{h}: {c}" for h, c in zip(b.headers, r, strict=False)),
                                   new_x="LMARGIN", new_y="NEXT", border="T")
                    pdf.ln(1)
            pdf.ln(2)
        else:
            pdf.image(io.BytesIO(b.png), w=pdf.epw, alt_text=b.alt)
            pdf.set_font("DejaVu", "", 8)
            pdf.multi_cell(0, 4, b.alt, new_x="LMARGIN", new_y="NEXT")


# the total of pages, written in the footer before it is known; fpdf puts the number in its place at the end
_PAGES = "{nk-pages}"


def _marked_pdf(marking: str) -> Any:
    """An A4 FPDF with the kit's fonts whose every page has the marking at top and bottom, and its number."""
    # fpdf (with fontTools) takes a quarter of a second to import: every app would pay it at start,
    # though a PDF is only made when someone asks for one
    from fpdf import FPDF

    class MarkedPDF(FPDF):
        def header(self) -> None:
            self.set_font("DejaVu", "B", 9)
            self.set_y(6)
            self.cell(0, 5, marking, align="C")
            self.set_y(self.t_margin)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", "B", 9)
            self.cell(0, 5, marking, align="C")
            self.set_x(self.l_margin)
            self.set_font("DejaVu", "", 9)
            # at the left: the total's width is measured before the number takes its place, so it cannot align right
            self.cell(0, 5, f"Page {self.page_no()} of {_PAGES}")

    pdf = MarkedPDF(format="A4")
    pdf.alias_nb_pages(_PAGES)
    fonts = _fonts()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=18)
    return pdf


def _row_fits(row: Sequence[object]) -> bool:
    """Whether a table row surely fits one page (a cell of this many characters at 8 points does)."""
    return max((len(str(c)) for c in row), default=0) <= 900


def _heading_style() -> Any:
    from fpdf.fonts import FontFace  # see _marked_pdf

    return FontFace(emphasis="BOLD", fill_color=(240, 240, 240))

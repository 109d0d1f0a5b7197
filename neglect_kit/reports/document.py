"""Printable records: one document, written out as a self-contained HTML page or as a PDF.

A record is a list of blocks (headings, paragraphs, tables, images with alt text), so the
page a worker prints and the PDF filed on the case always say the same thing.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib


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


Block = Heading | Paragraph | Table | Image


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self


def body_html(doc: Document, title_level: int = 1) -> str:
    """The document's blocks as HTML to place in a page (headings start at `title_level`)."""
    e = html.escape
    shift = title_level - 1
    parts = [f"<h{title_level}>{e(doc.title)}</h{title_level}>"]
    for b in doc.blocks:
        if isinstance(b, Heading):
            level = min(b.level + shift, 6)
            parts.append(f"<h{level}>{e(b.text)}</h{level}>")
        elif isinstance(b, Paragraph):
            linked = ", ".join(f'<a href="#{e(anchor)}">{e(label)}</a>' for label, anchor in b.refs)
            refs = f" <span>{e(b.refs_label)}: {linked}</span>" if b.refs else ""
            parts.append(f"<p>{e(b.text)}{refs}</p>")
        elif isinstance(b, Table):
            head = "".join(f'<th scope="col">{e(str(h))}</th>' for h in b.headers)
            ids = [f' id="{e(i)}"' for i in b.row_ids] if b.row_ids else [""] * len(b.rows)
            body = "".join(f"<tr{i}>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>"
                           for i, r in zip(ids, b.rows, strict=True))
            cap = f"<caption>{e(b.caption)}</caption>" if b.caption else ""
            parts.append(f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        else:
            parts.append(f'<img src="data:image/png;base64,{base64.b64encode(b.png).decode()}" alt="{e(b.alt)}">'
                         f"<p>{e(b.alt)}</p>")
    return "".join(parts)


def to_html(doc: Document) -> str:
    """A page to print: every value escaped, images inline with their alt text."""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(doc.title)}</title>'
            f"<style>{_CSS}</style></head><body>{body_html(doc)}</body></html>")


_CSS = ("body{font-family:sans-serif;margin:2em;color:#1a1a1a}table{border-collapse:collapse;margin:0.5em 0 1em}"
        "th,td{border:1px solid #767676;padding:0.25em 0.5em;text-align:left;vertical-align:top}"
        "th{background:#f0f0f0}caption{text-align:left;font-weight:bold}img{max-width:100%}"
        "@media print{tr{page-break-inside:avoid}}")
_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # DejaVu: every character records hold


def to_pdf(doc: Document) -> bytes:
    """The same document as a PDF, with real text (searchable, and read aloud by screen readers)."""
    # fpdf (with fontTools) takes a quarter of a second to import: every app would pay it at start,
    # though a PDF is only made when someone asks for one
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(doc.title)
    pdf.set_lang("en")
    pdf.add_font("DejaVu", "", str(_FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(_FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, doc.title, new_x="LMARGIN", new_y="NEXT")
    for b in doc.blocks:
        if isinstance(b, Heading):
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
    return bytes(pdf.output())


def _row_fits(row: Sequence[object]) -> bool:
    """Whether a table row surely fits one page (a cell of this many characters at 8 points does)."""
    return max((len(str(c)) for c in row), default=0) <= 900


def _heading_style() -> Any:
    from fpdf.fonts import FontFace  # see to_pdf

    return FontFace(emphasis="BOLD", fill_color=(240, 240, 240))

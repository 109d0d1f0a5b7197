"""Printable records: the same document as an escaped page and as a PDF with real text, marked on every page."""

import io
import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
from pypdf import PdfReader

from neglect_kit.chronology.printable import printable_page
from neglect_kit.config import settings_from_dict
from neglect_kit.reports import document
from neglect_kit.reports.document import Document, Heading, Image, Paragraph, Table, to_html, to_pdf
from neglect_kit.ui.downloads import record_links

PACKAGE = Path(__file__).resolve().parent.parent / "neglect_kit"
# a 1x1 white PNG
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8ff"
                    "ff3f0005fe02fea7d6a4c10000000049454e44ae426082")


def doc():
    return Document("Child A’s record").add(Heading("Grades"), Paragraph("<script>x</script> “no food”, £2"),
                                            Table(["Sub-area", "Grade"], [["Food and drink", 4]], "Physical care"))


def test_the_page_escapes_every_value():
    page = to_html(doc())
    assert "&lt;script&gt;" in page and "<script>x" not in page
    assert '<html lang="en">' in page and "<caption>Physical care</caption>" in page


def test_the_pdf_is_titled_in_english_and_carries_a_unicode_font():
    pdf = to_pdf(doc())
    assert pdf.startswith(b"%PDF")
    assert b"/Lang (en)" in pdf
    assert b"/Title" in pdf
    assert b"DejaVuSans" in pdf  # the font that holds the curly quotes and the pound sign


# ---- the protective marking and page numbers on every page; nothing the page must fetch ---------------------

MARKING = "OFFICIAL-SENSITIVE"


def long_doc() -> Document:
    """A record of several pages, with every kind of block."""
    return Document("Child A’s record").add(
        Heading("Grades"), Paragraph("See the entries", refs=[("E1", "e1")]),
        Table(["Sub-area", "Grade"], [["Food and drink", 4]], "Physical care", row_ids=["e1"]),
        Image(PNG, "a plot of grades"),
        *[Paragraph(f"Visit {n}: the kitchen had food in the fridge and the children had eaten. " * 6)
          for n in range(80)])


def pdf_pages(data: bytes) -> list[list[str]]:
    return [page.extract_text().splitlines() for page in PdfReader(io.BytesIO(data)).pages]


def test_every_page_of_the_pdf_has_the_marking_at_top_and_bottom_and_its_number():
    pages = pdf_pages(to_pdf(long_doc()))
    assert len(pages) >= 3
    for n, lines in enumerate(pages, 1):
        assert lines[0] == MARKING, (n, lines[:2])
        assert MARKING in lines[-1] and f"Page {n} of {len(pages)}" in lines[-1], (n, lines[-2:])


def test_the_page_has_the_marking_on_screen_and_in_the_margins_of_every_printed_page():
    page = to_html(long_doc())
    body = page.split('<body class="nk-page">', 1)[1]
    assert body.startswith(f'\n<p class="nk-marking">{MARKING}</p>')
    assert body.endswith(f'<p class="nk-marking">{MARKING}</p>\n</body></html>')
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert re.search(r'@page \{\s*@top-center \{ content: "OFFICIAL-SENSITIVE"; \}\s*'
                     r'@bottom-center \{ content: "OFFICIAL-SENSITIVE"; \}', style)
    assert '@bottom-left { content: "Page " counter(page) " of " counter(pages);' in style


def test_the_marking_is_the_settings_and_any_words_in_it_stay_words(monkeypatch):
    monkeypatch.setattr(document, "settings", lambda: settings_from_dict({"protective_marking": "OFFICIAL"}))
    page = to_html(doc())
    assert '<p class="nk-marking">OFFICIAL</p>' in page and 'content: "OFFICIAL";' in page and MARKING not in page
    assert pdf_pages(to_pdf(doc()))[0][0] == "OFFICIAL"
    odd = 'A "B" </style><script>alert(1)</script> \\ Zoë'
    page = to_html(doc(), odd)
    assert "<script>" not in page and page.count("</style>") == 1
    assert '<p class="nk-marking">A &#34;B&#34; &lt;/style&gt;&lt;script&gt;' in page
    assert r'content: "A \22 B\22  \3c \2f style\3e ' in page  # a CSS escape: the quote cannot end the string
    _, files = record_links(doc(), "record", odd)
    assert "&lt;script&gt;" in files["record.html"].decode() and pdf_pages(files["record.pdf"])[0][0] == odd


def test_the_chronologys_page_takes_the_marking_from_the_settings_it_is_given():
    frame = pd.DataFrame(columns=["record_id", "date_shown", "pre_birth", "impact", "impact_note", "duplicate_of",
                                  "category", "inferred", "agency", "children", "description", "significance",
                                  "child_words", "action"])
    page = printable_page(title="Case 1: chronology", frame=frame,
                          settings=settings_from_dict({"protective_marking": "OFFICIAL"}), png=PNG, alt="the timeline",
                          view="named", filters="none", produced_by="sw.one", produced_at=datetime(2026, 4, 7, 9, 30))
    assert page.count('<p class="nk-marking">OFFICIAL</p>') == 2 and 'content: "OFFICIAL";' in page


class _References(HTMLParser):
    """Every address a page gives in an attribute, a <style> block or a style attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "formaction", "poster", "data", "xlink:href", "background",
                        "cite", "ping"):
                self.found.append(value or "")
            elif name == "style":
                self.found += _css_addresses(value or "")

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found += _css_addresses(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False


def _css_addresses(css: str) -> list[str]:
    return [m.strip("'\" ") for m in re.findall(r"url\(([^)]*)\)", css)] + re.findall(r"@import\s+([^;]+)", css)


def external_references(page: str) -> list[str]:
    """What a page would fetch: every address but the page's own data and anchors."""
    parser = _References()
    parser.feed(page)
    return [a for a in parser.found if not a.startswith(("data:", "#"))]


def test_the_reference_finder_finds_what_a_page_would_fetch():
    page = ('<link href="https://cdn.example/x.css"><img src="logo.png"><a href="#e1">E1</a>'
            '<img src="data:image/png;base64,AA"><style>@font-face { src: url("//fonts.example/f.woff2") }'
            '@import "https://x.example/y.css";</style><p style="background: url(http://x.example/b.png)">')
    assert external_references(page) == ["https://cdn.example/x.css", "logo.png", "//fonts.example/f.woff2",
                                          '"https://x.example/y.css"', "http://x.example/b.png"]


def test_a_printable_page_needs_nothing_from_outside_it():
    frame = pd.DataFrame(columns=["record_id", "date_shown", "pre_birth", "impact", "impact_note", "duplicate_of",
                                  "category", "inferred", "agency", "children", "description", "significance",
                                  "child_words", "action"])
    chronology = printable_page(title="Case 1: chronology", frame=frame, settings=settings_from_dict({}), png=PNG,
                                alt="the timeline", view="named", filters="none", produced_by="sw.one",
                                produced_at=datetime(2026, 4, 7, 9, 30))
    for page in (to_html(long_doc()), chronology):
        assert external_references(page) == []
        assert "<img" in page and 'src="data:image/png;base64,' in page  # its images travel inside it
    for template in (PACKAGE / "templates").iterdir():  # every page the kit writes is made of these
        assert not re.search(r"https?:|//[a-z]|url\(|@import", template.read_text(encoding="utf-8")), template.name

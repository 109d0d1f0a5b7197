"""What Chromium prints of the kit's printable pages: the protective marking at the top and bottom of
every page, and "Page 3 of 7".

The marking and the numbers are CSS page margin boxes (`@page { @top-center { ... } }`), which Chromium
prints from version 131: each page is printed to PDF with Playwright (`page.pdf()`, Chromium's own
printing) and read back with pypdf. The PDFs are kept in test-results/printed/ to open and look at.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from neglect_kit.anonymise import NAMED
from neglect_kit.chronology.printable import printable_page
from neglect_kit.chronology.records import entries_frame, stored_entries
from neglect_kit.chronology.views import present
from neglect_kit.config import settings, settings_from_dict
from neglect_kit.reports.document import Document, Heading, Paragraph, to_html
from neglect_kit.store import Store

pytestmark = pytest.mark.browser

PRINTED = Path(__file__).resolve().parents[2] / "test-results" / "printed"
# a 1x1 white PNG, standing for the timeline
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8ff"
                    "ff3f0005fe02fea7d6a4c10000000049454e44ae426082")


def printed(page: Page, html: str, name: str) -> list[str]:
    """The text of each page Chromium prints of `html` on A4; the PDF kept as test-results/printed/<name>.pdf."""
    page.set_content(html)
    data = page.pdf(format="A4")
    PRINTED.mkdir(parents=True, exist_ok=True)
    (PRINTED / f"{name}.pdf").write_bytes(data)
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def assert_marked_and_numbered(pages: list[str], marking: str) -> None:
    assert len(pages) >= 2, f"expected several printed pages, got {len(pages)}"
    for n, text in enumerate(pages, 1):
        # the two margin boxes, top and bottom; the page's own lines add one on the first and the last page
        least = 2 + (n == 1) + (n == len(pages))
        assert text.count(marking) >= least, f"page {n}: the marking {text.count(marking)} times:\n{text[:300]}"
        assert f"Page {n} of {len(pages)}" in text, f"page {n} has no 'Page {n} of {len(pages)}':\n{text[:300]}"


def test_every_printed_page_of_the_chronology_is_marked_and_numbered(page: Page, demo_file: Path, tmp_path: Path,
                                                                     screenshot: Callable[[Page, str], Path]):
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    store = Store.open(f"sqlite:///{copy}", user="sw.one")
    frame = present(entries_frame(stored_entries(store, "fenwick")), store.people("fenwick"), NAMED)
    html = printable_page(title="The Fenwick children: chronology", frame=frame, settings=settings(), png=PNG,
                          alt="the timeline", view=NAMED, filters="none", produced_by="sw.one",
                          produced_at=datetime.now(UTC))
    assert_marked_and_numbered(printed(page, html, "chronology"), "OFFICIAL-SENSITIVE")
    screenshot(page, "on-screen")  # the marking stands at the top of the page on screen too


def test_a_record_prints_the_partnerships_own_marking(page: Page):
    marking = settings_from_dict({"protective_marking": "OFFICIAL"}).protective_marking
    doc = Document("Child A: a record of many pages").add(
        Heading("Visits"), *[Paragraph(f"Visit {n}: the children had eaten and the home was warm. " * 8)
                             for n in range(90)])
    pages = printed(page, to_html(doc, marking), "record")
    assert_marked_and_numbered(pages, "OFFICIAL")
    assert "OFFICIAL-SENSITIVE" not in "".join(pages)

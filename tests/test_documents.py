"""A review's document as text (research/documents.py): Markdown, text, Word and PDF; what is refused and how."""

from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from neglect_kit.research.documents import read_document
from neglect_kit.research.review_schema import ReviewError

DATA = Path(__file__).resolve().parent / "data"


def refused(path) -> str:
    with pytest.raises(ReviewError) as caught:
        read_document(path)
    assert "\n" not in str(caught.value)
    return str(caught.value)


def test_markdown_and_text_lose_the_byte_order_mark_and_windows_line_ends(tmp_path):
    (tmp_path / "R01.md").write_bytes("\ufeff# Review\r\n\r\nIt began. Then it ended.\r\n".encode())
    (tmp_path / "R02.txt").write_bytes(b"Old Mac line\rends.")
    assert read_document(tmp_path / "R01.md") == "# Review\n\nIt began. Then it ended.\n"
    assert read_document(tmp_path / "R02.txt") == "Old Mac line\nends."


def test_a_word_document_gives_its_headings_paragraphs_and_tables_in_order(tmp_path):
    document = docx.Document()
    document.add_heading("Serious case review: Ava", level=1)
    document.add_paragraph("Ava was seen twice.")
    document.add_paragraph("")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Agency", "Contacts"
    document.add_paragraph("Nobody escalated.")
    document.save(tmp_path / "R03.docx")
    assert read_document(tmp_path / "R03.docx") == ("Serious case review: Ava\n\nAva was seen twice.\n\n"
                                                    "Agency | Contacts\n\nNobody escalated.")


def test_a_pdf_gives_its_text_layer_with_paragraph_gaps(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "First paragraph. It has two sentences.")
    pdf.ln(6)
    pdf.multi_cell(0, 6, "Second paragraph.")
    pdf.output(str(tmp_path / "R04.pdf"))
    assert read_document(tmp_path / "R04.pdf") == "First paragraph. It has two sentences.\n\nSecond paragraph."


def test_a_sentence_running_over_a_page_is_not_cut_into_two_paragraphs(tmp_path):
    pdf = FPDF()
    for words in ("The review found that the plan", "drifted for two years."):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, words)
    pdf.output(str(tmp_path / "R05.pdf"))
    assert read_document(tmp_path / "R05.pdf") == "The review found that the plan\ndrifted for two years."


def test_a_scanned_pdf_is_refused_never_read_as_an_empty_review():
    assert refused(DATA / "scanned_review.pdf") == (
        "scanned_review.pdf: looks scanned: its 1 page(s) are images with no text layer; run it through OCR "
        "first and load the PDF that gives text")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("R06.rtf", b"{\\rtf1 text}",
     "R06.rtf: is not a document the kit reads: give the review as .md, .txt, .docx, .pdf"),
    ("R07.docx", b"not a zip at all",
     "R07.docx: is damaged or not a Word document (.docx): open it in Word and save it again"),
    ("R08.pdf", b"%PDF-1.4\n garbage", "R08.pdf: is damaged or not a PDF ("),
    ("R09.md", "caf\xe9".encode("latin-1"), "R09.md: is not UTF-8 text (byte 0xe9 at position 3): save it as UTF-8"),
    ("R10.txt", b"  \n\n ", "R10.txt: has no text: a review with nothing in it is not loaded"),
    ("R11.md", b"A review\x00 with a NUL.", "R11.md: holds the control character U+0000 at position 8: remove it"),
])
def test_bad_documents_are_refused_in_one_line_naming_the_file(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    assert refused(tmp_path / name).startswith(message)


def test_a_document_cut_short_is_refused_as_damaged(tmp_path):
    data = (Path(__file__).resolve().parent.parent / "sample_cases" / "reviews" / "R05.pdf").read_bytes()
    (tmp_path / "R05.pdf").write_bytes(data[: len(data) // 2])
    assert refused(tmp_path / "R05.pdf").startswith("R05.pdf: is damaged or not a PDF (")
    (tmp_path / "R04.docx").write_bytes(b"PK\x03\x04" + b"\0" * 100)
    assert refused(tmp_path / "R04.docx").startswith("R04.docx: is damaged or not a Word document (.docx)")


def test_a_missing_document_is_named(tmp_path):
    assert refused(tmp_path / "R12.md") == "R12.md: no such file"

"""Printable records: the same document as an escaped page and as a PDF with real text."""

from neglect_kit.reports.document import Document, Heading, Paragraph, Table, to_html, to_pdf


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

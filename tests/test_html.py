"""The kit's one way to write HTML: one table writer, every value escaped, one stylesheet for widgets and pages."""

import re
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from neglect_kit.chronology.printable import printable_page
from neglect_kit.config import settings
from neglect_kit.reports.document import Document, Image, Paragraph, Table, body_html, to_html
from neglect_kit.reports.html import Cell, Markup, html_table, image_html, style_block, stylesheet

PACKAGE = Path(__file__).resolve().parent.parent / "neglect_kit"
SCRIPT = '<script>alert("x")</script>'


def test_a_cell_and_a_caption_holding_script_and_quotes_are_escaped():
    table = html_table(["Who", 'Said "no"'], [[SCRIPT, 'She said "no" & left']], caption=f'{SCRIPT} "quoted"',
                       row_ids=['a"b'])
    assert "<script>" not in table
    assert "<caption>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &#34;quoted&#34;</caption>" in table
    assert "<td>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</td>" in table
    assert "<td>She said &#34;no&#34; &amp; left</td>" in table
    assert '<th scope="col">Said &#34;no&#34;</th>' in table
    assert '<tr id="a&#34;b">' in table  # a quote cannot end the attribute


def test_every_table_has_the_kit_class_scoped_headers_and_blank_for_none():
    table = html_table(["A", "B"], [[None, 0]], css_class="nk-day")
    assert table == ('<table class="nk-table nk-day"><thead><tr><th scope="col">A</th><th scope="col">B</th></tr>'
                     "</thead><tbody><tr><td></td><td>0</td></tr></tbody></table>")


def test_a_row_header_a_span_and_row_classes():
    table = html_table(["When", "What", "Effect"],
                       [[Cell("Bedtime", header=True), Cell("Not recorded", colspan=2)]], row_classes=["nk-none"])
    assert ('<tr class="nk-none"><th scope="row">Bedtime</th><td colspan="2">Not recorded</td></tr>') in table


def test_only_markup_the_code_made_passes_unescaped():
    table = html_table(["Mark"], [[Markup("<strong>{}</strong>").format(SCRIPT)], ["<strong>typed</strong>"]])
    assert "<td><strong>&lt;script&gt;" in table  # the code's tag kept, the value in it escaped
    assert "<td>&lt;strong&gt;typed&lt;/strong&gt;</td>" in table


def test_a_table_joined_to_other_html_is_not_escaped_again():
    assert (html_table(["A"], [["x"]]) + "<p>after</p>").endswith("</table><p>after</p>")


def test_an_image_carries_its_alt_text_escaped_in_the_attribute_and_under_it():
    shown = image_html(b"png", f'{SCRIPT} "q"', "nk-timeline")
    assert shown.startswith('<img class="nk-timeline" src="data:image/png;base64,cG5n" alt="&lt;script&gt;')
    assert '<p class="nk-alt">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &#34;q&#34;</p>' in shown


def test_a_documents_tables_are_the_kit_table_with_anchors_for_its_references():
    doc = Document(SCRIPT).add(Paragraph("See", refs=[("entry 1", "e1")]),
                               Table(["A"], [["x"]], caption=SCRIPT, row_ids=["e1"]), Image(b"png", "a plot"))
    body = body_html(doc, title_level=3)
    assert body.startswith("<h3>&lt;script&gt;")
    assert '<a href="#e1">entry 1</a>' in body and '<table class="nk-table"><caption>&lt;script&gt;' in body
    assert '<tr id="e1"><td>x</td></tr>' in body and '<p class="nk-alt">a plot</p>' in body


def test_the_widgets_and_the_printable_pages_take_the_one_stylesheet():
    css = stylesheet()
    for rule in (".nk-table th", ".nk-chronology", "table.nk-day td.nk-mark-differ", ".nk-error",
                 ".nk-alt", ".nk-challenge", "div.nk-refer", ".nk-table tr:target"):
        assert rule in css, rule
    assert style_block() == f"<style>\n{css}</style>"
    record = to_html(Document("A record"))
    frame = pd.DataFrame(columns=["record_id", "date_shown", "pre_birth", "impact", "impact_note", "duplicate_of",
                                  "category", "inferred", "agency", "children", "description", "significance",
                                  "child_words", "action"])
    chronology = printable_page(title=f'Case "1" {SCRIPT}', frame=frame, settings=settings(), png=b"png",
                                alt="the timeline", view="named", filters="none", produced_by="sw.one",
                                produced_at=datetime(2026, 4, 7, 9, 30))
    for page in (record, chronology):
        assert page.startswith('<!DOCTYPE html>\n<html lang="en">') and css in page
        assert '<body class="nk-page">' in page and page.count("<style>") == 1
    assert "<title>Case &#34;1&#34; &lt;script&gt;" in chronology and "<script>" not in chronology
    assert "on 07 April 2026 at 09:30" in chronology
    assert '<table class="nk-table nk-chronology"><caption>0 entries</caption>' in chronology


def test_no_module_writes_a_table_or_a_style_block_of_its_own():
    writers = []
    for path in PACKAGE.rglob("*.py"):
        if path.name != "html.py" and re.search(r"<table|<style|\{\s*border-collapse", path.read_text()):
            writers.append(str(path.relative_to(PACKAGE)))
    assert writers == [], f"HTML tables and CSS belong to reports/html.py and templates/: {writers}"


def test_row_ids_that_do_not_match_the_rows_are_refused_naming_both_counts():
    with pytest.raises(ValueError, match="html_table: 1 row_ids for 2 rows"):
        html_table(["A"], [["x"], ["y"]], row_ids=["e1"])

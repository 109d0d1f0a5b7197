"""'What is life like for this child?' in the browser: the child summary app and the chronology's panel.

The first test walks the child summary app (notebooks/toolkits/child_summary.ipynb) on the main
sample case (the Fenwick children): open it from the start page, choose Maisie and read her
one-page summary (the line saying these are prompts for professional judgement, then findings:
parental alcohol use never named in her plans, a child protection plan that drifts, missed health
appointments, the child unseen and unheard), follow a finding's first entry link down to its row
in "Entries behind these findings", download the record as PDF and read its text, then switch to
the anonymised view, where she becomes "Child A" and no name of the family may show, and let
axe-core check the page.

In the anonymised view the Case and Child dropdowns read "Case N" and "Child A", and no name of
the family may show anywhere on the page. Within the summary panel the visible text and the HTML
(link targets, row ids, file names) are checked too, and so are the printable page behind its
download link and the PDF (its text and file name), every name matched in any letter case.
Problems found there are collected and failed at the end, so that axe still runs and the page is
still shot.

The second test opens the chronology app (notebooks/toolkits/chronology.ipynb): with "All
children" chosen the panel asks for one child; for Theo it shows his summary; choosing Maisie
clears it, so Theo's findings never sit beside Maisie's chronology.

The session's store is shared with the other browser tests (one of them adds an entry naming
Maisie, another records her voice and a day today), so no count is fixed here: only findings the
sample records make whatever is added. Each step leaves a screenshot in test-results/screenshots/.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_steps import summary_panel
from playwright.sync_api import Page, expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser

CASE_TITLE = "The Fenwick children"
# every name and nickname of the sample case's people (sample_cases/fenwick/case.toml)
SAMPLE_NAMES = ["Maisie", "Theo", "Donna", "Craig", "Pauline", "Fenwick", "Maddox", "Maise", "Teddy"]
REDRAW = 30_000  # ms: reading a case and drawing its findings takes about a second; a busy machine many more
PROMPT = "These findings are prompts for professional judgement"
SECTIONS = ["Signs that keep coming back", "Risks in the records but not in any plan", "Drift and delay",
            "The child unseen and unheard", "The child in the records",
            "Start again: the history before a new worker"]
ALCOHOL = "Parental alcohol use: mentioned in"
# the scroll offsets of the window and of every scrolled box (the Voila template scrolls in a container)
SCROLLED = ("() => [window.scrollY, ...[...document.querySelectorAll('*')].map(e => e.scrollTop)]"
            ".reduce((a, b) => a + b, 0)")


def names_in(text: str) -> list[str]:
    return [n for n in SAMPLE_NAMES if re.search(rf"\b{n}\b", text, re.IGNORECASE)]


def pdf_text(path: Path) -> str:
    """The PDF's text, every run of white space made one space (lines break anywhere)."""
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(path).pages).split())


def test_child_summary_findings_links_pdf_and_anonymised(
        app: Callable[[str], Page], sample_case_ids: list[str], screenshot: Callable[[Page, str], Path],
        axe_check: Callable[[Page], None], tmp_path: Path) -> None:
    assert "fenwick" in sample_case_ids
    problems: list[str] = []

    # 1. from the start page to Maisie's summary ---------------------------------------------------
    page = app("index.ipynb")
    page.get_by_role("link", name="What is life like for this child?", exact=True).click()
    page.wait_for_url(re.compile(r"/voila/render/toolkits/child_summary\.ipynb$"), timeout=REDRAW)
    page.locator("#loading").wait_for(state="hidden", timeout=90_000)
    expect(page.get_by_role("button", name="Anonymised", exact=True)).to_be_visible(timeout=REDRAW)
    expect(page.locator(".nk-summary")).to_have_count(1, timeout=REDRAW)  # the first case's first child

    page.get_by_label("Case", exact=True).select_option(label=CASE_TITLE)
    child = page.get_by_label("Child", exact=True)
    expect(child.locator("option", has_text="Theo")).to_have_count(1, timeout=REDRAW)
    child.select_option(label="Maisie Fenwick")
    heading = page.get_by_role("heading", name="What is life like for Maisie?", exact=True, level=3)
    expect(heading).to_be_visible(timeout=REDRAW)
    panel = summary_panel(page)
    expect(panel.get_by_text(PROMPT)).to_be_visible()
    # read first: the headline box, with the risk never named in a plan at its top
    headline = panel.locator(".nk-headline")
    expect(headline).to_be_visible()
    alcohol = headline.locator("p", has_text=ALCOHOL)
    expect(alcohol).to_have_count(1)
    expect(alcohol).to_contain_text("not named in any of Maisie's")
    expect(headline.locator("p").first).to_contain_text(ALCOHOL)
    # the rest in folded sections, each opened by its title
    folds = panel.locator("details.nk-fold")
    for title in ["In Maisie's own words", "A day in Maisie's life", *SECTIONS]:
        section = panel.get_by_role("heading", name=re.compile(rf"^{re.escape(title)}( \(\d+\))?$"), level=4)
        expect(section).to_be_visible()
    expect(folds.first).not_to_have_attribute("open", "")
    screenshot(page, "1-maisie-headline")
    for summary in panel.locator("details.nk-fold > summary").all():
        summary.click()
    expect(panel.locator("details.nk-fold:not([open])")).to_have_count(0)
    expect(panel.locator("p", has_text=re.compile(r"Maisie's child protection plan .*open"))).not_to_have_count(0)
    expect(panel.locator("p", has_text="Maisie was not brought to health appointments")).not_to_have_count(0)
    expect(panel.locator("p", has_text=re.compile(r"Maisie was recorded as (seen|heard)"))).not_to_have_count(0)
    expect(panel.get_by_role("table").locator("caption")).to_contain_text("oldest first")
    expect(panel.get_by_role("link", name="Download the printable page", exact=True)).to_be_visible()
    screenshot(page, "1-maisie")

    # 2. a finding's first entry link leads to its row in "Entries behind these findings" ------------
    page.set_viewport_size({"width": 1280, "height": 900})  # a laptop's screen: the table is well below
    link = alcohol.locator("a").first
    anchor = (link.get_attribute("href") or "").removeprefix("#")
    assert re.fullmatch(r"nk-entry-E\d+", anchor), f"the alcohol finding's first link: {anchor!r}"
    row = page.locator(f'tr[id="{anchor}"]')
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text(link.inner_text().strip())
    expect(row).not_to_be_in_viewport()
    scrolled_before = page.evaluate(SCROLLED)
    link.click()
    expect(row).to_be_in_viewport(timeout=REDRAW)
    moved = page.url.endswith(f"#{anchor}") or page.evaluate(SCROLLED) != scrolled_before
    assert moved, f"neither the URL ({page.url}) nor the scroll position changed"
    expect(page.get_by_role("heading", name="What is life like for Maisie?")).to_have_count(1)  # still the app
    # the shot is of what the user sees after the jump: the whole-page shot would grow the viewport to the
    # page's height (and so scroll back to the top), so the viewport is shot first and put in its place
    seen = tmp_path / "viewport.png"
    page.screenshot(path=str(seen))
    page.set_viewport_size({"width": 1280, "height": 2000})
    seen.replace(screenshot(page, "2-entry-link"))

    # 3. the record as PDF holds the summary -----------------------------------------------------------
    with page.expect_download(timeout=REDRAW) as download:
        panel.get_by_role("link", name="Download the record as PDF", exact=True).click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".pdf", saved.name
    text = pdf_text(saved)
    assert "What is life like for Maisie?" in text, text[:300]
    assert "Parental alcohol use" in text, text[:300]
    assert PROMPT in text, "the PDF does not say these are prompts for professional judgement"

    # 4. the anonymised view: Child A, and no name of the family in the panel ----------------------------
    printable_link = panel.get_by_role("link", name="Download the printable page", exact=True)
    named_file = printable_link.get_attribute("download") or ""
    page.get_by_role("button", name="Anonymised", exact=True).click()
    expect(page.get_by_role("heading", name="What is life like for Child A?", exact=True)).to_be_visible(
        timeout=REDRAW)
    # the summary is redrawn before its files are made: wait for the links to be the anonymised record's
    expect(printable_link).not_to_have_attribute("download", named_file, timeout=REDRAW)
    expect(heading).to_have_count(0)
    expect(panel.locator(".nk-headline p", has_text=ALCOHOL)).to_contain_text("not named in any of Child A's")
    shown = names_in(panel.inner_text())
    if shown:
        lines = [ln for ln in panel.inner_text().splitlines() if names_in(ln)]
        problems.append(f"the anonymised summary shows {shown} in its text, e.g. {lines[:3]}")
    html = panel.inner_html()
    in_html = names_in(re.sub(r"data:[a-z/+.-]+;base64,[A-Za-z0-9+/=]+", "data:", html))
    if in_html:
        attributes = sorted({a for a in re.findall(r'(?:href|id|download)="[^"]{0,60}"', html) if names_in(a)})
        problems.append(f"the anonymised summary's HTML (link targets, row ids, file names) holds {in_html}, "
                        f"e.g. {attributes[:3]}")
    page_href = printable_link.get_attribute("href")
    printable = base64.b64decode((page_href or "").split(",", 1)[1]).decode("utf-8")
    assert "What is life like for Child A?" in printable
    if names_in(printable):
        problems.append(f"the anonymised printable page holds {names_in(printable)}")
    with page.expect_download(timeout=REDRAW) as download:
        panel.get_by_role("link", name="Download the record as PDF", exact=True).click()
    saved = tmp_path / f"anonymised-{download.value.suggested_filename}"
    download.value.save_as(saved)
    text = pdf_text(saved)
    assert "What is life like for Child A?" in text, text[:300]
    if names_in(text):
        lines = [m.group(0) for n in names_in(text) for m in re.finditer(rf".{{0,40}}\b{n}\b.{{0,40}}", text, re.I)]
        problems.append(f"the anonymised PDF holds {names_in(text)}, e.g. {lines[:3]}")
    if names_in(download.value.suggested_filename):
        problems.append(f"the anonymised PDF's file name is {download.value.suggested_filename!r}")
    dropdowns = " ".join(page.locator("option:checked").all_inner_texts()).replace("\xa0", " ")
    assert "Case " in dropdowns and "Child A" in dropdowns, f"the pickers still name the family: {dropdowns}"
    if shown_anywhere := names_in(page.locator("body").inner_text()):
        problems.append(f"the anonymised page shows {shown_anywhere} outside the summary")
    screenshot(page, "4-anonymised")

    # 5. no WCAG A/AA violation that axe finds ----------------------------------------------------------
    try:
        axe_check(page)
    except AssertionError as e:
        problems.append(str(e))
    assert not problems, "the child summary app:\n" + "\n".join(problems)


def test_chronology_child_summary_follows_the_chosen_child(
        app: Callable[[str], Page], sample_case_ids: list[str], screenshot: Callable[[Page, str], Path]) -> None:
    assert "fenwick" in sample_case_ids
    page = app("toolkits/chronology.ipynb")
    show = page.get_by_role("button", name="Show what the records say", exact=True)
    expect(show).to_be_visible(timeout=REDRAW)
    expect(page.get_by_role("heading", name="What is life like for this child?")).to_be_visible()
    page.get_by_label("Case", exact=True).select_option(label=CASE_TITLE)
    child = page.get_by_label("Child", exact=True)
    expect(child.locator("option", has_text="Theo")).to_have_count(1, timeout=REDRAW)
    expect(child.locator("option:checked")).to_have_text("All children")

    # all children: the panel asks for one
    show.click()
    expect(page.get_by_text("Choose one child above")).to_be_visible(timeout=REDRAW)
    expect(page.locator(".nk-summary")).to_have_count(0)

    # Theo's summary
    child.select_option(label="Theo Fenwick")
    expect(page.get_by_text("Choose one child above")).to_have_count(0, timeout=REDRAW)
    show.click()
    theo = page.get_by_role("heading", name="What is life like for Theo?", exact=True)
    expect(theo).to_be_visible(timeout=REDRAW)
    panel = summary_panel(page)
    expect(panel.get_by_text(PROMPT)).to_be_visible()
    expect(panel.locator(".nk-headline p", has_text=ALCOHOL)).to_contain_text("not named in any of Theo's")
    expect(panel.get_by_role("link", name="Download the record as PDF", exact=True)).to_be_visible()
    screenshot(page, "1-theo")

    # choosing Maisie clears Theo's findings; Maisie's are shown only when asked for
    child.select_option(label="Maisie Fenwick")
    expect(theo).to_have_count(0, timeout=REDRAW)
    expect(page.locator(".nk-summary")).to_have_count(0)
    expect(page.get_by_role("link", name="Download the record as PDF")).to_have_count(0)
    expect(page.get_by_role("heading", name="What is life like for Maisie?")).to_have_count(0)
    # the chronology beside the emptied panel is Maisie's (the shot waits for its timeline to be redrawn)
    expect(page.locator("img.nk-timeline")).to_have_attribute("alt", re.compile(r"^[^.]*Maisie Fenwick"),
                                                               timeout=REDRAW)
    expect(page.locator(".nk-summary")).to_have_count(0)
    screenshot(page, "2-maisie-cleared")

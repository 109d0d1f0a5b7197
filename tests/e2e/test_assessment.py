"""The neglect assessment app (notebooks/toolkits/neglect_assessment.ipynb) as a social worker uses it.

One test walks the page as a worker would, on the main sample case (the Fenwick children, whose
assessments drift): open it from the start page, choose Maisie, read her assessments, progress
chart and drift panel; try to save a new assessment with a grade that has no written evidence
and meet the error beside the evidence field; find chronology entries in the evidence picker by
a word, link two to a sub-area and remove one; write the evidence and save: the page names the
twelve sub-areas left ungraded, with the grade that will stand for each, and saves nothing until
the worker confirms; then see the table, the chart and the "Since the assessment of ..." table
change, a sub-area left ungraded shown as "5 since Dec 2022, not regraded" rather than dropped.
Each step leaves a screenshot in test-results/screenshots/.

The session's store is shared with the other browser tests, so every count is compared with
what the page said before the step, never with a fixed number.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from e2e_steps import fill_and_leave
from markupsafe import escape
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

CASE_ID, CASE_TITLE, CHILD = "fenwick", "The Fenwick children", "Maisie Fenwick"
REDRAW = 20_000  # ms: a redraw takes about a second; a busy machine may take many more
ASSESSOR = "E2E social worker (fictional)"
FOOD = "Food and drink"  # graded 4 (Maisie's latest is 5): its evidence is first left out, then written
FOOD_GRADE = "4: Needs often not met: the adults' needs usually come first; the child goes without."
FOOD_EVIDENCE = "E2E check: cereal and milk in the cupboard at the visit; Maisie said she had toast for breakfast."
HOME = "Home and sleep"  # graded 5 with its evidence from the start
HOME_GRADE = "5: Needs largely unmet: the child's needs are not considered."
HOME_EVIDENCE = "E2E check: still no bed of her own; the bedroom window is broken and the room is cold."
EVIDENCE_NEEDED = "written evidence for this grade is needed"
HISTORY_CAPTION = re.compile(rf"^(\d+) assessment\(s\) of {CHILD}$")
SINCE_CAPTION = re.compile(r"^Since the assessment of (\d\d \w{3} \d{4})$")


def field_row(page: Page, label: str) -> Locator:
    """A form field with the place beside it where its error shows."""
    return page.locator(".widget-hbox", has=page.get_by_label(label, exact=True)).last


def progress_chart(page: Page) -> Locator:
    return page.locator("img.nk-progress")


def history_table(page: Page) -> Locator:
    return page.locator("table.nk-table", has=page.locator("caption", has_text=HISTORY_CAPTION))


def since_table(page: Page) -> Locator:
    return page.locator("table.nk-table", has=page.locator("caption", has_text=SINCE_CAPTION))


def drift_panel(page: Page) -> Locator:
    return page.locator("[role=status]", has=page.get_by_role("heading", name="Drift: is it time to escalate?"))


def assessment_count(page: Page) -> int:
    """N from the assessments table's caption, "N assessment(s) of <child>"."""
    text = history_table(page).locator("caption").inner_text().strip()
    found = HISTORY_CAPTION.match(text)
    assert found, f"the assessments table caption should read 'N assessment(s) of {CHILD}'; it reads {text!r}"
    return int(found[1])


def since_rows(page: Page) -> dict[str, list[str]]:
    """The "Since the assessment of ..." table as {sub-area: [before, now, change]}."""
    rows = since_table(page).locator("tbody tr")
    cells = [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]
    return {r[0]: r[1:] for r in cells}


def test_assessment_error_then_saved_as_repeat(
        app: Callable[[str], Page], sample_case_ids: list[str], screenshot: Callable[[Page, str], Path],
        axe_check: Callable[[Page], None]) -> None:
    assert CASE_ID in sample_case_ids

    # 1. from the start page to the app, on Maisie Fenwick ----------------------------------------
    page = app("index.ipynb")
    page.get_by_role("link", name="Neglect assessment", exact=True).click()
    page.wait_for_url(re.compile(r"/voila/render/toolkits/neglect_assessment\.ipynb$"), timeout=REDRAW)
    page.locator("#loading").wait_for(state="hidden", timeout=90_000)
    expect(page.get_by_role("button", name="Save the assessment")).to_be_visible(timeout=REDRAW)
    expect(page.get_by_role("alert")).to_have_count(0)

    page.get_by_label("Case", exact=True).select_option(label=CASE_TITLE)
    expect(page.get_by_label("Child", exact=True).locator("option", has_text="Theo")).to_have_count(1, timeout=REDRAW)
    page.get_by_label("Child", exact=True).select_option(label=CHILD)
    expect(progress_chart(page)).to_have_attribute("alt", re.compile(f"grades for {CHILD}:"), timeout=REDRAW)
    expect(history_table(page)).to_be_visible(timeout=REDRAW)
    count_before = assessment_count(page)
    assert count_before >= 2, "the sample case gives Maisie several assessments"
    src_before = progress_chart(page).get_attribute("src") or ""
    assert src_before.startswith("data:image/png;base64,")
    expect(since_table(page)).to_be_visible()
    since_before = since_table(page).locator("caption").inner_text().strip()
    # Maisie's targets passed unmet while her plans stayed open: the page says so
    expect(drift_panel(page)).to_be_visible()
    expect(drift_panel(page)).to_contain_text("has passed without being reached")
    expect(page.get_by_text("Saved as")).to_have_count(0)
    # a visit is not marked announced until the worker says
    expect(page.get_by_label("Announced?", exact=True).locator("option:checked")).to_have_text("Not recorded")
    screenshot(page, "1-maisie-chosen")

    # 1b. the evidence picker: readable labels, newest first, a filter, link and remove ---------------
    found = page.get_by_label("Entries", exact=True)
    expect(page.locator("p", has_text=re.compile(r"listed, newest first"))).to_be_visible()
    first = found.locator("option").first.inner_text().replace("\xa0", " ")  # the widget keeps spaces as NBSP
    assert re.match(r"^\d{1,2} \w{3} \d{4} · [A-Z][^·_]+ · \S", first), f"not date · agency · what: {first!r}"
    fill_and_leave(page.get_by_label("Find entries", exact=True), "hungry")
    expect(page.locator("p", has_text=re.compile("matching “hungry”"))).to_be_visible(timeout=REDRAW)
    options = found.locator("option")
    assert options.count() >= 2, "the sample chronology says Maisie was hungry more than once"
    kept = options.nth(0).inner_text().replace("\xa0", " ").split(" · ")  # date, agency, what happened
    page.get_by_label("Sub-area", exact=True).select_option(label=FOOD)
    found.select_option(index=[0, 1])
    page.get_by_role("button", name="Link the chosen entries to this sub-area").click()
    expect(page.get_by_role("status").filter(has_text=f"2 entries linked to {FOOD}")).to_be_visible(
        timeout=REDRAW)
    linked = page.get_by_label("Linked to it", exact=True)
    expect(linked.locator("option")).to_have_count(2)
    linked.select_option(index=1)
    page.get_by_role("button", name="Remove the chosen from this sub-area").click()
    expect(linked.locator("option")).to_have_count(1, timeout=REDRAW)
    expect(page.locator(".nk-linked", has_text="From the chronology (1)")).to_be_visible()
    page.get_by_label("Find entries", exact=True).scroll_into_view_if_needed()
    screenshot(page, "1b-evidence-picker")

    # 2. a grade without written evidence is not saved ---------------------------------------------
    fill_and_leave(page.get_by_label("Assessed by", exact=True), ASSESSOR)
    page.get_by_label(FOOD, exact=True).select_option(label=FOOD_GRADE)
    page.get_by_label(HOME, exact=True).select_option(label=HOME_GRADE)
    fill_and_leave(page.get_by_label(f"Evidence: {HOME}", exact=True), HOME_EVIDENCE)
    expect(page.get_by_label(f"Evidence: {FOOD}", exact=True)).to_have_value("")
    page.get_by_role("button", name="Save the assessment").click()

    expect(field_row(page, f"Evidence: {FOOD}")).to_contain_text(EVIDENCE_NEEDED, timeout=REDRAW)
    expect(field_row(page, f"Evidence: {HOME}")).not_to_contain_text(EVIDENCE_NEEDED)
    not_saved = page.get_by_role("alert").filter(has_text="Not saved")
    expect(not_saved).to_be_visible()
    expect(not_saved).to_contain_text(EVIDENCE_NEEDED)
    assert assessment_count(page) == count_before, "an assessment with a grade lacking evidence was saved"
    assert progress_chart(page).get_attribute("src") == src_before
    field_row(page, f"Evidence: {FOOD}").scroll_into_view_if_needed()
    screenshot(page, "2-evidence-missing")

    # 3. the evidence written, the assessment is saved as a repeat ---------------------------------
    fill_and_leave(page.get_by_label(f"Evidence: {FOOD}", exact=True), FOOD_EVIDENCE)
    expect(field_row(page, f"Evidence: {FOOD}")).not_to_contain_text(EVIDENCE_NEEDED, timeout=REDRAW)
    page.get_by_role("button", name="Save the assessment").click()

    # the twelve sub-areas left ungraded are named, with what stands for each, before anything is saved
    warned = page.get_by_role("alert").filter(has_text="Not saved yet")
    expect(warned).to_contain_text("12 of the 14 sub-areas are not graded in this assessment", timeout=REDRAW)
    expect(warned).to_contain_text("Clothing: 5 since Dec 2022 will stand, shown as not regraded")
    expect(warned).not_to_contain_text(FOOD)
    assert assessment_count(page) == count_before, "saved before the worker confirmed"
    warned.scroll_into_view_if_needed()
    screenshot(page, "2b-ungraded-named")
    page.get_by_role("button", name="Save, leaving them ungraded").click()

    expect(page.get_by_role("status").filter(has_text="Saved as a repeat assessment")).to_have_text(
        f"Saved as a repeat assessment of {CHILD}.", timeout=REDRAW)
    expect(page.get_by_text("Not saved")).to_have_count(0)
    expect(history_table(page).locator("caption")).to_have_text(
        f"{count_before + 1} assessment(s) of {CHILD}", timeout=REDRAW)
    newest = history_table(page).locator("tbody tr").last
    expect(newest).to_contain_text(f"{date.today():%d %b %Y}")
    expect(newest).to_contain_text(f"repeat {count_before}")
    expect(newest).to_contain_text(ASSESSOR)
    expect(progress_chart(page)).not_to_have_attribute("src", src_before, timeout=REDRAW)
    expect(progress_chart(page)).to_have_attribute("alt", re.compile(rf"{count_before + 1} assessments"))
    # the change is shown since the assessment before this one, no longer the one before that
    expect(since_table(page).locator("caption")).not_to_have_text(since_before, timeout=REDRAW)
    rows = since_rows(page)
    food = next((v for k, v in rows.items() if k.lower().startswith("food")), None)
    home = next((v for k, v in rows.items() if k.lower().startswith("home")), None)
    assert food == ["5", "4", "improved"], f"food and drink should read 5, 4, improved: {rows}"
    assert home == ["5", "5", "same"], f"home and sleep should read 5, 5, same: {rows}"
    clothing = next((v for k, v in rows.items() if k.lower().startswith("clothing")), None)
    assert clothing == ["5", "5 since Dec 2022, not regraded", "not regraded"], (
        f"clothing, left ungraded this time, should keep its 5, not regraded: {rows}")
    expect(drift_panel(page)).to_contain_text("Clothing")  # its drift warning stays
    # the form is new and empty again
    expect(page.get_by_label(f"Evidence: {FOOD}", exact=True)).to_have_value("")
    since_table(page).scroll_into_view_if_needed()
    screenshot(page, "3-saved")
    axe_check(page)

    # 4. the printable record lists the entry the food grade rests on --------------------------------
    page.get_by_role("button", name="Prepare the printable record").click()
    printable = page.locator("a[download$='.html']")
    expect(printable).to_have_count(1, timeout=REDRAW)
    html = base64.b64decode((printable.get_attribute("href") or "").split(",", 1)[1]).decode()
    assert "The chronology entries the evidence rests on" in html
    table = html[html.index("The chronology entries the evidence rests on"):]
    assert kept[0] in table and escape(kept[1]) in table, f"the linked entry {kept} is not in the printable"

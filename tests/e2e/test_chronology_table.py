"""The chronology's entries table as the place to work, in the browser: each row's Edit, Withdraw
(asked first) and History, reached by mouse and by keyboard."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e2e_steps import fill_and_leave
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

REDRAW = 20_000
CASE_TITLE = "The Fenwick children"
# fictional and unique to this test: imported first, so withdrawing it changes nothing another test reads
MARKER = "E2E table check: Theo came to breakfast club with a note from his nan"
RETURN = f"Date,Date recorded,Child,Type,What happened\n02/03/2022,02/03/2022,Theo,Attendance,{MARKER}.\n"


def test_rows_can_be_edited_withdrawn_after_asking_and_their_history_read(
        app: Callable[[str], Page], kit_cli: Callable[..., Any], stored_cases: Callable[[], list[dict[str, Any]]],
        screenshot: Callable[[Page, str], Path], axe_check: Callable[[Page], None], tmp_path: Path) -> None:
    returned = tmp_path / "school-table-check.csv"
    returned.write_text(RETURN, encoding="utf-8")
    kit_cli("import", "--case", "fenwick", "--agency", "School", str(returned))
    before = next(c["entries"] for c in stored_cases() if c["id"] == "fenwick")

    page = app("toolkits/chronology.ipynb")
    page.get_by_label("Case", exact=True).select_option(label=CASE_TITLE)
    table = page.locator("table.nk-chronology")
    expect(table.locator("tbody tr").first).to_be_visible(timeout=REDRAW)
    fill_and_leave(page.get_by_label("Containing words", exact=True), "breakfast club with a note")
    row = table.locator("tbody tr", has_text=MARKER)
    expect(row).to_have_count(1, timeout=REDRAW)
    expect(table.locator("thead")).to_contain_text("Recorded by")
    expect(table.locator("thead")).to_contain_text("How known")

    # History: every version, under the table
    row.get_by_role("button", name=re.compile(r"^History: ")).click()
    history = page.locator("table.nk-history")
    expect(history).to_be_visible(timeout=REDRAW)
    expect(history.locator("tbody tr")).to_have_count(1)
    expect(history).to_contain_text("first saved")
    screenshot(page, "1-history")
    axe_check(page)  # the table with its row buttons and the history under it

    # Edit: the entry in the form, and the keyboard taken to the form
    row.get_by_role("button", name=re.compile(r"^Edit: ")).click()
    expect(page.get_by_role("button", name="Save changes")).to_be_visible(timeout=REDRAW)
    expect(page.get_by_label("What happened", exact=True)).to_have_value(re.compile("breakfast club"))
    expect(page.locator(".nk-entry-form input").first).to_be_focused(timeout=REDRAW)
    expect(row).to_have_class(re.compile("nk-row-selected"))
    page.get_by_role("button", name="Clear the form").click()

    # Withdraw: asked first, right under the table; "Keep it" keeps it
    row.get_by_role("button", name=re.compile(r"^Withdraw: ")).click()
    question = page.get_by_text(re.compile(r"^Withdraw the entry of 2 Mar 2022 from School"))
    expect(question).to_be_visible(timeout=REDRAW)
    page.get_by_role("button", name="Keep it").click()
    expect(question).to_have_count(0, timeout=REDRAW)
    expect(row).to_have_count(1)
    row.get_by_role("button", name=re.compile(r"^Withdraw: ")).click()
    page.get_by_role("button", name="Withdraw it").click()
    reason_error = page.get_by_role("alert").filter(has_text="Say why the entry is withdrawn")
    expect(reason_error).to_be_visible(timeout=REDRAW)
    # the error is where the eye is: within a screen of the button that caused it
    gap = (reason_error.bounding_box() or {})["y"] - (page.get_by_role("button", name="Withdraw it")
                                                       .bounding_box() or {})["y"]
    assert 0 < gap < 200, f"the reason's error is {gap} px below its button"
    screenshot(page, "2-withdraw-asked")
    fill_and_leave(page.get_by_label("Why withdraw it", exact=True), "a test entry")
    page.get_by_role("button", name="Withdraw it").click()
    expect(page.get_by_role("status").filter(has_text="Entry withdrawn")).to_be_visible(timeout=REDRAW)
    expect(row).to_have_count(0, timeout=REDRAW)
    assert next(c["entries"] for c in stored_cases() if c["id"] == "fenwick") == before - 1
    screenshot(page, "3-withdrawn")


def test_the_rows_buttons_take_one_tab_stop_and_the_arrow_keys_move_between_rows(
        app: Callable[[str], Page], screenshot: Callable[[Page, str], Path]) -> None:
    page = app("toolkits/chronology.ipynb")
    page.get_by_label("Case", exact=True).select_option(label=CASE_TITLE)
    rows = page.locator("table.nk-chronology tbody tr")
    expect(rows.nth(2)).to_contain_text("Fenwick", timeout=REDRAW)  # the chosen case's rows, not the first case's
    edit = page.locator("table.nk-chronology button[data-action=edit]")
    assert edit.evaluate_all("bs => bs.filter(b => b.tabIndex === 0).length") == 1
    edit.first.focus()
    page.keyboard.press("ArrowDown")
    expect(rows.nth(1).get_by_role("button", name=re.compile(r"^Edit: "))).to_be_focused()
    page.keyboard.press("Tab")  # to the next button of the same row
    expect(rows.nth(1).get_by_role("button", name=re.compile(r"^Withdraw: "))).to_be_focused()
    outline = page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    assert outline >= 2, f"the focus ring is {outline} px"
    screenshot(page, "keyboard-focus")
    # History marks its row, which redraws the table: the keyboard keeps its place
    page.keyboard.press("Tab")
    history = rows.nth(1).get_by_role("button", name=re.compile(r"^History: "))
    expect(history).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("table.nk-history")).to_be_visible(timeout=REDRAW)
    expect(rows.nth(1)).to_have_class(re.compile("nk-row-selected"))
    expect(history).to_be_focused()
    # the pager: the keyboard goes on to the first row it brings in
    shown = rows.count()
    page.get_by_role("button", name=re.compile(r"^Show the next \d+$")).focus()
    page.keyboard.press("Enter")
    expect(rows.nth(shown)).to_be_visible(timeout=REDRAW)
    expect(rows.nth(shown).get_by_role("button", name=re.compile(r"^Edit: "))).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(rows.nth(shown - 1).get_by_role("button", name=re.compile(r"^Edit: "))).to_be_focused()
    screenshot(page, "keyboard-after-the-pager")

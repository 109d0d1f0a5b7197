"""The steps a coder takes in the coding and reconciliation apps, for the browser tests with and without the hub."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from research_fixtures import TEXT

from neglect_kit.research.passages import passages

CODING, RECONCILE = "research/coding.ipynb", "research/reconcile.ipynb"
TOTAL = len(passages(TEXT))


def open_review(page: Page, who: str) -> None:
    """Choose R90 (the coder's own, nothing coded yet) and check the header names `who`."""
    page.get_by_label("Review", exact=True).select_option(
        label=f"R90: The Quill children (assigned to you, 0 of {TOTAL} passages coded)")
    expect(page.get_by_role("heading", name="R90: The Quill children", level=2)).to_be_visible()
    assert who in page.locator(".nk-user").inner_text()


def code(page: Page, passage_id: str, *names: str) -> None:
    """Choose a passage in the list, tick the codes by their names, save."""
    listbox = page.get_by_label("Passage", exact=True)
    listbox.select_option(value=listbox.locator(f'option[value^="{passage_id} ("]').get_attribute("value"))
    expect(page.locator(".nk-chosen")).to_contain_text(f"Chosen: {passage_id}")
    for name in names:
        page.get_by_role("checkbox", name=name, exact=True).check()
    page.get_by_role("button", name="Save the codes").click()
    expect(page.locator(".nk-status").first).to_contain_text(f"for {passage_id}.")


def finish(page: Page) -> None:
    """Finish R90, confirming when asked."""
    page.get_by_role("button", name="Finish this review").click()
    page.get_by_role("button", name="Yes, finish this review").click()
    expect(page.get_by_text("You have finished R90.")).to_be_visible()


def shown_on_screen(page: Page) -> str:
    """The reconciliation app's words as shown (hidden controls' names left out)."""
    return page.locator(".nk-reconcile").inner_text()

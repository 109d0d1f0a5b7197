"""Steps every browser test takes the way a user does."""

from __future__ import annotations

from playwright.sync_api import Locator, Page


def fill_and_leave(field: Locator, value: str) -> None:
    """Type into a text control and move on (Tab), as a user does; the value reaches the kernel."""
    field.fill(value)
    field.press("Tab")


def summary_panel(page: Page) -> Locator:
    """The child summary and its download links: the innermost box holding `.nk-summary`."""
    return page.locator(".widget-vbox", has=page.locator(".nk-summary")).last

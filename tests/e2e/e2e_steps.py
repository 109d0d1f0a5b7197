"""Steps every browser test takes the way a user does."""

from __future__ import annotations

from playwright.sync_api import Locator


def fill_and_leave(field: Locator, value: str) -> None:
    """Type into a text control and move on (Tab), as a user does; the value reaches the kernel."""
    field.fill(value)
    field.press("Tab")

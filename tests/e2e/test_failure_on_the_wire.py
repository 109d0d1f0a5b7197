"""A save the database refuses, in the browser: told in words beside its button, nothing on the wire.

The test moves the session store's SQLite file away (as a clean-up or a restore on the server would)
while "Add entry" is clicked in the chronology app, then puts it back. The save used to go into the
removed file and say "Entry added."; it must fail, say so in words beside the button, keep what was
typed, save nothing, and send no traceback, exception name, SQL or server path to the browser over
the websocket (issue 11: a kernel once sent the whole traceback with the SQL and the entry's text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e2e_steps import fill_and_leave
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

TEXT = "Maisie brought a drawing of her cat to show the class."
WAIT = 45_000  # ms
ON_THE_WIRE = re.compile(r"Traceback|OperationalError|sqlalchemy|INSERT INTO|site-packages|\.py\b")


def test_a_refused_save_is_told_in_words_and_no_traceback_crosses_the_wire(
        page: Page, app: Callable[[str], Page], kit_env: dict[str, str],
        stored_cases: Callable[[], list[dict[str, Any]]], screenshot: Callable[[Page, str], Path]) -> None:
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(
        payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload)))
    page = app("toolkits/chronology.ipynb")
    page.get_by_label("Case", exact=True).select_option(label="The Fenwick children")
    form = page.locator(".widget-vbox", has=page.get_by_label("What happened", exact=True)).last
    expect(form.get_by_label("Maisie Fenwick", exact=True)).to_be_visible(timeout=WAIT)
    fill_and_leave(form.get_by_label("Event date", exact=True), "02/07/2021")
    form.get_by_label("Source agency", exact=True).select_option(label="School")
    form.get_by_label("Maisie Fenwick", exact=True).check()
    form.get_by_label("Category", exact=True).select_option(label="Positive event or strength")
    fill_and_leave(form.get_by_label("What happened", exact=True), TEXT)
    before = sum(c["entries"] for c in stored_cases())
    frames.clear()  # only what the failed save sends

    database = Path(kit_env["NEGLECT_KIT_DB"].removeprefix("sqlite:///"))
    files = [database.with_name(database.name + tail) for tail in ("", "-wal", "-shm")]
    away = [f.with_name(f.name + ".away") for f in files]
    try:
        for f, a in zip(files, away, strict=True):
            if f.exists():
                f.rename(a)
        page.get_by_role("button", name="Add entry").click()
        alert = page.get_by_role("alert").filter(has_text=re.compile(r"Could not save"))
        expect(alert).to_be_visible(timeout=WAIT)
        screenshot(page, "1-refused")
        assert not database.exists()  # no empty database was made in its place
    finally:
        for f, a in zip(files, away, strict=True):
            if a.exists():
                a.rename(f)

    assert "could not be reached" in alert.inner_text() and "Nothing was saved" in alert.inner_text()
    expect(form.get_by_label("What happened", exact=True)).to_have_value(TEXT)  # the typed text is kept
    assert sum(c["entries"] for c in stored_cases()) == before
    leaked = sorted({m.group(0) for f in frames for m in ON_THE_WIRE.finditer(f)})
    assert frames and not leaked, f"sent to the browser: {leaked}"

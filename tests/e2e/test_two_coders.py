"""Two coders code the same review blind in the browser, then reconcile (issue 15, items 3, 4 and 9).

Each coder has their own identity (`NEGLECT_KIT_USER`) and their own Voila server over the same SQLite database,
as two researchers on one person's copy of the corpus would: neither sees the other's coding before both have
finished; then the reconciliation shows their disagreements. axe checks the coding and reconciliation pages.
The same through the hub, two researchers signed in on a team's PostgreSQL: tests/e2e_hub/test_research_hub.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from research_fixtures import two_coder_database

from neglect_kit.research import coding_records
from neglect_kit.store import Store
from tests.e2e.coding_steps import CODING, RECONCILE, code, finish, open_review, shown_on_screen
from tests.e2e.conftest import RESULTS, open_app, served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def coders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """coder_a and coder_b, each with their own Voila over one database holding R90 (both assigned); their URLs."""
    folder = tmp_path_factory.mktemp("two-coders")
    url = two_coder_database(folder)
    urls: dict[str, str] = {}
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "JUPYTERHUB_USER")}
    with served({**env, "NEGLECT_KIT_DB": url, "NEGLECT_KIT_USER": "coder_a",
                 "NEGLECT_KIT_DATA": str(folder / "a")}, RESULTS / "voila-coder_a.log") as a, \
            served({**env, "NEGLECT_KIT_DB": url, "NEGLECT_KIT_USER": "coder_b",
                    "NEGLECT_KIT_DATA": str(folder / "b")}, RESULTS / "voila-coder_b.log") as b:
        urls.update(coder_a=a, coder_b=b, db=url)
        yield urls


def page_for(browser: Browser) -> Page:
    return browser.new_context(viewport={"width": 1280, "height": 2000}).new_page()


def test_two_coders_code_blind_then_the_reconciliation_shows_their_disagreements(
        browser: Browser, coders: dict[str, str], screenshot: Callable[[Page, str], Path],
        axe_check: Callable[[Page], None]) -> None:
    a = open_app(page_for(browser), coders["coder_a"], CODING)
    open_review(a, "coder_a")
    code(a, "P3.S2", "The child not seen or heard")
    code(a, "P4.S2", "Professional optimism")
    expect(a.locator(".nk-review-text")).to_contain_text("[coded: Professional optimism]")
    screenshot(a, "coder-a-coding")
    # the keyboard: from the last code, the next Tab stop is Save, then the definitions
    a.get_by_role("checkbox", name="Lack of supervision", exact=True).focus()
    a.keyboard.press("Tab")
    expect(a.get_by_role("button", name="Save the codes")).to_be_focused()
    definition = a.locator("details.nk-definition summary", has_text=re.compile(r"^Drift and delay$"))
    definition.focus()
    definition.press("Enter")  # the definition, one key (or click) away
    expect(a.locator("details.nk-definition[open]")).to_have_count(1)
    expect(a.locator("details.nk-definition[open]")).to_contain_text("Use when")
    axe_check(a)

    # coder_b, on the same review: nothing of coder_a's coding
    b = open_app(page_for(browser), coders["coder_b"], CODING)
    open_review(b, "coder_b")
    expect(b.locator(".nk-review-text")).not_to_contain_text("[coded:")
    expect(b.locator(".nk-coded")).to_have_count(0)
    code(b, "P3.S2", "The child not seen or heard")
    code(b, "P4.S2", "Professional optimism", "Disguised compliance")
    screenshot(b, "coder-b-coding")

    # the reconciliation before both finish: who has not, and nothing of either coding
    r = open_app(page_for(browser), coders["coder_a"], RECONCILE)
    r.get_by_label("Review", exact=True).select_option(label="R90: The Quill children (waiting for coder_a, coder_b)")
    expect(r.get_by_text("coder_a and coder_b have not finished coding R90.")).to_be_visible()
    expect(r.locator("table.nk-compare")).to_have_count(0)
    shown = shown_on_screen(r)  # the hidden code list's names are not on screen
    assert "Coded by" not in shown and "Disguised compliance" not in shown and "Professional optimism" not in shown
    screenshot(r, "before-both-finish")
    axe_check(r)

    finish(a)
    a.reload()
    a.locator("#loading").wait_for(state="hidden", timeout=90_000)
    expect(a.get_by_text("coder_b")).to_have_count(0)  # still nothing of coder_b's, now that coder_a has finished
    finish(b)

    r = open_app(page_for(browser), coders["coder_a"], RECONCILE)
    r.get_by_label("Review", exact=True).select_option(label="R90: The Quill children (ready to reconcile)")
    table = r.locator("table.nk-compare")
    expect(table.locator("tr.nk-differ")).to_have_count(1)
    expect(table.locator("tr.nk-differ")).to_contain_text("Differ")
    expect(table.locator("tr.nk-differ")).to_contain_text("Professional optimism; Disguised compliance")
    r.get_by_role("radio", name="Disagreements only").or_(r.get_by_role("button", name="Disagreements only")).click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(r.locator(".nk-agreement-warning").first).to_be_visible()
    screenshot(r, "reconcile-disagreements")
    axe_check(r)

    r.get_by_role("button", name="Record the agreed coding").click()
    expect(r.get_by_text("Not recorded: the reason is required.")).to_be_visible()
    r.get_by_role("checkbox", name="Disguised compliance", exact=True).check()
    reason = r.get_by_label("Reason", exact=True)
    reason.fill("The father's account was accepted without checking: both codes apply.")
    reason.press("Tab")
    r.get_by_role("button", name="Record the agreed coding").click()
    expect(r.get_by_text("Recorded the agreed coding of P4.S2")).to_be_visible()
    screenshot(r, "reconciled")
    store = Store.open(coders["db"], user="coder_a")
    [agreed] = coding_records.reconciliations(store, "R90")
    assert agreed.codes == ("disguised-compliance", "optimism")
    assert {c.coder for c in coding_records.codings(store, "R90")} == {"coder_a", "coder_b"}  # both originals kept

"""A new user's returns in other agencies' styles, in the browser.

The first test loads a closed, historic case (tests/cases/thorneycroft: records end in 2012) with
`neglect-kit load`, opens the child summary, reads the note that the newest record is long past,
measures the findings to that record's day with one click, and reads what the records can and
cannot say (no "never", and "these records do not say when Connor was seen alone").

The second loads a one-child case whose returns have no child or category column
(tests/cases/penhallow) and opens the chronology app: the categories the kit read from the words
are shown as such in the table, for a practitioner to check.

Both add a case to the session's store, so neither fixes a count of cases; each case is chosen by
its title. Screenshots go to test-results/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_steps import summary_panel
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CASES = Path(__file__).resolve().parents[1] / "cases"
REDRAW = 30_000  # ms


def test_a_historic_case_is_measured_to_its_last_record_and_says_what_it_cannot_tell(
        app: Callable[[str], Page], kit_cli, screenshot: Callable[[Page, str], Path],
        axe_check: Callable[[Page], None]) -> None:
    done = kit_cli("load", str(CASES / "thorneycroft"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"Saved \d+ entries", done.stdout), done.stdout

    page = app("toolkits/child_summary.ipynb")
    page.get_by_label("Case", exact=True).select_option(label="The Thorneycroft children")
    child = page.get_by_label("Child", exact=True)
    expect(child.locator("option", has_text="Connor")).to_have_count(1, timeout=REDRAW)
    child.select_option(label="Connor Thorneycroft")
    expect(page.get_by_role("heading", name="What is life like for Connor?", level=3)).to_be_visible(timeout=REDRAW)
    note = page.locator(".nk-note")
    expect(note).to_contain_text("The newest record is from", timeout=REDRAW)
    expect(note).to_contain_text("2012")
    screenshot(page, "1-measured-to-today")

    measure = page.get_by_role("button", name=re.compile(r"^Measure to \d+ \w+ 2012$"))
    day = measure.inner_text().removeprefix("Measure to ").strip()
    measure.click()
    expect(note).to_contain_text(f"Findings are measured to {day}", timeout=REDRAW)
    panel = summary_panel(page)
    expect(panel).to_contain_text(f"Summary as at {day}", timeout=REDRAW)
    # in the headline box and in its section: said, never "never"
    expect(panel.get_by_text("these records do not say when Connor was seen alone").first).to_be_visible(
        timeout=REDRAW)
    text = panel.inner_text()
    assert not re.search(r"\bnever\b", text, re.I), "a finding says 'never' where the records cannot tell"
    assert not re.search(r"open (for )?\d+ years", text), "an ended plan is reported as open for years"
    screenshot(page, "2-measured-to-the-last-record")
    axe_check(page)


def test_categories_read_from_the_words_are_shown_as_such(
        app: Callable[[str], Page], kit_cli, screenshot: Callable[[Page, str], Path],
        axe_check: Callable[[Page], None]) -> None:
    done = kit_cli("load", str(CASES / "penhallow"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "categories read from words" in done.stdout, done.stdout

    page = app("toolkits/chronology.ipynb")
    page.get_by_label("Case", exact=True).select_option(label="Skye Penhallow")
    table = page.locator("table.nk-chronology")
    expect(table).to_contain_text("(read from words)", timeout=REDRAW)
    expect(table).to_contain_text("Skye")
    screenshot(page, "1-penhallow")
    axe_check(page)

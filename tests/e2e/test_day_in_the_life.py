"""The day-in-the-life app (notebooks/toolkits/day_in_the_life.ipynb) as a social worker uses it in the browser.

One test walks the page on the main sample case (the Fenwick children): open it from the start page,
choose Maisie, see when she was last seen, seen alone and heard (the sample records end years ago,
so each is warned about), record what she said when seen alone today (the "Last seen alone" date
becomes today's), then write her breakfast and her school day in the parent's and her own words
("She goes to school" against "I went 3 of 5 days"), see the kit's reading of each pair beside the
choice as a suggestion in plain words, try to save without judging and meet the marks, judge each
pair, save the day and see the strip, the side-by-side table and the printable page's link. Each
step leaves a screenshot in test-results/screenshots/.

The session's store is shared with the other browser tests; none of them records the child's voice
or a day, so the first warnings come from the sample records alone, and the day shown at first is
the sample case's own (sample_cases/fenwick/days.toml), recorded years ago.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from e2e_steps import fill_and_leave
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

CASE_TITLE, CHILD = "The Fenwick children", "Maisie Fenwick"
REDRAW = 20_000  # ms: a redraw takes about a second; a busy machine may take many more
CHILD_SAID = "E2E check: Maisie said she was hungry and that there was nothing for tea."
PARENT = "Cereal every morning."
CHILD_ACCOUNT = "There was no milk so I had nothing."
EFFECT = "hungry at school"
SCHOOL_PARENT = "She goes to school."
SCHOOL_CHILD = "I went 3 of 5 days this week."


def judgement(page: Page, time_of_day: str) -> Locator:
    """The worker's They agree / They differ / Unclear for one time of day."""
    return page.locator(".widget-radio", has=page.get_by_text(f"{time_of_day}: the two accounts", exact=True))
SAVED = "Saved."
# the brief named "Download a printable page of this day"; the app now says "Download the printable page"
DOWNLOAD = re.compile(r"^Download (a|the) printable page")


def contact_line(page: Page, what: str) -> Locator:
    """One line of the seen / seen alone / heard list, e.g. "Last seen alone: 21 Jul 2022"."""
    return page.locator("li").filter(has_text=re.compile(rf"^\s*{re.escape(what)}:"))


def test_day_in_the_life_voice_and_day(
        app: Callable[[str], Page], sample_case_ids: list[str], screenshot: Callable[[Page, str], Path],
        axe_check: Callable[[Page], None]) -> None:
    assert "fenwick" in sample_case_ids

    # 1. from the start page to the app -----------------------------------------------------------
    page = app("index.ipynb")
    page.get_by_role("link", name="A day in the child's life", exact=True).click()
    page.wait_for_url(re.compile(r"/voila/render/toolkits/day_in_the_life\.ipynb$"), timeout=REDRAW)
    page.locator("#loading").wait_for(state="hidden", timeout=90_000)
    save_day = page.get_by_role("button", name="Save the day")
    expect(save_day).to_be_visible(timeout=REDRAW)

    # 2. the child, and when she was last seen, seen alone and heard ------------------------------------
    page.get_by_label("Case", exact=True).select_option(label=CASE_TITLE)
    child = page.get_by_label("Child", exact=True)
    expect(child.locator("option", has_text="Theo")).to_have_count(1, timeout=REDRAW)
    child.select_option(label=CHILD)
    expect(page.get_by_role("heading", name="Seen, seen alone, heard", exact=True)).to_be_visible()
    for what in ("Last seen", "Last seen alone", "Last heard"):
        expect(contact_line(page, what)).to_have_count(1, timeout=REDRAW)
    warnings = page.get_by_role("alert")
    expect(warnings).to_have_count(1, timeout=REDRAW)
    expect(warnings).to_contain_text(CHILD)
    warned = warnings.locator("li").all_inner_texts()
    assert warned and all(CHILD in w for w in warned), warned
    assert any("seen alone" in w for w in warned), f"no warning about being seen alone: {warned}"
    seen_alone_before = contact_line(page, "Last seen alone").inner_text()
    screenshot(page, "1-contact")

    # 3. the child's voice, seen alone today ----------------------------------------------------------
    today = date.today().strftime("%d %b %Y")
    assert today not in seen_alone_before, f"seen alone today before any record today: {seen_alone_before!r}"
    fill_and_leave(page.get_by_label("What the child said or showed", exact=True), CHILD_SAID)
    seen = page.get_by_role("checkbox", name="The child was seen", exact=True)
    expect(seen).to_be_checked()
    alone = page.get_by_role("checkbox", name="Seen alone", exact=True)
    alone.check()
    expect(alone).to_be_checked()
    page.get_by_role("button", name="Save what the child said", exact=True).click()
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_have_count(1, timeout=REDRAW)
    expect(contact_line(page, "Last seen alone")).to_have_text(f"Last seen alone: {today}", timeout=REDRAW)
    expect(contact_line(page, "Last seen")).to_have_text(f"Last seen: {today}")
    expect(contact_line(page, "Last heard")).to_have_text(f"Last heard: {today}")
    expect(page.get_by_role("alert")).to_have_count(0)  # seen, seen alone and heard today: nothing to warn of
    expect(page.get_by_label("What the child said or showed", exact=True)).to_have_value("")
    screenshot(page, "2-voice-saved")

    # 4. a day: breakfast in the parent's and the child's words, and its effect ---------------------------
    strip = page.locator("img.nk-day")
    expect(strip).to_have_count(1, timeout=REDRAW)  # the sample case's last recorded day
    alt_before = strip.get_attribute("alt") or ""
    recorded = f"recorded {date.today().day} {date.today():%b %Y}"
    assert recorded not in alt_before, f"a day recorded today before any was saved: {alt_before!r}"
    fill_and_leave(page.get_by_label("Breakfast: parent", exact=True), PARENT)
    fill_and_leave(page.get_by_label("Breakfast: child", exact=True), CHILD_ACCOUNT)
    fill_and_leave(page.get_by_label("Breakfast: effect", exact=True), EFFECT)
    fill_and_leave(page.get_by_label("At school: parent", exact=True), SCHOOL_PARENT)
    fill_and_leave(page.get_by_label("At school: child", exact=True), SCHOOL_CHILD)
    # the kit's reading beside each pair, a suggestion in plain words; never "agree" for these
    school = page.locator(".nk-suggestion", has_text="the parent says “goes to school”")
    expect(school).to_have_text("The kit's suggestion, for you to weigh: They may differ on how often: the parent "
                                "says “goes to school”, the child’s side “3 of 5”.", timeout=REDRAW)
    expect(page.locator(".nk-suggestion", has_text="They may differ on food")).to_be_visible()
    for when in ("Breakfast", "At school"):
        expect(judgement(page, when).get_by_role("radio")).to_have_count(3)
        expect(judgement(page, when).get_by_role("radio", checked=True)).to_have_count(0)
    save_day.click()
    not_judged = page.get_by_role("alert").filter(has_text="judge the two accounts at breakfast, at school")
    expect(not_judged).to_be_visible(timeout=REDRAW)
    expect(page.locator(".nk-field-error", has_text="Not judged yet")).to_have_count(2)
    school.scroll_into_view_if_needed()
    screenshot(page, "3a-not-judged")
    judgement(page, "Breakfast").get_by_role("radio", name="They differ", exact=True).click()
    judgement(page, "At school").get_by_role("radio", name="They differ", exact=True).click()
    expect(judgement(page, "At school").get_by_role("radio", name="They differ", exact=True)).to_be_checked(
        timeout=REDRAW)
    save_day.click()
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_have_count(2, timeout=REDRAW)  # voice and day
    expect(strip).to_have_attribute("alt", re.compile(re.escape(recorded)), timeout=REDRAW)
    expect(strip).to_be_visible()
    alt = strip.get_attribute("alt") or ""
    assert alt.strip(), "the day's strip has no alt text"
    assert EFFECT in alt and CHILD in alt, f"the alt text does not give the effect on {CHILD}: {alt!r}"
    assert page.evaluate("el => el.complete && el.naturalWidth > 0", strip.element_handle()), \
        "the strip image did not load"

    table = page.locator("table.nk-day")
    expect(table).to_have_count(1)
    expect(table.locator("caption")).to_contain_text(recorded)
    expect(table.get_by_role("columnheader", name="The parent's account", exact=True)).to_have_count(1)
    expect(table.get_by_role("columnheader", name="The child's account", exact=True)).to_have_count(1)
    breakfast = table.locator("tbody tr").filter(has=page.get_by_role("rowheader", name="Breakfast", exact=True))
    expect(breakfast).to_have_count(1)
    expect(breakfast.locator("td").nth(0)).to_have_text(PARENT)
    expect(breakfast.locator("td").nth(1)).to_have_text(CHILD_ACCOUNT)
    expect(breakfast.locator("td.nk-effect")).to_have_text(EFFECT)
    expect(breakfast.locator("td.nk-marker")).to_contain_text("Differ")
    expect(breakfast.locator("td.nk-marker")).to_contain_text("The kit's suggestion: They may differ on food")
    expect(table.locator("tbody tr.nk-none").first).to_contain_text("Not recorded")

    link = page.get_by_role("link", name=DOWNLOAD)
    expect(link).to_have_count(1)
    expect(link).to_be_visible()
    assert (link.get_attribute("href") or "").startswith("data:text/html;base64,"), link.get_attribute("href")
    assert (link.get_attribute("download") or "").endswith(".html"), link.get_attribute("download")
    expect(page.get_by_label("Breakfast: parent", exact=True)).to_have_value("")  # a fresh form for the next day
    screenshot(page, "3-day-saved")
    axe_check(page)

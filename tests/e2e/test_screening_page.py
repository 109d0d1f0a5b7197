"""The screening app (notebooks/toolkits/screening.ipynb) as any professional uses it in the browser.

One test walks the page as a teacher would, on the main sample case (the Fenwick children):
open it from the start page, choose Maisie (on a child protection plan, her social worker named
at the case's supervision) and the school, ask for guidance with two questions left unanswered
and see each marked beside it in its own words, answer every question (yes to the two questions
about food, no to the rest), write the child's day, see the guidance with its reasons (no food
at all is an immediate risk; as she is already on a plan, tell her social worker, named, today,
never "refer"), and save it into the case's chronology. Each step leaves a screenshot in
test-results/screenshots/.

The session's store is shared with the other browser tests, so the chronology count is compared
with what the store held before the save, never with a fixed number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e2e_steps import fill_and_leave
from playwright.sync_api import Locator, Page, expect

from neglect_kit.assessment.screening import QUESTIONS

pytestmark = pytest.mark.browser

CASE_ID, CASE_TITLE, CHILD = "fenwick", "The Fenwick children", "Maisie Fenwick"
REDRAW = 20_000  # ms: a redraw takes about a second; a busy machine may take many more
AGENCY = "School"
SCREENER = "Class teacher, E2E check (fictional)"
YES = {"food_none", "food_hungry"}  # no food at all is an immediate risk: the guidance is to refer
DAY = ("E2E check: Maisie arrived at 9:20 with no coat, ate two breakfasts at breakfast club and asked "
       "whether there would be lunch. She fell asleep in the afternoon.")
CHILD_SAID = "There wasn't any tea last night, Mummy was asleep."
REFER = "Refer this child"
TELL = ("Tell Jo Kemp, the child's social worker, today: this child is on a child protection plan (neglect) "
        "since 14 Dec 2022")
SAVED = "Saved, and added to the chronology."


def question(page: Page, text: str) -> Locator:
    """One question's Yes / No / Not known buttons; the question is their description."""
    return page.locator(".widget-radio", has=page.get_by_text(text, exact=True))


def guidance_box(page: Page) -> Locator:
    return page.get_by_role("status").filter(has=page.get_by_role("heading", name="Why", exact=True))


def store_entries(stored_cases: Callable[[], list[dict[str, Any]]]) -> int:
    return next(c["entries"] for c in stored_cases() if c["id"] == CASE_ID)


def test_screening_refer_with_reasons_and_save_to_chronology(
        app: Callable[[str], Page], stored_cases: Callable[[], list[dict[str, Any]]],
        sample_case_ids: list[str], screenshot: Callable[[Page, str], Path],
        axe_check: Callable[[Page], None]) -> None:
    assert CASE_ID in sample_case_ids
    by_code = {q.code: q for q in QUESTIONS}
    assert not YES - set(by_code), f"the screening has no question {YES - set(by_code)}"
    assert by_code["food_none"].immediate, "no food at all should be an immediate risk"

    # 1. from the start page to the app -----------------------------------------------------------
    page = app("index.ipynb")
    page.get_by_role("link", name="Neglect screening", exact=True).click()
    page.wait_for_url(re.compile(r"/voila/render/toolkits/screening\.ipynb$"), timeout=REDRAW)
    page.locator("#loading").wait_for(state="hidden", timeout=90_000)
    guide = page.get_by_role("button", name="See the guidance")
    save = page.get_by_role("button", name="Save to the chronology")
    expect(guide).to_be_visible(timeout=REDRAW)
    expect(save).to_be_disabled()
    expect(page.get_by_role("alert")).to_have_count(0)

    # 2. who, where and when ------------------------------------------------------------------------
    page.get_by_label("Case", exact=True).select_option(label=CASE_TITLE)
    child = page.get_by_label("Child", exact=True)
    expect(child.locator("option", has_text="Theo")).to_have_count(1, timeout=REDRAW)
    child.select_option(label=CHILD)
    page.get_by_label("Your agency", exact=True).select_option(label=AGENCY)
    fill_and_leave(page.get_by_label("Your name or role", exact=True), SCREENER)
    known = page.locator(".nk-known")
    expect(known).to_contain_text(f"{CHILD} is on a child protection plan (neglect) since 14 Dec 2022",
                                  timeout=REDRAW)
    expect(known).to_contain_text("Social worker: Jo Kemp (named at the supervision of 24 May 2023)")

    # 2b. two questions left unanswered: each marked where it is asked, in its words, never a code ----------
    for q in QUESTIONS[1:-1]:
        question(page, q.text).get_by_role("radio", name="No", exact=True).click()
    expect(question(page, QUESTIONS[-2].text).get_by_role("radio", name="No", exact=True)).to_be_checked(
        timeout=REDRAW)
    guide.click()
    not_yet = page.get_by_role("alert").filter(has_text="2 questions are not answered yet")
    expect(not_yet).to_be_visible(timeout=REDRAW)
    for q in (QUESTIONS[0], QUESTIONS[-1]):
        expect(not_yet).to_contain_text(q.text)
        beside = page.locator(".widget-vbox", has=question(page, q.text)).last
        expect(beside.locator(".nk-field-error")).to_have_text(re.compile("^Not answered yet"))
    text = not_yet.inner_text()
    assert not [q.code for q in QUESTIONS if q.code in text], f"an internal code in the message: {text!r}"
    expect(page.locator(".nk-field-error", has_text="Not answered yet")).to_have_count(2)
    question(page, QUESTIONS[0].text).scroll_into_view_if_needed()
    screenshot(page, "0-unanswered-marked")

    # 3. every question answered: yes to the two about food, no to the rest ---------------------------
    for q in QUESTIONS:
        buttons = question(page, q.text)
        expect(buttons).to_have_count(1)
        answer = buttons.get_by_role("radio", name="Yes" if q.code in YES else "No", exact=True)
        answer.click()
        expect(answer).to_be_checked(timeout=REDRAW)
    fill_and_leave(page.get_by_label("The child's day", exact=True), DAY)
    fill_and_leave(page.get_by_label("What the child said", exact=True), CHILD_SAID)

    # 4. the guidance, with its reasons --------------------------------------------------------------
    entries_before = store_entries(stored_cases)
    guide.click()
    box = guidance_box(page)
    expect(box).to_be_visible(timeout=REDRAW)
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(box.get_by_role("heading", level=2)).to_contain_text(TELL)
    expect(box).not_to_contain_text(REFER)
    expect(page.locator(".nk-field-error", has_text="Not answered yet")).to_have_count(0)
    expect(box.get_by_role("heading", name="What to do next", exact=True)).to_be_visible()
    reasons = box.locator("h3:text-is('Why') + ul > li")
    expect(reasons.first).to_be_visible()
    why = reasons.all_inner_texts()
    assert any("immediate risk" in r and by_code["food_none"].text in r for r in why), why
    assert any(by_code["food_hungry"].text in r for r in why), why
    no_answers = [q.text for q in QUESTIONS if q.code not in YES]
    assert not [t for t in no_answers if any(t in r for r in why)], f"a 'no' answer is given as a reason: {why}"
    expect(save).to_be_enabled()
    screenshot(page, "1-guidance")

    # 5. saved into the chronology -------------------------------------------------------------------
    save.click()
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_be_visible(timeout=REDRAW)
    expect(save).to_be_disabled()
    expect(box.get_by_role("heading", level=2)).to_contain_text(TELL)
    assert store_entries(stored_cases) == entries_before + 1, "the screening was not added to the chronology"
    axe_check(page)
    screenshot(page, "2-saved")

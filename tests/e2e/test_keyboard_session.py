"""A supervision session written, saved and signed with the keyboard alone (issue 13, item 14): every
field reached with Tab, every choice made by typing, every button pressed with Enter.

Typed at machine speed, a name typed and signed at once reached the kernel as its first letter (ipywidgets
sends one value at a time, the latest once the kernel has answered; a click is not held back behind it): the
kit refused the signature ("only the supervisor named in the record may sign"), so nothing wrong was saved.
The test pauses after typing, as a person does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

REDRAW = 20_000
CASE_DRAWN = 60_000
WORKER = "Ade Kinsella"  # fictional
STAGES = {
    "Experience": "Keyboard session: Riley said he has no coat for school and walks there in the rain.",
    "Reflection": "The worker felt reassured by the parents' warmth at the visit, and said so plainly.",
    "Analysis": "Keyboard session: the grades for clothing and warmth have not moved in four assessments.",
    "Action plan": "Keyboard session: a winter coat and shoes for each child, checked at the next visit.",
}
# the focused element's name: its <label for>, the label around it, else its own text
FOCUSED = """() => { const e = document.activeElement;
  const label = e.id ? document.querySelector(`label[for="${e.id}"]`) : e.closest('label');
  return ((label && label.innerText) || e.innerText || e.value || '').trim(); }"""


def test_a_session_written_saved_and_signed_with_the_keyboard_alone(
        app: Callable[[str], Page], screenshot: Callable[[Page, str], Path]) -> None:
    # the Dunmore case: the browser tests share one store, and the others read the Fenwick case's sessions
    page = app("supervision/reflective_session.ipynb?case=dunmore")
    expect(page.locator(".nk-evidence-summary", has_text="Riley Dunmore")).to_be_visible(timeout=CASE_DRAWN)
    keys = page.keyboard
    today = date.today()

    def tab_to(name: str | re.Pattern[str], most: int = 120) -> None:
        for _ in range(most):
            keys.press("Tab")
            now = page.evaluate(FOCUSED)
            if (name.search(now) if isinstance(name, re.Pattern) else now == name):
                return
        raise AssertionError(f"Tab never reached {name!r}; the focus is on {page.evaluate(FOCUSED)!r}")

    def type_into(name: str | re.Pattern[str], words: str) -> None:
        tab_to(name)
        keys.type(words)
        # a person pauses before the next key; ipywidgets sends a text box's value a keystroke behind while
        # the kernel is busy, and a button pressed at once can reach the kernel first (see the note below)
        page.wait_for_timeout(1000)

    type_into("Worker", WORKER)
    reviewed = page.get_by_label(re.compile(r"^Outcome of action \d+$")).count()
    for n in range(1, reviewed + 1):
        type_into(f"Outcome of action {n}", "Carried")  # a focused list chooses by the letters typed
        type_into(f"Note on action {n}", "Keyboard session: not done yet; the family asked for more time.")
        type_into(f"New due date of action {n}", f"{today + timedelta(days=21):%d/%m/%Y}")
    for stage, words in STAGES.items():
        type_into(stage, words)
    type_into("Decision 1", "Keyboard session: ask the school to lend a coat while one is bought")
    type_into("Reason for decision 1", "Riley walks to school in the rain without a coat; it cannot wait.")
    type_into("Next session", f"{today + timedelta(days=28):%d/%m/%Y}")
    tab_to("Check for challenges")
    keys.press("Enter")
    answers = page.get_by_label(re.compile(r"^Answer to: "))
    expect(answers.first).to_be_visible(timeout=REDRAW)
    for n in range(answers.count()):
        type_into(re.compile(r"^Answer to: "), f"Keyboard answer {n + 1}: talked through with the evidence on screen.")
    tab_to("Save the record")
    keys.press("Enter")
    expect(page.get_by_role("status").filter(has_text=re.compile(r"Saved at \d\d:\d\d"))).to_be_visible(
        timeout=REDRAW)
    supervisor = page.get_by_label("Supervisor", exact=True).input_value().strip()
    type_into("Your name, to sign", supervisor)
    tab_to("Sign as supervisor")
    keys.press("Enter")
    expect(page.get_by_role("status").filter(has_text=f"Signed by {supervisor} as supervisor")).to_be_visible(
        timeout=REDRAW)
    tab_to("Your name, to sign")
    keys.press("Control+a")
    keys.type(WORKER)
    page.wait_for_timeout(1000)
    tab_to("Sign as worker")
    keys.press("Enter")
    expect(page.get_by_text(f"Signed by {WORKER} as worker").first).to_be_visible(timeout=REDRAW)
    screenshot(page, "signed-by-keyboard")

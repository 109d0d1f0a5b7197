"""Reflective supervision and its actions and escalations (notebooks/supervision/), as used in the browser.

1. A whole session on the main sample case (the Fenwick children): from the start page to the
   reflective supervision app, the case's evidence as a short summary with the session form on the
   first screen (1280 x 800), then its sections opened on demand (timeline, findings, open actions);
   a new session reviews last time's actions (carried over, each with a note and a new due date), writes each stage
   of the reflective cycle (the reflection speaks of the parents' love), covers the 4x4x4 model,
   records a decision with its reason, escalation considered and the reason it was not raised, the
   next date and a wellbeing note; the challenges the
   evidence raises are checked and answered (the rule of optimism quotes the love); "monitor" is
   refused as an action and a real one is added; the record is saved, signed by the supervisor
   (the server's user, shown in the "Supervisor" field) and the worker, and locked; a stage is
   amended; the printable record is downloaded as a page and a PDF, which hold every stage, the
   decision, the action, both names and the amendment, and never the wellbeing note; the carried
   action shows its new date with the date it was first due.
2. A stale edit: two browsers on one saved draft; the second to save is told who saved first and
   shown their analysis, keeps its own words, and saves again.
3. Actions and escalation: the open actions and escalations across cases; a disagreement raised
   on the Fenwick case at stage 1, then escalated to stage 2 (team managers); its stage history
   opened, with the day it was raised and the day it reached stage 2.
4. Escalation from a session: "escalation was considered" ticked and "raise a disagreement now"
   chosen opens the raise form pre-filled for the case; the disagreement raised is listed with the
   session; "too vague" names the case's own child.

Each step leaves a screenshot in test-results/screenshots/. The store is shared with the other
browser tests, so nothing here depends on counts they could change: every text written is
unique to this file (the "E2E" in it).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from e2e_steps import fill_and_leave
from playwright.sync_api import BrowserContext, Download, Locator, Page, expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser

CASE_TITLE = "The Fenwick children"
SAMPLE_SUPERVISION = Path(__file__).resolve().parents[2] / "sample_cases" / "fenwick" / "supervision.toml"
REDRAW = 20_000  # ms: a redraw takes about a second; a busy machine may take many more
CASE_DRAWN = 60_000  # ms: drawing a case's evidence takes seconds; seen over 20 on a busy machine
FIRST_PAGE = 90_000  # ms: each page visit starts its own kernel
SESSION_NB = "supervision/reflective_session.ipynb"
ACTIONS_NB = "supervision/actions_and_escalation.ipynb"

WORKER = "Sam Okafor"  # fictional
STAGES = {
    "Experience": "E2E experience: Maisie told her teacher she sleeps in her coat because the house is cold.",
    "Reflection": "Donna and Craig clearly love the children and have been engaging well; Donna attended a "
                  "parenting course.",
    "Analysis": "E2E analysis: the grades for food and warmth have not moved in four assessments.",
    "Action plan": "E2E action plan: a warm bed for each child before winter, checked at an unannounced visit.",
}
REVIEW_NOTE = "E2E review: not done, the family missed two appointments; rebooked with the worker there."
DECISION = "E2E decision: ask for a review of the plan to name parental alcohol use"
DECISION_REASON = "Drinking runs through the records of nine agencies and no plan addresses it."
ESCALATION_NOTE = "E2E escalation: weighed taking the drift to the service lead; first the plan review."
FIRST_SCREEN = {"width": 1280, "height": 800}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
WELLBEING = "WELLBEING-E2E-7f3c: Sam is carrying 24 cases and sleeping badly."
VAGUE_ACTION = "monitor"
ACTION = "E2E action: buy and fit a bed and warm bedding for each child"
ACTION_WHO = "Social worker"
ACTION_CHANGE = "Maisie and Theo sleep warm at night, in pyjamas rather than coats"
AMENDED = "E2E amended analysis: the grades for food and warmth have not moved in five assessments."
AMEND_REASON = "E2E amendment: the count of assessments was wrong"

CONFLICT_WORKER = "Priya Lennox"  # fictional; names the draft in the "Session" dropdown
CONFLICT_EXPERIENCE = "E2E conflict draft: Theo came to school with toothache twice this week."
ANALYSIS_A = "E2E analysis saved first, in the first browser: Theo's teeth are still untreated."
ANALYSIS_B = "E2E analysis typed at the same time, in the second browser: the plan is drifting."

ABOUT = ("E2E disagreement: the health visitor thinks Maisie's weight loss needs a paediatric referral now, "
         "not after the next review.")
SAFE = "E2E: Maisie weighed weekly at the clinic; school lunch and breakfast club every day."
STEP_NOTE = "E2E: the health visitor and the social worker met and did not agree; managers to decide."
SESSION_ABOUT = "E2E from a session: the paediatrician will not see Theo until January; his weight cannot wait."


def set_date(field: Locator, day: date) -> None:
    """A date field (the browser's own date input) set to `day`."""
    fill_and_leave(field, day.isoformat())


def open_from_start(page: Page, link: str, notebook: str) -> None:
    """Follow `link` on the start page to `notebook`'s app and wait for its kernel."""
    page.get_by_role("link", name=link, exact=True).click()
    page.wait_for_url(re.compile(rf"/voila/render/{re.escape(notebook)}$"), timeout=REDRAW)
    page.locator("#loading").wait_for(state="hidden", timeout=FIRST_PAGE)


def open_direct(page: Page, base: str, notebook: str) -> Page:
    """Open a notebook's app straight from its address, every non-local request refused (as conftest does)."""
    page.route(lambda url: not url.startswith(base), lambda route: route.abort())
    page.goto(f"{base}/voila/render/{notebook}", timeout=FIRST_PAGE)
    page.locator("#loading").wait_for(state="hidden", timeout=FIRST_PAGE)
    return page


def choose_case(page: Page) -> None:
    """The Fenwick children in the "Case" dropdown, and the summary of their evidence on screen."""
    expect(page.get_by_role("button", name="Save the record")).to_be_visible(timeout=REDRAW)
    page.get_by_label("Case", exact=True).select_option(label=CASE_TITLE)
    expect(page.locator(".nk-evidence-summary", has_text="Maisie Fenwick")).to_be_visible(timeout=CASE_DRAWN)


def first_screen(page: Page, name: str) -> Path:
    """A screenshot of what a 1280 x 800 screen shows (not grown to the whole app)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def status(page: Page, text: str | re.Pattern[str]) -> Locator:
    return page.get_by_role("status").filter(has_text=text)


def alert(page: Page, text: str | re.Pattern[str]) -> Locator:
    return page.get_by_role("alert").filter(has_text=text)


def downloaded(page: Page, link: str) -> bytes:
    """Click the download link and give the file the browser saved."""
    with page.expect_download(timeout=REDRAW) as info:
        page.get_by_role("link", name=link, exact=True).click()
    download: Download = info.value
    return Path(download.path()).read_bytes()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())


def test_a_whole_session_signed_amended_and_printed(
        app: Callable[[str], Page], sample_case_ids: list[str], screenshot: Callable[[Page, str], Path],
        axe_check: Callable[[Page], None]) -> None:
    assert "fenwick" in sample_case_ids
    today = date.today()

    # 1. from the start page to the case on screen: a summary, and the session form on the first screen --
    page = app("index.ipynb")
    open_from_start(page, "Reflective supervision", SESSION_NB)
    choose_case(page)
    expect(page.get_by_role("heading", name="The case on screen", exact=True)).to_be_visible()
    summary = page.locator(".nk-evidence-summary")
    expect(summary).to_contain_text("Most serious in the records")
    expect(summary).to_contain_text("Risks in the records but not in any plan")
    expect(summary).to_contain_text("Open actions")
    expect(summary).to_contain_text("Last neglect assessment")
    expect(page.locator("img.nk-timeline")).to_have_count(0)  # drawn only when asked for
    size = page.viewport_size
    page.set_viewport_size(FIRST_SCREEN)
    try:
        first_screen(page, "test_a_whole_session_signed_amended_and_printed-0-first-screen")
        session_box = page.get_by_label("Session", exact=True).bounding_box()
        assert session_box and session_box["y"] + session_box["height"] <= FIRST_SCREEN["height"], \
            f"the session picker is below the first screen: {session_box}"
    finally:
        if size:
            page.set_viewport_size(size)
    page.get_by_role("button", name="Show the timeline", exact=True).click()
    timeline = page.locator("img.nk-timeline")
    expect(timeline).to_have_count(1, timeout=REDRAW)
    assert (timeline.get_attribute("alt") or "").strip(), "the timeline has no alt text"
    assert page.evaluate("el => el.complete && el.naturalWidth > 0", timeline.element_handle()), \
        "the timeline image did not load"
    page.get_by_role("button", name="Show every finding", exact=True).click()
    risks = page.locator("details", has=page.locator("summary", has_text="Risks in the records but not in any plan"))
    expect(risks.first).to_be_visible(timeout=REDRAW)
    page.get_by_role("button", name="Show the open actions", exact=True).click()
    open_actions = page.locator("table.nk-table", has=page.locator("caption", has_text="open actions, overdue first"))
    if SAMPLE_SUPERVISION.exists():
        expect(open_actions).to_have_count(1, timeout=REDRAW)
        expect(open_actions.locator("tbody tr").first).to_be_visible()
        expect(open_actions).to_contain_text("30 Jun 2023 (first due 28 Feb 2023)")
    else:
        expect(open_actions.or_(page.get_by_text("No open actions.", exact=True))).to_have_count(1)
    screenshot(page, "1-case-on-screen")

    # 2. a new session: last time's actions, the stages, the model, a decision, the challenges -----
    session_picker = page.get_by_label("Session", exact=True)
    expect(session_picker.locator("option").first).to_have_text("A new session")
    expect(page.get_by_label("Experience", exact=True)).to_have_value("")
    supervisor = page.get_by_label("Supervisor", exact=True).input_value().strip()
    assert supervisor and supervisor != WORKER, f"the Supervisor field should hold the server's user: {supervisor!r}"
    fill_and_leave(page.get_by_label("Worker", exact=True), WORKER)

    outcomes = page.get_by_label(re.compile(r"^Outcome of action \d+$"))
    reviewed = outcomes.count()
    if SAMPLE_SUPERVISION.exists():
        assert reviewed >= 1, "the sample case's open actions should be listed for review"
    for n in range(1, reviewed + 1):
        new_date = page.get_by_label(f"New due date of action {n}", exact=True)
        expect(new_date).to_be_hidden()  # asked for only when the action is carried over
        page.get_by_label(f"Outcome of action {n}", exact=True).select_option(label="Carried over")
        fill_and_leave(page.get_by_label(f"Note on action {n}", exact=True), REVIEW_NOTE)
        expect(new_date).to_be_visible(timeout=REDRAW)
        set_date(new_date, today + timedelta(days=21))
    if reviewed:
        page.get_by_label("Outcome of action 1", exact=True).scroll_into_view_if_needed()
        screenshot(page, "1b-carried-over-with-a-new-date")

    for label, words in STAGES.items():
        fill_and_leave(page.get_by_label(label, exact=True), words)
    for box in ("Management", "Support", "Development", "Mediation", "The child and family", "The worker",
                "The organisation", "Partner agencies"):
        page.get_by_role("checkbox", name=box, exact=True).check()
    fill_and_leave(page.get_by_label("Decision 1", exact=True), DECISION)
    fill_and_leave(page.get_by_label("Reason for decision 1", exact=True), DECISION_REASON)
    page.get_by_role("checkbox", name="Escalation was considered", exact=True).check()
    page.get_by_role("radio", name="Do not escalate now: say why", exact=True).check()
    fill_and_leave(page.get_by_label("Why it was not escalated (required)", exact=True), ESCALATION_NOTE)
    set_date(page.get_by_label("Next session", exact=True), today + timedelta(days=28))
    wellbeing = page.get_by_label("The worker's wellbeing (restricted)", exact=True)
    expect(wellbeing).to_be_visible()
    fill_and_leave(wellbeing, WELLBEING)

    page.get_by_role("button", name="Check for challenges", exact=True).click()
    optimism = page.get_by_label("Answer to: The rule of optimism", exact=True)
    expect(optimism).to_be_visible(timeout=REDRAW)
    optimism_box = page.locator(".nk-challenge", has=page.get_by_role("heading", name="The rule of optimism"))
    expect(optimism_box).to_contain_text("love")
    answers = page.get_by_label(re.compile(r"^Answer to: "))
    raised = answers.count()
    for n in range(raised):
        fill_and_leave(answers.nth(n), f"E2E answer {n + 1}: discussed in the session, with the evidence read aloud.")
    optimism.scroll_into_view_if_needed()
    screenshot(page, "2-challenges-answered")

    # 3. an action: "monitor" is refused beside the form, a real one is listed ----------------------
    fill_and_leave(page.get_by_label("Action", exact=True), VAGUE_ACTION)
    fill_and_leave(page.get_by_label("Who (role or agency)", exact=True), ACTION_WHO)
    set_date(page.get_by_label("By when", exact=True), today + timedelta(days=14))
    fill_and_leave(page.get_by_label("Change it should bring for the child", exact=True), ACTION_CHANGE)
    add = page.get_by_role("button", name="Add this action", exact=True)
    add.click()
    refused = alert(page, "too vague")
    expect(refused).to_be_visible(timeout=REDRAW)
    expect(refused).to_contain_text("not added")
    fill_and_leave(page.get_by_label("Action", exact=True), ACTION)
    add.click()
    agreed = page.locator("p", has_text="Agreed in this session:").locator("xpath=following-sibling::ul[1]")
    expect(agreed).to_contain_text(ACTION, timeout=REDRAW)
    expect(alert(page, "too vague")).to_have_count(0)

    # 4. saved, signed by both, locked ----------------------------------------------------------------
    page.get_by_role("button", name="Save the record", exact=True).click()
    expect(status(page, re.compile(r"Saved at \d\d:\d\d as version \d+\."))).to_be_visible(timeout=REDRAW)
    expect(page.get_by_role("alert").filter(has_text="Not saved")).to_have_count(0)
    sign_name = page.get_by_label("Your name, to sign", exact=True)
    fill_and_leave(sign_name, supervisor)
    page.get_by_role("button", name="Sign as supervisor", exact=True).click()
    expect(status(page, f"Signed by {supervisor} as supervisor")).to_be_visible(timeout=REDRAW)
    fill_and_leave(sign_name, WORKER)
    page.get_by_role("button", name="Sign as worker", exact=True).click()
    locked = status(page, "the record is locked")
    expect(locked).to_be_visible(timeout=REDRAW)
    expect(locked).to_contain_text(f"Signed by {WORKER} as worker")
    for label in STAGES:
        expect(page.get_by_label(label, exact=True)).to_be_disabled()
    expect(page.get_by_role("button", name="Save the record", exact=True)).to_be_disabled()
    expect(session_picker.locator("option", has_text=f"{WORKER} with {supervisor} (signed)")).to_have_count(1)
    expect(wellbeing).to_have_value(WELLBEING)
    if SAMPLE_SUPERVISION.exists():  # last time's actions carried to the date agreed, the first kept beside it
        expect(open_actions).to_contain_text(f"{(today + timedelta(days=21)).day} "
                                             f"{today + timedelta(days=21):%b %Y} (first due 28 Feb 2023)",
                                             timeout=REDRAW)
    locked.scroll_into_view_if_needed()
    screenshot(page, "3-signed-and-locked")

    # the printable page as signed: the wellbeing note is in the kernel, never on the page
    page.get_by_role("button", name="Prepare the printable record", exact=True).click()
    expect(page.get_by_role("link", name="Download the printable page", exact=True)).to_be_visible(timeout=REDRAW)
    signed_page = downloaded(page, "Download the printable page").decode("utf-8")
    assert "Reflective supervision record" in signed_page and WORKER in signed_page
    assert "WELLBEING-E2E" not in signed_page, "the wellbeing note is in the printable page"

    # 5. an amendment after sign-off ------------------------------------------------------------------
    page.get_by_label("Part to amend", exact=True).select_option(label="Analysis (reflective cycle)")
    # (the amendment's choices name the escalation note as the reason it was not escalated)
    fill_and_leave(page.get_by_label("Amended text", exact=True), AMENDED)
    fill_and_leave(page.get_by_label("Reason for the amendment", exact=True), AMEND_REASON)
    page.get_by_role("button", name="Amend the signed record", exact=True).click()
    expect(status(page, re.compile(r"^Amended\."))).to_be_visible(timeout=REDRAW)
    expect(page.get_by_label("Analysis", exact=True)).to_have_value(AMENDED)
    expect(page.get_by_label("Analysis", exact=True)).to_be_disabled()
    expect(page.get_by_label("Decision 1", exact=True)).to_be_disabled()  # still locked after the amendment
    expect(page.get_by_label("The worker's wellbeing (restricted)", exact=True)).to_have_value(WELLBEING)

    # 6. the printable record: every stage, the decision, the action, both names, the amendment -------
    pdf_link = page.get_by_role("link", name="Download the record as PDF", exact=True)
    signed_pdf = pdf_link.get_attribute("href") or ""
    page.get_by_role("button", name="Prepare the printable record", exact=True).click()
    expect(pdf_link).not_to_have_attribute("href", signed_pdf, timeout=REDRAW)  # the record as amended
    expect(page.get_by_role("link", name="Download the printable page", exact=True)).to_be_visible()
    text = pdf_text(downloaded(page, "Download the record as PDF"))
    expected = ["Reflective supervision record", "sleeps in her coat", "clearly love the children",
                "have not moved in five assessments", "a warm bed for each child before winter", DECISION,
                DECISION_REASON, ACTION, supervisor, WORKER, AMEND_REASON]
    missing = [e for e in expected if e not in text]
    assert not missing, f"the PDF lacks {missing}; it reads: {text[:3000]}"
    assert "WELLBEING-E2E" not in text, "the wellbeing note is in the PDF"
    html_page = downloaded(page, "Download the printable page").decode("utf-8")
    assert "Reflective supervision record" in html_page and "five assessments" in html_page
    assert "WELLBEING-E2E" not in html_page, "the wellbeing note is in the printable page"
    assert raised >= 1, "no challenge was raised"
    pdf_link.scroll_into_view_if_needed()
    screenshot(page, "4-amended-and-printed")

    # 7. accessibility --------------------------------------------------------------------------------
    axe_check(page)


def test_a_stale_edit_is_shown_and_nothing_is_lost(
        page: Page, new_context: Callable[..., BrowserContext], voila_url: str, sample_case_ids: list[str],
        screenshot: Callable[[Page, str], Path]) -> None:
    assert "fenwick" in sample_case_ids

    # a draft saved in the first browser
    first = open_direct(page, voila_url, SESSION_NB)
    choose_case(first)
    first.get_by_label("Session", exact=True).select_option(label="A new session")
    fill_and_leave(first.get_by_label("Worker", exact=True), CONFLICT_WORKER)
    fill_and_leave(first.get_by_label("Experience", exact=True), CONFLICT_EXPERIENCE)
    first.get_by_role("button", name="Save the record", exact=True).click()
    expect(status(first, re.compile(r"Saved at \d\d:\d\d as version 1\."))).to_be_visible(timeout=REDRAW)
    first_user = first.get_by_label("Supervisor", exact=True).input_value().strip()

    # the same draft opened in a second browser
    second = open_direct(new_context().new_page(), voila_url, SESSION_NB)
    choose_case(second)
    picker = second.get_by_label("Session", exact=True)
    draft = picker.locator("option", has_text=f"{CONFLICT_WORKER} with")
    # the sessions are listed once the case's evidence is drawn: the slowest redraw of the app
    expect(draft).to_have_count(1, timeout=CASE_DRAWN)
    picker.select_option(label=draft.inner_text().strip())
    expect(second.get_by_label("Experience", exact=True)).to_have_value(CONFLICT_EXPERIENCE, timeout=REDRAW)
    expect(second.get_by_label("Worker", exact=True)).to_have_value(CONFLICT_WORKER)

    # the first saves a new analysis; the second, not knowing, saves its own
    fill_and_leave(first.get_by_label("Analysis", exact=True), ANALYSIS_A)
    first.get_by_role("button", name="Save the record", exact=True).click()
    expect(status(first, re.compile(r"as version 2\."))).to_be_visible(timeout=REDRAW)

    fill_and_leave(second.get_by_label("Analysis", exact=True), ANALYSIS_B)
    second.get_by_role("button", name="Save the record", exact=True).click()
    conflict = alert(second, "after you opened it")
    expect(conflict).to_be_visible(timeout=REDRAW)
    expect(conflict).to_contain_text(f"{first_user} saved this record at")
    expect(conflict).to_contain_text("Your text is still in the form")
    theirs = conflict.locator("xpath=following-sibling::ul[1]")
    expect(theirs).to_contain_text(f"Analysis: {ANALYSIS_A}")
    expect(second.get_by_label("Analysis", exact=True)).to_have_value(ANALYSIS_B)
    expect(status(second, "Saved at")).to_have_count(0)
    conflict.scroll_into_view_if_needed()
    screenshot(second, "1-conflict")

    # saved again, deliberately: the second's words become the newest version
    second.get_by_role("button", name="Save the record", exact=True).click()
    expect(status(second, re.compile(r"Saved at \d\d:\d\d as version 3\."))).to_be_visible(timeout=REDRAW)
    expect(alert(second, "after you opened it")).to_have_count(0)
    expect(second.get_by_label("Analysis", exact=True)).to_have_value(ANALYSIS_B)
    screenshot(second, "2-saved-again")


def test_actions_and_a_disagreement_escalated(
        app: Callable[[str], Page], sample_case_ids: list[str], screenshot: Callable[[Page, str], Path],
        axe_check: Callable[[Page], None]) -> None:
    assert "fenwick" in sample_case_ids

    # 1. from the start page: the counts, the open actions, the escalations ---------------------------
    page = app("index.ipynb")
    open_from_start(page, "Actions and escalation", ACTIONS_NB)
    raise_button = page.get_by_role("button", name="Raise the disagreement", exact=True)
    expect(raise_button).to_be_visible(timeout=REDRAW)
    summary = page.locator("p", has_text=re.compile(r"\d+ open actions?.*\d+ open escalations?"))
    expect(summary).to_have_count(1, timeout=REDRAW)
    if SAMPLE_SUPERVISION.exists():
        expect(page.locator("table.nk-table", has=page.locator("caption", has_text="Overdue first"))).to_have_count(1)
        expect(page.locator("table.nk-table", has=page.locator("caption", has_text="By due date"))).to_have_count(1)
    screenshot(page, "1-overview")

    # 2. a disagreement raised on the Fenwick case --------------------------------------------------
    page.get_by_label("Case", exact=True).select_option(label=CASE_TITLE)
    children = page.get_by_label("Children", exact=True)
    expect(children.locator("option", has_text="Maisie Fenwick")).to_have_count(1, timeout=REDRAW)
    children.select_option(label="Maisie Fenwick")
    fill_and_leave(page.get_by_label("Raised by", exact=True), "Rowan Pike")
    fill_and_leave(page.get_by_label("Raised with", exact=True), WORKER)
    fill_and_leave(page.get_by_label("Role or agency (raised by)", exact=True), "Health visitor")
    fill_and_leave(page.get_by_label("Role or agency (raised with)", exact=True), "Social worker")
    fill_and_leave(page.get_by_label("What the disagreement is about", exact=True), ABOUT)
    fill_and_leave(page.get_by_label("How the child is kept safe meanwhile", exact=True), SAFE)
    raise_button.click()
    raised = status(page, "Raised at stage 1")
    expect(raised).to_have_text(re.compile(r"^Raised at stage 1 \(Practitioner to practitioner\), due "
                                           r"\d{1,2} \w{3} \d{4}\.$"), timeout=REDRAW)
    table = page.locator("table.nk-table", has=page.locator("caption", has_text="By due date"))
    row = table.locator("tbody tr", has_text="E2E disagreement")
    expect(row).to_have_count(1, timeout=REDRAW)
    expect(row).to_contain_text("1: Practitioner to practitioner")

    # 3. escalated to stage 2 -----------------------------------------------------------------------
    picker = page.get_by_label("Disagreement", exact=True)
    option = picker.locator("option", has_text="E2E disagreement")
    expect(option).to_have_count(1)
    picker.select_option(label=option.inner_text().strip())
    fill_and_leave(page.get_by_label("Why it moves on", exact=True), STEP_NOTE)
    page.get_by_role("button", name="Escalate to the next stage", exact=True).click()
    moved = status(page, "Moved to stage 2")
    expect(moved).to_have_text(re.compile(r"^Moved to stage 2 \(Team managers\), due \d{1,2} \w{3} \d{4}\.$"),
                               timeout=REDRAW)
    expect(row).to_contain_text("2: Team managers", timeout=REDRAW)
    expect(picker.locator("option", has_text="E2E disagreement")).to_contain_text("(stage 2)")
    moved.scroll_into_view_if_needed()
    screenshot(page, "2-escalated")

    # 4. its stages with their dates ----------------------------------------------------------------
    today = date.today()
    history = page.locator("details.nk-escalation-history", has_text="E2E disagreement")
    expect(history).to_have_count(1, timeout=REDRAW)
    history.locator("summary").click()
    steps = history.locator("tbody tr")
    expect(steps).to_have_count(2)
    on = f"{today.day} {today:%b %Y}"
    expect(steps.nth(0)).to_contain_text(on)
    expect(steps.nth(0)).to_contain_text("Raised at stage 1 (Practitioner to practitioner)")
    expect(steps.nth(1)).to_contain_text("Reached stage 2 (Team managers)")
    expect(steps.nth(1)).to_contain_text(STEP_NOTE)
    if SAMPLE_SUPERVISION.exists():  # the sample's school disagreement, from its file
        school = page.locator("details.nk-escalation-history", has_text="Five months into the third")
        school.locator("summary").click()
        expect(school).to_contain_text("15 May 2023")
        expect(school).to_contain_text("22 May 2023")
    history.scroll_into_view_if_needed()
    screenshot(page, "3-stage-history")
    axe_check(page)


def test_escalation_considered_opens_the_raise_form_for_the_case(
        app: Callable[[str], Page], sample_case_ids: list[str], screenshot: Callable[[Page, str], Path],
        axe_check: Callable[[Page], None]) -> None:
    assert "fenwick" in sample_case_ids
    page = app(SESSION_NB)
    choose_case(page)
    supervisor = page.get_by_label("Supervisor", exact=True).input_value().strip()

    # "too vague" names a child of this case, never another's
    fill_and_leave(page.get_by_label("Action", exact=True), VAGUE_ACTION)
    fill_and_leave(page.get_by_label("Who (role or agency)", exact=True), ACTION_WHO)
    set_date(page.get_by_label("By when", exact=True), date.today() + timedelta(days=14))
    fill_and_leave(page.get_by_label("Change it should bring for the child", exact=True), ACTION_CHANGE)
    page.get_by_label("For", exact=True).select_option(label="Theo")
    page.get_by_role("button", name="Add this action", exact=True).click()
    refused = alert(page, "too vague")
    expect(refused).to_contain_text("check Theo's lunchbox", timeout=REDRAW)
    expect(refused).not_to_contain_text("Ruby")

    # escalation considered: raise a disagreement now, on the form pre-filled for this case
    page.get_by_role("checkbox", name="Escalation was considered", exact=True).check()
    raise_now = page.get_by_role("radio", name="Raise a disagreement now", exact=True)
    expect(raise_now).to_be_visible(timeout=REDRAW)
    raise_now.check()
    expect(page.get_by_text(f"Case: {CASE_TITLE}", exact=True)).to_be_visible(timeout=REDRAW)
    children = page.get_by_label("Children", exact=True)
    expect(children.locator("option:checked")).to_have_count(2)
    expect(page.get_by_label("Raised by", exact=True)).to_have_value(supervisor)
    screenshot(page, "1-raise-form-pre-filled")
    fill_and_leave(page.get_by_label("Role or agency (raised by)", exact=True), "Team manager")
    fill_and_leave(page.get_by_label("Raised with", exact=True), "Dr Ines Hale")
    fill_and_leave(page.get_by_label("Role or agency (raised with)", exact=True), "Community paediatrics")
    fill_and_leave(page.get_by_label("What the disagreement is about", exact=True), SESSION_ABOUT)
    fill_and_leave(page.get_by_label("How the child is kept safe meanwhile", exact=True), SAFE)
    page.get_by_role("button", name="Raise the disagreement", exact=True).click()
    expect(status(page, "Raised at stage 1")).to_be_visible(timeout=REDRAW)
    listed = page.locator("p", has_text="Raised in this session:").locator("xpath=following-sibling::ul[1]")
    expect(listed).to_contain_text(SESSION_ABOUT)
    listed.scroll_into_view_if_needed()
    screenshot(page, "2-raised-from-the-session")
    axe_check(page)

"""Through the hub: two researchers, each signed in as themselves on a team's PostgreSQL database, code the same
review blind; neither sees the other's work before both have finished; then the reconciliation shows their
disagreement (issue 15, items 4 and 9). PostgreSQL's row-level security keeps the blind rule here, not the app.

Its own accounts, database and hub (module-scoped): the case apps' tests' people are practitioners.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hub_steps import Hub, Staff, TeamDatabase, os_accounts, running_hub, sign_in
from pg_server import PostgresServer, find_bindir
from playwright.sync_api import Browser, Page, expect
from research_fixtures import review

from neglect_kit.research import review_records
from neglect_kit.store import Store
from tests.e2e.coding_steps import CODING, RECONCILE, code, finish, open_review, shown_on_screen
from tests.e2e.conftest import RESULTS, neglect_kit_cli

pytestmark = pytest.mark.browser

RHEA, RAVI = "nktest_rhea", "nktest_ravi"
CODERS = (Staff(RHEA, "researcher", "Rhea Testcoder", ""), Staff(RAVI, "researcher", "Ravi Testcoder", ""))


@pytest.fixture(scope="module")
def research_accounts(hub_ready: None) -> Iterator[tuple[Staff, ...]]:
    with os_accounts(CODERS) as people:
        yield people


@pytest.fixture(scope="module")
def research_db(research_accounts: tuple[Staff, ...]) -> Iterator[TeamDatabase]:
    """A team's database: the two researchers on its staff, R90 loaded and both assigned to it."""
    server = PostgresServer(find_bindir(), peer=True).start()
    try:
        admin = server.new_database()
        env = {**os.environ, "NEGLECT_KIT_DB": admin, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
        steps = [("server", "init")] + [("users", "add", p.name, "--role", p.role, "--display-name", p.display_name)
                                        for p in research_accounts]
        for step in steps:
            done = neglect_kit_cli(*step, env=env)
            assert done.returncode == 0, f"`neglect-kit {' '.join(step)}` failed:\n{done.stdout}{done.stderr}"
        lead = Store.open(admin)  # the server's administrator
        review_records.load_reviews(lead, [review("R90")])
        for person in research_accounts:
            review_records.assign(lead, "R90", person.name)
        lead.engine.dispose()
        yield TeamDatabase(admin, admin.replace("postgres@", "", 1))
    finally:
        server.stop()


@pytest.fixture(scope="module")
def research_hub(research_db: TeamDatabase, research_accounts: tuple[Staff, ...],
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    RESULTS.mkdir(exist_ok=True)
    try:
        with running_hub(research_db.url, research_accounts, tmp_path_factory.mktemp("research-hub"),
                         RESULTS / "research-hub.log") as hub:
            yield hub
    except RuntimeError as failed:
        pytest.fail(str(failed), pytrace=False)


def signed_in_page(browser: Browser, hub: Hub, name: str) -> Page:
    return sign_in(browser.new_context(viewport={"width": 1280, "height": 2000}).new_page(), hub, name)


def open_notebook(page: Page, hub: Hub, name: str, notebook: str) -> Page:
    page.goto(f"{hub.url}/user/{name}/voila/render/{notebook}", timeout=90_000)
    page.locator("#loading").wait_for(state="hidden", timeout=90_000)
    return page


def test_two_researchers_code_blind_through_the_hub_then_reconcile(browser: Browser, research_hub: Hub,
                                                                    research_db: TeamDatabase, screenshot,
                                                                    axe_check) -> None:
    rhea = open_notebook(signed_in_page(browser, research_hub, RHEA), research_hub, RHEA, CODING)
    open_review(rhea, "Rhea Testcoder (researcher)")
    code(rhea, "P3.S2", "The child not seen or heard")
    code(rhea, "P4.S2", "Professional optimism")
    screenshot(rhea, "rhea-coding")
    axe_check(rhea)

    ravi = open_notebook(signed_in_page(browser, research_hub, RAVI), research_hub, RAVI, CODING)
    open_review(ravi, "Ravi Testcoder (researcher)")
    expect(ravi.locator(".nk-coded")).to_have_count(0)  # nothing of Rhea's
    code(ravi, "P3.S2", "The child not seen or heard")
    code(ravi, "P4.S2", "Professional optimism", "Disguised compliance")

    early = open_notebook(ravi.context.new_page(), research_hub, RAVI, RECONCILE)
    early.get_by_label("Review", exact=True).select_option(
        label=f"R90: The Quill children (waiting for {RHEA}, {RAVI})")
    expect(early.get_by_text("have not finished coding R90")).to_be_visible()
    assert "Coded by" not in shown_on_screen(early) and "Professional optimism" not in shown_on_screen(early)
    screenshot(early, "ravi-before-both-finish")
    axe_check(early)

    finish(rhea)
    finish(ravi)
    # what PostgreSQL gives each researcher now: both codings, as the reconciliation shows them
    r = open_notebook(rhea.context.new_page(), research_hub, RHEA, RECONCILE)
    r.get_by_label("Review", exact=True).select_option(label="R90: The Quill children (ready to reconcile)")
    differ = r.locator("table.nk-compare tr.nk-differ")
    expect(differ).to_have_count(1)
    expect(differ).to_contain_text("P4.S2")
    expect(differ).to_contain_text("Professional optimism; Disguised compliance")
    expect(r.get_by_role("columnheader", name=f"Coded by {RAVI}")).to_be_visible()
    reason = r.get_by_label("Reason", exact=True)
    reason.fill("Accepted without checking: both codes apply.")
    reason.press("Tab")
    r.get_by_role("checkbox", name="Disguised compliance", exact=True).check()
    r.get_by_role("button", name="Record the agreed coding").click()
    expect(r.get_by_text("Recorded the agreed coding of P4.S2")).to_be_visible()
    screenshot(r, "rhea-reconciled")
    axe_check(r)

"""Browser tests through the hub: a team's server made from nothing, signed in to in Chromium.

Once per session, as root (as CI runs): operating-system accounts for the test people (`useradd`), a PostgreSQL
server signing them in by `peer`, a team's database (`neglect-kit server init`, `demo`, `users add`, `assign`),
and `neglect-kit hub` on a free loopback port with a shared test password in place of the council's sign-in
(hub_steps.py does each). Everything made is removed at the end: the hub (which stops everyone's server), the
database server, the accounts.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hub_steps import PEOPLE, Hub, Staff, TeamDatabase, os_accounts, running_hub, sign_in, team_database
from pg_server import unavailable
from playwright.sync_api import Browser, BrowserContext, Page

from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_MISSING,
    RESULTS,
    run_axe_check,
    save_screenshot,
)

REQUIRE = "NEGLECT_KIT_REQUIRE_BROWSER"


def _cannot_run() -> str | None:
    if sys.platform != "linux" or os.geteuid() != 0:
        return "the hub's browser tests make operating-system accounts and run the hub, which needs root (CI is root)"
    missing = [p for p in ("useradd", "userdel", "setfacl", "getfacl") if shutil.which(p) is None]
    if missing:
        return f"the hub's browser tests need {', '.join(missing)} (apt-get install passwd acl)"
    if not os.access(CHROMIUM, os.X_OK):
        return CHROMIUM_MISSING
    if problem := unavailable():
        return problem[0]
    return None


@pytest.fixture(scope="session")
def hub_ready() -> None:
    """Fail (CI: NEGLECT_KIT_REQUIRE_BROWSER=1) or skip when the hub's tests cannot run here."""
    why = _cannot_run()
    if why:
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(why, pytrace=False)
        pytest.skip(why)


@pytest.fixture(scope="session")
def accounts(hub_ready: None) -> Iterator[tuple[Staff, ...]]:
    """The test people's operating-system accounts, able to run the kit; removed at the end."""
    with os_accounts(PEOPLE) as people:
        yield people


@pytest.fixture(scope="session")
def team_db(accounts: tuple[Staff, ...]) -> Iterator[TeamDatabase]:
    """A team's database holding the sample cases, each test person on the staff and assigned their case."""
    with team_database(accounts) as db:
        yield db


@pytest.fixture(scope="session")
def hub(team_db: TeamDatabase, accounts: tuple[Staff, ...],
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """`neglect-kit hub` serving the team's database to the test people, until the session ends."""
    RESULTS.mkdir(exist_ok=True)
    try:
        with running_hub(team_db.url, accounts, tmp_path_factory.mktemp("hub-state"), RESULTS / "hub.log") as hub:
            yield hub
    except RuntimeError as failed:
        pytest.fail(str(failed), pytrace=False)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def signed_in(browser: Browser, hub: Hub, accounts: tuple[Staff, ...]) -> Iterator[dict[str, Page]]:
    """Each test person signed in, in a browser of their own (own cookies), on their start page."""
    contexts: list[BrowserContext] = []
    pages = {}
    try:
        for person in accounts:
            context = browser.new_context(viewport={"width": 1280, "height": 2000})
            contexts.append(context)
            pages[person.name] = sign_in(context.new_page(), hub, person.name)
        yield pages
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """`screenshot(page, "step")` saves test-results/screenshots/<this test>-step.png."""
    return lambda page, step: save_screenshot(page, request.node.name, step)


@pytest.fixture
def axe_check() -> Callable[[Page], None]:
    """`axe_check(page)`: assert axe-core finds no WCAG 2.x A/AA violation on the page."""
    return run_axe_check

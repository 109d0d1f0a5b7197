"""What the hub's browser tests share: the test people, the running hub, signing in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

FIRST_PAGE_TIMEOUT = 90_000  # ms: a person's first page starts their server, their Voila and a kernel


@dataclass(frozen=True)
class Staff:
    """A test account: its name (OS account, database role, hub user), role, display name and one case."""

    name: str
    role: str
    display_name: str
    case: str


# the sample cases: Riley Dunmore's and the Fenwick children's, one for each practitioner
PEOPLE = (
    Staff("nktest_alice", "practitioner", "Alice Testworker", "dunmore"),
    Staff("nktest_bob", "practitioner", "Bob Testworker", "fenwick"),
)


@dataclass(frozen=True)
class Hub:
    url: str  # http://127.0.0.1:PORT, no trailing slash
    password: str
    log: Path


def sign_in(page: Page, hub: Hub, name: str) -> Page:
    """Sign in as `name` on the hub's page and wait for the kit's start page, served by their own Voila."""
    page.route(lambda url: not url.startswith(hub.url), lambda route: route.abort())  # nothing from outside
    page.goto(f"{hub.url}/hub/login", timeout=FIRST_PAGE_TIMEOUT)
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(hub.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{hub.url}/user/{name}/voila/render/index.ipynb", timeout=FIRST_PAGE_TIMEOUT)
    page.locator("#loading").wait_for(state="hidden", timeout=FIRST_PAGE_TIMEOUT)
    return page

"""Browser tests through the hub: a team's server made from nothing, signed in to in Chromium.

Once per session, as root (as CI runs): operating-system accounts for the test people (`useradd`), a PostgreSQL
server signing them in by `peer`, a team's database (`neglect-kit server init`, `demo`, `users add`, `assign`),
and `neglect-kit hub` on a free loopback port with a shared test password in place of the council's sign-in.
Each person's Voila runs as their own account, so the kit's Python, the repository and the notebooks must be
reachable by those accounts: where a folder above them is closed to other accounts (pyenv's Python under
/root), the test accounts alone are let through it (`setfacl`, taken back at the end). Everything made is
removed at the end: the hub (which stops everyone's server), the database server, the accounts.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hub_steps import PEOPLE, Hub, Staff, sign_in
from pg_server import PostgresServer, find_bindir, unavailable
from playwright.sync_api import Browser, BrowserContext, Page

from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_MISSING,
    RESULTS,
    _free_port,
    _log_tail,
    neglect_kit_cli,
    run_axe_check,
    save_screenshot,
)

REPO = Path(__file__).resolve().parents[2]
HUB_CONFIG = Path(__file__).with_name("hub_config.py")
HUB_START_TIMEOUT = 60  # s until the hub answers
REQUIRE = "NEGLECT_KIT_REQUIRE_BROWSER"


def _cannot_run() -> str | None:
    if sys.platform != "linux" or os.geteuid() != 0:
        return "the hub's browser tests make operating-system accounts and run the hub, which needs root (CI is root)"
    missing = [p for p in ("useradd", "userdel", "setfacl") if shutil.which(p) is None]
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


def _closed_folders(paths: list[Path]) -> list[Path]:
    """The folders above `paths` (and theirs) that an account other than their owner cannot pass through."""
    closed = []
    for path in paths:
        for folder in [path.resolve(), *path.resolve().parents]:
            if folder.is_dir() and not folder.stat().st_mode & 0o001 and folder not in closed:
                closed.append(folder)
    return closed


def _end_processes(name: str) -> None:
    """End what the hub started as `name` and left running (by process id), so the account can go."""
    found = subprocess.run(["pgrep", "-u", name], capture_output=True, text=True, check=False).stdout.split()
    for pid in found:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGKILL)


@pytest.fixture(scope="session")
def accounts(hub_ready: None) -> Iterator[tuple[Staff, ...]]:
    """The test people's operating-system accounts, able to run the kit; removed at the end."""
    made = []
    closed = _closed_folders([Path(sys.executable), Path(sys.prefix), REPO])
    try:
        for person in PEOPLE:
            try:
                pwd.getpwnam(person.name)
                subprocess.run(["userdel", "--remove", person.name], capture_output=True, check=False)  # a crash's
            except KeyError:
                pass
            subprocess.run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", person.name],
                           check=True, capture_output=True)
            made.append(person.name)
        if closed:
            acl = ",".join(f"u:{name}:x" for name in made)
            for folder in closed:
                subprocess.run(["setfacl", "-m", acl, str(folder)], check=True, capture_output=True)
        yield PEOPLE
    finally:
        for folder in closed:
            subprocess.run(["setfacl", "-x", ",".join(f"u:{name}" for name in made), str(folder)],
                           capture_output=True, check=False)
        for name in made:
            _end_processes(name)
            subprocess.run(["userdel", "--remove", name], capture_output=True, check=False)


@dataclass(frozen=True)
class TeamDatabase:
    admin_url: str  # as the server's administrator (postgres)
    url: str  # as each person's kernel reaches it: no user, no password


@pytest.fixture(scope="session")
def team_db(accounts: tuple[Staff, ...]) -> Iterator[TeamDatabase]:
    """A team's database holding the sample cases, each test person on the staff and assigned their case."""
    server = PostgresServer(find_bindir(), peer=True).start()
    try:
        admin = server.new_database()
        env = {**os.environ, "NEGLECT_KIT_DB": admin, "PYTHONPATH": str(REPO)}
        steps = [("server", "init"), ("demo",)]
        for p in accounts:
            steps += [("users", "add", p.name, "--role", p.role, "--team", "north", "--display-name", p.display_name),
                      ("assign", "--case", p.case, "--user", p.name)]
        for step in steps:
            done = neglect_kit_cli(*step, env=env)
            assert done.returncode == 0, f"`neglect-kit {' '.join(step)}` failed:\n{done.stdout}{done.stderr}"
        yield TeamDatabase(admin, admin.replace("postgres@", "", 1))
    finally:
        server.stop()


@pytest.fixture(scope="session")
def hub(team_db: TeamDatabase, accounts: tuple[Staff, ...],
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """`neglect-kit hub` serving the team's database to the test people, until the session ends."""
    RESULTS.mkdir(exist_ok=True)
    port, password = _free_port(), secrets.token_urlsafe(16)
    log_path = RESULTS / "hub.log"
    env = {**os.environ, "PYTHONPATH": str(REPO), "NEGLECT_KIT_HUB_TEST_PASSWORD": password}
    env.pop("MPLBACKEND", None)
    command = [sys.executable, "-m", "neglect_kit.cli", "hub", "--port", str(port), "--db", team_db.url,
               "--users", ",".join(p.name for p in accounts), "--config", str(HUB_CONFIG),
               "--state", str(tmp_path_factory.mktemp("hub-state"))]
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(command, env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + HUB_START_TIMEOUT
        while not _answers(f"{url}/hub/health"):
            if proc.poll() is not None:
                pytest.fail(f"the hub exited ({proc.returncode}); end of {log_path}:\n{_log_tail(log_path)}",
                            pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"the hub did not answer within {HUB_START_TIMEOUT} s; end of {log_path}:\n"
                            + _log_tail(log_path), pytrace=False)
            time.sleep(0.3)
        yield Hub(url, password, log_path)
    finally:
        _stop_hub(proc)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _stop_hub(proc: subprocess.Popen[bytes]) -> None:
    """Ctrl-C for the hub: it stops everyone's server and its proxy, then exits."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


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

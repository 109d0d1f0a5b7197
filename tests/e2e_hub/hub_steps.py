"""What the hub's browser tests (and its benchmark) share: the test people, a team's database, the running hub.

Run as root: the people are operating-system accounts made with `useradd`, and each person's Voila runs as
their own account, so the kit's Python, the repository and the notebooks must be reachable by those accounts:
where a folder above them is closed to other accounts (pyenv's Python under /root), the test accounts alone are
let through it (`setfacl`), and that is taken back at the end. The database server signs them in by `peer`.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pg_server import PostgresServer, find_bindir
from playwright.sync_api import Page

from tests.e2e.conftest import _free_port, _log_tail, neglect_kit_cli

REPO = Path(__file__).resolve().parents[2]
HUB_CONFIG = Path(__file__).with_name("hub_config.py")
HUB_START_TIMEOUT = 60  # s until the hub answers

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
class TeamDatabase:
    admin_url: str  # as the server's administrator (postgres)
    url: str  # as each person's kernel reaches it: no user, no password


@dataclass(frozen=True)
class Hub:
    url: str  # http://127.0.0.1:PORT and the base URL, no trailing slash
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


@contextlib.contextmanager
def os_accounts(people: tuple[Staff, ...]) -> Iterator[tuple[Staff, ...]]:
    """The test people's operating-system accounts, able to run the kit; removed at the end (needs root)."""
    made = []
    closed = _closed_folders([Path(sys.executable), Path(sys.prefix), REPO])
    # a folder with no access list of its own gets none back at the end, not an empty one
    plain = [f for f in closed if not subprocess.run(["getfacl", "--skip-base", "-p", str(f)], capture_output=True,
                                                      text=True, check=False).stdout.strip()]
    try:
        for person in people:
            try:
                pwd.getpwnam(person.name)
                subprocess.run(["userdel", "--remove", person.name], capture_output=True, check=False)  # a crash's
            except KeyError:
                pass
            subprocess.run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", person.name],
                           check=True, capture_output=True)
            made.append(person.name)
        for folder in closed:
            # the checkout is on Python's path (the editable install), and Python lists a path's folder to
            # import from it: it needs reading as well as passing through
            right = "rx" if folder == REPO.resolve() else "x"
            acl = ",".join(f"u:{name}:{right}" for name in made)
            subprocess.run(["setfacl", "-m", acl, str(folder)], check=True, capture_output=True)
        yield people
    finally:
        for folder in closed:
            undo = ["-b"] if folder in plain else ["-x", ",".join(f"u:{name}" for name in made)]
            subprocess.run(["setfacl", *undo, str(folder)], capture_output=True, check=False)
        for name in made:
            _end_processes(name)
            subprocess.run(["userdel", "--remove", name], capture_output=True, check=False)


@contextlib.contextmanager
def team_database(people: tuple[Staff, ...]) -> Iterator[TeamDatabase]:
    """A team's database holding the sample cases, each person on the staff and assigned their case."""
    server = PostgresServer(find_bindir(), peer=True).start()
    try:
        admin = server.new_database()
        env = {**os.environ, "NEGLECT_KIT_DB": admin, "PYTHONPATH": str(REPO)}
        steps = [("server", "init"), ("demo",)]
        for p in people:
            steps += [("users", "add", p.name, "--role", p.role, "--team", "north", "--display-name", p.display_name),
                      ("assign", "--case", p.case, "--user", p.name)]
        for step in steps:
            done = neglect_kit_cli(*step, env=env)
            if done.returncode != 0:
                raise RuntimeError(f"`neglect-kit {' '.join(step)}` failed:\n{done.stdout}{done.stderr}")
        yield TeamDatabase(admin, admin.replace("postgres@", "", 1))
    finally:
        server.stop()


@contextlib.contextmanager
def running_hub(db_url: str, people: tuple[Staff, ...], state: Path, log_path: Path,
                base_url: str = "/") -> Iterator[Hub]:
    """`neglect-kit hub` serving the team's database to `people` with a test password, until the block ends.

    The hub's URL has no trailing slash: http://127.0.0.1:PORT, with `base_url` after it when given.
    """
    port, password = _free_port(), secrets.token_urlsafe(16)
    env = {**os.environ, "PYTHONPATH": str(REPO), "NEGLECT_KIT_HUB_TEST_PASSWORD": password}
    env.pop("MPLBACKEND", None)
    command = [sys.executable, "-m", "neglect_kit.cli", "hub", "--port", str(port), "--db", db_url,
               "--users", ",".join(p.name for p in people), "--config", str(HUB_CONFIG), "--state", str(state),
               "--base-url", base_url]
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(command, env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}{base_url.rstrip('/')}"
    try:
        deadline = time.monotonic() + HUB_START_TIMEOUT
        while not _answers(f"{url}/hub/health"):
            if proc.poll() is not None:
                raise RuntimeError(f"the hub exited ({proc.returncode}); end of {log_path}:\n{_log_tail(log_path)}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the hub did not answer within {HUB_START_TIMEOUT} s; end of {log_path}:\n"
                                   + _log_tail(log_path))
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

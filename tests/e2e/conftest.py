"""Browser tests: the sample cases in a fresh SQLite store, the apps served by Voila, Debian's Chromium.

One store and one Voila server per session. Every page visit starts its own kernel, so the
first visit waits long for `#loading` to go. Screenshots, the Voila log and the demo output go
to test-results/ at the repository root (git-ignored).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from neglect_kit.config import ServerSettings
from neglect_kit.serve import voila_command

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
SAMPLE_CASES = REPO / "sample_cases"
RESULTS = REPO / "test-results"
SCREENSHOTS = RESULTS / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_MISSING = "Browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

VOILA_START_TIMEOUT = 60  # s until the port accepts a connection
FIRST_PAGE_TIMEOUT = 90_000  # ms: the first kernel of a session is slow to start
# a test's page is closed without its unload event, so its kernel lives until culled: room for the whole suite
E2E_SERVER = ServerSettings(max_kernels=64)
WCAG_TAGS = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

# what the terminal summary reports (time from Voila start to the first interactive page)
_timings: dict[str, float] = {}


def neglect_kit_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `neglect-kit ARGS` with this interpreter, as a user runs the console script."""
    return subprocess.run([sys.executable, "-m", "neglect_kit.cli", *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="session")
def kit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of every command and kernel: a fresh SQLite store holding the sample cases."""
    RESULTS.mkdir(exist_ok=True)
    db = tmp_path_factory.mktemp("e2e-store") / "e2e.sqlite"
    # the data folder, where each user's last case is remembered, is the session's own, not the developer's
    data = tmp_path_factory.mktemp("e2e-data")
    env = {**os.environ, "NEGLECT_KIT_DB": f"sqlite:///{db}", "NEGLECT_KIT_DATA": str(data)}
    env.pop("MPLBACKEND", None)  # kernels inherit it, and inline figures would vanish
    done = neglect_kit_cli("demo", env=env)
    (RESULTS / "demo.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode != 0:
        pytest.fail(f"`neglect-kit demo` exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return env


@pytest.fixture(autouse=True)
def nothing_remembered(kit_env: dict[str, str]) -> None:
    """Each test opens the apps as a user who has chosen no case yet: the case another test chose last is
    forgotten (`ui.navigation.remember`), so an app without `?case=` opens on the first case."""
    shutil.rmtree(Path(kit_env["NEGLECT_KIT_DATA"]) / "last-chosen", ignore_errors=True)


def cases_json(env: dict[str, str]) -> list[dict[str, Any]]:
    """What the store holds now, as `neglect-kit cases --json` says."""
    done = neglect_kit_cli("cases", "--json", env=env)
    assert done.returncode == 0, f"`neglect-kit cases --json` failed:\n{done.stdout}{done.stderr}"
    return json.loads(done.stdout)


@pytest.fixture(scope="session")
def sample_case_ids(kit_env: dict[str, str]) -> list[str]:
    """The id of every case in sample_cases/, each of which `demo` must have loaded."""
    ids = []
    for toml in sorted(SAMPLE_CASES.glob("*/case.toml")):
        ids.append(tomllib.loads(toml.read_text(encoding="utf-8"))["case"]["id"])
    assert len(ids) >= 2, f"{SAMPLE_CASES} should hold the two sample case folders; found {ids}"
    loaded = {c["id"] for c in cases_json(kit_env)}
    missing = [i for i in ids if i not in loaded]
    assert not missing, (f"`neglect-kit demo` did not load sample case(s) {missing}:\n"
                         + (RESULTS / "demo.log").read_text(encoding="utf-8"))
    return ids


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _log_tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


@contextmanager
def served(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """notebooks/ served by Voila with `env` on a free loopback port, until the block ends; the base URL, with no
    trailing slash. Several may run at once (two coders, each with their own identity, on one database)."""
    port = _free_port()
    with log_path.open("w", encoding="utf-8") as log:
        started = time.monotonic()
        proc = subprocess.Popen(voila_command(NOTEBOOKS, port, E2E_SERVER), env=env, cwd=REPO, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = started + VOILA_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"Voila exited ({proc.returncode}) before serving; end of {log_path}:\n"
                            + _log_tail(log_path), pytrace=False)
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"Voila did not listen on port {port} within {VOILA_START_TIMEOUT} s; "
                                f"end of {log_path}:\n" + _log_tail(log_path), pytrace=False)
                time.sleep(0.2)
        _timings.setdefault("voila_started", started)
        _timings.setdefault("voila_listening_s", time.monotonic() - started)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def voila_url(kit_env: dict[str, str]) -> Iterator[str]:
    """The apps served by Voila on a free loopback port; the base URL, with no trailing slash."""
    with served(kit_env, RESULTS / "voila.log") as url:
        yield url


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # Voila and the kernels it started
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(CHROMIUM_MISSING, pytrace=False)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # the Voila template scrolls inside a container: a tall viewport lets a screenshot show it all
    return {**browser_context_args, "viewport": {"width": 1280, "height": 2000}}


def open_app(page: Page, base: str, path: str) -> Page:
    """Open notebooks/<path> as a user would, with every non-local request refused (no CDN here)."""
    page.route(lambda url: not url.startswith(base), lambda route: route.abort())
    page.goto(f"{base}/voila/render/{path}", timeout=FIRST_PAGE_TIMEOUT)
    page.locator("#loading").wait_for(state="hidden", timeout=FIRST_PAGE_TIMEOUT)
    if "first_page_s" not in _timings and "voila_started" in _timings:
        _timings["first_page_s"] = time.monotonic() - _timings["voila_started"]
    return page


@pytest.fixture
def app(page: Page, voila_url: str) -> Callable[[str], Page]:
    """`app("index.ipynb")` opens that notebook's app in the test's page and returns the page."""
    return lambda path: open_app(page, voila_url, path)


# the tallest scrolling height of the page and of the scrolling boxes about as tall as the viewport
PAGE_HEIGHT = """Math.max(document.documentElement.scrollHeight, ...[...document.querySelectorAll('*')]
  .filter(e => e.clientHeight >= 0.9 * window.innerHeight && /auto|scroll/.test(getComputedStyle(e).overflowY))
  .map(e => e.scrollHeight))"""


@contextmanager
def whole_app_in_view(page: Page) -> Iterator[None]:
    """Grow the viewport to the whole app for a while, then put it back.

    The template scrolls inside a container, so a full-page screenshot shows only the viewport,
    and axe leaves out of its colour-contrast check whatever is scrolled out of that box. Only
    page-sized scrollers count: a box that scrolls inside the app (a long table) keeps its size.
    """
    size = page.viewport_size or {"width": 1280, "height": 2000}
    needed = page.evaluate(PAGE_HEIGHT)
    if needed > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": int(needed) + 40})
    try:
        yield
    finally:
        page.set_viewport_size(size)


def save_screenshot(page: Page, test_name: str, step: str) -> Path:
    """test-results/screenshots/<test>-<step>.png of the whole app."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{test_name}-{step}")
    path = SCREENSHOTS / f"{safe}.png"
    with whole_app_in_view(page):
        page.screenshot(path=str(path))
    return path


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """`screenshot(page, "step")` saves test-results/screenshots/<this test>-step.png."""
    return lambda page, step: save_screenshot(page, request.node.name, step)


def run_axe_check(page: Page) -> None:
    """No WCAG 2.x A/AA violation that axe-core finds on the whole app as it is now."""
    with whole_app_in_view(page):
        response = Axe().run(page).response
    found = [v for v in response["violations"] if WCAG_TAGS & set(v["tags"])]
    lines = [f"{v['id']}: {v['help']} (impact {v.get('impact')}; {len(v['nodes'])} element(s), first "
             f"{v['nodes'][0]['target'] if v['nodes'] else '?'})" for v in found]
    assert not found, f"axe found {len(found)} WCAG A/AA violation(s) on {page.url}:\n" + "\n".join(lines)


@pytest.fixture
def axe_check() -> Callable[[Page], None]:
    """`axe_check(page)`: assert axe-core finds no WCAG 2.x A/AA violation on the page."""
    return run_axe_check


@pytest.fixture
def kit_cli(kit_env: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """`kit_cli("load", folder)` runs `neglect-kit` against the session's store."""
    return lambda *args: neglect_kit_cli(*args, env=kit_env)


@pytest.fixture
def stored_cases(kit_env: dict[str, str]) -> Callable[[], list[dict[str, Any]]]:
    """`stored_cases()`: the cases in the session's store now (`neglect-kit cases --json`)."""
    return lambda: cases_json(kit_env)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if "voila_listening_s" in _timings:
        first = _timings.get("first_page_s")
        terminalreporter.write_line(
            f"e2e: Voila listened after {_timings['voila_listening_s']:.1f} s; first page interactive "
            + (f"{first:.1f} s after Voila started" if first is not None else "never (no page opened)"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failed test's report carries what its page said then: CI keeps the output, not the screenshots."""
    report = yield
    page = getattr(item, "funcargs", {}).get("page")
    if report.when == "call" and report.failed and page is not None and not page.is_closed():
        try:
            said = page.inner_text("body", timeout=2_000)
        except Exception as exc:  # the page itself may be what broke
            said = f"(the page could not be read: {exc})"
        report.sections.append(("the page when the test failed", said[:3_000]))
    return report

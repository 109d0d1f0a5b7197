"""The chronology app through the hub (`neglect-kit hub`) against the same app on a plain Voila, same person, same data.

Needs root, as the hub does: it makes a test account, a PostgreSQL team database signing it in by `peer` and
the hub, with the browser tests' own steps (tests/e2e_hub/hub_steps.py), and removes them at the end. The
floor is the kit's standalone Voila (`serve.voila_command`) run as the same account over the same database,
so the person's caseload, row-level security and data are the same and only the hub differs:

- sign-in to interactive: from the click on "Sign in" (their server stopped, as after signing out) until the
  chronology app is usable ("Add entry" and the timeline shown): the hub's sign-in, starting their server
  (the standalone proxy, then Voila), the app's page and kernel; against starting the plain Voila and opening
  the app on it, from the start of the process until the same point;
- opening the app on a running server: a new page's `goto` until the app is usable, through the hub's proxy
  and the person's standalone proxy, against the plain Voila's.

Best of the rounds; the two take turns in each round.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "tests" / "e2e_hub")]

from _common import SLOW, result_line  # noqa: E402
from bench_app import CHROMIUM, CHROMIUM_ARGS, PAGE_TIMEOUT, START_TIMEOUT, app_ready  # noqa: E402
from hub_steps import PEOPLE, Hub, os_accounts, running_hub, team_database  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from neglect_kit.serve import voila_command  # noqa: E402

APP = "voila/render/toolkits/chronology.ipynb"
GOAL = 1.3
PERSON = PEOPLE[0]
STOP_TIMEOUT = 30  # s for a person's processes to end after signing out


def _processes(name: str) -> list[str]:
    return subprocess.run(["pgrep", "-u", name], capture_output=True, text=True, check=False).stdout.split()


def _wait_gone(name: str) -> None:
    deadline = time.monotonic() + STOP_TIMEOUT
    while _processes(name):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name}'s processes still run {STOP_TIMEOUT} s after their server was stopped")
        time.sleep(0.2)


def hub_sign_in(browser: Browser, hub: Hub) -> tuple[float, float]:
    """Sign in with the server stopped, to the app; then open the app again on the running server; sign out.

    Returns:
        (seconds from "Sign in" to the app usable, seconds from a new page's goto to the app usable).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 2000})
    page = context.new_page()
    try:
        page.route(lambda url: not url.startswith(hub.url), lambda route: route.abort())
        after = quote(f"/hub/spawn?next={quote(f'/hub/user-redirect/{APP}', safe='')}", safe="")
        page.goto(f"{hub.url}/hub/login?next={after}", timeout=PAGE_TIMEOUT)
        page.get_by_label("Username").fill(PERSON.name)
        page.get_by_label("Password").fill(hub.password)
        start = time.perf_counter()
        page.get_by_role("button", name="Sign in").click()
        app_ready(page)
        cold = time.perf_counter() - start
        again = context.new_page()
        start = time.perf_counter()
        again.goto(f"{hub.url}/user/{PERSON.name}/{APP}", timeout=PAGE_TIMEOUT)
        app_ready(again)
        warm = time.perf_counter() - start
    finally:
        page.goto(f"{hub.url}/hub/logout")  # stops their server (the hub's shutdown_on_logout)
        context.close()
        _wait_gone(PERSON.name)
    return cold, warm


def plain_voila(browser: Browser, db_url: str, folder: Path) -> tuple[float, float]:
    """Start the kit's standalone Voila as the same person, open the app, open it again; stop it.

    Returns:
        (seconds from the process's start to the app usable, seconds from a new page's goto to the app usable).
    """
    account = pwd.getpwnam(PERSON.name)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {"PATH": os.environ.get("PATH", ""), "HOME": account.pw_dir, "USER": PERSON.name,
           "PYTHONPATH": str(REPO), "NEGLECT_KIT_DB": db_url, "LANG": os.environ.get("LANG", "C.UTF-8")}
    base = f"http://127.0.0.1:{port}"
    context = browser.new_context(viewport={"width": 1280, "height": 2000})
    with (folder / "voila.log").open("w", encoding="utf-8") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(voila_command(REPO / "notebooks", port), env=env, cwd=account.pw_dir,
                                user=account.pw_uid, group=account.pw_gid, extra_groups=[], stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the plain Voila did not start; its log:\n"
                                   + (folder / "voila.log").read_text(encoding="utf-8")[-3000:])
            time.sleep(0.05)
        page = context.new_page()
        page.route(lambda url: not url.startswith(base), lambda route: route.abort())
        page.goto(f"{base}/{APP}", timeout=PAGE_TIMEOUT)
        app_ready(page)
        cold = time.perf_counter() - start
        again = context.new_page()
        start = time.perf_counter()
        again.goto(f"{base}/{APP}", timeout=PAGE_TIMEOUT)
        app_ready(again)
        warm = time.perf_counter() - start
    finally:
        context.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        for pid in _processes(PERSON.name):  # its kernels, in sessions of their own
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGTERM)
    _wait_gone(PERSON.name)
    return cold, warm


def main() -> list[str]:
    """Print and return the result lines (none, with the reason, where the hub cannot run here)."""
    if os.geteuid() != 0:
        print("bench_hub: skipped: the hub runs each person's server as their own account, which needs root")
        return []
    with tempfile.TemporaryDirectory(prefix="neglect-kit-bench-hub-") as tmp, os_accounts((PERSON,)) as people, \
            team_database(people) as db, running_hub(db.url, people, Path(tmp) / "state", Path(tmp) / "hub.log") \
            as hub, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            hub_cold, hub_warm, plain_cold, plain_warm, failed = [], [], [], [], []
            turns = (("through the hub", lambda: hub_sign_in(browser, hub), hub_cold, hub_warm),
                     ("plain Voila", lambda: plain_voila(browser, db.url, Path(tmp)), plain_cold, plain_warm))
            # round 0 warms up (the first server and kernel of a run are slow for other reasons): not counted
            for round_ in range(SLOW + 1):
                for name, measure, cold_times, warm_times in turns:
                    try:
                        cold, warm = measure()
                    except PlaywrightTimeout as slow:  # not timed, and said, so a hang is never hidden
                        failed.append(f"{name}, round {round_}: {str(slow).splitlines()[0]}")
                        continue
                    if round_:
                        cold_times.append(cold)
                        warm_times.append(warm)
        finally:
            browser.close()
    for failure in failed:
        print(f"bench_hub: a round did not finish and is not counted ({failure})", flush=True)
    if not (hub_cold and plain_cold):
        print("bench_hub: no round of the hub or of the plain Voila finished; nothing measured", flush=True)
        return []
    return [result_line("sign-in to the chronology app interactive, through the hub (server started)",
                        min(hub_cold), min(plain_cold), GOAL),
            result_line("the chronology app opened on a running server, through the hub",
                        min(hub_warm), min(plain_warm), GOAL)]


if __name__ == "__main__":
    main()

"""The chronology app in the browser (Voila, Chromium): opening it, its kernel's memory, and adding an entry.

Each figure is measured against a floor served by the same Voila in the same run:

- time to interactive: from `page.goto` until the app is usable (`#loading` gone, the
  "Add entry" button shown, the timeline image in the page), against a notebook holding one
  ipywidgets button (until "Go" is shown); best of the rounds. An informative line gives the
  same for a notebook that only imports the app's modules (its timeline's too), to show how much is imports;
- the kernel's memory (RSS) once the app shows the main sample case (the Fenwick children),
  against the kernel of a notebook that only imports what the app imports; median;
- adding an entry: from the click on "Add entry" (the form filled with a valid entry) until
  the new timeline image is in the page, against the click on the one-button notebook's "Go"
  until the label its handler sets is shown (one kernel round trip); median.

The benchmark starts its own Voila on a temporary copy of notebooks/ plus the two floor
notebooks, over a temporary SQLite store loaded by `neglect-kit demo`, and stops it (and
every kernel it started) at the end. The first visit to each notebook is a warm-up, not
timed: the first kernel after Voila starts is slow for reasons that are not the app's.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import psutil
from _common import SLOW, result_line
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from neglect_kit.serve import voila_command

REPO = Path(__file__).resolve().parents[1]
APP = "toolkits/chronology.ipynb"
BUTTON, IMPORTS = "one_button.ipynb", "imports_only.ipynb"
CASE_TITLE = "The Fenwick children"  # the main sample case, `fenwick`
ROUNDS, ADDS = SLOW, 5
TTI_GOAL, MEMORY_GOAL = 1.5, 1.3
CHROMIUM = "/usr/bin/chromium"
# the launch flags of tests/e2e/conftest.py (without the networking ones the closed network
# refuses Chromium's own connections)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
START_TIMEOUT = 60  # s until Voila listens
PAGE_TIMEOUT = 90_000  # ms for a page to become interactive
STEP_TIMEOUT = 30_000  # ms for one redraw or round trip

BUTTON_CELL = """import ipywidgets as w

go = w.Button(description="Go")
shown = w.Label("Not clicked yet")
shown.add_class("bench-clicks")
count = [0]


def clicked(_):
    count[0] += 1
    shown.value = f"Clicked {count[0]} times"


go.on_click(clicked)
w.VBox([go, shown])"""
# what the app's notebook imports, and nothing shown: the app module, and the timeline's drawing (matplotlib),
# which the app imports once the page is sent, to draw the first timeline
IMPORTS_CELL = "import neglect_kit.apps.chronology, neglect_kit.chronology.timeline  # noqa: F401, E401"


def _notebook(source: str) -> str:
    return json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": "bench", "metadata": {}, "outputs": [],
                   "source": source.splitlines(keepends=True)}],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4, "nbformat_minor": 5}, indent=1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """Our own Voila: its URL, its kernels, and a way to shut one down once measured."""

    def __init__(self, proc: subprocess.Popen[bytes], base: str):
        self.proc = proc
        self.base = base
        self.voila = psutil.Process(proc.pid)
        self._http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies := CookieJar()))
        self._cookies = cookies

    def kernels(self) -> dict[int, psutil.Process]:
        """The ipykernel processes Voila has started and not yet shut down, by pid."""
        found = {}
        for child in self.voila.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                if "ipykernel_launcher" in " ".join(child.cmdline()):
                    found[child.pid] = child
        return found

    def shutdown(self, kernel: psutil.Process) -> None:
        """Shut a measured kernel down as the page would on leaving (which Voila refuses without
        an XSRF token), so idle kernels do not pile up during the run."""
        with contextlib.suppress(psutil.Error, OSError):
            kernel_id = re.search(r"kernel-([0-9a-f-]+)\.json", " ".join(kernel.cmdline()))
            if kernel_id is None:
                return
            if not any(c.name == "_xsrf" for c in self._cookies):
                self._http.open(f"{self.base}/", timeout=10).read()  # the listing sets the cookie
            token = next((c.value for c in self._cookies if c.name == "_xsrf"), "")
            request = urllib.request.Request(f"{self.base}/voila/api/shutdown/{kernel_id[1]}", method="POST",
                                             headers={"X-XSRFToken": token}, data=b"")
            self._http.open(request, timeout=10).read()
            kernel.wait(timeout=10)


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[Server]:
    """The project's notebooks and the two floor notebooks, served over a fresh demo store."""
    notebooks = folder / "notebooks"
    shutil.copytree(REPO / "notebooks", notebooks, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (notebooks / BUTTON).write_text(_notebook(BUTTON_CELL), encoding="utf-8")
    (notebooks / IMPORTS).write_text(_notebook(IMPORTS_CELL), encoding="utf-8")
    env = {**os.environ, "NEGLECT_KIT_DB": f"sqlite:///{folder / 'bench.sqlite'}"}
    env.pop("MPLBACKEND", None)  # as `neglect-kit serve` does: kernels inherit it
    demo = subprocess.run([sys.executable, "-m", "neglect_kit.cli", "demo"], env=env, cwd=folder,
                          capture_output=True, text=True, timeout=300, check=False)
    if demo.returncode != 0:
        raise RuntimeError(f"`neglect-kit demo` exited {demo.returncode}:\n{demo.stdout}{demo.stderr}")
    port = _free_port()
    log = (folder / "voila.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(voila_command(notebooks, port), env=env, cwd=folder, stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    server: Server | None = None
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"Voila exited ({proc.returncode}); see its log:\n"
                                   + (folder / "voila.log").read_text(encoding="utf-8")[-3000:])
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Voila did not listen on port {port} within {START_TIMEOUT} s") from None
                time.sleep(0.2)
        server = Server(proc, f"http://127.0.0.1:{port}")
        yield server
    finally:
        # each kernel runs in a session of its own: Voila shuts them down when stopped, and any
        # left once it has gone (it was killed, say) are ended here, by pid
        kernels = list(server.kernels().values()) if server else []
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        for kernel in kernels:
            with contextlib.suppress(psutil.Error):
                kernel.terminate()
                kernel.wait(timeout=10)
        log.close()


def app_ready(page: Page) -> None:
    page.locator("#loading").wait_for(state="hidden", timeout=PAGE_TIMEOUT)
    page.get_by_role("button", name="Add entry").wait_for(state="visible", timeout=PAGE_TIMEOUT)
    page.locator("img.nk-timeline").wait_for(state="visible", timeout=PAGE_TIMEOUT)


def button_ready(page: Page) -> None:
    page.locator("#loading").wait_for(state="hidden", timeout=PAGE_TIMEOUT)
    page.get_by_role("button", name="Go").wait_for(state="visible", timeout=PAGE_TIMEOUT)


def imports_ready(page: Page) -> None:
    page.locator("#loading").wait_for(state="hidden", timeout=PAGE_TIMEOUT)


class Visits:
    """Pages opened in one browser context, each with the kernel Voila started for it."""

    def __init__(self, server: Server, context: BrowserContext):
        self.server = server
        self.context = context

    def open(self, path: str, ready: Callable[[Page], None]) -> tuple[Page, float, psutil.Process]:
        """Open a notebook's page; give it, the seconds from `goto` until `ready` returned, and its kernel."""
        before = set(self.server.kernels())
        page = self.context.new_page()
        page.route(lambda url: not url.startswith(self.server.base), lambda route: route.abort())
        start = time.perf_counter()
        page.goto(f"{self.server.base}/voila/render/{path}", timeout=PAGE_TIMEOUT)
        ready(page)
        took = time.perf_counter() - start
        new = [k for pid, k in self.server.kernels().items() if pid not in before]
        if len(new) != 1:
            raise RuntimeError(f"{path}: expected one new kernel for the page, found {len(new)}")
        return page, took, new[0]

    def close(self, page: Page, kernel: psutil.Process) -> None:
        page.close()
        self.server.shutdown(kernel)


def show_case(page: Page) -> None:
    """Choose the main sample case and wait until its timeline is drawn."""
    page.get_by_label("Case", exact=True).select_option(label=CASE_TITLE)
    page.wait_for_function("() => (document.querySelector('img.nk-timeline') || {}).alt?.includes('Maisie')",
                           timeout=STEP_TIMEOUT)


def settled_rss(kernel: psutil.Process) -> int:
    time.sleep(0.5)  # the last messages of the redraw are handled
    return kernel.memory_info().rss


def fill_entry(page: Page, n: int) -> None:
    """A valid entry in the form: a school entry about Maisie, its text new each time."""
    form = page.locator(".widget-vbox", has=page.get_by_label("What happened", exact=True)).last
    for label, value in (("Event date", f"{n % 28 + 1:02d}/0{n % 9 + 1}/2020"), ("Date recorded", "01/10/2020"),
                         ("What happened", f"Benchmark entry {n}: seen at breakfast club {n} times this term.")):
        field = form.get_by_label(label, exact=True)
        field.fill(value)
        field.press("Tab")  # text syncs to the kernel on change
    form.get_by_label("Source agency", exact=True).select_option(label="School")
    form.get_by_label("Category", exact=True).select_option(label="Positive event or strength")
    form.get_by_label("Maisie Fenwick", exact=True).check()


def timed_add(page: Page) -> float:
    page.evaluate("() => { window.benchOld = document.querySelector('img.nk-timeline').src; }")
    start = time.perf_counter()
    page.get_by_role("button", name="Add entry").click()
    page.wait_for_function("() => { const i = document.querySelector('img.nk-timeline');"
                           " return i && i.src !== window.benchOld; }", timeout=STEP_TIMEOUT)
    took = time.perf_counter() - start
    if page.get_by_role("alert").count():
        raise RuntimeError("the benchmark's entry was not saved: " + page.get_by_role("alert").first.inner_text())
    return took


def timed_click(page: Page) -> float:
    page.evaluate("() => { window.benchOld = document.querySelector('.bench-clicks').textContent; }")
    start = time.perf_counter()
    page.get_by_role("button", name="Go").click()
    page.wait_for_function("() => document.querySelector('.bench-clicks').textContent !== window.benchOld",
                           timeout=STEP_TIMEOUT)
    return time.perf_counter() - start


def memory_line(name: str, measured: int, floor: int, goal: float) -> str:
    """As `_common.result_line`, for bytes shown in MiB."""
    ratio = measured / floor
    line = (f"{name}: {measured / 2**20:.0f} MiB vs floor {floor / 2**20:.0f} MiB = ratio {ratio:.2f}x "
            f"(goal <= {goal:g} x) {'OK' if ratio <= goal else 'OVER'}")
    print(line, flush=True)
    return line


def measure(server: Server, browser: Browser) -> list[str]:
    context = browser.new_context(viewport={"width": 1280, "height": 2000})
    visits = Visits(server, context)
    for path, ready in ((APP, app_ready), (BUTTON, button_ready), (IMPORTS, imports_ready)):  # warm-up
        page, _, kernel = visits.open(path, ready)
        visits.close(page, kernel)

    # a and b: the rounds alternate the app, the one-button floor and the imports-only floor
    app_times, button_times, imports_times, app_rss, imports_rss = [], [], [], [], []
    for _ in range(ROUNDS):
        page, took, kernel = visits.open(APP, app_ready)
        app_times.append(took)
        show_case(page)
        app_rss.append(settled_rss(kernel))
        visits.close(page, kernel)

        page, took, kernel = visits.open(BUTTON, button_ready)
        button_times.append(took)
        visits.close(page, kernel)

        page, took, kernel = visits.open(IMPORTS, imports_ready)
        imports_times.append(took)
        imports_rss.append(settled_rss(kernel))
        visits.close(page, kernel)

    # c: adds on the app and clicks on the button, taking turns
    app, _, app_kernel = visits.open(APP, app_ready)
    show_case(app)
    button, _, button_kernel = visits.open(BUTTON, button_ready)
    adds, clicks = [], []
    for n in range(ADDS):
        # the page being used is the one in front: a page behind is throttled (seconds, not ms)
        app.bring_to_front()
        fill_entry(app, n)
        adds.append(timed_add(app))
        button.bring_to_front()
        clicks.append(timed_click(button))
    visits.close(app, app_kernel)
    visits.close(button, button_kernel)
    context.close()

    return [
        result_line(f"chronology app, time to interactive (goto until 'Add entry' and the timeline are shown; "
                    f"best of {ROUNDS}) vs a one-button notebook (until 'Go' is shown)",
                    min(app_times), min(button_times), TTI_GOAL),
        # where the app's extra time goes: importing its libraries, or building and drawing it
        result_line(f"imports-only notebook, time to interactive (goto until '#loading' is gone; best of {ROUNDS}) "
                    "vs the one-button notebook", min(imports_times), min(button_times), None),
        memory_line(f"chronology app, kernel RSS showing the Fenwick children (median of {ROUNDS}) vs a kernel that "
                    "only imports neglect_kit.apps.chronology and its timeline", int(statistics.median(app_rss)),
                    int(statistics.median(imports_rss)), MEMORY_GOAL),
        result_line(f"chronology app, 'Add entry' click until the new timeline image is shown (median of {ADDS}) "
                    "vs a one-button notebook's click until its handler's label is shown",
                    statistics.median(adds), statistics.median(clicks), None),
    ]


@contextlib.contextmanager
def served_browser(name: str, prepare: Callable[[Path], None] | None = None) -> Iterator[tuple[Server, Browser]]:
    """The notebooks served over a fresh demo store (`prepare(folder)` adds to it first), and Debian's Chromium."""
    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(f"{name} needs Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix=f"{name}-") as tmp, serve(Path(tmp)) as server, \
            sync_playwright() as playwright:
        if prepare:
            prepare(Path(tmp))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield server, browser
        finally:
            browser.close()


def main() -> list[str]:
    """Serve, measure and stop; print and return the lines."""
    with served_browser("bench_app") as (server, browser):
        return measure(server, browser)


if __name__ == "__main__":
    main()

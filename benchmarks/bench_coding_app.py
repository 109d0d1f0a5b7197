"""The coding app in the browser (Voila, Chromium): its time to interactive, and opening a review.

Measured against floors served by the same Voila in the same run (`bench_app`'s server and floor notebooks):

- time to interactive: from `page.goto` until the app is usable (`#loading` gone, the "Review" choice and the
  progress table shown), with the sample corpus loaded (25 reviews, two fictional coders' codings of every review
  but R01, which is assigned to the benchmark's user), against the notebook holding one ipywidgets button (until
  "Go" is shown); best of the rounds. Goal: at most 1.5x (issue 15);
- opening a review: from choosing R01 until its text and the "Save the codes" button are shown, against the
  one-button notebook's click until its handler's label is shown (one kernel round trip); median; informative.

`neglect-kit demo` (run by `bench_app.serve`) loads the sample corpus; `load_corpus` makes sure of it (loading again
is a no-op) and assigns R01 to the kernels' user, once Voila listens (each page opens the database when its kernel
starts).
"""

from __future__ import annotations

import csv
import statistics
import time

from _common import SLOW, result_line
from bench_app import (
    BUTTON,
    PAGE_TIMEOUT,
    REPO,
    STEP_TIMEOUT,
    Visits,
    button_ready,
    served_browser,
    timed_click,
)
from playwright.sync_api import Page

from neglect_kit.config import current_user
from neglect_kit.research import finished_codings, review_records
from neglect_kit.research.corpus import read_corpus
from neglect_kit.store import Store

APP = "research/coding.ipynb"
CORPUS = REPO / "sample_cases" / "reviews"
REVIEW = "R01"  # the review the sample codings leave uncoded
ROUNDS, OPENS = SLOW, 5
TTI_GOAL = 1.5


def load_corpus(db_url: str, user: str) -> None:
    """The sample corpus and its sample codings, and R01 assigned to `user`."""
    store = Store.open(db_url, user=user)
    review_records.load_reviews(store, read_corpus(CORPUS))
    with (CORPUS / "sample_codings.csv").open(encoding="utf-8", newline="") as f:
        finished_codings.import_codings(store, list(csv.DictReader(f)), "sample_codings.csv")
    review_records.assign(store, REVIEW, user)
    store.engine.dispose()


def app_ready(page: Page) -> None:
    page.locator("#loading").wait_for(state="hidden", timeout=PAGE_TIMEOUT)
    page.get_by_label("Review", exact=True).wait_for(state="visible", timeout=PAGE_TIMEOUT)
    page.get_by_role("table").first.wait_for(state="visible", timeout=PAGE_TIMEOUT)


def timed_open(page: Page) -> float:
    """Choose R01 and wait until its text and the Save button show; then go back to no review for the next round."""
    picker = page.get_by_label("Review", exact=True)
    label = picker.locator(f'option[value^="{REVIEW}: "]').get_attribute("value")
    start = time.perf_counter()
    picker.select_option(value=label)
    page.locator(".nk-review-text").wait_for(state="visible", timeout=STEP_TIMEOUT)
    page.get_by_role("button", name="Save the codes").wait_for(state="visible", timeout=STEP_TIMEOUT)
    took = time.perf_counter() - start
    picker.select_option(index=0)
    page.locator(".nk-review-text").wait_for(state="detached", timeout=STEP_TIMEOUT)
    return took


def measure(server, browser) -> list[str]:
    context = browser.new_context(viewport={"width": 1280, "height": 2000})
    visits = Visits(server, context)
    for path, ready in ((APP, app_ready), (BUTTON, button_ready)):  # warm-up
        page, _, kernel = visits.open(path, ready)
        visits.close(page, kernel)
    app_times, button_times = [], []
    for _ in range(ROUNDS):  # the app and the floor take turns
        page, took, kernel = visits.open(APP, app_ready)
        app_times.append(took)
        visits.close(page, kernel)
        page, took, kernel = visits.open(BUTTON, button_ready)
        button_times.append(took)
        visits.close(page, kernel)

    app, _, app_kernel = visits.open(APP, app_ready)
    button, _, button_kernel = visits.open(BUTTON, button_ready)
    opens, clicks = [], []
    for _ in range(OPENS):
        app.bring_to_front()  # a page behind is throttled
        opens.append(timed_open(app))
        button.bring_to_front()
        clicks.append(timed_click(button))
    visits.close(app, app_kernel)
    visits.close(button, button_kernel)
    context.close()
    return [
        result_line(f"coding app, time to interactive with the sample corpus (goto until the review choice and the "
                    f"progress table are shown; best of {ROUNDS}) vs a one-button notebook (until 'Go' is shown)",
                    min(app_times), min(button_times), TTI_GOAL),
        result_line(f"coding app, choosing a review until its text and 'Save the codes' are shown (median of {OPENS}) "
                    "vs a one-button notebook's click until its handler's label is shown",
                    statistics.median(opens), statistics.median(clicks), None),
    ]


def main() -> list[str]:
    """Serve, load the corpus, measure and stop; print and return the lines."""
    # the kernels' user: the one `config.current_user()` names in this environment, which they inherit
    with served_browser("bench_coding_app",
                        lambda folder: load_corpus(f"sqlite:///{folder / 'bench.sqlite'}", current_user())) \
            as (server, browser):
        return measure(server, browser)


if __name__ == "__main__":
    main()

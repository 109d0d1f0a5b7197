"""The analysis notebooks (prevalence, co-occurrence) served as a researcher opens them: every plot with
its alt text, every table with its caption, no WCAG A/AA violation."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

REVIEWS = Path(__file__).resolve().parents[2] / "sample_cases" / "reviews"
READ = """() => ({
  images: [...document.querySelectorAll('img.nk-research-plot')].map(i => ({alt: i.alt, width: i.naturalWidth})),
  captions: [...document.querySelectorAll('table.nk-table caption')].map(c => c.innerText.trim()),
  notes: [...document.querySelectorAll('p.nk-note')].map(p => p.innerText.trim()),
})"""


@pytest.fixture
def corpus_loaded(kit_cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    """The sample corpus and its codings in the session's database (already there after `demo`: then a no-op)."""
    done = kit_cli("reviews", "load", str(REVIEWS), "--codings", str(REVIEWS / "sample_codings.csv"))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("path", "plots", "first_caption"), [
    ("research/prevalence.ipynb", 6, "Codes across 24 coded reviews"),
    ("research/cooccurrence.ipynb", 2, "Codes applied to the same passage (sentence)"),
])
def test_each_plot_has_alt_text_and_its_table(corpus_loaded: None, app: Callable[[str], Page], path: str,
                                               plots: int, first_caption: str,
                                               screenshot: Callable[[Page, str], Path],
                                               axe_check: Callable[[Page], None]) -> None:
    page = app(path)
    expect(page.locator("img.nk-research-plot")).to_have_count(plots, timeout=60_000)
    shown = page.evaluate(READ)
    assert all(i["alt"].startswith(("Bar chart", "Heat map")) and i["width"] > 300 for i in shown["images"]), shown
    assert len(shown["captions"]) == plots and shown["captions"][0].startswith(first_caption), shown["captions"]
    assert shown["notes"][0].startswith("24 reviews counted"), shown["notes"]
    screenshot(page, "opened")
    axe_check(page)

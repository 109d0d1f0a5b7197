"""The extract app (notebooks/research/extract.ipynb) in the browser: choose the two sample cases, meet the
k-anonymity gate, lower it with a reason, see the residual-risk report, and download the extract as a zip
whose files hold none of the sample people's names. Axe finds no WCAG A/AA violation before or after.
Each step leaves a screenshot in test-results/screenshots/.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_steps import fill_and_leave
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

REDRAW = 60_000  # ms: an extract of both sample cases takes some seconds on a busy machine
NAMES = ("Maisie", "Theo", "Donna", "Craig", "Pauline", "Riley", "Stacey", "Gavin", "Fenwick", "Dunmore")


def test_choose_cases_see_the_residual_risk_and_download(app: Callable[[str], Page], sample_case_ids: list[str],
                                                         screenshot: Callable[[Page, str], Path],
                                                         axe_check: Callable[[Page], None], tmp_path: Path) -> None:
    assert {"fenwick", "dunmore"} <= set(sample_case_ids)
    page = app("research/extract.ipynb")
    take = page.get_by_role("button", name="Take the extract")
    expect(take).to_be_visible(timeout=REDRAW)
    screenshot(page, "1-opened")
    axe_check(page)

    page.get_by_role("checkbox", name=re.compile(r"The Fenwick children \(fenwick\)")).check()
    page.get_by_role("checkbox", name=re.compile(r"Riley Dunmore \(dunmore\)")).check()
    take.click()
    refused = page.get_by_role("alert").filter(has_text="Not taken: refused:")
    expect(refused).to_be_visible(timeout=REDRAW)
    expect(refused).to_contain_text("fewer than 5 children")
    screenshot(page, "2-refused-by-the-gate")

    fill_and_leave(page.get_by_label("Least children in a group (k)"), "1")
    fill_and_leave(page.get_by_label("Why lower it"), "The fictional sample cases, to try the kit")
    take.click()
    done = page.get_by_role("status").filter(has_text="Extract of 2 cases")
    expect(done).to_be_visible(timeout=REDRAW)
    report = page.get_by_role("heading", name="Residual risk")
    expect(report).to_be_visible()
    count = int(re.search(r"(\d+) tokens left", done.inner_text()).group(1))
    assert count > 0
    expect(page.locator("table caption").filter(has_text="tokens to check")).to_be_visible()
    screenshot(page, "3-residual-risk")
    axe_check(page)

    link = page.get_by_role("link", name=re.compile("Download the extract"))
    with page.expect_download(timeout=REDRAW) as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "extract.zip"
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as z:
        files = {n: z.read(n).decode("utf-8-sig") for n in z.namelist()}
    assert sorted(files) == ["entries.csv", "extract.json", "findings.csv", "grades.csv", "log.csv", "plans.csv",
                             "residual_risk.csv"]
    assert len(files["residual_risk.csv"].strip().splitlines()) == count + 1
    left = [(f, n) for f, text in files.items() for n in NAMES if re.search(rf"\b{n}\b", text, re.I)]
    assert left == []

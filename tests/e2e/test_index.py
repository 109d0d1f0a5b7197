"""The start page (notebooks/index.ipynb) as a practitioner sees it in the browser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# Each case on the page as headings, paragraphs and tables, read from what is rendered.
READ_CASES = """() => [...document.querySelectorAll('h3')].map(h => {
  const out = {heading: h.innerText.trim(), paragraphs: [], tables: []};
  for (let el = h.nextElementSibling; el && el.tagName !== 'H3'; el = el.nextElementSibling) {
    if (el.tagName === 'TABLE') {
      out.tables.push({
        caption: el.caption ? el.caption.innerText.trim() : '',
        headers: [...el.tHead.rows[0].cells].map(c => c.innerText.trim()),
        rows: [...el.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText.trim())),
      });
    } else if (el.tagName !== 'STYLE') {
      out.paragraphs.push(el.innerText.trim());
    }
  }
  return out;
})"""


def heading_of(case: dict[str, Any]) -> str:
    return f"{case['title']} ({case['id']})"


def table(shown: dict[str, Any], caption_start: str) -> dict[str, Any]:
    found = [t for t in shown["tables"] if t["caption"].startswith(caption_start)]
    assert len(found) == 1, (f"{shown['heading']}: expected one table captioned '{caption_start}...'; "
                             f"tables: {[t['caption'] for t in shown['tables']]}")
    return found[0]


def assert_case_shown(shown: dict[str, Any], case: dict[str, Any]) -> None:
    """The case's children, plans and entries per agency, as the store (`neglect-kit cases`) has them."""
    where = shown["heading"]
    children_line = next((p for p in shown["paragraphs"] if p.startswith("Children:")), "")
    for child in case["children"]:
        assert child["name"] in children_line, f"{where}: child {child['name']} not in {children_line!r}"

    if case["plans"]:
        plans = table(shown, "Plans")
        assert plans["caption"] == f"Plans ({len(case['plans'])})", where
        assert plans["headers"] == ["Child", "Plan", "Risk factors named in the plan"], where
        want = sorted((p["child_name"], p["label"].split(": ", 1)[1],
                       ", ".join(p["risk_factor_labels"]) or "none named") for p in case["plans"])
        got = sorted(tuple(r) for r in plans["rows"])
        assert got == want, f"{where}: plans shown {got}, store has {want}"
    else:
        assert "No plans recorded." in shown["paragraphs"], f"{where}: {shown['paragraphs']}"

    counts = table(shown, "Chronology entries by agency")
    assert counts["caption"].startswith(f"Chronology entries by agency ({case['entries']} in all"), (
        f"{where}: caption {counts['caption']!r}, the store has {case['entries']} entries")
    assert counts["headers"] == ["Agency", "Entries"], f"{where}: {counts['headers']}"
    want_counts = [[agency, str(n)] for agency, n in case["entries_by_agency"].items()]
    assert counts["rows"] == want_counts, f"{where}: shown {counts['rows']}, store has {want_counts}"
    assert case["entries"] > 0, f"{where}: a sample case with no chronology entries at all"


def test_index_lists_every_case_with_children_plans_and_agencies(
        app: Callable[[str], Page], stored_cases: Callable[[], list[dict[str, Any]]],
        sample_case_ids: list[str], screenshot: Callable[[Page, str], Path],
        axe_check: Callable[[Page], None]) -> None:
    page = app("index.ipynb")
    stored = stored_cases()

    expect(page.get_by_role("heading", name="neglect-kit", level=1)).to_be_visible()
    for case in stored:
        expect(page.get_by_role("heading", name=heading_of(case), level=3)).to_be_visible()
    expect(page.get_by_role("button", name="Refresh")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    screenshot(page, "loaded")

    shown = {c["heading"]: c for c in page.evaluate(READ_CASES)}
    assert sorted(shown) == sorted(heading_of(c) for c in stored), "the page and the store list different cases"
    by_id = {c["id"]: c for c in stored}
    assert set(sample_case_ids) <= set(by_id)
    for case in stored:
        assert_case_shown(shown[heading_of(case)], case)

    axe_check(page)


def test_refresh_reads_the_store_again(
        app: Callable[[str], Page], stored_cases: Callable[[], list[dict[str, Any]]],
        kit_cli: Callable[..., Any], sample_case_ids: list[str], tmp_path: Path,
        screenshot: Callable[[Page, str], Path]) -> None:
    page = app("index.ipynb")
    before = stored_cases()
    for case in before:
        expect(page.get_by_role("heading", name=heading_of(case), level=3)).to_be_visible()

    # a case saved after the page was opened (another worker, or `neglect-kit load`)
    folder = tmp_path / "refresh-case"
    (folder / "returns").mkdir(parents=True)
    (folder / "case.toml").write_text(
        '[case]\nid = "e2e-refresh"\ntitle = "Refresh check (fictional)"\n\n'
        '[[people]]\nid = "sam"\nkind = "child"\nname = "Sam Testchild"\ndate_of_birth = 2018-02-03\n\n'
        '[[returns]]\nfile = "returns/school.csv"\nagency = "school"\n', encoding="utf-8")
    (folder / "returns" / "school.csv").write_text(
        "Date,Child,Category,Description\n2024-01-15,Sam Testchild,absence,Not in school; no reason given\n",
        encoding="utf-8")
    done = kit_cli("load", str(folder))
    assert done.returncode == 0, done.stdout + done.stderr
    added = next(c for c in stored_cases() if c["id"] == "e2e-refresh")
    new_heading = page.get_by_role("heading", name=heading_of(added), level=3)
    expect(new_heading).to_have_count(0)

    page.get_by_role("button", name="Refresh").click()

    expect(new_heading).to_be_visible()
    for case in before:
        expect(page.get_by_role("heading", name=heading_of(case), level=3)).to_be_visible()
    expect(page.get_by_text("Sam Testchild")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    screenshot(page, "after-refresh")
    shown = {c["heading"]: c for c in page.evaluate(READ_CASES)}
    for case in [*before, added]:
        assert_case_shown(shown[heading_of(case)], case)

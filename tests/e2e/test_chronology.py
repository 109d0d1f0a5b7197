"""The chronology app (notebooks/toolkits/chronology.ipynb) as a practitioner uses it in the browser.

One test walks the page as a worker would, on the main sample case (the Fenwick children):
open it from the start page, choose the case, add an entry, meet a field error, check an
agency return with a bad row and cancel it, switch to the anonymised view, and download the
entries as CSV. Each step leaves a screenshot in test-results/screenshots/.

The session's store is shared with the other browser tests, so every count is compared with
what the page (or the store) said before the step, never with a fixed number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e2e_steps import fill_and_leave
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

CASE_ID, CASE_TITLE = "fenwick", "The Fenwick children"
# every name and nickname of the sample case's people (sample_cases/fenwick/case.toml)
SAMPLE_NAMES = ["Maisie", "Theo", "Donna", "Craig", "Pauline", "Fenwick", "Maddox", "Maise", "Teddy", "Nan"]
REDRAW = 20_000  # ms: a redraw takes about a second; a busy machine may take many more
# fictional, and unique to this test run's store; it names Maisie so the anonymised view must hide it
ADDED_TEXT = "E2E check: Maisie was seen at the library homework club with a packed lunch and clean uniform."
NBSP = "\xa0"  # ipywidgets writes option labels with no-break spaces
CAPTION = re.compile(r"^(\d+) of (\d+) entries")
ALT_COUNT = re.compile(r"(\d+) entr(?:y|ies) from ")

# a school return: row 2 is valid, row 3 names a child who is not in the case (header is row 1)
BAD_RETURN_NAME = "school-e2e-return.csv"
BAD_RETURN = (
    "Date,Date recorded,Child,Type,What happened\n"
    "12/03/2020,12/03/2020,Maisie,Attendance,Arrived 20 minutes late; said the alarm did not go off.\n"
    "13/03/2020,13/03/2020,Tyler,Home conditions,Cousin stayed over and came in without a coat.\n"
)


def caption_counts(page: Page) -> tuple[int, int]:
    """(shown, total) from the entries table's caption, "N of M entries"."""
    text = page.locator("table.nk-chronology caption").inner_text().strip()
    found = CAPTION.match(text)
    assert found, f"the entries table caption should read 'N of M entries'; it reads {text!r}"
    return int(found[1]), int(found[2])


def timeline(page: Page) -> Locator:
    return page.locator("img.nk-timeline")


def alt_count(alt: str) -> int:
    found = ALT_COUNT.search(alt)
    assert found, f"the timeline's alt text should say how many entries it shows: {alt!r}"
    return int(found[1])


def entry_form(page: Page) -> Locator:
    """The entry form: the innermost box holding the "What happened" field (a filter is also labelled Category)."""
    return page.locator(".widget-vbox", has=page.get_by_label("What happened", exact=True)).last


def field_row(page: Page, label: str) -> Locator:
    """A form field with the place beside it where its error shows."""
    return page.locator(".widget-hbox", has=page.get_by_label(label, exact=True)).last


def store_entries(stored_cases: Callable[[], list[dict[str, Any]]]) -> int:
    return next(c["entries"] for c in stored_cases() if c["id"] == CASE_ID)


def names_on_page(page: Page) -> list[str]:
    """Every sample name in the page's HTML, its options and its form values (images' data left out)."""
    html = re.sub(r"data:[a-z/+.-]+;base64,[A-Za-z0-9+/=]+", "data:", page.content())
    options = page.locator("option").all_inner_texts()
    values = page.evaluate("[...document.querySelectorAll('input, textarea')].map(e => e.value)")
    text = "\n".join([html, *options, *values])
    return [name for name in SAMPLE_NAMES if re.search(rf"\b{name}\b", text)]


def test_chronology_add_check_anonymise_and_download(
        app: Callable[[str], Page], stored_cases: Callable[[], list[dict[str, Any]]],
        sample_case_ids: list[str], screenshot: Callable[[Page, str], Path],
        axe_check: Callable[[Page], None], tmp_path: Path) -> None:
    assert CASE_ID in sample_case_ids
    problems: list[str] = []

    # 1. from the start page to the app --------------------------------------------------------
    page = app("index.ipynb")
    page.get_by_role("link", name="Chronology", exact=True).click()
    page.wait_for_url(re.compile(r"/voila/render/toolkits/chronology\.ipynb$"), timeout=REDRAW)
    page.locator("#loading").wait_for(state="hidden", timeout=90_000)
    expect(page.get_by_role("button", name="Add entry")).to_be_visible(timeout=REDRAW)
    expect(page.get_by_role("alert")).to_have_count(0)
    screenshot(page, "1-opened")

    # 2. the main sample case: its table and its timeline ---------------------------------------
    case = page.get_by_label("Case", exact=True)
    case.select_option(label=CASE_TITLE)
    expect(timeline(page)).to_have_attribute("alt", re.compile("Maisie Fenwick"), timeout=REDRAW)
    expect(page.get_by_label("Maisie Fenwick", exact=True)).to_be_visible(timeout=REDRAW)
    expect(page.locator("table.nk-chronology caption")).to_have_text(CAPTION, timeout=REDRAW)
    shown_before, total_before = caption_counts(page)
    assert shown_before == total_before > 0, "no filter is set, so every entry of the case is shown"
    alt_before = timeline(page).get_attribute("alt") or ""
    src_before = timeline(page).get_attribute("src") or ""
    assert alt_before.strip() and src_before.startswith("data:image/png;base64,")
    assert {"Maisie", "Theo", "Fenwick"} <= set(names_on_page(page)), "the named view names the children"
    screenshot(page, "2-case-chosen")
    axe_check(page)

    # 3. add an entry through the form ------------------------------------------------------------
    form = entry_form(page)
    fill_and_leave(form.get_by_label("Event date", exact=True), "14/06/2021")
    fill_and_leave(form.get_by_label("Date recorded", exact=True), "15/06/2021")
    form.get_by_label("Source agency", exact=True).select_option(label="School")
    form.get_by_label("Maisie Fenwick", exact=True).check()
    form.get_by_label("Category", exact=True).select_option(label="Positive event or strength")
    fill_and_leave(form.get_by_label("What happened", exact=True), ADDED_TEXT)
    expect(form.get_by_role("alert")).to_have_count(0)
    page.get_by_role("button", name="Add entry").click()

    expect(page.get_by_text("Entry added.")).to_be_visible(timeout=REDRAW)
    expect(page.locator("table.nk-chronology")).to_contain_text(ADDED_TEXT, timeout=REDRAW)
    expect(timeline(page)).not_to_have_attribute("src", src_before, timeout=REDRAW)
    assert caption_counts(page) == (shown_before + 1, total_before + 1)
    alt_after = timeline(page).get_attribute("alt") or ""
    assert alt_count(alt_after) == alt_count(alt_before) + 1, (alt_before, alt_after)
    entries_after_add = store_entries(stored_cases)
    # the table scrolls in its own box: bring the new row into view for the screenshot
    page.locator("table.nk-chronology tbody tr", has_text=ADDED_TEXT).scroll_into_view_if_needed()
    screenshot(page, "3-entry-added")

    # 4. a date in the future is named beside its field -----------------------------------------
    event_date = form.get_by_label("Event date", exact=True)
    fill_and_leave(event_date, "01/01/2091")
    expect(field_row(page, "Event date")).to_contain_text("in the future", timeout=REDRAW)
    expect(field_row(page, "Date recorded")).not_to_contain_text("in the future")
    screenshot(page, "4-future-date")

    # 5. a return with a bad row is reported, and nothing is saved --------------------------------
    bad = tmp_path / BAD_RETURN_NAME
    bad.write_text(BAD_RETURN, encoding="utf-8")
    page.get_by_role("button", name="Open the import of returns").click()  # built on first opening
    # FileUpload's <input type=file> is never put in the page: its button opens the file chooser.
    # The button's accessible name starts with the upload icon's glyph, hence the regex.
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile(r"Choose returns \(\d+\)$")).click()
    chooser.value.set_files(str(bad))
    expect(page.get_by_role("button", name=re.compile(r"Choose returns \(1\)$"))).to_be_visible(timeout=REDRAW)
    page.get_by_label("Agency of the file", exact=True).select_option(label="School")
    page.get_by_role("button", name="Check the files").click()

    report = page.locator("table", has=page.locator("caption", has_text="What the check found"))
    expect(report).to_be_visible(timeout=REDRAW)
    tyler = report.locator("tbody tr", has_text="Tyler")
    expect(tyler).to_have_count(1)
    cells = [c.strip() for c in tyler.locator("td").all_inner_texts()]
    assert cells[:4] == ["Error", BAD_RETURN_NAME, "3", "Child"], cells
    results = page.locator(".widget-vbox", has=page.get_by_role("button", name="Check the files")).last
    expect(results).to_contain_text("2 row(s): 1 ready to import, 1 error(s)")
    expect(results).to_contain_text("nothing is saved until you choose")
    expect(page.get_by_role("button", name="Import all")).to_be_disabled()
    expect(page.get_by_role("button", name="Import valid rows only")).to_be_enabled()
    assert caption_counts(page) == (shown_before + 1, total_before + 1), "checking saved something"
    assert store_entries(stored_cases) == entries_after_add, "checking a return saved something"
    screenshot(page, "5-return-checked")

    page.get_by_role("button", name="Cancel").click()
    expect(results).to_contain_text("Nothing was saved.", timeout=REDRAW)
    expect(report).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile(r"Choose returns \(0\)$"))).to_be_visible()
    assert store_entries(stored_cases) == entries_after_add, "cancelling saved something"
    assert caption_counts(page) == (shown_before + 1, total_before + 1)
    screenshot(page, "5-return-cancelled")

    # 6. the anonymised view names nobody -------------------------------------------------------
    # the same case, still drawn with its plans (a plan names nobody), only its people relabelled
    case_index = case.evaluate("select => select.selectedIndex")
    assert re.search(r"child protection plan", timeline(page).get_attribute("alt") or ""), "plans in the alt"
    src_named = timeline(page).get_attribute("src")
    page.get_by_role("button", name="Anonymised", exact=True).click()
    expect(timeline(page)).not_to_have_attribute("src", src_named or "", timeout=REDRAW)
    expect(timeline(page)).to_have_attribute("alt", re.compile("Child A"), timeout=REDRAW)
    expect(page.get_by_label("Case", exact=True).locator("option", has_text=CASE_TITLE)).to_have_count(0)
    assert caption_counts(page) == (shown_before + 1, total_before + 1)
    expect(page.locator("table.nk-chronology")).to_contain_text("Child A")
    expect(page.locator("table.nk-chronology")).to_contain_text(
        "was seen at the library homework club with a packed lunch")
    assert names_on_page(page) == [], "the anonymised view shows a name of the family"
    # Checked here, failed at the end, so that the downloads are still tried and shot.
    chosen_index, chosen_text = case.evaluate("s => [s.selectedIndex, s.options[s.selectedIndex].text]")
    if chosen_index != case_index:
        problems.append(f"after switching to Anonymised the Case dropdown shows {chosen_text.replace(NBSP, ' ')!r} "
                        f"(option {chosen_index}), not the case being read (option {case_index}), while the table "
                        "still shows that case's entries")
    alt_anonymised = timeline(page).get_attribute("alt") or ""
    if "child protection plan" not in alt_anonymised:
        problems.append("after switching to Anonymised the timeline no longer shows the case's plans; its alt "
                        f"text ends: ...{alt_anonymised[-60:]!r}")
    screenshot(page, "6-anonymised")
    axe_check(page)

    # 7. the CSV download holds what the table shows ----------------------------------------------
    page.get_by_role("button", name="Prepare downloads").click()
    link = page.get_by_role("link", name="Download the entries as CSV")
    expect(link).to_be_visible(timeout=REDRAW)
    with page.expect_download(timeout=REDRAW) as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".csv" and "anonymised" in saved.name, saved.name
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert rows and "What happened" in rows[0], f"no 'What happened' column in the header: {rows[:1]}"
    shown, _ = caption_counts(page)
    assert len(rows) - 1 == shown, f"the CSV holds {len(rows) - 1} entries; the table says {shown}"
    descriptions = [r[rows[0].index("What happened")] for r in rows[1:]]
    assert any("library homework club" in d for d in descriptions)
    in_csv = [n for n in SAMPLE_NAMES if re.search(rf"\b{n}\b", saved.read_text(encoding="utf-8-sig"))]
    assert in_csv == [], f"the anonymised CSV names {in_csv}"
    screenshot(page, "7-downloaded")
    assert not problems, "the anonymised view:\n" + "\n".join(problems)

"""Moving between the apps and working them by keyboard (issue 13, items 1, 5, 6 and 11), in Chromium.

- An app opened with `?case=&child=` shows that child; the header's link to another app carries it, and
  the other app opens on the same child; choosing another child changes the links; the tab says the app.
- A date typed the UK way ("13/6/2020") into the chronology's filter is read day first, shown back in
  words, and filters the entries.
- From the top of the chronology, the skip link is the first Tab stop and leads to the entry form's first
  field: one stop, where there were 21; the focus ring is at least 2 px at 3:1 against white.
- Saving an empty entry form moves the focus to its first field in error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_steps import fill_and_leave
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

REDRAW = 20_000  # ms
FIRST_PAGE = 90_000  # ms
CASE, CHILD, CHILD_NAME, OTHER, OTHER_NAME = "fenwick", "theo", "Theo Fenwick", "maisie", "Maisie Fenwick"
CAPTION = re.compile(r"^(\d+) of (\d+) entries")
# the focused element: its tag, its label (a widget's <label for>, else its own text) and its focus ring
FOCUSED = """() => { const e = document.activeElement; const s = getComputedStyle(e);
  const label = e.id ? document.querySelector(`label[for="${e.id}"]`) : null;
  return {tag: e.tagName, label: ((label && label.innerText) || e.innerText || '').trim(),
          outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth), outlineColor: s.outlineColor}; }"""


def wait_for_app(page: Page) -> None:
    page.locator("#loading").wait_for(state="hidden", timeout=FIRST_PAGE)


def contrast_with_white(rgb: str) -> float:
    """WCAG contrast ratio of a CSS rgb()/rgba() colour against white."""
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", rgb)[:3])

    def lum(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    y = 0.2126 * lum(r) + 0.7152 * lum(g) + 0.0722 * lum(b)
    return 1.05 / (y + 0.05)


def expect_child(page: Page, name: str) -> None:
    """The Child dropdown shows `name` (ipywidgets writes option labels with no-break spaces)."""
    chosen = page.get_by_label("Child", exact=True).locator("option:checked")
    expect(chosen).to_have_text(re.compile(r"\s*".join(name.split()) + r"\s*$"), timeout=REDRAW)


def test_the_child_travels_with_the_address_and_the_header_links(
        app: Callable[[str], Page], screenshot: Callable[[Page, str], Path],
        axe_check: Callable[[Page], None]) -> None:
    page = app(f"toolkits/neglect_assessment.ipynb?case={CASE}&child={CHILD}")
    expect(page).to_have_title("Neglect assessment \u00b7 neglect-kit")
    expect_child(page, CHILD_NAME)
    header = page.get_by_role("navigation", name="The kit's apps")
    expect(header.get_by_role("link", name="neglect-kit", exact=True)).to_have_attribute(
        "href", re.compile(r"/voila/render/index\.ipynb$"))
    expect(header).to_contain_text("Using the kit:")
    expect(header.get_by_role("link", name="Sign out")).to_have_count(0)  # no hub: no sign-in to leave
    # one main landmark, holding the notebook's title and the app with its header
    main = page.get_by_role("main")
    expect(main).to_have_count(1)
    expect(main.get_by_role("navigation", name="The kit's apps")).to_be_visible()
    expect(main.get_by_role("heading", name="Neglect assessment", level=1)).to_be_visible()
    screenshot(page, "1-assessment-from-address")
    axe_check(page)

    # the header's link to another app carries the child; that app opens on it
    link = header.get_by_role("link", name="A day in the child's life", exact=True)
    expect(link).to_have_attribute("href", re.compile(rf"day_in_the_life\.ipynb\?case={CASE}&child={CHILD}$"))
    link.click()
    page.wait_for_url(re.compile(rf"day_in_the_life\.ipynb\?case={CASE}&child={CHILD}$"), timeout=REDRAW)
    wait_for_app(page)
    expect(page).to_have_title("A day in the child's life \u00b7 neglect-kit")
    expect_child(page, CHILD_NAME)
    screenshot(page, "2-day-same-child")

    # another child chosen here: the links follow, and the chronology opens on that child
    page.get_by_label("Child", exact=True).select_option(label=OTHER_NAME)
    chronology = page.get_by_role("navigation", name="The kit's apps").get_by_role("link", name="Chronology",
                                                                                    exact=True)
    expect(chronology).to_have_attribute("href", re.compile(rf"\?case={CASE}&child={OTHER}$"), timeout=REDRAW)
    chronology.click()
    page.wait_for_url(re.compile(rf"chronology\.ipynb\?case={CASE}&child={OTHER}$"), timeout=REDRAW)
    wait_for_app(page)
    expect_child(page, OTHER_NAME)
    screenshot(page, "3-chronology-other-child")

    # opened with no address, an app opens on the child last chosen
    page = app("toolkits/child_summary.ipynb")
    expect_child(page, OTHER_NAME)

    # an id the kit does not hold is told in words
    page = app("toolkits/screening.ipynb?case=no-such-case")
    expect(page.get_by_text("The page address names a case (no-such-case) the kit does not hold")).to_be_visible(
        timeout=REDRAW)
    screenshot(page, "4-unknown-case")
    axe_check(page)


def test_a_uk_date_typed_into_the_filter_filters(app: Callable[[str], Page],
                                                  screenshot: Callable[[Page, str], Path]) -> None:
    page = app(f"toolkits/chronology.ipynb?case={CASE}")
    caption = page.locator("table.nk-chronology caption")
    expect(caption).to_have_text(CAPTION, timeout=REDRAW)
    shown, total = (int(n) for n in CAPTION.match(caption.inner_text().strip()).groups())
    assert shown == total > 0

    # Tab stops from the top of the page to the entry form's first field, without the skip link: the 21 the
    # app had, the header's 8 (the skip link, the kit's name, the 6 other apps) and nothing else
    stops = 0
    while page.evaluate(FOCUSED)["label"] != "Event date" and stops < 80:
        page.keyboard.press("Tab")
        stops += 1
    print(f"Tab stops to the entry form's first field without the skip link: {stops - 1} before it")
    assert stops - 1 <= 21 + 8, stops

    fill_and_leave(page.get_by_label("From", exact=True), "13/6/2020")
    expect(page.get_by_text("Saturday 13 June 2020")).to_be_visible(timeout=REDRAW)
    # the caption goes on after the count ("; the first 25 shown here"), so wait on the count itself
    expect(caption).not_to_have_text(re.compile(rf"^{total} of {total} entries"), timeout=REDRAW)
    after = int(CAPTION.match(caption.inner_text().strip())[1])
    assert 0 < after < total, f"from 13 June 2020: {after} of {total} entries"
    screenshot(page, "1-filtered-from-13-june-2020")

    fill_and_leave(page.get_by_label("To", exact=True), "31/13/2020")
    expect(page.get_by_text("Not read as a date")).to_be_visible(timeout=REDRAW)
    expect(page.get_by_text("has no month 13")).to_be_visible()
    screenshot(page, "2-date-not-read")


def test_keyboard_skip_link_focus_ring_and_first_error(app: Callable[[str], Page],
                                                      screenshot: Callable[[Page, str], Path],
                                                      axe_check: Callable[[Page], None]) -> None:
    page = app(f"toolkits/chronology.ipynb?case={CASE}")
    expect(page.get_by_role("button", name="Add entry")).to_be_visible(timeout=REDRAW)
    expect(page.locator("table.nk-chronology caption")).to_have_text(CAPTION, timeout=REDRAW)

    page.keyboard.press("Tab")
    skip = page.evaluate(FOCUSED)
    assert skip["label"] == "Skip to the main form", f"the first Tab stop is {skip}"
    assert skip["outlineStyle"] != "none" and skip["outlineWidth"] >= 2, skip
    assert contrast_with_white(skip["outlineColor"]) >= 3, skip
    screenshot(page, "1-skip-link")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["tag"] == "INPUT" and first["label"] == "Event date", f"after the skip link: {first}"
    assert first["outlineStyle"] != "none" and first["outlineWidth"] >= 2, first
    assert contrast_with_white(first["outlineColor"]) >= 3, first
    screenshot(page, "2-first-field-focused")

    # the date control is one Tab stop: the next goes straight to the next field
    page.get_by_label("From", exact=True).focus()
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["label"] == "To"

    # an empty form saved: the focus goes to its first field in error, not the message at its foot
    page.get_by_role("button", name="Add entry").click()
    expect(page.get_by_text("need attention")).to_be_visible(timeout=REDRAW)
    page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'INPUT'",
                           timeout=REDRAW)
    assert page.evaluate(FOCUSED)["label"] == "Event date"
    screenshot(page, "3-focus-on-first-error")
    axe_check(page)


def test_an_entry_added_with_the_keyboard_alone(app: Callable[[str], Page], screenshot: Callable[[Page, str], Path]
                                                ) -> None:
    page = app(f"toolkits/chronology.ipynb?case={CASE}&child={CHILD}")
    caption = page.locator("table.nk-chronology caption")
    expect(caption).to_have_text(CAPTION, timeout=REDRAW)
    total = int(CAPTION.match(caption.inner_text().strip())[2])
    words = "Keyboard check: Theo walked to school with his sister and had breakfast there."
    keys = page.keyboard
    keys.press("Tab")  # the skip link
    keys.press("Enter")
    keys.press("Tab")
    assert page.evaluate(FOCUSED)["label"] == "Event date"
    keys.type("2/3/2022")

    def tab_to(label: str) -> None:
        for _ in range(10):
            keys.press("Tab")
            # a checkbox's label wraps it; other controls name theirs with <label for>
            wrapped = page.evaluate("() => (document.activeElement.closest('label')?.innerText || '').trim()")
            if label in (page.evaluate(FOCUSED)["label"], wrapped):
                return
        raise AssertionError(f"Tab never reached {label!r}; at {page.evaluate(FOCUSED)}")

    tab_to("Source agency")
    keys.type("School")  # a focused list chooses by the letters typed
    tab_to(CHILD_NAME)
    keys.press("Space")
    tab_to("Category")
    keys.type("Positive")
    tab_to("What happened")
    keys.type(words)
    tab_to("Add entry")
    keys.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Entry added")).to_be_visible(timeout=REDRAW)
    expect(caption).to_contain_text(f"of {total + 1} entries", timeout=REDRAW)
    expect(page.locator("table.nk-chronology tbody tr", has_text=words)).to_have_count(1, timeout=REDRAW)
    screenshot(page, "keyboard-entry-added")

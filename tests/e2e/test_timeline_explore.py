"""The timeline to explore in the chronology app: hover a mark to read its entry, click it to open it.

The page opens on the timeline's picture; "Explore the timeline" swaps in the ipympl canvas (its
JavaScript served by the kit's own Voila: every request elsewhere is refused by `open_app`). A mark
is found on the canvas by its colour (the positive impact's bluish green, in the upper panel, above
the key), hovered and clicked as a user would.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CASE_TITLE = "The Fenwick children"
REDRAW = 30_000  # ms
GREEN = np.array([0x00, 0x9E, 0x73])  # the positive impact's fill (timeline_layout.IMPACTS)
HOVERED = re.compile(r"\d.*, [A-Z][^:]+: \S")  # "12 Mar 2019, School: what happened"


def a_green_mark(canvas_png: bytes) -> tuple[int, int]:
    """The centre of a positive-impact mark on the canvas: the topmost cluster of its exact green."""
    pixels = np.asarray(Image.open(io.BytesIO(canvas_png)).convert("RGB")).astype(int)
    ys, xs = np.nonzero(np.abs(pixels - GREEN).sum(axis=2) < 12)
    assert len(ys), "no positive-impact mark drawn on the canvas"
    top = ys.min()
    near = (ys < top + 12) & (np.abs(xs - xs[ys.argmin()]) < 12)
    return int(np.median(xs[near])), int(np.median(ys[near]))


def test_hover_reads_an_entry_and_a_click_opens_it(app: Callable[[str], Page], screenshot: Callable[[Page, str], Path],
                                                    axe_check: Callable[[Page], None]) -> None:
    page = app("toolkits/chronology.ipynb")
    expect(page.get_by_role("button", name="Add entry")).to_be_visible(timeout=REDRAW)
    page.get_by_label("Case", exact=True).select_option(label=CASE_TITLE)
    expect(page.locator("img.nk-timeline")).to_have_attribute("alt", re.compile("Maisie Fenwick"), timeout=REDRAW)

    page.get_by_role("button", name="Explore the timeline: point, click, zoom").click()
    canvas = page.locator(".jupyter-matplotlib-figure canvas").first
    expect(canvas).to_be_visible(timeout=REDRAW)
    expect(page.locator("img.nk-timeline")).to_be_hidden()
    page.wait_for_timeout(1500)  # the first full image arrives after the canvas is shown
    box = canvas.bounding_box()
    assert box is not None
    x, y = a_green_mark(canvas.screenshot())

    hover = page.locator(".nk-hover")
    page.mouse.move(box["x"] + x, box["y"] + y)
    expect(hover).to_have_text(HOVERED, timeout=REDRAW)
    said = hover.inner_text()
    screenshot(page, "1-hovered")
    axe_check(page)

    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page.get_by_role("button", name="Save changes")).to_be_visible(timeout=REDRAW)
    expect(page.get_by_text(re.compile("Editing the entry of"))).to_be_visible(timeout=REDRAW)
    chosen = page.get_by_label("What happened", exact=True).input_value()
    assert " ".join(chosen.split())[:40] in said, f"hovered {said!r} but opened {chosen!r}"
    screenshot(page, "2-opened")

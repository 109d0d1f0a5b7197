"""Timeline text drawn from cached outlines: where Matplotlib's own text would be, and only on raster canvases."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure

from neglect_kit.chronology.timeline import figure_bytes, timeline_figure
from neglect_kit.chronology.timeline_glyphs import figure_text
from neglect_kit.config import Settings
from tests.test_timeline import JACK, MIXED, PLANS, RUBY, YEAR


def _ink(fig: Figure) -> tuple[np.ndarray, np.ndarray]:
    """The drawn pixels' box (x0, y0, x1, y1) and the darkness of each pixel."""
    FigureCanvasAgg(fig)
    with mpl.rc_context({"text.hinting": "none"}):  # as `figure_bytes` draws every PNG
        fig.canvas.draw()
    dark = 255 - np.asarray(fig.canvas.buffer_rgba())[..., :3].min(axis=2).astype(int)
    ys, xs = np.nonzero(dark > 40)
    return np.array([xs.min(), ys.min(), xs.max(), ys.max()]), dark


@pytest.mark.parametrize(("text", "ha", "va", "bbox"), [
    ("Health visiting", "right", "center", None),
    ("Jan\n2020", "center", "top", None),
    ("CP: neglect", "left", "baseline", None),
    ("Home conditions", "left", "center", {"boxstyle": "round,pad=0.15", "fc": "#BBBBBB", "ec": "none"}),
    ("Over 6 in 2 months: count (red: negative share)", "center", "bottom", None),
])
def test_outline_text_lands_where_matplotlib_text_does(text, ha, va, bbox):
    props = {"fontsize": 8, "ha": ha, "va": va, "bbox": bbox, "color": "#222222"}
    plain, outlined = Figure(figsize=(4, 1.5)), Figure(figsize=(4, 1.5))
    plain.text(0.5, 0.5, text, **props)
    figure_text(outlined, 0.5, 0.5, text, **props)
    box, dark = _ink(plain)
    box2, dark2 = _ink(outlined)
    assert np.abs(box - box2).max() <= 1  # the same place, to a pixel
    assert abs(dark.sum() - dark2.sum()) < 0.08 * dark.sum()  # and as much ink


def test_vector_output_is_matplotlibs_own_text():
    plain, outlined = Figure(figsize=(4, 1.5)), Figure(figsize=(4, 1.5))
    plain.text(0.5, 0.5, "Health visiting", fontsize=8, ha="right", gid="lane_label")
    figure_text(outlined, 0.5, 0.5, "Health visiting", fontsize=8, ha="right", gid="lane_label")
    assert figure_bytes(outlined, "svg") == figure_bytes(plain, "svg")


def test_a_timeline_png_lays_out_no_label_at_draw_time(monkeypatch):
    """Only the two panel titles (axes titles) are drawn as Matplotlib text; every label is outlines."""
    calls: list[str] = []
    real = RendererAgg.draw_text

    def counted(self: RendererAgg, gc: object, x: float, y: float, s: str, *args: object, **kwargs: object) -> None:
        calls.append(s)
        real(self, gc, x, y, s, *args, **kwargs)

    monkeypatch.setattr(RendererAgg, "draw_text", counted)
    fig = timeline_figure(MIXED, PLANS, [RUBY, JACK], Settings(), YEAR)
    assert figure_bytes(fig).startswith(b"\x89PNG")
    assert sorted(calls) == ["Child A (4 entries)", "Child B (3 entries)"]
    assert len(fig.texts) > 10  # the title and the key, as texts a test or a reader can still ask for

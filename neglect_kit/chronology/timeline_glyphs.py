"""Timeline text drawn from glyph outlines laid out once per string, not at every draw.

Matplotlib lays a `Text` out twice each time it draws it (measuring it to align it, then
again to render it) and renders its glyphs one at a time; at the timeline's ninety-odd
labels that was most of the time a PNG took. An `OutlineText` is a `Text` that, on a raster
canvas, fills the string's glyph outlines as one path, laid out once per string and font in
the process: the same lane names, dates, key and vocabulary labels come back at every redraw.
The outlines are the glyphs FreeType renders unhinted (as `figure_bytes` draws every PNG), so
the page looks the same. A vector canvas (SVG, PDF) gets Matplotlib's own text, and so does
anything this does not lay out (rotation, mathtext, TeX, wrapping, path effects).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import matplotlib.colors as mcolors
import numpy as np
from matplotlib import cbook
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import findfont, get_font
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

from .timeline_layout import FontKey, font_key, font_props, line_metrics


@lru_cache(maxsize=64)
def _font_lines(key: FontKey) -> tuple[float, float, float]:
    """The font's ascent, descent and line gap in points: the least a line of text takes."""
    font = get_font(findfont(font_props(key)))
    scale = key[-1] / font.get_sfnt_table("head")["unitsPerEm"]
    for table, gap, up, down in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                 ("hhea", "lineGap", "ascent", "descent")):
        if (values := font.get_sfnt_table(table)) is not None:
            return values[up] * scale, -values[down] * scale, values[gap] * scale
    _, h, d = line_metrics("lp", key)
    return h - d, d, 0.0


@lru_cache(maxsize=4096)
def _outline(text: str, key: FontKey) -> Path:
    """The line's glyph outlines in points, from the left end of its baseline."""
    path = TextPath((0, 0), text, prop=font_props(key))
    return Path(path.vertices, path.codes)


@lru_cache(maxsize=4096)
def laid_out(text: str, key: FontKey, ha: str, va: str, align: str
             ) -> tuple[tuple[tuple[Path, float, float], ...], tuple[float, float, float, float]]:
    """Each line's outline and origin, and the text's box, in points from the anchor.

    As `Text` lays out unrotated text with the "normal" line spacing: each line at least the
    font's ascent and descent high (plus its line gap between lines), lines aligned within
    the block by `align`, the block placed on the anchor by `ha` and `va`.
    """
    lines = text.split("\n")
    min_up, min_down, gap = _font_lines(key)
    gap = gap if len(lines) > 1 else 0.0
    y, placed = 0.0, []
    for line in lines:
        w, h, d = line_metrics(line, key) if line else (0.0, 0.0, 0.0)
        up, down = max(h - d, min_up) + gap / 2, max(d, min_down) + gap / 2
        y -= up
        placed.append((line, w, y))
        y -= down
    width, bottom = max(w for _, w, _ in placed), y
    dx = {"left": 0.0, "center": width / 2, "right": width}[ha]
    dy = {"bottom": bottom, "top": 0.0, "center": bottom / 2, "baseline": bottom + down}[va]
    shift = {"left": 0.0, "center": 0.5, "right": 1.0}[align]
    drawn = tuple((_outline(line, key), (width - w) * shift - dx, base - dy)
                  for line, w, base in placed if line.strip())
    return drawn, (-dx, bottom - dy, width, -bottom)


class OutlineText(Text):
    """A `Text` that a raster canvas draws from outlines laid out once per string (see the module)."""

    def _plain(self) -> bool:
        """Whether this text is laid out here: unrotated plain text with an alignment handled here."""
        text = self.get_text()
        return (self.get_rotation() == 0 and not self.get_usetex() and not self.get_wrap()
                and not self.get_path_effects() and self.get_linespacing() == "normal"
                and self.get_verticalalignment() in ("bottom", "top", "center", "baseline")
                and not (self.get_parse_math() and cbook.is_math_text(text)))

    def draw(self, renderer: Any) -> None:
        """Fill the outlines on an Agg canvas; anything else draws as a `Text`."""
        if not isinstance(renderer, RendererAgg) or not self._plain():
            super().draw(renderer)
            return
        if not self.get_visible() or not self.get_text():
            return
        x, y = self.get_transform().transform(
            (float(self.convert_xunits(self.get_unitless_position()[0])),
             float(self.convert_yunits(self.get_unitless_position()[1]))))
        if not (np.isfinite(x) and np.isfinite(y)):
            return
        key = font_key(self.get_fontproperties())
        ha = self.get_horizontalalignment()  # lines aligned as the block is: a `Text` with no multialignment set
        lines, (bx, by, bw, bh) = laid_out(self.get_text(), key, ha, self.get_verticalalignment(), ha)
        scale = renderer.points_to_pixels(1.0)
        renderer.open_group("text", self.get_gid())
        if (box := self.get_bbox_patch()) is not None:  # as `Text.update_bbox_position_size` places it
            box.set_bounds(0.0, 0.0, bw * scale, bh * scale)
            box.set_transform(Affine2D().translate(x + bx * scale, y + by * scale))
            box.set_mutation_scale(renderer.points_to_pixels(self.get_size()))
            box.draw(renderer)
        gc = renderer.new_gc()
        gc.set_linewidth(0)
        gc.set_antialiased(self.get_antialiased())
        gc.set_snap(False)
        gc.set_url(self.get_url())
        if self.get_clip_on():
            gc.set_clip_rectangle(self.get_clip_box())
            gc.set_clip_path(self.get_clip_path())
        face = mcolors.to_rgba(self.get_color(), self.get_alpha())
        for path, lx, ly in lines:
            renderer.draw_path(gc, path, Affine2D().scale(scale).translate(x + lx * scale, y + ly * scale), face)
        gc.restore()
        renderer.close_group("text")
        self.stale = False


def axes_text(ax: Axes, x: float, y: float, text: str, **props: Any) -> OutlineText:
    """`ax.text` as an `OutlineText`: in data coordinates unless a transform is given, not clipped."""
    label = OutlineText(x, y, text, clip_on=False, **{"transform": ax.transData, **props})
    ax.add_artist(label)
    return label


def figure_text(fig: Figure, x: float, y: float, text: str, **props: Any) -> OutlineText:
    """`fig.text` as an `OutlineText`: in figure fractions unless a transform is given; listed in `fig.texts`."""
    label = OutlineText(x, y, text, **{"transform": fig.transSubfigure, **props})
    label.set_figure(fig)
    fig.texts.append(label)
    return label

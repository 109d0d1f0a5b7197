"""The codebook on screen, for the coding and reconciliation apps: a checkbox per code under its group's
heading, and every code's definition (when to use it, when not, an example) folded beside the list.

The definitions are one HTML widget of `<details>` elements, so they are one click (or Enter) away for the
mouse and the keyboard alike, and cost the page no widget per code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import ipywidgets as w
from ipywidgets.widgets.widget_bool import CheckboxStyle

from ..ui.fields import shared_layout
from ..ui.panels import esc
from .codebook import Code, Codebook

_CHECK_STYLE = {"description_width": "initial"}


def _roots(codebook: Codebook) -> list[Code]:
    return [c for c in codebook.codes if c.parent is None]


def _walk(codebook: Codebook, codes: Iterable[Code], depth: int = 0) -> Iterator[tuple[Code, int, bool]]:
    """Every code in the tree's order: (code, depth, whether it is a group, coded through its children)."""
    for code in codes:
        children = list(codebook.children(code.id))
        yield code, depth, bool(children)
        yield from _walk(codebook, children, depth + 1)


def code_names(codebook: Codebook, ids: Iterable[str]) -> list[str]:
    """The codes' names in the codebook's order (an id the codebook no longer holds is shown as itself)."""
    wanted = set(ids)
    known = [c.name for c, _, _ in _walk(codebook, _roots(codebook)) if c.id in wanted]
    return known + sorted(wanted - {c.id for c in codebook.codes})


def definitions_html(codebook: Codebook) -> str:
    """Each code's definition, folded under its name, in the tree's order."""
    parts = ['<div class="nk-definitions" role="region" aria-label="The codebook\'s definitions">'
             "<h3>What each code means</h3>"]
    for code, depth, group in _walk(codebook, _roots(codebook)):
        rows = [(label, value) for label, value in (("Definition", code.definition), ("Use when", code.use_when),
                                                    ("Not when", code.not_when), ("Example", code.example)) if value]
        body = "".join(f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>" for label, value in rows) or \
            "<dd>The codebook gives no definition.</dd>"
        kind = " (a group: its codes are below it)" if group else ""
        parts.append(f'<details class="nk-definition" style="margin-left:{depth * 1.2}em">'
                     f"<summary>{esc(code.name)}{esc(kind)}</summary><dl>{body}</dl></details>")
    return "".join(parts) + "</div>"


class CodeChecklist:
    """A checkbox for every code that is applied (the tree's leaves), under its group's heading.

    Attributes:
        boxes: the checkboxes by code id.
        widget: the list, headings and boxes.
    """

    def __init__(self, codebook: Codebook, legend: str):
        self.codebook = codebook
        style = CheckboxStyle(**_CHECK_STYLE)  # one style model for all the boxes: fewer models to build
        self.boxes: dict[str, w.Checkbox] = {}
        parts: list[w.Widget] = [w.HTML(f'<h3 class="nk-legend">{esc(legend)}</h3>', layout=shared_layout())]
        for code, depth, group in _walk(codebook, _roots(codebook)):
            if group:
                parts.append(w.HTML(f'<p class="nk-code-group" style="margin-left:{depth * 1.2}em">'
                                    f"<strong>{esc(code.name)}</strong></p>", layout=shared_layout()))
                continue
            box = w.Checkbox(value=False, description=code.name, indent=False, style=style,
                             layout=shared_layout(margin=f"0 0 0 {depth * 1.2 + 0.6}em", width="auto"))
            self.boxes[code.id] = box
            parts.append(box)
        self.widget = w.VBox(parts, layout=shared_layout(min_width="20em"))
        self.widget.add_class("nk-codes-list")

    @property
    def chosen(self) -> tuple[str, ...]:
        """The ticked codes' ids, sorted (as a coding keeps them)."""
        return tuple(sorted(code for code, box in self.boxes.items() if box.value))

    def show(self, codes: Iterable[str]) -> None:
        """Tick exactly `codes` (ids the codebook no longer holds are left out)."""
        wanted = set(codes)
        for code, box in self.boxes.items():
            box.value = code in wanted

    def enable(self, on: bool) -> None:
        for box in self.boxes.values():
            box.disabled = not on

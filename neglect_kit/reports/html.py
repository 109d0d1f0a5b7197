"""The kit's one way to write HTML: Jinja2 templates (neglect_kit/templates/) escaping every value, one
table writer, and one stylesheet for the apps' widgets and the printable pages alike.

A value is escaped unless the code made it `Markup` (a table's marker cell that holds a <strong>, a table
already rendered): text a user typed or a return carried never is.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = ["Cell", "Markup", "css_string", "html_table", "image_html", "render", "style_block", "stylesheet"]


@dataclass(frozen=True)
class Cell:
    """A table cell that is more than a value: a row's header, a cell with a class, or one spanning columns."""

    value: object
    css_class: str = ""
    colspan: int = 1
    header: bool = False


@cache
def _env() -> Environment:
    # imported at the first template filled: a page that only takes the stylesheet (an app opening) never loads it
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("neglect_kit", "templates"), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=_blank_for_none)
    env.tests["cell"] = lambda value: isinstance(value, Cell)
    env.filters["css_string"] = css_string
    # in a template a table or an image is markup already; outside one it is a str, so that `+` does not escape
    env.globals.update(html_table=_table, image=_image, stylesheet=Markup(stylesheet()))
    return env


def render(template: str, **context: Any) -> str:
    """A template of neglect_kit/templates/ filled in, every value escaped."""
    return _env().get_template(template).render(**context)


@cache
def stylesheet() -> str:
    """The kit's one stylesheet (neglect_kit/templates/kit.css), read once."""
    return (files("neglect_kit") / "templates" / "kit.css").read_text(encoding="utf-8")


def style_block() -> str:
    """The stylesheet as a <style> block, for an ipywidgets HTML widget (the page takes it from there)."""
    return f"<style>\n{stylesheet()}</style>"


_CSS_PLAIN = re.compile(r"[^A-Za-z0-9 -]")


def css_string(text: str) -> Markup:
    """`text` as a CSS string, safe inside a <style> block whatever it holds.

    Every character but letters, digits, spaces and hyphens is written as a CSS escape (a backslash, its
    code in hex and a space), so no quote can end the string and no `</style>` can end the block.
    """
    return Markup('"' + _CSS_PLAIN.sub(lambda m: f"\\{ord(m[0]):x} ", text) + '"')


def _blank_for_none(value: object) -> object:
    """None prints as a blank cell, not as 'None'."""
    return "" if value is None else value


def html_table(headers: Sequence[object], rows: Sequence[Sequence[object]], caption: str = "", *,
               css_class: str = "", row_ids: Sequence[str] = (), row_classes: Sequence[str] = ()) -> str:
    """The kit's one table: a caption, headers scoped for screen readers, every value escaped.

    Args:
        headers: the column headings.
        rows: the rows' values; a value may be a `Cell` (a row header, a class, a span); None prints blank.
        caption: what the table shows (left out when blank).
        css_class: classes besides `nk-table`, which every table has.
        row_ids: anchors for references into the table, one per row (or none).
        row_classes: a class for each row (or none).
    """
    return str(_table(headers, rows, caption, css_class=css_class, row_ids=row_ids, row_classes=row_classes))


def _table(headers: Sequence[object], rows: Sequence[Sequence[object]], caption: str = "", *,
           css_class: str = "", row_ids: Sequence[str] = (), row_classes: Sequence[str] = ()) -> Markup:
    for given, what in ((row_ids, "row_ids"), (row_classes, "row_classes")):
        if given and len(given) != len(rows):
            raise ValueError(f"html_table: {len(given)} {what} for {len(rows)} rows")
    table = _env().get_template("table.html").module.table  # type: ignore[attr-defined]
    return Markup(table(headers, rows, caption, f"nk-table {css_class}".strip(), row_ids, row_classes))


def image_html(png: bytes, alt: str, css_class: str = "") -> str:
    """A plot shown in place, with its alt text both in the image and printed under it (WCAG 1.1.1)."""
    return str(_image(png, alt, css_class))


def _image(png: bytes, alt: str, css_class: str = "", alt_printed: bool = True) -> Markup:
    image = _env().get_template("image.html").module.image  # type: ignore[attr-defined]
    return Markup(image(base64.b64encode(png).decode("ascii"), alt, css_class, alt_printed))

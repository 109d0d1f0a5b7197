"""The chronology as a table and as a printable page (timeline, table, who made it and when)."""

from __future__ import annotations

import base64
import html
from datetime import datetime

import pandas as pd

from ..config import Settings
from ..vocab import IMPACT, SIGNIFICANCE

TABLE_COLUMNS = [  # (column of the presented frame, heading)
    ("event_date", "When"), ("agency", "Agency"), ("children", "Child"), ("category", "Category"),
    ("description", "What happened"), ("impact", "Impact on the child"), ("significance", "Significance"),
    ("child_words", "The child's words"), ("action", "Action"), ("linked", "Linked to"),
]


def table_rows(frame: pd.DataFrame, settings: Settings, limit: int | None = None) -> list[list[str]]:
    """Rows as a reader sees them: labels for codes, the impact with its words, pre-birth and
    duplicate entries marked."""
    ids = set(frame["record_id"])
    rows = []
    for r in frame.head(limit).itertuples(index=False) if limit else frame.itertuples(index=False):
        when = r.date_shown + (" (before birth)" if r.pre_birth else "")
        impact = IMPACT.label(r.impact) + (f": {r.impact_note}" if r.impact_note else "")
        linked = ""
        if r.duplicate_of:
            linked = "an entry shown above" if r.duplicate_of in ids else "an entry outside these filters"
        category = settings.categories.label(r.category) + (
            " (read from words)" if "category" in r.inferred.split("; ") else "")  # for a person to check
        rows.append([when, settings.agencies.label(r.agency), r.children, category,
                     r.description, impact, SIGNIFICANCE.label(r.significance) if r.significance else "",
                     r.child_words, r.action, linked])
    return rows


def html_table(frame: pd.DataFrame, settings: Settings, caption: str, limit: int | None = None) -> str:
    """The entries as a plain HTML table, every value escaped."""
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for _, h in TABLE_COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in table_rows(frame, settings, limit))
    return (f'<table class="nk-table nk-chronology"><caption>{html.escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def scrolling(table: str, label: str) -> str:
    """A long table in a box of its own that scrolls (and takes keyboard focus, so it can be
    scrolled without a mouse)."""
    return f'<div class="nk-scroll" role="region" aria-label="{html.escape(label)}" tabindex="0">{table}</div>'


def printable_page(*, title: str, frame: pd.DataFrame, settings: Settings, png: bytes, alt: str,
                   view: str, filters: str, produced_by: str, produced_at: datetime) -> str:
    """A self-contained HTML page to print or file: the timeline, the table, and its making."""
    image = base64.b64encode(png).decode("ascii")
    caption = f"{len(frame)} entries"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #1a1a1a; }}
table {{ border-collapse: collapse; font-size: 0.85em; }}
th, td {{ border: 1px solid #767676; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }}
th {{ background: #f0f0f0; }} caption {{ text-align: left; font-weight: bold; padding: 0.3em 0; }}
img {{ max-width: 100%; }} .made {{ color: #333; }}
@media print {{ tr {{ page-break-inside: avoid; }} }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p class="made">Produced by {html.escape(produced_by)} on {produced_at:%d %B %Y at %H:%M}, in the
{html.escape(view)} view. Filters: {html.escape(filters)}. A chronology is a tool for seeing patterns
in a child's life; it is not an assessment.</p>
<h2>Timeline</h2>
<img src="data:image/png;base64,{image}" alt="{html.escape(alt)}">
<h2>Entries</h2>
{html_table(frame, settings, caption)}
</body></html>"""

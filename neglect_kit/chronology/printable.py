"""The chronology as a table and as a printable page (timeline, table, who made it and when)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from ..config import Settings
from ..reports.html import html_table, render
from ..ui.panels import esc
from ..vocab import IMPACT, SIGNIFICANCE

TABLE_COLUMNS = [  # (column of the presented frame, heading)
    ("event_date", "When"), ("agency", "Agency"), ("children", "Child"), ("category", "Category"),
    ("description", "What happened"), ("impact", "Impact on the child"), ("significance", "Significance"),
    ("child_words", "The child's words"), ("action", "Action"), ("linked", "Linked to"),
]
HEADINGS = [heading for _, heading in TABLE_COLUMNS]


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


def entries_table(frame: pd.DataFrame, settings: Settings, caption: str, limit: int | None = None) -> str:
    """The entries as the kit's table, every value escaped."""
    return html_table(HEADINGS, table_rows(frame, settings, limit), caption,
                      css_class="nk-chronology")


def scrolling(table: str, label: str) -> str:
    """A long table in a box of its own that scrolls (and takes keyboard focus, so it can be
    scrolled without a mouse)."""
    return f'<div class="nk-scroll" role="region" aria-label="{esc(label)}" tabindex="0">{table}</div>'


def printable_page(*, title: str, frame: pd.DataFrame, settings: Settings, png: bytes, alt: str,
                   view: str, filters: str, produced_by: str, produced_at: datetime) -> str:
    """A self-contained HTML page to print or file: the timeline, the table, and its making."""
    return render("chronology_page.html", title=title, marking=settings.protective_marking, png=png, alt=alt,
                  view=view, filters=filters,
                  produced_by=produced_by, produced_at=produced_at, headers=HEADINGS,
                  rows=table_rows(frame, settings), caption=f"{len(frame)} entries")

"""The chronology as a table and as a printable page (timeline, table, who made it and when)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ..config import Settings
from ..reports.html import render
from ..vocab import HOW_KNOWN, IMPACT, SIGNIFICANCE

if TYPE_CHECKING:
    import pandas as pd

TABLE_COLUMNS = [  # (column of the presented frame, heading)
    ("event_date", "When"), ("agency", "Agency"), ("children", "Child"), ("category", "Category"),
    ("description", "What happened"), ("impact", "Impact on the child"), ("significance", "Significance"),
    ("child_words", "The child's words"), ("action", "Action"), ("outcome", "Outcome"),
    ("source_detail", "Recorded by"), ("how_known", "How known"), ("linked", "Linked to"),
]
HEADINGS = [heading for _, heading in TABLE_COLUMNS]


def table_rows(frame: pd.DataFrame, settings: Settings, limit: int | None = None) -> list[list[str]]:
    """Rows as a reader sees them: labels for codes, the impact with its words, pre-birth and
    duplicate entries marked."""
    ids = set(frame["record_id"])
    rows = []
    for r in frame.head(limit).itertuples(index=False) if limit else frame.itertuples(index=False):
        when = r.date_shown + before_birth(r.pre_birth, r.children)
        impact = IMPACT.label(r.impact) + (f": {r.impact_note}" if r.impact_note else "")
        linked = ""
        if r.duplicate_of:
            linked = "an entry shown above" if r.duplicate_of in ids else "an entry outside these filters"
        category = settings.categories.label(r.category) + (
            " (read from words)" if "category" in r.inferred.split("; ") else "")  # for a person to check
        rows.append([when, settings.agencies.label(r.agency), r.children, category,
                     r.description, impact, SIGNIFICANCE.label(r.significance) if r.significance else "",
                     r.child_words, r.action, r.outcome, r.source_detail,
                     HOW_KNOWN.label(r.how_known) if r.how_known else "", linked])
    return rows


def before_birth(unborn: str, children: str) -> str:
    """" (before birth)" when every child of the entry was not yet born; naming the ones not yet born
    when the entry is also about an older child ("before Jack was born"); "" when all were born.
    Both are "; "-joined, as the presented frame holds them."""
    if not unborn:
        return ""
    names = unborn.split("; ")
    if set(names) >= set(children.split("; ")):
        return " (before birth)"
    said = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f" (before {said} {'was' if len(names) == 1 else 'were'} born)"


def printable_page(*, title: str, frame: pd.DataFrame, settings: Settings, png: bytes, alt: str,
                   view: str, filters: str, produced_by: str, produced_at: datetime) -> str:
    """A self-contained HTML page to print or file: the timeline, the table, and its making."""
    return render("chronology_page.html", title=title, marking=settings.protective_marking, png=png, alt=alt,
                  view=view, filters=filters,
                  produced_by=produced_by, produced_at=produced_at, headers=HEADINGS,
                  rows=table_rows(frame, settings), caption=f"{len(frame)} entries")

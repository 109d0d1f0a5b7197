"""What a reader sees of a chronology: the filtered entries, named or anonymised.

Pure functions over the `records.entries_frame` DataFrame, shared by the app, its exports
and the printable page, so the table, the timeline and the download always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from ..anonymise import ANONYMISED, anonymiser_for, people_labels
from ..config import Settings

# the free text a family member's name may be written into
_TEXT_COLUMNS = ("description", "impact_note", "action", "outcome", "child_words", "event_date")


@dataclass(frozen=True)
class Filters:
    """The reader's filters; empty means no filter."""

    child: str = ""
    agency: str = ""
    category: str = ""
    significance: str = ""
    start: date | None = None
    end: date | None = None
    words: str = ""

    def describe(self, settings: Settings, child_label: str = "") -> str:
        parts = []
        if self.child:
            parts.append(f"child: {child_label or self.child}")
        if self.agency:
            parts.append(f"agency: {settings.agencies.label(self.agency)}")
        if self.category:
            parts.append(f"category: {settings.categories.label(self.category)}")
        if self.significance:
            parts.append(f"significance: {self.significance}")
        if self.start:
            parts.append(f"from {self.start:%d %b %Y}")
        if self.end:
            parts.append(f"to {self.end:%d %b %Y}")
        if self.words:
            parts.append(f"words: '{self.words}'")
        return "; ".join(parts) or "none"


def filter_entries(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The entries that pass every filter. Uncertain dates pass a date filter if their span
    overlaps it; undated entries pass only when no date filter is set."""
    keep = pd.Series(True, index=frame.index)
    if filters.child:
        keep &= frame["children"].str.split("; ").map(lambda ids: filters.child in ids)
    for column in ("agency", "category", "significance"):
        value = getattr(filters, column)
        if value:
            keep &= frame[column] == value
    if filters.start:
        keep &= frame["latest"].map(lambda d: d is not None and d == d and d >= filters.start)
    if filters.end:
        keep &= frame["earliest"].map(lambda d: d is not None and d == d and d <= filters.end)
    if filters.words.strip():
        needle = filters.words.strip().lower()
        text = frame[["description", "action", "outcome", "child_words", "impact_note"]].fillna("")
        keep &= text.apply(lambda col: col.str.lower().str.contains(needle, regex=False)).any(axis=1)
    return frame[keep]


def present(frame: pd.DataFrame, people: list[dict[str, Any]], view: str) -> pd.DataFrame:
    """The entries as the view shows them: children by name or label, and in the anonymised
    view every name and UK identifier in the text replaced, and no worker named."""
    labels = people_labels(people, view)
    out = frame.copy()
    for column in ("children", "pre_birth"):
        out[column] = out[column].map(lambda v: "; ".join(labels.get(c, c) for c in v.split("; ")) if v else v)
    if view == ANONYMISED:
        anonymiser = anonymiser_for(people)
        for column in _TEXT_COLUMNS:
            out[column] = out[column].map(lambda v: anonymiser.text(v) if isinstance(v, str) else v)
        out["source_detail"] = ""
    return out

"""What a reader sees of a chronology: the filtered entries, named or anonymised.

Pure functions over the `records.entries_frame` DataFrame, shared by the app, its exports
and the printable page, so the table, the timeline and the download always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..anonymise import ANONYMISED, Anonymiser, anonymiser_for, people_labels
from ..config import Settings

if TYPE_CHECKING:
    import pandas as pd

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
    import pandas as pd  # with the first frame (`records.entries_frame`), never with the module

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


def case_anonymiser(whole: pd.DataFrame, people: list[dict[str, Any]], places: Sequence[str] = ()) -> Anonymiser:
    """The anonymiser of a case's anonymised view: its people, the professionals named in the recorded-by
    column of every entry (`whole`, not a filtered few, so "HV1" is the same person whatever the filter),
    the logins that saved them, and `places` (the council's name)."""
    rows = sorted({(str(a), str(s)) for a, s in zip(whole["agency"], whole["source_detail"], strict=True) if s})
    return anonymiser_for(people, places, professionals=[{"agency": a, "recorded_by": s} for a, s in rows],
                          logins=[str(x) for x in whole["created_by"] if isinstance(x, str)])


def present(frame: pd.DataFrame, people: list[dict[str, Any]], view: str, *, whole: pd.DataFrame | None = None,
            places: Sequence[str] = ()) -> pd.DataFrame:
    """The entries as the view shows them: children by name or label, and in the anonymised view every
    name, place and UK identifier in the text replaced, the recorded-by column scrubbed ("HV (S. Ortiz)"
    becomes "HV (HV1)"), the login that saved each entry a label ("User 1") and no source file name.

    Args:
        frame: the entries to show.
        people: the case's people.
        view: NAMED or ANONYMISED.
        whole: the case's whole chronology, whose recorded-by column names its professionals (default `frame`).
        places: more places to scrub: the council's name, schools, surgeries.
    """
    labels = people_labels(people, view)
    out = frame.copy()
    for column in ("children", "pre_birth"):
        out[column] = out[column].map(lambda v: "; ".join(labels.get(c, c) for c in v.split("; ")) if v else v)
    if view == ANONYMISED:
        anonymiser = case_anonymiser(frame if whole is None else whole, people, places)
        columns = [*_TEXT_COLUMNS, "source_detail"]
        texts = [v for column in columns for v in out[column] if isinstance(v, str)]
        scrubbed = dict(zip(texts, anonymiser.texts(texts), strict=True))
        for column in columns:
            out[column] = out[column].map(lambda v: scrubbed.get(v, v) if isinstance(v, str) else v)
        out["created_by"] = out["created_by"].map(lambda v: anonymiser.login_label(v) if isinstance(v, str) else v)
        out["source_file"] = ""  # a file's name may hold the family's name, joined to other words ("fenwick_gp")
    return out

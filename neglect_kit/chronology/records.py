"""A case's chronology as the store holds it: entries as models, and as a DataFrame."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..config import Settings, settings
from ..perf import collector_paused
from ..store import Store, Stored, current_models
from .model import ENTRY_KIND, Child, ChronologyEntry, EntryContext

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class StoredEntry(Stored[ChronologyEntry]):
    """An entry with the record version it was read from (needed to edit or withdraw it)."""

    @property
    def entry(self) -> ChronologyEntry:
        return self.model


def case_context(store: Store, case_id: str, cfg: Settings | None = None, *,
                 people: list[dict[str, Any]] | None = None) -> EntryContext:
    """The case's children, as entries are checked against them.

    Args:
        store: where the case is.
        case_id: the case.
        cfg: the settings (default: the kit's).
        people: the case's people as `store.people(case_id)` gives them, read already by a caller that has
            found the case (the app opening it): not read again.
    """
    if people is None:
        store.case(case_id)  # a clear NotFound for an unknown case
        people = store.people(case_id, kind="child")
    children = tuple(
        Child(p["id"], p["name"], p["date_of_birth"], p["expected_date_of_birth"], tuple(p["known_as"]))
        for p in people if p.get("kind") == "child")
    return EntryContext(case_id, children, cfg or settings())


def stored_entries(store: Store, case_id: str, *, include_withdrawn: bool = False) -> list[StoredEntry]:
    """The case's current entries, each validated from its stored JSON."""
    with collector_paused():
        return current_models(store, ENTRY_KIND, case_id, ChronologyEntry, include_withdrawn=include_withdrawn,
                              holder=StoredEntry)


COLUMNS = ["record_id", "version", "status", "event_date", "date_shown", "precision", "earliest", "latest",
           "recorded_date", "agency", "source_detail", "how_known", "children", "category",
           "description", "impact", "impact_note", "significance", "action", "outcome",
           "child_words", "pre_birth", "duplicate_of", "source_file", "source_row",
           "inferred", "created_by", "created_at"]


def entries_frame(entries: list[StoredEntry]) -> pd.DataFrame:
    """One row per entry, sorted by when it happened; list fields joined with '; '."""
    # pandas is imported here, where the chronology's frames are first made, not with the module: the chronology
    # app's page is then sent before its import (a sixth of a second), which runs while the browser builds it
    import pandas as pd

    rows = []
    for s in entries:
        e = s.entry
        rows.append({
            "record_id": s.record_id, "version": s.record.version, "status": s.record.status,
            "event_date": e.event_date.text, "date_shown": e.event_date.display(),
            "precision": e.event_date.precision,
            "earliest": e.event_date.earliest, "latest": e.event_date.latest,
            "recorded_date": e.recorded_date, "agency": e.agency, "source_detail": e.source_detail,
            "how_known": e.how_known or "", "children": "; ".join(e.children), "category": e.category,
            "description": e.description, "impact": e.impact, "impact_note": e.impact_note,
            "significance": e.significance or "", "action": e.action, "outcome": e.outcome,
            "child_words": e.child_words, "pre_birth": "; ".join(e.pre_birth),
            "duplicate_of": e.duplicate_of or "",
            "source_file": e.provenance.file if e.provenance else "",
            "source_row": e.provenance.row if e.provenance else None,
            "inferred": "; ".join(e.inferred),
            "created_by": s.record.created_by, "created_at": s.record.created_at,
        })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["earliest", "record_id"], na_position="last", kind="stable").reset_index(drop=True)


def counts_by_agency(entries: list[StoredEntry]) -> dict[str, int]:
    """Entries per agency, an incident reported twice counted once (under its first report)."""
    counts: dict[str, int] = {}
    for s in entries:
        if s.entry.duplicate_of is None:
            counts[s.entry.agency] = counts.get(s.entry.agency, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

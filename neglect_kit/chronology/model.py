"""The chronology entry: one thing that happened in a child's life, as a record keeps it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Literal

from pydantic import ConfigDict, Field

from ..config import Settings
from ..textfields import Note
from ..validators import Strict
from .dates import EventDate

Impact = Literal["negative", "positive", "neutral", "unknown"]
Significance = Literal["low", "medium", "high"]
HowKnown = Literal["seen", "reported", "child_said", "third_party", "record"]

ENTRY_KIND = "chronology_entry"


class Provenance(Strict):
    """Where an imported entry came from, so a reader can go back to the agency's own record."""

    model_config = ConfigDict(frozen=True)

    file: str
    row: int
    # the import that saved this version (the imports table's id), so a whole import can be undone
    import_id: int | None = None


class ChronologyEntry(Strict):
    """One chronology entry, already checked against its case (see `fields.py`)."""

    children: list[str] = Field(min_length=1)
    event_date: EventDate
    recorded_date: date | None = None
    agency: str = Field(min_length=1)
    source_detail: Note = ""
    how_known: HowKnown | None = None
    category: str = Field(min_length=1)
    description: Note = Field(min_length=1)
    impact: Impact = "unknown"
    impact_note: Note = ""
    significance: Significance | None = None
    action: Note = ""
    outcome: Note = ""
    child_words: Note = ""
    # children for whom the event came before their birth: valid, and shown as such
    pre_birth: list[str] = Field(default_factory=list)
    # the record id of the same incident as another agency reported it first
    duplicate_of: str | None = None
    # record ids a person said are not the same incident as this one: never linked again
    not_duplicate_of: list[str] = Field(default_factory=list)
    # who confirmed `duplicate_of` (the store's version history says when)
    duplicate_confirmed_by: str | None = None
    provenance: Provenance | None = None
    # fields the return did not state, filled by the kit (a default of the return, or read from the
    # row's words, e.g. "category"): shown as such so a practitioner can check and correct them
    inferred: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class Child:
    """What validation needs to know of a child of the case."""

    id: str
    name: str
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    known_as: tuple[str, ...] = ()

    @property
    def birth(self) -> date | None:
        return self.date_of_birth or self.expected_date_of_birth

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name


@dataclass(frozen=True)
class EntryContext:
    """The case an entry is checked against."""

    case_id: str
    children: tuple[Child, ...]
    settings: Settings
    today: date = field(default_factory=date.today)

    @cached_property
    def _by_id(self) -> dict[str, Child]:
        return {c.id: c for c in self.children}

    @cached_property
    def latest_birth(self) -> date | None:
        """The latest (expected) birth among the children: events after it are after every birth."""
        births = [c.birth for c in self.children if c.birth is not None]
        return max(births) if births else None

    def child(self, child_id: str) -> Child:
        return self._by_id[child_id]

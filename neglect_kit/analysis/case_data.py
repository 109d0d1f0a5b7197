"""Everything the analysis reads about one case, loaded from the store in one go.

The analyses themselves never touch the database: they take a `CaseData`, so they can be
tested on hand-made cases and run the same in the apps, the command line and the benchmark.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, TypeVar

import pandas as pd

from ..assessment.day import DAY_KIND, DayInTheLife
from ..assessment.model import ASSESSMENT_KIND, NeglectAssessment
from ..assessment.voice import VOICE_KIND, VoiceRecord
from ..chronology.dates import DateError, parse_event_date
from ..chronology.records import StoredEntry, entries_frame, stored_entries
from ..config import Settings, settings
from ..perf import collector_paused
from ..store import Store, current_models
from .patterns import child_rows

T = TypeVar("T")

# relationships whose holder cares for the child: their drinking or drug use is a parental factor
PARENTAL = frozenset({"mother", "father", "step_parent", "mothers_partner", "fathers_partner", "carer"})


@dataclass(frozen=True)
class CarriedAction:
    """A supervision action as drift sees it."""

    what: str
    carried_over: int
    first_agreed: date
    child: str | None = None


@dataclass(frozen=True)
class CaseData:
    """One case as the analyses see it, as at `today`: the day the findings are measured to. Entries,
    plans, assessments and voice records after it are not counted, and a plan ending after it is open."""

    case: dict[str, Any]
    people: list[dict[str, Any]]
    plans: list[dict[str, Any]]
    entries: list[StoredEntry]
    assessments: list[NeglectAssessment] = field(default_factory=list)
    voice: list[VoiceRecord] = field(default_factory=list)
    days: list[DayInTheLife] = field(default_factory=list)
    # open supervision actions as the drift rule reads them, given by the caller: analysis knows nothing of
    # supervision's records (`supervision.records.carried`), so they are passed in
    actions: list[CarriedAction] = field(default_factory=list)
    cfg: Settings = field(default_factory=settings)
    today: date = field(default_factory=date.today)

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The entries as at `today`: one that can only have happened after it is left out (a date
        not known at all is kept)."""
        frame = entries_frame(self.entries)
        if frame.empty:
            return frame
        later = pd.to_datetime(frame["earliest"], errors="coerce") > pd.Timestamp(self.today)
        return frame[~later].reset_index(drop=True)

    def memo(self, key: Hashable, make: Callable[[], T]) -> T:
        """`make()`, worked out once per case: what several analyses or both children need."""
        cache = self.__dict__.setdefault("_memo", {})  # a frozen dataclass may still cache, as cached_property does
        if key not in cache:
            cache[key] = make()
        return cache[key]

    def rows(self, child: str) -> pd.DataFrame:
        """The child's own entries, each incident once (`patterns.child_rows`)."""
        return self.memo(("rows", child), lambda: child_rows(self.frame, child))

    @property
    def case_id(self) -> str:
        return str(self.case["id"])

    @cached_property
    def children(self) -> dict[str, dict[str, Any]]:
        return {p["id"]: p for p in self.people if p["kind"] == "child"}

    def child_name(self, child: str) -> str:
        return str(self.children[child]["name"])

    def birth(self, child: str) -> date | None:
        p = self.children[child]
        return p["date_of_birth"] or p["expected_date_of_birth"]

    def names_of(self, person: dict[str, Any]) -> list[str]:
        """A person's full name, first name (each half of a hyphenated one) and what they are known as.
        Not the surname alone: a family shares it, so it says nothing of who an entry is about."""
        full = str(person["name"]).strip()
        first = full.split()[0] if full else ""
        return [n for n in (full, first, *first.split("-"), *person.get("known_as", [])) if n]

    def parents_of(self, child: str) -> list[dict[str, Any]]:
        return [p for p in self.people if p["kind"] != "child" and p["relationships"].get(child) in PARENTAL]

    def plans_of(self, child: str) -> list[dict[str, Any]]:
        """The child's plans as at `today`: those started by then, one ending after it still open."""
        return sorted(({**p, "end": p["end"] if p["end"] and p["end"] <= self.today else None}
                       for p in self.plans if p["child_id"] == child and p["start"] <= self.today),
                      key=lambda p: (p["start"], p["id"]))

    def plan_open(self, child: str) -> bool:
        return any(p["end"] is None for p in self.plans_of(child))

    def assessments_of(self, child: str) -> list[NeglectAssessment]:
        return sorted((a for a in self.assessments if a.child == child and a.assessed_on <= self.today),
                      key=lambda a: a.assessed_on)

    def voice_of(self, child: str) -> list[VoiceRecord]:
        return sorted((v for v in self.voice if v.child == child and v.on <= self.today), key=lambda v: v.on)

    def days_of(self, child: str) -> list[DayInTheLife]:
        return sorted((d for d in self.days if d.child == child and d.recorded_on <= self.today),
                      key=lambda d: d.recorded_on)

    def newest_record(self) -> date | None:
        """The day of the case's newest entry, plan start or end, assessment, voice record or day in the
        life, whatever `today` is: how long past the case's records are."""
        days = [*(e.entry.event_date.earliest for e in self.entries if e.entry.event_date.earliest),
                *(d for p in self.plans for d in (p["start"], p["end"]) if d),
                *(a.assessed_on for a in self.assessments), *(v.on for v in self.voice),
                *(d.recorded_on for d in self.days)]
        return max(days, default=None)


def as_at_date(value: object) -> date:
    """An as-at day as a user typed it: 2021-03-14, 14/03/2021, 14 March 2021 (an exact day, not in the future).

    Raises:
        DateError: the message quotes the value and says what is wrong with it.
    """
    try:
        parsed = parse_event_date(value)
    except DateError as e:
        raise DateError(f"as-at date: {e}; give an exact day such as 2021-03-14") from None
    if parsed.precision != "day" or parsed.earliest is None:
        raise DateError(f"as-at date '{parsed.text}' is not one exact day; give one such as 2021-03-14")
    return parsed.earliest


def load_case(store: Store, case_id: str, cfg: Settings | None = None, today: date | None = None, *,
              actions: Sequence[CarriedAction] = ()) -> CaseData:
    """The case, its people and plans, its chronology and its assessment records, read once.

    Args:
        actions: the case's open supervision actions, for the carried-over rule (none if not given).

    Raises:
        NotFound: no such case (the message lists the cases there are).
    """
    case = store.case(case_id)
    with collector_paused():
        return CaseData(
            case=case, people=store.people(case_id), plans=store.plans(case_id),
            entries=stored_entries(store, case_id),
            assessments=[s.model for s in current_models(store, ASSESSMENT_KIND, case_id, NeglectAssessment)],
            voice=[s.model for s in current_models(store, VOICE_KIND, case_id, VoiceRecord)],
            days=[s.model for s in current_models(store, DAY_KIND, case_id, DayInTheLife)],
            actions=list(actions),
            cfg=cfg or settings(), today=today or date.today())

"""Start again: when the worker changes, what came before, so the new worker does not begin at zero.

A change of worker is read three ways, and changes found more than one way within a month are one:

- an entry of the category `worker_change`;
- an entry whose words say so (the category's words: "new social worker", "case transferred",
  "allocated to", "reallocated"), unless they are negated ("no new worker yet") or still to come
  ("awaiting a new social worker");
- the recorded-by column (`source_detail`) of children's social care and health visiting, the two
  agencies that allocate a named worker to the family (a social worker; a health visitor for the
  under-fives): elsewhere the name is whoever was on shift (a GP, an officer, a teacher), and a new
  one says nothing about the family's worker. Only names count ("SW (J. Harlow)", "Dr Okonjo",
  "HV Sam Ortiz", "Mel Tranter"); roles ("Duty worker", "HV", "Team Manager") are not people. A new name is
  a change when the old name never records again after it, and the new one records on two days or
  more (or is the last name there): so a one-off cover visit by another name is not a change.

For each change the finding gives how long the child had been known, the entries and agencies so
far, the plans so far, and the other findings already under way by then (those that began before
the change); it links the change's entry and the first entry of each finding under way. Messages
name workers only by role, never by name, so they are safe in the anonymised view.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..findings import KIND_TITLES, Finding
from ..term_reader.reading import TermMatcher
from ..terms import CATEGORY_WORDS
from ..wording import count_words, day_text, duration, month_text
from .case_data import CaseData

# agency -> the worker a new name in its recorded-by column is
ALLOCATING = {"childrens_social_care": "social worker", "health_visiting": "health visitor"}
SAME_CHANGE_DAYS = 31

# the words of a change of worker are the category's own (`terms.CATEGORY_WORDS`), read by the one
# negation reader, so "no new social worker yet" is not a change
_SAYS = TermMatcher({"worker_change": CATEGORY_WORDS["worker_change"]})
# a change still to come is not a change ("unallocated, awaiting a new social worker"); not a negation, so
# it is not among the reader's cues, which would then rule out "awaiting an alcohol assessment"
_PENDING = re.compile(r"\b(?:awaiting|pending|yet to be|until|unallocated)\b[^.;:!?]*$", re.IGNORECASE)
# capitalised words that are roles, teams or places, never a person's name ("Team Manager", "Out Of Hours")
_NOT_NAMES = frozenset({
    "team", "service", "services", "council", "borough", "trust", "centre", "nursery", "school", "hospital",
    "practice", "unit", "hub", "mash", "clinic", "surgery", "worker", "manager", "visitor", "officer", "nurse",
    "social", "health", "family", "support", "senior", "practitioner", "lead", "assistant", "duty", "early",
    "help", "out", "of", "hours", "emergency", "front", "door", "key", "child", "children", "care",
    "advanced", "student", "agency", "locum", "principal", "head", "deputy", "neglect", "screening", "by", "the",
    "and", "for", "on", "with", "team's", "safeguarding", "designated", "midwife", "doctor", "consultant"})
_NAME = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Miss|Mx)\.?\s+(?P<title>[A-Z][A-Za-z'-]+)"
                   r"|\b(?P<initials>(?:[A-Z]\.\s?){1,2}|[A-Z]\s)(?P<surname>[A-Z][a-z][A-Za-z'-]*)"
                   # a first name and surname: not followed by a lower-case word ("Little Acorns key worker")
                   r"|\b(?P<full>[A-Z][a-z'-]+(?:\s[A-Z][a-z][A-Za-z'-]*){1,2})\b(?!\s+[a-z])")


@dataclass(frozen=True)
class WorkerChange:
    """A change of worker as the records show it: when, its entry, and how it is known (in words, no names)."""

    on: date
    record_id: str
    how: tuple[str, ...]


def worker_name(recorded_by: str) -> str:
    """The person named in a recorded-by value, as 'initial surname' in lower case; '' for a role."""
    for m in _NAME.finditer(recorded_by):
        if m["title"]:
            return m["title"].lower()
        if m["surname"]:
            return f"{m['initials'].strip(' .')[0]} {m['surname']}".lower()
        words = m["full"].split()
        if not _NOT_NAMES & {x.lower() for x in words}:
            return f"{words[0][0]} {words[-1]}".lower()
    return ""


def says_new_worker(text: str) -> bool:
    """Whether the words say the worker changed (and do not deny it)."""
    return any(m.polarity == "present" and not _PENDING.search(text[:m.start]) for m in _SAYS.mentions(text))


def recorded_by_changes(rows: pd.DataFrame, agency: str) -> list[tuple[date, str]]:
    """(first day, record id) of each new named worker in one agency's recorded-by column (rule above)."""
    mine = rows[rows["agency"] == agency]
    columns = (mine[c].tolist() for c in ("earliest", "source_detail", "record_id"))
    named = [(day, name, rid) for day, detail, rid in zip(*columns, strict=True) if (name := worker_name(detail))]
    changes: list[tuple[date, str]] = []
    current = named[0][1] if named else ""
    while named:
        last = max(i for i, n in enumerate(named) if n[1] == current)
        rest = named[last + 1:]
        days: dict[str, set[date]] = {}
        for day, name, _ in rest:
            days.setdefault(name, set()).add(day)
        new = next((n for n in rest if len(days[n[1]]) >= 2 or n[1] == rest[-1][1]), None)
        if new is None:
            break
        changes.append((new[0], new[2]))
        current = new[1]
    return changes


def worker_changes(rows: pd.DataFrame, said: dict[str, bool] | None = None) -> list[WorkerChange]:
    """Every change of worker the child's entries show, in date order, one per change.

    Args:
        rows: the child's entries (`CaseData.rows`).
        said: text -> `says_new_worker(text)`, kept by the caller so the children of one case read each
            entry's words once; filled in here.
    """
    said = {} if said is None else said
    found: list[tuple[date, str, str]] = []
    # plain lists, not itertuples: iterating pandas columns element by element is the slow part
    columns = (rows[c].tolist() for c in ("earliest", "record_id", "category", "description", "action", "outcome"))
    for day, rid, category, description, action, outcome in zip(*columns, strict=True):
        if category == "worker_change":
            found.append((day, rid, "an entry of the category change of worker"))
            continue
        text = " ".join((description, action, outcome))
        if text not in said:
            said[text] = says_new_worker(text)
        if said[text]:
            found.append((day, rid, f"an entry that says so ({day_text(day)})"))
    for agency, role in ALLOCATING.items():
        found += [(day, rid, f"a new {role}, seen in the recorded-by column from {day_text(day)}")
                  for day, rid in recorded_by_changes(rows, agency)]
    out: list[WorkerChange] = []
    for day, rid, how in sorted(found, key=lambda f: (f[0], f[1])):
        if out and (day - out[-1].on).days <= SAME_CHANGE_DAYS:
            if how not in out[-1].how:
                out[-1] = WorkerChange(out[-1].on, out[-1].record_id, (*out[-1].how, how))
        else:
            out.append(WorkerChange(day, rid, (how,)))
    return out


def start_again_findings(data: CaseData, child: str, label: str, earlier: Sequence[Finding]) -> list[Finding]:
    """One finding per change of worker, summarising the history before it.

    Args:
        data: the case.
        child: the child's id.
        label: the child's name or role label.
        earlier: the child's other findings, to say which were already under way at each change.
    """
    rows = data.rows(child)  # in date order
    if rows.empty:
        return []
    days = rows["earliest"].to_numpy()
    # where each agency first appears: agencies known before a change are those first seen before it
    firsts = sorted(rows.reset_index(drop=True).groupby("agency").head(1).index)
    out = []
    for change in worker_changes(rows, data.memo("says a new worker", dict)):
        when = change.on
        before = int(bisect_left(days, when))
        if before == 0:
            continue
        first = days[0]
        agencies = bisect_left(firsts, before)
        plans = [p for p in data.plans_of(child) if p["start"] < when]
        plan_words = "; ".join(f"{data.cfg.plan_types.label(p['type']).lower()} from {month_text(p['start'])}"
                               for p in plans) or "none"
        under_way = [f for f in earlier if f.start is not None and f.start < when and f.kind != "start_again"]
        kinds: dict[str, int] = {}
        for f in under_way:
            kinds[f.kind] = kinds.get(f.kind, 0) + 1
        found = "; ".join(f"{KIND_TITLES[k].lower()}: {n}" for k, n in kinds.items()) or "none yet"
        message = (f"When a new worker came on {day_text(when)} (known from {'; '.join(change.how)}), {label} "
                   f"had been known for {duration(first, when)}: "
                   f"{count_words(before, 'entry', 'entries')} from {count_words(agencies, 'agency', 'agencies')}; "
                   f"plans so far: {count_words(len(plans), 'plan')} ({plan_words}). Findings already under way: "
                   f"{found}. What does the history before you say?")
        # the change itself, then the first entry of each finding under way (the findings list the rest)
        ids = tuple(dict.fromkeys([change.record_id, *(f.entry_ids[0] for f in under_way if f.entry_ids)]))
        out.append(Finding("start_again", "worker_change", child, first, when, message,
                           {"entries_before": before, "agencies_before": agencies, "plans_before": len(plans),
                            "findings_under_way": len(under_way)}, ids))
    return out

"""Merging agencies' returns: the same incident reported twice is linked, and counted once.

Two entries are taken for one incident when they come from different agencies, share a
category and a child, fall within a few days of each other (`duplicate_days`) and use
similar words (`duplicate_similarity`, the share of distinct words they have in common).
The later one is kept, marked `duplicate_of` the first, so each agency's account stays.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass

from ..config import Settings
from .model import ChronologyEntry

_WORD = re.compile(r"[a-z]{3,}")
_STOP = frozenset((
    "the", "and", "was", "were", "for", "with", "that", "this", "from", "have", "has", "had",
    "not", "but", "she", "her", "his", "him", "they", "them", "their", "there", "then", "than",
    "are", "been", "into", "out", "who", "what", "when", "which", "while", "about", "after",
    "before", "over", "under", "again", "also", "very", "some", "said", "says", "told", "all",
    "any", "our", "your", "you", "one", "two",
))


@dataclass(frozen=True)
class Link:
    record_id: str
    duplicate_of: str
    reason: str


def words(text: str) -> frozenset[str]:
    """Distinct content words, cut to five letters so 'drinking' meets 'drinks'."""
    return frozenset(w[:5] for w in _WORD.findall(text.lower()) if w not in _STOP)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _gap_days(a: ChronologyEntry, b: ChronologyEntry) -> int:
    ea, la, eb, lb = a.event_date.earliest, a.event_date.latest, b.event_date.earliest, b.event_date.latest
    assert ea
    assert la
    assert eb
    assert lb
    return max(0, (eb - la).days, (ea - lb).days)


def find_duplicates(new: list[tuple[str, ChronologyEntry]], existing: list[tuple[str, ChronologyEntry]],
                    settings: Settings) -> list[Link]:
    """Links from each new entry that repeats an incident already held (or earlier in `new`).

    Args:
        new: (record id, entry) pairs about to be saved.
        existing: (record id, entry) pairs already in the case.
        settings: the thresholds.
    """
    window = settings.duplicate_days
    threshold = settings.duplicate_similarity
    # category -> sorted list of (earliest ordinal, record id, entry, words)
    pool: dict[str, list[tuple[int, str, ChronologyEntry, frozenset[str]]]] = defaultdict(list)
    root: dict[str, str] = {}

    def add(record_id: str, entry: ChronologyEntry) -> None:
        if entry.event_date.earliest is None:
            return
        item = (entry.event_date.earliest.toordinal(), record_id, entry, words(entry.description))
        bisect.insort(pool[entry.category], item, key=lambda t: (t[0], t[1]))

    for record_id, entry in existing:
        root[record_id] = entry.duplicate_of or record_id
        add(record_id, entry)

    links: list[Link] = []
    for record_id, entry in sorted(new, key=lambda p: p[1].event_date.sort_key):
        found = _match(entry, pool.get(entry.category, []), window, threshold)
        if found is not None:
            other_id, other, score = found
            original = root.get(other_id, other_id)
            links.append(Link(record_id, original,
                              f"same incident as the {other.agency.replace('_', ' ')} entry of "
                              f"{other.event_date.display()} ({score:.0%} of words shared)"))
            root[record_id] = original
        else:
            root[record_id] = record_id
        add(record_id, entry)
    return links


def _match(entry: ChronologyEntry, candidates: list[tuple[int, str, ChronologyEntry, frozenset[str]]],
           window: int, threshold: float) -> tuple[str, ChronologyEntry, float] | None:
    date = entry.event_date
    if date.earliest is None or date.latest is None or not candidates:
        return None
    mine = words(entry.description)
    children = set(entry.children)
    # candidates start at most `window` days before this entry's span (wider spans are rare)
    low = bisect.bisect_left(candidates, date.earliest.toordinal() - window - 366, key=lambda t: t[0])
    best: tuple[str, ChronologyEntry, float] | None = None
    for ordinal, other_id, other, other_words in candidates[low:]:
        if ordinal > date.latest.toordinal() + window:
            break
        if other.agency == entry.agency or not children & set(other.children):
            continue
        if _gap_days(entry, other) > window:
            continue
        score = similarity(mine, other_words)
        if score >= threshold and (best is None or score > best[2]):
            best = (other_id, other, score)
    return best

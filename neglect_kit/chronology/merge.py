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


# Entries are pooled by how wide their date span is, so that looking back from a new entry
# only goes as far as the widest span in each pool: a "c. 2017" (three years wide) can still
# meet a dated report, while exact days, the bulk, look back only a few days.
_SPAN_BUCKETS = (7, 31, 100, 400, 10**6)


@dataclass(frozen=True)
class _Held:
    earliest: int  # ordinal days
    latest: int
    record_id: str
    agency: str
    children: frozenset[str]
    words: frozenset[str]
    entry: ChronologyEntry


class _Pool:
    """Entries held for matching, by (category, span bucket), each list sorted by earliest day."""

    def __init__(self) -> None:
        self.lists: dict[tuple[str, int], list[_Held]] = defaultdict(list)
        self.widest: dict[tuple[str, int], int] = defaultdict(int)

    def add(self, record_id: str, entry: ChronologyEntry) -> None:
        d = entry.event_date
        if d.earliest is None or d.latest is None:
            return
        lo, hi = d.earliest.toordinal(), d.latest.toordinal()
        key = (entry.category, next(i for i, w in enumerate(_SPAN_BUCKETS) if hi - lo <= w))
        self.widest[key] = max(self.widest[key], hi - lo)
        held = _Held(lo, hi, record_id, entry.agency, frozenset(entry.children), words(entry.description), entry)
        bisect.insort(self.lists[key], held, key=lambda h: (h.earliest, h.record_id))

    def best_match(self, entry: ChronologyEntry, window: int, threshold: float) -> tuple[_Held, float] | None:
        """The held entry most like `entry`: another agency, a shared child, within `window` days."""
        d = entry.event_date
        if d.earliest is None or d.latest is None:
            return None
        lo, hi = d.earliest.toordinal(), d.latest.toordinal()
        mine, children = words(entry.description), frozenset(entry.children)
        best: tuple[_Held, float] | None = None
        for bucket in range(len(_SPAN_BUCKETS)):
            key = (entry.category, bucket)
            held = self.lists.get(key)
            if not held:
                continue
            start = bisect.bisect_left(held, lo - window - self.widest[key], key=lambda h: h.earliest)
            for other in held[start:]:
                if other.earliest > hi + window:
                    break
                if other.latest < lo - window or other.agency == entry.agency or children.isdisjoint(other.children):
                    continue
                score = similarity(mine, other.words)
                # the most alike wins; among equals, the earliest report
                if score >= threshold and (best is None or (score, -other.earliest) > (best[1], -best[0].earliest)):
                    best = (other, score)
        return best


def find_duplicates(new: list[tuple[str, ChronologyEntry]], existing: list[tuple[str, ChronologyEntry]],
                    settings: Settings) -> list[Link]:
    """Links from each new entry that repeats an incident already held (or earlier in `new`).

    Args:
        new: (record id, entry) pairs about to be saved.
        existing: (record id, entry) pairs already in the case.
        settings: the thresholds.
    """
    pool = _Pool()
    root: dict[str, str] = {}
    for record_id, entry in existing:
        root[record_id] = entry.duplicate_of or record_id
        pool.add(record_id, entry)
    links: list[Link] = []
    for record_id, entry in sorted(new, key=lambda p: p[1].event_date.sort_key):
        found = pool.best_match(entry, settings.duplicate_days, settings.duplicate_similarity)
        if found is None:
            root[record_id] = record_id
        else:
            other, score = found
            original = root.get(other.record_id, other.record_id)
            links.append(Link(record_id, original,
                              f"same incident as the {other.agency.replace('_', ' ')} entry of "
                              f"{other.entry.event_date.display()} ({score:.0%} of words shared)"))
            root[record_id] = original
        pool.add(record_id, entry)
    return links

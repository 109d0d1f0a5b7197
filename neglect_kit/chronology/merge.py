"""Merging agencies' returns: the same incident reported twice is linked, and counted once.

Two entries can be one incident only when they come from different agencies, share a child,
fall within `duplicate_days` of each other, and their categories are the same or of one family
(`FAMILIES`: a domestic incident is also a police call-out; an injury is also a hospital visit),
or one of them had its category read from its words (`inferred`). Then they are linked when:

- their words are alike: at least `duplicate_similarity` of their distinct words shared, once
  synonyms are folded (mum/mother, row/argument/domestic, drunk/drinking, officers/police); or
- a second agency retells the first's incident in other words: they share at least one detail
  (a name, a thing, the kind of event, after folding), and the signs add up to three, one point
  each for: a shared detail (up to two), the later text naming the other agency as its source
  ("police notification", "Operation Encompass", "informed by the health visitor"), and a day
  written in the text ("on Saturday night", "yesterday") that falls within a day of the other
  entry's date.

The later one is kept, marked `duplicate_of` the first, so each agency's account stays; the
reason says in words why. A person can undo a link (`not_duplicate_of` then keeps the pair
apart for good) or confirm it (see `links_panel.py`).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from ..config import Settings
from ..vocab import Vocabulary, normalise
from .model import ChronologyEntry

_WORD = re.compile(r"[a-z]{2,}", re.IGNORECASE)
_STOP = frozenset((
    "the", "and", "was", "were", "for", "with", "that", "this", "from", "have", "has", "had",
    "not", "but", "she", "her", "his", "him", "they", "them", "their", "there", "then", "than",
    "are", "been", "into", "out", "who", "what", "when", "which", "while", "about", "after",
    "before", "over", "under", "again", "also", "very", "some", "said", "says", "told", "all",
    "any", "our", "your", "you", "one", "two",
))

# Words that name the same thing, folded to one (the first of each group).
_SYNONYMS = (
    ("mother", "mum", "mummy", "mam", "mom"),
    ("father", "dad", "daddy"),
    ("argument", "argue", "argued", "arguing", "row", "rowing", "rowed", "shouting", "shouted", "screaming",
     "fight", "fighting", "domestic", "altercation", "dv"),
    ("drink", "drinking", "drunk", "drank", "intoxicated", "alcohol", "beer", "vodka", "wine"),
    ("police", "officers", "officer", "pc", "constable", "ppu"),
    ("hospital", "ed", "a&e", "ae", "emergency", "paediatric", "paediatrics"),
    ("injury", "injured", "bruise", "bruised", "bruises", "bruising", "mark", "marks", "cut", "burn", "burnt"),
    ("fall", "fell", "falling"),
    ("threw", "thrown", "throw", "throwing", "smashed", "broke", "broken"),
)
_FOLD = {w: group[0][:5] for group in _SYNONYMS for w in group}

# Words every report of anything may hold: sharing them says nothing about the event.
_GENERIC = frozenset(w[:5] for w in (
    "incident", "report", "reported", "notification", "concern", "concerns", "home", "house", "children",
    "child", "night", "morning", "evening", "today", "yesterday", "weekend", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "school", "nursery", "police", "informed",
    "operation", "encompass", "staff", "family", "seen", "visit", "upstairs", "downstairs",
))

# Categories that one incident can be recorded under by different agencies.
FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({"domestic_abuse", "police_callout", "parental_alcohol", "parental_drugs"}),
    frozenset({"injury", "health", "medical_need"}),
    frozenset({"was_not_brought", "health", "dental", "growth_weight", "medical_need"}),
    frozenset({"home_visit", "no_access", "home_conditions", "physical_care", "hunger_food"}),
    frozenset({"referral", "conference_plan"}),
)

# A second agency saying where it heard of the incident.
_RETELLING = re.compile(r"\b(?:notification|notified|informed by|told by|report(?:ed)? from|reported by|"
                        r"received from|shared by|update from|call from|email from|message from|"
                        r"operation encompass)\b")
# Phrases that name an agency without its label (police notices to schools are Operation Encompass).
_AGENCY_HINTS = {"operation encompass": "police", "ppn": "police", "officers": "police"}

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORDS = re.compile(r"\b(?:(last|on) )?(" + "|".join(_WEEKDAYS) + r")\b|\b(yesterday|last night)\b|"
                        r"\b(this morning|today|tonight|this afternoon|this evening)\b")


@dataclass(frozen=True)
class Link:
    record_id: str
    duplicate_of: str
    reason: str


def _tokens(text: str) -> list[tuple[str, str]]:
    """(folded stem, word as written) for each content word."""
    out = []
    for m in _WORD.finditer(text):
        word = m.group().lower()
        if word in _STOP or (len(word) < 3 and word not in _FOLD):
            continue
        out.append((_FOLD.get(word, word[:5]), m.group()))
    return out


def words(text: str) -> frozenset[str]:
    """Distinct content words, synonyms folded and cut to five letters so 'drinking' meets 'drunk'."""
    return frozenset(stem for stem, _ in _tokens(text))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of their distinct words two texts have in common (0.0 when either has none)."""
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared) if shared else 0.0  # the union's size, without building it


def related(a: ChronologyEntry, b: ChronologyEntry) -> bool:
    """Whether two entries' categories can be one incident's (same, one family, or one read from words)."""
    if a.category == b.category or "category" in a.inferred or "category" in b.inferred:
        return True
    return any(a.category in f and b.category in f for f in FAMILIES)


def written_days(text: str, on: date) -> list[tuple[str, date]]:
    """Days a text written on `on` points to in words: (the words, the day)."""
    out = []
    for m in _DAY_WORDS.finditer(text.lower()):
        last, weekday, back, _ = m.groups()
        if weekday:
            behind = (on.weekday() - _WEEKDAYS.index(weekday)) % 7
            out.append((m.group(), on - timedelta(days=behind or (7 if last else 0))))
        elif back:
            out.append((m.group(), on - timedelta(days=1)))
        else:
            out.append((m.group(), on))
    return out


@dataclass(frozen=True)
class _Held:
    """An entry as the matching reads it: what every pair compares is worked out once, in `_held`."""

    earliest: int  # ordinal days
    latest: int
    record_id: str
    entry: ChronologyEntry
    tokens: list[tuple[str, str]]
    words: frozenset[str]
    children: frozenset[str]
    kept_apart: frozenset[str]  # record ids a person said are not this incident

    @cached_property
    def details(self) -> dict[str, str]:
        """Stems that can tell one event from another (not generic words, not the children's ids), as first written."""
        children = {c.lower() for c in self.entry.children}
        return {stem: w for stem, w in reversed(self.tokens) if stem not in _GENERIC and w.lower() not in children}

    @cached_property
    def retelling(self) -> str:
        """The text, normalised, when it says where it heard of the incident; '' otherwise."""
        plain = normalise(self.entry.description)
        return plain if _RETELLING.search(plain) else ""

    @cached_property
    def said_days(self) -> list[tuple[str, date]]:
        d = self.entry.event_date
        return written_days(self.entry.description, d.earliest) if d.precision == "day" and d.earliest else []

    @cached_property
    def may_retell(self) -> bool:
        """Whether this entry could be the retelling of another's incident (see `_retells`)."""
        return bool(self.retelling) or bool(self.said_days)


def _held(record_id: str, entry: ChronologyEntry) -> _Held | None:
    d = entry.event_date
    if d.earliest is None or d.latest is None:
        return None
    tokens = _tokens(entry.description)
    return _Held(d.earliest.toordinal(), d.latest.toordinal(), record_id, entry, tokens,
                 frozenset(stem for stem, _ in tokens), frozenset(entry.children), frozenset(entry.not_duplicate_of))


def _names_agency(plain: str, agency: str, agencies: Vocabulary) -> str:
    """The words of `plain` that name `agency`, or ''."""
    term = next((t for t in agencies.terms if t.code == agency), None)
    phrases = [normalise(p) for p in ((term.label, *term.synonyms) if term else (agency.replace("_", " "),))]
    phrases += [hint for hint, code in _AGENCY_HINTS.items() if code == agency]
    for phrase in sorted(phrases, key=len, reverse=True):
        if phrase and re.search(rf"\b{re.escape(phrase)}\b", plain):
            return phrase
    return ""


def _signs(a: _Held, b: _Held, settings: Settings) -> tuple[float, list[str]] | None:
    """Whether `a` and `b` report one incident, with the reasons in words; None when not.

    Either may be the retelling: returns arrive in any order.
    """
    wa, wb = a.words, b.words
    least = settings.duplicate_similarity
    # cheap tests first (the answer is the same): the share of words shared is at most the
    # smaller set's size over the larger's, and only an entry that may retell links otherwise
    retold, sizes = a.may_retell or b.may_retell, (len(wa), len(wb))
    if not retold and (min(sizes) / max(sizes) if min(sizes) else 0.0) < least:
        return None
    score = similarity(wa, wb)
    if score >= least:
        return score, [f"{score:.0%} of words shared"]
    if not retold or a.details.keys().isdisjoint(b.details):  # most pairs: nothing in common that tells events apart
        return None
    return _retells(a, b, score, settings) or _retells(b, a, score, settings)


def _retells(later: _Held, first: _Held, score: float, settings: Settings) -> tuple[float, list[str]] | None:
    """Whether `later`'s words retell `first`'s incident (they share at least one detail)."""
    if bool(later.retelling) + bool(later.said_days) < 1:  # shared details alone (at most 2 points) never link
        return None
    details = [w for stem, w in later.details.items() if stem in first.details]
    teller = settings.agencies.label(later.entry.agency).lower()
    reasons = [f"both speak of {', '.join(sorted(details, key=str.lower))}"]
    points = min(len(details), 2)
    if later.retelling:
        source = _names_agency(later.retelling, first.entry.agency, settings.agencies)
        if source:
            points += 1
            reasons.append(f"the {teller} entry names the {settings.agencies.label(first.entry.agency).lower()} "
                           f"as its source ('{source}')")
    for said, day in later.said_days:
        if first.earliest - 1 <= day.toordinal() <= first.latest + 1:
            points += 1
            reasons.append(f"'{said}' in the {teller} entry points to {day:%a %d %b %Y}")
            break
    return (score, reasons) if points >= 3 else None


def explain(later: tuple[str, ChronologyEntry], first: tuple[str, ChronologyEntry], settings: Settings) -> str:
    """Why `later` was taken for `first`'s incident, in words ('' when the rules no longer see it)."""
    a, b = _held(*later), _held(*first)
    found = _signs(a, b, settings) if a and b and related(a.entry, b.entry) else None
    return "; ".join(found[1]) if found else ""


# Entries are pooled by how wide their date span is, so that looking back from a new entry
# only goes as far as the widest span in each pool: a "c. 2017" (three years wide) can still
# meet a dated report, while exact days, the bulk, look back only a few days.
_SPAN_BUCKETS = (7, 31, 100, 400, 10**6)


_ANY = "*"  # the pool key of entries whose category was read from their words: they may meet any category


def _family_of(category: str) -> frozenset[str]:
    return frozenset({category, _ANY}.union(*(f for f in FAMILIES if category in f)))


class _Pool:
    """Entries held for matching, by (category, span bucket), each list sorted by earliest day."""

    def __init__(self) -> None:
        self.lists: dict[tuple[str, int], list[_Held]] = defaultdict(list)
        self.order: dict[tuple[str, int], list[tuple[int, str]]] = defaultdict(list)  # (earliest, id) of each
        self.earliest: dict[tuple[str, int], list[int]] = defaultdict(list)  # earliest of each, for bisect
        self.widest: dict[tuple[str, int], int] = defaultdict(int)

    def add(self, held: _Held) -> None:
        category = _ANY if "category" in held.entry.inferred else held.entry.category
        key = (category, next(i for i, w in enumerate(_SPAN_BUCKETS) if held.latest - held.earliest <= w))
        self.widest[key] = max(self.widest[key], held.latest - held.earliest)
        order = self.order[key]
        at = bisect.bisect_right(order, (held.earliest, held.record_id))
        order.insert(at, (held.earliest, held.record_id))
        self.earliest[key].insert(at, held.earliest)
        self.lists[key].insert(at, held)

    def best_match(self, mine: _Held, settings: Settings) -> tuple[_Held, list[str]] | None:
        """The held entry `mine` most likely reports again: another agency, a shared child, within the window."""
        window, entry = settings.duplicate_days, mine.entry
        children, agency, since = mine.children, entry.agency, mine.earliest - window
        words, size, retold, least = mine.words, len(mine.words), mine.may_retell, settings.duplicate_similarity
        family = None if "category" in entry.inferred else _family_of(entry.category)
        best: tuple[_Held, float, list[str]] | None = None
        for key, held in self.lists.items():
            if family is not None and key[0] not in family:
                continue
            days = self.earliest[key]
            start = bisect.bisect_left(days, mine.earliest - window - self.widest[key])
            stop = bisect.bisect_right(days, mine.latest + window, start)
            for other in held[start:stop]:
                if (other.latest < since or other.entry.agency == agency
                        or children.isdisjoint(other.children)  # categories: the keys searched are related
                        or other.record_id in mine.kept_apart or mine.record_id in other.kept_apart):
                    continue
                if not (retold or other.may_retell):
                    # `_signs`'s first test (`similarity`), inline: most pairs stop here, and a call per pair
                    # is the cost
                    theirs = other.words
                    shared = len(words & theirs)
                    if (shared / (size + len(theirs) - shared) if shared else 0.0) < least:
                        continue
                found = _signs(mine, other, settings)
                # the most alike wins; among equals, the earliest report
                if found and (best is None or (found[0], -other.earliest) > (best[1], -best[0].earliest)):
                    best = (other, *found)
        return (best[0], best[2]) if best else None


def find_duplicates(new: list[tuple[str, ChronologyEntry]], existing: list[tuple[str, ChronologyEntry]],
                    settings: Settings) -> list[Link]:
    """Links from each new entry that repeats an incident already held (or earlier in `new`).

    Args:
        new: (record id, entry) pairs about to be saved.
        existing: (record id, entry) pairs already in the case.
        settings: the thresholds and the agencies' names.
    """
    pool = _Pool()
    root: dict[str, str] = {}
    for record_id, entry in existing:
        root[record_id] = entry.duplicate_of or record_id
        held = _held(record_id, entry)
        if held:
            pool.add(held)
    links: list[Link] = []
    for record_id, entry in sorted(new, key=lambda p: p[1].event_date.sort_key):
        mine = _held(record_id, entry)
        found = pool.best_match(mine, settings) if mine else None
        if found is None:
            root[record_id] = record_id
        else:
            other, reasons = found
            original = root.get(other.record_id, other.record_id)
            links.append(Link(record_id, original,
                              f"same incident as the {settings.agencies.label(other.entry.agency).lower()} entry of "
                              f"{other.entry.event_date.display()}: {'; '.join(reasons)}"))
            root[record_id] = original
        if mine:
            pool.add(mine)
    return links

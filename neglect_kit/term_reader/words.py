"""The words of free text, for every reader of it: the word lists, a text's words with its clause and sentence
breaks (`words_of`, `between`), and the one negation cue (`negated`)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate
from operator import methodcaller
from typing import NamedTuple

PARENT_WORDS = frozenset({
    "mum", "mummy", "mom", "mother", "dad", "daddy", "father", "parent", "parents", "stepfather", "stepmother",
    "stepdad", "stepmum", "partner", "boyfriend", "girlfriend", "carer", "carers"})
OTHER_WORDS = frozenset({
    "nan", "nana", "nanna", "gran", "granny", "grandma", "grandmother", "grandad", "granddad", "grandpa",
    "grandfather", "grandparent", "grandparents", "uncle", "aunt", "auntie", "aunty", "cousin", "neighbour",
    "neighbours", "neighbor", "friend", "friends", "lodger", "visitor", "visitors", "brother", "sister"})
DENIAL_WORDS = frozenset({"deny", "denies", "denied", "denying", "denial"})
STOP_WORDS = frozenset({"stopped", "quit", "abstinent", "abstaining", "given up", "gave up", "no longer"})
NEGATION_WORDS = frozenset({"no", "not", "never", "without", "nil", "none", "nothing", "neither", "nor", "cannot"})
REPORT_WORDS = frozenset({"say", "says", "said", "stated", "states", "told", "tells", "claims", "claimed",
                          "insists", "insisted", "maintains", "maintained", "reports", "reported"})
# A term followed by these (through the words of a service's name) names a service, not a parent's use:
# "referred to the substance misuse team", "drug and alcohol service", "alcohol liaison nurse".
SERVICE_WORDS = frozenset({"team", "teams", "service", "services", "nurse", "nurses", "worker", "workers", "clinic",
                           "clinics", "project", "agency", "charity", "counsellor", "counselling", "programme",
                           "program", "group", "groups", "unit", "practitioner", "hub", "helpline"})
SERVICE_LINKS = frozenset({"misuse", "use", "liaison", "support", "recovery", "treatment", "advisory", "outreach",
                           "specialist", "awareness", "education", "and", "or", "community", "harm", "reduction"})
DENIAL_WINDOW, STOP_WINDOW, NEGATION_WINDOW = 6, 3, 4
_NOT = ("n't", "n’t")  # the ending that makes a word a negation (didn't, haven’t)
_ENDS_NOT = methodcaller("endswith", _NOT)

# (forms of a term, words that make it ordinary when they follow within `window` words, window)
FALSE_FRIENDS: tuple[tuple[frozenset[str], frozenset[str], int], ...] = (
    (frozenset({"drink", "drinks", "drinking", "drank"}),  # a child's drink
     frozenset({"milk", "water", "juice", "squash", "tea", "coffee", "pop", "formula", "bottle", "bottles"}), 3),
    (frozenset({"threw"}), frozenset({"up", "tantrum"}), 2),
    (frozenset({"spice"}), frozenset({"rack"}), 1),
    (frozenset({"wobbly"}), frozenset({"tooth", "teeth", "jelly", "table", "chair", "wheel", "tummy"}), 2),
)
# A child's words for what an adult uses that are ordinary words elsewhere ("green leaves" on a nature
# table, "white powder" for a rash): counted only when the clause or sentence names a parent or carer.
NEEDS_A_PARENT = frozenset({"green leaves", "green stuff", "funny cigarette*", "funny smoke", "smelly smoke",
                            "smelly cigarette*", "special cigarette*", "white powder",
                            # a low mood told in plain words is the child's own unless a parent is named
                            "feels low", "feeling low", "felt low", "feel low", "low in mood", "in bed all day",
                            "sad all the time", "cries all the time", "crying all the time"})
# Treatments: stopping one ("stopped taking her antidepressants", "quit his methadone") is a need going
# unmet, not a claim of having stopped the use, so the stop rule leaves them present.
TREATMENTS = ("antidepressant", "methadone", "subutex", "buprenorphine", "medication")
# Everyday words an inflection or one slip makes of a term: home conditions, gardens, cooking.
FALSE_FRIEND_WORDS = frozenset({"cracked", "cracking", "cracks", "dashed", "dashing", "weeds", "weeded", "weeding",
                                "spiced", "overdone"})

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_WORD_SPLIT = re.compile(f"({WORD.pattern})")
# `_WORD_SPLIT` for a text all in ASCII, where a letter that is not a digit or "_" is A-Z or a-z and the only
# apostrophe is "'": the same split, a fifth quicker than looking up each character's Unicode category (measured
# on the texts of bench_extract's case)
_ASCII_WORD_SPLIT = re.compile(r"([A-Za-z]+(?:'[A-Za-z]+)*)")
SENTENCE = re.compile(r"[.!?\n]")
CLAUSE_WORDS = ("but", "however", "although", "though", "whereas", "except")
CLAUSE = re.compile(rf"[.;:,!?\n]|\b(?:{'|'.join(CLAUSE_WORDS)})\b", re.I)
_CLAUSE_MARKS = re.compile(r"[.;:,!?\n]")  # CLAUSE in a text that holds none of its words
POST_CUE = re.compile(r"\s*(?:(?:use|misuse|test|screen|issues?)\b\s*)?[:\-–—]?\s*(?:(?:is|was|are|were)\s+)?"
                       r"(?:(denie[sd])|none\b|nil\b|no\b|not\b|n/a\b|negative\b|clear\b)", re.I)


def cuts(pattern: re.Pattern[str], text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the clause or sentence breaks in a text."""
    found = list(pattern.finditer(text))
    return [m.start() for m in found], [m.end() for m in found]


def between(cuts: tuple[list[int], list[int]], start: int, end: int, size: int) -> tuple[int, int]:
    """The stretch of text between the breaks either side of [start, end)."""
    starts, ends = cuts
    before, after = bisect_right(ends, start), bisect_left(starts, end)
    return (ends[before - 1] if before else 0), (starts[after] if after < len(starts) else size)


class Words(NamedTuple):
    """A text's words (start offsets, as written, lower case) and its clause and sentence breaks."""

    at: list[int]
    words: list[str]
    lower: list[str]
    clauses: tuple[list[int], list[int]]
    sentences: tuple[list[int], list[int]]


def words_of(text: str) -> Words:
    """The words and breaks of a text, read once for every window a reader looks at."""
    parts = _split(text)
    return _words(text, parts, list(accumulate(map(len, parts))))


def _split(text: str) -> list[str]:
    """The text split into gap, word, gap, ..., gap (`_WORD_SPLIT`)."""
    return (_ASCII_WORD_SPLIT if text.isascii() else _WORD_SPLIT).split(text)


def _words(text: str, parts: list[str], ends: list[int]) -> Words:
    """`words_of(text)` from the text's split (`_split`) and where each of its parts ends."""
    # the words' offsets are sums of lengths, about a third quicker than a match object per word
    words = parts[1::2]
    if _may_hold_clause_words(text):
        clauses, sentences = cuts(CLAUSE, text), cuts(SENTENCE, text)
    else:  # one scan for both: every break is one mark, and a sentence's marks are among a clause's
        marks = [m.start() for m in _CLAUSE_MARKS.finditer(text)]
        stops = [p for p in marks if text[p] in ".!?\n"]
        clauses, sentences = (marks, [p + 1 for p in marks]), (stops, [p + 1 for p in stops])
    return Words(ends[0:-1:2], words, list(map(str.lower, words)), clauses, sentences)


def _may_hold_clause_words(text: str) -> bool:
    """False only when `CLAUSE` can find none of its words in the text, so its marks alone break the clauses.

    A match's letters are each the word's own letter in either case, or the long s that matches 's' when case
    is ignored; folding the case makes every one of them the lower-case letter, so the folded text holds the word.
    """
    folded = text.casefold()
    return any(word in folded for word in CLAUSE_WORDS)


def is_negation(word: str, also: frozenset[str] = frozenset()) -> bool:
    """Whether a lower-case word negates what follows it: one of `NEGATION_WORDS` (or of `also`, a
    reader's own additions), or a word ending in n't (didn't, haven’t)."""
    return word in NEGATION_WORDS or word in also or word.endswith(_NOT)


def negated(before: Sequence[str], window: int = NEGATION_WINDOW, also: frozenset[str] = frozenset()) -> bool:
    """Whether a negation (`is_negation`) is among the last `window` lower-case words of `before`.

    The one negation cue every reader of free text uses: the risk terms (`reading`), the supervision
    prompts' words, a day's accounts; each says its window and any words of its own.
    """
    if window <= 0:
        return False
    words = before[-window:]
    # the words looked for as a set first: most windows hold no negation, and a set's test is one call where
    # `is_negation` is one a word (bench_analysis)
    return not NEGATION_WORDS.isdisjoint(words) or not also.isdisjoint(words) or any(map(_ENDS_NOT, words))

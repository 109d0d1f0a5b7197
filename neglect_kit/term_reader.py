"""Parental risk factors named in the free text of chronology entries.

In the review behind the kit, parental alcohol use ran through every agency's notes and was
never named as a risk (DOMAIN.md 1). `TermMatcher` finds each word of a factor's term list
(settings `[risk_terms]`, see `terms.RISK_TERMS`) and reads it the way a worker would:

Matching: case-insensitive whole words; `drink*` takes any ending; an unstarred single word
also takes -s, -es, -ed and -ing; the words of a phrase may be split by any spaces or hyphens.
A misspelt word is caught when it is one slip (a letter added, dropped, changed or two swapped)
from a term of 7+ letters ("alchohol", "depresion"). Terms of 5 or 6 letters forgive only a
swap or a doubled letter, since one changed letter turns them into everyday words (lager:
later, threw: three, refuge: refuse, crack: track); shorter terms must be spelt right.
`FALSE_FRIENDS` and `FALSE_FRIEND_WORDS` list the ordinary uses left out (a drink of milk,
threw up, a cracked ceiling), unless a parent is doing it ("Mummy drinks the smelly juice"). A child's
words for a drug that are ordinary words elsewhere (`NEEDS_A_PARENT`: "green leaves", "white powder")
count only when their clause or sentence names a parent ("Daddy puts green leaves in his cigarettes").

Polarity: "denied" when the adult's own denial (denies, denied) is within 6 words before the
term, a stop (stopped, quit, gave up, no longer) within 3, or a negation reported as the adult's
words ("Donna says she doesn't drink"); a stop counts as a claim, never as evidence, except before a
treatment (`TREATMENTS`: "stopped taking her antidepressants" is present). "negated"
when a negation (no, not, never, without, nil, none, n't ...) is within 4 words before the
term, or follows it ("alcohol: none", "drugs - not an issue"). "service" when the term is part
of a service's name ("referred to the substance misuse team", "alcohol liaison nurse": `SERVICE_WORDS`).
Cues before the term count only inside its clause (split at . ; : , ! ? and but / however /
although / though / whereas / except), so a "no" in one clause never cancels the next. A cue
carries along a list ("no alcohol, drugs or DV"). Otherwise "present": the windows are short on
purpose, so a doubtful reading errs towards "present" rather than losing a risk.

About whom: the clause is read first, then its sentence. "parent" when it names a parent or
carer (a name in `parents`, or mum, dad, partner, carer ...), "other" when it names only people
outside (a name in `others`, or nan, uncle, neighbour, friend ...), "unclear" when it names
nobody. "X's mum" is a parent when X is a parent, someone else's parent when X is in `others`,
and unclear when X is unknown (often the child, whose mum is the parent). Names count only when
capitalised, and a name word given for both a parent and another person counts for neither.
Callers count "present" mentions that are not about "other".
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise
from operator import methodcaller
from typing import Literal, NamedTuple

Polarity = Literal["present", "negated", "denied", "service"]
About = Literal["parent", "other", "unclear"]

PARENT_WORDS = frozenset({
    "mum", "mummy", "mom", "mother", "dad", "daddy", "father", "parent", "parents", "stepfather", "stepmother",
    "stepdad", "stepmum", "partner", "boyfriend", "girlfriend", "carer", "carers"})
OTHER_WORDS = frozenset({
    "nan", "nana", "nanna", "gran", "granny", "grandma", "grandmother", "grandad", "granddad", "grandpa",
    "grandfather", "grandparent", "grandparents", "uncle", "aunt", "auntie", "aunty", "cousin", "neighbour",
    "neighbours", "neighbor", "friend", "friends", "lodger", "visitor", "visitors", "brother", "sister"})
_PRONOUNS = frozenset({"she", "he", "they"})
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})
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
# Words of recovery and relapse that name no substance ("relapsed", "in recovery", "detox"): they count
# for the alcohol or drug use the same text names (settings `risk_terms.recovery`).
RECOVERY = "recovery"
SUBSTANCES = ("parental_alcohol", "parental_drugs")
# "Mummy drinks the smelly juice": the adult is drinking, whatever the drink is called
DRINKERS = PARENT_WORDS
DENIAL_WINDOW, STOP_WINDOW, NEGATION_WINDOW = 6, 3, 4
_NOT = ("n't", "n’t")  # the ending that makes a word a negation (didn't, haven’t)
_ENDS_NOT = methodcaller("endswith", _NOT)
_STOP_PAIR_FIRSTS = frozenset(w.split()[0] for w in STOP_WORDS if " " in w)  # "gave" of "gave up"
LONG_STEM = 7  # letters from which any one slip is forgiven
SHORT_STEM = 5  # below this a term must be spelt exactly

# (forms of a term, words that make it ordinary when they follow within `window` words, window)
FALSE_FRIENDS: tuple[tuple[frozenset[str], frozenset[str], int], ...] = (
    (frozenset({"drink", "drinks", "drinking", "drank"}),  # a child's drink
     frozenset({"milk", "water", "juice", "squash", "tea", "coffee", "pop", "formula", "bottle", "bottles"}), 3),
    (frozenset({"threw"}), frozenset({"up", "tantrum"}), 2),
    (frozenset({"spice"}), frozenset({"rack"}), 1),
    (frozenset({"wobbly"}), frozenset({"tooth", "teeth", "jelly", "table", "chair", "wheel", "tummy"}), 2),
)
_FALSE_FRIEND_FORMS = frozenset(form for forms, _, _ in FALSE_FRIENDS for form in forms)
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

_GAP = r"[\s\-\u2010-\u2015]+"
# The runs of letters long enough to misspell a term (`SHORT_STEM`): shorter ones never do, so only
# these are judged and looked up, a fraction of a text's words.
_LONG_LETTERS = re.compile(rf"[^\W\d_]{{{SHORT_STEM},}}")
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
_JOINER = re.compile(r"[\s,/&]*(?:(?:and|or|nor|use|misuse)\b[\s,/&]*)*", re.I)
_INFLECTIONS = ("s", "es", "ed", "ing")
_POSSESSIVE = ("'s", "’s")


@dataclass(frozen=True)
class Mention:
    """One place in a text where a risk term is written."""

    factor: str
    term: str
    matched: str
    start: int
    end: int
    polarity: Polarity
    about: About


class _Try(NamedTuple):
    """The pattern tried where some terms only may begin (`TermMatcher._try`), and its groups' terms."""

    pattern: re.Pattern[str]
    terms: tuple[int, ...]


def _term_pattern(term: str, factor: str) -> tuple[str, str]:
    """The regex for one settings term (no capturing groups: the caller adds one per term), and
    what every word that can begin it starts with."""
    starred = term.endswith("*")
    words = [w for w in re.split(_GAP, term.rstrip("*")) if w]
    if not words or "*" in term.rstrip("*") or not re.match(r"\w", words[0]):
        raise ValueError(f"risk term {term!r} under {factor!r} must be a word or phrase, with * only at the end")
    body = _GAP.join(map(re.escape, words))
    if starred or len(words) > 1:
        lead = re.match(r"[^\W\d_]+", words[0])  # "mum's bottle" begins where the letters "mum" do
        return body + (r"\w*" if starred else ""), lead.group() if lead else words[0]
    word = words[0]
    if word.endswith("e") and len(word) > 2:  # refuge: refuges, refuged, refuging
        return re.escape(word[:-1]) + "(?:e|es|ed|ing)", word[:-1]
    return body + "(?:s|es|ed|ing)?", word


def _first_run(term: str) -> str | None:
    """A pattern that, case ignored, matches the whole run of letters where a settings term begins wherever the
    term matches: a word with its endings; a starred word's letters and any after; else the first word's
    leading letters alone, which a space, a hyphen or another mark follows. None for a term whose first word
    does not begin with a letter (it is found by its own scan: `TermMatcher._odd_starts`)."""
    starred = term.endswith("*")
    words = [w for w in re.split(_GAP, term.rstrip("*")) if w]
    lead = re.match(r"[^\W\d_]*", words[0]).group()  # type: ignore[union-attr]  # it matches the empty string
    if not lead or (lead != words[0] and len(words) == 1 and not starred):
        return None  # a single word with a mark in it ("didn't") is a first word that is not letters: an odd start
    if len(words) == 1 and not starred:
        return _term_pattern(term, "")[0]
    return re.escape(lead) + ("[^\\W\\d_]*" if starred and len(words) == 1 and lead == words[0] else "")


def _one_slip(a: str, b: str) -> str | None:
    """How `a` differs from `b` by exactly one slip: 'swap', 'double' (a doubled letter added or
    dropped) or 'edit'; None when equal or further apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return None
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    if len(a) == len(b):
        if a[i + 1:] == b[i + 1:]:
            return "edit"
        swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
        return "swap" if swapped else None
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    if longer[i + 1:] != shorter[i:]:
        return None
    return "double" if longer[i] in longer[max(i - 1, 0):i] + longer[i + 1:i + 2] else "edit"


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

    The one negation cue every reader of free text uses: the risk terms here, the supervision
    prompts' words, a day's accounts; each says its window and any words of its own.
    """
    if window <= 0:
        return False
    words = before[-window:]
    # the words looked for as a set first: most windows hold no negation, and a set's test is one call where
    # `is_negation` is one a word (bench_analysis)
    return not NEGATION_WORDS.isdisjoint(words) or not also.isdisjoint(words) or any(map(_ENDS_NOT, words))


def alternation(words: Iterable[str]) -> str:
    """A regex (no boundaries: the caller adds its own) for any of `words` as written, the longest first, led by a
    lookahead for their first letters: it changes no match, as each word begins with one of them (case ignored
    alike), but passes over most places of a text in one test instead of one for each word."""
    ordered = sorted(words, key=len, reverse=True)
    firsts = "".join(sorted({re.escape(w[0]) for w in ordered}))
    return rf"(?=[{firsts}])(?:" + "|".join(re.escape(w) for w in ordered) + ")"


def _first_letter_alternation(words: Sequence[str], before: str) -> re.Pattern[str]:
    """A case-insensitive pattern for any of `words` after `before`, grouped by first letter (a flat
    alternation of hundreds of words is several times slower to scan)."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        by_first.setdefault(word[0].lower(), []).append(re.escape(word[1:]))
    alternatives = "|".join(f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in by_first.items())
    return re.compile(rf"{before}(?:{alternatives or '(?!)'})", re.I)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class TermMatcher:
    """Finds and reads the risk terms of each factor in free text.

    Build one per case and reuse it: each distinct word is judged once (does it begin a term, is
    it a misspelt one?) and remembered, so the memory grows with the case's vocabulary only.
    """

    def __init__(self, terms: Mapping[str, Sequence[str]], parents: Iterable[str] = (), others: Iterable[str] = (),
                 *, slips: bool = True):
        """Compile the term lists.

        Args:
            terms: factor -> words or phrases, e.g. `{"parental_alcohol": ("drink*", "wine")}`.
            parents: names of the parents and carers (full names, first names, nicknames), any case.
            others: names of other people known to the family, any case.
            slips: whether near misspellings count; off for everyday words (napping: tapping).

        Raises:
            ValueError: a term is blank or misplaces `*`, a term sits under two factors, or the
                arguments are not of the shapes above.
        """
        if not isinstance(terms, Mapping):
            raise ValueError("risk terms must be a mapping of factor -> list of words or phrases")
        self._terms: list[tuple[str, str]] = []  # (factor, term as written)
        self._terms_written: list[str] = []  # each term of `_terms` in lower case
        patterns: dict[str, int] = {}
        firsts: set[str] = set()
        self._stems: dict[str, tuple[int, bool]] = {}  # stem -> (term index, starred)
        for factor, words in terms.items():
            if not isinstance(factor, str) or isinstance(words, str) or not isinstance(words, Sequence):
                raise ValueError(f"risk terms for {factor!r} must be a list of words or phrases, not {words!r}")
            for raw in words:
                if not isinstance(raw, str) or not raw.strip() or not raw.strip(" *"):
                    raise ValueError(f"risk terms for {factor!r} include a blank or non-text term: {raw!r}")
                term = raw.strip().lower()
                pattern, first = _term_pattern(term, factor)
                firsts.add(first)
                if pattern in patterns:  # "self-harm*" and "self harm*" are one pattern
                    other = self._terms[patterns[pattern]][0]
                    if other != factor:
                        raise ValueError(f"risk term {raw!r} is listed under both {other!r} and {factor!r}")
                    continue
                patterns[pattern] = len(self._terms)
                self._terms.append((factor, raw.strip()))
                self._terms_written.append(term)
                stem = term.rstrip("*")
                if slips and stem.isalpha() and len(stem) >= SHORT_STEM:
                    self._stems.setdefault(stem, (patterns[pattern], term.endswith("*")))
        # Longest first, so a phrase wins over a word it starts with; grouped by first letter, which
        # makes the scan several times faster than a flat alternation. One group per term.
        by_first: dict[str, list[str]] = {}
        for p in sorted(patterns, key=lambda p: (-p.count(_GAP), -len(p))):
            by_first.setdefault(p[0], []).append(p)
        self._group_term = [patterns[p] for group in by_first.values() for p in group]
        alternatives = "|".join(f"{c}(?:{'|'.join(f'({p[1:]})' for p in group)})" for c, group in by_first.items())
        self._exact = re.compile(rf"(?<!\w)(?:{alternatives or '(?!)'})(?!\w)", re.I)
        # Every match begins at a run of letters that begins with a term's first word: one scan finds
        # those runs and the full pattern is tried only there (most words begin no term). A term whose
        # first word is not all letters ("b12", "999 call") cannot be told from its first run of letters,
        # so a text holding such a word anywhere is scanned whole instead.
        self._starts = _first_letter_alternation(sorted(f for f in firsts if f.isalpha()), r"(?<![^\W\d_])")
        odd = sorted(f for f in firsts if not f.isalpha())
        self._odd_starts = re.compile("|".join(map(re.escape, odd)), re.I) if odd else None
        # Where every first word is in ASCII letters (which, case-insensitively, match letters only), whether a
        # term can begin at a run of letters depends on that run alone, and so on the word it is in: each
        # distinct word of the case is judged once (`_word`) and the text's own words are looked up.
        self._by_word = all(f.isascii() for f in firsts if f.isalpha())
        # word -> each place in it where a term may begin, with the pattern of the terms that may begin there
        self._words: dict[str, tuple[tuple[int, _Try], ...]] = {}
        runs: dict[str, list[int]] = {}  # a first run's pattern -> the terms it begins
        for index, raw in enumerate(self._terms_written):
            if run := _first_run(raw):
                runs.setdefault(run, []).append(index)
        self._first_runs = re.compile("|".join(sorted(runs)) or "(?!)", re.I)
        self._run_terms = [(re.compile(run, re.I), terms) for run, terms in runs.items()]
        self._pattern_of = {index: pattern for pattern, index in patterns.items()}
        self._order = {index: k for k, index in enumerate(self._group_term)}  # each term's place in `_exact`
        self._tries: dict[tuple[int, ...], _Try] = {}
        self._may_begin: set[str] = set()  # the words where a term may begin somewhere
        self._misspelt: set[str] = set()  # the words with a run of letters that misspells a term
        self._plain: set[str] = set()  # words known not to misspell a term
        self._neighbours: dict[str, set[str]] = {}
        for stem in self._stems:
            for key in {stem} | _deletions(stem):
                self._neighbours.setdefault(key, set()).add(stem)
        self._prefix_lengths = sorted({len(s) + d for s, (_, starred) in self._stems.items() if starred
                                       for d in (-1, 0, 1)})
        self._slips: dict[str, int] = {}  # misspelt word -> term index
        self._names: dict[str, str] = {}
        clashes: set[str] = set()
        for role, names in (("parent", parents), ("other", others)):
            if isinstance(names, str):
                raise ValueError(f"{role} names must be a list of names, not the single text {names!r}")
            for name in names:
                for word in (w.lower() for w in WORD.findall(str(name))):
                    if word not in _TITLES and self._names.setdefault(word, role) != role:
                        clashes.add(word)
        for word in clashes:
            del self._names[word]
        self._person_words = PARENT_WORDS | OTHER_WORDS | self._names.keys()
        self._needs_a_parent = [term.lower() in NEEDS_A_PARENT for _, term in self._terms]

    def _slip_of(self, token: str) -> int | None:
        """The term a word misspells, if any (cached by the caller)."""
        word = token.lower()
        if len(word) < SHORT_STEM or word in FALSE_FRIEND_WORDS or self._exact.fullmatch(word):
            return None
        pieces = [(word, False)] + [(word[:-len(s)], False) for s in _INFLECTIONS if word.endswith(s)]
        pieces += [(word[:k], True) for k in self._prefix_lengths if k < len(word)]
        for piece, prefix_only in pieces:
            for key in {piece} | _deletions(piece):
                for stem in self._neighbours.get(key, ()):
                    index, starred = self._stems[stem]
                    slip = None if prefix_only and not starred else _one_slip(piece, stem)
                    if slip and (len(stem) >= LONG_STEM or slip != "edit"):
                        return index
        return None

    def _word(self, word: str) -> None:
        """Judge a word once for `_spans`: the offsets in it of the runs of letters (the word's start and after
        each apostrophe) where a term may begin, and whether a run of it misspells a term (each run judged as
        `_spans` judges a text's runs of letters)."""
        runs = [0, *(k + 1 for k, c in enumerate(word) if c in "'’")]
        ends = [*(k - 1 for k in runs[1:]), len(word)]
        # a term matches at a run only where the run is its first word (`_first_run`): a tighter test than
        # `_starts` (which asks only that the run begin with a first word), so fewer places are tried, and at
        # each only the terms whose first word the run is
        starts = []
        for k, e in zip(runs, ends, strict=True):
            if self._first_runs.fullmatch(word, k, e):
                starts.append((k, self._try([t for run, terms in self._run_terms if run.fullmatch(word, k, e)
                                             for t in terms])))
        self._words[word] = tuple(starts)
        if starts:
            self._may_begin.add(word)
        if not self._stems:
            return
        for run in re.split("['’]", word):
            if len(run) < SHORT_STEM or run in self._plain:
                continue
            if run not in self._slips:
                if (index := self._slip_of(run)) is None:
                    self._plain.add(run)
                    continue
                self._slips[run] = index
            self._misspelt.add(word)

    def _try(self, terms: list[int]) -> _Try:
        """`_exact` cut down to `terms`, in its order: where only these may begin, it matches as `_exact` does
        (an alternative that cannot match changes nothing), in a fraction of the time, since `_exact` tries every
        term of the first letter (most places a term may begin are ordinary words: "was", "at", "with")."""
        key = tuple(sorted(set(terms), key=self._order.__getitem__))
        if key not in self._tries:
            alternatives = "|".join(f"({self._pattern_of[t]})" for t in key)
            self._tries[key] = _Try(re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.I), key)
        return self._tries[key]

    def _spans(self, text: str, parts: list[str], ends: list[int]) -> list[tuple[int, int, int]]:
        """(start, end, term index) of every match, exact or misspelt, in text order.

        Args:
            text: the text.
            parts: its split into gap, word, gap, ..., gap (`_split`).
            ends: where each of `parts` ends in the text.
        """
        spans = []
        if self._odd_starts is not None and self._odd_starts.search(text):
            spans = [(m.start(), m.end(), self._group_term[m.lastindex - 1]) for m in self._exact.finditer(text)
                     if m.lastindex]
        elif self._by_word:
            # the same matches as a scan of every position (see __init__): the full pattern is tried only at
            # the runs of letters where a term may begin, found from the text's words (judged once per word)
            words = parts[1::2]
            distinct = set(words)
            for word in distinct.difference(self._words):  # (a dict, looked up: not a walk through its keys)
                self._word(word)
            if may := distinct & self._may_begin:
                end = 0
                for k in [k for k, word in enumerate(words) if word in may]:
                    for offset, (pattern, terms) in self._words[words[k]]:
                        start = ends[2 * k] + offset
                        if start >= end and (m := pattern.match(text, start)) and m.lastindex:
                            spans.append((m.start(), m.end(), terms[m.lastindex - 1]))
                            end = m.end()
            if distinct.isdisjoint(self._misspelt):
                return spans
        else:
            end = 0
            for t in self._starts.finditer(text):
                if t.start() >= end and (m := self._exact.match(text, t.start())) and m.lastindex:
                    spans.append((m.start(), m.end(), self._group_term[m.lastindex - 1]))
                    end = m.end()
        if not self._stems:
            return spans
        # A misspelt word: each distinct word is judged once and remembered.
        fresh = set(_LONG_LETTERS.findall(text)) - self._plain
        for token in fresh.difference(self._slips):
            if (index := self._slip_of(token)) is None:
                self._plain.add(token)
            else:
                self._slips[token] = index
        if not self._slips.keys().isdisjoint(fresh):
            taken = [(s, e) for s, e, _ in spans]
            spans += [(m.start(), m.end(), self._slips[m.group()]) for m in _LONG_LETTERS.finditer(text)
                      if m.group() in self._slips and not any(s < m.end() and m.start() < e for s, e in taken)]
            spans.sort()
        return spans

    def _role(self, word: str) -> str | None:
        lower = word.lower()
        if lower in PARENT_WORDS:
            return "parent"
        if lower in OTHER_WORDS:
            return "other"
        return self._names.get(lower) if word[:1].isupper() else None

    def _named(self, lower: list[str]) -> list[int]:
        """The indices of a text's words that may name someone (`_people` looks at these only)."""
        person_words = self._person_words
        return [i for i, w in enumerate(lower) if w in person_words or w[-2:] in _POSSESSIVE]

    def _people(self, words: list[str], lower: list[str], lo: int, hi: int, named: list[int]) -> set[str]:
        """Who the words [lo, hi) of a text name: 'parent', 'other', and 'unclear' for someone unknown's parent.

        `named` is `_named(lower)`, worked out once for every window of the text."""
        found: set[str] = set()
        owned = -1  # a word already read as "X's <word>"
        for i in named[bisect_left(named, lo):bisect_left(named, hi)]:
            owner = words[i][:-2] if lower[i][-2:] in _POSSESSIVE else None
            nxt = lower[i + 1] if i + 1 < hi else ""
            if owner is not None and nxt in PARENT_WORDS:
                found.add(self._role(owner) or "unclear")
                owned = i + 1
            elif owner is not None and nxt in OTHER_WORDS:
                found.add("other")
                owned = i + 1
            elif i != owned and (role := self._role(owner or words[i])):
                found.add(role)
        return found

    def _adult_reports(self, words: list[str], lower: list[str]) -> bool:
        """Whether the nearest reporting verb ('says', 'told') is the adult's: said by a parent or
        a pronoun, or opening the sentence with no speaker."""
        verb = next((i for i in range(len(lower) - 1, -1, -1) if lower[i] in REPORT_WORDS), None)
        if verb is None:
            return False
        speakers = range(max(verb - 2, 0), verb)
        return not speakers or any(lower[i] in _PRONOUNS or self._role(words[i]) == "parent" for i in speakers)

    @staticmethod
    def _names_service(lower: list[str], after: int, stop: int, covered: set[int]) -> bool:
        """Whether the words from `after` to the clause's end go on to a service's name ("... misuse team")."""
        for j in range(after, stop):
            if lower[j] in SERVICE_WORDS:
                return True
            if j in covered or (lower[j] in SERVICE_LINKS and (lower[j] not in ("and", "or") or j + 1 in covered)):
                continue
            return False
        return False

    def mentions(self, text: str) -> list[Mention]:
        """Every mention of a risk term, in text order.

        Args:
            text: free text, e.g. an entry's description.

        Returns:
            One `Mention` per matched span (a word two terms could match is counted once), with
            offsets into `text`, its polarity and whom it is about.
        """
        return self.read(text)[0]

    def read(self, text: str, *, who: bool = True) -> tuple[list[Mention], Words | None]:
        """`mentions(text)`, and the text's words and breaks when it has any mention (None when not),
        for a caller that reads the same text further (`contact_words`).

        Args:
            text: free text.
            who: whether to read whom each mention is about; a caller that never asks (`contact_words`) saves
                the reading with False, and every mention's `about` is then 'unclear', save a term that counts
                only beside a parent (`NEEDS_A_PARENT`), which is still read and left out when it is not.
        """
        parts = _split(text)
        ends = list(accumulate(map(len, parts)))
        spans = self._spans(text, parts, ends)
        if not spans:
            return [], None
        # Only texts that name a term get here: one pass for the words, then every window is a slice.
        parsed = _words(text, parts, ends)
        at, words, lower, clauses, sentences = parsed
        covered: set[int] | None = None  # the words inside a mention, when a service's name is looked for
        named: list[int] | None = None  # `_named`, when a mention first asks whom it is about
        size = len(text)
        rows = []
        for start, end, index in spans:
            first, after = bisect_left(at, start), bisect_left(at, end)
            matched = text[start:end].lower()
            if matched in FALSE_FRIEND_WORDS or (matched in _FALSE_FRIEND_FORMS and not (
                    first > 0 and (lower[first - 1] in DRINKERS or self._role(words[first - 1]) == "parent"))
                    and any(matched in forms and followers.intersection(lower[after:after + n])
                            for forms, followers, n in FALSE_FRIENDS)):
                continue  # an ordinary use, unless the adult before it is doing it (a drinker)
            lo, hi = between(clauses, start, end, size)
            c0, c1 = bisect_left(at, lo), bisect_left(at, hi)
            s0 = s1 = -1  # the sentence's words, worked out when asked for
            before, near = lower[c0:first], lower[max(c0, first - STOP_WINDOW):first]
            cue = ""
            # each test's words looked for as a set first: most terms have no cue before them, and a set's test
            # is one call where a walk through the words is one for each (bench_analysis)
            if not DENIAL_WORDS.isdisjoint(before[-DENIAL_WINDOW:]) or (not matched.startswith(TREATMENTS) and (
                    not STOP_WORDS.isdisjoint(near) or (not _STOP_PAIR_FIRSTS.isdisjoint(near) and any(
                        a in _STOP_PAIR_FIRSTS and f"{a} {b}" in STOP_WORDS for a, b in pairwise(near))))):
                polarity, cue = "denied", "before"
            elif negated(before):
                lo, hi = between(sentences, start, end, size)
                s0, s1 = bisect_left(at, lo), bisect_left(at, hi)
                reported = self._adult_reports(words[s0:first], lower[s0:first])
                polarity, cue = ("denied" if reported else "negated"), "before"
            elif post := POST_CUE.match(text, end):
                polarity, cue = ("denied" if post.group(1) else "negated"), "after"
            elif self._names_service(lower, after, c1, covered if covered is not None else (
                    covered := {i for a, b, _ in spans for i in range(bisect_left(at, a), bisect_left(at, b))})):
                polarity = "service"
            else:
                polarity = "present"
            about = "unclear"
            needs_a_parent = self._needs_a_parent[index]
            if (who or needs_a_parent) and s0 < 0:
                lo, hi = between(sentences, start, end, size)
                s0, s1 = bisect_left(at, lo), bisect_left(at, hi)
            for lo, hi in ((c0, c1), (s0, s1)) if who or needs_a_parent else ():
                # the clause decides when it names anyone, else the sentence
                if named is None:
                    named = self._named(lower)
                if people := self._people(words, lower, lo, hi, named):
                    # an unknown person's parent may be the child's: kept as unclear, never dropped
                    about = next(r for r in ("parent", "unclear", "other") if r in people)
                    break
            if about != "parent" and needs_a_parent:
                continue
            rows.append([start, end, index, polarity, cue, about])
        # A cue carries along a list of terms joined only by commas, "and", "or" ("no alcohol or drugs").
        pairs = list(pairwise(rows))
        for a, b in pairs:
            if a[4] == "before" and b[3] == "present" and _JOINER.fullmatch(text, a[1], b[0]):
                b[3], b[4] = a[3], a[4]
        for a, b in reversed(pairs):
            if b[4] == "after" and a[3] == "present" and _JOINER.fullmatch(text, a[1], b[0]):
                a[3], a[4] = b[3], b[4]
        return [Mention(self._terms[index][0], self._terms[index][1], text[start:end], start, end, polarity, about)
                for start, end, index, polarity, _, about in rows], parsed

    def factors(self, text: str) -> dict[str, str]:
        """Each factor the text mentions, with its strongest reading.

        Returns:
            factor -> 'present' (a present mention not about someone outside), else 'other' (present
            only about others), else 'denied' if the adult denied it, else 'negated', else 'service'
            (only a service's name). Factors not mentioned are left out; words of recovery count
            for the substance the text names (`RECOVERY`).
        """
        readings: dict[str, set[str]] = {}
        for m in self.mentions(text):
            reading = "other" if m.polarity == "present" and m.about == "other" else m.polarity
            readings.setdefault(m.factor, set()).add(reading)
        recovery = readings.pop(RECOVERY, set())
        for reading in recovery & {"present", "other"}:  # "relapsed", "in recovery": the substance named beside it
            for f in SUBSTANCES:
                if f in readings:
                    readings[f].add(reading)
        return {f: next(r for r in ("present", "other", "denied", "negated", "service") if r in found)
                for f, found in readings.items()}

"""Where the risk terms of each factor are written in free text (`TermFinder`): each term's pattern, and the
misspellings forgiven.

Matching: case-insensitive whole words; `drink*` takes any ending; an unstarred single word
also takes -s, -es, -ed and -ing; the words of a phrase may be split by any spaces or hyphens.
A misspelt word is caught when it is one slip (a letter added, dropped, changed or two swapped)
from a term of 7+ letters ("alchohol", "depresion"). Terms of 5 or 6 letters forgive only a
swap or a doubled letter, since one changed letter turns them into everyday words (lager:
later, threw: three, refuge: refuse, crack: track); shorter terms must be spelt right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from .words import FALSE_FRIEND_WORDS

LONG_STEM = 7  # letters from which any one slip is forgiven
SHORT_STEM = 5  # below this a term must be spelt exactly

_GAP = r"[\s\-\u2010-\u2015]+"
# The runs of letters long enough to misspell a term (`SHORT_STEM`): shorter ones never do, so only
# these are judged and looked up, a fraction of a text's words.
_LONG_LETTERS = re.compile(rf"[^\W\d_]{{{SHORT_STEM},}}")
_INFLECTIONS = ("s", "es", "ed", "ing")


class _Try(NamedTuple):
    """The pattern tried where some terms only may begin (`TermFinder._try`), and its groups' terms."""

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
    does not begin with a letter (it is found by its own scan: `TermFinder._odd_starts`)."""
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


class TermFinder:
    """Finds where the risk terms of each factor are written in free text, exact or misspelt (`_spans`), for
    `reading.TermMatcher` to read."""

    def __init__(self, terms: Mapping[str, Sequence[str]], *, slips: bool = True):
        """Compile the term lists.

        Args:
            terms: factor -> words or phrases, e.g. `{"parental_alcohol": ("drink*", "wine")}`.
            slips: whether near misspellings count; off for everyday words (napping: tapping).

        Raises:
            ValueError: a term is blank or misplaces `*`, a term sits under two factors, or the
                terms are not of the shape above.
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
            parts: its split into gap, word, gap, ..., gap (`words._split`).
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

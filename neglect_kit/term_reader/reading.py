"""Parental risk factors named in the free text of chronology entries.

In the review behind the kit, parental alcohol use ran through every agency's notes and was
never named as a risk (DOMAIN.md 1). `TermMatcher` finds each word of a factor's term list
(settings `[risk_terms]`, see `terms.RISK_TERMS`) and reads it the way a worker would:

Matching is `patterns`' (whole words, endings, phrases, one slip in spelling).
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
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import Literal

from .patterns import TermFinder
from .words import (
    DENIAL_WINDOW,
    DENIAL_WORDS,
    FALSE_FRIEND_WORDS,
    FALSE_FRIENDS,
    NEEDS_A_PARENT,
    OTHER_WORDS,
    PARENT_WORDS,
    POST_CUE,
    REPORT_WORDS,
    SERVICE_LINKS,
    SERVICE_WORDS,
    STOP_WINDOW,
    STOP_WORDS,
    TREATMENTS,
    WORD,
    Words,
    _split,
    _words,
    between,
    negated,
)

Polarity = Literal["present", "negated", "denied", "service"]
About = Literal["parent", "other", "unclear"]

_PRONOUNS = frozenset({"she", "he", "they"})
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})
# Words of recovery and relapse that name no substance ("relapsed", "in recovery", "detox"): they count
# for the alcohol or drug use the same text names (settings `risk_terms.recovery`).
RECOVERY = "recovery"
SUBSTANCES = ("parental_alcohol", "parental_drugs")
# "Mummy drinks the smelly juice": the adult is drinking, whatever the drink is called
DRINKERS = PARENT_WORDS
_STOP_PAIR_FIRSTS = frozenset(w.split()[0] for w in STOP_WORDS if " " in w)  # "gave" of "gave up"
_FALSE_FRIEND_FORMS = frozenset(form for forms, _, _ in FALSE_FRIENDS for form in forms)
_JOINER = re.compile(r"[\s,/&]*(?:(?:and|or|nor|use|misuse)\b[\s,/&]*)*", re.I)
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


class TermMatcher(TermFinder):
    """Finds and reads the risk terms of each factor in free text.

    Build one per case and reuse it: each distinct word is judged once (does it begin a term, is
    it a misspelt one?) and remembered, so the memory grows with the case's vocabulary only.
    """

    def __init__(self, terms: Mapping[str, Sequence[str]], parents: Iterable[str] = (), others: Iterable[str] = (),
                 *, slips: bool = True):
        """Compile the term lists (`TermFinder`) and the names.

        Args:
            terms: as `TermFinder`'s.
            parents: names of the parents and carers (full names, first names, nicknames), any case.
            others: names of other people known to the family, any case.
            slips: as `TermFinder`'s.

        Raises:
            ValueError: as `TermFinder`'s, or the names are not lists of names.
        """
        super().__init__(terms, slips=slips)
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

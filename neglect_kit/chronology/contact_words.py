"""Whether each child of an entry was seen, seen alone, not seen (and why) and heard, read from its words.

"When was this child last seen alone?" is answered by the chronology (DOMAIN.md 3), and most returns
say it only in prose: "Jodie seen alone in her bedroom; Kai asleep upstairs, not seen". The terms of
each kind (settings `[contact_terms]`, see `terms.CONTACT_TERMS`) are found and their negation read by
`term_reader.reading.TermMatcher`, so "not seen", "was not seen alone" and "did not see the children" read as
a worker would, by the same rules as the parental factors (misspellings are not forgiven here: the
words are everyday ones).

Whom a term is about (the full rules are in docs/analysis-rules.md section 2):
- the nearest person named before it in its clause (a child's name or known-as, "the children",
  "both", a parent, a worker, "I"); a pronoun stands for the person named before it;
- when that is an adult (or nobody), a child named after it in the clause ("SW saw Jodie"), but not
  one after "with" or "by" ("seen with mum" is about the child named before);
- with nobody named in the clause, the person named earlier in the sentence; "not seen" and
  "no reply" with only an adult or nobody before them are about every child of the entry;
- with nobody named at all, the entry's child when it has one (for "not seen" and "no reply",
  every child of the entry). A term about an adult ("Mum seen at the door") is left out.

What counts, per child:
- seen: a seen term ("seen", "saw", "spoke to") not negated. "Seen and well" or "safe and well"
  counts only when the entry does not also say the child was not seen (opinion is not sight).
- seen alone: an alone term ("alone", "on her own", "without mum present") in a sentence that
  says the child was seen; "left alone" and "home alone" are not contact. Seen with an adult
  ("with mum", "mum present") or "not seen alone" is contact that was not alone.
- not seen, and why: a negated seen term or "not seen" ("not_seen"), "no reply" ("no_access");
  "in bed" ("asleep") and "at school" ("out") say where the child was, so they are a reason only
  beside words that say the child was not seen, and alone record nothing either way; but a child
  elsewhere ("out") when the words tell of a contact (a visit to the home, or anyone seen) was not
  seen at it ("Jodie seen at school; Kai at nursery").
- heard: the child's own words: a speech verb ("said", "told", "explained") whose speaker is the
  child (`Jodie said "..."`, `"...," said Kai`, "Jodie said she was hungry"; "Jodie was told" and
  "reported to be cold" are not); a verb opening its clause with no speaker has the sentence's first
  person as its speaker ("Kai came in while mum cooked, said ..."); the child's name before a colon
  and a quote, or the child speaking to the worker
  ("Jodie spoke to me"). A question ("Was Jodie seen alone?") records nothing. A negated verb
  ("Jodie would not speak") is not heard; words after the verb ("Jodie said no") never negate it.
  A quote from an adult is not the child's, and nor is anything after a parent's "says" ("Mum says
  the children are seen and well" is her account, not a sighting).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from ..term_reader.reading import TermMatcher
from ..term_reader.words import OTHER_WORDS, PARENT_WORDS, POST_CUE, WORD, between, words_of
from ..terms import CONTACT_TERMS

KINDS = tuple(CONTACT_TERMS)
WHY_NOT = ("not_seen", "no_access", "asleep", "out")
GROUP_WORDS = frozenset({"children", "kids", "siblings", "both", "boys", "girls", "twins"})
CHILD_WORDS = frozenset({"child", "baby", "son", "daughter", "toddler", "infant", "pupil", "boy", "girl"})
ADULT_WORDS = PARENT_WORDS | OTHER_WORDS | frozenset({
    "i", "we", "worker", "sw", "hv", "gp", "teacher", "nurse", "officer", "officers", "police", "staff", "doctor",
    "midwife", "manager", "professional", "dsl", "senco", "keyworker", "pc", "visitor", "practitioner",
    "you", "screener"})
PRONOUNS = frozenset({"she", "he", "they"})
_ACTIVE = frozenset({"saw"})  # "the children saw the argument": they did the seeing
# "seen with mum", "in the presence of Donna": the person after these is not the one seen
_STOP_FOLLOW = frozenset({"with", "by", "without", "from", "presence", "front"})
_PASSIVE = frozenset({"was", "were", "been", "being", "be", "is", "are", "got"})
_PASSIVE_AFTER = frozenset({("to", "be"), ("to", "have"), ("to", "had")})  # "home reported to be cold"
_OPENERS = frozenset({"and", "then", "also", "later", "so"})  # may come before a verb whose subject is left out
_NOT_CONTACT = frozenset({"left", "home", "leave", "leaves", "leaving", "play", "plays", "played", "playing"})
_FELL = frozenset({"fell", "falls", "fall", "falling"})
_TALK_SEEN = ("spoke", "talked")  # "Jodie spoke to me": seen and heard
_WEAK = re.compile(r"\s*(?:and|&)\s*well\b", re.I)
_QUOTE = re.compile(r"[:\-–]\s*[\"“‘']")  # Kai: "..."
_POSSESSIVE = ("'s", "’s")
ALL = "*"  # every child of the entry


def _word_before(text: str, at: int) -> str:
    words = WORD.findall(text[max(at - 40, 0):at])
    return words[-1].lower() if words else ""


@dataclass(frozen=True)
class ChildContact:
    """What an entry's words say about one child's contact with the worker."""

    seen: bool = False
    seen_alone: bool = False
    not_alone: bool = False  # seen with an adult present, or "not seen alone"
    not_seen: tuple[str, ...] = ()  # why, from WHY_NOT, when the words say the child was not seen
    heard: bool = False

    @property
    def says_seen(self) -> bool:
        """Whether the words say anything of the child being seen or not."""
        return self.seen or bool(self.not_seen)

    @property
    def says_alone(self) -> bool:
        """Whether the words say anything of the child being seen alone or not."""
        return self.seen_alone or self.not_alone or bool(self.not_seen)


@dataclass
class _Hit:
    kind: str
    present: bool
    start: int
    end: int
    first: int  # word index
    sentence: int
    term: str


class ContactReader:
    """Reads contact from the words of a case's entries. Build one per case and reuse it."""

    def __init__(self, children: Mapping[str, Sequence[str]], adults: Sequence[str] = (),
                 terms: Mapping[str, Sequence[str]] | None = None):
        """Compile the terms and the names.

        Args:
            children: child id -> the child's names (first name, known-as); a name word two children
                share counts for neither.
            adults: names of the case's adults, so "Donna seen at the door" is not about a child.
            terms: kind -> words or phrases (settings `contact_terms`); `terms.CONTACT_TERMS` if None.

        Raises:
            ValueError: an unknown kind, or a term `TermMatcher` refuses.
        """
        terms = dict(CONTACT_TERMS if terms is None else terms)
        if unknown := sorted(set(terms) - set(KINDS)):
            raise ValueError(f"contact term kind {unknown[0]!r} is not one of {', '.join(KINDS)}")
        self._matcher = TermMatcher(terms, slips=False)
        self._names: dict[str, str] = {}
        clashes: set[str] = set()
        for child, names in children.items():
            for word in {w.lower() for n in names for w in WORD.findall(str(n))[:1]}:
                if self._names.setdefault(word, child) != child:
                    clashes.add(word)
        for word in clashes:
            del self._names[word]
        self._adults = {w.lower() for n in adults for w in WORD.findall(str(n))[:1]} - self._names.keys()
        self._people = self._names.keys() | self._adults | CHILD_WORDS | GROUP_WORDS | ADULT_WORDS | PRONOUNS
        self._memo: dict[tuple[str, tuple[str, ...]], dict[str, ChildContact]] = {}

    def _refs(self, words: list[str], lower: list[str]) -> list[tuple[int, str, str]]:
        """(word index, 'child' or 'adult', child id or ALL) for each person named, pronouns resolved."""
        refs: list[tuple[int, str, str]] = []
        # the last person named other than after "with", and the last one person ("she" is not "the children")
        antecedent: tuple[int, str, str] | None = None
        single: tuple[int, str, str] | None = None
        # only the words that may name someone are looked at (one scan of the text, not a loop over words)
        named = self._people.intersection(lower)  # most words name nobody: only these are looked at
        for i in [i for i, low in enumerate(lower) if low in named] if named else ():
            word, low = words[i], lower[i]
            if low.endswith(_POSSESSIVE):
                continue  # "Jodie's teacher": the teacher is the person
            nxt = lower[i + 1] if i + 1 < len(lower) else ""
            if word[:1].isupper() and low in self._names:
                refs.append((i, "child", self._names[low]))
            elif low in CHILD_WORDS or (low in GROUP_WORDS and nxt not in PARENT_WORDS):
                refs.append((i, "child", ALL))
            elif low in ADULT_WORDS or (word[:1].isupper() and low in self._adults):
                refs.append((i, "adult", ""))
            elif low in PRONOUNS and (to := antecedent if low == "they" else single):
                refs.append((i, to[1], to[2]))
            else:
                continue
            if not (i and lower[i - 1] in _STOP_FOLLOW):
                antecedent = refs[-1]
                if low not in GROUP_WORDS and low not in ("we", "they"):
                    single = refs[-1]
        return refs

    def read(self, text: str, entry_children: Sequence[str]) -> dict[str, ChildContact]:
        """What the text says of each child of the entry (children it says nothing about are left out).

        Args:
            text: the entry's words (description, action, outcome, impact note), one text.
            entry_children: the ids of the entry's children.
        """
        key = (text, tuple(entry_children))
        if key not in self._memo:
            self._memo[key] = self._read(text, list(entry_children))
        return self._memo[key]

    def _read(self, text: str, kids: list[str]) -> dict[str, ChildContact]:
        mentions, parsed = self._matcher.read(text, who=False)  # whom a mention is about is read here, not there
        marks = [m.start() for m in _QUOTE.finditer(text)]
        if not mentions and not marks:
            return {}
        at, words, lower, clauses, sentences = parsed or words_of(text)
        quotes = []  # the word just before a colon and an opening quote
        for q in marks:
            i = bisect_left(at, q)
            if i and not text[at[i - 1] + len(words[i - 1]):q].strip():
                quotes.append(i - 1)
        refs = self._refs(words, lower)
        ref_at = [r[0] for r in refs]
        per: dict[str, list[_Hit]] = {}
        hearsay: dict[int, int] = {}  # sentence start -> where a parent's speech verb ends in it

        def add(who: str, hit: _Hit) -> None:
            for child in (kids if who == ALL else [who] if who in kids else []):
                per.setdefault(child, []).append(hit)

        visit = False
        for m in mentions:
            if m.polarity == "service":  # a service's name matters to the parental factors only ("brought to clinic")
                m = replace(m, polarity="present")
            # a visit to the home, or anyone seen: the entry tells of a contact, which a child elsewhere missed
            visit = visit or (m.factor in ("visit", "seen") and m.polarity == "present")
            if m.factor == "visit":  # about the entry, not a child
                continue
            first, after = bisect_left(at, m.start), bisect_left(at, m.end)
            c0, c1 = (bisect_left(at, p) for p in between(clauses, m.start, m.end, len(text)))
            s_start, s_end = between(sentences, m.start, m.end, len(text))
            if text[s_end:s_end + 1] == "?":
                continue  # a question ("Was Jodie seen alone?") records nothing
            s0 = bisect_left(at, s_start)
            present = m.polarity == "present" or (m.factor == "speech" and POST_CUE.match(text, m.end) is not None)
            hit = _Hit(m.factor, present, m.start, m.end, first, s0, m.term.lower())
            who = self._who(m.factor, first, after, c0, c1, s0, refs, ref_at, lower, kids)
            if m.factor == "speech" and not who and self._said_by_parent(first, c0, refs, ref_at, lower):
                hearsay.setdefault(s0, m.end)
            if m.factor in ("seen", "alone") and m.start >= hearsay.get(s0, len(text)):
                continue  # "Mum says the children are seen and well": her account, not a sighting
            if who:
                add(who, hit)
                if m.factor == "seen" and hit.term.startswith(_TALK_SEEN) and self._subject(first, c0, refs, ref_at):
                    add(who, _Hit("speech", present, m.start, m.end, first, s0, hit.term))
        for i in quotes:
            r = bisect_left(ref_at, i)
            if r < len(refs) and refs[r][0] == i and refs[r][1] == "child":
                add(refs[r][2], _Hit("speech", True, at[i], at[i] + len(words[i]), i, -1, "quote"))
        return {child: self._sum(hits, text, visit) for child, hits in per.items() if child in kids}

    @staticmethod
    def _said_by_parent(first: int, c0: int, refs: list[tuple[int, str, str]], ref_at: list[int],
                        lower: list[str]) -> bool:
        """Whether the nearest person before word `first` in its clause is a parent or carer."""
        r = bisect_left(ref_at, first) - 1
        return r >= 0 and refs[r][0] >= c0 and refs[r][1] == "adult" and (
            lower[refs[r][0]] in PARENT_WORDS or lower[refs[r][0]] not in ADULT_WORDS)

    @staticmethod
    def _subject(first: int, c0: int, refs: list[tuple[int, str, str]], ref_at: list[int]) -> bool:
        """Whether a child is named just before word `first` in its clause (the one speaking)."""
        r = bisect_left(ref_at, first) - 1
        return r >= 0 and refs[r][0] >= c0 and refs[r][1] == "child"

    def _who(self, kind: str, first: int, after: int, c0: int, c1: int, s0: int,
             refs: list[tuple[int, str, str]], ref_at: list[int], lower: list[str], kids: list[str]) -> str:
        """The child id (or ALL) a term at words [first, after) is about; '' for an adult or nobody."""
        r = bisect_left(ref_at, first) - 1
        before = refs[r] if r >= 0 and refs[r][0] >= c0 else None
        follow = None
        for i, role, who in refs[bisect_left(ref_at, after):]:
            if i >= c1 or _STOP_FOLLOW.intersection(lower[after:i]):
                break
            follow = (i, role, who)
            break
        if kind == "speech":
            if (first > 0 and lower[first - 1] in _PASSIVE) or tuple(lower[after:after + 2]) in _PASSIVE_AFTER \
                    or lower[after:after + 1] == ["as"]:
                return ""  # "Jodie was told", "reported to be cold", "described as quiet": someone else spoke
            if before:
                return before[2] if before[1] == "child" else ""
            if follow and follow[0] == after and follow[1] == "child" and lower[after] not in PRONOUNS:
                return follow[2]  # '"I'm hungry," said Kai' (but "who said he eats well" is someone else's)
            if all(w in _OPENERS for w in lower[c0:first]):
                # the verb opens its clause and shares the sentence's subject ("Kai came in, said ...");
                # a person named on the way ("while mum was upstairs") is not the speaker
                subject = refs[bisect_left(ref_at, s0)] if r >= 0 and refs[r][0] >= s0 else None
                return subject[2] if subject and subject[1] == "child" else ""
            return ""
        if before and before[1] == "child" and lower[first] not in _ACTIVE:
            return before[2]
        if follow:
            return follow[2] if follow[1] == "child" else ""
        if before:
            return ALL if kind in ("not_seen", "no_access") and before[1] == "adult" else ""
        earlier = refs[r] if r >= 0 and refs[r][0] >= s0 else None
        if earlier:
            return earlier[2] if earlier[1] == "child" else (ALL if kind in ("not_seen", "no_access") else "")
        child = next((refs[k] for k in range(r, -1, -1) if refs[k][1] == "child"), None)
        if child:
            return child[2]
        return ALL if len(kids) == 1 or kind in ("not_seen", "no_access") else ""

    @staticmethod
    def _sum(hits: list[_Hit], text: str, visit: bool) -> ChildContact:
        """One child's reading from the terms about them; `visit`: the words tell of a contact (a visit to
        the home, or anyone seen), so a child elsewhere was not seen at it."""
        hits.sort(key=lambda h: h.start)
        why: list[str] = []
        where: list[str] = []
        strong = weak = alone = not_alone = heard = False
        seen_sentences = {h.sentence for h in hits if h.kind == "seen" and h.present}
        for k, h in enumerate(hits):
            nxt = hits[k + 1] if k + 1 < len(hits) else None
            alone_next = nxt is not None and nxt.kind == "alone" and not text[h.end:nxt.start].strip()
            if h.kind == "seen" and h.present:
                if h.term == "safe and well" or _WEAK.match(text, h.end):
                    weak = True
                else:
                    strong = True
            elif (h.kind == "seen" and not h.present) or (h.kind == "not_seen" and h.present):
                if alone_next:
                    not_alone = True  # "not seen alone": whether seen at all, the words do not say
                else:
                    why.append("not_seen")
            elif h.kind == "no_access" and h.present:
                why.append(h.kind)
            elif h.kind in ("asleep", "out") and h.present:
                if h.kind == "asleep" and _word_before(text, h.start) in _FELL:
                    continue  # "fell asleep in class": seen asleep
                where.append(h.kind)  # a reason only beside words that say the child was not seen
            elif h.kind == "alone":
                if _word_before(text, h.start) in _NOT_CONTACT:
                    continue  # "left alone", "home alone"
                if not h.present:
                    not_alone = True
                elif h.sentence in seen_sentences:
                    alone = True
            elif h.kind == "with_adult" and h.present and h.sentence in seen_sentences:
                not_alone = True
            elif h.kind == "speech" and h.present:
                heard = True
        if why or (visit and "out" in where):  # elsewhere during a visit: not seen at it
            why += where
        seen = strong or (weak and not why and not where)  # "in bed - safe and well per mum": not a sighting
        return ChildContact(seen=seen, seen_alone=seen and alone, not_alone=not_alone and not (seen and alone),
                            not_seen=tuple(dict.fromkeys(why)) if not strong else (), heard=heard)

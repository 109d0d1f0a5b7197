"""A category read from a row's own words, for returns that have no category column.

A police export has incident types, a school's safeguarding log has no category at all: the
kit reads the row's words (the caller passes the description, then the action and outcome;
the first of them that names a category decides, since the description says what happened)
for the words of each category (`terms.CATEGORY_WORDS`, the parental factors' `risk_terms`,
and any synonym or label a partnership added in its settings). The entry is marked `inferred`
so the app and the report show it and a practitioner can correct it.

Rules, in order:
- Words are read with the risk reader (`term_reader.reading.TermMatcher`): whole words, endings and near
  misspellings as there. A mention that reader calls "negated" ("no concerns about home
  conditions", "attendance: nil concerns") chooses nothing; an adult's denial still names the
  subject of the row ("Mum denies drinking" is about alcohol). A parental factor said only of
  someone outside the household ("Nan drinks") chooses nothing.
- A phrase that holds a category's word but names no category (`terms.CATEGORY_FALSE_FRIENDS`:
  "hungry for attention", "proud of herself") chooses nothing, and its words are not read again.
- The child's own body and care (hunger, physical care, health, a medical need, growth, teeth) are
  not named by an adult's: a word right after a parent's possessive, with at most one word
  between ("Mum's untreated toothache", "Dad's chest infection"), chooses nothing.
- When several categories are named, the lowest `terms.CATEGORY_RANKS` wins: a missed
  appointment or a visit with no access (1: "not brought to dental appointment" is
  was_not_brought, "home visit: no reply" is no_access), then a meeting (2: "review conference:
  attendance still poor" is the review, not a new absence), then a concern (3), then a contact
  or process around it (4: police call-out, referral, health check, so "weight on the 2nd
  centile, referred to paediatrics" is growth and weight), then a routine home visit or good
  news (5). Within a rank the category named first wins. A partnership's own category ranks
  with the concerns.
- Nothing named: "other".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from ..term_reader.reading import TermMatcher
from ..term_reader.words import PARENT_WORDS
from ..terms import CATEGORY_FALSE_FRIENDS, CATEGORY_RANKS, CATEGORY_WORDS, RISK_TERMS
from ..vocab import CATEGORIES, Vocabulary

_OWN_RANK = 3  # a partnership's own category ranks with the concerns
_NOTHING = "\0none"  # the code the false friends are read under: never a category
_CHILDS_OWN = frozenset({"hunger_food", "physical_care", "health", "medical_need", "growth_weight", "dental"})
# "Mum's untreated ...", "Dad's chest ...": what follows is the adult's, not the child's
_ADULTS = re.compile(rf"\b(?:{'|'.join(sorted(PARENT_WORDS))})['’]s\s+(?:own\s+)?(?:[^\W\d_]+\s+)?$", re.I)


def _settings_words(categories: Vocabulary) -> dict[str, list[str]]:
    """Labels and synonyms a partnership added to the built-in categories, or its own categories."""
    built_in = {t.code: t for t in CATEGORIES.terms}
    out: dict[str, list[str]] = {}
    for term in categories.terms:
        if term.code == "other":
            continue
        old = built_in.get(term.code)
        words = [w for w in (term.label, *term.synonyms)
                 if old is None or (w not in old.synonyms and w != old.label)]
        words = [w.strip().lower() for w in words if re.match(r"\w", w.strip()) and "*" not in w]
        if words:
            out[term.code] = words
    return out


@lru_cache(maxsize=32)
def _matcher(categories: Vocabulary, risk_terms: tuple[tuple[str, tuple[str, ...]], ...]) -> TermMatcher:
    codes = set(categories.codes())
    lists: dict[str, list[str]] = {}
    for code, words in (*CATEGORY_WORDS.items(), *risk_terms, *_settings_words(categories).items()):
        if code in codes:
            lists.setdefault(code, []).extend(words)
    terms: dict[str, list[str]] = {_NOTHING: list(CATEGORY_FALSE_FRIENDS)}
    seen: set[str] = {" ".join(w.split()) for w in CATEGORY_FALSE_FRIENDS}
    for code, words in lists.items():  # a word listed twice counts for the first category only
        for word in words:
            key = " ".join(re.split(r"[\s\-\u2010-\u2015]+", word.lower()))
            if key not in seen:
                seen.add(key)
                terms.setdefault(code, []).append(word)
    return TermMatcher(terms)


def infer_category(text: str | Sequence[str], categories: Vocabulary,
                   risk_terms: Mapping[str, Sequence[str]] | None = None) -> str:
    """The category a row's words name (see the module's rules), or "other".

    Args:
        text: the row's words: one text, or its parts in order (description, action, outcome),
            of which the first that names a category decides, so an action "raised at core group"
            does not make a home visit's concern a meeting.
        categories: the vocabulary in force (`Settings.categories`).
        risk_terms: the parental factors' words (`Settings.risk_terms`); the built-in lists if None.
    """
    terms = tuple((k, tuple(v)) for k, v in (risk_terms if risk_terms is not None else RISK_TERMS).items())
    matcher = _matcher(categories, terms)
    for part in [text] if isinstance(text, str) else text:
        best: tuple[int, int, str] | None = None
        for mention in matcher.mentions(part or ""):
            if mention.polarity == "negated" or mention.factor == _NOTHING or (
                    mention.about == "other" and mention.factor in RISK_TERMS) or (
                    mention.factor in _CHILDS_OWN and _ADULTS.search(part, 0, mention.start)):
                continue
            key = (CATEGORY_RANKS.get(mention.factor, _OWN_RANK), mention.start, mention.factor)
            if best is None or key < best:
                best = key
        if best is not None:
            return best[2]
    return "other"

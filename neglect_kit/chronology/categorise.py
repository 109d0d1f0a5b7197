"""A category read from a row's own words, for returns that have no category column.

A police export has incident types, a school's safeguarding log has no category at all: the
kit reads the description (then the action and outcome) for the words of a category's label
or synonyms and takes the first category named. The entry is marked `inferred` so the app and
the report show it and a practitioner can correct it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..vocab import Vocabulary, normalise


@lru_cache(maxsize=32)
def _patterns(categories: Vocabulary) -> tuple[tuple[str, re.Pattern[str]], ...]:
    out = []
    for term in categories.terms:
        if term.code == "other":
            continue
        words = sorted({normalise(w) for w in (term.label, *term.synonyms) if len(normalise(w)) > 2},
                       key=len, reverse=True)
        if words:
            out.append((term.code, re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")))
    return tuple(out)


def infer_category(text: str, categories: Vocabulary) -> str:
    """The category the words name first (by position in the text), or "other".

    Args:
        text: the row's words (description, then action and outcome).
        categories: the vocabulary in force (`Settings.categories`).
    """
    plain = normalise(text)
    best: tuple[int, str] | None = None
    for code, pattern in _patterns(categories):
        m = pattern.search(plain)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), code)
    return best[1] if best else "other"

"""Residual risk: what is left in scrubbed text that a person should look at.

No scrubber knows every name. After scrubbing, every token that could still identify someone is
listed with its position for a person to check: every capitalised word (a name or place the case's
records did not hold), every number (a house number, a date, a reference), and every token shaped like
a name (an internal capital as in "McAllister", an apostrophe as in "O'Neill", a hyphen between capitals).
The one thing left out is a short list of function words at the start of a sentence ("The", "She",
"When"): they are capitalised only because they begin it. Everything else is listed, even at the
start of a sentence: a list too long is a nuisance, a name missed is a breach.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate


def word_set(text: str) -> frozenset[str]:
    """The words of a list written as text, one or more a line."""
    return frozenset(text.split())


# capitalised only because a sentence starts with them; anywhere else they are listed like any word
SENTENCE_STARTERS = word_set("""
a an the he she it they we i you his her its their our my your this that these those there here then
when while after before during on in at to from by for with without of as if but and or so not no yes
both each every all some any one two three four five six seven eight nine ten who what where why how
was were is are has had have did does do can could would should will may might must also again
""")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]|\d+(?:[.,:/\-]\d+)*")
# the same tokens, caught for `split`: it hands back every token and gap as text in one call, far quicker
# than a match object per token when most tokens (lower-case words) are passed over at once
_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern})")
_NAME_SHAPED = re.compile(r"[A-Za-z]+[a-z][A-Z][A-Za-z]*|[A-Za-z]+['’][A-Z][a-z]+|[A-Z][a-z]+-[A-Z][a-z]+")
_PUNCTUATION, _QUOTES = ".!?:;", "\"'“”‘’(["


@dataclass(frozen=True)
class Token:
    """A token left in scrubbed text: what it is, where (`text[start:end]`), and why it is listed."""

    text: str
    start: int
    end: int
    kind: str  # "capitalised" | "number" | "name-shaped"


def residual(text: str, skip: Sequence[tuple[int, int]] = ()) -> list[Token]:
    """Every capitalised word, number or name-shaped token in `text`, in order.

    Args:
        text: scrubbed text.
        skip: spans (start, end) to pass over (any token touching one): the labels and placeholders the
                scrubber put in.
    """
    parts = _TOKEN_SPLIT.split(text or "")
    # a token all in lower case (letters only, so no number) is never listed: only the others are looked at
    listed = [i for i in range(1, len(parts), 2) if not parts[i].islower()]
    if not listed:
        return []
    at = list(accumulate(map(len, parts)))
    # the spans to pass over by their starts, with the furthest end of those so far: a token touches one when
    # some span starting before the token's end ends after its start
    spans = sorted(skip)
    starts = [s for s, _ in spans]
    furthest = list(accumulate((e for _, e in spans), max))
    out = []
    for i in listed:
        word = parts[i]
        start = at[i - 1]
        end = start + len(word)
        if (k := bisect_left(starts, end)) and furthest[k - 1] > start:  # a label's possessive ("Mother's") too
            continue
        if word[0].isdigit():
            out.append(Token(word, start, end, "number"))
        elif _NAME_SHAPED.fullmatch(word):
            out.append(Token(word, start, end, "name-shaped"))
        elif word[0].isupper():
            if word.lower() in SENTENCE_STARTERS and _starts_sentence(text, start):
                continue
            out.append(Token(word, start, end, "capitalised"))
    return out


def _starts_sentence(text: str, start: int) -> bool:
    """Whether only spaces, or the end of a sentence ('.', '!', '?', ':', ';') and then spaces and quotes or
    brackets ("Fine." She ...), come before `start`."""
    before = text[:start].rstrip()
    # the end of a sentence, then spaces, then quotes or brackets, then spaces, and nothing after
    return not before or before.rstrip(_QUOTES).rstrip()[-1:] in tuple(_PUNCTUATION)

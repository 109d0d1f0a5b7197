"""A review's text cut into passages, the unit of coding: each sentence of each paragraph, with its offsets.

Paragraphs are parted by one or more blank lines; a Markdown heading line (`# ...`) is a paragraph of its
own. A sentence ends after `.`, `!` or `?` (and any closing quote or bracket) where whitespace and then an
upper-case letter, a digit or a quote follow, but not after a common abbreviation (Mr, Dr, e.g., para ...)
or a single-letter initial. A passage's id, `P<paragraph>.S<sentence>`, depends only on the text before it,
so the ids of a review's text never change and codings can name them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# words after whose full stop a sentence does not end (compared without the stop, lower case)
ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "e.g", "i.e", "etc", "para"})
NUMBER_SIGNS = frozenset({"no"})  # "No. 4" is an abbreviation; "said no. Then" ends a sentence

_BLANK = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")  # one or more blank lines part paragraphs
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]|$).*$", re.MULTILINE)
_END = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+(\S))""")  # a stop, closers, whitespace: a sentence may end
_OPENERS = "\"'“‘"


@dataclass(frozen=True)
class Passage:
    """One sentence of a review: `text == review_text[start:end]`."""

    id: str
    paragraph: int
    sentence: int
    start: int
    end: int
    text: str


def passages(text: str) -> list[Passage]:
    """The passages of `text`, in order, none overlapping, none empty, no outer whitespace in any.

    Every character of `text` that is not whitespace lies in exactly one passage.
    """
    found: list[Passage] = []
    for number, (start, end, heading) in enumerate(_paragraphs(text), start=1):
        spans = [(start, end)] if heading else _sentences(text, start, end)
        found.extend(Passage(f"P{number}.S{m}", number, m, s, e, text[s:e]) for m, (s, e) in enumerate(spans, 1))
    return found


def _paragraphs(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is a heading) of each paragraph, outer whitespace left out."""
    blocks: list[tuple[int, int, bool]] = []
    at = 0
    for gap in [*_BLANK.finditer(text), None]:
        stop = gap.start() if gap else len(text)
        cursor = at
        for heading in _HEADING.finditer(text, at, stop):  # a heading line parts the block around it
            blocks.append((cursor, heading.start(), False))
            blocks.append((heading.start(), heading.end(), True))
            cursor = heading.end()
        blocks.append((cursor, stop, False))
        at = gap.end() if gap else len(text)
    return [span for s, e, h in blocks if (span := (*_trimmed(text, s, e), h))[0] < span[1]]


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    for stop in _END.finditer(text, start, end):
        after = stop.group(1)
        starts = after.isupper() or after.isdigit() or after in _OPENERS  # what may begin a sentence
        if not starts or _abbreviated(text, cursor, stop.start(), after):
            continue
        spans.append(_trimmed(text, cursor, stop.end()))
        cursor = stop.end()
    spans.append(_trimmed(text, cursor, end))
    return [(s, e) for s, e in spans if s < e]


def _abbreviated(text: str, start: int, stop: int, after: str) -> bool:
    """Whether the stop at `stop` closes an abbreviation or an initial, not a sentence."""
    if text[stop] != ".":
        return False
    word = text[start:stop].rsplit(None, 1)[-1] if text[start:stop].strip() else ""
    word = word.lstrip("\"'“‘([")
    word = word.lower()
    return (word in ABBREVIATIONS or (word in NUMBER_SIGNS and after.isdigit())
            or (len(word) == 1 and word.isalpha()))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end

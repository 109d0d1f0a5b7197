"""A coded project to exchange as REFI-QDA (`.qdpx`, written and read by `refiqda_qdpx`): the reviews'
texts, the codebook, each coder's codings and memos, checked to hold together (`RefiError` if not).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from .codebook import Codebook
from .coded_tables import CodingLike
from .refiqda_codebook import RefiError

# characters XML 1.0 cannot hold at all (a tab and the line breaks it can)
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MemoTarget = Literal["review", "passage", "code"]


@dataclass(frozen=True)
class Source:
    """A review's text, as coded. `review_id` is its name in the project; `title` its description."""

    review_id: str
    text: str
    title: str = ""


@dataclass(frozen=True)
class PassageCoding:
    """One coder's codes on one passage (`text[start:end]` of the review); codes kept sorted."""

    review_id: str
    passage_id: str
    start: int
    end: int
    coder: str
    codes: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "codes", tuple(sorted(set(self.codes))))


@dataclass(frozen=True)
class Memo:
    """A coder's memo on a review, a passage or a code.

    Attributes:
        target: "review", "passage" or "code".
        target_id: the review id, passage id or code id.
        coder: who wrote it.
        text: the memo.
        review_id: the review (of a passage memo; may be given for a code memo), else None.
        start: a passage memo's span; when None it is taken from a coding of the same passage.
        end: the span's end.
    """

    target: MemoTarget
    target_id: str
    coder: str
    text: str
    review_id: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Project:
    """A coded project to exchange: reviews' texts, the codebook, each coder's codings and memos.

    Codings are kept in the order of review, position and coder, so two projects holding the same
    codings are equal. Coders (`users`) are every coder named in codings and memos, plus any given.

    Raises:
        RefiError: a coding or memo names a review, code or passage span the project does not hold.
    """

    name: str
    sources: tuple[Source, ...]
    codebook: Codebook
    codings: tuple[PassageCoding, ...] = ()
    memos: tuple[Memo, ...] = ()
    users: tuple[str, ...] = ()
    created: datetime | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        texts = {s.review_id: s.text for s in self.sources}
        if len(texts) != len(self.sources):
            raise RefiError(f"project {self.name}: a review is given twice")
        for source in self.sources:
            if _NOT_XML.search(source.review_id + source.title):
                raise RefiError(f"review {source.review_id!r}: its id or title holds a control character")
        codings = tuple(sorted((c for c in self.codings if c.codes),
                               key=lambda c: (c.review_id, c.start, c.end, c.passage_id, c.coder)))
        for c in codings:
            where = f"coding by {c.coder} of passage {c.passage_id} of review {c.review_id}"
            if c.review_id not in texts:
                raise RefiError(f"{where}: the review is not in the project")
            if not 0 <= c.start <= c.end <= len(texts[c.review_id]):
                raise RefiError(f"{where}: {c.start}-{c.end} is outside the review's text")
            unknown = [code for code in c.codes if code not in self.codebook]
            if unknown:
                raise RefiError(f"{where}: the code {unknown[0]!r} is not in the codebook")
        seen = {(c.review_id, c.passage_id, c.coder) for c in codings}
        if len(seen) != len(codings):
            raise RefiError(f"project {self.name}: a coder's coding of a passage is given twice")
        spans = {(c.review_id, c.passage_id): (c.start, c.end) for c in codings}
        memos = tuple(_placed(memo, spans, texts, self.codebook) for memo in self.memos)
        users = tuple(sorted({*self.users, *(c.coder for c in codings), *(m.coder for m in memos)}))
        object.__setattr__(self, "sources", tuple(self.sources))
        object.__setattr__(self, "codings", codings)
        object.__setattr__(self, "memos", memos)
        object.__setattr__(self, "users", users)


def _placed(memo: Memo, spans: dict[tuple[str, str], tuple[int, int]], texts: dict[str, str],
            codebook: Codebook) -> Memo:
    """The memo checked against the project, a passage memo given its span."""
    where = f"memo by {memo.coder} on {memo.target} {memo.target_id}"
    if _NOT_XML.search(memo.text):
        raise RefiError(f"{where}: its text holds a control character, which an exchange file cannot")
    if memo.target == "code":
        if memo.target_id not in codebook:
            raise RefiError(f"{where}: the code is not in the codebook")
        return memo
    if memo.target == "review":
        if memo.target_id not in texts:
            raise RefiError(f"{where}: the review is not in the project")
        return replace(memo, review_id=memo.target_id)
    if memo.target != "passage":
        raise RefiError(f"{where}: a memo is on a review, a passage or a code")
    if memo.review_id not in texts:
        raise RefiError(f"{where}: its review {memo.review_id} is not in the project")
    if memo.start is None or memo.end is None:
        span = spans.get((memo.review_id, memo.target_id))
        if span is None:
            raise RefiError(f"{where}: no coding of the passage gives its span; give the memo start and end")
        memo = replace(memo, start=span[0], end=span[1])
    if not 0 <= memo.start <= memo.end <= len(texts[memo.review_id]):  # type: ignore[operator]
        raise RefiError(f"{where}: {memo.start}-{memo.end} is outside the review's text")
    return memo


def project_codings(codings: Iterable[CodingLike]) -> tuple[PassageCoding, ...]:
    """Exchange codings from the store's `Coding`s (or anything with the same fields)."""
    return tuple(PassageCoding(c.review_id, c.passage_id, c.start, c.end, c.coder, tuple(c.codes)) for c in codings)

"""Codings, memos and reconciliations in the store, and the codebook in use; the reviews they are of, and who codes
them, are `review_records`'s. Codings, memos and reconciliations are only ever inserted, each save a new version
naming the version it was made from (a stale one is refused, `StaleSave`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from ..store import Forbidden, Store, StoreError, fit_row, schema
from .codebook import Codebook, default_codebook
from .passages import Passage, passages
from .review_records import _my_assignment, _now, _reader, _reading, _utc, review

TARGETS = ("review", "passage", "code")


@dataclass(frozen=True)
class Coding:
    """One version of one coder's codes for a passage; `codes` empty: the passage cleared."""

    review_id: str
    passage_id: str
    start: int
    end: int
    coder: str
    version: int
    codes: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class Memo:
    """One version of a coder's memo on a review, a passage of one, or a code (`review_id` None)."""

    review_id: str | None
    target: str
    target_id: str
    coder: str
    version: int
    text: str
    created_at: datetime


@dataclass(frozen=True)
class Reconciliation:
    """One version of a passage's agreed codes, with the reason, once the review's coders have all finished."""

    review_id: str
    passage_id: str
    version: int
    codes: tuple[str, ...]
    reason: str
    created_at: datetime
    created_by: str


class StaleSave(StoreError):
    """A coding, memo or reconciliation saved from a version that is no longer the current one (another tab or
    person saved first). Carries the version that won (`current`) and what was being saved (`yours`)."""

    def __init__(self, what: str, base_version: int, current: Coding | Memo | Reconciliation, yours: Any):
        self.base_version = base_version
        self.current = current
        self.yours = yours
        by = current.coder if isinstance(current, Coding | Memo) else current.created_by
        super().__init__(f"{what} was saved by {by} at {current.created_at:%d %b %Y %H:%M} (now version "
                         f"{current.version}) after you opened version {base_version}; yours is kept: compare it "
                         "with theirs and save again")


# codings ----------------------------------------------------------------------------------------------------------

def _unblinded() -> sa.Select[Any]:
    """The ids of reviews every assigned coder has finished."""
    rc = schema.review_coders
    return (sa.select(rc.c.review_id).group_by(rc.c.review_id)
            .having(sa.func.count(rc.c.finished_at) == sa.func.count()))


def _visible(table: sa.Table, store: Store) -> sa.ColumnElement[bool]:
    """The blind rule: a coder's own rows, and everyone's on reviews every assigned coder has finished."""
    return sa.or_(table.c.coder == store.user, table.c.review_id.in_(_unblinded()))


def _current(table: sa.Table, key: list[sa.Column[Any]]) -> sa.Select[Any]:
    """The rows of `table` that are the highest version of their `key`."""
    newest = sa.select(*key, sa.func.max(table.c.version).label("v")).group_by(*key).subquery()
    on = sa.and_(*[col.is_not_distinct_from(newest.c[col.name]) for col in key], table.c.version == newest.c.v)
    return sa.select(table).join(newest, on)


def _coding(row: Any) -> Coding:
    return Coding(row.review_id, row.passage_id, row.start, row.end, row.coder, row.version, tuple(row.codes),
                  _utc(row.created_at))


def codings(store: Store, review_id: str | None = None, *, all_versions: bool = False,
            conn: sa.Connection | None = None) -> list[Coding]:
    """The current codings of a review (every review's, with None) the person may see: their own, and on a review
    every assigned coder has finished, everyone's. `all_versions`: every version, not only the current.
    """
    _reader(store)
    t = schema.codings
    q = sa.select(t) if all_versions else _current(t, [t.c.review_id, t.c.passage_id, t.c.coder])
    q = q.where(_visible(t, store))
    if review_id is not None:
        q = q.where(t.c.review_id == review_id)
    with _reading(store, conn) as c:
        rows = c.execute(q.order_by(t.c.review_id, t.c.start, t.c.coder, t.c.version)).all()
    return [_coding(row) for row in rows]


def _checked_codes(book: Codebook, codes: Iterable[str]) -> list[str]:
    """The codes, sorted, each a code of the codebook that coders apply (a group is applied through its codes)."""
    chosen = sorted(set(codes))
    if unknown := [code for code in chosen if code not in book]:
        raise StoreError(f"{', '.join(repr(u) for u in unknown)} {'is' if len(unknown) == 1 else 'are'} not in the "
                         "codebook")
    if groups := [code for code in chosen if book.is_group(code)]:
        raise StoreError(f"{', '.join(repr(g) for g in groups)} {'is a group' if len(groups) == 1 else 'are groups'} "
                         "of codes: apply the codes under it")
    return chosen


@lru_cache(maxsize=64)
def _passage_index(text: str) -> dict[str, Passage]:
    return {p.id: p for p in passages(text)}


def _passage(text: str, review_id: str, passage: Passage | str) -> Passage:
    """The review's passage of that id (a `Passage` given must be the review's own, offsets and text)."""
    wanted = passage if isinstance(passage, str) else passage.id
    found = _passage_index(text).get(wanted)
    if found is None or (isinstance(passage, Passage) and passage != found):
        raise StoreError(f"review {review_id} has no passage {wanted}"
                         + ("" if found is None else " at those offsets with that text"))
    return found


def save_coding(store: Store, review_id: str, passage: Passage, codes: Iterable[str], base_version: int) -> int:
    """Save the person's codes for a passage (none: cleared), as a new version of their coding of it.

    Args:
        base_version: the version of their coding they started from (0: none yet).

    Returns:
        The version saved.

    Raises:
        Forbidden: not assigned to the review, or finished it; StoreError: a code not in the codebook, a passage
            that is not the review's; StaleSave: their coding of it was saved again after `base_version`.
    """
    _reader(store)
    chosen = _checked_codes(codebook(store), codes)
    t = schema.codings
    with store.transaction() as c:
        text = review(store, review_id, conn=c).text
        found = _passage(text, review_id, passage)
        _my_assignment(c, store, review_id, "code it")
        key = (t.c.review_id == review_id, t.c.passage_id == found.id, t.c.coder == store.user)
        what = f"your coding of passage {found.id} of review {review_id}"
        _check_base(c, t, key, base_version, what, _coding, chosen)
        _insert(c, t, key, base_version, what, _coding, chosen, {
            "review_id": review_id, "passage_id": found.id, "start": found.start, "end": found.end, "coder": store.user,
            "version": base_version + 1, "codes": chosen, "created_at": _now()})
    return base_version + 1


def _check_base(c: sa.Connection, t: sa.Table, key: tuple[Any, ...], base: int, what: str, make: Any,
                yours: Any) -> None:
    current = c.execute(sa.select(sa.func.max(t.c.version)).where(*key)).scalar() or 0
    if current != base:
        raise StaleSave(what, base, make(c.execute(sa.select(t).where(*key, t.c.version == current)).one()), yours)


def _insert(c: sa.Connection, t: sa.Table, key: tuple[Any, ...], base: int, what: str, make: Any, yours: Any,
            row: dict[str, Any]) -> None:
    try:  # of two saves from one version racing on PostgreSQL, the unique key stops the second
        with c.begin_nested():
            c.execute(t.insert().values(**fit_row(t, what, row)))
    except sa.exc.IntegrityError:
        _check_base(c, t, key, base, what, make, yours)  # a new statement sees the save that won
        raise


# memos ------------------------------------------------------------------------------------------------------------

def _memo(row: Any) -> Memo:
    return Memo(row.review_id, row.target, row.target_id, row.coder, row.version, row.text, _utc(row.created_at))


def memos(store: Store, review_id: str | None = None) -> list[Memo]:
    """The current memos the person may see: on a review (and its passages), or with None the memos on codes. The
    blind rule as for codings: a code's memo is its writer's alone."""
    _reader(store)
    t = schema.memos
    q = _current(t, [t.c.review_id, t.c.target, t.c.target_id, t.c.coder]).where(_visible(t, store))
    q = q.where(t.c.review_id == review_id if review_id is not None else t.c.review_id.is_(None))
    with store.engine.connect() as c:
        return [_memo(row) for row in c.execute(q.order_by(t.c.target, t.c.target_id, t.c.coder))]


def save_memo(store: Store, target: str, target_id: str, text: str, base_version: int, *,
              review_id: str | None = None) -> int:
    """Save the person's memo on a review (`target_id` its id), a passage of the review `review_id`, or a code (no
    review), as a new version ("" clears it). A memo may be written after finishing the review.

    Returns:
        The version saved.

    Raises:
        StoreError: an unknown target, review, passage or code; StaleSave: saved again after `base_version`.
    """
    _reader(store)
    if target not in TARGETS:
        raise StoreError(f"a memo is on a {', a '.join(TARGETS[:-1])} or a {TARGETS[-1]}, not '{target}'")
    if target == "review":
        review_id = review_id or target_id
        if review_id != target_id:
            raise StoreError(f"a memo on review {target_id} belongs to that review, not {review_id}")
    elif target == "passage" and review_id is None:
        raise StoreError(f"say which review passage {target_id} is in")
    elif target == "code":
        if review_id is not None:
            raise StoreError("a memo on a code belongs to no one review (write one on the passage instead)")
        if target_id not in codebook(store):
            raise StoreError(f"{target_id!r} is not in the codebook")
    t = schema.memos
    with store.transaction() as c:
        if review_id is not None:
            stored = review(store, review_id, conn=c)
            if target == "passage":
                _passage(stored.text, review_id, target_id)
        key = (t.c.review_id == review_id if review_id else t.c.review_id.is_(None), t.c.target == target,
               t.c.target_id == target_id, t.c.coder == store.user)
        what = f"your memo on {target} {target_id}" + (f" of review {review_id}" if target == "passage" else "")
        _check_base(c, t, key, base_version, what, _memo, text)
        _insert(c, t, key, base_version, what, _memo, text, {
            "review_id": review_id, "target": target, "target_id": target_id, "coder": store.user,
            "version": base_version + 1, "text": text, "created_at": _now()})
    return base_version + 1


# reconciliation ---------------------------------------------------------------------------------------------------

def _reconciliation(row: Any) -> Reconciliation:
    return Reconciliation(row.review_id, row.passage_id, row.version, tuple(row.codes), row.reason,
                          _utc(row.created_at), row.created_by)


def reconciliations(store: Store, review_id: str | None = None) -> list[Reconciliation]:
    """The current reconciled coding of each passage reconciled (of one review, or every review with None)."""
    _reader(store)
    t = schema.reconciliations
    q = _current(t, [t.c.review_id, t.c.passage_id])
    if review_id is not None:
        q = q.where(t.c.review_id == review_id)
    with store.engine.connect() as c:
        return [_reconciliation(row) for row in c.execute(q.order_by(t.c.review_id, t.c.passage_id))]


def reconcile(store: Store, review_id: str, passage_id: str, codes: Iterable[str], reason: str,
              base_version: int) -> int:
    """Record the agreed codes of a passage, with the reason, once every coder assigned to the review has finished
    it. The coders' own codings stay as they are.

    Returns:
        The version saved.

    Raises:
        Forbidden: a coder has not finished the review (or none is assigned); StoreError: no reason, an unknown
            code or passage; StaleSave: the passage was reconciled again after `base_version`.
    """
    _reader(store)
    if not reason.strip():
        raise StoreError("say why the passage is coded so: the reason is kept with the reconciliation")
    chosen = _checked_codes(codebook(store), codes)
    t = schema.reconciliations
    with store.transaction() as c:
        stored = review(store, review_id, conn=c)
        found = _passage(stored.text, review_id, passage_id)
        if not stored.coders:
            raise Forbidden(f"review {review_id} has no coders yet: there is nothing to reconcile")
        if waiting := [x.coder for x in stored.coders if x.finished_at is None]:
            raise Forbidden(f"review {review_id} is reconciled once every coder has finished it: {', '.join(waiting)} "
                            f"{'has' if len(waiting) == 1 else 'have'} not")
        key = (t.c.review_id == review_id, t.c.passage_id == found.id)
        what = f"the reconciliation of passage {found.id} of review {review_id}"
        _check_base(c, t, key, base_version, what, _reconciliation, chosen)
        _insert(c, t, key, base_version, what, _reconciliation, chosen, {
            "review_id": review_id, "passage_id": found.id, "version": base_version + 1, "codes": chosen,
            "reason": reason.strip(), "created_at": _now(), "created_by": store.user})
    return base_version + 1


# the codebook -----------------------------------------------------------------------------------------------------

def codebook(store: Store) -> Codebook:
    """The codebook in use: the newest saved, or the kit's default where none was."""
    _reader(store)
    t = schema.codebooks
    with store.engine.connect() as c:
        codes = c.execute(sa.select(t.c.codes).order_by(t.c.version.desc()).limit(1)).scalar()
    return default_codebook() if codes is None else Codebook.from_dicts(codes, "the stored codebook")


def save_codebook(store: Store, book: Codebook) -> int:
    """Save a codebook as the one in use (a new version; the earlier ones stay).

    Returns:
        Its version.

    Raises:
        StoreError: it leaves out a code already applied in a coding or reconciliation the person can see.
    """
    _reader(store)
    ids = {code.id for code in book.codes}
    used = {code for coding in codings(store) for code in coding.codes}
    used |= {code for rec in reconciliations(store) for code in rec.codes}
    if missing := sorted(used - ids):
        raise StoreError(f"the codebook leaves out {', '.join(missing)}, already applied to passages: keep "
                         f"{'it' if len(missing) == 1 else 'them'} in the codebook")
    t = schema.codebooks
    with store.transaction() as c:
        version = (c.execute(sa.select(sa.func.max(t.c.version))).scalar() or 0) + 1
        c.execute(t.insert().values(version=version, codes=book.to_dicts(), created_at=_now(), created_by=store.user))
    return version

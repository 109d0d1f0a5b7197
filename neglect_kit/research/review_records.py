"""The review corpus in the store and who codes each review: loading and reading reviews, assigning their coders,
marking a coding finished. With `coding_records` (codings, memos, reconciliations, the codebook) and
`finished_codings` (codings imported, the two coders' agreement), the one door from research to the database.

Blind double coding: a review is assigned to its coders (an administrator's work on a team's database); each codes
it passage by passage and sees only their own codings and memos on it until every coder assigned to it has marked
it finished. Then everyone reading the corpus sees them all, and a reconciliation records the agreed codes of a
passage with a reason, the coders' own codings kept beside it.

The rules are kept in these modules on every database; on a team's PostgreSQL database its row-level security,
grants and functions keep them again (`store/team_sql.py`), whatever a client sends.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from ..store import Forbidden, NotFound, Store, StoreError, fit_row, schema
from ..store.identity import MANAGE_PEOPLE, READ_REVIEWS, Person
from .corpus import Review


@dataclass(frozen=True)
class ReviewCoder:
    """A coder assigned to a review, and when they marked it finished (None: still coding)."""

    coder: str
    assigned_at: datetime
    assigned_by: str
    finished_at: datetime | None


@dataclass(frozen=True)
class StoredReview:
    """A review as the store holds it. `meta` is the review's facts as loaded (`ReviewMeta` as JSON); `text` is
    filled by `review` only (a list leaves it out)."""

    id: str
    meta: dict[str, Any]
    source_name: str
    sha256: str
    coders: tuple[ReviewCoder, ...]
    text: str = ""

    @property
    def unblinded(self) -> bool:
        """Whether every assigned coder has finished it (and it has one): its codings are then everyone's to read."""
        return bool(self.coders) and all(c.finished_at is not None for c in self.coders)

    def coder(self, name: str) -> ReviewCoder | None:
        """The assignment of `name`, if they are one of its coders."""
        return next((c for c in self.coders if c.coder == name), None)


# who may do what ------------------------------------------------------------------------------------------------

def _reader(store: Store) -> Person:
    """The person, who must be one who reads the review corpus (a researcher, or one person's own database)."""
    person = store.person()
    if not person.may(READ_REVIEWS):
        raise Forbidden(f"the review corpus is for researchers: {person.why_not(READ_REVIEWS)}")
    return person


def _manager(store: Store) -> Person:
    person = store.person()
    if not person.may(MANAGE_PEOPLE):
        raise Forbidden(f"{person.why_not(MANAGE_PEOPLE)}: an administrator assigns a review's coders")
    return person


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:  # SQLite keeps no zone; the store writes UTC
        return value.replace(tzinfo=UTC)
    return value


@contextmanager
def _reading(store: Store, conn: sa.Connection | None) -> Iterator[sa.Connection]:
    with nullcontext(conn) if conn is not None else store.engine.connect() as c:
        yield c


@contextmanager
def _writing(store: Store, conn: sa.Connection | None) -> Iterator[sa.Connection]:
    with nullcontext(conn) if conn is not None else store.transaction() as c:
        yield c


def _by_api(store: Store) -> bool:
    """Whether the rules are the store's alone to keep (not a team's database, or its superuser connected)."""
    return not store.on_a_team or store.connected.superuser  # type: ignore[union-attr]


# the corpus -------------------------------------------------------------------------------------------------------

def load_reviews(store: Store, loaded: Iterable[Review], *, conn: sa.Connection | None = None) -> list[str]:
    """Put reviews read by `corpus.read_corpus` into the store, all or none.

    Returns:
        One line per review: "R01: loaded" or "R01: already loaded" (the same document loaded before).

    Raises:
        Forbidden: the person does not read the review corpus.
        StoreError: a review id loaded before from a different document (its codings point into that text).
    """
    _reader(store)
    r = schema.reviews
    said = []
    with _writing(store, conn) as c:
        for review in loaded:
            rid = review.meta.review_id
            before = c.execute(sa.select(r.c.sha256, r.c.source_name, r.c.created_at).where(r.c.id == rid)).first()
            if before is not None:
                if before.sha256 != review.sha256:
                    raise StoreError(f"review {rid}: {review.source_name} differs from the document loaded as {rid} "
                                     f"({before.source_name}, {before.created_at:%d %b %Y}): a loaded review's text "
                                     "never changes under its codings; give the new document another review id")
                said.append(f"{rid}: already loaded")
                continue
            c.execute(r.insert().values(**fit_row(r, f"review {rid}", {
                "id": rid, "meta": review.meta.model_dump(mode="json"), "text": review.text,
                "source_name": review.source_name, "sha256": review.sha256, "created_at": _now(),
                "created_by": store.user})))
            said.append(f"{rid}: loaded")
    return said


def _coders(c: sa.Connection, review_ids: list[str] | None = None) -> dict[str, tuple[ReviewCoder, ...]]:
    rc = schema.review_coders
    q = sa.select(rc).order_by(rc.c.review_id, rc.c.assigned_at, rc.c.coder)
    if review_ids is not None:
        q = q.where(rc.c.review_id.in_(review_ids))
    out: dict[str, list[ReviewCoder]] = {}
    for row in c.execute(q):
        out.setdefault(row.review_id, []).append(ReviewCoder(row.coder, _utc(row.assigned_at), row.assigned_by,
                                                             _utc(row.finished_at)))
    return {k: tuple(v) for k, v in out.items()}


def reviews(store: Store) -> list[StoredReview]:
    """Every review loaded, by id, with its coders (an administrator, who assigns them, may list them too)."""
    if not store.person().may(MANAGE_PEOPLE):
        _reader(store)
    r = schema.reviews
    with store.engine.connect() as c:
        rows = c.execute(sa.select(r.c.id, r.c.meta, r.c.source_name, r.c.sha256).order_by(r.c.id)).all()
        coders = _coders(c)
    return [StoredReview(row.id, row.meta, row.source_name, row.sha256, coders.get(row.id, ())) for row in rows]


def review(store: Store, review_id: str, *, conn: sa.Connection | None = None) -> StoredReview:
    """One review with its text.

    Raises:
        NotFound: no review of that id.
    """
    _reader(store)
    r = schema.reviews
    with _reading(store, conn) as c:
        row = c.execute(sa.select(r).where(r.c.id == review_id)).first()
        if row is None:
            known = c.execute(sa.select(r.c.id).order_by(r.c.id).limit(6)).scalars().all()
            listed = ", ".join(known[:5]) + (", ..." if len(known) > 5 else "") if known else "none loaded yet"
            raise NotFound(f"no review '{review_id}' (reviews: {listed})")
        coders = _coders(c, [review_id]).get(review_id, ())
    return StoredReview(row.id, row.meta, row.source_name, row.sha256, coders, row.text)


def my_reviews(store: Store) -> list[StoredReview]:
    """The reviews the person is assigned to code."""
    _reader(store)
    return [r for r in reviews(store) if r.coder(store.user) is not None]


# assigning coders and finishing -----------------------------------------------------------------------------------

def assign(store: Store, review_id: str, coder: str) -> bool:
    """Assign `coder` to code a review (an administrator's work on a team's database).

    Returns:
        Whether anything changed (False: assigned already).

    Raises:
        Forbidden: the person may not assign coders; NotFound: no such review; StoreError: on a team's database,
            `coder` is not one of its researchers.
    """
    _manager(store)
    coder = coder.strip()
    rc, staff = schema.review_coders, schema.staff
    with store.transaction() as c:
        if c.execute(sa.select(schema.reviews.c.id).where(schema.reviews.c.id == review_id)).first() is None:
            raise NotFound(f"no review '{review_id}'")
        if store.on_a_team:
            role = c.execute(sa.select(staff.c.role).where(staff.c.username == coder, staff.c.active)).scalar()
            if role is None:
                raise NotFound(f"no one called '{coder}' is on the team's staff (`neglect-kit users list`)")
            if role != "researcher":
                raise StoreError(f"{coder} is a {role}: only researchers code reviews")
        if c.execute(sa.select(rc.c.coder).where(rc.c.review_id == review_id, rc.c.coder == coder)).first():
            return False
        c.execute(rc.insert().values(**fit_row(rc, f"coder of review {review_id}", {
            "review_id": review_id, "coder": coder, "assigned_at": _now(), "assigned_by": store.user,
            "finished_at": None})))
    return True


def unassign(store: Store, review_id: str, coder: str) -> None:
    """Take `coder` off a review they have not finished (a finished coding stands: it counts in the agreement).

    Raises:
        Forbidden: the person may not assign coders; NotFound: the coder is not assigned to it;
        StoreError: the coder finished it.
    """
    _manager(store)
    rc = schema.review_coders
    with store.transaction() as c:
        row = c.execute(sa.select(rc).where(rc.c.review_id == review_id, rc.c.coder == coder)).first()
        if row is None:
            raise NotFound(f"{coder} is not assigned to review '{review_id}'")
        if row.finished_at is not None:
            raise StoreError(f"{coder} finished review {review_id} on {_utc(row.finished_at):%d %b %Y}: a finished "
                             "coding stands, and its coder with it")
        c.execute(rc.delete().where(rc.c.review_id == review_id, rc.c.coder == coder))


def _my_assignment(c: sa.Connection, store: Store, review_id: str, doing: str) -> None:
    """Refuse unless the person is assigned to the review and has not finished it."""
    rc = schema.review_coders
    row = c.execute(sa.select(rc.c.finished_at).where(rc.c.review_id == review_id, rc.c.coder == store.user)).first()
    if row is None:
        raise Forbidden(f"you are not assigned to code review {review_id}, so you may not {doing}: an administrator "
                        "assigns a review's coders (`neglect-kit reviews assign`)")
    if row.finished_at is not None:
        raise Forbidden(f"you marked review {review_id} finished on {_utc(row.finished_at):%d %b %Y}: your coding "
                        "of it is closed")


def finish(store: Store, review_id: str) -> None:
    """Mark the person's coding of a review finished; afterwards they code it no more. Once every coder assigned to
    it has finished, each reads the others' codings and memos on it.

    Raises:
        Forbidden: the person is not assigned to it, or finished it already; NotFound: no such review.
    """
    _reader(store)
    rc = schema.review_coders
    with store.transaction() as c:
        review(store, review_id, conn=c)
        _my_assignment(c, store, review_id, "mark it finished")
        if _by_api(store):
            c.execute(rc.update().where(rc.c.review_id == review_id, rc.c.coder == store.user)
                      .values(finished_at=_now()))
        else:  # a coder changes only their own row's finished_at, through the database's own function
            c.execute(sa.text("SELECT nk_finish_review(:r)"), {"r": review_id})

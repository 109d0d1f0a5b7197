"""The research tables in the store: the review corpus, who codes each review, codings, memos, reconciliations and
the codebook. The one door from research to the database.

Blind double coding: a review is assigned to its coders (an administrator's work on a team's database); each codes
it passage by passage and sees only their own codings and memos on it until every coder assigned to it has marked
it finished. Then everyone reading the corpus sees them all, and a reconciliation records the agreed codes of a
passage with a reason, the coders' own codings kept beside it. Codings, memos and reconciliations are only ever
inserted, each save a new version naming the version it was made from (a stale one is refused, `StaleSave`).

The rules are kept here on every database; on a team's PostgreSQL database its row-level security, grants and
functions keep them again (`store/team_sql.py`), whatever a client sends.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..store import Forbidden, NotFound, Store, StoreError, fit_row, schema
from ..store.identity import MANAGE_PEOPLE, READ_REVIEWS, Person
from .codebook import Codebook, default_codebook
from .corpus import Review
from .passages import Passage, passages

if TYPE_CHECKING:
    from .agreement import Agreement

TARGETS = ("review", "passage", "code")


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


# sample codings ---------------------------------------------------------------------------------------------------

CODING_COLUMNS = ("review_id", "passage_id", "start", "end", "coder", "code")


def import_codings(store: Store, rows: Iterable[Mapping[str, str]], source: str = "codings", *,
                   conn: sa.Connection | None = None) -> list[str]:
    """Import finished codings made elsewhere (the sample codings of two fictional coders), one row per passage and
    code as `coded_tables` writes them; each coder is assigned to each review they coded and marked finished. A
    review a coder has codings of already is left as it is. One person's own database only: on a team's, each
    coder's work is their own (only its PostgreSQL superuser, whom nothing there binds, may, as `demo` does).

    Args:
        source: the file's name, for messages ("sample_codings.csv line 14: ...").

    Returns:
        One line per review and coder: imported, or already there.

    Raises:
        Forbidden: a team's database; StoreError: a row naming an unknown review, passage or code, or offsets
            that are not the passage's (the message names the line); nothing is then imported.
    """
    if _reader(store).on_a_team:  # (the server's superuser, whom a team's rules do not bind, may: `demo`)
        raise Forbidden("codings are not imported into a team's database: each coder's work is their own, coded "
                        "under their own sign-in")
    book = codebook(store)
    grouped: dict[tuple[str, str], dict[str, tuple[Passage, set[str]]]] = {}
    texts: dict[str, str] = {}
    with _writing(store, conn) as c:
        for line, row in enumerate(rows, start=2):
            where = f"{source} line {line}"
            if missing := [col for col in CODING_COLUMNS if not (row.get(col) or "").strip()]:
                raise StoreError(f"{where}: no {', '.join(missing)}")
            rid, pid, coder = row["review_id"].strip(), row["passage_id"].strip(), row["coder"].strip()
            try:
                if rid not in texts:
                    texts[rid] = review(store, rid, conn=c).text
                found = _passage(texts[rid], rid, pid)
                if (str(found.start), str(found.end)) != (row["start"].strip(), row["end"].strip()):
                    raise StoreError(f"passage {pid} of review {rid} is at {found.start}-{found.end}, not "
                                     f"{row['start']}-{row['end']}")
                code = _checked_codes(book, [row["code"].strip()])[0]
            except StoreError as exc:
                raise StoreError(f"{where}: {exc}") from None
            grouped.setdefault((rid, coder), {}).setdefault(pid, (found, set()))[1].add(code)
        said = []
        t, rc = schema.codings, schema.review_coders
        for (rid, coder), coded in sorted(grouped.items()):
            if c.execute(sa.select(t.c.row_id).where(t.c.review_id == rid, t.c.coder == coder).limit(1)).first():
                said.append(f"{rid}: {coder}'s codings already there; left as they are")
                continue
            now = _now()
            c.execute(rc.delete().where(rc.c.review_id == rid, rc.c.coder == coder))
            c.execute(rc.insert().values(**fit_row(rc, f"coder of review {rid}", {
                "review_id": rid, "coder": coder, "assigned_at": now, "assigned_by": store.user, "finished_at": now})))
            c.execute(t.insert(), [fit_row(t, f"{source}: {coder}'s codings of review {rid}", {
                "review_id": rid, "passage_id": p.id, "start": p.start, "end": p.end, "coder": coder, "version": 1,
                "codes": sorted(codes), "created_at": now}) for p, codes in coded.values()])
            said.append(f"{rid}: {coder}'s codings of {len(coded)} passages imported (finished)")
    return said



# agreement --------------------------------------------------------------------------------------------------------

def double_coded_agreement(store: Store) -> tuple[list[str], Agreement] | None:
    """The two coders' agreement, passage by passage, over every review that has two coders who have both finished
    it (every passage of those reviews; one a coder left uncoded counts as no code). On each review the coders are
    taken in the order of their names; the coders are named where every review has the same two.

    Returns:
        The reviews compared and the agreement (`agreement.Agreement`), or None where no review is double-coded and
        finished.
    """
    from .agreement import agreement  # scikit-learn is slow to import: only where agreement is measured

    done = [r for r in reviews(store) if r.unblinded and len(r.coders) == 2]
    if not done:
        return None
    pairs = {r.id: tuple(sorted(c.coder for c in r.coders)) for r in done}
    keys: list[tuple[str, str]] = []
    for r in done:
        keys += [(r.id, pid) for pid in _passage_index(review(store, r.id).text)]
    first: dict[tuple[str, str], frozenset[str]] = {}
    second: dict[tuple[str, str], frozenset[str]] = {}
    for coding in codings(store):
        pair = pairs.get(coding.review_id)
        if pair is not None:
            (first if coding.coder == pair[0] else second)[(coding.review_id, coding.passage_id)] = frozenset(
                coding.codes)
    names = set(pairs.values())
    coders = names.pop() if len(names) == 1 else ("first coder", "second coder")
    return [r.id for r in done], agreement(keys, first, second, codebook(store), coders=coders)

"""Extracts on a team's database, the store's door: an administrator's approvals, a researcher's requests, and the
extract service's claiming and finishing of them.

An administrator approves a set of cases for one researcher with a purpose (`approve`) and may withdraw it; the
researcher sees their own live approvals without a case id (`approvals`), requests an extract of one (`request`),
waits for it (`wait_for`) and receives the zipped extract (`archive`, `write_received`). The extract service
(`extract_service`) claims the oldest waiting request (`claim_next`), reads the approval's cases, and finishes the
request with the extract or the reason it was refused (`finish`). PostgreSQL holds every rule
(`store/team_sql.py`); this module says them in words first where it can. On SQLite (one person's own database)
there are no approvals: `extract --case` takes the extract directly.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from ..config import settings
from ..store import Forbidden, NotFound, Store, schema
from ..store.identity import ADMINISTRATOR, APPROVE_EXTRACTS, EXTRACTOR, REQUEST_EXTRACTS, RESEARCHER
from .extract_errors import ExtractError
from .extract_files import check_folder, write_extract
from .extract_gate import gate

TEAM_ONLY = ("approvals and requests are for a team's database: on one person's own, `neglect-kit extract --case ID` "
             "takes the extract directly")
FINISHED = ("done", "refused", "failed")
# a request's status in words, as the researcher reads it
STATUS_WORDS = {"waiting": "waiting for the extract service", "taking": "being taken", "done": "ready",
                "refused": "refused", "failed": "failed"}


@dataclass(frozen=True)
class Approval:
    """An administrator's approval of cases for one researcher.

    Attributes:
        cases: the case ids, for an administrator (or the extract service); None for the researcher, who never
            reads them.
        size: how many cases it holds.
        approved_by: the administrator's display name.
    """

    id: int
    researcher: str
    purpose: str
    approved_by: str
    approved_at: datetime
    withdrawn_at: datetime | None
    size: int
    cases: tuple[str, ...] | None = None

    @property
    def live(self) -> bool:
        return self.withdrawn_at is None

    def words(self) -> str:
        """One line, as `approvals list` and the app's dropdown give it: never a case id."""
        n = f"{self.size} case{'s' if self.size != 1 else ''}"
        gone = f"; withdrawn on {self.withdrawn_at:%d %b %Y}" if self.withdrawn_at else ""
        return (f"Approval {self.id}: {self.purpose} ({n}), approved by {self.approved_by} on "
                f"{self.approved_at:%d %b %Y}{gone}")


@dataclass(frozen=True)
class Request:
    """A researcher's request of an extract of one approval, and how far it has got."""

    id: int
    approval_id: int
    requested_by: str
    min_k: int | None
    reason: str
    requested_at: datetime
    status: str
    message: str
    taken_by: str | None
    finished_at: datetime | None
    residual: int | None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def words(self) -> str:
        """Its status in words: "waiting for the extract service", "ready", "refused: <the service's message>"."""
        said = STATUS_WORDS.get(self.status, self.status)
        return f"{said}: {self.message}" if self.status in ("refused", "failed") and self.message else said


_REQUEST_COLUMNS = [c for c in schema.extract_requests.c if c.name != "archive"]


def _team(store: Store) -> None:
    if not store.on_a_team:
        raise ExtractError(TEAM_ONLY)


def _role(store: Store, action: str, roles: tuple[str, ...]) -> str:
    """The person's role, when it is one of `roles` (the superuser counts as an administrator)."""
    person = store.person()
    if store.connected.superuser:  # type: ignore[union-attr]
        return ADMINISTRATOR
    if person.role not in roles:
        raise Forbidden(person.why_not(action))
    return person.role


# the administrator's ------------------------------------------------------------------------------------------------

def approve(store: Store, researcher: str, case_ids: list[str], purpose: str) -> int:
    """Approve the cases for the researcher's extracts, with a purpose; returns the approval's number.

    Raises:
        ExtractError: not a team's database. Forbidden: not an administrator; the person named is not a researcher;
            no purpose; no case. NotFound: no such person, or no such case. Nothing is written on any of these.
    """
    _team(store)
    _role(store, APPROVE_EXTRACTS, (ADMINISTRATOR,))
    with store.transaction() as c:
        return int(c.execute(sa.text("SELECT nk_approve_extract(:who, :cases, :purpose)"),
                             {"who": researcher, "cases": list(case_ids), "purpose": purpose}).scalar_one())


def withdraw(store: Store, approval_id: int) -> None:
    """Withdraw an approval: no new request of it is taken, nor one waiting.

    Raises:
        ExtractError: not a team's database. Forbidden: not an administrator. NotFound: no such live approval.
    """
    _team(store)
    _role(store, APPROVE_EXTRACTS, (ADMINISTRATOR,))
    with store.transaction() as c:
        c.execute(sa.text("SELECT nk_withdraw_approval(:id)"), {"id": approval_id})


def approvals(store: Store) -> list[Approval]:
    """The approvals the person may see: an administrator (and the extract service) every one with its cases; a
    researcher their own live ones, counted, never a case id.

    Raises:
        ExtractError: not a team's database. Forbidden: a role that has no approvals (practitioners, supervisors).
    """
    _team(store)
    role = _role(store, REQUEST_EXTRACTS, (RESEARCHER, ADMINISTRATOR, EXTRACTOR))
    a, s, ac = schema.extract_approvals, schema.staff, schema.extract_approval_cases
    by = sa.func.coalesce(s.c.display_name, a.c.approved_by).label("by")
    shown = [a.c.id, a.c.researcher, a.c.purpose, by, a.c.approved_at, a.c.withdrawn_at]
    query = sa.select(*shown).select_from(a.outerjoin(s, s.c.username == a.c.approved_by)).order_by(a.c.id)
    with store.engine.connect() as c:
        if role == RESEARCHER:
            rows = c.execute(query.add_columns(sa.func.nk_approval_size(a.c.id).label("size"))
                             .where(a.c.researcher == store.user, a.c.withdrawn_at.is_(None))).all()
            return [Approval(*r[:6], size=int(r.size)) for r in rows]
        rows = c.execute(query).all()
        cases: dict[int, list[str]] = {}
        for approval_id, case_id in c.execute(sa.select(ac.c.approval_id, ac.c.case_id).order_by(ac.c.case_id)):
            cases.setdefault(approval_id, []).append(case_id)
    return [Approval(*r, size=len(cases.get(r[0], [])), cases=tuple(cases.get(r[0], []))) for r in rows]


def researchers(store: Store) -> list[tuple[str, str]]:
    """The team's active researchers, (display name, username) by name: whom an approval may be for, and whose
    request the extract service takes."""
    s = schema.staff
    with store.engine.connect() as c:
        return [(r.display_name, r.username) for r in c.execute(
            sa.select(s.c.display_name, s.c.username).where(s.c.role == RESEARCHER, s.c.active)
            .order_by(s.c.display_name))]


# the researcher's ---------------------------------------------------------------------------------------------------

def request(store: Store, approval_id: int, *, min_k: int | None = None, reason: str = "") -> int:
    """Request an extract of one of your live approvals (its cases together); returns the request's number.

    Raises:
        ExtractError: not a team's database; a threshold lowered with no reason (`extract_gate.gate`). Forbidden:
            not a researcher, or not your live approval (PostgreSQL refuses it as well).
    """
    _team(store)
    _role(store, REQUEST_EXTRACTS, (RESEARCHER,))
    gate(settings().research.min_k, min_k, reason)  # a threshold refused now, not after a wait for the service
    if approval_id not in {a.id for a in approvals(store)}:
        raise Forbidden(f"approval {approval_id} is not one of your live approvals (`neglect-kit approvals list`)")
    r = schema.extract_requests
    with store.transaction() as c:
        return int(c.execute(r.insert().values(approval_id=approval_id, min_k=min_k, reason=" ".join(reason.split()),
                                               requested_by=store.user).returning(r.c.id)).scalar_one())


def _request(row: sa.Row) -> Request:
    return Request(**{k: row._mapping[k] for k in Request.__dataclass_fields__})


def my_requests(store: Store) -> list[Request]:
    """Your requests, newest first (an administrator's and the service's: every request)."""
    _team(store)
    r = schema.extract_requests
    with store.engine.connect() as c:
        return [_request(row) for row in c.execute(sa.select(*_REQUEST_COLUMNS).order_by(r.c.id.desc()))]


def get_request(store: Store, request_id: int) -> Request:
    """One request you may see.

    Raises:
        NotFound: none of that number (or not yours).
    """
    _team(store)
    r = schema.extract_requests
    with store.engine.connect() as c:
        row = c.execute(sa.select(*_REQUEST_COLUMNS).where(r.c.id == request_id)).first()
    if row is None:
        raise NotFound(f"no request {request_id} of yours")
    return _request(row)


def wait_for(store: Store, request_id: int, seconds: float, *, poll: float = 1.0,
             sleep: Callable[[float], None] = time.sleep) -> Request:
    """The request once finished, or as it stands after `seconds` (polling every `poll` seconds)."""
    deadline = time.monotonic() + seconds
    while True:
        found = get_request(store, request_id)
        if found.finished or time.monotonic() >= deadline:
            return found
        sleep(min(poll, max(0.0, deadline - time.monotonic())))


def archive(store: Store, request_id: int) -> bytes:
    """The zipped extract of a request that is done.

    Raises:
        NotFound: no such request of yours. ExtractError: not done (waiting, being taken, refused, failed).
    """
    found = get_request(store, request_id)
    if found.status != "done":
        raise ExtractError(f"request {request_id} is {found.words()}: there is no extract to fetch")
    r = schema.extract_requests
    with store.engine.connect() as c:
        return bytes(c.execute(sa.select(r.c.archive).where(r.c.id == request_id)).scalar_one())


def unzipped(data: bytes) -> dict[str, bytes]:
    """The files of an extract's zip, by name (a name with a folder in it is refused: an extract is one folder)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        if any(Path(n).name != n or n.startswith(".") for n in names):
            raise ExtractError("the extract's zip holds a name that is not a plain file name: not written")
        return {n: z.read(n) for n in names}


def write_received(data: bytes, out_dir: Path) -> list[str]:
    """Write an extract's zip into `out_dir` (new or empty), all or none; no mapping (the service keeps it).

    Returns:
        The files written.
    """
    check_folder(out_dir)
    files = unzipped(data)
    write_extract(files, out_dir, None, None)
    return sorted(files)


# the extract service's --------------------------------------------------------------------------------------------

def claim_next(store: Store) -> Request | None:
    """Claim the oldest waiting request (waiting -> taking, with this service as its taker); None when none waits.
    Two services never claim the same request (`FOR UPDATE SKIP LOCKED`)."""
    _team(store)
    _role(store, "take extracts", (EXTRACTOR,))
    r = schema.extract_requests
    with store.transaction() as c:
        found = c.execute(sa.select(r.c.id).where(r.c.status == "waiting").order_by(r.c.id).limit(1)
                          .with_for_update(skip_locked=True)).scalar()
        if found is None:
            return None
        c.execute(r.update().where(r.c.id == found).values(status="taking", taken_by=store.user))
    return get_request(store, found)


def finish(store: Store, request_id: int, status: str, message: str, *, residual: int | None = None,
           archive: bytes | None = None) -> None:
    """Finish a request being taken: done (with the zip and the residual count), refused or failed (with why)."""
    if status not in FINISHED:
        raise ValueError(f"a request finishes {', '.join(FINISHED)}, not {status}")
    r = schema.extract_requests
    with store.transaction() as c:
        c.execute(r.update().where(r.c.id == request_id).values(status=status, message=message, residual=residual,
                                                                 archive=archive))

"""The store: the only door to the database.

Records are versioned: every save writes a new version with who, when and why; nothing
is updated in place or deleted. An edit names the version it started from, and an edit
made from a version that is no longer current is refused with `StaleEdit`, which carries
both texts so neither is lost.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from ..config import current_user, database_url
from ..textsafety import escape_controls
from . import schema, team
from .engine import make_engine, migrate, sqlite_path, stored_revision, writing
from .errors import (
    DatabaseFailure,
    DatabaseUnusable,
    NotFound,
    SaveNotKept,
    StaleEdit,
    StoreError,
    database_said,
)
from .identity import ONE_PERSON, Person
from .versions import ACTIVE, WITHDRAWN, NewRecord, RecordVersion, body_json, to_version

_LAST_WRITTEN = "nk_last_written"  # (record id, version) of a transaction's last record, read back after commit


def _now() -> datetime:
    return datetime.now(UTC)


def _shown_id(value: str) -> str:
    """An id as a message shows it: control characters (a NUL) escaped, a long one cut."""
    text = escape_controls(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def fit_row(table: sa.Table, what: str, values: dict[str, Any]) -> dict[str, Any]:
    """`values` for a row of `table`, refused in words if the database could not hold them: PostgreSQL refuses
    a NUL character and text longer than its column mid-save (SQLite keeps both), so both are refused here."""
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            raise StoreError(f"{what}: {name} holds a NUL character (\\x00), which cannot be stored")
        limit = getattr(table.c[name].type, "length", None)
        if limit is not None and len(value) > limit:
            raise StoreError(f"{what}: {name} is {len(value):,} characters long, at most {limit:,} can be stored")
    return values


def already_imported(filename: str, case_id: str, before: dict[str, Any]) -> str:
    return (f"{filename}: this file was already imported into case {case_id} on "
            f"{before['created_at']:%d %b %Y} by {before['created_by']} (as {before['filename']}, "
            f"import {before['id']})")


def _why_not(url: str, error: DatabaseFailure) -> str:
    if (path := sqlite_path(url)) is not None and path.is_dir():
        return "it is a folder, not a database file"
    return database_said(error)


def _no_schema(engine: sa.Engine, url: str) -> None:
    """Refuse a database with no kit tables; one holding other tables is not the kit's at all."""
    with engine.connect() as conn:
        tables = sa.inspect(conn).get_table_names()
    if tables:
        named = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
        raise DatabaseUnusable(url, f"it holds tables that are not the kit's ({named}): point NEGLECT_KIT_DB at "
                                    "the kit's database")
    raise DatabaseUnusable(url, "it is empty, not yet made a kit database (`neglect-kit init` makes "
                                "it one, `neglect-kit demo` loads the sample cases into it)")


class Store:
    """Cases, people, plans and versioned records in one database."""

    def __init__(self, engine: sa.Engine, user: str | None = None):
        self.engine = engine
        # on PostgreSQL, who is connected and whether the database is a team's (None on SQLite)
        self.connected = team.connected(engine)
        # on a team's database every row's author is the database's own idea of who is connected (a trigger
        # sets it), so the store's user is that too
        self.user = self.connected.user if self.on_a_team else (user or current_user())

    @property
    def on_a_team(self) -> bool:
        """Whether this is a team's database (PostgreSQL after `neglect-kit server init`)."""
        return self.connected is not None and self.connected.team

    @classmethod
    def open(cls, url: str | None = None, user: str | None = None, *, create: bool = False) -> Store:
        """Open the database at `url` (default from settings), upgrading its schema if it is older.

        Args:
            create: make the database when there is none (only `init`, `demo` and `load` do: an app or
                command pointed at the wrong place must say so, not start an empty database).

        Raises:
            StoreError: there is no database at `url` (and `create` is not set); the URL names no
                database the kit can use (an unknown kind, a driver not installed), or the database
                cannot be opened (a folder, a file that is not a database, a server that does not
                answer); the message names the database, never its password.
        """
        url = url or database_url()
        try:
            path = sqlite_path(url)
            if path is not None and not create and not path.exists():
                raise DatabaseUnusable(url, "there is no database here (`neglect-kit init` makes an "
                                 "empty one, `neglect-kit demo` one holding the sample cases; or set NEGLECT_KIT_DB "
                                 "to the database in use)")
            engine = make_engine(url, create=create)
            if not create and stored_revision(engine) is None:
                _no_schema(engine, url)
            if why := team.old_schema(engine):
                raise DatabaseUnusable(url, why)
            migrate(engine)
        except sa.exc.NoSuchModuleError:
            raise DatabaseUnusable(url, "not a kind of database the kit uses "
                             "(sqlite:///path/to/file.sqlite or postgresql+psycopg://user@host/name)") from None
        except ImportError as exc:
            hint = " (pip install 'psycopg[binary]' and a postgresql+psycopg:// URL)" if "postgres" in url else ""
            raise DatabaseUnusable(url, f"its driver '{exc.name}' is not installed{hint}") from None
        except sa.exc.ArgumentError:
            raise DatabaseUnusable(url, "not a database URL") from None
        except sa.exc.DBAPIError as exc:
            raise DatabaseUnusable(url, f"cannot be opened ({_why_not(url, exc)})") from None
        except sqlite3.Error as exc:  # creating the file itself failed
            raise DatabaseUnusable(url, f"cannot be created ({exc})") from None
        except (FileExistsError, NotADirectoryError):  # the folder of an SQLite file is a file
            raise DatabaseUnusable(url, "its folder is a file") from None
        except OSError as exc:
            raise DatabaseUnusable(url, f"cannot be opened ({exc.strerror or exc})") from None
        return cls(engine, user)

    def person(self) -> Person:
        """Who is using the kit, with their role (`identity.Person`): on a team's database the staff row of the
        login connected (`session_user`); on a database of one person's own the store's user, who may do everything.

        Raises:
            Forbidden: a login connected to a team's database that is not one of its staff.
        """
        if self.on_a_team:
            return team.person(self.engine, self.connected)  # type: ignore[arg-type]
        return Person(self.user, self.user, ONE_PERSON)

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """One transaction for several writes: pass it as `conn=` to each. Once committed, the last
        record written is read back on a connection of its own (`SaveNotKept` if it is not there)."""
        with writing(self.engine) as conn:
            conn.info.pop(_LAST_WRITTEN, None)  # left by a transaction that failed
            yield conn
            written = conn.info.pop(_LAST_WRITTEN, None)
        if written:
            self._read_back(*written)

    def _read_back(self, record_id: str, version: int) -> None:
        """The written version is what the database holds now, or the save was not kept."""
        with self.engine.connect() as c:
            held = c.execute(sa.select(schema.record_heads.c.version)
                             .where(schema.record_heads.c.record_id == record_id)).scalar()
        if held is None or held < version:
            raise SaveNotKept(f"the save did not stay in the database: its file was moved, removed or replaced "
                              f"while the app was open (record {record_id} is not there)")

    # cases, people, plans ---------------------------------------------------------

    def create_case(self, case_id: str, title: str, *, local_authority: str = "",
                    opened: date | None = None, summary: str = "",
                    conn: sa.Connection | None = None) -> None:
        # first: PostgreSQL refuses a NUL even in a lookup
        row = fit_row(schema.cases, f"case {_shown_id(case_id)}", dict(
            id=case_id, title=title, local_authority=local_authority, opened=opened,
            summary=summary, **self._who()))
        with self._conn(conn) as c:
            if c.execute(sa.select(schema.cases.c.id).where(schema.cases.c.id == case_id)).first():
                raise StoreError(f"case '{case_id}' already exists")
            c.execute(schema.cases.insert().values(**row))

    def cases(self) -> list[dict[str, Any]]:
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(sa.select(schema.cases).order_by(schema.cases.c.id))]

    def case(self, case_id: str) -> dict[str, Any]:
        with self.engine.connect() as c:
            row = c.execute(sa.select(schema.cases).where(schema.cases.c.id == case_id)).first()
        if row is None:
            known = ", ".join(c["id"] for c in self.cases()) or "none yet"
            raise NotFound(f"no case '{case_id}' (cases: {known})")
        return dict(row._mapping)

    def add_person(self, case_id: str, person_id: str, *, kind: str, name: str,
                   known_as: Iterable[str] = (), sex: str = "", date_of_birth: date | None = None,
                   expected_date_of_birth: date | None = None,
                   relationships: dict[str, str] | None = None, address: str = "",
                   conn: sa.Connection | None = None) -> None:
        with self._conn(conn) as c:
            c.execute(schema.people.insert().values(**fit_row(
                schema.people, f"person {_shown_id(person_id)} in case {_shown_id(case_id)}", dict(
                    case_id=case_id, id=person_id, kind=kind, name=name, known_as=list(known_as),
                    sex=sex, date_of_birth=date_of_birth, expected_date_of_birth=expected_date_of_birth,
                    relationships=relationships or {}, address=address, **self._who()))))

    def people(self, case_id: str, kind: str | None = None) -> list[dict[str, Any]]:
        q = sa.select(schema.people).where(schema.people.c.case_id == case_id)
        if kind:
            q = q.where(schema.people.c.kind == kind)
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(q.order_by(schema.people.c.created_at))]

    def add_plan(self, case_id: str, child_id: str, *, type: str, start: date,
                 end: date | None = None, category: str = "", risk_factors: Iterable[str] = (),
                 needs: Iterable[str] = (), conn: sa.Connection | None = None) -> int:
        with self._conn(conn) as c:
            result = c.execute(schema.plans.insert().values(**fit_row(
                schema.plans, f"plan for {_shown_id(child_id)} in case {_shown_id(case_id)}", dict(
                    case_id=case_id, child_id=child_id, type=type, category=category, start=start,
                    end=end, risk_factors=list(risk_factors), needs=list(needs), **self._who()))))
            return int(result.inserted_primary_key[0])

    def plans(self, case_id: str) -> list[dict[str, Any]]:
        q = sa.select(schema.plans).where(schema.plans.c.case_id == case_id)
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(q.order_by(schema.plans.c.start, schema.plans.c.id))]

    # versioned records -----------------------------------------------------------------

    def create(self, kind: str, case_id: str, body: dict[str, Any], *, reason: str = "",
               conn: sa.Connection | None = None) -> RecordVersion:
        return self.create_many(kind, case_id, [NewRecord(body, reason=reason)], conn=conn)[0]

    def create_many(self, kind: str, case_id: str, items: list[NewRecord], *,
                    conn: sa.Connection | None = None) -> list[RecordVersion]:
        """Create records, all or none."""
        who = self._who()
        rows = [fit_row(schema.records, f"new {kind} in case {_shown_id(case_id)}", dict(
            record_id=i.record_id, version=1, kind=kind, case_id=case_id, status=ACTIVE,
            body=body_json(i.body), reason=i.reason, **who)) for i in items]
        with self._conn(conn) as c:
            self.case_exists(case_id, c)
            if rows:
                c.execute(schema.records.insert(), rows)
                c.execute(schema.record_heads.insert(), [
                    {"record_id": r["record_id"], "kind": kind, "case_id": case_id, "version": 1, "status": ACTIVE}
                    for r in rows])
                c.info[_LAST_WRITTEN] = (rows[-1]["record_id"], 1)
        return [RecordVersion(r["record_id"], 1, kind, case_id, ACTIVE, r["body"], who["created_at"],
                              who["created_by"], r["reason"]) for r in rows]

    def update(self, record_id: str, base_version: int, body: dict[str, Any], *, reason: str = "",
               conn: sa.Connection | None = None) -> RecordVersion:
        """Save a new version of a record edited from `base_version`.

        Raises:
            StaleEdit: another save came first; it carries their version and your body.
        """
        return self._new_version(record_id, base_version, body, ACTIVE, reason, conn)

    def withdraw(self, record_id: str, base_version: int, reason: str, *,
                 conn: sa.Connection | None = None) -> RecordVersion:
        """Withdraw a record: it stays, with its history and the reason, out of current views."""
        if not reason.strip():
            raise StoreError("say why the record is withdrawn")
        with self._conn(conn) as c:  # read inside the write's own transaction, which may have changed it
            current = self.get(record_id, conn=c)
            return self._new_version(record_id, base_version, current.body, WITHDRAWN, reason, c)

    def _new_version(self, record_id: str, base_version: int, body: dict[str, Any], status: str,
                     reason: str, conn: sa.Connection | None) -> RecordVersion:
        who = self._who()
        heads = schema.record_heads
        with self._conn(conn) as c:
            head = c.execute(sa.select(heads).where(heads.c.record_id == record_id)).first()
            if head is None:
                raise NotFound(f"no record '{record_id}'")
            # The guarded UPDATE is the lock: of two saves from one version, one moves the head.
            moved = c.execute(heads.update()
                              .where(heads.c.record_id == record_id, heads.c.version == base_version)
                              .values(version=base_version + 1, status=status)).rowcount
            if moved != 1:
                # read the head again: on PostgreSQL the update waited for the save that won, which the
                # first read (taken before it) cannot see; a new statement does
                won = c.execute(sa.select(heads.c.version).where(heads.c.record_id == record_id)).scalar_one()
                raise StaleEdit(record_id, base_version, self._version(c, record_id, won), body)
            text = body_json(body)
            c.execute(schema.records.insert().values(**fit_row(
                schema.records, f"{head.kind} {_shown_id(record_id)} in case {_shown_id(head.case_id)}", dict(
                    record_id=record_id, version=base_version + 1, kind=head.kind, case_id=head.case_id,
                    status=status, body=text, reason=reason, **who))))
            c.info[_LAST_WRITTEN] = (record_id, base_version + 1)
        return RecordVersion(record_id, base_version + 1, head.kind, head.case_id, status, text,
                             who["created_at"], who["created_by"], reason)

    def get(self, record_id: str, *, conn: sa.Connection | None = None) -> RecordVersion:
        """The current version of a record (as `conn`'s transaction sees it, if given)."""
        with nullcontext(conn) if conn is not None else self.engine.connect() as c:
            head = c.execute(sa.select(schema.record_heads.c.version)
                             .where(schema.record_heads.c.record_id == record_id)).first()
            if head is None:
                raise NotFound(f"no record '{record_id}'")
            return self._version(c, record_id, head.version)

    def history(self, record_id: str) -> list[RecordVersion]:
        """Every version of a record, oldest first."""
        r = schema.records
        with self.engine.connect() as c:
            rows = c.execute(sa.select(r).where(r.c.record_id == record_id).order_by(r.c.version)).all()
        if not rows:
            raise NotFound(f"no record '{record_id}'")
        return [to_version(row) for row in rows]

    def current(self, kind: str, case_id: str, *, include_withdrawn: bool = False,
                conn: sa.Connection | None = None) -> list[RecordVersion]:
        """The current version of every record of a kind in a case (as `conn`'s transaction sees them, if given)."""
        r, h = schema.records, schema.record_heads
        q = (sa.select(r).join(h, sa.and_(h.c.record_id == r.c.record_id, h.c.version == r.c.version))
             .where(h.c.kind == kind, h.c.case_id == case_id))
        if not include_withdrawn:
            q = q.where(h.c.status == ACTIVE)
        with nullcontext(conn) if conn is not None else self.engine.connect() as c:
            return [to_version(row) for row in c.execute(q.order_by(r.c.row_id))]

    def case_exists(self, case_id: str, conn: sa.Connection) -> None:
        if conn.execute(sa.select(schema.cases.c.id).where(schema.cases.c.id == case_id)).first() is None:
            raise NotFound(f"no case '{case_id}'")

    # imports -------------------------------------------------------------------------------

    def record_import(self, case_id: str, filename: str, sha256: str, agency: str, rows_written: int,
                      *, conn: sa.Connection | None = None) -> int:
        """Record a file imported into a case; returns the import's number.

        Raises:
            StoreError: this file (the same bytes) already stands imported into the case.
        """
        i = schema.imports
        with self._conn(conn) as c:
            # checked inside the write transaction: of two imports of one file, the second is refused
            standing = sa.select(i).where(i.c.case_id == case_id, i.c.sha256 == sha256, i.c.undone_id == 0)
            before = c.execute(standing).first()
            if before is not None:
                raise StoreError(already_imported(filename, case_id, dict(before._mapping)))
            try:  # PostgreSQL lets both checks pass and the unique key stops the second at its insert
                with c.begin_nested():
                    result = c.execute(i.insert().values(**fit_row(i, f"import into case {_shown_id(case_id)}", dict(
                        case_id=case_id, filename=filename, sha256=sha256, agency=agency,
                        rows_written=rows_written, **self._who()))))
            except sa.exc.IntegrityError:
                before = c.execute(standing).first()  # a new statement sees the import that won
                if before is None:
                    raise
                raise StoreError(already_imported(filename, case_id, dict(before._mapping))) from None
            return int(result.inserted_primary_key[0])

    def imports(self, case_id: str) -> list[dict[str, Any]]:
        """Every import into a case, undone ones included (`undone_at` set), oldest first."""
        q = sa.select(schema.imports).where(schema.imports.c.case_id == case_id)
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(q.order_by(schema.imports.c.id))]

    def mark_import_undone(self, case_id: str, import_id: int, reason: str, *, conn: sa.Connection) -> dict[str, Any]:
        """Mark an import undone (its entries are withdrawn by the caller, in the same transaction).

        Raises:
            NotFound: no such import in the case.
            StoreError: no reason, or the import was undone already.
        """
        if not reason.strip():
            raise StoreError("say why the import is undone")
        i = schema.imports
        row = conn.execute(sa.select(i).where(i.c.id == import_id, i.c.case_id == case_id)).first()
        if row is None:
            known = ", ".join(str(r["id"]) for r in self.imports(case_id)) or "none"
            raise NotFound(f"no import {import_id} in case '{case_id}' (imports: {known})")
        if row.undone_id:
            raise StoreError(f"import {import_id} ({row.filename}) was undone already by {row.undone_by}"
                             + (f" on {row.undone_at:%d %b %Y}" if row.undone_at else ""))
        who = self._who()
        fit_row(i, f"undoing import {import_id}", {"undone_by": who["created_by"], "undo_reason": reason})
        conn.execute(i.update().where(i.c.id == import_id).values(
            undone_id=import_id, undone_at=who["created_at"], undone_by=who["created_by"], undo_reason=reason))
        return dict(row._mapping)

    # removing a case loaded by mistake -----------------------------------------------------

    def remove_case(self, case_id: str, reason: str, *, conn: sa.Connection | None = None) -> dict[str, int]:
        """Remove a case and everything held for it, in one transaction, keeping an audit record.

        The audit record holds who, when, the reason, the case id and counts: nothing about the people.

        Returns:
            What was removed: {"people": n, "plans": n, "imports": n, <record kind>: n records}.

        Raises:
            NotFound: no such case.
            StoreError: no reason given.
        """
        if not reason.strip():
            raise StoreError("say why the case is removed: the reason is kept in the audit record")
        s = schema
        fit_row(s.case_removals, f"removal of case {_shown_id(case_id)}", {"reason": reason.strip(), **self._who()})
        with self._conn(conn) as c:
            if self.on_a_team and not self.connected.superuser:  # type: ignore[union-attr]
                # an administrator removes what their role may not read, through the database's own function
                return team.remove_case(c, case_id, reason.strip())
            self.case_exists(case_id, c)
            counts = {"people": self._count(c, s.people, s.people.c.case_id == case_id),
                      "plans": self._count(c, s.plans, s.plans.c.case_id == case_id),
                      "imports": self._count(c, s.imports, s.imports.c.case_id == case_id)}
            kinds = c.execute(sa.select(s.record_heads.c.kind, sa.func.count())
                              .where(s.record_heads.c.case_id == case_id).group_by(s.record_heads.c.kind))
            counts.update({kind: int(n) for kind, n in kinds})
            for table in (s.case_assignments, s.record_heads, s.records, s.imports, s.plans, s.people):
                c.execute(table.delete().where(table.c.case_id == case_id))
            c.execute(s.cases.delete().where(s.cases.c.id == case_id))
            c.execute(s.case_removals.insert().values(case_id=case_id, reason=reason.strip(), counts=counts,
                                                      **self._who()))
        return counts

    def removals(self) -> list[dict[str, Any]]:
        """The audit records of removed cases, oldest first."""
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(sa.select(schema.case_removals)
                                                         .order_by(schema.case_removals.c.id))]

    @staticmethod
    def _count(c: sa.Connection, table: sa.Table, where: Any) -> int:
        return int(c.execute(sa.select(sa.func.count()).select_from(table).where(where)).scalar_one())

    # helpers -------------------------------------------------------------------------------

    def _who(self) -> dict[str, Any]:
        return {"created_at": _now(), "created_by": self.user}

    @contextmanager
    def _conn(self, conn: sa.Connection | None) -> Iterator[sa.Connection]:
        if conn is not None:
            yield conn
        else:
            with self.transaction() as c:
                yield c

    def _version(self, c: sa.Connection, record_id: str, version: int) -> RecordVersion:
        r = schema.records
        row = c.execute(sa.select(r).where(r.c.record_id == record_id, r.c.version == version)).one()
        return to_version(row)


"""A team's PostgreSQL database: made one by `server_init`, its people, their cases, and refusals in words.

A team's database is PostgreSQL after `neglect-kit server init` (run by a superuser): each person is a login role
named as their operating-system account, in one group role (`team_sql.GROUPS`), with a row in `staff`; PostgreSQL's
grants, row-level security and triggers (`team_sql.py`) decide what they read and write, whatever the apps or a
plain SQL session send. Any other database (SQLite, or PostgreSQL no `server init` has touched) is one person's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from . import schema, team_functions, team_sql
from .engine import HEAD_REVISION, make_engine, migrate, shown, stored_revision, writing
from .errors import Forbidden, NotFound, StoreError
from .identity import ADMINISTRATOR, MANAGE_PEOPLE, ONE_PERSON, PRACTITIONER, ROLES, SUPERVISOR, Person


@dataclass(frozen=True)
class Connected:
    """Who a PostgreSQL connection is (`session_user`), and whether the database is a team's."""

    user: str
    team: bool
    superuser: bool


def connected(engine: sa.Engine) -> Connected | None:
    """Who is connected to a PostgreSQL database, and whether it is a team's; None for SQLite."""
    if engine.dialect.name != "postgresql":
        return None
    watch_refusals(engine)
    with engine.connect() as c:
        row = c.execute(sa.text(
            "SELECT session_user, to_regprocedure('nk_whoami()') IS NOT NULL, "
            "coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)")).one()
    return Connected(str(row[0]), bool(row[1]), bool(row[2]))


def old_schema(engine: sa.Engine) -> str | None:
    """Why the connected person cannot open a team's database whose schema is older than the kit's (only the
    server's administrator upgrades it), or None."""
    who = connected(engine)
    if who is None or not who.team or who.superuser or stored_revision(engine) == HEAD_REVISION:
        return None
    return ("its schema is older than this version of the kit, and a team's database is upgraded by the server's "
            "administrator: ask them to run `neglect-kit server init` as the PostgreSQL superuser")


def person(engine: sa.Engine, who: Connected) -> Person:
    """The person connected to a team's database, as its staff table knows them.

    Raises:
        Forbidden: the login is not one of the team's (active) staff.
    """
    if who.superuser:  # the server's administrator, whom PostgreSQL lets do everything
        return Person(who.user, who.user, ONE_PERSON)
    with engine.connect() as c:
        row = c.execute(sa.text("SELECT username, display_name, role, team FROM nk_whoami()")).first()
    if row is None:
        raise Forbidden(f"{who.user} is not one of this team's staff: ask the team's administrator to add you "
                        f"(`neglect-kit users add {who.user} --role ROLE`)")
    return Person(row.username, row.display_name, row.role, row.team)


# refusals in words -----------------------------------------------------------------------------------------

_TABLE_WORDS = {"cases": "cases", "people": "the people of a case", "plans": "plans", "records": "case records",
                "record_heads": "case records", "imports": "imports", "case_removals": "the audit of removed cases",
                "staff": "the team's staff", "case_assignments": "case assignments",
                "alembic_version": "the database's schema", "reviews": "the review corpus",
                "review_coders": "a review's coders", "codings": "codings", "memos": "memos",
                "reconciliations": "reconciliations", "codebooks": "the codebook",
                "extract_approvals": "extract approvals", "extract_approval_cases": "the cases of extract approvals",
                "extract_requests": "extract requests"}
# a research table's row-level security refusing a new row, in words
_RESEARCH_WRITES = {
    "codings": "you code only a review assigned to you that you have not marked finished, and only as yourself",
    "memos": "you write memos only as yourself",
    "reconciliations": "a review is reconciled once every coder assigned to it has finished it",
    "extract_requests": "you request an extract only of an approval made for you and not withdrawn "
                        "(`neglect-kit approvals list`)",
}
_VERB_WORDS = {"SELECT": "read", "INSERT": "add to", "UPDATE": "change", "DELETE": "remove"}
_FUNCTION_WORDS = {"nk_set_case_team": "set a case's team", "nk_remove_case": "remove a case",
                   "nk_finish_review": "mark a review finished",
                   "nk_approve_extract": "approve an extract (an administrator's work)",
                   "nk_withdraw_approval": "withdraw an approval (an administrator's work)"}


def refusal(error: BaseException, statement: str | None) -> str | None:
    """A permission PostgreSQL refused (a grant, row-level security, the kit's triggers), in words; None for any
    other failure."""
    state = getattr(error, "sqlstate", None)
    diag = getattr(error, "diag", None)
    message = (getattr(diag, "message_primary", None) or str(error)).strip()
    if state in (team_functions.REFUSED, team_functions.MISSING):  # the kit's own words
        return message
    if state != "42501":  # insufficient_privilege, which row-level security uses too
        return None
    verb = (statement or "").lstrip().split(" ", 1)[0].upper()
    if match := re.search(r'row-level security policy.*for table "(\w+)"', message):
        if match[1] in _RESEARCH_WRITES:
            return _RESEARCH_WRITES[match[1]]
        if match[1] in team_sql.RESEARCH_TABLES:
            return f"your role does not allow you to add to {_TABLE_WORDS[match[1]]}"
        what = _TABLE_WORDS.get(match[1], "this")
        extra = (" (and a session's wellbeing notes are written only by its supervisor and worker)"
                 if match[1] == "records" else "")
        return f"your role does not allow you to write {what} there: the case is not in your caseload{extra}"
    if match := re.search(r"permission denied for function (\w+)", message):
        return f"your role does not allow you to {_FUNCTION_WORDS.get(match[1], 'do this')}"
    if match := re.search(r"permission denied for (?:table|relation) (\w+)", message):
        if match[1] in ("records", "record_heads") and verb in ("UPDATE", "DELETE"):
            return "a saved record is never changed or removed: each save adds a version, and the earlier ones stay"
        return f"your role does not allow you to {_VERB_WORDS.get(verb, 'use')} {_TABLE_WORDS.get(match[1], 'this')}"
    return "your role does not allow this on the team's database"


def watch_refusals(engine: sa.Engine) -> None:
    """PostgreSQL's refusals of a permission reach the caller as `Forbidden`, in words, never as SQL."""
    if not sa.event.contains(engine, "handle_error", _refused):
        sa.event.listen(engine, "handle_error", _refused)


def _refused(context: Any) -> BaseException | None:
    if getattr(context.original_exception, "sqlstate", None) == team_functions.MISSING:
        return NotFound(refusal(context.original_exception, None))
    words = refusal(context.original_exception, context.statement)
    return Forbidden(words) if words else None


# server init -----------------------------------------------------------------------------------------------

def _superuser_engine(url: str, command: str) -> sa.Engine:
    engine = make_engine(url)
    if engine.dialect.name != "postgresql":
        raise StoreError(f"database {shown(url)} is not PostgreSQL: a team's database is PostgreSQL, and an SQLite "
                         "file stays one person's own")
    who = connected(engine)
    assert who is not None
    if not who.superuser:
        raise StoreError(f"{command} must be run by a PostgreSQL superuser (connected as {who.user}): e.g. "
                         f"`runuser -u postgres -- neglect-kit {command}`")
    return engine


def server_init(url: str) -> list[str]:
    """Make the database at `url` a team's: its schema at the newest revision, the kit's roles, ownership,
    row-level security, functions, grants and triggers. Idempotent: run again at every upgrade.

    Returns:
        The kit's tables now under row-level security.

    Raises:
        StoreError: not PostgreSQL, or not connected as a superuser.
    """
    engine = _superuser_engine(url, "server init")
    try:
        migrate(engine)
        tables = [t.name for t in schema.metadata.sorted_tables]
        with writing(engine) as conn:
            kit_schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
            quoted = conn.dialect.identifier_preparer.quote_identifier(kit_schema)
            cursor = conn.connection.cursor()
            for statement in team_sql.setup(tables):
                cursor.execute(statement.replace("@schema@", quoted))
        return tables
    finally:
        engine.dispose()


# people ------------------------------------------------------------------------------------------------------

_USERNAME = re.compile(r"[a-z_][a-z0-9_.-]{0,62}")
_RESERVED = ("postgres", "public", "pg_", "nk_")


def _team_engine(url: str) -> tuple[sa.Engine, Connected]:
    engine = make_engine(url)
    who = connected(engine)
    if who is None:
        raise StoreError(f"database {shown(url)} is SQLite, one person's own: a team's people are kept in its "
                         "PostgreSQL database (`neglect-kit server init`)")
    if not who.team:
        raise StoreError(f"database {shown(url)} is not a team's yet: run `neglect-kit server init` on it first "
                         "(as the PostgreSQL superuser)")
    return engine, who


def _check_username(name: str) -> None:
    if not _USERNAME.fullmatch(name):
        raise StoreError(f"'{name}' is not a sign-in name the kit takes: lower-case letters, digits, '.', '_' or '-', "
                         "starting with a letter, at most 63 characters (the person's operating-system account)")
    if name.startswith(_RESERVED[2:]) or name in _RESERVED[:2]:
        raise StoreError(f"'{name}' is kept for the database itself: give the person's own account name")


def add_user(url: str, name: str, role: str, *, team: str = "", display_name: str | None = None) -> Person:
    """Add a person to the team: a login role named `name` in the group of `role`, and their staff row. A person
    removed earlier comes back with the role and team given.

    Raises:
        StoreError: an unknown role, a name that cannot be a sign-in, a person already on the staff, a display name
            someone else has, not a team's database, or not run by a superuser.
    """
    if role not in ROLES:
        raise StoreError(f"'{role}' is not a role (roles: {', '.join(ROLES)})")
    _check_username(name)
    shown_name = (display_name or name).strip()
    if not shown_name or len(shown_name) > 120:
        raise StoreError("--display-name: give the person's name as records show it (at most 120 characters)")
    team = team.strip()
    if len(team) > 120:
        raise StoreError("--team: a team's name is at most 120 characters")
    engine, _ = _team_engine(url)
    engine.dispose()
    engine = _superuser_engine(url, "users add")
    staff = schema.staff
    try:
        with writing(engine) as c:
            row = c.execute(sa.select(staff).where(staff.c.username == name)).first()
            if row is not None and row.active:
                raise StoreError(f"{name} is on the team's staff already ({row.role}, {row.display_name})")
            taken = c.execute(sa.select(staff.c.username).where(staff.c.display_name == shown_name,
                                                                staff.c.username != name)).scalar()
            if taken:
                raise StoreError(f"the display name '{shown_name}' is {taken}'s already: give another "
                                 "(--display-name)")
            existing = c.execute(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = :n"), {"n": name}).first()
            if existing is not None and existing.rolsuper:
                raise StoreError(f"{name} is a PostgreSQL superuser: a team's person signs in with an ordinary login")
            ident = c.dialect.identifier_preparer.quote_identifier(name)
            c.exec_driver_sql(f"{'ALTER' if existing else 'CREATE'} ROLE {ident} LOGIN")
            c.exec_driver_sql(f"GRANT {team_sql.GROUPS[role]} TO {ident}")
            values = {"display_name": shown_name, "role": role, "team": team, "active": True,
                      "added_at": datetime.now(UTC),
                      "added_by": c.execute(sa.text("SELECT session_user")).scalar_one()}
            if row is None:
                c.execute(staff.insert().values(username=name, **values))
            else:
                c.execute(staff.update().where(staff.c.username == name).values(**values))
    finally:
        engine.dispose()
    return Person(name, shown_name, role, team)


def list_users(url: str) -> list[dict[str, Any]]:
    """The team's staff, removed people included (`active` false), each with the cases assigned to them (those
    the connected person may see)."""
    engine, _ = _team_engine(url)
    try:
        with engine.connect() as c:
            people = [dict(r._mapping) for r in c.execute(sa.select(schema.staff).order_by(schema.staff.c.username))]
            a = schema.case_assignments
            try:
                assigned = c.execute(sa.select(a.c.username, a.c.case_id).order_by(a.c.case_id)).all()
            except Forbidden:  # a researcher sees who is on the team, not who works which case
                assigned = []
    finally:
        engine.dispose()
    for p in people:
        p["cases"] = [case for who, case in assigned if who == p["username"]]
    return people


def remove_user(url: str, name: str) -> dict[str, Any]:
    """Take a person off the team: they can no longer sign in, their assignments go, what they wrote stays (their
    staff row is kept, not active, so their records still name someone known).

    Raises:
        StoreError: no such person on the staff (or removed already), not a team's database, not a superuser.
    """
    _team_engine(url)[0].dispose()
    engine = _superuser_engine(url, "users remove")
    staff = schema.staff
    try:
        with writing(engine) as c:
            row = c.execute(sa.select(staff).where(staff.c.username == name)).first()
            if row is None or not row.active:
                raise NotFound(f"no one called '{name}' is on the team's staff" + (" (removed already)" if row else ""))
            c.execute(schema.case_assignments.delete().where(schema.case_assignments.c.username == name))
            c.execute(staff.update().where(staff.c.username == name).values(active=False))
            ident = c.dialect.identifier_preparer.quote_identifier(name)
            c.exec_driver_sql(f"REVOKE {team_sql.GROUPS[row.role]} FROM {ident}")
            c.exec_driver_sql(f"ALTER ROLE {ident} NOLOGIN")
            return dict(row._mapping)
    finally:
        engine.dispose()


# cases -----------------------------------------------------------------------------------------------------

def _manager(engine: sa.Engine, who: Connected) -> None:
    if not who.superuser and (me := person(engine, who)).role != ADMINISTRATOR:
        raise Forbidden(me.why_not(MANAGE_PEOPLE))


def assign(url: str, case_id: str, name: str, *, remove: bool = False) -> bool:
    """Assign a practitioner or supervisor to a case (or take them off it, `remove`); an administrator's work.

    Returns:
        Whether anything changed (False: assigned already, for an assignment).

    Raises:
        NotFound: no such case, no such person, or (`remove`) not assigned to the case.
        Forbidden: the connected person is not an administrator (PostgreSQL refuses it as well).
        StoreError: a researcher or administrator named (they work no cases); not a team's database.
    """
    engine, who = _team_engine(url)
    a, staff = schema.case_assignments, schema.staff
    try:
        _manager(engine, who)
        with writing(engine) as c:
            row = c.execute(sa.select(staff).where(staff.c.username == name, staff.c.active)).first()
            if row is None:
                raise NotFound(f"no one called '{name}' is on the team's staff (`neglect-kit users list`)")
            if remove:
                gone = c.execute(a.delete().where(a.c.case_id == case_id, a.c.username == name)).rowcount
                if not gone:
                    raise NotFound(f"{name} is not assigned to case '{case_id}'")
                return True
            if row.role not in (PRACTITIONER, SUPERVISOR):
                raise StoreError(f"{name} is a {row.role}: only practitioners and supervisors are assigned cases")
            try:
                with c.begin_nested():
                    added = c.execute(sa.text(
                        "INSERT INTO case_assignments (case_id, username, assigned_at, assigned_by) "
                        "VALUES (:case, :name, now(), session_user) ON CONFLICT DO NOTHING"),
                        {"case": case_id, "name": name}).rowcount
            except sa.exc.IntegrityError:  # the case's key: no such case
                raise NotFound(f"no case '{case_id}'") from None
            return bool(added)
    finally:
        engine.dispose()


def set_case_team(url: str, case_id: str, team: str) -> None:
    """Give a case to a team, whose supervisors then see it; an administrator's work.

    Raises:
        Forbidden: the connected person is not an administrator; StoreError: no such case, not a team's database.
    """
    engine, who = _team_engine(url)
    try:
        _manager(engine, who)
        with writing(engine) as c:
            c.execute(sa.text("SELECT nk_set_case_team(:case, :team)"), {"case": case_id, "team": team.strip()})
    finally:
        engine.dispose()


def remove_case(conn: sa.Connection, case_id: str, reason: str) -> dict[str, int]:
    """Remove a case on a team's database through `nk_remove_case`, which lets an administrator remove what they
    may not read, and keeps the audit row; returns the counts removed."""
    counts = conn.execute(sa.text("SELECT nk_remove_case(:case, :why)"), {"case": case_id, "why": reason}).scalar_one()
    first = ("people", "plans", "imports")  # in the order `Store.remove_case` gives them
    return {what: int(counts[what]) for what in first} | {k: int(n) for k, n in counts.items() if k not in first}

"""What the store refuses, and how a database's own failure is told without its SQL or the records' text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .engine import shown

if TYPE_CHECKING:
    from .versions import RecordVersion


class StoreError(Exception):
    """A write the store refused, with a message for the person who tried it."""


class NotFound(StoreError):
    pass


class DatabaseUnusable(StoreError):
    """No database the kit can use at the URL. `why` is the reason alone, for a screen that must not show
    where the database lives; the message names the database (never its password) for the command line."""

    def __init__(self, url: str, why: str):
        super().__init__(f"database {shown(url)}: {why}")
        self.why = why


class SaveNotKept(StoreError):
    """A write the database committed but that cannot be read back: its file was removed, replaced or
    restored while the app was open, so the save is not in the database the kit is pointed at."""


class StaleEdit(StoreError):
    """Someone else saved this record first. Both versions' bodies travel with the error."""

    def __init__(self, record_id: str, base_version: int, current: RecordVersion, yours: dict[str, Any]):
        self.record_id = record_id
        self.base_version = base_version
        self.current = current
        self.yours = yours
        super().__init__(
            f"record {record_id} was changed by {current.created_by} at "
            f"{current.created_at:%d %b %Y %H:%M} (now version {current.version}) after you opened "
            f"version {base_version}; your text is kept: compare it with theirs and save again")


# a failure the database itself reported (locked, read-only, gone, a server that went away)
DatabaseFailure = sa.exc.DBAPIError


def database_said(error: DatabaseFailure) -> str:
    """The driver's first line of why the database failed, without the SQL or its parameters (they hold
    records' text) or SQLAlchemy's pointer to its web page."""
    text = str(error.orig).strip()
    return text.splitlines()[0] if text else type(error.orig).__name__


class Forbidden(StoreError):
    """Something the person's role (or caseload) does not allow on a team's database, refused by PostgreSQL and
    told in words (`team.refusal`): never the SQL."""

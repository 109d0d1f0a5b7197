"""The database under the store: the engine for a URL, SQLite's settings and file watch, the schema's migrations.

The store (`api.py`) is the only caller: everything else opens a database through `Store.open`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import sqlalchemy as sa

from .schema import postgresql_options

_MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration. Opening a store at this revision skips Alembic altogether (it is
# slow to import, and every app start opens the store); a test keeps it equal to Alembic's head.
HEAD_REVISION = "0005"


# How long a writer waits for another's lock. The longest write is an import at the row limit
# ([limits] rows): about 9 s here for 200,000 rows, so a writer waits well past it, then says so.
BUSY_TIMEOUT_S = 60


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets readers (many Voila kernels) go on while one writer saves.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _watch_sqlite_file(engine: sa.Engine, path: Path) -> None:
    """Discard a pooled connection whose database file (or its WAL) was removed or replaced since it
    connected: writing through it would go to the old file and be lost while saying "saved". The
    pool then reconnects, and opening the missing file fails (the engine opens with mode=rw)."""
    wal = path.with_name(path.name + "-wal")

    def remember(_dbapi_conn: Any, record: Any) -> None:
        record.info["nk_files"] = (_file_identity(path), _file_identity(wal))

    def check(_dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        db_then, wal_then = record.info.get("nk_files", (None, None))
        if _file_identity(path) != db_then or (wal_then is not None and _file_identity(wal) != wal_then):
            raise sa.exc.DisconnectionError(f"database file {path} changed under the connection")

    sa.event.listen(engine, "connect", remember)
    sa.event.listen(engine, "checkout", check)


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for another database or an in-memory one)."""
    if not url.startswith("sqlite"):
        return None
    path = sa.make_url(url).database
    if path and path.startswith("file:"):  # an engine's own URL (mode=rw), opened again
        path = unquote(path.removeprefix("file:").split("?")[0])
    return Path(path).expanduser() if path and path != ":memory:" else None


def make_engine(url: str, *, create: bool = False) -> sa.Engine:
    """An engine for `url`. An SQLite file is created (with its folder) only when `create` is set;
    otherwise a missing file is an error at connect, never a new empty database."""
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        if path is None:
            engine = sa.create_engine(url)
        else:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
                sqlite3.connect(path).close()
            # mode=rw: sqlite never creates the file itself, so a file removed while the app runs is
            # an error on the next save rather than a new empty database that the save goes into
            parsed = sa.make_url(url)
            engine = sa.create_engine(parsed.set(database=f"file:{quote(str(path))}",
                                                 query={"mode": "rw", **parsed.query, "uri": "true"}))
            _watch_sqlite_file(engine, path)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling is switched off so SQLAlchemy emits BEGIN:
        # writes take the write lock at BEGIN (IMMEDIATE), so two writers queue instead of
        # one failing half way; reads stay deferred and never block a writer under WAL.
        sa.event.listen(engine, "connect", lambda c, r: setattr(c, "isolation_level", None))
        sa.event.listen(engine, "begin", lambda conn: conn.exec_driver_sql(
            "BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN"))
        return engine
    postgresql_options()
    return sa.create_engine(url, pool_pre_ping=True)


@contextmanager
def writing(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A transaction that writes: committed at the end, rolled back whole on any error."""
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        yield conn


def stored_revision(engine: sa.Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except sa.exc.DBAPIError:  # a new database has no version table yet
        return None


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest revision; data is kept across upgrades."""
    if stored_revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    with writing(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def shown(url: str) -> str:
    """The URL as a person may see it: an SQLite file's path, any other URL without its password."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        return f"'{url.split('@')[-1]}'"  # whatever came before an '@' may hold a password
    if parsed.drivername.startswith("sqlite") and (path := sqlite_path(url)):
        return str(path)
    return f"'{parsed.render_as_string(hide_password=True)}'"


def schema_revision(engine: sa.Engine) -> tuple[str | None, str]:
    """(the database's revision, the newest the migrations know)."""
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head() or ""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision(), head

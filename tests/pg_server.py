"""A PostgreSQL server for the tests: started once in a temporary folder, one fresh database per test.

The server listens only on a unix socket in its own folder (no port to clash with anything), trusts
local connections and skips fsync: it holds nothing worth keeping and is removed at the end (a benchmark of
saves asks for `durable=True`: every commit flushed to disk, as a team's server runs).
Each test's database is a copy of a template already migrated to the newest schema, so a test pays
for a `CREATE DATABASE`, not for the migrations.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REQUIRE = "NEGLECT_KIT_REQUIRE_POSTGRES"
TEMPLATE = "kit_template"
# Debian's postgresql package keeps the server's programs here, off the PATH
DEBIAN_BIN = Path("/usr/lib/postgresql")


def find_bindir() -> Path | None:
    """The folder holding `initdb` and `pg_ctl` (the newest Debian version, or the PATH's), if any."""
    versions = [p.parent for p in DEBIAN_BIN.glob("*/bin/pg_ctl") if p.parent.parent.name.isdigit()]
    if versions:
        return max(versions, key=lambda b: int(b.parent.name))
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _missing() -> str | None:
    """Why no server can be started here, or None."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the PostgreSQL driver is not installed (pip install -e '.[postgres]')"
    if find_bindir() is None:
        return ("no PostgreSQL server programs (initdb, pg_ctl) found in /usr/lib/postgresql/*/bin or on the PATH "
                "(apt-get install postgresql)")
    return None


class PostgresServer:
    """A throwaway server; `new_database()` gives each test its own database's URL.

    With `peer=True` it signs in as a team's server does (`peer`: the database user is the connecting
    process's operating-system account, no password), except that this process's own account may sign in as
    `postgres` to set the server up; its folder is then open to every account, so theirs reach the socket.
    With `durable=True` it keeps PostgreSQL's own settings for writing (fsync, synchronous commit, full pages), so
    a save's time includes its flush to disk, as on a team's server; the tests skip them.
    """

    def __init__(self, bindir: Path, peer: bool = False, durable: bool = False):
        self.bindir = bindir
        self.peer = peer
        self.durable = durable
        self.folder = Path(tempfile.mkdtemp(prefix="neglect-kit-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self._names = itertools.count(1)
        self._admin = None

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:  # initdb refuses root: the server runs as the postgres user
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed ({done.returncode}): {done.stderr.strip()}\n{log}")

    def start(self) -> PostgresServer:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        if self.peer:
            me = pwd.getpwuid(os.geteuid()).pw_name
            conf = {"pg_hba.conf": "local all all peer map=kit\n",
                    "pg_ident.conf": f"kit {me} postgres\nkit /^(.*)$ \\1\n"}
            for name, text in conf.items():
                (self.data / name).write_text(text, encoding="utf-8")
                if os.geteuid() == 0:
                    shutil.chown(self.data / name, "postgres", "postgres")
            self.folder.chmod(0o755)
        options = f"-k {self.folder} -c listen_addresses='' -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options, "start")
        import psycopg

        self._admin = psycopg.connect(host=str(self.folder), user="postgres", dbname="postgres", autocommit=True)
        self._admin.execute(f"CREATE DATABASE {TEMPLATE}")
        from neglect_kit.store import Store

        Store.open(self.url(TEMPLATE), create=True).engine.dispose()  # no one may be connected to a template
        return self

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.folder}"

    def new_database(self) -> str:
        """A new database holding the newest schema and nothing else; returns its URL."""
        name = f"test_{next(self._names)}"
        self._admin.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
        return self.url(name)

    def copy(self, url: str) -> str:
        """A new database copied from the one at `url` (connections a command left open to it are closed: a
        database copied must have no one connected); returns its URL."""
        import sqlalchemy as sa

        source = sa.make_url(url).database
        self._admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (source,))
        name = f"test_{next(self._names)}"
        self._admin.execute(f"CREATE DATABASE {name} TEMPLATE {source} STRATEGY FILE_COPY")
        return self.url(name)

    def drop(self, url: str) -> None:
        """Drop a test's database, closing whatever connections the test left open."""
        import sqlalchemy as sa

        name = sa.make_url(url).database
        self._admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def drop_with_logins(self, url: str, prefix: str) -> None:
        """Drop a test's database and every login role whose name starts with `prefix` (roles are the
        server's, not the database's, so a team's test people outlive its database otherwise)."""
        self.drop(url)
        for (login,) in self._admin.execute("SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)",
                                            (prefix,)).fetchall():
            self._admin.execute(f'DROP ROLE "{login}"')

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.close()
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def unavailable() -> tuple[str, bool] | None:
    """(why PostgreSQL tests cannot run, whether that is a failure) or None when they can.

    A failure when NEGLECT_KIT_REQUIRE_POSTGRES=1 (CI sets it): a missing server must not pass as skipped.
    """
    why = _missing()
    if why is None:
        return None
    return f"PostgreSQL tests: {why}", os.environ.get(REQUIRE) == "1"


@dataclass
class TeamLogins:
    """A team's database on the test server, reached as each of its people (their logins carry a per-test prefix,
    so one server holds many tests' roles): plain SQL sessions and stores, as the tests of its rules need."""

    server: Any  # a PostgresServer
    url: str
    prefix: str

    def login(self, short: str) -> str:
        return short if short == "postgres" else f"{self.prefix}{short}"

    def url_of(self, short: str) -> str:
        return self.url.replace("postgres@", f"{self.login(short)}@", 1)

    def sql(self, short: str) -> Any:
        """A plain SQL session as the person (autocommit: each statement its own transaction)."""
        import psycopg  # the tests that call this skip without it
        import sqlalchemy as sa

        return psycopg.connect(host=str(self.server.folder), dbname=sa.make_url(self.url).database,
                               user=self.login(short), autocommit=True)

    def store(self, short: str) -> Any:
        from neglect_kit.store import Store

        return Store.open(self.url_of(short))

    def rows(self, short: str, query: str, *args: object) -> list[tuple]:
        with self.sql(short) as c:
            return c.execute(query, args or None).fetchall()

"""Shared fixtures: a fresh store per test, a case with two children, the sample cases loaded once.

The store is SQLite's, and in test modules marked `both_databases` also PostgreSQL's: each of their tests
that takes `db_url` (or `store`) runs on both, unless marked `sqlite_only` with the reason.
"""

from __future__ import annotations

import contextlib
import io
import signal
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pg_server import PostgresServer, find_bindir, unavailable

from neglect_kit.chronology.model import Child, EntryContext
from neglect_kit.cli import main
from neglect_kit.config import Settings
from neglect_kit.store import Store

TODAY = date(2026, 11, 26)
CHILDREN = (
    Child("ruby", "Ruby Ashdown", date(2015, 9, 2), known_as=("Rubes",)),
    Child("jack", "Jack Ashdown", date(2017, 3, 14)),
)


def pytest_configure(config: pytest.Config) -> None:
    # The Makefile's `timeout` stops an overrunning run with SIGTERM, which ends Python at once: the session's
    # servers (PostgreSQL, the browser tests' Voila and its kernels, the hub) were left running. Taken as an
    # interrupt, it lets pytest tear the session down, and so stop them.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupted)
    # pytest-playwright empties its output folder when any run starts, and its default is our test-results/:
    # the hub tests' run, after the browser tests', wiped their screenshots and Voila log. It gets a folder of
    # its own inside ours (it keeps nothing there: no trace or video is asked for).
    if hasattr(config.option, "output"):
        config.option.output = str(Path(__file__).resolve().parents[1] / "test-results" / "playwright")


def _interrupted(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"stopped by signal {signum}")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marks = {m.name: m for m in metafunc.definition.iter_markers()}
    if "db_url" not in metafunc.fixturenames or "both_databases" not in marks:
        return
    if "sqlite_only" in marks:
        if not marks["sqlite_only"].args:
            raise pytest.UsageError(f"{metafunc.definition.nodeid}: sqlite_only needs its reason")
        return
    metafunc.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL server for the whole run; fails the tests needing it (CI), or skips them, when none can run."""
    if problem := unavailable():
        why, required = problem
        if required:
            pytest.fail(why, pytrace=False)
        pytest.skip(why)
    server = PostgresServer(find_bindir()).start()
    yield server
    server.stop()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new database's URL: an SQLite file not made yet, or (when parametrised so) a PostgreSQL database
    holding the newest schema and nothing else."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield f"sqlite:///{tmp_path / 'kit.sqlite'}"
        return
    server = request.getfixturevalue("pg_server")
    url = server.new_database()
    yield url
    server.drop(url)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    store = Store.open(db_url, user="worker.one", create=True)
    yield store
    store.engine.dispose()


@pytest.fixture
def ctx() -> EntryContext:
    return EntryContext("ashdown", CHILDREN, Settings(), today=TODAY)


@pytest.fixture
def case(store: Store) -> str:
    """A case in the store with the two children of `ctx`."""
    store.create_case("ashdown", "The Ashdown children")
    for c in CHILDREN:
        store.add_person("ashdown", c.id, kind="child", name=c.name, date_of_birth=c.date_of_birth,
                         known_as=c.known_as)
    store.add_person("ashdown", "dawn", kind="adult", name="Dawn Ashdown",
                     relationships={"ruby": "mother", "jack": "mother"})
    return "ashdown"


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the developer's data folder, where each user's last case is remembered
    (`ui.navigation`), and none runs as if opened from a page address."""
    monkeypatch.setenv("NEGLECT_KIT_DATA", str(tmp_path_factory.mktemp("data")))
    for cgi in ("QUERY_STRING", "SCRIPT_NAME", "VOILA_BASE_URL"):
        monkeypatch.delenv(cgi, raising=False)


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory) -> Path:
    """A database file holding the sample cases, loaded once with `neglect-kit demo`; copy it to write."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEGLECT_KIT_DB", f"sqlite:///{path}")
        assert main(["demo"]) == 0
    reader = Store.open(f"sqlite:///{path}")
    with reader.engine.connect() as conn:  # one self-contained file, safe to copy
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    reader.engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_demo(pg_server) -> str:
    """The URL of a PostgreSQL database holding the sample cases, loaded once with `neglect-kit demo`; only read it."""
    url = pg_server.new_database()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(io.StringIO()) as out:
        mp.setenv("NEGLECT_KIT_DB", url)
        assert main(["demo"]) == 0
    assert "Saved" in out.getvalue()
    return url


@pytest.fixture(scope="session")
def demo(demo_file) -> Store:
    """The sample cases, for tests that only read."""
    return Store.open(f"sqlite:///{demo_file}", user="reader")

"""Shared fixtures: a fresh SQLite store per test, a case with two children, the sample cases loaded once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from neglect_kit.chronology.model import Child, EntryContext
from neglect_kit.cli import main
from neglect_kit.config import Settings
from neglect_kit.store import Store

TODAY = date(2026, 11, 26)
CHILDREN = (
    Child("ruby", "Ruby Ashdown", date(2015, 9, 2), known_as=("Rubes",)),
    Child("jack", "Jack Ashdown", date(2017, 3, 14)),
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(f"sqlite:///{tmp_path / 'kit.sqlite'}", user="worker.one", create=True)


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
def demo(demo_file) -> Store:
    """The sample cases, for tests that only read."""
    return Store.open(f"sqlite:///{demo_file}", user="reader")

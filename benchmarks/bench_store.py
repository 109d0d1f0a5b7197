"""Saving and loading 10,000 chronology entries, against plain sqlite3 doing the same work."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import uuid
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any

from _common import CASE_ID, FAST, agency_return, bench_context, best_of, result_line

from neglect_kit.chronology.importer import check_return
from neglect_kit.chronology.model import ENTRY_KIND
from neglect_kit.chronology.records import stored_entries
from neglect_kit.store import NewRecord, Store

ENTRIES = 10_000
GOAL = 3.0
# the same table as the store's `records` (store/schema.py), with a case for its foreign key
_TABLES = """
CREATE TABLE cases (id VARCHAR(64) PRIMARY KEY);
CREATE TABLE records (
    row_id INTEGER PRIMARY KEY AUTOINCREMENT, record_id VARCHAR(40) NOT NULL, version INTEGER NOT NULL,
    kind VARCHAR(40) NOT NULL, case_id VARCHAR(64) NOT NULL REFERENCES cases(id),
    status VARCHAR(16) NOT NULL, body TEXT NOT NULL, created_at DATETIME NOT NULL,
    created_by VARCHAR(120) NOT NULL, reason TEXT NOT NULL DEFAULT '',
    CONSTRAINT uq_record_version UNIQUE (record_id, version));
"""


def entry_bodies(n: int) -> list[dict[str, Any]]:
    """`n` valid chronology entries as the store keeps them (JSON-ready dicts)."""
    data = agency_return(n, seed=1).to_csv(index=False).encode()
    entries = check_return(data, "bodies.csv", bench_context()).entries
    assert len(entries) == n, "the generated return should be all valid"
    return [row.entry.model_dump(mode="json") for row in entries]


def _sqlite(path: Path) -> sqlite3.Connection:
    """A plain connection with the store's pragmas, committing only when told."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=10000", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def main(n: int = ENTRIES) -> list[str]:
    """Time the store's batch write and its reads; print and return the lines."""
    bodies = entry_bodies(n)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = count()

        def fresh_store() -> Store:
            store = Store.open(f"sqlite:///{folder}/s{next(files)}.sqlite", user="bench", create=True)
            store.create_case(CASE_ID, "Benchmark case")
            return store

        def fresh_sqlite() -> sqlite3.Connection:
            conn = _sqlite(folder / f"f{next(files)}.sqlite")
            conn.executescript(_TABLES)
            conn.execute("INSERT INTO cases VALUES (?)", (CASE_ID,))
            return conn

        def store_write(store: Store) -> None:
            store.create_many(ENTRY_KIND, CASE_ID, [NewRecord(b) for b in bodies])
            store.engine.dispose()

        def floor_write(conn: sqlite3.Connection) -> None:
            # the least any store must do: an id and JSON text for each body, one transaction
            now = datetime.now(UTC).isoformat()
            rows = [(uuid.uuid4().hex[:16], 1, ENTRY_KIND, CASE_ID, "active", json.dumps(b), now, "bench", "")
                    for b in bodies]
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT INTO records (record_id, version, kind, case_id, status, body, "
                             "created_at, created_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
            conn.close()

        floor, written = best_of((fresh_sqlite, floor_write), (fresh_store, store_write), repeat=FAST)
        lines = [result_line(f"create_many, {n:,} entries", written, floor, GOAL)]

        # read back from one store, the floor reading the very same rows of the same file
        store = fresh_store()
        store.create_many(ENTRY_KIND, CASE_ID, [NewRecord(b) for b in bodies])
        raw = _sqlite(Path(store.engine.url.database or ""))

        def floor_read() -> None:
            rows = raw.execute("SELECT * FROM records WHERE kind = ? AND case_id = ? ORDER BY row_id",
                               (ENTRY_KIND, CASE_ID)).fetchall()
            loaded = [json.loads(r[6]) for r in rows]
            assert len(loaded) == n

        def current() -> None:
            assert len(store.current(ENTRY_KIND, CASE_ID)) == n

        def entries() -> None:
            assert len(stored_entries(store, CASE_ID)) == n

        floor, read, validated = best_of(floor_read, current, entries, repeat=FAST)
        raw.close()
        store.engine.dispose()
        lines.append(result_line(f"current, {n:,} entries", read, floor, GOAL))
        lines.append(result_line(f"stored_entries, {n:,} entries", validated, floor, GOAL))
    return lines


if __name__ == "__main__":
    main()

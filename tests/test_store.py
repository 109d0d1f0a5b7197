"""The store: versioned records, stale edits refused, withdrawals kept, migrations."""

import multiprocessing as mp
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from neglect_kit.store import NotFound, StaleEdit, Store, StoreError, schema_revision
from neglect_kit.store.api import HEAD_REVISION
from neglect_kit.store.schema import metadata


def test_every_save_is_a_new_version_with_who_and_when(store, case):
    first = store.create("note", case, {"text": "Ruby was hungry at school."})
    other = Store(store.engine, user="supervisor.two")
    second = other.update(first.record_id, 1, {"text": "Ruby was hungry at school (said so herself)."},
                          reason="added the child's words")
    history = store.history(first.record_id)
    assert [(v.version, v.created_by, v.body["text"][:20]) for v in history] == [
        (1, "worker.one", "Ruby was hungry at s"), (2, "supervisor.two", "Ruby was hungry at s")]
    assert history[1].reason == "added the child's words"
    assert store.get(first.record_id).version == second.version == 2
    assert history[0].created_at <= history[1].created_at


def test_a_stale_edit_is_refused_and_keeps_both_texts(store, case):
    rec = store.create("note", case, {"text": "original"})
    store.update(rec.record_id, 1, {"text": "theirs"})
    with pytest.raises(StaleEdit) as err:
        store.update(rec.record_id, 1, {"text": "mine"})
    assert err.value.yours == {"text": "mine"}
    assert err.value.current.body == {"text": "theirs"}
    assert "your text is kept" in str(err.value)
    assert [v.body["text"] for v in store.history(rec.record_id)] == ["original", "theirs"]


def test_withdrawing_keeps_the_record_and_its_reason(store, case):
    rec = store.create("note", case, {"text": "entry on the wrong child"})
    with pytest.raises(StoreError, match="say why"):
        store.withdraw(rec.record_id, 1, "  ")
    store.withdraw(rec.record_id, 1, "recorded on the wrong child")
    assert store.current("note", case) == []
    [kept] = store.current("note", case, include_withdrawn=True)
    assert (kept.status, kept.reason, kept.body["text"]) == ("withdrawn", "recorded on the wrong child",
                                                             "entry on the wrong child")
    assert len(store.history(rec.record_id)) == 2


def test_unknown_case_and_record_are_named(store):
    with pytest.raises(NotFound, match="no case 'nobody'"):
        store.case("nobody")
    with pytest.raises(NotFound, match="no record 'x1'"):
        store.get("x1")
    with pytest.raises(NotFound):
        store.create("note", "nobody", {})


def test_a_batch_is_all_or_nothing(store, case):
    from neglect_kit.store import NewRecord

    with pytest.raises(sa.exc.IntegrityError):
        store.create_many("note", case, [NewRecord({"n": 1}, record_id="same"),
                                         NewRecord({"n": 2}, record_id="same")])
    assert store.current("note", case) == []


def _edit(url: str, record_id: str, text: str, start, results) -> None:
    s = Store.open(url, user=text)
    start.wait()
    try:
        s.update(record_id, 1, {"text": text})
        results.put(("saved", text))
    except StaleEdit as exc:
        results.put(("conflict", exc.yours["text"]))


def test_two_writers_at_once_one_saves_one_conflicts_nothing_lost(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    store = Store.open(url, user="setup")
    store.create_case("c", "Case")
    rec = store.create("note", "c", {"text": "original"})
    ctx = mp.get_context("spawn")
    start, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_edit, args=(url, rec.record_id, who, start, results)) for who in ("amy", "bob")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    outcome = sorted(results.get(timeout=5) for _ in procs)
    assert [kind for kind, _ in outcome] == ["conflict", "saved"]
    saved_text = next(text for kind, text in outcome if kind == "saved")
    conflict_text = next(text for kind, text in outcome if kind == "conflict")
    assert store.get(rec.record_id).body["text"] == saved_text
    assert {saved_text, conflict_text} == {"amy", "bob"}  # the loser still holds its own text
    assert [v.version for v in store.history(rec.record_id)] == [1, 2]


def test_migrations_build_exactly_the_schema_the_code_uses(store):
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    stored, newest = schema_revision(store.engine)
    assert stored == newest == HEAD_REVISION


def test_opening_an_existing_database_keeps_its_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'kit.sqlite'}"
    Store.open(url).create_case("c", "Case")
    assert [c["id"] for c in Store.open(url).cases()] == ["c"]


def test_sqlite_runs_in_wal_mode(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"

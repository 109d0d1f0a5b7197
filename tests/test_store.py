"""The store: versioned records, stale edits refused, withdrawals kept, migrations."""

import multiprocessing as mp
import threading
import time
from datetime import date

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from neglect_kit.store import NotFound, StaleEdit, Store, StoreError, schema_revision
from neglect_kit.store.engine import HEAD_REVISION
from neglect_kit.store.schema import metadata

pytestmark = pytest.mark.both_databases


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


def _waiting_on_a_lock(store: Store, saver: threading.Thread) -> bool:
    """Whether `saver` is held by another's open write (on PostgreSQL, seen as a lock not granted)."""
    for _ in range(100):
        if store.engine.dialect.name != "postgresql":
            time.sleep(0.3)  # SQLite's writer waits at BEGIN IMMEDIATE, which nothing reports
            return saver.is_alive()
        with store.engine.connect() as conn:
            if conn.exec_driver_sql("SELECT count(*) FROM pg_locks WHERE NOT granted").scalar():
                return True
        time.sleep(0.05)
    return False


def test_a_save_that_waited_for_another_is_shown_the_version_that_won(store, case):
    """On PostgreSQL the later save reads the record, then waits at its update until the first commits."""
    rec = store.create("note", case, {"text": "original"})
    amy, bob = Store(store.engine, user="amy"), Store(store.engine, user="bob")
    refused: list[StaleEdit] = []

    def bob_saves() -> None:
        try:
            bob.update(rec.record_id, 1, {"text": "bob's"})
        except StaleEdit as exc:
            refused.append(exc)

    bobs = threading.Thread(target=bob_saves)
    with amy.transaction() as conn:
        amy.update(rec.record_id, 1, {"text": "amy's"}, conn=conn)
        bobs.start()
        assert _waiting_on_a_lock(store, bobs)
    bobs.join(30)
    [stale] = refused
    assert (stale.current.version, stale.current.body, stale.current.created_by) == (2, {"text": "amy's"}, "amy")
    assert stale.yours == {"text": "bob's"} and "changed by amy" in str(stale)
    assert [v.body["text"] for v in store.history(rec.record_id)] == ["original", "amy's"]


def _edit(url: str, record_id: str, text: str, start, results) -> None:
    s = Store.open(url, user=text)
    start.wait()
    try:
        s.update(record_id, 1, {"text": text})
        results.put(("saved", text))
    except StaleEdit as exc:
        results.put(("conflict", exc.yours["text"]))


def test_two_writers_at_once_one_saves_one_conflicts_nothing_lost(db_url: str):
    store = Store.open(db_url, user="setup", create=True)
    store.create_case("c", "Case")
    rec = store.create("note", "c", {"text": "original"})
    ctx = mp.get_context("spawn")
    start, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_edit, args=(db_url, rec.record_id, who, start, results)) for who in ("amy", "bob")]
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


def test_opening_an_existing_database_keeps_its_data(db_url):
    Store.open(db_url, create=True).create_case("c", "Case")
    assert [c["id"] for c in Store.open(db_url).cases()] == ["c"]


@pytest.mark.sqlite_only("PRAGMA journal_mode and WAL are SQLite's")
def test_sqlite_runs_in_wal_mode(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_the_same_file_is_recorded_once_per_case_until_its_import_is_undone(store, case):
    first = store.record_import(case, "school.csv", "ab" * 32, "school", 3)
    with pytest.raises(StoreError, match=rf"school-copy.csv: this file was already imported into case {case} .* "
                                         rf"\(as school.csv, import {first}\)"):
        store.record_import(case, "school-copy.csv", "ab" * 32, "school", 3)
    # the key holds even for a writer that skips the check
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO imports (case_id, filename, sha256, agency, rows_written, created_at, "
                             "created_by) VALUES (:c, 'x.csv', :s, '', 0, '2026-01-01', 'x')"),
                     {"c": case, "s": "ab" * 32})
    with store.transaction() as conn:
        with pytest.raises(StoreError, match="say why"):
            store.mark_import_undone(case, first, " ", conn=conn)
        store.mark_import_undone(case, first, "wrong case", conn=conn)
    second = store.record_import(case, "school.csv", "ab" * 32, "school", 3)
    assert [(i["id"], i["undone_id"], i["undo_reason"]) for i in store.imports(case)] == [
        (first, first, "wrong case"), (second, 0, "")]


def test_removing_a_case_removes_all_it_holds_in_one_go_and_keeps_an_audit_without_names(store, case):
    store.create("chronology_entry", case, {"text": "Ruby was hungry."})
    store.add_plan(case, "ruby", type="child_protection", start=date(2019, 1, 1))
    store.record_import(case, "school.csv", "cd" * 32, "school", 1)
    store.create_case("other", "Another case")
    store.create("note", "other", {"text": "kept"})
    with pytest.raises(StoreError, match="say why"):
        store.remove_case(case, "")
    counts = store.remove_case(case, "loaded twice by mistake")
    assert counts == {"people": 3, "plans": 1, "imports": 1, "chronology_entry": 1}
    assert [c["id"] for c in store.cases()] == ["other"]
    assert store.people(case) == [] and store.plans(case) == [] and store.imports(case) == []
    assert len(store.current("note", "other")) == 1
    [audit] = store.removals()
    assert (audit["case_id"], audit["reason"], audit["counts"], audit["created_by"]) == (
        case, "loaded twice by mistake", counts, "worker.one")
    assert "Ruby" not in repr(audit) and "Ashdown" not in repr(audit)
    with pytest.raises(NotFound):
        store.remove_case(case, "again")


@pytest.mark.sqlite_only("builds a database at the old revision in an SQLite file")
def test_upgrading_a_database_with_a_file_imported_twice_keeps_both_records(tmp_path):
    from alembic import command
    from alembic.config import Config

    from neglect_kit.store.engine import _MIGRATIONS, make_engine, writing

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}", create=True)
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    with writing(engine) as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO cases (id, title, created_at, created_by) "
                             "VALUES ('c', 'C', '2020-01-01', 'x')"))
        for _ in (1, 2):
            conn.execute(sa.text("INSERT INTO imports (case_id, filename, sha256, agency, rows_written, created_at, "
                                 "created_by) VALUES ('c', 'a.csv', 'same', '', 1, '2020-01-01', 'x')"))
    engine.dispose()
    store = Store.open(f"sqlite:///{tmp_path / 'old.sqlite'}")
    assert [(i["id"], i["undone_id"]) for i in store.imports("c")] == [(1, 0), (2, 2)]


@pytest.mark.parametrize(("url", "message"), [
    ("foo://x", "database 'foo://x': not a kind of database the kit uses"),
    ("postgresql+pg8000://kit:s3cret@db.invalid/kit", "database 'postgresql+pg8000://kit:***@db.invalid/kit': "
                                                       "its driver 'pg8000' is not installed"),
])
def test_a_database_url_the_kit_cannot_use_is_refused_in_words(url, message):
    with pytest.raises(StoreError) as err:
        Store.open(url)
    assert message in str(err.value)


@pytest.mark.sqlite_only("an SQLite database is a file")
def test_a_file_that_is_not_a_database_is_refused_and_left_as_it_was(tmp_path):
    path = tmp_path / "kit.sqlite"
    path.write_bytes(b"not a database at all" * 10)
    with pytest.raises(StoreError, match=r"kit.sqlite: cannot be opened \(file is not a database\)"):
        Store.open(f"sqlite:///{path}")
    assert path.read_bytes() == b"not a database at all" * 10
    with pytest.raises(StoreError, match="it is a folder, not a database file"):
        Store.open(f"sqlite:///{tmp_path}")


LONG_ID = "ashdown-" + "x" * 60


@pytest.mark.parametrize(("write", "message"), [
    pytest.param(lambda s, c: s.create_case(LONG_ID, "Case"),
                 f"case '{LONG_ID[:40]}…': id is 68 characters long, at most 64 can be stored", id="case id"),
    pytest.param(lambda s, c: s.create_case("fenn\x00", "Case"),
                 r"case 'fenn\\x00': id holds a NUL character", id="case id NUL"),
    pytest.param(lambda s, c: s.create_case("fenn", "The Fenn children " * 12),
                 "case 'fenn': title is 216 characters long, at most 200 can be stored", id="case title"),
    pytest.param(lambda s, c: s.add_person(c, "dawn2", kind="adult", name="Dawn\x00 Ashdown"),
                 r"person 'dawn2' in case 'ashdown': name holds a NUL character \(\\x00\), which cannot be stored",
                 id="person name NUL"),
    pytest.param(lambda s, c: s.add_plan(c, "ruby", type="child_protection", category="n" * 40,
                                         start=date(2020, 1, 1)),
                 "plan for 'ruby' in case 'ashdown': category is 40 characters long, at most 32 can be stored",
                 id="plan category"),
    pytest.param(lambda s, c: s.create("note", c, {"text": "kept"}, reason="typed\x00"),
                 "new note in case 'ashdown': reason holds a NUL character", id="record reason NUL"),
    pytest.param(lambda s, c: s.update(s.create("note", c, {"text": "kept"}).record_id, 1, {"text": "b"},
                                       reason="\x00"),
                 "note .* in case 'ashdown': reason holds a NUL character", id="update reason NUL"),
    pytest.param(lambda s, c: s.record_import(c, "school-" + "y" * 250 + ".csv", "ef" * 32, "school", 1),
                 "import into case 'ashdown': filename is 261 characters long, at most 255 can be stored",
                 id="import filename"),
    pytest.param(lambda s, c: s.remove_case(c, "loaded by\x00 mistake"),
                 "removal of case 'ashdown': reason holds a NUL character", id="removal reason NUL"),
])
def test_text_the_database_cannot_hold_is_refused_naming_the_field_and_nothing_is_written(store, case, write,
                                                                                          message):
    """PostgreSQL refuses a NUL and text longer than its column mid-save; SQLite keeps both: the store refuses
    both alike, before the database, naming the field and its limit."""
    before = (store.cases(), store.people(case), store.plans(case), store.imports(case))
    with pytest.raises(StoreError, match=message):
        write(store, case)
    assert (store.cases(), store.people(case), store.plans(case), store.imports(case)) == before
    assert all(v.version == 1 and not v.reason for v in store.current("note", case))

"""Backups: `neglect-kit backup FILE` and `neglect-kit restore FILE` give back every row and version, on SQLite
and PostgreSQL and from one to the other; a file cut short, changed, of another schema or not a backup is refused
by name; a restore goes only into an empty database and a failure half way leaves it empty."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import time
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from neglect_kit.chronology.intake import undo_import
from neglect_kit.cli import main
from neglect_kit.research import coding_records, review_records
from neglect_kit.store import Store, StoreError
from neglect_kit.store import backup as backup_module
from neglect_kit.store.backup import FORMAT, BackupError, backup, check, restore
from neglect_kit.store.engine import HEAD_REVISION
from neglect_kit.store.schema import metadata
from neglect_kit.supervision import records
from neglect_kit.supervision.session import Signature, SupervisionSession

pytestmark = pytest.mark.both_databases

ENTRY = "chronology_entry"


# the database a backup is made of: the sample cases, then edits, withdrawals, an undone import, a removed case and
# a supervision session given wellbeing notes -------------------------------------------------------------------

def _fill(url: str) -> None:
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(io.StringIO()):
        mp.setenv("NEGLECT_KIT_DB", url)
        assert main(["demo"]) == 0
    store = Store.open(url, user="worker.two")
    first, second, *_ = store.current(ENTRY, "fenwick")
    store.update(first.record_id, first.version, dict(first.body, details="Checked with the school: seen twice."),
                 reason="added what the school said")
    store.withdraw(second.record_id, second.version, "entered twice")
    undone = store.imports("dunmore")[0]
    undo_import(store, "dunmore", undone["id"], "the return was for another child")
    store.create_case("mistake", "Loaded by mistake", opened=date(2024, 1, 5))
    store.add_person("mistake", "zoe", kind="child", name="Zoë «Z» Nobody", date_of_birth=date(2019, 2, 3),
                     known_as=["Zo"], relationships={})
    store.add_plan("mistake", "zoe", type="child_in_need", start=date(2024, 1, 6), needs=["housing"])
    store.create("note", "mistake", {"text": "made in error"})
    store.remove_case("mistake", "loaded into the wrong database")
    # a new session, signed by its supervisor, with wellbeing notes, then edited (a second version of the notes)
    held = records.sessions(store, "fenwick")[-1].model
    supervisor = Store(store.engine, user=held.supervisor)
    new = SupervisionSession(session_type="case", held_on=date(2026, 11, 20), supervisor=held.supervisor,
                             worker=held.worker, cases=["fenwick"], wellbeing="Tired after the court week.",
                             signatures=[Signature(who=held.supervisor, role="supervisor",
                                                   signed_at=datetime(2026, 11, 20, 15, 4, 5, 123456, tzinfo=UTC))])
    saved = records.save_session(supervisor, new, None, "session recorded")
    stored = next(s for s in records.sessions(supervisor, "fenwick") if s.record_id == saved.record_id)
    records.save_session(supervisor, new.model_copy(update={"wellbeing": new.wellbeing + " A heavy week."}),
                         stored, "wellbeing noted")
    # research: the demo's reviews and finished codings, then a memo, a reconciliation and a codebook saved
    first_coded = next(c for c in coding_records.codings(store, "R02") if c.coder == "coder_a" and c.codes)
    coding_records.reconcile(store, "R02", first_coded.passage_id, first_coded.codes, "both coders' reading, checked",
                             0)
    coding_records.save_memo(store, "code", "drift", "Months, not weeks: «drift» named by the review itself.", 0)
    coding_records.save_codebook(store, coding_records.codebook(store))
    store.engine.dispose()


@pytest.fixture(scope="module")
def made() -> dict[str, str]:
    return {}


def _source(kind: str, made: dict[str, str], request: pytest.FixtureRequest, tmp_path_factory) -> str:
    """The URL of a filled database of `kind`, made once per module; tests only read it."""
    if kind not in made:
        if kind == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('source') / 'source.sqlite'}"
        else:
            url = request.getfixturevalue("pg_server").new_database()
        _fill(url)
        made[kind] = url
    return made[kind]


def _kind(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


@pytest.fixture
def source(db_url, made, request, tmp_path_factory) -> str:
    """A filled database of the same kind as the test's `db_url`."""
    return _source(_kind(db_url), made, request, tmp_path_factory)


@pytest.fixture
def target(db_url) -> str:
    """An empty kit database, as `neglect-kit init` makes one."""
    Store.open(db_url, create=True).engine.dispose()
    return db_url


def snapshot(url: str, *, utc: bool = False) -> dict[str, list[dict]]:
    """Every row of every table, in key order; with `utc`, SQLite's zoneless times read as the UTC they are."""
    engine = Store.open(url).engine
    out = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).mappings().all()
            out[table.name] = [{k: _as_utc(v) if utc else v for k, v in row.items()} for row in rows]
    engine.dispose()
    return out


def _as_utc(value):
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def _empty(url: str) -> bool:
    return not any(snapshot(url).values())


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def _signed(path: Path, lines: list[bytes]) -> Path:
    """Write `lines` (a header and rows) with a trailer that counts and checksums them, as a backup's own."""
    rows: dict[str, int] = {}
    for line in lines[1:]:
        name = json.loads(line)["table"]
        rows[name] = rows.get(name, 0) + 1
    body = b"".join(lines)
    trailer = {"end": FORMAT, "rows": rows, "sha256": hashlib.sha256(body).hexdigest()}
    path.write_bytes(body + (json.dumps(trailer) + "\n").encode())
    return path


# restores give back everything --------------------------------------------------------------------------------

def test_a_restore_gives_back_every_record_and_version(source, target, tmp_path):
    before = Store.open(source)
    kinds = {r["kind"] for r in snapshot(source)["records"]}
    # what the backup must carry is there to carry
    assert {ENTRY, records.SESSION_KIND, records.WELLBEING_KIND} <= kinds
    rows = snapshot(source)
    assert any(r["version"] > 1 for r in rows["records"]) and any(r["status"] == "withdrawn" for r in rows["records"])
    assert any(i["undone_id"] for i in rows["imports"]) and rows["case_removals"]
    assert all(rows[t] for t in ("reviews", "review_coders", "codings", "memos", "reconciliations", "codebooks"))

    file = tmp_path / "team.backup"
    made = backup(file, source)
    assert made.rows["records"] == len(rows["records"]) and made.schema_revision == HEAD_REVISION
    restored = restore(file, target)
    assert restored.rows == made.rows

    assert snapshot(target) == rows  # every row of every table, values as they were (times to the microsecond)
    after = Store.open(target)
    for case in ("dunmore", "fenwick"):
        assert after.case(case) == before.case(case)
        assert after.people(case) == before.people(case) and after.plans(case) == before.plans(case)
        assert after.imports(case) == before.imports(case)
        for kind in kinds:
            heads = before.current(kind, case, include_withdrawn=True)
            assert after.current(kind, case, include_withdrawn=True) == heads
            for head in heads:
                assert after.history(head.record_id) == before.history(head.record_id)
    assert after.removals() == before.removals()
    session = records.sessions(after, "fenwick")
    held = [records.wellbeing(after, s, s.model.supervisor) for s in session]
    assert any(text.endswith("A heavy week.") for text in held)
    # the research tables as the researcher who wrote the memo reads them
    before, after = Store(before.engine, user="worker.two"), Store(after.engine, user="worker.two")
    assert review_records.reviews(after) == review_records.reviews(before) and review_records.review(after, "R02").text
    assert len(coding_records.memos(after)) == 1 and len(coding_records.reconciliations(after)) == 1
    assert coding_records.codings(after) == coding_records.codings(before)
    assert coding_records.reconciliations(after) == coding_records.reconciliations(before)
    assert coding_records.memos(after) == coding_records.memos(before)
    assert coding_records.codebook(after) == coding_records.codebook(before)
    before.engine.dispose()
    after.engine.dispose()


def test_new_saves_after_a_restore_take_new_ids(source, target, tmp_path):
    restore(backup(tmp_path / "b.jsonl", source).path, target)
    store = Store.open(target, user="worker.three")
    plans = [p["id"] for case in ("dunmore", "fenwick") for p in store.plans(case)]
    # PostgreSQL's sequences were moved past the restored ids: these would collide with them otherwise
    assert store.add_plan("fenwick", "ava", type="child_in_need", start=date(2026, 1, 1)) > max(plans)
    new = store.create("note", "fenwick", {"text": "after the restore"})
    assert store.get(new.record_id).body == {"text": "after the restore"}
    assert store.record_import("fenwick", "late.csv", "0" * 64, "School", 0) > max(
        i["id"] for case in ("dunmore", "fenwick") for i in Store.open(source).imports(case))
    store.remove_case("dunmore", "a test of removals after a restore")
    assert [r["case_id"] for r in store.removals()] == ["mistake", "dunmore"]
    store.engine.dispose()


@pytest.mark.sqlite_only("goes from SQLite to PostgreSQL and back itself")
def test_from_sqlite_to_postgresql_and_back(db_url, made, request, tmp_path_factory, tmp_path, monkeypatch):
    pg_server = request.getfixturevalue("pg_server")
    sqlite = _source("sqlite", made, request, tmp_path_factory)
    postgres = pg_server.new_database()
    # neither end in UTC: a time written or read in a zone's local time would come back moved
    pg_server._admin.execute(f"ALTER DATABASE {sa.make_url(postgres).database} SET timezone = 'Pacific/Auckland'")
    monkeypatch.setenv("TZ", "America/St_Johns")
    time.tzset()
    restore(backup(tmp_path / "from-sqlite.jsonl", sqlite).path, postgres)
    assert snapshot(postgres, utc=True) == snapshot(sqlite, utc=True)

    Store.open(db_url, create=True).engine.dispose()
    restore(backup(tmp_path / "from-postgres.jsonl", postgres).path, db_url)
    assert snapshot(db_url) == snapshot(sqlite)  # the very same values, SQLite's own way
    assert json.loads(_lines(tmp_path / "from-postgres.jsonl")[0])["database"] == "postgresql"
    pg_server.drop(postgres)
    monkeypatch.undo()
    time.tzset()


def _another_empty(db_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A second empty kit database of the kind of `db_url`."""
    if _kind(db_url) == "postgresql":
        return request.getfixturevalue("pg_server").new_database()
    url = f"sqlite:///{tmp_path / 'second.sqlite'}"
    Store.open(url, create=True).engine.dispose()
    return url


def test_a_backup_is_of_one_moment_while_others_save(source, target, tmp_path, request, monkeypatch):
    restore(backup(tmp_path / "copy.jsonl", source).path, target)
    at_start = snapshot(target)
    writer = Store.open(target, user="worker.four")
    real, calls = backup_module._encode, []

    def saves_meanwhile(value):
        calls.append(value)
        if len(calls) == 3:  # the backup has begun reading: someone saves an edit and a new case
            entry = writer.current(ENTRY, "fenwick")[0]
            writer.update(entry.record_id, entry.version, dict(entry.body, details="saved during the backup"),
                          reason="meanwhile")
            writer.create_case("late", "Made during the backup")
        return real(value)

    monkeypatch.setattr(backup_module, "_encode", saves_meanwhile)
    file = backup(tmp_path / "b.jsonl", target).path
    assert len(calls) > 3 and "late" in {c["id"] for c in writer.cases()}
    second = _another_empty(target, request, tmp_path)
    restore(file, second)  # whole: every head has its version
    assert snapshot(second) == at_start
    writer.engine.dispose()


def test_an_empty_database_backs_up_and_restores(target, tmp_path, request):
    made = backup(tmp_path / "empty.jsonl", target)
    assert set(made.rows) == set(metadata.tables) and not any(made.rows.values())
    second = _another_empty(target, request, tmp_path)
    assert restore(made.path, second).rows == made.rows
    assert _empty(second)


def test_a_compressed_backup_restores(source, target, tmp_path):
    file = backup(tmp_path / "b.jsonl.gz", source).path
    assert file.read_bytes()[:2] == b"\x1f\x8b"
    restore(file, target)
    assert snapshot(target) == snapshot(source)


def test_the_commands(source, target, tmp_path, capsys):
    file = tmp_path / "nightly.jsonl"
    assert main(["backup", str(file), "--db", source]) == 0
    assert f"Backed up to {file}" in capsys.readouterr().out
    assert main(["restore", str(file), "--db", target]) == 0
    out = capsys.readouterr().out
    assert f"Restored {file}" in out and f"records {len(snapshot(source)['records'])}" in out
    assert main(["restore", str(file), "--db", target]) == 2
    err = capsys.readouterr().err
    assert err.startswith("neglect-kit restore: the database") and "already holds 2 cases" in err
    assert err.count("\n") == 1


# a backup is whole or not there --------------------------------------------------------------------------------

def test_a_failed_backup_leaves_the_last_good_file_as_it_was(source, tmp_path, monkeypatch):
    file = tmp_path / "nightly.jsonl"
    backup(file, source)
    good = file.read_bytes()
    real, calls = backup_module._encode, []

    def fails_half_way(value):
        calls.append(value)
        if len(calls) > 200:
            raise OSError(28, "No space left on device")
        return real(value)

    monkeypatch.setattr(backup_module, "_encode", fails_half_way)
    with pytest.raises(BackupError, match=f"^{file} not written \\(No space left on device\\)"):
        backup(file, source)
    with pytest.raises(BackupError, match="No space"):
        backup(tmp_path / "new.jsonl", source)
    assert file.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nightly.jsonl"]  # no partial file left about
    assert (file.stat().st_mode & 0o777) == 0o600  # it holds case records: the owner alone reads it


def test_a_backup_where_it_cannot_be_written_is_refused_by_name(source, tmp_path):
    with pytest.raises(BackupError, match=f"^{tmp_path}/none/b.jsonl not written: its folder {tmp_path}/none "
                                          "cannot be written to \\(No such file or directory\\)"):
        backup(tmp_path / "none" / "b.jsonl", source)
    with pytest.raises(BackupError, match=f"^{tmp_path}: a folder; name the backup file to write"):
        backup(tmp_path, source)


def test_a_large_file_of_another_kind_is_refused_without_reading_it_whole(target, tmp_path):
    file = tmp_path / "photo.bin"
    file.write_bytes(bytes(range(256)).replace(b"\n", b"") * 80_000)  # 20 MB, no line break
    tracemalloc.start()
    try:
        with pytest.raises(BackupError, match=f"^{file}: not a neglect-kit backup"):
            restore(file, target)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # the first megabyte is enough to tell


def test_a_database_at_another_revision_is_not_backed_up_or_migrated(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = Store.open(url, create=True).engine
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    engine.dispose()
    with pytest.raises(BackupError, match="at schema revision 0001, this kit's is"):
        backup(tmp_path / "b.jsonl", url)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0001"
    engine.dispose()
    with pytest.raises(StoreError, match="there is no database here"):
        backup(tmp_path / "b.jsonl", f"sqlite:///{tmp_path / 'none.sqlite'}")
    assert not (tmp_path / "none.sqlite").exists() and not (tmp_path / "b.jsonl").exists()


# refusals: each names the file and what is wrong, and the database is left as it was -------------------------

def test_restore_goes_only_into_an_empty_database(source, target, tmp_path):
    file = backup(tmp_path / "b.jsonl", source).path
    Store.open(target).create_case("oak", "The Oak family")
    with pytest.raises(BackupError, match=r"already holds 1 case: restore only into an empty one"):
        restore(file, target)
    assert [c["id"] for c in Store.open(target).cases()] == ["oak"]


def _damaged(file: Path) -> Path:
    lines = _lines(file)
    lines[5] = lines[5].replace(b'"created_by": "', b'"created_by": "x', 1)
    file.write_bytes(b"".join(lines))
    return file


def _cut_short(file: Path) -> Path:
    data = file.read_bytes()
    file.write_bytes(data[: len(data) // 2])
    return file


def _replaced(new):
    def change(file: Path) -> Path:
        file.write_bytes(new(file.read_bytes()))
        return file
    return change


def _header(**changes):
    def change(file: Path) -> Path:
        lines = _lines(file)[:-1]
        lines[0] = (json.dumps(dict(json.loads(lines[0]), **changes)) + "\n").encode()
        return _signed(file, lines)
    return change


@pytest.mark.parametrize(("spoil", "why"), [
    (_damaged, "damaged: its contents do not match its checksum"),
    (_cut_short, "damaged: it ends before its checksum line"),
    (_header(schema_revision="9999", kit_version="9.0"), "made by kit 9.0 at schema revision 9999, newer than this "
                                                         "kit's"),
    (_header(schema_revision="0001"), "at schema revision 0001, older than this kit's"),
    (_header(format_version=2), "written in backup format 2"),
    (_replaced(lambda data: b"Date,Child,Details\n2020-01-01,ruby,seen\n"), "not a neglect-kit backup"),
    (_replaced(lambda data: b""), "not a neglect-kit backup"),
    (_replaced(lambda data: gzip.compress(data)[:300]), "damaged: its compressed data cannot be read"),
    (lambda f: f.unlink() or f, "no such file"),
], ids=["changed", "cut-short", "newer-schema", "older-schema", "newer-format", "csv", "empty", "gzip-cut-short",
        "missing"])
def test_a_file_that_cannot_be_restored_is_refused_by_name(source, target, tmp_path, spoil, why):
    file = spoil(backup(tmp_path / "b.jsonl", source).path)
    with pytest.raises(BackupError) as err:
        restore(file, target)
    assert str(err.value).startswith(f"{file}: ") and why in str(err.value)
    assert _empty(target)


def test_a_database_file_is_not_a_backup(source, target, tmp_path, demo_file):
    with pytest.raises(BackupError, match=f"^{demo_file}: not a neglect-kit backup"):
        restore(demo_file, target)
    assert check(backup(tmp_path / "b.jsonl", source).path)["schema_revision"] == HEAD_REVISION


def _bad_last_record(file: Path, kind: str) -> int:
    """Add a row after the last record that cannot go in, and sign the file as whole: the restore fails only
    there. Returns the bad row's line number."""
    lines = _lines(file)[:-1]
    n = max(i for i, line in enumerate(lines) if i and json.loads(line)["table"] == "records") + 1
    bad = json.loads(lines[n - 1])
    if kind == "duplicate":  # the same version of the same record twice
        bad["row"]["row_id"] += 10_000
    else:
        bad["row"]["created_at"] = "the day before yesterday"
    _signed(file, [*lines[:n], (json.dumps(bad) + "\n").encode(), *lines[n:]])
    return n + 1


@pytest.mark.parametrize(("kind", "where"), [("duplicate", "-{n} (table records) could not be restored"),
                                             ("bad-time", "line {n}: records.created_at is not a date and time")])
def test_a_restore_that_fails_at_the_last_row_leaves_the_database_empty(source, target, tmp_path, kind, where):
    file = backup(tmp_path / "b.jsonl", source).path
    n = _bad_last_record(file, kind)
    assert check(file)  # whole and signed: only the database can tell
    with pytest.raises(BackupError, match=f"^{file}.*nothing was restored") as err:
        restore(file, target)
    assert where.format(n=n) in str(err.value)
    assert _empty(target)
    restore(backup(tmp_path / "good.jsonl", source).path, target)  # the same database takes a good one after
    assert snapshot(target) == snapshot(source)


def test_a_crash_during_a_restore_leaves_the_database_empty(source, target, tmp_path, monkeypatch):
    file = backup(tmp_path / "b.jsonl", source).path
    real = backup_module._reset_sequences

    def crash(conn):
        raise RuntimeError("the machine went down")

    monkeypatch.setattr(backup_module, "_reset_sequences", crash)
    with pytest.raises(RuntimeError):
        restore(file, target)
    assert _empty(target)
    monkeypatch.setattr(backup_module, "_reset_sequences", real)
    restore(file, target)
    assert snapshot(target) == snapshot(source)


# a team's database: PostgreSQL's triggers and row-level security -----------------------------------------------

AUTHOR_TRIGGER = """
CREATE FUNCTION nk_test_author() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.created_by := session_user; RETURN NEW; END $$;
CREATE TRIGGER nk_test_author BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION nk_test_author();
"""


@pytest.mark.sqlite_only("triggers that set a row's author are PostgreSQL's (a team's database)")
def test_a_restore_keeps_each_rows_author_where_a_trigger_would_set_it(db_url, made, request, tmp_path_factory,
                                                                       tmp_path):
    pg_server = request.getfixturevalue("pg_server")
    source_url = _source("sqlite", made, request, tmp_path_factory)
    team = pg_server.new_database()
    engine = sa.create_engine(team)
    with engine.begin() as conn:
        conn.exec_driver_sql(AUTHOR_TRIGGER)
    restore(backup(tmp_path / "b.jsonl", source_url).path, team)
    authors = {r["created_by"] for r in snapshot(team)["records"]}
    assert authors == {r["created_by"] for r in snapshot(source_url)["records"]} and "postgres" not in authors
    with engine.connect() as conn:  # switched back on: a new row's author is the database's idea again
        assert conn.exec_driver_sql("SELECT tgenabled FROM pg_trigger WHERE tgname = 'nk_test_author'").scalar() == "O"
    new = Store.open(team, user="claims.to.be.someone.else").create("note", "fenwick", {"text": "new"})
    assert Store.open(team).history(new.record_id)[0].created_by == "postgres"
    engine.dispose()
    pg_server.drop(team)


@pytest.mark.sqlite_only("row-level security is PostgreSQL's (a team's database)")
def test_a_backup_is_refused_where_row_level_security_would_hide_rows(db_url, request, tmp_path):
    pg_server = request.getfixturevalue("pg_server")
    team = pg_server.new_database()
    engine = sa.create_engine(team)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP ROLE IF EXISTS nk_test_worker")
        conn.exec_driver_sql("CREATE ROLE nk_test_worker LOGIN")
        conn.exec_driver_sql("GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO nk_test_worker")
        conn.exec_driver_sql("ALTER TABLE cases ENABLE ROW LEVEL SECURITY")
    worker = sa.make_url(team).set(username="nk_test_worker").render_as_string(hide_password=False)
    file = tmp_path / "b.jsonl"
    with pytest.raises(BackupError, match=r"row-level security lets nk_test_worker see only some rows of cases: run "
                                          r"it as the PostgreSQL superuser \(runuser -u postgres -- neglect-kit "
                                          r"backup ...\)"):
        backup(file, worker)
    assert not file.exists()
    with pytest.raises(BackupError, match=r"lets nk_test_worker see only some rows.*neglect-kit restore"):
        restore(backup(tmp_path / "empty.jsonl", team).path, worker)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP OWNED BY nk_test_worker")
    engine.dispose()
    pg_server.drop(team)
    pg_server._admin.execute("DROP ROLE nk_test_worker")


@pytest.mark.sqlite_only("a team's database is PostgreSQL's: it makes its own")
def test_a_teams_database_restores_with_its_people_caseloads_and_rules(db_url, request, tmp_path):
    team = pytest.importorskip("neglect_kit.store.team", reason="the team's database (store/team.py) is not here")
    pg_server = request.getfixturevalue("pg_server")
    first, second = pg_server.new_database(), pg_server.new_database()
    worker = "bk_worker"
    try:
        team.server_init(first)
        team.add_user(first, worker, "practitioner", team="north", display_name="Wren Worker")
        _fill(first)
        team.assign(first, "fenwick", worker)
        as_worker = sa.make_url(first).set(username=worker).render_as_string(hide_password=False)
        mine = Store.open(as_worker)
        entry = mine.current(ENTRY, "fenwick")[0]
        mine.update(entry.record_id, entry.version, dict(entry.body, details="the worker's own edit"), reason="edit")
        mine.engine.dispose()

        file = backup(tmp_path / "team.jsonl", first).path
        team.server_init(second)
        restore(file, second)
        assert snapshot(second) == snapshot(first)
        mine = Store.open(sa.make_url(second).set(username=worker).render_as_string(hide_password=False),
                          user="someone.else")
        assert [c["id"] for c in mine.cases()] == ["fenwick"]  # the caseload holds after the restore
        assert mine.person().role == "practitioner"
        new = mine.create("note", "fenwick", {"text": "after the restore"})
        assert mine.history(new.record_id)[0].created_by == worker  # the author trigger is back on
        assert mine.history(entry.record_id)[-1].created_by == worker
        mine.engine.dispose()
    finally:
        pg_server.drop(first)
        pg_server.drop(second)
        pg_server._admin.execute(f"DROP ROLE IF EXISTS {worker}")

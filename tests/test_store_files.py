"""The database file under the store: never created by accident, never saved into once it is gone, and a
writer that meets another's long write waits for it instead of failing."""

from __future__ import annotations

import multiprocessing as mp
import shutil
import sqlite3
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from neglect_kit.apps.chronology import ChronologyApp
from neglect_kit.chronology.records import stored_entries
from neglect_kit.cli import main
from neglect_kit.store import DatabaseFailure, SaveNotKept, Store, StoreError


def _gone(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)


def test_opening_a_database_that_is_not_there_says_so_and_creates_nothing(tmp_path):
    path = tmp_path / "typo" / "kit.sqlite"
    with pytest.raises(StoreError, match=r"typo/kit.sqlite: there is no database here \(`neglect-kit init`"):
        Store.open(f"sqlite:///{path}")
    assert not path.exists() and not path.parent.exists()


def test_an_empty_file_or_another_programs_database_is_not_taken_for_the_kits(tmp_path):
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    with pytest.raises(StoreError, match="it is empty, not yet made a kit database"):
        Store.open(f"sqlite:///{empty}")
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE invoices (n)")
    with pytest.raises(StoreError, match=r"holds tables that are not the kit's \(invoices\)"):
        Store.open(f"sqlite:///{other}")
    with sqlite3.connect(other) as c:  # left as it was: no kit table added
        assert [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["invoices"]


def test_commands_other_than_init_demo_and_load_never_create_a_database(tmp_path, monkeypatch, capsys):
    path = tmp_path / "kit.sqlite"
    monkeypatch.setenv("NEGLECT_KIT_DB", f"sqlite:///{path}")
    for command in (["cases"], ["analyse", "--case", "x"], ["export", "--case", "x", "-o", str(tmp_path / "x.csv")]):
        assert main(command) == 2
        assert "there is no database here" in capsys.readouterr().err
        assert not path.exists()
    assert main(["init"]) == 0 and path.exists()
    assert main(["cases"]) == 0
    assert "No cases yet" in capsys.readouterr().out


def test_a_save_after_the_database_file_was_removed_fails_and_no_empty_database_appears(store, case):
    path = Path(store.engine.url.database.removeprefix("file:"))
    store.create("note", case, {"text": "before"})  # the pool now holds a connection to the file
    _gone(path)
    with pytest.raises((DatabaseFailure, SaveNotKept)):
        store.create("note", case, {"text": "after"})
    assert not path.exists()


def test_a_file_removed_during_the_save_is_caught_by_reading_the_save_back(store, case):
    path = Path(store.engine.url.database.removeprefix("file:"))

    def save_while_the_file_goes() -> None:
        with store.transaction() as conn:
            store.create("note", case, {"text": "into a file about to go"}, conn=conn)
            _gone(path)  # the commit goes to the removed file

    with pytest.raises((DatabaseFailure, SaveNotKept)):
        save_while_the_file_goes()
    assert not path.exists()


def test_a_file_replaced_by_a_restored_copy_is_saved_into_the_copy_not_the_old_file(store, case, tmp_path):
    path = Path(store.engine.url.database.removeprefix("file:"))
    store.create("note", case, {"text": "first"})
    with store.engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    backup = tmp_path / "backup.sqlite"
    shutil.copy(path, backup)
    _gone(path)
    shutil.copy(backup, path)  # restored from the backup while the app was open
    store.create("note", case, {"text": "second"})
    texts = [r.body["text"] for r in Store.open(f"sqlite:///{path}").current("note", case)]
    assert texts == ["first", "second"]


def test_the_chronology_app_says_beside_add_entry_when_the_database_file_is_gone(demo_file, tmp_path):
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    app = ChronologyApp(Store.open(f"sqlite:///{copy}", user="sw.one"))
    app.select_case("fenwick")
    app.form.fill({"event_date": "03/03/2024", "recorded_date": "04/03/2024", "agency": "school",
                   "category": "attendance", "description": "Seen at the gate, hungry."}, ["maisie"])
    _gone(copy)
    app.save_button.click()
    assert "Could not save the entry: the database could not be reached. Nothing was saved; your text is kept." \
        in app.form_message.value
    assert "Entry added" not in app.form_message.value
    assert app.form.fields["description"].value == "Seen at the gate, hungry."
    assert not copy.exists()


def _save_after_waiting(url: str, opened, ready, results) -> None:
    store = Store.open(url, user="second")
    opened.set()
    ready.wait()
    started = time.monotonic()
    try:
        store.create("note", "c", {"text": "saved by the second writer"})
        results.put(("saved", time.monotonic() - started))
    except Exception as exc:
        results.put(("failed", f"{type(exc).__name__}: {exc}"))


def test_a_writer_meeting_a_long_import_waits_for_it_rather_than_failing_locked(tmp_path):
    """A 200,000-row import holds the lock for several seconds; the writer behind it waited 10 s and failed."""
    url = f"sqlite:///{tmp_path / 'kit.sqlite'}"
    store = Store.open(url, user="importer", create=True)
    store.create_case("c", "Case")
    ctx = mp.get_context("spawn")
    opened, ready, results = ctx.Event(), ctx.Event(), ctx.Queue()
    second = ctx.Process(target=_save_after_waiting, args=(url, opened, ready, results))
    second.start()
    assert opened.wait(60)
    held = 11.0  # longer than the 10 s the other writer used to wait
    with store.transaction() as conn:
        store.create("note", "c", {"text": "the long import"}, conn=conn)
        ready.set()
        threading.Event().wait(held)
    second.join(90)
    outcome, detail = results.get(timeout=5)
    assert outcome == "saved", detail
    assert detail > held - 1  # it did wait for the whole import
    assert sorted(r.body["text"] for r in store.current("note", "c")) == ["saved by the second writer",
                                                                           "the long import"]


def test_an_app_opened_on_no_database_says_so_without_the_servers_paths(tmp_path, monkeypatch):
    monkeypatch.setenv("NEGLECT_KIT_DB", f"sqlite:///{tmp_path / 'missing.sqlite'}")
    monkeypatch.delenv("NEGLECT_KIT_STRICT", raising=False)
    page = ChronologyApp.open().widget.value
    assert "The database: there is no database here" in page
    assert str(tmp_path) not in page and "missing.sqlite" not in page
    assert not (tmp_path / "missing.sqlite").exists()


def test_an_import_killed_while_it_writes_leaves_nothing_of_itself_and_can_be_run_again(tmp_path):
    """kill -9 in the middle of the write: the database opens whole, holds none of the file's rows and no record
    of the import, and the same import then saves every row."""
    import os
    import signal
    import subprocess
    import sys

    rows = 6000
    path = tmp_path / "kit.sqlite"
    env = {**os.environ, "NEGLECT_KIT_DB": f"sqlite:///{path}"}
    store = Store.open(f"sqlite:///{path}", create=True)
    store.create_case("oak", "The Oak family")
    store.add_person("oak", "mia", kind="child", name="Mia Oak", date_of_birth=date(2018, 1, 1))
    log = tmp_path / "school.csv"
    log.write_text("Date,Child,Type,Details\n" + "".join(
        f"{1 + i % 28:02d}/{1 + i // 28 % 12:02d}/{2019 + i // 2000},Mia,Attendance,Absent: no reason given ({i}).\n"
        for i in range(rows)))
    wal = path.with_name(path.name + "-wal")
    command = [sys.executable, "-m", "neglect_kit.cli", "import", "--case", "oak", "--agency", "School", str(log)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store.engine.dispose()  # no connection of ours keeps the WAL from being checkpointed
    baseline = wal.stat().st_size if wal.exists() else 0
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > baseline + 64 * 1024:  # its rows are going in
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.002)
    assert proc.wait(30) == -signal.SIGKILL, "the import finished before it could be killed while writing"
    with sqlite3.connect(path) as c:
        assert c.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    after = Store.open(f"sqlite:///{path}")
    assert stored_entries(after, "oak") == [] and after.imports("oak") == []
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert len(stored_entries(after, "oak")) == rows

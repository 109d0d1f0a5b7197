"""The one guard of widget actions: a failure is told beside its control in plain words, the user's text stays,
nothing is saved, and the traceback (paths, SQL, the record's text) goes to the server's log, never the page."""

import logging
import re
import shutil
import sqlite3

import ipywidgets as w
import pytest
import sqlalchemy as sa
from test_chronology_app import SAMPLES, upload
from test_session_app import write_session

from neglect_kit.apps.actions_escalation import ActionsEscalationApp
from neglect_kit.apps.assessment import AssessmentApp
from neglect_kit.apps.case_list import CaseListApp
from neglect_kit.apps.child_summary import ChildSummaryApp
from neglect_kit.apps.chronology import ChronologyApp
from neglect_kit.apps.day_in_the_life import DayApp
from neglect_kit.apps.reflective_session import ReflectiveSessionApp
from neglect_kit.apps.screening import ScreeningApp
from neglect_kit.assessment.model import ASSESSMENT_KIND
from neglect_kit.casefolders.case_folder import load_case_folder
from neglect_kit.chronology.records import stored_entries
from neglect_kit.store import Forbidden, NotFound, Store
from neglect_kit.supervision import records
from neglect_kit.ui.guard import GUARDED, ServerLog, failure_message, guard

SECRET = "Maisie said Donna hit her with a belt at 9pm"  # a record's words: never on the page


@pytest.fixture
def db(demo_file, tmp_path):
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    return f"sqlite:///{copy}"


def read_only(store: Store) -> None:
    """Every connection from now on refuses writes, as a database file the server may not write does."""
    sa.event.listen(store.engine, "connect", lambda conn, _record: conn.execute("PRAGMA query_only=ON"))
    store.engine.dispose()


def assert_told_plainly(message: str, what: str, caplog, *, secret: str = SECRET) -> None:
    """The failure is an alert in words naming what failed; the log has the traceback; the page has no path,
    no SQL and none of the record's words."""
    assert 'role="alert"' in message, message
    assert f"Could not {what}: " in message and "Tell your administrator." in message, message
    words = re.sub(r"<[^>]*>", "", message)
    for leak in ("/", "\\", "INSERT", "SELECT", "UPDATE", "sqlite", "Traceback", ".py", secret):
        assert leak not in words, (leak, words)
    failed = [r for r in caplog.records if r.name == "neglect_kit" and r.exc_info]
    assert failed and f"widget action failed: {what}" in failed[-1].getMessage()
    assert "Traceback" in caplog.text


def test_a_chronology_entry_the_database_refuses_is_said_beside_add_entry_and_the_text_kept(db, caplog):
    app = ChronologyApp(Store.open(db, user="sw.one"))
    app.select_case("fenwick")
    before = len(stored_entries(app.store, "fenwick"))
    app.form.fill({"event_date": "03/03/2024", "recorded_date": "04/03/2024", "agency": "school",
                   "category": "attendance", "description": SECRET}, ["maisie"])
    read_only(app.store)
    app.save_button.click()
    assert_told_plainly(app.form_message.value, "save the entry", caplog)
    assert ("Could not save the entry: the database refused the write. Nothing was saved; your text is kept. "
            "Tell your administrator.") in app.form_message.value
    assert app.form.fields["description"].value == SECRET
    assert len(stored_entries(Store.open(db, user="sw.one"), "fenwick")) == before
    assert "attempt to write a readonly database" in caplog.text  # the log keeps the driver's own words


def test_an_assessment_the_database_refuses_is_said_beside_save_and_the_grades_kept(store, caplog):
    load_case_folder(store, SAMPLES / "dunmore", valid_only=True)
    app = AssessmentApp(store)
    before = len(store.current(ASSESSMENT_KIND, "dunmore"))
    row = app.form.rows["food"]
    row.grade.value, row.evidence.value = "2", SECRET
    read_only(store)
    app.save_button.click()  # the other sub-areas left ungraded: the worker confirms
    app.confirm_button.click()
    assert_told_plainly(app.message.value, "save the assessment", caplog)
    assert "the database refused the write. Nothing was saved; your text is kept." in app.message.value
    assert (row.grade.value, row.evidence.value) == ("2", SECRET)
    assert len(Store.open(store.engine.url.render_as_string(), user="x").current(ASSESSMENT_KIND, "dunmore")) == before


def test_a_supervision_record_that_fails_to_save_is_said_beside_save_and_the_words_kept(db, caplog):
    app = ReflectiveSessionApp(Store.open(db, user="Nadia Brook"))
    app.select_case("fenwick")
    write_session(app)
    app.form.stages["experience"].value = SECRET
    before = len(records.sessions(app.store, "fenwick"))
    read_only(app.store)
    app.save_button.click()
    assert_told_plainly(app.message.value, "save the record", caplog)
    assert app.form.stages["experience"].value == SECRET
    assert len(records.sessions(Store.open(db, user="x"), "fenwick")) == before


def test_an_import_check_that_cannot_read_the_case_is_said_beside_check_and_the_file_kept(db, caplog, monkeypatch):
    app = ChronologyApp(Store.open(db, user="sw.one"))
    app.select_case("fenwick")
    before = len(stored_entries(app.store, "fenwick"))
    upload(app, "school-2023.csv", f"Date,Child,Type,What happened\n06/01/2023,Maisie,Attendance,{SECRET}\n")
    app.imports.agency.value = "school"
    failure = sa.exc.OperationalError("SELECT imports.filename FROM imports WHERE imports.case_id = ?", ("fenwick",),
                                      sqlite3.OperationalError("disk I/O error"))

    def broken(*_args, **_kwargs):
        raise failure

    monkeypatch.setattr(app.store, "imports", broken)
    app.imports.check_button.click()
    assert_told_plainly(app.imports.result.value, "check the files", caplog)
    assert "the database reported a fault. Nothing was changed." in app.imports.result.value
    assert app.imports.upload.value and app.imports.agency.value == "school"
    assert app.imports.import_all.disabled and app.imports.import_valid.disabled
    assert len(stored_entries(app.store, "fenwick")) == before


def test_the_words_follow_what_failed_and_claim_no_save_they_cannot_know():
    locked = sa.exc.OperationalError("INSERT INTO records", {}, sqlite3.OperationalError("database is locked"))
    assert failure_message("save the day", locked, writes=True) == (
        "Could not save the day: the database was busy with another save. Nothing was saved; your text is kept. "
        "Tell your administrator.")
    # signing saves, signs and closes the reviewed actions: a failure may come after the first of them
    assert "It may not have been saved; your text is kept" in failure_message("sign the record", locked, writes=True,
                                                                              whole=False)
    # a failure not from the database may have come after the save: the message does not say nothing was saved
    assert failure_message("save the day", KeyError("/srv/kit/x.py"), writes=True) == (
        "Could not save the day: the kit met an error it did not expect. It may not have been saved; your text is "
        "kept, so check before saving again. Tell your administrator.")
    assert failure_message("show the chronology", OSError(13, "denied", "/srv/kit/kit.sqlite"), writes=False) == (
        "Could not show the chronology: a file the kit needs could not be read or written. Nothing was changed. "
        "Tell your administrator.")
    # a team's database refused the write: its own words (what the role or caseload does not allow), rolled back
    refused = Forbidden("your role does not allow you to write case records there: the case is not in your caseload")
    assert failure_message("save the entry", refused, writes=True) == (
        "Could not save the entry: your role does not allow you to write case records there: the case is not in "
        "your caseload. Nothing was saved; your text is kept. If your role should allow it, ask your administrator.")
    # a case gone from under an open app (removed, or taken off the caseload): said without the ids it lists
    gone = NotFound("no case 'dunmore' (cases: fenwick)")
    assert failure_message("save the entry", gone, writes=True) == (
        "Could not save the entry: the case or record is no longer there for you (removed, or taken off your "
        "caseload). Nothing was saved; your text is kept. If your role should allow it, ask your administrator.")


def test_an_observed_change_that_fails_is_said_too_and_nothing_escapes():
    where = w.HTML()
    box = w.Text()

    def explode(_change):
        raise RuntimeError("/home/sw/kit.sqlite: " + SECRET)

    box.observe(guard("show the chronology", where, explode), names="value")
    box.value = "typed"  # would raise out of the setter, to the browser in a kernel, without the guard
    assert where.value.startswith('<p role="alert"') and SECRET not in where.value
    assert box.value == "typed"


def test_the_log_goes_to_the_servers_own_stderr_not_the_kernels_forwarded_one(monkeypatch, tmp_path):
    # inside a kernel sys.stderr is forwarded to the browser; ipykernel keeps the real descriptor as this copy
    real = tmp_path / "server.log"
    with real.open("wb") as sink:
        class Forwarded:
            _original_stdstream_copy = sink.fileno()

            def write(self, _text):
                raise AssertionError("the log went to the browser")

        monkeypatch.setattr("sys.stderr", Forwarded())
        handler = ServerLog()
        handler.emit(logging.LogRecord("neglect_kit", logging.ERROR, "x", 1, "widget action failed", None, None))
        handler.stream.flush()
    assert "widget action failed" in real.read_text()


def apps(db: str):
    """Every app as the notebooks open it, with a case chosen so the panels drawn per case are there too."""
    store = Store.open(db, user="Nadia Brook")
    chronology = ChronologyApp(store)
    chronology.select_case("fenwick")
    for section in chronology.sections:  # the panels built on first opening, opened as a user would
        section.button.click()
    session = ReflectiveSessionApp(store)
    session.select_case("fenwick")
    return [chronology, session, AssessmentApp(store), ScreeningApp(store), DayApp(store), ChildSummaryApp(store),
            ActionsEscalationApp(store), CaseListApp(store)]


def widgets(widget):
    yield widget
    for child in getattr(widget, "children", None) or ():
        yield from widgets(child)


def test_every_button_and_every_observer_of_every_app_runs_through_the_guard(db):
    buttons = kit_observers = 0
    for app in apps(db):
        for widget in widgets(app.widget):
            if isinstance(widget, w.Button):
                handlers = widget._click_handlers.callbacks
                buttons += bool(handlers)
                unguarded = [h for h in handlers if not hasattr(h, GUARDED)]
                assert not unguarded, f"{type(app).__name__}: button '{widget.description}' skips the guard"
            for by_type in widget._trait_notifiers.values():
                for handler in [h for hs in by_type.values() for h in hs]:
                    if getattr(handler, "__module__", "").startswith("neglect_kit"):
                        kit_observers += 1
                        assert hasattr(handler, GUARDED), f"{type(app).__name__}: an observer of " \
                                                          f"'{getattr(widget, 'description', '')}' skips the guard"
    assert buttons >= 30 and kit_observers >= 30  # the walk really reached the apps' controls


def test_an_app_that_cannot_open_says_why_in_words_not_in_sql(store, caplog):
    from neglect_kit.ui.panels import open_app

    def build(_store, _person):
        raise sa.exc.OperationalError("SELECT records.body FROM records WHERE records.case_id = ?", (SECRET,),
                                      sqlite3.OperationalError("unable to open database file"))

    panel = open_app(build, "The chronology app could not be opened", store, name="Chronology").widget.value
    assert "The chronology app could not be opened" in panel and "The database could not be reached." in panel
    assert "SELECT" not in panel and SECRET not in panel
    assert "SELECT records.body" in caplog.text  # the server's log has it all


def test_an_app_with_a_wrong_setting_names_the_key_not_where_the_file_is(store, tmp_path, monkeypatch):
    from neglect_kit.config import settings

    path = tmp_path / "private-folder" / "settings.toml"
    path.parent.mkdir()
    path.write_text("[record_shares]\nimpact_min = 7.5\n")
    monkeypatch.setenv("NEGLECT_KIT_SETTINGS", str(path))
    settings.cache_clear()
    try:
        panel = ChronologyApp.open(store).widget.value
    finally:
        settings.cache_clear()
    assert "The settings file: record_shares.impact_min must be a share from 0 to 1" in panel
    assert "private-folder" not in panel and str(tmp_path) not in panel


def test_inside_a_kernel_the_kits_log_never_reaches_a_root_handler_that_writes_to_the_browser(monkeypatch):
    from neglect_kit.ui import guard as guard_module

    class KernelStderr:  # ipykernel's forwarded stream keeps the real descriptor here
        _original_stdstream_copy = 2

    monkeypatch.setattr(guard_module.log, "propagate", True)
    monkeypatch.setattr("sys.stderr", KernelStderr())
    guard_module._server_log()
    assert guard_module.log.propagate is False

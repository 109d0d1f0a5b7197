"""A team's PostgreSQL database: each person's reads and writes, held by PostgreSQL itself.

Each test makes a database a team's (`server init`), adds login roles named for the test's database (roles are the
server's, shared by every database), fills it as the superuser, then connects as each person, with plain SQL (the
server trusts its unix socket, so any login connects without a password) and through the store, and checks what
PostgreSQL lets them read and write.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from pg_server import TeamLogins

from neglect_kit.cli import main
from neglect_kit.store import DatabaseUnusable, Forbidden, NotFound, Store, StoreError, team
from neglect_kit.store.identity import ADMINISTRATOR, ONE_PERSON, PRACTITIONER, RESEARCHER, SUPERVISOR, Person
from neglect_kit.supervision import records
from neglect_kit.supervision.session import Signature, SupervisionSession

psycopg = pytest.importorskip("psycopg")

CASE_TABLES = ("cases", "people", "plans", "records", "record_heads", "imports")
WELLBEING = "Pat is stretched this month."
# who is who: (short name, role, team, display name)
PEOPLE = (("pat", PRACTITIONER, "north", "Pat Green"), ("kim", PRACTITIONER, "north", "Kim Lowe"),
          ("sam", SUPERVISOR, "north", "Sam Boyd"), ("sid", SUPERVISOR, "north", "Sid Marsh"),
          ("sue", SUPERVISOR, "south", "Sue Amos"), ("rex", RESEARCHER, "", "Rex Hale"),
          ("ada", ADMINISTRATOR, "", "Ada Quinn"))


@dataclass
class Team(TeamLogins):
    """A team's database filled with three cases: north1 (Pat's), north2 (Kim's), south1 (the south team's)."""

    session_id: str = ""
    note_id: str = ""

    def cases_in(self, short: str, table: str) -> set[str]:
        column = "id" if table == "cases" else "case_id"
        return {r[0] for r in self.rows(short, f"SELECT {column} FROM {table}")}


def _session(**more: object) -> SupervisionSession:
    return SupervisionSession(session_type="case", held_on=date(2026, 11, 2), supervisor="Sam Boyd",
                              worker="Pat Green", cases=["north1"], wellbeing=WELLBEING, **more)


@pytest.fixture
def team_db(pg_server) -> Iterator[Team]:
    url = pg_server.new_database()
    prefix = sa.make_url(url).database + "_"
    try:
        team.server_init(url)
        t = Team(pg_server, url, prefix)
        for short, role, their_team, name in PEOPLE:
            team.add_user(url, t.login(short), role, team=their_team, display_name=name)
        boss = Store.open(url)  # the superuser
        for case_id, case_team in (("north1", "north"), ("north2", "north"), ("south1", "south")):
            boss.create_case(case_id, f"Case {case_id}")
            boss.add_person(case_id, "child", kind="child", name=f"Child of {case_id}", date_of_birth=date(2019, 1, 1))
            boss.add_plan(case_id, "child", type="cp", start=date(2026, 1, 5))
            boss.create("chronology_entry", case_id, {"text": f"seen at home ({case_id})"})
            boss.record_import(case_id, "school.csv", case_id.ljust(64, "0"), "school", 1)
            team.set_case_team(url, case_id, case_team)
        team.assign(url, "north1", t.login("pat"))
        team.assign(url, "north2", t.login("kim"))
        t.session_id = records.save_session(boss, _session(), None, "draft").record_id
        t.note_id = boss.create("chronology_entry", "north1", {"text": "a note"}).record_id
        boss.engine.dispose()
        yield t
    finally:
        pg_server.drop_with_logins(url, prefix)


def _new_version(t: Team, short: str, record_id: str, body: dict) -> None:
    """Save a new version of a record with plain SQL, as the store does: move the head, write the version."""
    with t.sql(short) as c, c.transaction():
        version = c.execute("SELECT version FROM record_heads WHERE record_id = %s", (record_id,)).fetchone()[0]
        kind, case_id = c.execute("SELECT kind, case_id FROM records WHERE record_id = %s LIMIT 1",
                                  (record_id,)).fetchone()
        c.execute("UPDATE record_heads SET version = version + 1 WHERE record_id = %s", (record_id,))
        c.execute("INSERT INTO records (record_id, version, kind, case_id, status, body, created_at, created_by) "
                  "VALUES (%s, %s, %s, %s, 'active', %s, now(), %s)",
                  (record_id, version + 1, kind, case_id, json.dumps(body), t.login(short)))


def _session_body(t: Team) -> dict:
    return json.loads(t.rows("pat", "SELECT body FROM records WHERE record_id = %s ORDER BY version DESC LIMIT 1",
                             t.session_id)[0][0])


def _signature(who: str, role: str) -> dict:
    return {"who": who, "role": role, "signed_at": "2026-11-03T10:00:00Z"}


# reading by caseload -----------------------------------------------------------------------------------------

def test_a_practitioner_reads_only_the_cases_assigned_to_them(team_db):
    for table in CASE_TABLES:
        assert team_db.cases_in("pat", table) == {"north1"}, table
        assert team_db.cases_in("kim", table) == {"north2"}, table


def test_a_supervisor_reads_their_teams_cases_and_no_others(team_db):
    for table in CASE_TABLES:
        assert team_db.cases_in("sam", table) == {"north1", "north2"}, table
        assert team_db.cases_in("sue", table) == {"south1"}, table


def test_a_supervisor_also_reads_a_case_assigned_to_them_from_another_team(team_db):
    team.assign(team_db.url, "south1", team_db.login("sam"))
    assert team_db.cases_in("sam", "records") == {"north1", "north2", "south1"}


@pytest.mark.parametrize("short", ["rex", "ada"])
def test_a_researcher_and_an_administrator_read_no_case_row(team_db, short):
    for table in CASE_TABLES:
        with team_db.sql(short) as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute(f"SELECT count(*) FROM {table}")
    # the team's staff list is theirs to read
    assert len(team_db.rows(short, "SELECT username FROM staff")) == len(PEOPLE)


def test_a_login_in_a_group_but_not_on_the_staff_reads_and_manages_nothing(team_db, pg_server):
    # group roles are the server's: a login may be in one for another database, with no staff row in this one
    with psycopg.connect(host=str(pg_server.folder), dbname="postgres", user="postgres", autocommit=True) as c:
        c.execute(f'CREATE ROLE "{team_db.login("eve")}" LOGIN IN ROLE nk_practitioner, nk_supervisor')
        c.execute(f'CREATE ROLE "{team_db.login("eva")}" LOGIN IN ROLE nk_admin')
    for table in CASE_TABLES:
        assert team_db.cases_in("eve", table) == set(), table
    with pytest.raises(Forbidden, match=f"{team_db.login('eve')} is not one of this team's staff"):
        team_db.store("eve").person()
    assert team_db.rows("eva", "SELECT * FROM case_assignments") == []
    with team_db.sql("eva") as c:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            c.execute("INSERT INTO case_assignments VALUES ('north2', %s, now(), 'x')", (team_db.login("pat"),))
        for call in ("nk_remove_case('north2', 'x')", "nk_set_case_team('north2', 'south')"):
            with pytest.raises(psycopg.Error, match="your role does not allow you to"):
                c.execute(f"SELECT {call}")
    assert team_db.cases_in("kim", "cases") == {"north2"} and team_db.cases_in("sue", "cases") == {"south1"}


def test_a_removed_person_can_no_longer_sign_in_and_their_records_stay(team_db):
    with team_db.sql("pat") as c:
        c.execute("INSERT INTO records (record_id, version, kind, case_id, status, body, created_at, created_by) "
                  "VALUES ('patsnote', 1, 'chronology_entry', 'north1', 'active', '{}', now(), 'x');"
                  "INSERT INTO record_heads VALUES ('patsnote', 'chronology_entry', 'north1', 1, 'active')")
    team.remove_user(team_db.url, team_db.login("pat"))
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        team_db.sql("pat")
    assert team_db.rows("sam", "SELECT created_by FROM records WHERE record_id = 'patsnote'") == [
        (team_db.login("pat"),)]


# writing: append-only records, heads only forward, the author the database's ---------------------------------

def test_no_one_changes_or_removes_a_saved_record(team_db):
    for short in ("pat", "sam"):
        with team_db.sql(short) as c:
            for statement in ("UPDATE records SET body = '{}'", "DELETE FROM records",
                              "DELETE FROM record_heads", "UPDATE record_heads SET kind = 'other'"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    c.execute(statement)


def test_a_records_head_only_moves_on_to_its_next_version(team_db):
    _new_version(team_db, "pat", team_db.note_id, {"text": "second"})
    with team_db.sql("pat") as c:
        with pytest.raises(psycopg.Error, match="only moves on to its next one"):
            c.execute("UPDATE record_heads SET version = 1 WHERE record_id = %s", (team_db.note_id,))
        # moved on without its version written: refused at commit
        with pytest.raises(psycopg.Error, match="was never written"):
            c.execute("UPDATE record_heads SET version = 3 WHERE record_id = %s", (team_db.note_id,))
        # a version written out of order, under no head
        with pytest.raises(psycopg.Error, match="not the next version"):
            c.execute("INSERT INTO records (record_id, version, kind, case_id, status, body, created_at, created_by) "
                      "VALUES (%s, 7, 'chronology_entry', 'north1', 'active', '{}', now(), 'x')", (team_db.note_id,))
    assert team_db.rows("sam", "SELECT version FROM record_heads WHERE record_id = %s", team_db.note_id) == [(2,)]


def test_a_practitioner_writes_nothing_into_a_case_outside_their_caseload(team_db):
    with team_db.sql("pat") as c:
        for statement in (
                "INSERT INTO records (record_id, version, kind, case_id, status, body, created_at, created_by) "
                "VALUES ('sneak', 1, 'chronology_entry', 'north2', 'active', '{}', now(), 'x')",
                "INSERT INTO record_heads VALUES ('sneak', 'chronology_entry', 'north2', 1, 'active')",
                "INSERT INTO people (case_id, id, kind, name, known_as, relationships, created_at, created_by) "
                "VALUES ('north2', 'gran', 'adult', 'Gran', '[]', '{}', now(), 'x')",
                "INSERT INTO plans (case_id, child_id, type, start, risk_factors, needs, created_at, created_by) "
                "VALUES ('north2', 'child', 'cp', '2026-01-01', '[]', '[]', now(), 'x')",
                "INSERT INTO imports (case_id, filename, sha256, rows_written, created_at, created_by) "
                "VALUES ('north2', 'x.csv', 'ab', 0, now(), 'x')"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
                c.execute(statement)
        assert c.execute("UPDATE imports SET undone_id = id WHERE case_id = 'north2'").rowcount == 0
    assert team_db.rows("kim", "SELECT undone_id FROM imports") == [(0,)]


def test_the_author_of_every_row_is_the_person_connected_whatever_they_send(team_db):
    sam = team_db.login("sam")
    with team_db.sql("pat") as c, c.transaction():
        c.execute("INSERT INTO records (record_id, version, kind, case_id, status, body, created_at, created_by) "
                  "VALUES ('forged', 1, 'chronology_entry', 'north1', 'active', '{}', now(), %s)", (sam,))
        c.execute("INSERT INTO record_heads VALUES ('forged', 'chronology_entry', 'north1', 1, 'active')")
        c.execute("INSERT INTO people (case_id, id, kind, name, known_as, relationships, created_at, created_by) "
                  "VALUES ('north1', 'gran', 'adult', 'Gran', '[]', '{}', now(), %s)", (sam,))
        c.execute("UPDATE imports SET undone_id = id, undone_by = %s, undo_reason = 'wrong file'", (sam,))
    pat = team_db.login("pat")
    assert team_db.rows("sam", "SELECT created_by FROM records WHERE record_id = 'forged'") == [(pat,)]
    assert team_db.rows("sam", "SELECT created_by FROM people WHERE id = 'gran'") == [(pat,)]
    assert team_db.rows("sam", "SELECT undone_by FROM imports WHERE case_id = 'north1'") == [(pat,)]


# supervision signatures and wellbeing notes ----------------------------------------------------------------

def test_a_practitioner_cannot_sign_as_the_supervisor(team_db):
    body = _session_body(team_db)
    with pytest.raises(psycopg.Error, match="only Sam Boyd, the supervisor this record names, may sign it"):
        _new_version(team_db, "pat", team_db.session_id, body | {"signatures": [_signature("Sam Boyd", "supervisor")]})
    # signed in a name that is not theirs, as the worker
    team.assign(team_db.url, "north1", team_db.login("kim"))
    with pytest.raises(psycopg.Error, match="only Pat Green"):
        _new_version(team_db, "kim", team_db.session_id, body | {"signatures": [_signature("Pat Green", "worker")]})
    assert _session_body(team_db)["signatures"] == []


def test_each_signs_for_themselves_and_no_signature_is_changed_or_removed(team_db):
    body = _session_body(team_db)
    worker, boss = _signature("Pat Green", "worker"), _signature("Sam Boyd", "supervisor")
    _new_version(team_db, "pat", team_db.session_id, body | {"signatures": [worker]})
    _new_version(team_db, "sam", team_db.session_id, body | {"signatures": [worker, boss]})
    assert _session_body(team_db)["signatures"] == [worker, boss]
    for changed in ([worker], [], [worker, boss | {"signed_at": "2026-11-04T09:00:00Z"}], [boss, worker]):
        with pytest.raises(psycopg.Error, match="never changed or removed"):
            _new_version(team_db, "pat", team_db.session_id, body | {"signatures": changed})
    assert _session_body(team_db)["signatures"] == [worker, boss]


def test_a_practitioner_named_as_supervisor_still_cannot_sign_as_one(team_db):
    body = _session_body(team_db) | {"supervisor": "Kim Lowe"}
    _new_version(team_db, "pat", team_db.session_id, body)
    team.assign(team_db.url, "north1", team_db.login("kim"))
    with pytest.raises(psycopg.Error, match=r"your role \(practitioner\) does not allow you to sign as a session's "
                                            "supervisor"):
        _new_version(team_db, "kim", team_db.session_id, body | {"signatures": [_signature("Kim Lowe", "supervisor")]})


def test_a_draft_signed_by_one_loses_that_signature_only_when_it_is_edited(team_db):
    body = _session_body(team_db)
    _new_version(team_db, "pat", team_db.session_id, body | {"signatures": [_signature("Pat Green", "worker")]})
    with pytest.raises(psycopg.Error, match="never changed or removed"):  # nothing else changed
        _new_version(team_db, "sam", team_db.session_id, body)
    _new_version(team_db, "sam", team_db.session_id, body | {"escalation_note": "edited"})
    assert _session_body(team_db)["signatures"] == []


def test_wellbeing_notes_are_read_only_by_the_sessions_supervisor_and_worker(team_db):
    query = "SELECT body FROM records WHERE kind = 'supervision_wellbeing'"
    for short in ("pat", "sam"):
        [(body,)] = team_db.rows(short, query)
        assert json.loads(body)["text"] == WELLBEING
    for short in ("sid", "kim", "sue"):  # sid supervises the same team; kim and sue see other cases
        assert team_db.rows(short, query) == []
    team.assign(team_db.url, "north1", team_db.login("kim"))
    assert team_db.rows("kim", query) == []
    assert len(team_db.rows("kim", "SELECT * FROM records WHERE record_id = %s", team_db.session_id)) == 1
    with team_db.sql("sid") as c, pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        c.execute("INSERT INTO records (record_id, version, kind, case_id, status, body, created_at, created_by) "
                  "VALUES ('w2', 1, 'supervision_wellbeing', 'north1', 'active', %s, now(), 'x')",
                  (json.dumps({"supervisor": "Sam Boyd", "worker": "Pat Green", "text": "a forged note"}),))


# through the store ------------------------------------------------------------------------------------------

def test_the_sessions_worker_changes_the_wellbeing_notes_through_the_store(team_db):
    pat = team_db.store("pat")  # signed in as their login; the session names them by their display name
    [stored] = records.sessions(pat, "north1")
    mine = records.with_wellbeing(pat, stored, "Pat Green")
    records.save_session(pat, mine.model_copy(update={"wellbeing": "Better this month."}), stored, "my notes")
    [now] = records.sessions(team_db.store("sam"), "north1")
    assert records.wellbeing(team_db.store("sam"), now, "Sam Boyd") == "Better this month."


def test_the_store_knows_who_is_connected(team_db):
    pat = team_db.store("pat")
    assert pat.user == team_db.login("pat")
    assert pat.person() == Person(team_db.login("pat"), "Pat Green", PRACTITIONER, "north")
    assert team_db.store("ada").person().role == ADMINISTRATOR
    boss = Store.open(team_db.url)
    assert boss.on_a_team and boss.person().role == ONE_PERSON  # the superuser, whom nothing binds


def test_a_practitioner_saves_through_the_store_as_on_their_own_database(team_db):
    pat = team_db.store("pat")
    assert [c["id"] for c in pat.cases()] == ["north1"]
    made = pat.create("chronology_entry", "north1", {"text": "visit"})
    assert made.created_by == team_db.login("pat")
    pat.update(made.record_id, 1, {"text": "visit, edited"})
    pat.withdraw(made.record_id, 2, "entered twice")
    assert [(v.version, v.status, v.created_by) for v in pat.history(made.record_id)] == [
        (1, "active", pat.user), (2, "active", pat.user), (3, "withdrawn", pat.user)]
    number = pat.record_import("north1", "health.csv", "ef" * 32, "health", 2)
    with pat.transaction() as c:
        pat.mark_import_undone("north1", number, "wrong child", conn=c)
    assert [i["undone_by"] for i in pat.imports("north1") if i["id"] == number] == [pat.user]
    plan = pat.add_plan("north1", "child", type="cin", start=date(2026, 2, 1))
    assert plan in [p["id"] for p in pat.plans("north1")]
    pat.create_case("north3", "A case Pat opens")  # theirs, and their team's
    assert [c["id"] for c in pat.cases()] == ["north1", "north3"]
    assert "north3" in [c["id"] for c in team_db.store("sam").cases()]


def test_the_store_refuses_in_words_what_a_role_may_not_do(team_db):
    with pytest.raises(Forbidden, match=r"^your role does not allow you to read cases$"):
        team_db.store("rex").cases()
    with pytest.raises(NotFound, match="no case 'north2'"):  # outside the caseload: not there at all
        team_db.store("pat").create("chronology_entry", "north2", {"text": "x"})
    with pytest.raises(NotFound):
        team_db.store("pat").get(team_db.store("kim").current("chronology_entry", "north2")[0].record_id)
    with pytest.raises(Forbidden, match="remove a case"):
        team_db.store("sam").remove_case("north1", "loaded twice")
    kim = team_db.store("kim")
    team.assign(team_db.url, "north1", kim.user)
    [stored] = records.sessions(kim, "north1")
    forged = stored.model.model_copy(update={"signatures": [
        Signature(who="Sam Boyd", role="supervisor", signed_at=datetime(2026, 11, 3, tzinfo=UTC))]})
    with pytest.raises(Forbidden, match=r"^only Sam Boyd, the supervisor this record names, may sign it as supervisor"):
        records.save_session(kim, forged, stored, "signed for Sam")
    assert records.sessions(kim, "north1")[0].version == stored.version  # nothing of it saved


def test_an_administrator_removes_a_case_they_cannot_read_and_the_audit_keeps_them(team_db):
    ada = team_db.store("ada")
    counts = ada.remove_case("north2", "loaded by mistake")
    assert counts == {"people": 1, "plans": 1, "imports": 1, "chronology_entry": 1}
    assert team_db.cases_in("sam", "cases") == {"north1"}
    assert [(r["case_id"], r["created_by"]) for r in ada.removals()] == [("north2", ada.user)]
    with pytest.raises(NotFound, match="no case 'north2'"):
        ada.remove_case("north2", "again")


def test_an_administrator_removes_a_case_with_the_command(team_db, monkeypatch):
    monkeypatch.setenv("NEGLECT_KIT_DB", team_db.url_of("ada"))
    code, out, _ = _run("remove", "--case", "north2", "--reason", "loaded by mistake", "--yes")
    assert code == 0 and "Case north2 removed (people 1, plans 1, imports 1, chronology entry records 1)" in out
    code, _, err = _run("remove", "--case", "north2", "--reason", "again", "--yes")
    assert code == 2 and err.strip() == "neglect-kit remove: no case 'north2'"
    monkeypatch.setenv("NEGLECT_KIT_DB", team_db.url_of("pat"))
    code, _, err = _run("remove", "--case", "north1", "--reason", "mine", "--yes")
    assert code == 2 and err.strip() == "neglect-kit remove: your role does not allow you to remove a case"


def test_a_login_opening_an_older_team_database_is_told_who_upgrades_it(team_db):
    with psycopg.connect(host=str(team_db.server.folder), dbname=sa.make_url(team_db.url).database,
                         user="postgres", autocommit=True) as c:
        c.execute("UPDATE alembic_version SET version_num = '0002'")
    with pytest.raises(DatabaseUnusable, match="ask them to run `neglect-kit server init`"):
        team_db.store("pat")


# server init and the commands -------------------------------------------------------------------------------

def test_server_init_twice_leaves_the_same_rules(team_db):
    def rules() -> list[tuple]:
        return team_db.rows("postgres", "SELECT tablename, policyname, cmd, roles::text FROM pg_policies "
                            "ORDER BY 1, 2") + team_db.rows(
            "postgres", "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE tgname LIKE 'nk%' ORDER BY 1, 2")
    before = rules()
    team.server_init(team_db.url)
    assert rules() == before and len(before) > 30
    assert team_db.cases_in("pat", "records") == {"north1"}
    assert team_db.rows("postgres", "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public' "
                        "AND tablename <> 'alembic_version'") == [("nk_owner",)]
    assert team_db.rows("postgres", "SELECT bool_and(relrowsecurity AND relforcerowsecurity) FROM pg_class "
                        "WHERE relname IN ('cases', 'records', 'staff', 'case_assignments')") == [(True,)]


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_server_init_is_refused_to_a_login_and_to_sqlite(team_db, tmp_path):
    code, _, err = _run("server", "init", "--db", team_db.url_of("ada"))
    assert code == 2 and "must be run by a PostgreSQL superuser (connected as" in err
    code, _, err = _run("server", "init", "--db", f"sqlite:///{tmp_path / 'kit.sqlite'}")
    assert code == 2 and "is not PostgreSQL" in err and len(err.splitlines()) == 1


def test_the_people_commands(team_db):
    url, new = team_db.url, team_db.login("lee")
    code, out, _ = _run("users", "add", new, "--role", "practitioner", "--team", "north", "--display-name",
                        "Lee Shaw", "--db", url)
    assert code == 0 and f"Added {new} (Lee Shaw), practitioner, team north" in out
    for argv, says in (
            ((new, "--role", "practitioner"), "is on the team's staff already"),
            (("lee2" + new, "--role", "boss"), "'boss' is not a role (roles: practitioner, supervisor,"),
            ((new + "x", "--role", "researcher", "--display-name", "Lee Shaw"), "'Lee Shaw' is"),
            (("Bad Name", "--role", "researcher"), "is not a sign-in name"),
            (("postgres", "--role", "researcher"), "kept for the database itself")):
        code, _, err = _run("users", "add", *argv, "--db", url)
        assert code == 2 and says in err and len(err.splitlines()) == 1, err
    code, _, err = _run("users", "add", new + "y", "--role", "researcher", "--db", team_db.url_of("ada"))
    assert code == 2 and "PostgreSQL superuser" in err
    assert _run("assign", "--case", "north1", "--user", new, "--db", team_db.url_of("ada"))[0] == 0
    assert "already" in _run("assign", "--case", "north1", "--user", new, "--db", url)[1]
    for argv, says in ((("--case", "nowhere", "--user", new), "no case 'nowhere'"),
                       (("--case", "north1", "--user", "nobody"), "no one called 'nobody'"),
                       (("--case", "north1", "--user", team_db.login("rex")), "only practitioners and supervisors")):
        code, _, err = _run("assign", *argv, "--db", team_db.url_of("ada"))
        assert code == 2 and says in err, err
    code, _, err = _run("assign", "--case", "north1", "--user", new, "--db", team_db.url_of("pat"))
    assert code == 2 and "your role (practitioner) does not allow you to manage people" in err
    assert team_db.cases_in("lee", "records") == {"north1"}
    code, out, _ = _run("users", "list", "--db", url)
    assert f"{new}: Lee Shaw, practitioner, team north; cases: north1" in out
    code, out, _ = _run("users", "list", "--db", team_db.url_of("rex"))  # a researcher: who, not which cases
    assert code == 0 and f"{new}: Lee Shaw, practitioner, team north\n" in out
    assert _run("assign", "--case", "north1", "--user", new, "--remove", "--db", url)[0] == 0
    assert team_db.cases_in("lee", "records") == set()
    assert _run("users", "remove", new, "--db", url)[0] == 0
    assert f"{new}: Lee Shaw, practitioner, team north (removed)" in _run("users", "list", "--db", url)[1]
    code, _, err = _run("users", "remove", new, "--db", url)
    assert code == 2 and "removed already" in err
    # back again, with another role
    assert _run("users", "add", new, "--role", "supervisor", "--team", "south", "--db", url)[0] == 0
    assert team_db.cases_in("lee", "records") == {"south1"}


def test_assign_sets_a_cases_team_for_its_supervisors(team_db):
    assert _run("assign", "--case", "south1", "--team", "north", "--db", team_db.url_of("ada"))[0] == 0
    assert team_db.cases_in("sam", "cases") == {"north1", "north2", "south1"}
    assert team_db.cases_in("sue", "cases") == set()
    code, _, err = _run("assign", "--case", "south1", "--team", "south", "--db", team_db.url_of("sam"))
    assert code == 2 and "does not allow you to manage people" in err
    code, _, err = _run("assign", "--case", "nowhere", "--team", "south", "--db", team_db.url)
    assert code == 2 and "no case 'nowhere'" in err


def test_the_people_commands_refuse_a_database_that_is_not_a_teams(pg_server, tmp_path):
    url = pg_server.new_database()
    try:
        code, _, err = _run("users", "list", "--db", url)
        assert code == 2 and "is not a team's yet: run `neglect-kit server init`" in err
    finally:
        pg_server.drop(url)
    code, _, err = _run("assign", "--case", "c", "--user", "x", "--db", f"sqlite:///{tmp_path / 'kit.sqlite'}")
    assert code == 2 and "SQLite, one person's own" in err


def test_sqlite_has_the_team_tables_and_stays_one_persons(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'kit.sqlite'}", user="jo", create=True)
    assert {"staff", "case_assignments"} <= set(sa.inspect(store.engine).get_table_names())
    assert store.person() == Person("jo", "jo", ONE_PERSON) and not store.on_a_team
    with pytest.raises(StoreError):
        team.add_user(f"sqlite:///{tmp_path / 'kit.sqlite'}", "jo", PRACTITIONER)


def test_a_refusal_at_commit_reaches_the_caller_in_words(team_db):
    pat = team_db.store("pat")
    with (pytest.raises(Forbidden, match=r"^record \w+'s current version 2 was never written: a save writes"),
          pat.transaction() as c):
        c.execute(sa.text("UPDATE record_heads SET version = version + 1 WHERE record_id = :r"), {"r": team_db.note_id})
    assert pat.get(team_db.note_id).version == 1

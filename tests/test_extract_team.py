"""Extracts on a team's PostgreSQL database: an administrator approves cases for a researcher, the researcher
requests an extract of the approval, and the extract service (its own login, role `extractor`) takes it. The
database keeps each rule itself; each is checked with plain SQL (what a person typing into `psql` meets).

The sample cases (fenwick, dunmore) are loaded once per module into a team's database, which each test copies.
People: researchers r1 and r2, a practitioner (pat), an administrator (ada) and the service's login (ext).
"""

from __future__ import annotations

import contextlib
import io
import json
import threading
from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from pg_server import TeamLogins
from test_extract_cli import sample_identifiers, whole_word

from neglect_kit.apps.extract import ExtractApp
from neglect_kit.cli import main
from neglect_kit.research import extract_requests, extract_service
from neglect_kit.research.extract_errors import ExtractError
from neglect_kit.research.extract_key import KEY_ENV
from neglect_kit.store import Forbidden, NotFound, Store, team
from neglect_kit.store.backup import backup, restore
from neglect_kit.store.identity import ADMINISTRATOR, EXTRACTOR, PRACTITIONER, RESEARCHER
from neglect_kit.supervision import records
from neglect_kit.supervision.session import SupervisionSession

psycopg = pytest.importorskip("psycopg")

EXTRACT_TABLES = ("extract_approvals", "extract_approval_cases", "extract_requests")
CASE_TABLES = ("cases", "people", "plans", "records", "record_heads", "imports")
PEOPLE = (("r1", RESEARCHER, "Rhea Stone"), ("r2", RESEARCHER, "Rob Vale"), ("pat", PRACTITIONER, "Pat Green"),
          ("ada", ADMINISTRATOR, "Ada Quinn"), ("ext", EXTRACTOR, "Extract Service"),
          ("ext2", EXTRACTOR, "Second Extract Service"))
WELLBEING = "The worker is stretched this month."
INSERT_REQUEST = "INSERT INTO extract_requests (approval_id, min_k, reason) VALUES (%s, 1, 'fictional cases')"


class Team(TeamLogins):
    def approve(self, *cases: str, who: str = "r1", purpose: str = "a study of drift") -> int:
        return self.rows("ada", "SELECT nk_approve_extract(%s, %s, %s)", self.login(who), list(cases), purpose)[0][0]

    def request(self, approval: int, who: str = "r1") -> int:
        with self.sql(who) as c:
            c.execute(INSERT_REQUEST, (approval,))
        return max(r[0] for r in self.rows(who, "SELECT id FROM extract_requests"))

    def claim(self, request: int) -> None:
        with self.sql("ext") as c:
            c.execute("UPDATE extract_requests SET status = 'taking' WHERE id = %s", (request,))

    def as_superuser(self, query: str, *args: object) -> None:
        with psycopg.connect(host=str(self.server.folder), dbname=sa.make_url(self.url).database,
                             user="postgres", autocommit=True) as c:
            c.execute(query, args or None)

    def cases_seen(self, short: str, table: str) -> set[str]:
        column = "id" if table == "cases" else "case_id"
        return {r[0] for r in self.rows(short, f"SELECT {column} FROM {table}")}


@pytest.fixture(scope="module")
def base_team(pg_server) -> Iterator[Team]:
    """A team's database holding the sample cases and a supervision session's wellbeing note on fenwick."""
    url = pg_server.new_database()
    prefix = sa.make_url(url).database + "_"
    try:
        with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(io.StringIO()):
            mp.setenv("NEGLECT_KIT_DB", url)
            assert main(["demo"]) == 0
        team.server_init(url)
        t = Team(pg_server, url, prefix)
        for short, role, name in PEOPLE:
            team.add_user(url, t.login(short), role, display_name=name)
        boss = Store.open(url)
        records.save_session(boss, SupervisionSession(
            session_type="case", held_on=date(2026, 11, 2), supervisor="Sam Boyd", worker="Pat Green",
            cases=["fenwick"], wellbeing=WELLBEING), None, "draft")
        boss.engine.dispose()
        yield t
    finally:
        pg_server.drop_with_logins(url, prefix)


@pytest.fixture
def team_db(base_team, pg_server) -> Iterator[Team]:
    url = pg_server.copy(base_team.url)
    yield Team(pg_server, url, base_team.prefix)
    pg_server.drop(url)


# approvals ---------------------------------------------------------------------------------------------------------

def test_only_an_administrator_approves_and_withdraws_and_only_through_the_functions(team_db):
    for short in ("r1", "pat", "ext"):
        with team_db.sql(short) as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("SELECT nk_approve_extract(%s, ARRAY['fenwick'], 'mine')", (team_db.login("r1"),))
    for short in ("ada", "r1"):
        with team_db.sql(short) as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("INSERT INTO extract_approvals (researcher, purpose, approved_by) VALUES (%s, 'x', 'x')",
                      (team_db.login("r1"),))
    approval = team_db.approve("fenwick", "dunmore")
    assert team_db.rows("ada", "SELECT researcher, approved_by, withdrawn_at FROM extract_approvals") == [
        (team_db.login("r1"), team_db.login("ada"), None)]
    assert team_db.cases_seen("ada", "extract_approval_cases") == {"fenwick", "dunmore"}
    with team_db.sql("r1") as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
        c.execute("SELECT nk_withdraw_approval(%s)", (approval,))
    with team_db.sql("ada") as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
        c.execute("UPDATE extract_approvals SET withdrawn_at = now()")
    team_db.rows("ada", "SELECT nk_withdraw_approval(%s)", approval)
    assert team_db.rows("ada", "SELECT withdrawn_by FROM extract_approvals") == [(team_db.login("ada"),)]
    with pytest.raises(psycopg.Error, match="withdrawn already"):
        team_db.rows("ada", "SELECT nk_withdraw_approval(%s)", approval)


def test_an_administrator_no_longer_one_approves_nothing_though_their_login_is_in_the_group(team_db):
    approval = team_db.approve("fenwick")
    team_db.as_superuser("UPDATE staff SET role = 'researcher' WHERE username = %s", team_db.login("ada"))
    for call, args in (("nk_approve_extract(%s, ARRAY['fenwick'], 'x')", (team_db.login("r1"),)),
                       ("nk_withdraw_approval(%s)", (approval,))):
        with team_db.sql("ada") as c, pytest.raises(psycopg.Error, match=r"your role does not allow you to "
                                                                          r"(approve|withdraw)"):
            c.execute(f"SELECT {call}", args)


@pytest.mark.parametrize(("who", "cases", "purpose", "said"), [
    ("pat", ["fenwick"], "drift", "is a practitioner: extracts are approved for researchers only"),
    ("nobody", ["fenwick"], "drift", "no one called"),
    ("r1", ["fenwick", "nocase"], "drift", "no case 'nocase'"),
    ("r1", ["fenwick"], "  ", "give the purpose of the extract"),
    ("r1", [], "drift", "name at least one case"),
])
def test_an_approval_is_for_a_researcher_of_cases_that_exist_with_a_purpose(team_db, who, cases, purpose, said):
    with pytest.raises(psycopg.Error, match=said):
        team_db.approve(*cases, who=who, purpose=purpose)
    assert team_db.rows("ada", "SELECT count(*) FROM extract_approvals") == [(0,)]


def test_a_researcher_reads_their_own_approvals_but_never_their_cases(team_db):
    mine, theirs = team_db.approve("fenwick", "dunmore"), team_db.approve("dunmore", who="r2")
    assert team_db.rows("r1", "SELECT id, purpose FROM extract_approvals") == [(mine, "a study of drift")]
    assert team_db.rows("r2", "SELECT id FROM extract_approvals") == [(theirs,)]
    for query in ("SELECT * FROM extract_approvals", "SELECT withdrawn_by FROM extract_approvals",
                  "SELECT * FROM extract_approval_cases"):
        with team_db.sql("r1") as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute(query)
    assert team_db.rows("r1", "SELECT nk_approval_size(%s), nk_approval_size(%s)", mine, theirs) == [(2, 0)]


# requests ----------------------------------------------------------------------------------------------------------

def test_a_researcher_requests_only_their_own_live_approval_and_the_database_sets_the_rest(team_db):
    mine, theirs = team_db.approve("fenwick", "dunmore"), team_db.approve("dunmore", who="r2")
    with team_db.sql("r1") as c:
        c.execute("INSERT INTO extract_requests (approval_id, reason, status, requested_by, archive, taken_by, "
                  "residual, message) VALUES (%s, 'why', 'done', %s, 'PK', %s, 0, 'forged')",
                  (mine, team_db.login("r2"), team_db.login("ext")))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            c.execute(INSERT_REQUEST, (theirs,))
    assert team_db.rows("r1", "SELECT requested_by, status, archive, taken_by, residual, message FROM "
                              "extract_requests") == [(team_db.login("r1"), "waiting", None, None, None, "")]
    assert team_db.rows("r2", "SELECT * FROM extract_requests") == []
    with team_db.sql("r1") as c:
        for statement in ("UPDATE extract_requests SET status = 'done'", "DELETE FROM extract_requests"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                c.execute(statement)
    team_db.rows("ada", "SELECT nk_withdraw_approval(%s)", mine)
    with team_db.sql("r1") as c, pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        c.execute(INSERT_REQUEST, (mine,))


def test_a_researcher_no_longer_a_researcher_reads_and_requests_nothing(team_db):
    approval = team_db.approve("fenwick")
    team_db.request(approval)
    # the staff row changed, as a change of role would; the login is still in the researchers' group
    team_db.as_superuser("UPDATE staff SET role = 'practitioner' WHERE username = %s", team_db.login("r1"))
    assert team_db.rows("r1", "SELECT id FROM extract_approvals") == []
    assert team_db.rows("r1", "SELECT id FROM extract_requests") == []
    with team_db.sql("r1") as c, pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        c.execute(INSERT_REQUEST, (approval,))


@pytest.mark.parametrize("short", ["pat", "r2"])
def test_practitioners_have_nothing_of_the_extract_tables(team_db, short):
    approval = team_db.approve("fenwick")
    for table in EXTRACT_TABLES if short == "pat" else ("extract_approval_cases",):
        with team_db.sql(short) as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute(f"SELECT count(*) FROM {table}")
    with team_db.sql(short) as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
        c.execute(INSERT_REQUEST, (approval,))


# the extract service -----------------------------------------------------------------------------------------------

def test_the_extractor_reads_only_the_cases_of_a_request_it_is_taking_and_no_wellbeing_note(team_db):
    approval = team_db.approve("fenwick")
    request = team_db.request(approval)
    for table in CASE_TABLES:
        assert team_db.cases_seen("ext", table) == set(), table
    team_db.claim(request)
    assert team_db.rows("ext", "SELECT taken_by FROM extract_requests") == [(team_db.login("ext"),)]
    for table in CASE_TABLES[:4]:
        assert team_db.cases_seen("ext", table) == {"fenwick"}, table
        assert team_db.cases_seen("ext2", table) == set(), table  # not the service taking it
    kinds = {r[0] for r in team_db.rows("ext", "SELECT kind FROM records")}
    assert "supervision_session" in kinds and "supervision_wellbeing" not in kinds
    assert not [r for r in team_db.rows("ext", "SELECT body FROM records") if WELLBEING in r[0]]
    with team_db.sql("ext") as c:
        for statement in ("INSERT INTO cases (id, title, created_at, created_by) VALUES ('x', 'x', now(), 'x')",
                          "UPDATE people SET name = 'x'", "DELETE FROM records",
                          "UPDATE extract_requests SET reason = 'x'",
                          "INSERT INTO extract_requests (approval_id, reason) VALUES (1, 'x')"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                c.execute(statement)
    team_db.rows("ada", "SELECT nk_withdraw_approval(%s)", approval)
    assert team_db.cases_seen("ext", "people") == set()


def test_a_request_is_taken_then_finished_by_one_service_and_never_changes_again(team_db):
    request = team_db.request(team_db.approve("fenwick"))
    with team_db.sql("ext") as c:
        with pytest.raises(psycopg.Error, match="cannot go from waiting to done"):
            c.execute("UPDATE extract_requests SET status = 'done' WHERE id = %s", (request,))
        c.execute("UPDATE extract_requests SET status = 'taking', taken_by = 'someone else' WHERE id = %s",
                  (request,))
        c.execute("UPDATE extract_requests SET status = 'done', archive = 'PK', residual = 3 WHERE id = %s",
                  (request,))
        with pytest.raises(psycopg.Error, match="is done: a finished request never changes again"):
            c.execute("UPDATE extract_requests SET archive = 'other' WHERE id = %s", (request,))
    assert team_db.cases_seen("ext", "people") == set()  # its request finished, the service reads its cases no more
    assert team_db.rows("r1", "SELECT status, taken_by, finished_at IS NOT NULL, archive, residual FROM "
                              "extract_requests") == [("done", team_db.login("ext"), True, b"PK", 3)]
    with team_db.sql("ada") as c:
        assert c.execute("SELECT id, status FROM extract_requests").fetchall() == [(request, "done")]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("SELECT archive FROM extract_requests")


# the whole flow, through the store ---------------------------------------------------------------------------------

@pytest.fixture
def keyed(monkeypatch):
    monkeypatch.setenv(KEY_ENV, "a fictional key for the tests only")


def test_approved_requested_taken_and_received_with_no_name_or_case_id(team_db, keyed, tmp_path):
    ada, r1, r2, ext = (team_db.store(s) for s in ("ada", "r1", "r2", "ext"))
    approval = extract_requests.approve(ada, team_db.login("r1"), ["fenwick", "dunmore"], "a study of drift")
    assert [a.cases for a in extract_requests.approvals(ada)] == [("dunmore", "fenwick")]
    mine = extract_requests.approvals(r1)
    assert [(a.id, a.size, a.cases, a.approved_by) for a in mine] == [(approval, 2, None, "Ada Quinn")]
    assert "fenwick" not in mine[0].words() and "dunmore" not in mine[0].words()
    assert extract_requests.approvals(r2) == []
    n = extract_requests.request(r1, approval, min_k=1, reason="the fictional sample cases")
    assert extract_requests.get_request(r1, n).words() == "waiting for the extract service"
    with pytest.raises(NotFound):
        extract_requests.get_request(r2, n)
    said: list[str] = []
    assert extract_service.run_once(ext, said=said.append) == [(n, "done")] and said == [f"request {n}: done"]
    got = extract_requests.get_request(r1, n)
    assert got.words() == "ready" and got.taken_by == team_db.login("ext") and got.residual is not None
    assert "Extract of 2 cases" in got.message
    out = tmp_path / "extract"
    assert extract_requests.write_received(extract_requests.archive(r1, n), out) == [
        "entries.csv", "extract.json", "findings.csv", "grades.csv", "log.csv", "plans.csv", "residual_risk.csv"]
    identifiers = [*sample_identifiers(), "fenwick", "dunmore"]
    assert [(p.name, v) for p in out.iterdir() for v in identifiers
            if whole_word(p.read_text(encoding="utf-8-sig"), v)] == []
    mapping = extract_service.mapping_path(ext, n)
    assert mapping.stat().st_mode & 0o777 == 0o600
    kept = json.loads(mapping.read_text(encoding="utf-8"))
    assert {c["case_id"] for c in kept["cases"].values()} == {"fenwick", "dunmore"}
    assert kept["requested_by"] == team_db.login("r1") and kept["request"] == n
    assert not list(tmp_path.glob("*.mapping.json"))  # nothing of the mapping on the researcher's side
    assert extract_requests.my_requests(r2) == []
    for store in (ada, r1, r2, ext):
        store.engine.dispose()


def test_two_databases_served_by_one_service_folder_keep_their_request_1_mappings_apart(tmp_path):
    """Each database numbers its requests from 1: the mapping's file is named by the database as well."""
    def store(url: str) -> Store:  # only its engine's address is read: no server needed
        return SimpleNamespace(engine=sa.create_engine(url))  # type: ignore[return-value]

    team_a, team_b = store("postgresql+psycopg:///team_a"), store("postgresql+psycopg:///team-b?host=/run/pg")
    local = store(f"sqlite:///{tmp_path / 'kit.sqlite'}")
    paths = [extract_service.mapping_path(s, 1) for s in (team_a, team_b, local)]
    assert [p.name for p in paths] == ["team_a-request-1.mapping.json", "team-b-request-1.mapping.json",
                                       "kit-request-1.mapping.json"]
    assert {p.parent for p in paths} == {extract_service.mapping_folder()}


def test_a_request_whose_researcher_has_left_the_team_is_refused_and_the_form_no_longer_offers_them(team_db, keyed):
    # a researcher of this test's own: a login is the server's, not the database's, so taking r1 off the team
    # would stop r1 signing in to every later test's copy of the database
    team.add_user(team_db.url, team_db.login("leaver"), "researcher", display_name="Lee Vere")
    ada, leaver, ext = (team_db.store(s) for s in ("ada", "leaver", "ext"))
    assert team_db.login("leaver") in [u for _, u in extract_requests.researchers(ada)]
    approval = extract_requests.approve(ada, team_db.login("leaver"), ["fenwick", "dunmore"], "drift")
    n = extract_requests.request(leaver, approval, min_k=1, reason="the fictional sample cases")
    team.remove_user(team_db.url, team_db.login("leaver"))
    assert extract_service.run_once(ext, said=lambda _: None) == [(n, "refused")]
    assert extract_requests.get_request(ada, n).message == (
        "the extract was not taken: only a researcher of the team receives an extract")
    assert not extract_service.mapping_path(ext, n).exists()
    assert team_db.login("leaver") not in [u for _, u in ExtractApp.open(ada).form.researcher.options]
    for store in (ada, leaver, ext):
        store.engine.dispose()


def test_the_gates_refusal_and_a_withdrawn_approval_reach_the_researcher_in_words(team_db, keyed):
    ada, r1, ext = (team_db.store(s) for s in ("ada", "r1", "ext"))
    approval = extract_requests.approve(ada, team_db.login("r1"), ["fenwick", "dunmore"], "drift")
    gated = extract_requests.request(r1, approval)
    assert extract_service.run_once(ext, said=lambda _: None) == [(gated, "refused")]
    late = extract_requests.request(r1, approval, min_k=1, reason="the fictional sample cases")
    extract_requests.withdraw(ada, approval)
    assert extract_service.run_once(ext, said=lambda _: None) == [(late, "refused")]
    refused = extract_requests.get_request(r1, gated)
    assert refused.words().startswith("refused: refused:") and "fewer than 5 children" in refused.words()
    assert "fenwick" not in refused.message.lower() and "dunmore" not in refused.message.lower()
    assert extract_requests.get_request(r1, late).words() == (
        f"refused: approval {approval} was withdrawn: the extract was not taken")
    with pytest.raises(ExtractError, match=f"request {gated} is refused"):
        extract_requests.archive(r1, gated)
    assert not extract_service.mapping_path(ext, gated).exists()
    with pytest.raises(Forbidden, match="not one of your live approvals"):
        extract_requests.request(r1, approval)


def test_a_failure_is_told_without_its_cause_and_logged_on_the_services_side(team_db, keyed, monkeypatch, caplog):
    ada, r1, ext = (team_db.store(s) for s in ("ada", "r1", "ext"))
    n = extract_requests.request(r1, extract_requests.approve(ada, team_db.login("r1"), ["fenwick"], "drift"),
                                 min_k=1, reason="fictional")

    def broken(*args, **kwargs):
        raise RuntimeError("case fenwick could not be read")

    monkeypatch.setattr(extract_service, "take", broken)
    assert extract_service.run_once(ext, said=lambda _: None) == [(n, "failed")]
    assert extract_requests.get_request(r1, n).words() == (
        f"failed: the extract service failed on request {n}; its log says why")
    assert "case fenwick could not be read" in caplog.text


@pytest.mark.parametrize("short", ["pat", "ada"])
def test_only_a_researcher_requests_and_only_an_administrator_approves(team_db, short):
    store = team_db.store(short)
    approval = team_db.approve("fenwick")
    with pytest.raises(Forbidden, match="your role"):
        extract_requests.request(store, approval)
    if short == "pat":
        with pytest.raises(Forbidden, match="your role"):
            extract_requests.approve(store, team_db.login("r1"), ["fenwick"], "drift")
        with pytest.raises(Forbidden, match="your role"):
            extract_requests.approvals(store)
    with pytest.raises(Forbidden, match="your role"):
        extract_requests.claim_next(store)


def test_approvals_are_for_a_teams_database(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'kit.sqlite'}", create=True)
    with pytest.raises(ExtractError, match="approvals and requests are for a team's database"):
        extract_requests.approvals(store)


# the commands ------------------------------------------------------------------------------------------------------

def run(team_db: Team, short: str, *argv: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> tuple[int, str, str]:
    monkeypatch.setenv("NEGLECT_KIT_DB", team_db.url_of(short))
    code = main(list(argv))
    said = capsys.readouterr()
    return code, said.out, said.err


@pytest.mark.parametrize(("short", "argv", "said"), [
    ("ada", ["--researcher", "{r1}", "--case", "fenwick", "--case", "nocase"], "no case 'nocase'"),
    ("ada", ["--researcher", "{pat}", "--case", "fenwick"], "is a practitioner: extracts are approved for researchers"),
    ("ada", ["--researcher", "nobody", "--case", "fenwick"], "no one called 'nobody' is on the team's staff"),
    ("ada", ["--researcher", "{r1}", "--case", "fenwick", "--purpose", " "], "give the purpose of the extract"),
    ("r1", ["--researcher", "{r1}", "--case", "fenwick"], "your role (researcher) does not allow you to approve"),
])
def test_approvals_add_refuses_bad_input_in_one_line_and_writes_nothing(team_db, monkeypatch, capsys, short, argv,
                                                                        said):
    argv = [a.format(r1=team_db.login("r1"), pat=team_db.login("pat")) for a in argv]
    if "--purpose" not in argv:
        argv += ["--purpose", "a study of drift"]
    code, out, err = run(team_db, short, "approvals", "add", *argv, monkeypatch=monkeypatch, capsys=capsys)
    assert (code, out) == (2, "") and said in err and err.count("\n") == 1, err
    assert team_db.rows("ada", "SELECT count(*) FROM extract_approvals") == [(0,)]


def test_approvals_listed_to_the_administrator_with_cases_and_to_the_researcher_without(team_db, monkeypatch, capsys):
    code, out, _ = run(team_db, "ada", "approvals", "add", "--researcher", team_db.login("r1"), "--case", "fenwick",
                       "--case", "dunmore", "--purpose", "a study of drift", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and out.startswith("Approval 1: 2 cases for ") and "--approval 1" in out
    _, out, _ = run(team_db, "ada", "approvals", "list", monkeypatch=monkeypatch, capsys=capsys)
    assert "Approval 1: a study of drift (2 cases), approved by Ada Quinn on " in out and "dunmore, fenwick" in out
    for argv in (["approvals", "list"], ["approvals", "list", "--json"]):
        code, out, _ = run(team_db, "r1", *argv, monkeypatch=monkeypatch, capsys=capsys)
        assert code == 0 and "a study of drift" in out and "fenwick" not in out and "dunmore" not in out
    assert json.loads(out)[0]["cases"] == 2
    _, out, _ = run(team_db, "r2", "approvals", "list", monkeypatch=monkeypatch, capsys=capsys)
    assert out.startswith("No approvals")
    code, out, _ = run(team_db, "ada", "approvals", "withdraw", "1", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and "withdrawn" in out
    assert run(team_db, "r1", "approvals", "list", monkeypatch=monkeypatch, capsys=capsys)[1].startswith("No approvals")


def test_a_researcher_requests_the_service_takes_and_the_researcher_fetches(team_db, keyed, monkeypatch, capsys,
                                                                            tmp_path):
    approval = team_db.approve("fenwick", "dunmore")
    out = tmp_path / "extract"
    code, said, err = run(team_db, "r1", "extract", "--approval", str(approval), "-o", str(out), "--min-k", "1",
                          "--reason", "the fictional sample cases", "--wait", "0", monkeypatch=monkeypatch,
                          capsys=capsys)
    assert code == 1 and "request 1" in said
    assert err == ("neglect-kit extract: request 1 is waiting: no extract service has taken it in 0 s; ask your "
                   "administrator whether `neglect-kit extract-service` runs (`neglect-kit extract --request 1 -o "
                   "DIR` fetches it later)\n")
    assert not out.exists()
    code, said, _ = run(team_db, "ext", "extract-service", "--once", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and said == "request 1: done\nTook 1 request.\n"
    code, said, err = run(team_db, "r1", "extract", "--request", "1", "-o", str(out), monkeypatch=monkeypatch,
                          capsys=capsys)
    assert code == 0, err
    assert "Request 1: Extract of 2 cases" in said and "the keyed mapping stays with the extract service" in said
    assert len(list(out.iterdir())) == 7 and not list(tmp_path.glob("*mapping*"))
    code, said, err = run(team_db, "r1", "extract", "--case", "fenwick", "-o", str(tmp_path / "x"),
                          monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and "--case takes an extract on one person's own database" in err


def test_a_refused_request_is_said_and_nothing_written(team_db, keyed, monkeypatch, capsys, tmp_path):
    request = team_db.request(team_db.approve("fenwick"))
    team_db.as_superuser("UPDATE extract_requests SET min_k = NULL, reason = ''")  # the settings' k: the gate refuses
    run(team_db, "ext", "extract-service", "--once", monkeypatch=monkeypatch, capsys=capsys)
    code, _, err = run(team_db, "r1", "extract", "--request", str(request), "-o", str(tmp_path / "x"),
                          monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and err.startswith(f"neglect-kit extract: request {request} is refused: refused:")
    assert "fewer than 5 children" in err and "fenwick" not in err and not (tmp_path / "x").exists()
    code, _said, err = run(team_db, "r2", "extract", "--request", str(request), "-o", str(tmp_path / "x"),
                          monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and f"no request {request} of yours" in err


def test_a_threshold_lowered_without_a_reason_is_refused_before_anything_is_requested(team_db, monkeypatch, capsys,
                                                                                      tmp_path):
    approval = team_db.approve("fenwick")
    code, said, err = run(team_db, "r1", "extract", "--approval", str(approval), "-o", str(tmp_path / "x"),
                          "--min-k", "2", monkeypatch=monkeypatch, capsys=capsys)
    assert (code, said) == (2, "") and "--min-k 2 is below the settings' 5: say why with --reason TEXT" in err
    assert team_db.rows("r1", "SELECT count(*) FROM extract_requests") == [(0,)]


# the app -----------------------------------------------------------------------------------------------------------

def _html(widget) -> str:
    """Every text a widget tree shows (its HTML, labels and options)."""
    found = [str(getattr(widget, "value", "") or ""), str(getattr(widget, "description", "") or "")]
    found += [str(label) for label in getattr(widget, "_options_labels", ())]
    return " ".join(found + [_html(child) for child in getattr(widget, "children", ())])


def test_the_extract_app_lets_a_researcher_request_and_download_with_the_service_in_a_thread(team_db, keyed):
    approval = team_db.approve("fenwick", "dunmore")
    r1, ext = team_db.store("r1"), team_db.store("ext")
    app = ExtractApp(r1, person=r1.person())
    form = app.form
    assert form.approval.options == ((extract_requests.approvals(r1)[0].words(), approval),)
    form.min_k.value, form.reason.value, form.poll = 1, "the fictional sample cases", 0.1
    stop = threading.Event()

    def service() -> None:
        while not stop.is_set():
            extract_service.run_once(ext, said=lambda _: None)
            stop.wait(0.1)

    running = threading.Thread(target=service, daemon=True)
    running.start()
    try:
        form.request_button.click()
        assert "Requested: request 1." in form.status.value
        form._watcher.join(timeout=120)
    finally:
        stop.set()
        running.join(timeout=30)
    assert "Request 1: ready." in form.state.value
    assert 'download="extract-request-1.zip"' in form.download.value and "Extract of 2 cases" in form.download.value
    assert "<h2>Residual risk</h2>" in form.report.value
    assert "ready" in form.earlier.value and form.again.options == (("Request 1 (a study of drift)", 1),)
    shown = _html(app.widget).replace(form.download.value, "")  # the zip's link is base64
    assert [v for v in [*sample_identifiers(), "fenwick", "dunmore"] if whole_word(shown, v)] == []
    form.download.value = ""
    form.again_button.click()
    assert 'download="extract-request-1.zip"' in form.download.value


def test_the_extract_app_says_a_refusal_and_a_researcher_with_no_approval_is_told(team_db, keyed):
    team_db.approve("fenwick")
    r1, r2, ext = team_db.store("r1"), team_db.store("r2"), team_db.store("ext")
    form = ExtractApp(r1, person=r1.person()).form
    form.poll = 0.1
    form.request_button.click()
    extract_service.run_once(ext, said=lambda _: None)
    form._watcher.join(timeout=30)
    assert "Request 1: refused: refused:" in form.state.value
    assert "fewer than 5 children" in form.state.value and form.download.value == ""
    form.min_k.value = 2
    form.request_button.click()
    assert "Not requested: --min-k 2 is below the settings" in form.status.value
    alone = ExtractApp(r2, person=r2.person())
    assert "No approval is open to you yet" in _html(alone.widget)
    assert alone.form.request_button not in alone.widget.children


def test_the_extract_app_lets_an_administrator_approve_and_withdraw(team_db):
    app = ExtractApp.open(team_db.store("ada"))
    form = app.form
    assert [v for _, v in form.researcher.options] == [team_db.login("r1"), team_db.login("r2")]
    form.cases.value, form.purpose.value = "fenwick, nocase", "a study of drift"
    form.approve_button.click()
    assert "Not approved: no case &#39;nocase&#39;." in form.status.value
    assert form.listed.value == "<p>No approval yet.</p>"
    form.cases.value = "fenwick, dunmore"
    form.approve_button.click()
    assert "Approval 1: 2 cases for" in form.status.value and form.cases.value == ""
    assert "dunmore, fenwick" in form.listed.value and ">live<" in form.listed.value
    assert [a.size for a in extract_requests.approvals(team_db.store("r1"))] == [2]
    form.withdraw_button.click()
    assert "Approval 1 withdrawn" in form.status.value and form.live.options == ()
    assert extract_requests.approvals(team_db.store("r1")) == []


def test_the_extract_app_for_anyone_else_on_a_team_builds_no_control(team_db):
    app = ExtractApp.open(team_db.store("pat"))
    assert not hasattr(app, "form") and not hasattr(app, "take_button")
    assert "the researcher requests the extract here" in _html(app.widget)


def test_a_backup_keeps_a_requests_extract_byte_for_byte(team_db, pg_server, tmp_path):
    request = team_db.request(team_db.approve("fenwick"))
    zipped = bytes(range(256)) * 3  # every byte value, as a zip holds them
    team_db.as_superuser("UPDATE extract_requests SET status = 'done', archive = %s WHERE id = %s", zipped, request)
    made = backup(tmp_path / "team.jsonl", team_db.url)
    assert made.rows["extract_requests"] == 1 and made.rows["extract_approval_cases"] == 1
    target = pg_server.new_database()
    try:
        restore(made.path, target)
        with psycopg.connect(host=str(team_db.server.folder), dbname=sa.make_url(target).database,
                             user="postgres") as c:
            assert c.execute("SELECT archive FROM extract_requests").fetchall() == [(zipped,)]
    finally:
        pg_server.drop(target)


def test_a_case_removed_leaves_the_approvals_that_named_it(team_db):
    approval = team_db.approve("fenwick", "dunmore")
    team_db.rows("ada", "SELECT nk_remove_case('fenwick', 'loaded by mistake')")
    assert team_db.rows("r1", "SELECT nk_approval_size(%s)", approval) == [(1,)]
    assert team_db.cases_seen("ada", "extract_approval_cases") == {"dunmore"}

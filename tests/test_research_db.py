"""A team's PostgreSQL database keeps the research rules itself: blind double coding, finishing, reconciliation, who
assigns coders, and no one but researchers reading the research tables. Each rule is checked with plain SQL (what a
researcher typing into `psql` meets) and through `research.review_records`, `coding_records` and `finished_codings`
(what the apps and the command line meet).

Two researchers (rex, rae) code review T01, assigned by the administrator (ada); a practitioner (pat) and a
supervisor (sam) have nothing of the corpus.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from pg_server import TeamLogins
from research_corpus import TEXTS, corpus

from neglect_kit.research import coding_records, finished_codings, review_records
from neglect_kit.research.passages import passages
from neglect_kit.store import Forbidden, StoreError, team
from neglect_kit.store.identity import ADMINISTRATOR, PRACTITIONER, RESEARCHER, SUPERVISOR

psycopg = pytest.importorskip("psycopg")

RESEARCH_TABLES = ("reviews", "review_coders", "codings", "memos", "reconciliations", "codebooks")
PEOPLE = (("rex", RESEARCHER, ""), ("rae", RESEARCHER, ""), ("pat", PRACTITIONER, "north"),
          ("sam", SUPERVISOR, "north"), ("ada", ADMINISTRATOR, ""))
P = {p.id: p for p in passages(TEXTS["T01"])}


class Team(TeamLogins):
    def coders_seen(self, short: str, table: str = "codings") -> set[str]:
        return {self.short(r[0]) for r in self.rows(short, f"SELECT coder FROM {table}")}

    def short(self, login: str) -> str:
        return login.removeprefix(self.prefix)

    def code(self, short: str, pid: str = "P2.S1", codes: tuple[str, ...] = ("child-unseen",), version: int = 1,
             review: str = "T01", coder: str | None = None) -> None:
        """A coding inserted with plain SQL, as the store writes one."""
        p = P[pid]
        with self.sql(short) as c:
            c.execute('INSERT INTO codings (review_id, passage_id, start, "end", coder, version, codes, created_at) '
                      "VALUES (%s, %s, %s, %s, %s, %s, %s, now())",
                      (review, pid, p.start, p.end, self.login(coder or short), version, json.dumps(list(codes))))

    def finish(self, short: str, review: str = "T01") -> None:
        with self.sql(short) as c:
            c.execute("SELECT nk_finish_review(%s)", (review,))


@pytest.fixture
def team_db(pg_server, tmp_path) -> Iterator[Team]:
    url = pg_server.new_database()
    prefix = sa.make_url(url).database + "_"
    try:
        team.server_init(url)
        t = Team(pg_server, url, prefix)
        for short, role, their_team in PEOPLE:
            team.add_user(url, t.login(short), role, team=their_team, display_name=short.title())
        rex = t.store("rex")
        assert review_records.load_reviews(rex, corpus(tmp_path / "reviews")) == ["T01: loaded", "T02: loaded"]
        ada = t.store("ada")
        for short in ("rex", "rae"):
            assert review_records.assign(ada, "T01", t.login(short))
        for store in (rex, ada):
            store.engine.dispose()
        yield t
    finally:
        pg_server.drop_with_logins(url, prefix)


# who reads the research tables -------------------------------------------------------------------------------------

@pytest.mark.parametrize("short", ["pat", "sam"])
def test_practitioners_and_supervisors_have_nothing_of_the_research_tables(team_db, short):
    for table in RESEARCH_TABLES:
        with team_db.sql(short) as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute(f"SELECT count(*) FROM {table}")
    with team_db.sql(short) as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
        c.execute("SELECT nk_finish_review('T01')")
    store = team_db.store(short)
    for attempt in (lambda: review_records.reviews(store), lambda: coding_records.codings(store, "T01"),
                    lambda: review_records.review(store, "T01"), lambda: coding_records.codebook(store)):
        with pytest.raises(Forbidden, match=r"^the review corpus is for researchers: your role \(\w+\) does not "
                                            "allow you to read anonymised reviews and extracts"):
            attempt()


def test_a_researcher_still_reads_no_case_table(team_db):
    for table in ("cases", "people", "plans", "records", "record_heads", "imports"):
        with team_db.sql("rex") as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute(f"SELECT count(*) FROM {table}")


# blind double coding -----------------------------------------------------------------------------------------------

def test_a_coder_reads_only_their_own_codings_and_memos_until_every_coder_has_finished(team_db):
    team_db.code("rex")
    team_db.code("rae", codes=("optimism",))
    for short in ("rex", "rae"):
        with team_db.sql(short) as c:
            c.execute("INSERT INTO memos (review_id, target, target_id, coder, version, text, created_at) "
                      "VALUES ('T01', 'review', 'T01', 'x', 1, 'a note', now())")
    for table in ("codings", "memos"):
        assert team_db.coders_seen("rex", table) == {"rex"} and team_db.coders_seen("rae", table) == {"rae"}
    team_db.finish("rex")
    assert team_db.coders_seen("rex") == {"rex"} and team_db.coders_seen("rae", "memos") == {"rae"}
    team_db.finish("rae")
    for short in ("rex", "rae"):
        assert team_db.coders_seen(short) == team_db.coders_seen(short, "memos") == {"rex", "rae"}


def test_a_researcher_codes_only_a_review_assigned_to_them_and_not_finished(team_db):
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        team_db.code("rex", review="T02")  # not assigned
    team_db.code("rex")
    team_db.finish("rex")
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        team_db.code("rex", version=2)  # finished
    assert team_db.rows("rex", "SELECT review_id, version FROM codings") == [("T01", 1)]


def test_the_coder_of_a_coding_or_memo_is_the_person_connected_whatever_they_send(team_db):
    team_db.code("rex", coder="rae")
    with team_db.sql("rex") as c:
        c.execute("INSERT INTO memos (review_id, target, target_id, coder, version, text, created_at) "
                  "VALUES (NULL, 'code', 'drift', %s, 1, 'forged', now())", (team_db.login("rae"),))
    assert team_db.coders_seen("rex") == team_db.coders_seen("rex", "memos") == {"rex"}
    assert team_db.coders_seen("rae") == team_db.coders_seen("rae", "memos") == set()


def test_finishing_is_a_coders_own_and_only_through_the_databases_function(team_db):
    with team_db.sql("rex") as c:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("UPDATE review_coders SET finished_at = now()")
        with pytest.raises(psycopg.Error, match="you are not coding review T02: not assigned to it"):
            c.execute("SELECT nk_finish_review('T02')")
    team_db.finish("rex")
    with pytest.raises(psycopg.Error, match="or finished it already"):
        team_db.finish("rex")
    finished = dict(team_db.rows("rae", "SELECT coder, finished_at IS NOT NULL FROM review_coders"))
    assert finished == {team_db.login("rex"): True, team_db.login("rae"): False}


def test_only_an_administrator_assigns_coders_and_only_researchers_unfinished(team_db):
    with team_db.sql("rex") as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
        c.execute("INSERT INTO review_coders VALUES ('T02', %s, now(), 'x', NULL)", (team_db.login("rex"),))
    with team_db.sql("ada") as c:
        with pytest.raises(psycopg.Error, match="is not one of the team's researchers"):
            c.execute("INSERT INTO review_coders VALUES ('T02', %s, now(), 'x', NULL)", (team_db.login("pat"),))
        c.execute("INSERT INTO review_coders VALUES ('T02', %s, now(), 'x', now())", (team_db.login("rae"),))
        assert c.execute("SELECT finished_at, assigned_by FROM review_coders WHERE review_id = 'T02'").fetchall() == [
            (None, team_db.login("ada"))]
    team_db.finish("rex")
    with team_db.sql("ada") as c:
        assert c.execute("DELETE FROM review_coders WHERE coder = %s", (team_db.login("rex"),)).rowcount == 0
        assert c.execute("DELETE FROM review_coders WHERE coder = %s AND review_id = 'T01'",
                         (team_db.login("rae"),)).rowcount == 1


def test_an_administrator_reads_the_reviews_facts_but_no_text_and_no_coding(team_db):
    team_db.code("rex")
    assert team_db.rows("ada", "SELECT id FROM reviews ORDER BY id") == [("T01",), ("T02",)]
    for query in ("SELECT text FROM reviews", "SELECT * FROM codings", "SELECT * FROM memos"):
        with team_db.sql("ada") as c, pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute(query)
    listed = review_records.reviews(team_db.store("ada"))
    assert [(r.id, sorted(team_db.short(c.coder) for c in r.coders)) for r in listed] == [
        ("T01", ["rae", "rex"]), ("T02", [])]
    with pytest.raises(Forbidden, match="the review corpus is for researchers"):
        coding_records.codings(team_db.store("ada"), "T01")


def test_a_reconciliation_waits_until_every_coder_has_finished(team_db):
    insert = ("INSERT INTO reconciliations (review_id, passage_id, version, codes, reason, created_at, created_by) "
              "VALUES ('T01', 'P2.S1', 1, '[\"child-unseen\"]', 'agreed', now(), 'x')")
    team_db.finish("rex")
    with team_db.sql("rex") as c, pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        c.execute(insert)
    team_db.finish("rae")
    with team_db.sql("rex") as c:
        c.execute(insert)
    assert team_db.rows("rae", "SELECT created_by FROM reconciliations") == [(team_db.login("rex"),)]


def test_codings_memos_and_reviews_are_never_changed_or_removed(team_db):
    team_db.code("rex")
    with team_db.sql("rex") as c:
        for statement in ("UPDATE codings SET codes = '[]'", "DELETE FROM codings", "UPDATE reviews SET text = ''",
                          "DELETE FROM reviews", "DELETE FROM memos", "DELETE FROM codebooks"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                c.execute(statement)


# through the store ------------------------------------------------------------------------------------------------

def test_two_researchers_code_blind_through_the_store_and_reconcile(team_db):
    rex, rae = team_db.store("rex"), team_db.store("rae")
    assert [r.id for r in review_records.my_reviews(rex)] == ["T01"]
    coding_records.save_coding(rex, "T01", P["P3.S1"], ["optimism"], 0)
    coding_records.save_coding(rae, "T01", P["P3.S1"], ["drift"], 0)
    coding_records.save_memo(rae, "passage", "P3.S1", "months went by", 0, review_id="T01")
    assert [(team_db.short(c.coder), c.codes) for c in coding_records.codings(rex, "T01")] == [("rex", ("optimism",))]
    assert coding_records.memos(rex, "T01") == []
    review_records.finish(rex, "T01")
    with pytest.raises(Forbidden, match=r"^review T01 is reconciled once every coder has finished it"):
        coding_records.reconcile(rex, "T01", "P3.S1", ["optimism"], "hope", 0)
    review_records.finish(rae, "T01")
    assert {team_db.short(c.coder) for c in coding_records.codings(rex, "T01")} == {"rex", "rae"}
    assert coding_records.reconcile(rex, "T01", "P3.S1", ["drift", "optimism"], "both", 0) == 1
    assert coding_records.reconciliations(rae, "T01")[0].created_by == team_db.login("rex")


def test_the_databases_refusals_reach_the_store_in_words(team_db):
    rex = team_db.store("rex")
    p = P["P2.S1"]
    with pytest.raises(Forbidden, match=r"^you code only a review assigned to you that you have not marked "
                                        "finished, and only as yourself$"), rex.transaction() as c:
        c.execute(sa.text('INSERT INTO codings (review_id, passage_id, start, "end", coder, version, codes, '
                          "created_at) VALUES ('T02', 'P2.S1', :s, :e, 'x', 1, '[]', now())"),
                  {"s": p.start, "e": p.end})
    with pytest.raises(Forbidden, match=r"^you are not coding review T02"), rex.transaction() as c:
        c.execute(sa.text("SELECT nk_finish_review('T02')"))
    with pytest.raises(Forbidden, match=r"^your role does not allow you to read codings$"), \
            team_db.store("ada").engine.connect() as c:
        c.execute(sa.text("SELECT * FROM codings"))
    with pytest.raises(Forbidden, match="each coder's work is their own"):
        finished_codings.import_codings(rex, [])
    with pytest.raises(StoreError, match="is a practitioner: only researchers code reviews"):
        review_records.assign(team_db.store("ada"), "T02", team_db.login("pat"))
    with pytest.raises(Forbidden, match=r"manage people.*: an administrator assigns a review's coders"):
        review_records.assign(rex, "T02", team_db.login("rex"))

"""`neglect-kit reviews ...` as a researcher at a terminal uses it: on one person's SQLite database, and (loading,
listing, agreement) on a team's PostgreSQL as a researcher. Bad input is one line, exit 2, and nothing half-loaded."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from research_corpus import write_corpus

from neglect_kit.cli import main
from neglect_kit.research import coding_records, refiqda_codebook, refiqda_qdpx, review_records
from neglect_kit.research.agreement import agreement
from neglect_kit.research.codebook import write_csv
from neglect_kit.research.passages import passages
from neglect_kit.store import Store, team
from neglect_kit.store.identity import PRACTITIONER, RESEARCHER

SAMPLE = Path(__file__).resolve().parents[1] / "sample_cases" / "reviews"
CODINGS = SAMPLE / "sample_codings.csv"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def refused(argv: tuple[str, ...], says: str) -> None:
    code, _, err = run(*argv)
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1, err


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'kit.sqlite'}"
    monkeypatch.setenv("NEGLECT_KIT_DB", url)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("NEGLECT_KIT_USER", "lead")
    return url


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Path:
    """A database file holding the sample corpus and its codings, loaded once with the command; copy it to write."""
    path = tmp_path_factory.mktemp("reviews") / "reviews.sqlite"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEGLECT_KIT_DB", f"sqlite:///{path}")
        code, out, err = run("reviews", "load", str(SAMPLE), "--codings", str(CODINGS))
    assert code == 0, err
    assert f"Reviews from {SAMPLE}: " in out and " loaded, 0 already loaded." in out
    assert "review codings by coder_a, coder_b imported and marked finished" in out
    reader = Store.open(f"sqlite:///{path}")
    with reader.engine.connect() as conn:  # one self-contained file, safe to copy
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    reader.engine.dispose()
    return path


@pytest.fixture
def sample(loaded, db, tmp_path) -> str:
    shutil.copy(loaded, tmp_path / "kit.sqlite")
    return db


def test_load_list_and_load_again(sample):
    code, out, _ = run("reviews", "list")
    assert code == 0 and "R01: " in out and "coders: none assigned" in out
    assert "R02: " in out and "coders: coder_a (finished), coder_b (finished)" in out
    listed = {r["id"]: r for r in json.loads(run("reviews", "list", "--json")[1])}
    assert len(listed) >= 24 and listed["R01"]["coders"] == []
    assert listed["R02"]["coders"] == [{"coder": "coder_a", "finished": True}, {"coder": "coder_b", "finished": True}]
    assert listed["R02"]["meta"]["parental_mental_health"] in ("yes", "no", "not stated")
    code, out, _ = run("reviews", "load", str(SAMPLE), "--codings", str(CODINGS))
    assert code == 0 and f": 0 loaded, {len(listed)} already loaded." in out and "imported and marked finished, " in out
    assert "R02: coder_a's codings already there; left as they are" in out


def test_agreement_over_the_double_coded_finished_reviews(sample):
    code, out, _ = run("reviews", "agreement")
    assert code == 0 and out.startswith("Agreement between coder_a and coder_b, passage by passage, over ")
    assert "The child not seen or heard" in out and "all codes" in out and "Mean of the codes' kappas: " in out
    figures = json.loads(run("reviews", "agreement", "--json")[1])
    store = Store.open(sample)
    coded = [r for r in review_records.reviews(store) if r.unblinded]
    assert sorted(figures["reviews"]) == [r.id for r in coded] and "R01" not in figures["reviews"]
    assert figures["coders"] == ["coder_a", "coder_b"] and 0 < figures["overall"]["kappa"] <= 1
    by_code = {c["code"]: c for c in figures["codes"]}
    assert by_code["child-unseen"]["passages"] == figures["passages"]
    # the same figures straight from the sample file: every passage of the reviews both coders coded
    rows = pd.read_csv(CODINGS, dtype=str)
    coded_by = {coder: {} for coder in ("coder_a", "coder_b")}
    for row in rows.itertuples():
        coded_by[row.coder].setdefault((row.review_id, row.passage_id), set()).add(row.code)
    keys = [(r.id, p.id) for r in coded for p in passages(review_records.review(store, r.id).text)]
    direct = agreement(keys, coded_by["coder_a"], coded_by["coder_b"], coding_records.codebook(store))
    assert figures["passages"] == len(keys) and figures["overall"] == json.loads(json.dumps(direct.overall.to_dict()))


def test_agreement_with_no_review_finished_by_two_coders_says_so(db, tmp_path):
    assert run("reviews", "load", str(write_corpus(tmp_path / "c")))[0] == 0
    code, out, _ = run("reviews", "agreement")
    assert code == 0 and out.startswith("No review has two coders who have both finished it yet")
    assert json.loads(run("reviews", "agreement", "--json")[1]) is None


def test_export_in_each_format_reads_back(sample, tmp_path):
    store = Store.open(sample)
    coding_records.save_memo(store, "code", "drift", "Delay named as drift only twice.", 0)
    coded = coding_records.codings(store)
    code, _, _ = run("reviews", "export", "--format", "csv", "-o", str(tmp_path / "coded.csv"))
    table = pd.read_csv(tmp_path / "coded.csv", encoding="utf-8-sig")
    assert code == 0 and len(table) == sum(len(c.codes) for c in coded) and "year_published" in table.columns
    assert run("reviews", "export", "--format", "xlsx", "-o", str(tmp_path / "coded.xlsx"))[0] == 0
    assert openpyxl.load_workbook(tmp_path / "coded.xlsx").active.max_row == len(table) + 1
    assert run("reviews", "export", "--format", "qdc", "-o", str(tmp_path / "codes.qdc"))[0] == 0
    assert refiqda_codebook.read_qdc(tmp_path / "codes.qdc") == coding_records.codebook(store)
    code, _, _ = run("reviews", "export", "--format", "qdpx", "-o", str(tmp_path / "project.qdpx"))
    project = refiqda_qdpx.read_qdpx(tmp_path / "project.qdpx")
    assert code == 0 and len(project.sources) == len(review_records.reviews(store))
    assert {(c.review_id, c.passage_id, c.coder, c.codes) for c in project.codings} == {
        (c.review_id, c.passage_id, c.coder, c.codes) for c in coded if c.codes}
    assert [(m.target, m.target_id, m.coder, m.text) for m in project.memos] == [
        ("code", "drift", store.user, "Delay named as drift only twice.")]
    refused(("reviews", "export", "--format", "csv", "-o", str(tmp_path / "no" / "such" / "x.csv")), "")


def test_assign_finish_and_remove_as_a_user_would(sample, monkeypatch):
    assigned = run("reviews", "assign", "--review", "R01", "--coder", "coder_x")[1]
    assert "Assigned coder_x to code review R01." in assigned
    assert "already" in run("reviews", "assign", "--review", "R01", "--coder", "coder_x")[1]
    refused(("reviews", "assign", "--review", "R99", "--coder", "coder_x"), "no review 'R99'")
    refused(("reviews", "finish", "--review", "R01"), "you are not assigned to code review R01")  # lead is not
    monkeypatch.setenv("NEGLECT_KIT_USER", "coder_x")
    code, out, _ = run("reviews", "finish", "--review", "R01")
    assert code == 0 and "Every coder has finished it" in out
    refused(("reviews", "finish", "--review", "R01"), "you marked review R01 finished on")
    refused(("reviews", "assign", "--review", "R01", "--coder", "coder_x", "--remove"),
            "coder_x finished review R01 on")
    assert run("reviews", "assign", "--review", "R01", "--coder", "coder_y")[0] == 0
    assert "Took coder_y off review R01." in run("reviews", "assign", "--review", "R01", "--coder", "coder_y",
                                                 "--remove")[1]


def test_codebook_import_from_csv_and_qdc(sample, tmp_path):
    book = coding_records.codebook(Store.open(sample))
    write_csv(book, tmp_path / "codes.csv")
    code, out, _ = run("reviews", "codebook", "import", str(tmp_path / "codes.csv"))
    assert code == 0 and out.startswith(f"Codebook version 1 saved from codes.csv: {len(book.codes)} codes")
    refiqda_codebook.write_qdc(book, tmp_path / "codes.qdc")
    assert "Codebook version 2 saved" in run("reviews", "codebook", "import", str(tmp_path / "codes.qdc"))[1]
    used = type(book)(tuple(c for c in book.codes if c.id != "drift"))
    write_csv(used, tmp_path / "fewer.csv")
    refused(("reviews", "codebook", "import", str(tmp_path / "fewer.csv")),
            "neglect-kit reviews codebook import: the codebook leaves out drift, already applied to passages")
    refused(("reviews", "codebook", "import", str(tmp_path / "codes.txt")), "a codebook is a .csv or a REFI-QDA .qdc")


def test_bad_input_is_one_line_and_nothing_is_half_loaded(db, tmp_path):
    folder = write_corpus(tmp_path / "corpus")
    broken = folder / "T02.toml"
    broken.write_text(broken.read_text().replace("year_of_incident = 2019", "year_of_incident = 2031"))
    refused(("reviews", "load", str(folder)), "T02.toml: year_of_incident: ")
    refused(("reviews", "load", str(tmp_path / "none")), "no folder here")
    folder = write_corpus(tmp_path / "good")
    bad = tmp_path / "codings.csv"
    bad.write_text("review_id,passage_id,start,end,coder,code\nT01,P2.S1,12,60,coder_a,child-unseen\n"
                   "T01,P2.S1,12,60,coder_a,no-such-code\n", encoding="utf-8")
    refused(("reviews", "load", str(folder), "--codings", str(bad)), "codings.csv line 3: 'no-such-code' is not in")
    bad.write_text("review_id,passage_id,coder,code\n", encoding="utf-8")
    refused(("reviews", "load", str(folder), "--codings", str(bad)), "codings.csv: no column start, end")
    refused(("reviews", "load", str(folder), "--codings", str(tmp_path / "missing.csv")), "missing.csv: no such file")
    # one transaction: the reviews went in with none of the codings, so none of them went in
    assert run("reviews", "list")[1].startswith("No reviews loaded yet")


def test_demo_loads_the_sample_corpus_with_its_finished_codings(demo_file):
    store = Store.open(f"sqlite:///{demo_file}", user="reader")
    listed = {r.id: r for r in review_records.reviews(store)}
    assert len(listed) >= 24 and listed["R01"].coders == ()
    assert listed["R02"].unblinded and {c.coder for c in listed["R02"].coders} == {"coder_a", "coder_b"}
    assert {c.coder for c in coding_records.codings(store, "R02")} == {"coder_a", "coder_b"}


# on a team's PostgreSQL, as a researcher --------------------------------------------------------------------------

@pytest.fixture
def team_url(pg_server, monkeypatch) -> str:
    url = pg_server.new_database()
    prefix = sa.make_url(url).database + "_"
    team.server_init(url)
    for short, role in (("rex", RESEARCHER), ("pat", PRACTITIONER)):
        team.add_user(url, prefix + short, role, team="north" if role == PRACTITIONER else "")
    yield url, prefix
    pg_server.drop_with_logins(url, prefix)


def test_a_researcher_loads_lists_and_measures_agreement_on_a_teams_database(team_url, monkeypatch, tmp_path):
    url, prefix = team_url
    monkeypatch.setenv("NEGLECT_KIT_DB", url.replace("postgres@", f"{prefix}rex@", 1))
    refused(("reviews", "load", str(SAMPLE), "--codings", str(CODINGS)), "each coder's work is their own")
    assert run("reviews", "list")[1].startswith("No reviews loaded yet")  # nothing of the load went in
    code, out, _ = run("reviews", "load", str(SAMPLE))
    assert code == 0 and " loaded, 0 already loaded." in out
    listed = json.loads(run("reviews", "list", "--json")[1])
    assert len(listed) >= 24 and all(r["coders"] == [] for r in listed)
    assert run("reviews", "agreement")[1].startswith("No review has two coders")
    refused(("reviews", "assign", "--review", "R01", "--coder", prefix + "rex"), "does not allow you to manage people")
    monkeypatch.setenv("NEGLECT_KIT_DB", url.replace("postgres@", f"{prefix}pat@", 1))
    refused(("reviews", "list",), "neglect-kit reviews list: the review corpus is for researchers: your role "
                                  "(practitioner) does not allow you to read anonymised reviews and extracts")

"""`neglect-kit extract` as a person at a terminal uses it, on the sample cases and on bad input.

The identifiers looked for in the sample cases' extract are read from their case.toml files directly (not
through the engine): every name, each part of it, each half of a hyphenated part, every nickname, every
address, its street, house, town and postcode, and every date of birth in the ways records write one.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from types import SimpleNamespace

import pytest

from neglect_kit.cli import main
from neglect_kit.research.extract_key import KEY_ENV
from neglect_kit.shipped import shipped_folder
from neglect_kit.store import Store

SAMPLES = shipped_folder("sample_cases")
OVERRIDE = ["--min-k", "1", "--reason", "the fictional sample cases"]


@pytest.fixture
def demo_db(demo_file, tmp_path, monkeypatch):
    (tmp_path / "db").mkdir()
    copy = tmp_path / "db" / "demo.sqlite"
    shutil.copy(demo_file, copy)
    monkeypatch.setenv("NEGLECT_KIT_DB", f"sqlite:///{copy}")
    monkeypatch.setenv(KEY_ENV, "a fictional key for the tests only")
    return copy


def sample_identifiers() -> list[str]:
    """Every name, nickname, address (and its parts) and date of birth in the sample cases' case.toml files."""
    found: set[str] = set()
    for path in sorted(SAMPLES.glob("*/case.toml")):
        case = tomllib.loads(path.read_text(encoding="utf-8"))
        for person in case["people"]:
            name = person["name"]
            found |= {name, *name.split(), *(h for part in name.split() for h in part.split("-")),
                      *person.get("known_as", [])}
            if address := person.get("address"):
                found.add(address)
                for part in (p.strip() for p in address.split(",")):
                    found.add(part)
                    postcode = re.search(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", part)
                    if postcode:
                        found |= {postcode.group(), part[:postcode.start()].strip()}
                    street = re.sub(r"^\d+\w?\s+", "", part)
                    found.add(street)
            if born := person.get("date_of_birth"):
                found |= {born.isoformat(), born.strftime("%d/%m/%Y"), f"{born.day} {born:%B %Y}",
                          f"{born.day} {born:%b %Y}"}
    return sorted(v for v in found if len(v) >= 2 and v not in {"Flat"})


def whole_word(text: str, value: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text, re.I) is not None


def test_the_sample_cases_extract_leaves_no_identifier(demo_db, tmp_path, capsys):
    out = tmp_path / "extract"
    code = main(["extract", "--case", "fenwick", "--case", "dunmore", "-o", str(out), *OVERRIDE])
    said = capsys.readouterr()
    assert code == 0, said.err
    assert "Extract of 2 cases" in said.out and "keep it apart from the extract" in said.out
    assert re.search(r"\d+ tokens left in the free text", said.out)
    assert sorted(p.name for p in out.iterdir()) == ["entries.csv", "extract.json", "findings.csv", "grades.csv",
                                                     "log.csv", "plans.csv", "residual_risk.csv"]
    mapping = tmp_path / "extract.mapping.json"
    assert mapping.stat().st_mode & 0o777 == 0o600
    identifiers = sample_identifiers()
    assert {"Maisie", "Teddy", "Nan", "Heron Walk", "ZZ99 4CD", "Eastmere", "2014-07-21", "21/07/2014",
            "Quarry Lane", "Holt"} <= set(identifiers)
    left = [(p.name, v) for p in out.iterdir() for v in identifiers
            if whole_word(p.read_text(encoding="utf-8-sig"), v)]
    assert left == []
    assert whole_word(mapping.read_text(), "fenwick")  # the mapping, kept apart, is what undoes it


def test_the_gate_refuses_by_default_and_nothing_is_written(demo_db, tmp_path, capsys):
    out = tmp_path / "extract"
    assert main(["extract", "--case", "fenwick", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("neglect-kit extract: refused:") and err.count("\n") == 1
    assert "fewer than 5 children" in err and "Fenwick" not in err and "Eastmere" not in err
    assert [p.name for p in tmp_path.iterdir()] == ["db"]


@pytest.mark.parametrize(("args", "said"), [
    (["--min-k", "1"], "--min-k 1 is below the settings' 5: say why with --reason TEXT"),
    (["--reason", "because"], "--reason is for a lowered threshold"),
    (["--case", "fenwick", *OVERRIDE], "case 'fenwick' is named twice"),
    (["--case", "nope", *OVERRIDE], "no case 'nope' (cases: dunmore, fenwick)"),
])
def test_bad_input_one_line_exit_2_nothing_written(demo_db, tmp_path, capsys, args, said):
    assert main(["extract", "--case", "fenwick", "-o", str(tmp_path / "x"), *args]) == 2
    err = capsys.readouterr().err
    assert said in err and err.count("\n") == 1
    assert [p.name for p in tmp_path.iterdir()] == ["db"]


def test_places_refused_before_the_cases_are_read(demo_db, tmp_path, capsys):
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("someone else's")
    assert main(["extract", "--case", "fenwick", "-o", str(full), *OVERRIDE]) == 2
    assert "already holds files" in capsys.readouterr().err
    assert [p.name for p in full.iterdir()] == ["keep.txt"]
    out = tmp_path / "new"
    assert main(["extract", "--case", "fenwick", "-o", str(out), "--mapping", str(out / "m.json"), *OVERRIDE]) == 2
    assert "may not be inside the extract's folder" in capsys.readouterr().err
    assert not out.exists()


def test_a_team_database_is_refused_saying_why(demo_db, tmp_path, capsys, monkeypatch):
    store = Store.open(f"sqlite:///{demo_db}")
    store.connected = SimpleNamespace(team=True, user="a.researcher")  # as `team.connected` finds a team's database
    monkeypatch.setattr("neglect_kit.cli_research.open_store", lambda create=False: store)
    assert main(["extract", "--case", "fenwick", "-o", str(tmp_path / "x"), *OVERRIDE]) == 2
    err = capsys.readouterr().err
    assert err.startswith("neglect-kit extract: --case takes an extract on one person's own database; on a team's ")
    assert "`neglect-kit extract --approval N -o DIR`" in err and err.count("\n") == 1
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("argv", [["extract", "--approval", "1", "-o", "{out}"], ["extract", "--request", "1", "-o",
                                  "{out}"], ["approvals", "list"], ["approvals", "withdraw", "1"],
                                  ["approvals", "add", "--researcher", "r", "--case", "fenwick", "--purpose", "p"]])
def test_approvals_and_requests_are_refused_on_one_persons_own_database(demo_db, tmp_path, capsys, argv):
    assert main([a.format(out=tmp_path / "x") for a in argv]) == 2
    err = capsys.readouterr().err
    assert "approvals and requests are for a team's database" in err and err.count("\n") == 1
    assert not (tmp_path / "x").exists()


def test_one_way_of_naming_what_to_extract(demo_db, tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["extract", "--case", "fenwick", "--approval", "1", "-o", str(tmp_path / "x")])
    assert "not allowed with argument" in capsys.readouterr().err
    assert main(["extract", "--approval", "1", "--mapping", str(tmp_path / "m"), "-o", str(tmp_path / "x")]) == 2
    assert "the mapping of a requested extract stays with the extract service" in capsys.readouterr().err


def test_the_same_key_gives_the_same_dates_and_another_key_others(demo_db, tmp_path, monkeypatch):
    for name in ("a", "b"):
        assert main(["extract", "--case", "dunmore", "-o", str(tmp_path / name), *OVERRIDE]) == 0
    monkeypatch.setenv(KEY_ENV, "another fictional key, also for the tests")
    assert main(["extract", "--case", "dunmore", "-o", str(tmp_path / "c"), *OVERRIDE]) == 0
    plans = {n: (tmp_path / n / "plans.csv").read_text(encoding="utf-8-sig") for n in "abc"}
    assert plans["a"] == plans["b"] != plans["c"]

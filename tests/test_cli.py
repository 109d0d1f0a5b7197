"""The neglect-kit command, as a person at a terminal uses it."""

import json

import pytest

from neglect_kit.cli import main, voila_command


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("NEGLECT_KIT_DB", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    return tmp_path


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "f" / "returns").mkdir(parents=True)
    (tmp_path / "f" / "case.toml").write_text(
        '[case]\nid = "oak"\ntitle = "The Oak family"\n'
        '[[people]]\nid = "mia"\nkind = "child"\nname = "Mia Oak"\ndate_of_birth = 2018-01-01\n'
        '[[returns]]\nfile = "returns/gp.csv"\nagency = "GP"\n')
    (tmp_path / "f" / "returns" / "gp.csv").write_text(
        "Date,Child,Type,Details\n2019-02-01,Mia,WNB,Mia was not brought to her immunisations.\n"
        "2019-03-01,Mia,WNB,=HYPERLINK(\"http://x.invalid\")\n")
    return tmp_path / "f"


def test_load_cases_export(db, folder, capsys, tmp_path):
    assert main(["load", str(folder)]) == 0
    assert "Saved 2 entries" in capsys.readouterr().out
    assert main(["cases", "--json"]) == 0
    [case] = json.loads(capsys.readouterr().out)
    assert (case["id"], case["entries"], case["entries_by_agency"]) == ("oak", 2, {"GP": 2})
    assert main(["export", "--case", "oak", "--format", "csv", "-o", str(tmp_path / "oak.csv")]) == 0
    text = (tmp_path / "oak.csv").read_text(encoding="utf-8-sig")
    assert "Mia was not brought" in text
    assert '"\'=HYPERLINK' in text
    assert main(["export", "--case", "oak", "--format", "json", "-o", str(tmp_path / "oak.json")]) == 0
    data = json.loads((tmp_path / "oak.json").read_text())
    assert data["case"] == "oak"
    assert data["entries"][0]["earliest"] == "2019-02-01"


def test_import_reports_errors_and_exits_non_zero(db, folder, capsys, tmp_path):
    main(["load", str(folder)])
    bad = tmp_path / "school.csv"
    bad.write_text("Date,Agency,Child,Type,Details\n2019-05-01,Professional,Mia,Attendance,Late.\n"
                   "2019-05-02,School,Mia,Attendance,Late again.\n")
    capsys.readouterr()
    assert main(["import", "--case", "oak", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "school.csv, row 2, column 'Agency': source agency 'Professional' is too vague" in out
    assert "Nothing was saved" in out
    assert main(["import", "--case", "oak", "--valid-only", str(bad)]) == 0  # it saved what was valid
    out = capsys.readouterr().out
    assert "source agency 'Professional' is too vague" in out  # the errors are still printed
    assert "Saved 1 entry." in out


def test_command_errors_exit_2_with_a_message(db, capsys, tmp_path):
    assert main(["export", "--case", "nope", "-o", str(tmp_path / "x.csv")]) == 2
    assert "no case 'nope'" in capsys.readouterr().err
    assert main(["import", "--case", "nope", str(tmp_path / "missing.csv")]) == 2
    assert "cannot read the file" in capsys.readouterr().err
    assert main(["load", str(tmp_path)]) == 2


def test_serve_binds_loopback_and_never_moves_port(tmp_path):
    cmd = voila_command(tmp_path, 9123)
    assert "--Voila.ip=127.0.0.1" in cmd
    assert "--Voila.port=9123" in cmd
    assert "--Voila.port_retries=0" in cmd
    assert "--VoilaConfiguration.show_tracebacks=False" in cmd

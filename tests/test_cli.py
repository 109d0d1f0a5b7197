"""The neglect-kit command, as a person at a terminal uses it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from neglect_kit.cli import main
from neglect_kit.store import Store


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("NEGLECT_KIT_DB", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    assert main(["init"]) == 0
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


# returns without child or category columns, sent again, undone, and a case removed ------------------------

SCHOOL_LOG = ("Date,Details,Action\n"
              "03/02/2020,Mia arrived hungry and asked for toast at breakfast club.,Fed at breakfast club\n"
              "10/02/2020,Mia came in with head lice again and clothes unwashed.,Spoke to mum\n"
              "17/02/2020,Mia was not brought to her dental appointment.,\n")


def test_a_one_child_school_log_without_child_or_category_columns_loads(db, folder, capsys, tmp_path):
    main(["load", str(folder)])
    log = tmp_path / "school-log.csv"
    log.write_text(SCHOOL_LOG)
    capsys.readouterr()
    assert main(["import", "--case", "oak", "--agency", "School", str(log)]) == 0
    out = capsys.readouterr().out
    assert "Saved 3 entries." in out
    # one counted note per file, not one line per row; every one on request
    assert "school-log.csv: 5 note(s): 3 categories read from words, 2 dates read with a note" in out
    assert "row 2" not in out
    assert main(["export", "--case", "oak", "--format", "json", "-o", str(tmp_path / "o.json")]) == 0
    entries = json.loads((tmp_path / "o.json").read_text())["entries"]
    school = [e for e in entries if e["agency"] == "school"]
    assert [e["children"] for e in school] == ["mia"] * 3
    assert [e["inferred"] for e in school] == ["category"] * 3
    assert school[2]["category"] == "was_not_brought"  # read from "was not brought to her dental appointment"
    gp = [e for e in entries if e["agency"] == "gp"]
    assert {e["inferred"] for e in gp} == {""}  # the GP's own Type column is the return's word, not the kit's


def test_notes_lists_every_note(db, folder, capsys, tmp_path):
    main(["load", str(folder)])
    log = tmp_path / "school-log.csv"
    log.write_text(SCHOOL_LOG)
    capsys.readouterr()
    assert main(["import", "--case", "oak", "--agency", "School", "--category", "attendance", "--notes",
                 str(log)]) == 0
    out = capsys.readouterr().out
    assert "note: school-log.csv, row 2, column 'Date': read day-first" in out
    assert "categories read from words" not in out  # the category was given for the whole return


def test_a_default_that_disagrees_with_the_rows_column_is_an_error_naming_both(db, folder, capsys, tmp_path):
    main(["load", str(folder)])
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("Date,Agency,Child,Type,Details\n2019-05-01,Police,Mia,Attendance,Late.\n"
                     "2019-05-02,,Mia,Attendance,Late again.\n2019-05-03,School,Mia,Attendance,Late once more.\n")
    capsys.readouterr()
    assert main(["import", "--case", "oak", "--agency", "School", str(mixed)]) == 1
    out = capsys.readouterr().out
    assert ("mixed.csv, row 2, column 'Agency': the row says agency 'Police' but the return's agency is "
            "'School': correct the cell or the return's agency") in out
    assert "row 3" not in out and "row 4" not in out  # a blank cell takes the default; the same value agrees
    assert main(["import", "--case", "oak", "--agency", "School", "--valid-only", str(mixed)]) == 0
    assert "Saved 2 entries." in capsys.readouterr().out


def test_a_two_child_case_needs_children_for_a_return_without_a_child_column(db, tmp_path, capsys):
    case = tmp_path / "elm"
    case.mkdir()
    (case / "case.toml").write_text(
        '[case]\nid = "elm"\ntitle = "Elm"\n'
        '[[people]]\nid = "ava"\nkind = "child"\nname = "Ava Elm"\ndate_of_birth = 2016-01-01\n'
        '[[people]]\nid = "leo"\nkind = "child"\nname = "Leo Elm"\ndate_of_birth = 2017-01-01\n')
    assert main(["load", str(case)]) == 0
    log = tmp_path / "police.csv"
    log.write_text("Date,Details\n2020-03-01,Police called to an argument at the home; father had been drinking.\n")
    capsys.readouterr()
    assert main(["import", "--case", "elm", "--agency", "Police", str(log)]) == 1
    out = capsys.readouterr().out
    assert "police.csv: no column for child(ren)" in out
    assert "Case elm: 1 file(s), 1 row(s), 0 valid" in out  # the refused file's row is counted
    assert main(["import", "--case", "elm", "--agency", "Police", "--children", "ava,nobody", str(log)]) == 1
    assert "'nobody' is not a child of this case" in capsys.readouterr().out
    assert main(["import", "--case", "elm", "--agency", "Police", "--children", "ava,leo", str(log)]) == 0
    assert "Saved 1 entry." in capsys.readouterr().out


def test_a_return_sent_again_saves_new_and_corrected_rows_and_replace_withdraws_gone_ones(db, folder, capsys, tmp_path):
    main(["load", str(folder)])
    sent = tmp_path / "school.csv"
    sent.write_text("Date,Child,Type,Details\n2019-05-01,Mia,Attendance,Late.\n2019-05-08,Mia,Attendance,Absent.\n"
                    "2019-05-15,Mia,Attendance,Absent all week.\n")
    main(["import", "--case", "oak", "--agency", "School", str(sent)])
    # the agency sends it again: row 3 corrected, row 4 dropped, one new row
    again = tmp_path / "again" / "school.csv"
    again.parent.mkdir()
    again.write_text("Date,Child,Type,Details\n2019-05-01,Mia,Attendance,Late.\n"
                     "2019-05-08,Mia,Attendance,Absent; mum rang to say Mia was ill.\n"
                     "2019-05-22,Mia,Attendance,Late by an hour.\n")
    capsys.readouterr()
    assert main(["import", "--case", "oak", "--agency", "School", str(again)]) == 0
    out = capsys.readouterr().out
    assert "school.csv: 1 new, 1 already held (not saved again), 1 changed, 1 gone" in out
    assert ("row 3: changed: saved as a new version of the entry of 2019-05-08 from row 3: "
            "description 'Absent.' -> 'Absent; mum rang to say Mia was ill.'") in out
    assert "gone: the entry of 2019-05-15 from row 4, kept (replace the previous return to withdraw)" in out
    assert "Saved 1 entry. 1 corrected (saved as new versions)." in out
    assert _school_descriptions(tmp_path) == ["Late.", "Absent; mum rang to say Mia was ill.", "Absent all week.",
                                              "Late by an hour."]

    again.write_text(again.read_text() + "2019-05-29,Mia,Attendance,Absent.\n")  # a third copy, to replace
    assert main(["import", "--case", "oak", "--agency", "School", "--replace", str(again)]) == 0
    out = capsys.readouterr().out
    assert "Saved 1 entry. 1 withdrawn (not in the return sent again)." in out
    assert _school_descriptions(tmp_path) == ["Late.", "Absent; mum rang to say Mia was ill.", "Late by an hour.",
                                              "Absent."]
    from neglect_kit.chronology.records import stored_entries
    from neglect_kit.store import Store
    store = Store.open()
    held = stored_entries(store, "oak", include_withdrawn=True)
    corrected = next(s for s in held if s.entry.event_date.text == "2019-05-08")
    assert [v.body["description"] for v in store.history(corrected.record_id)] == [
        "Absent.", "Absent; mum rang to say Mia was ill."]  # the first version is kept
    gone = next(s for s in held if s.entry.event_date.text == "2019-05-15")
    assert gone.record.status == "withdrawn" and "which replaces it" in gone.record.reason


def _school_descriptions(tmp_path):
    out = tmp_path / "export.json"
    main(["export", "--case", "oak", "--format", "json", "-o", str(out)])
    return [e["description"] for e in json.loads(out.read_text())["entries"] if e["agency"] == "school"]


def test_a_whole_import_is_undone_in_one_action_and_the_file_can_come_again(db, folder, capsys, tmp_path):
    main(["load", str(folder)])
    log = tmp_path / "school-log.csv"
    log.write_text(SCHOOL_LOG)
    main(["import", "--case", "oak", "--agency", "School", str(log)])
    out = capsys.readouterr().out
    assert "Recorded as import 2" in out  # import 1 is the case folder's GP return
    assert main(["import", "--case", "oak", "--agency", "School", str(log)]) == 1
    assert "this file was already imported into case oak" in capsys.readouterr().out
    assert main(["undo-import", "--case", "oak", "--import", "2", "--reason", "loaded with the wrong agency"]) == 0
    assert "Import 2 (school-log.csv) of case oak undone: 3 entries withdrawn" in capsys.readouterr().out
    assert _school_descriptions(tmp_path) == []
    assert main(["undo-import", "--case", "oak", "--import", "2", "--reason", "again"]) == 2
    assert "import 2 (school-log.csv) was undone already" in capsys.readouterr().err
    assert main(["undo-import", "--case", "oak", "--import", "9", "--reason", "x"]) == 2
    assert "no import 9 in case 'oak' (imports: 1, 2)" in capsys.readouterr().err
    assert main(["import", "--case", "oak", "--agency", "School", str(log)]) == 0  # undone: it may come again
    assert len(_school_descriptions(tmp_path)) == 3


def test_valid_only_never_creates_an_empty_case(db, tmp_path, capsys):
    case = tmp_path / "ash"
    (case / "returns").mkdir(parents=True)
    (case / "case.toml").write_text(
        '[case]\nid = "ash"\ntitle = "Ash"\n'
        '[[people]]\nid = "zoe"\nkind = "child"\nname = "Zoe Ash"\ndate_of_birth = 2016-01-01\n'
        '[[returns]]\nfile = "returns/gp.csv"\nagency = "GP"\n')
    (case / "returns" / "gp.csv").write_text("Date,Details\nsometime,Seen.\n")
    assert main(["load", "--valid-only", str(case)]) == 1
    out = capsys.readouterr().out
    assert "gp.csv, row 2, column 'Date'" in out
    assert "Nothing was saved and the case was not created: no row is valid." in out
    assert main(["cases", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_remove_asks_for_the_case_id_and_keeps_an_audit_record(db, folder, capsys, monkeypatch):
    main(["load", str(folder)])
    capsys.readouterr()
    monkeypatch.setattr("builtins.input", lambda prompt: "oak-typo")
    assert main(["remove", "--case", "oak", "--reason", "loaded twice"]) == 2
    assert "'oak-typo' is not 'oak': nothing was removed" in capsys.readouterr().err
    answers = iter(["oak", "loaded into the wrong database"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert main(["remove", "--case", "oak"]) == 0
    assert "Case oak removed (people 1, plans 0, imports 1, chronology entry records 2)" in capsys.readouterr().out
    main(["cases", "--json"])
    assert json.loads(capsys.readouterr().out) == []
    from neglect_kit.store import Store
    [audit] = Store.open().removals()
    assert (audit["case_id"], audit["reason"], audit["counts"]["chronology_entry"]) == (
        "oak", "loaded into the wrong database", 2)
    assert "Mia" not in json.dumps(audit, default=str)  # no personal data in the audit
    assert main(["load", str(folder)]) == 0  # the same folder loads again, cleanly
    assert main(["remove", "--case", "oak", "--yes"]) == 2
    assert "say why the case is removed (--reason)" in capsys.readouterr().err
    assert main(["remove", "--case", "nope", "--yes", "--reason", "x"]) == 2

    def no_one_to_ask(prompt):
        raise EOFError

    monkeypatch.setattr("builtins.input", no_one_to_ask)  # a script with no terminal: refused, not a traceback
    assert main(["remove", "--case", "oak"]) == 2
    assert "no answer was typed: nothing was removed" in capsys.readouterr().err
    assert [c["id"] for c in Store.open().cases()] == ["oak"]


def test_a_return_over_the_size_limit_is_refused_in_one_line_naming_file_and_limit(db, folder, capsys, tmp_path,
                                                                                  monkeypatch):
    from neglect_kit.config import settings

    (tmp_path / "settings.toml").write_text("[limits]\nfile_mb = 1\n")
    monkeypatch.setenv("NEGLECT_KIT_SETTINGS", str(tmp_path / "settings.toml"))
    settings.cache_clear()
    try:
        assert main(["load", str(folder)]) == 0
        big = tmp_path / "gp-2020.csv"
        big.write_text("Date,Child,Type,Details\n" + "2020-02-01,Mia,WNB,Not brought to clinic.\n" * 40_000)
        capsys.readouterr()
        assert main(["import", "--case", "oak", "--agency", "GP", str(big)]) != 0
        out = capsys.readouterr()
        assert out.err == ("neglect-kit import: gp-2020.csv: the file is 1.7 MB, over the limit of 1 MB (settings: "
                           "[limits] file_mb): nothing was read; split it into smaller returns\n")
        assert out.out == ""
    finally:
        settings.cache_clear()


def test_import_prints_a_screenful_of_errors_and_no_terminal_codes(db, folder, capsys, tmp_path):
    assert main(["load", str(folder)]) == 0
    bad = tmp_path / "gp-2021.csv"
    bad.write_text("Date,Child,Type,Details\n" + "".join(
        f"2021-03-{1 + n % 28:02d},Milo\x1b[2J,WNB,Not brought {n}.\n" for n in range(32)))
    capsys.readouterr()
    assert main(["import", "--case", "oak", "--agency", "GP", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out
    errors = [line for line in out.splitlines() if line.startswith("  error:")]
    assert len(errors) == 20 and "'Milo\\x1b[2J'" in errors[0]
    assert "  ... and 12 more errors (--notes lists every one)" in out.splitlines()


def _one_line_error(capsys) -> str:
    """The command's error as printed: one line on stderr, no traceback."""
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


def test_export_onto_a_folder_or_into_a_missing_folder_writes_nothing(db, folder, capsys, tmp_path):
    main(["load", str(folder)])
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    capsys.readouterr()
    assert main(["export", "--case", "oak", "-o", str(out_dir)]) == 2
    err = _one_line_error(capsys)
    assert f"{out_dir}: is a folder; give the export a file name" in err
    assert list(out_dir.iterdir()) == [] and not list(tmp_path.glob("*.part"))
    assert main(["export", "--case", "oak", "-o", str(tmp_path / "absent" / "oak.csv")]) == 2
    assert f"the folder {tmp_path / 'absent'} does not exist" in _one_line_error(capsys)
    assert not (tmp_path / "absent").exists()
    (tmp_path / "notes.txt").write_text("a file")
    assert main(["export", "--case", "oak", "-o", str(tmp_path / "notes.txt" / "oak.csv")]) == 2
    assert f"the folder {tmp_path / 'notes.txt'} is a file, not a folder" in _one_line_error(capsys)


def test_export_into_an_unwritable_folder_leaves_no_part_file(db, folder, capsys, tmp_path, monkeypatch):
    main(["load", str(folder)])
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    if os.access(locked, os.W_OK):  # run as root, a folder's mode binds no one: refuse as the system would
        def refuse(src, dst):
            raise PermissionError(13, "Permission denied", str(dst))

        monkeypatch.setattr(os, "replace", refuse)
    capsys.readouterr()
    try:
        assert main(["export", "--case", "oak", "-o", str(locked / "oak.csv")]) == 2
        err = _one_line_error(capsys)
        assert f"{locked / 'oak.csv'}: cannot be written (Permission denied)" in err
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


@pytest.mark.parametrize(("url", "message"), [
    ("foo://x", "database 'foo://x': not a kind of database the kit uses"),
    ("postgresql+pg8000://kit:s3cret@db.invalid/kit", "its driver 'pg8000' is not installed (pip install"),
    ("not a url", "database 'not a url': not a database URL"),
])
def test_a_database_url_the_kit_cannot_use_is_named_without_its_password(monkeypatch, capsys, url, message):
    monkeypatch.setenv("NEGLECT_KIT_DB", url)
    assert main(["cases"]) == 2
    err = _one_line_error(capsys)
    assert message in err
    assert "s3cret" not in err


def test_a_database_that_is_a_folder_or_not_a_database_is_named(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("NEGLECT_KIT_DB", f"sqlite:///{tmp_path}")
    assert main(["cases"]) == 2
    assert f"database {tmp_path}: cannot be opened (it is a folder, not a database file)" in _one_line_error(capsys)
    notes = tmp_path / "notes.sqlite"
    notes.write_text("shopping list: bread, milk\n")
    monkeypatch.setenv("NEGLECT_KIT_DB", f"sqlite:///{notes}")
    assert main(["cases"]) == 2
    assert f"database {notes}: cannot be opened (file is not a database)" in _one_line_error(capsys)
    assert notes.read_text() == "shopping list: bread, milk\n"


def test_a_settings_path_that_is_a_folder_or_a_setting_out_of_range_is_named(db, monkeypatch, capsys, tmp_path):
    from neglect_kit.config import settings
    settings.cache_clear()
    monkeypatch.setenv("NEGLECT_KIT_SETTINGS", str(tmp_path))
    try:
        assert main(["cases"]) == 2
        assert f"{tmp_path}: is a folder; the settings are a TOML file" in _one_line_error(capsys)
        path = tmp_path / "settings.toml"
        path.write_text("pattern_window_days = 7.5\n")
        monkeypatch.setenv("NEGLECT_KIT_SETTINGS", str(path))
        settings.cache_clear()
        assert main(["load", str(tmp_path)]) == 2
        assert (f"{path}: pattern_window_days must be a whole number of days, 1 or more (not 7.5)"
                in _one_line_error(capsys))
    finally:
        settings.cache_clear()


def test_output_cut_short_by_its_reader_ends_quietly(db, folder):
    main(["load", str(folder)])
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.Popen([sys.executable, "-m", "neglect_kit.cli", "cases"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader goes away before a line is written, as `| head -0` would
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert err == ""


def test_map_to_an_unknown_field_or_a_missing_header_is_an_error_and_saves_nothing(db, folder, capsys, tmp_path):
    main(["load", str(folder)])
    log = tmp_path / "log.csv"
    log.write_text("Date,Child,Type,Details,Worker\n2019-05-01,Mia,Attendance,Late.,A Teacher\n")
    capsys.readouterr()
    assert main(["import", "--case", "oak", "--agency", "School", "--map", "Worker=colour", str(log)]) == 2
    assert "--map 'Worker=colour': 'colour' is not a field" in _one_line_error(capsys)
    assert main(["import", "--case", "oak", "--agency", "School", "--map", "Staff=source_detail", str(log)]) == 1
    assert ("error: log.csv: mapping names column 'Staff', which the file does not have "
            "(its columns: Date, Child, Type, Details, Worker)") in capsys.readouterr().out
    main(["cases", "--json"])
    assert json.loads(capsys.readouterr().out)[0]["entries"] == 2  # the two loaded from the folder, no more


def test_a_return_with_a_header_twice_is_refused_naming_it(db, folder, capsys, tmp_path):
    main(["load", str(folder)])
    log = tmp_path / "log.csv"
    log.write_text("Date,Child,Type,Details,Details\n2019-05-01,Mia,Attendance,Late.,Kept in at break.\n")
    capsys.readouterr()
    assert main(["import", "--case", "oak", "--agency", "School", str(log)]) == 1
    out = capsys.readouterr().out
    assert "error: log.csv: column 'Details' appears more than once" in out and "Nothing was saved" in out
    main(["cases", "--json"])
    assert json.loads(capsys.readouterr().out)[0]["entries"] == 2


def test_a_write_the_database_refuses_is_one_line_without_the_sql_or_the_rows(db, folder, capsys, tmp_path,
                                                                               monkeypatch):
    main(["load", str(folder)])
    log = tmp_path / "log.csv"
    log.write_text("Date,Child,Type,Details\n2019-05-01,Mia,Attendance,Late to school again.\n")
    # the same database opened read-only, as a file whose permissions changed under the kit would be
    monkeypatch.setenv("NEGLECT_KIT_DB", f"sqlite:///file:{db / 'cli.sqlite'}?mode=ro&uri=true")
    capsys.readouterr()
    assert main(["import", "--case", "oak", "--agency", "School", str(log)]) == 2
    err = _one_line_error(capsys)
    assert "the database refused (attempt to write a readonly database): nothing was saved" in err
    assert "INSERT" not in err and "log.csv" not in err


def _json_of(capsys, *argv: str):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def _without_ids(findings: list[dict]) -> list[dict]:
    return [{k: v for k, v in f.items() if k != "entry_ids"} for f in findings]  # record ids are drawn at random


def test_demo_cases_analyse_and_load_on_postgresql_say_what_they_say_on_sqlite(pg_server, pg_demo, demo_file, folder,
                                                                            capsys, monkeypatch):
    said = {}
    for kind, url in (("sqlite", f"sqlite:///{demo_file}"), ("postgresql", pg_demo)):
        monkeypatch.setenv("NEGLECT_KIT_DB", url)
        said[kind] = (_json_of(capsys, "cases", "--json"),
                      _without_ids(_json_of(capsys, "analyse", "--case", "fenwick", "--json")),
                      main(["analyse", "--case", "dunmore"]), capsys.readouterr().out)
    assert said["postgresql"] == said["sqlite"]
    cases, findings, _, text = said["postgresql"]
    assert {c["id"] for c in cases} >= {"fenwick", "dunmore"} and all(c["entries"] for c in cases)
    assert any(f["code"] == "parental_alcohol" for f in findings) and "prompts for professional judgement" in text

    monkeypatch.setenv("NEGLECT_KIT_DB", pg_server.new_database())
    assert main(["load", str(folder)]) == 0
    assert "Saved 2 entries" in capsys.readouterr().out
    [oak] = _json_of(capsys, "cases", "--json")
    assert (oak["id"], oak["entries"]) == ("oak", 2)


def test_a_nul_in_a_case_folder_on_postgresql_is_refused_in_one_line_or_removed(pg_server, folder, capsys,
                                                                                monkeypatch):
    """PostgreSQL cannot hold a NUL character: never a traceback, never half a case."""
    monkeypatch.setenv("NEGLECT_KIT_DB", pg_server.new_database())
    toml = folder / "case.toml"
    toml.write_text(toml.read_text().replace('name = "Mia Oak"', 'name = "Mia\\u0000 Oak"'))
    code = main(["load", str(folder)])
    err = capsys.readouterr().err
    if code == 2:  # refused, naming the field; nothing saved
        assert err.startswith("neglect-kit load: ") and err.count("\n") == 1 and "name" in err, err
        assert "NUL" in err or "U+0000" in err, err
        assert _json_of(capsys, "cases", "--json") == []
    else:  # or cleaned on the way in
        assert code == 0 and not err
        assert Store.open(os.environ["NEGLECT_KIT_DB"]).people("oak")[0]["name"] in ("Mia Oak", "Mia  Oak")

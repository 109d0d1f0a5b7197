"""The fictional sample cases: what they must show, and the messy rows the import must name."""

import re
import shutil
from pathlib import Path

from neglect_kit.casefolder import folder_context, read_case_folder
from neglect_kit.chronology.intake import ReturnFile, check_returns
from neglect_kit.chronology.records import counts_by_agency, stored_entries
from neglect_kit.cli import main
from neglect_kit.config import Settings

SAMPLES = Path(__file__).resolve().parent.parent / "sample_cases"
ALCOHOL = re.compile(r"alcohol|drunk|drinking|intoxicated|smelt of|cans\b|lager|vodka", re.I)


def test_the_main_case_tells_the_story_of_the_review(demo):
    entries = [s.entry for s in stored_entries(demo, "fenwick")]
    assert len(entries) >= 150
    assert len(counts_by_agency(stored_entries(demo, "fenwick"))) >= 8
    assert [c["id"] for c in demo.people("fenwick", kind="child")] == ["maisie", "theo"]
    plans = demo.plans("fenwick")
    assert plans[0]["type"] == "child_in_need"
    assert {p["category"] for p in plans if p["type"] == "child_protection"} == {"neglect"}
    years = sorted({e.event_date.earliest.year for e in entries if e.event_date.earliest})
    assert years[-1] - years[0] >= 6
    assert sum(e.category == "was_not_brought" for e in entries) >= 8
    assert sum(e.category == "attendance" for e in entries) >= 3
    assert any(e.category == "worker_change" for e in entries)
    assert sum(e.impact == "positive" or e.category == "positive" for e in entries) >= 5
    assert sum(bool(e.child_words) for e in entries) >= 5
    assert any(e.pre_birth for e in entries)


def test_alcohol_runs_through_the_records_but_no_plan_names_it(demo):
    entries = [s.entry for s in stored_entries(demo, "fenwick")]
    agencies = {e.agency for e in entries if ALCOHOL.search(e.description)}
    assert {"police", "probation", "school"} <= agencies
    assert agencies & {"health_visiting", "gp", "hospital_ed", "midwifery"}
    assert all("parental_alcohol" not in p["risk_factors"] for p in demo.plans("fenwick"))


def test_the_second_case_improves_and_closes(demo):
    entries = sorted((s.entry for s in stored_entries(demo, "dunmore")), key=lambda e: e.event_date.sort_key)
    [plan] = demo.plans("dunmore")
    assert plan["end"] is not None
    half = len(entries) // 2
    positives = [sum(e.impact == "positive" for e in part) for part in (entries[:half], entries[half:])]
    assert positives[1] > positives[0]
    assert not any(ALCOHOL.search(e.description) for e in entries)


def messy_report():
    folder, base = read_case_folder(SAMPLES / "fenwick")
    files = [ReturnFile.from_path(base / r.file, agency=r.agency, mapping=r.mapping, sheet=r.sheet)
             for r in folder.returns]
    return check_returns(folder_context(folder, Settings()), files)


def test_the_import_names_every_messy_row_of_the_sample_returns():
    report = messy_report()
    errors = {(p.file, p.row, p.column): p.reason for p in report.errors}
    assert set(errors) == {
        ("multi_agency_log.csv", 4, "Agency"), ("multi_agency_log.csv", 5, "Child"),
        ("multi_agency_log.csv", 6, "Date"), ("multi_agency_log.csv", 7, "Agency"),
        ("multi_agency_log.csv", 11, "Date"), ("multi_agency_log.csv", 13, "Date")}
    assert "'Professional' is too vague" in errors["multi_agency_log.csv", 4, "Agency"]
    assert "'Tyler' is not a child of this case" in errors["multi_agency_log.csv", 5, "Child"]
    assert "in the future" in errors["multi_agency_log.csv", 6, "Date"]
    assert "no month 13" in errors["multi_agency_log.csv", 11, "Date"]
    notes: dict[tuple[str, int | None], list[str]] = {}
    for p in report.problems:
        if p.severity == "note":
            notes.setdefault((p.file, p.row), []).append(p.reason)
    assert "read day-first as 3 April 2019" in notes["multi_agency_log.csv", 9]
    assert "description: spreadsheet formula neutralised" in notes["multi_agency_log.csv", 10]
    assert "description: script removed" in notes["multi_agency_log.csv", 12]
    assert "two-digit year '19' read as 2019" in notes["school.csv", 8]
    assert any(n.startswith("linked: same incident as the school entry of 3 Nov 2018")
               for n in notes["police.csv", 6])
    assert len(report.links) == 1


def test_the_command_prints_the_messy_rows_and_exits_non_zero(demo_file, capsys, monkeypatch, tmp_path):
    shutil.copy(demo_file, tmp_path / "kit.sqlite")
    monkeypatch.setenv("NEGLECT_KIT_DB", f"sqlite:///{tmp_path / 'kit.sqlite'}")
    returns = sorted(str(p) for p in (SAMPLES / "fenwick" / "returns").glob("*.csv"))
    capsys.readouterr()
    assert main(["import", "--case", "fenwick", *returns]) == 1
    out = capsys.readouterr().out
    for row in (4, 5, 6, 7, 11, 13):
        assert f"error: multi_agency_log.csv, row {row}, column" in out
    assert "already imported into case fenwick" in out
    assert "Nothing was saved" in out


def test_the_sample_assessments_drift_on_the_main_case_and_improve_on_the_second(demo):
    from neglect_kit.assessment.model import ASSESSMENT_KIND, NeglectAssessment

    def food(case, child):
        found = sorted((NeglectAssessment.model_validate(r.body) for r in demo.current(ASSESSMENT_KIND, case)
                        if r.body["child"] == child), key=lambda a: a.assessed_on)
        return [next(g.grade for g in a.grades if g.sub_area == "food") for a in found]

    assert len(food("fenwick", "maisie")) >= 3
    assert all(g >= 4 for g in food("fenwick", "maisie"))
    riley = food("dunmore", "riley")
    assert riley == sorted(riley, reverse=True)
    assert riley[-1] < riley[0]


def test_the_samples_hold_screenings_days_and_the_childrens_voice(demo):
    from datetime import date

    from neglect_kit.assessment.day import DAY_KIND
    from neglect_kit.assessment.screening import SCREENING_KIND
    from neglect_kit.assessment.voice import VOICE_KIND, VoiceRecord, contact_warnings, last_contact
    from neglect_kit.chronology.records import entries_frame

    for case in ("fenwick", "dunmore"):
        for kind in (SCREENING_KIND, DAY_KIND, VOICE_KIND):
            assert demo.current(kind, case), (case, kind)
    screened = [s.entry for s in stored_entries(demo, "fenwick") if s.entry.agency == "school"
                and s.entry.event_date.earliest == date(2019, 3, 5)]
    assert screened and screened[0].category == "referral"
    voices = [VoiceRecord.model_validate(r.body) for r in demo.current(VOICE_KIND, "fenwick")
              if r.body["child"] == "maisie"]
    contact = last_contact(voices, entries_frame(stored_entries(demo, "fenwick")), date(2023, 1, 1), child="maisie")
    assert any("seen alone" in w for w in contact_warnings(contact, "Maisie"))

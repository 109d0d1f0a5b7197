"""The fictional sample cases: what they must show, and the messy rows the import must name."""

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from neglect_kit.casefolders.case_folder import folder_context, read_case_folder
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
    # Maisie was on a child in need plan that day: her social worker is told, she is not "referred"
    assert screened and screened[0].category == "other" and screened[0].significance == "high"
    assert screened[0].description.startswith("Neglect screening by") and "Tell the child's allocated social " \
        "worker today: this child is on a child in need plan since 14 May 2018" in screened[0].description
    voices = [VoiceRecord.model_validate(r.body) for r in demo.current(VOICE_KIND, "fenwick")
              if r.body["child"] == "maisie"]
    contact = last_contact(voices, entries_frame(stored_entries(demo, "fenwick")), date(2023, 1, 1), child="maisie")
    assert any("seen alone" in w for w in contact_warnings(contact, "Maisie"))


# --- supervision on the main case (supervision.toml) -------------------------------------------------

TODAY = date(2026, 11, 26)


def test_the_main_case_has_signed_sessions_with_carried_over_actions(demo):
    from neglect_kit.supervision.records import actions, sessions

    held = sessions(demo, "fenwick")
    assert len(held) >= 3
    assert all(s.model.is_locked and s.model.cases == ["fenwick"] for s in held)
    assert all(date(2022, 12, 14) < s.model.held_on < TODAY for s in held)  # during the third protection plan
    acts = {a.record_id: a.model for a in actions(demo, "fenwick")}
    for s in held:
        assert {r.action_id for r in s.model.actions_reviewed} | set(s.model.new_actions) <= set(acts)
    [dental] = [a for a in acts.values() if a.repeatedly_carried]
    assert dental.carried_over == 2
    assert "dental" in dental.what
    assert dental.status_on(TODAY) == "overdue"
    carried = [r for s in held for r in s.model.actions_reviewed
               if r.outcome == "carried_over" and acts[r.action_id] is dental]
    assert len(carried) == 2 and all(r.note for r in carried)
    assert {a.status_on(TODAY) for a in acts.values()} == {"done", "cancelled", "overdue"}
    assert all(a.evidence for a in acts.values() if a.status == "done")
    assert all(a.cancel_reason for a in acts.values() if a.status == "cancelled")
    last = held[-1].model.held_on
    assert any(a.status == "open" and a.by > last for a in acts.values())  # not yet due when last discussed
    [amended] = [s.model for s in held if s.model.amendments]
    [change] = amended.amendments
    assert (change.field, "91%" in change.before, "81%" in change.after) == ("stages.experience", True, True)


def test_the_drift_analysis_sees_the_carried_over_action(demo):
    """The open actions reach the analysis from supervision's records, as every app and the command give them."""
    from neglect_kit.analysis.analyse import child_findings
    from neglect_kit.analysis.case_data import load_case
    from neglect_kit.supervision.records import carried

    assert not [f for f in child_findings(load_case(demo, "fenwick", today=TODAY), "maisie").findings
                if f.code == "action_carried"]  # analysis alone knows nothing of supervision
    data = load_case(demo, "fenwick", today=TODAY, actions=carried(demo, "fenwick"))
    for child in ("maisie", "theo"):
        found = [f for f in child_findings(data, child).findings if f.code == "action_carried"]
        assert [f.counts["carried_over"] for f in found] == [2]


def test_the_main_case_challenges_optimism_and_records_the_answer(demo):
    from neglect_kit.supervision.records import sessions

    held = [s.model for s in sessions(demo, "fenwick")]
    [(session, challenge)] = [(s, c) for s in held for c in s.challenges if c.rule == "optimism"]
    assert "love" in session.stages.reflection
    assert "graded 5" in challenge.evidence and "4" in challenge.evidence
    assert challenge.answer and "love" in challenge.answer


def test_the_schools_disagreement_reached_stage_2_and_is_overdue(demo):
    from neglect_kit.supervision.calendar import add_working_days
    from neglect_kit.supervision.records import escalations, sessions

    [stored] = escalations(demo, "fenwick")
    esc = stored.model
    assert [s.stage for s in esc.stages] == [1, 2]
    stage = esc.current_stage
    assert stage.name == "Team managers"
    assert esc.due_on == add_working_days(stage.started_on, 3)
    assert esc.stages[0].outcome.startswith("Not resolved: raised to stage 2")
    assert "designated safeguarding lead" in esc.raised_by.role
    assert esc.child_safe_meanwhile
    assert not esc.is_resolved and esc.is_overdue(TODAY)
    assert any(s.model.escalation_considered and s.model.held_on >= esc.raised_on for s in sessions(demo, "fenwick"))


def test_the_wellbeing_note_is_kept_apart_from_every_session_record(demo):
    import tomllib

    import sqlalchemy as sa

    from neglect_kit.store import schema
    from neglect_kit.supervision.records import WELLBEING_KIND, Restricted, sessions, wellbeing
    from neglect_kit.supervision.session import SESSION_KIND

    written = tomllib.loads((SAMPLES / "fenwick" / "supervision.toml").read_text(encoding="utf-8"))
    [note] = [s["wellbeing"] for s in written["sessions"] if s.get("wellbeing")]
    with demo.engine.connect() as conn:
        rows = conn.execute(sa.select(schema.records.c.record_id, schema.records.c.kind, schema.records.c.body)).all()
    assert {r.kind for r in rows if note in r.body} == {WELLBEING_KIND}  # every version of every record
    bodies = [r.body for r in rows if r.kind == SESSION_KIND]
    assert len(bodies) >= 3 and all('"wellbeing"' not in b for b in bodies)
    [stored] = [s for s in sessions(demo, "fenwick") if f"{s.record_id}-wellbeing" in {r.record_id for r in rows}]
    assert wellbeing(demo, stored, "Jo Kemp") == note == wellbeing(demo, stored, "anita marsh")
    with pytest.raises(Restricted):
        wellbeing(demo, stored, "reader")

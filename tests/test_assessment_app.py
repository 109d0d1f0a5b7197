"""The assessment app driven as a social worker would, without a browser."""

from datetime import date
from pathlib import Path

import pytest

from neglect_kit.apps.assessment import AssessmentApp
from neglect_kit.assessment.model import ASSESSMENT_KIND, EXTERNAL_KIND
from neglect_kit.casefolders.case_folder import load_case_folder

SAMPLES = Path(__file__).resolve().parent.parent / "sample_cases"


@pytest.fixture
def app(store):
    load_case_folder(store, SAMPLES / "dunmore", valid_only=True)
    return AssessmentApp(store)


def test_the_childs_assessments_are_listed_baseline_first(app):
    assert app.child_id == "riley"
    assert "3 assessment(s) of Riley Dunmore" in app.history.value
    assert app.history.value.index("baseline") < app.history.value.index("repeat 1")


def test_a_grade_without_evidence_is_shown_beside_it_and_nothing_saved(app):
    before = len(app.store.current(ASSESSMENT_KIND, "dunmore"))
    app.form.rows["food"].grade.value = "4"
    assert app.save() is None
    assert "written evidence for this grade is needed" in app.form.rows["food"].evidence.error
    assert "Not saved" in app.message.value
    assert len(app.store.current(ASSESSMENT_KIND, "dunmore")) == before


def test_a_complete_assessment_is_saved_as_a_repeat(app):
    app.form.rows["food"].grade.value = "2"
    app.form.rows["food"].evidence.value = "Breakfast and tea seen at both visits."
    app.form.rows["learning"].grade.value = "not_enough_evidence"
    app.form.rows["learning"].evidence.value = "School report not yet received."
    app.form.rows["food"].target_grade.value = "1"
    app.form.rows["food"].target_by.value = date(2099, 1, 1)
    saved = app.save()
    assert saved is not None
    assert "Saved as a repeat assessment of Riley Dunmore" in app.message.value
    assert "4 assessment(s)" in app.history.value
    stored = [r.body for r in app.store.current(ASSESSMENT_KIND, "dunmore")][-1]
    assert {g["sub_area"]: g["grade"] for g in stored["grades"]} == {"food": 2, "learning": "not_enough_evidence"}
    assert stored["assessed_by"] == "worker.one"


def test_a_target_before_the_assessment_is_refused(app):
    row = app.form.rows["food"]
    row.grade.value, row.evidence.value = "3", "Some food."
    row.target_grade.value, row.target_by.value = "2", date(2000, 1, 1)
    assert app.save() is None
    assert "not after the assessment" in app.message.value


def test_an_external_assessment_is_recorded_as_done_with_a_number_only(app):
    app.external_tool.value = "A licensed profile tool"
    assert app.record_external() is None  # no date yet
    app.external_on.value = date(2021, 5, 1)
    app.external_grade.value = "4"
    record = app.record_external()
    assert record.grade == 4
    [stored] = app.store.current(EXTERNAL_KIND, "dunmore")
    assert set(stored.body) == {"child", "tool", "completed_on", "grade"}


def test_progress_shows_the_chart_the_change_and_no_drift_for_an_improving_child(app):
    assert app.progress.value.startswith('<img class="nk-progress" src="data:image/png;base64,')
    assert "Since the assessment of 18 Oct 2021" in app.progress.value
    assert "improved" in app.progress.value
    assert "Drift" not in app.progress.value  # Riley's plan closed and his grades came down


def test_drift_is_flagged_on_the_main_case(store):
    load_case_folder(store, SAMPLES / "fenwick", valid_only=True)
    app = AssessmentApp(store)
    app.case_picker.value = "fenwick"
    assert app.child_id == "maisie"
    assert "Drift: is it time to escalate?" in app.progress.value


def test_the_printable_record_of_an_assessment_as_page_and_pdf(app):
    files = app.prepare_record()
    page = next(d for n, d in files.items() if n.endswith(".html")).decode()
    assert "Riley Dunmore: neglect assessment of 26 September 2022 (repeat 2)" in page
    assert "Food and drink" in page and "Progress up to this assessment" in page
    pdf = next(d for n, d in files.items() if n.endswith(".pdf"))
    assert pdf.startswith(b"%PDF")
    assert app.record_links.value.count("<a download=") == 2


def test_evidence_can_rest_on_the_childs_chronology_entries(app):
    some = [rid for _, rid in app.link_entries.options[:2]]
    app.link_evidence("food", some)
    assert "From the chronology (2)" in app.form.rows["food"].linked.value
    app.form.rows["food"].grade.value = "3"
    app.form.rows["food"].evidence.value = "School breakfast club most days; tea seen at home once."
    app.save()
    stored = [r.body for r in app.store.current(ASSESSMENT_KIND, "dunmore")][-1]
    assert stored["grades"][0]["entries"] == some


def test_the_form_shows_the_partnerships_own_grade_wording(monkeypatch):
    from neglect_kit.assessment import form
    from neglect_kit.config import settings_from_dict

    cfg = settings_from_dict({"grade_meanings": {"4": "Our own words for four."}})
    monkeypatch.setattr(form, "settings", lambda: cfg)
    assert ("4: Our own words for four.", "4") in form.grade_options()

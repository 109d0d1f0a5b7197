"""The assessment app driven as a social worker would, without a browser."""

from datetime import date
from pathlib import Path

import pytest
from markupsafe import escape

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
    assert app.save() is None  # twelve sub-areas left ungraded: said first
    saved = app.save(confirmed=True)
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
    some = [rid for _, rid in app.evidence.found.options[:2]]
    app.link_evidence("food", some)
    assert "From the chronology (2)" in app.form.rows["food"].linked.value
    app.form.rows["food"].grade.value = "3"
    app.form.rows["food"].evidence.value = "School breakfast club most days; tea seen at home once."
    app.save(confirmed=False)
    app.confirm_button.click()
    stored = [r.body for r in app.store.current(ASSESSMENT_KIND, "dunmore")][-1]
    assert stored["grades"][0]["entries"] == some


# --- a repeat that leaves sub-areas ungraded: said by name before anything is saved ---

@pytest.fixture
def maisie(store):
    load_case_folder(store, SAMPLES / "fenwick", valid_only=True)
    app = AssessmentApp(store)
    app.case_picker.value = "fenwick"
    assert app.child_id == "maisie"
    return app


def grade(app, code, value, evidence="Seen at the visit this week (fictional)."):
    app.form.rows[code].grade.value, app.form.rows[code].evidence.value = value, evidence


def test_a_repeat_grading_two_of_fourteen_names_the_other_twelve_and_saves_nothing_until_confirmed(maisie):
    before = len(maisie.store.current(ASSESSMENT_KIND, "fenwick"))
    grade(maisie, "food", "3")
    grade(maisie, "hygiene", "3")
    assert maisie.save() is None
    warning = maisie.message.value
    assert 'role="alert"' in warning and "12 of the 14 sub-areas are not graded" in warning
    assert "Home and sleep: 5 since Dec 2022 will stand, shown as not regraded" in warning
    assert "Food and drink" not in warning
    assert maisie.confirm_box.children == (maisie.confirm_button, maisie.back_button)
    assert len(maisie.store.current(ASSESSMENT_KIND, "fenwick")) == before
    # another sub-area graded after the warning: the list changed, so it is said again, still unsaved
    grade(maisie, "play", "4")
    maisie.confirm_button.click()
    assert "11 of the 14 sub-areas are not graded" in maisie.message.value
    assert len(maisie.store.current(ASSESSMENT_KIND, "fenwick")) == before
    maisie.confirm_button.click()
    assert len(maisie.store.current(ASSESSMENT_KIND, "fenwick")) == before + 1
    assert "Saved as a repeat assessment" in maisie.message.value and maisie.confirm_box.children == ()
    # the twelve drift warnings did not go: the grades stand, carried forward
    assert "Home and sleep" in maisie.progress.value
    assert "5 since Dec 2022, not regraded" in maisie.progress.value
    assert "no longer graded" not in maisie.progress.value


def test_going_back_saves_nothing_and_a_fully_graded_repeat_needs_no_confirming(maisie):
    before = len(maisie.store.current(ASSESSMENT_KIND, "fenwick"))
    grade(maisie, "food", "3")
    maisie.save()
    maisie.back_button.click()
    assert maisie.confirm_box.children == () and "Not saved" in maisie.message.value
    for code in maisie.form.rows:
        grade(maisie, code, "4")
    assert maisie.save() is not None
    assert len(maisie.store.current(ASSESSMENT_KIND, "fenwick")) == before + 1


def test_a_visit_is_not_marked_announced_until_the_worker_says(maisie):
    assert maisie.form.visit_announced.value == ""
    assert maisie.form.visit_announced.options[0] == ("Not recorded", "")
    maisie.form.visit_on.value = date(2023, 6, 1)
    maisie.form.assessed_on.value = date(2023, 6, 2)
    for code in maisie.form.rows:
        grade(maisie, code, "4")
    saved = maisie.save()
    assert saved.visits[0].announced is None
    maisie.record_picker.value = len(maisie.record_picker.options) - 1
    page = next(d for n, d in maisie.prepare_record().items() if n.endswith(".html")).decode()
    assert "01 Jun 2023 (announced or not: not recorded)" in page


def test_the_evidence_picker_lists_readable_labels_newest_first_filters_and_removes(maisie):
    picker = maisie.evidence
    entries = list(picker.entries.values())
    assert len(entries) > 100  # Maisie's chronology is long: a list to search, not to scroll
    days = [e.on for e in entries if e.on]
    assert days == sorted(days, reverse=True)
    label, _ = picker.found.options[0]
    when, agency, what = label.split(" · ", 2)
    assert what == entries[0].short
    assert when == entries[0].when and agency == entries[0].agency and "_" not in agency
    long = next(e for e in entries if len(e.what) > 120)
    assert long.short.endswith("…") and long.what.startswith(long.short[:-1])  # cut at a word, not inside one
    assert long.what[len(long.short) - 1] in " ,;:."
    picker.filter.value = "dentist"
    assert 0 < len(picker.found.options) < len(entries)
    assert all("dentist" in picker.entries[r].what.lower() for _, r in picker.found.options)
    assert "matching “dentist”" in picker.count.value
    picker.filter.value = ""
    picker.sub_area.value = "health"
    picker.found.value = tuple(r for _, r in picker.found.options[:3])
    picker.link_button.click()
    assert len(picker.on_sub_area.options) == 3 and "3 entries linked to Health and dental care" in picker.message.value
    mistake = picker.on_sub_area.options[1][1]
    picker.on_sub_area.value = (mistake,)
    picker.remove_button.click()
    assert mistake not in maisie.form.rows["health"].entries and len(maisie.form.rows["health"].entries) == 2
    assert "From the chronology (2)" in maisie.form.rows["health"].linked.value
    picker.sub_area.value = "food"
    assert picker.on_sub_area.options == ()


def test_the_printable_lists_the_entries_the_evidence_rests_on(maisie):
    picker = maisie.evidence
    chosen = [picker.entries[r] for _, r in picker.found.options[:2]]
    maisie.link_evidence("food", [e.record_id for e in chosen])
    for code in maisie.form.rows:
        grade(maisie, code, "4")
    maisie.save()
    maisie.record_picker.value = len(maisie.record_picker.options) - 1
    page = next(d for n, d in maisie.prepare_record().items() if n.endswith(".html")).decode()
    assert "The chronology entries the evidence rests on" in page
    for e in chosen:
        assert e.when in page and str(escape(e.agency)) in page and str(escape(e.what)) in page


def test_the_form_shows_the_partnerships_own_grade_wording(monkeypatch):
    from neglect_kit.assessment import form
    from neglect_kit.config import settings_from_dict

    cfg = settings_from_dict({"grade_meanings": {"4": "Our own words for four."}})
    monkeypatch.setattr(form, "settings", lambda: cfg)
    assert ("4: Our own words for four.", "4") in form.grade_options()


def test_entries_linked_to_a_sub_area_left_ungraded_are_not_dropped_silently(maisie):
    before = len(maisie.store.current(ASSESSMENT_KIND, "fenwick"))
    grade(maisie, "food", "3")
    maisie.link_evidence("health", [r for _, r in maisie.evidence.found.options[:1]])
    assert maisie.save(confirmed=True) is None
    assert "Health and dental care: no grade given" in maisie.message.value
    assert "no grade given" in maisie.form.rows["health"].grade.error
    assert len(maisie.store.current(ASSESSMENT_KIND, "fenwick")) == before

"""The screening app as a partner-agency professional uses it, without a browser."""

from pathlib import Path

import pytest
from markupsafe import escape

from neglect_kit.apps.screening import ScreeningApp
from neglect_kit.assessment.screening import QUESTIONS, SCREENING_KIND
from neglect_kit.casefolders.case_folder import load_case_folder
from neglect_kit.chronology.records import stored_entries

SAMPLES = Path(__file__).resolve().parent.parent / "sample_cases"


@pytest.fixture
def app(store):
    load_case_folder(store, SAMPLES / "dunmore", valid_only=True)
    return ScreeningApp(store)


def answer_all(app, answer="no", **special):
    for q in QUESTIONS:
        app.answers[q.code].value = special.get(q.code, answer)
    app.agency.value = "school"
    app.day_in_words.value = "Riley arrived late, ate two breakfasts at club, fell asleep after lunch."


def test_unanswered_questions_are_named_and_no_guidance_given(app):
    app.guide_button.click()
    assert 'role="alert"' in app.result.value
    assert app.save_button.disabled


def test_guidance_shows_its_reasons_and_saving_adds_a_chronology_entry(app):
    before = len(stored_entries(app.store, "dunmore"))
    screenings = len(app.store.current(SCREENING_KIND, "dunmore"))
    answer_all(app, food_none="yes")
    app.guide_button.click()
    assert app.advice.level == "refer_to_childrens_social_care"
    assert "<h3>Why</h3>" in app.result.value
    app.save_button.click()
    entries = stored_entries(app.store, "dunmore")
    assert len(entries) == before + 1
    assert entries[-1].entry.category == "referral"
    assert len(app.store.current(SCREENING_KIND, "dunmore")) == screenings + 1
    assert app.save_button.disabled
    app.guide_button.click()  # the same answers again: the guidance, but no second save
    app.save_button.click()
    assert "already saved" in app.result.value
    assert len(app.store.current(SCREENING_KIND, "dunmore")) == screenings + 1


def test_all_no_means_no_concern_now_but_keep_noticing(app):
    answer_all(app)
    app.guide_button.click()
    assert app.advice.level == "no_concern_now"


def test_a_saved_screening_gives_its_printable_record(app):
    answer_all(app, parent_mental_health="yes")
    app.guide_button.click()
    app.save_button.click()
    page = next(d for n, d in app.record_files.items() if n.endswith(".html")).decode()
    assert app.advice.level == "talk_to_safeguarding_lead"
    assert "neglect screening" in page
    assert escape(app.advice.headline) in page
    assert "Download the record as PDF" in app.result.value


def test_unanswered_questions_are_marked_beside_each_in_its_own_words_never_a_code(app):
    answer_all(app)
    first, last = QUESTIONS[0], QUESTIONS[-1]
    app.answers[first.code].value = None
    app.answers[last.code].value = None
    app.guide_button.click()
    assert "Not answered yet" in app.marks[first.code].value and "Not answered yet" in app.marks[last.code].value
    assert all(app.marks[q.code].value == "" for q in QUESTIONS[1:-1])
    assert "2 questions are not answered yet" in app.result.value
    assert str(escape(first.text)) in app.result.value and str(escape(last.text)) in app.result.value
    assert not any(q.code in app.result.value for q in QUESTIONS)
    assert app.save_button.disabled
    app.answers[first.code].value = "no"  # answered: its mark goes at once
    assert app.marks[first.code].value == "" and "Not answered yet" in app.marks[last.code].value


@pytest.fixture
def fenwick(store):
    load_case_folder(store, SAMPLES / "fenwick", valid_only=True)
    app = ScreeningApp(store)
    app.case_picker.value = "fenwick"
    assert app.picker.child_id == "maisie"
    return app


def test_a_child_on_a_protection_plan_is_never_to_be_referred_her_social_worker_is_told_by_name(fenwick):
    assert "Maisie Fenwick is on a child protection plan (neglect) since 14 Dec 2022" in fenwick.known.value
    assert "Social worker: Jo Kemp (named at the supervision of 24 May 2023)" in fenwick.known.value
    answer_all(fenwick, food_none="yes")
    fenwick.guide_button.click()
    assert fenwick.advice.level == "tell_allocated_social_worker"
    assert "Tell Jo Kemp, the child&#39;s social worker, today" in fenwick.result.value
    assert "Refer this child" not in fenwick.result.value and "referred" not in fenwick.result.value
    before = len(stored_entries(fenwick.store, "fenwick"))
    fenwick.save_button.click()
    entries = stored_entries(fenwick.store, "fenwick")
    assert len(entries) == before + 1 and entries[-1].entry.category != "referral"


def test_a_child_with_no_current_plan_is_said_to_have_none(app):
    assert "These records show no current plan for Riley Dunmore" in app.known.value

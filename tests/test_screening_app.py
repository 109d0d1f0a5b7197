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

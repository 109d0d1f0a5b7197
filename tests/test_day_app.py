"""The day-in-the-life app as a social worker uses it, without a browser."""

from datetime import date
from pathlib import Path

import pytest

from neglect_kit.apps.day_in_the_life import DayApp
from neglect_kit.assessment.day import DAY_KIND
from neglect_kit.assessment.voice import VOICE_KIND
from neglect_kit.casefolders.case_folder import load_case_folder

SAMPLES = Path(__file__).resolve().parent.parent / "sample_cases"


@pytest.fixture
def app(store):
    load_case_folder(store, SAMPLES / "dunmore", valid_only=True)
    return DayApp(store)


def test_the_version_follows_the_childs_age_and_contact_is_shown(app):
    assert app.version.value == "adolescent"  # Riley was born in November 2013
    assert "Last seen alone: 26 Sep 2022" in app.contact.value  # from the sample's voice records
    assert "Riley Dunmore has not been seen alone for" in app.contact.value


def test_a_day_is_saved_with_the_accounts_side_by_side(app):
    before = len(app.store.current(DAY_KIND, "dunmore"))
    app.slot_fields["breakfast"]["parent_account"].value = "Cereal every morning."
    app.slot_fields["breakfast"]["child_account"].value = "Nothing to eat, I get toast at breakfast club."
    app.slot_fields["breakfast"]["effect_on_child"].value = "hungry at school"
    day = app.save_day()
    assert day is not None
    assert len(app.store.current(DAY_KIND, "dunmore")) == before + 1
    assert 'class="nk-day"' in app.day_view.value and "hungry at school" in app.day_view.value
    assert "Download the record as PDF" in app.day_view.value
    page = next(d for n, d in app.record_files.items() if n.endswith(".html")).decode()
    assert "Nothing to eat, I get toast at breakfast club." in page and "hungry at school" in page
    assert next(d for n, d in app.record_files.items() if n.endswith(".pdf")).startswith(b"%PDF")


def test_an_empty_day_is_refused(app):
    assert app.save_day() is None
    assert "Not saved" in app.day_message.value


def test_the_childs_voice_is_saved_and_the_contact_updates(app):
    before = len(app.store.current(VOICE_KIND, "dunmore"))
    app.voice_on.value = date.today()
    app.voice_what.value = "I like my new room."
    app.voice_alone.value = True
    assert app.save_voice() is not None
    assert len(app.store.current(VOICE_KIND, "dunmore")) == before + 1
    assert f"Last seen alone: {date.today():%d %b %Y}" in app.contact.value
    app.voice_what.value = ""
    assert app.save_voice() is None

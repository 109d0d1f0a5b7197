"""The day-in-the-life app as a social worker uses it, without a browser."""

from datetime import date, timedelta
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
    app.judgements["breakfast"].value = "differ"
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


def test_each_pair_of_accounts_is_judged_by_the_worker_with_the_kits_reading_a_suggestion(app):
    app.version.value = "pre_school"
    fields = app.slot_fields["nursery_or_morning"]
    judgement = app.judgements["nursery_or_morning"]
    assert judgement.layout.display == "none"  # one account: nothing to judge yet
    fields["parent_account"].value = "He goes to nursery"
    fields["child_account"].value = "Attended two mornings out of five"
    assert judgement.layout.display is None and judgement.value is None
    reading = app.readings["nursery_or_morning"].value
    assert "The kit's suggestion, for you to weigh: They may differ on how often" in reading.replace("&#x27;", "'")
    assert "Agree" not in reading and "shares" not in reading
    before = len(app.store.current(DAY_KIND, "dunmore"))
    assert app.save_day() is None  # not judged: not saved, and said where
    assert "judge the two accounts at nursery or morning" in app.day_message.value
    assert "Not judged yet" in app.readings["nursery_or_morning"].value
    assert len(app.store.current(DAY_KIND, "dunmore")) == before
    judgement.value = "differ"
    day = app.save_day()
    assert day.slot("nursery_or_morning").judged == "differ"
    assert len(app.store.current(DAY_KIND, "dunmore")) == before + 1
    assert "<strong>Differ</strong>" in app.day_view.value


def test_a_visit_and_the_childs_view_in_an_assessment_count_for_seen_and_heard(app):
    from neglect_kit.analysis.analyse import child_findings
    from neglect_kit.analysis.case_data import load_case
    from neglect_kit.analysis.summary import child_summary
    from neglect_kit.assessment.model import ASSESSMENT_KIND
    from neglect_kit.reports.document import body_html

    visit, assessed = date.today() - timedelta(days=3), date.today() - timedelta(days=1)
    app.store.create(ASSESSMENT_KIND, "dunmore", {
        "child": "riley", "assessed_on": assessed.isoformat(), "assessed_by": "Social worker (fictional)",
        "visits": [{"on": visit.isoformat(), "announced": False}], "child_view": "Riley said his room is warm now.",
        "grades": [{"sub_area": "home_sleep", "grade": 2, "evidence": "Dry bedroom, new bed."}]})
    app.refresh()
    assert f"Last seen: {visit:%d %b %Y}" in app.contact.value
    assert f"Last heard: {assessed:%d %b %Y}" in app.contact.value
    assert f"Last seen alone: {visit:%d %b %Y}" not in app.contact.value  # a visit is not seen alone
    data = load_case(app.store, "dunmore", today=date.today())
    page = body_html(child_summary(data, child_findings(data, "riley")))
    assert "in the assessment by Social worker (fictional): “Riley said his room is warm now.”" in page

"""The reflective supervision app driven as a supervisor and worker would, without a browser."""

import io
import shutil
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from neglect_kit.apps.reflective_session import NEW, ReflectiveSessionApp
from neglect_kit.store import Store
from neglect_kit.supervision import records
from neglect_kit.supervision.actions import ACTION_KIND
from neglect_kit.supervision.session import SESSION_KIND

SUPERVISOR, WORKER = "Nadia Brook", "Sam Okafor"
WELLBEING = "WELLBEING NOTE: Sam is carrying 24 cases and sleeping badly."
STAGES = {
    "experience": "Maisie told her teacher she sleeps in her coat because the house is cold; Theo was not "
                  "brought to the dentist again.",
    "reflection": "Donna and Craig clearly love the children and have been engaging well; Donna attended a "
                  "parenting course in the spring.",
    "analysis": "The grades for food, warmth and health have not moved in four assessments; alcohol runs through "
                "the records and is named in no plan.",
    "action_plan": "Name parental alcohol use in the plan; book the dental treatment; a warm bed for each child "
                   "before winter.",
}


@pytest.fixture
def db(demo_file, tmp_path):
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    return f"sqlite:///{copy}"


def open_app(db: str, user: str) -> ReflectiveSessionApp:
    app = ReflectiveSessionApp(Store.open(db, user=user))
    app.select_case("fenwick")
    return app


def write_session(app: ReflectiveSessionApp) -> None:
    f = app.form
    f.worker.value = WORKER
    f.held_on.value = date.today()
    f.next_on.value = date.today() + timedelta(days=28)
    for code, words in STAGES.items():
        f.stages[code].value = words
    for box in (*f.functions.values(), *f.stakeholders.values()):
        box.value = True
    for row in f.reviews:
        row.outcome.value, row.note.value = "carried_over", "Not done: the family missed two appointments."
    f.decisions[0].decision.value = "Ask for a review of the plan to name parental alcohol use"
    f.decisions[0].reason.value = "Nine agencies recorded drinking over six years and no plan addresses it."
    f.escalation_considered.value = True
    f.escalation_note.value = "Weighed escalating the drift to the service lead; first the plan review this month."
    f.wellbeing.value = WELLBEING
    for prompt in app.check_challenges():
        app.answers[prompt.rule].value = f"Answered in the session: {prompt.title.lower()} was discussed."


def test_a_whole_session_from_the_evidence_to_the_printed_record(db):
    app = open_app(db, SUPERVISOR)
    assert app.session_picker.value == NEW
    assert "Parental alcohol use" in app.evidence.findings.value
    assert "<img" in app.evidence.timeline.value and "Last seen alone" in app.evidence.voice.value
    open_before = {a.record_id: a.model.carried_over for a in records.actions(app.store, "fenwick")
                   if a.model.status == "open"}
    assert len(app.form.reviews) == len(open_before)
    write_session(app)
    rules = [p.rule for p in app.prompts]
    assert "optimism" in rules and "risk_not_named" in rules and "outputs_not_outcomes" in rules
    optimism = next(p for p in app.prompts if p.rule == "optimism")
    assert any("love the children" in e for e in optimism.evidence)

    app.action_what.value, app.action_who.value = "monitor", "Social worker"
    app.action_by.value, app.action_change.value = date.today() + timedelta(days=14), "Maisie is warm at night"
    assert app.add_action() is None and "too vague" in app.action_message.value
    app.action_what.value = "Buy and fit a bed and warm bedding for each child"
    assert app.add_action() is not None and "Buy and fit a bed" in app.new_actions.value

    assert app.save() is not None, app.message.value
    assert app.sign("worker", "Someone Else") is None and f"only the worker named in the record, {WORKER}" in \
        app.sign_message.value
    assert app.sign("supervisor", SUPERVISOR) is not None
    signed = app.sign("worker", WORKER)
    assert signed is not None and signed.is_locked, app.sign_message.value
    assert all(c.disabled for c in app.form.controls()) and app.save_button.disabled

    after = {a.record_id: a.model.carried_over for a in records.actions(app.store, "fenwick")}
    assert all(after[rid] == n + 1 for rid, n in open_before.items())  # last time's actions carried over

    stored = records.sessions(app.store, "fenwick")[-1]
    assert WELLBEING not in stored.record.body_json and stored.model.challenges
    assert all(c.answer for c in stored.model.challenges)
    files = app.prepare_record()
    pdf = next(v for k, v in files.items() if k.endswith(".pdf"))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Reflective supervision record" in text and "sleeps in her coat" in text
    assert "Buy and fit a bed" in text and SUPERVISOR in text and WORKER in text
    assert "WELLBEING NOTE" not in text
    page = next(v for k, v in files.items() if k.endswith(".html")).decode()
    assert "WELLBEING NOTE" not in page


def test_a_record_not_ready_is_not_signed(db):
    app = open_app(db, SUPERVISOR)
    app.form.worker.value = WORKER
    app.form.stages["experience"].value = "Case discussed, plan agreed."
    assert app.save() is not None
    assert app.sign("supervisor", SUPERVISOR) is None
    assert "Experience says only" in app.sign_message.value and "no decision is recorded" in app.sign_message.value


def test_two_people_saving_one_draft_lose_nothing(db):
    first = open_app(db, SUPERVISOR)
    write_session(first)
    assert first.save() is not None
    draft = first.stored.record_id
    second = open_app(db, WORKER)
    second.session_picker.value = draft
    first.form.stages["analysis"].value = "The supervisor's newer analysis."
    assert first.save() is not None
    second.form.stages["analysis"].value = "The worker's own analysis, typed at the same time."
    assert second.save() is None
    assert "saved this record at" in second.message.value and "The supervisor&#39;s newer analysis." in \
        second.message.value
    assert second.form.stages["analysis"].value == "The worker's own analysis, typed at the same time."
    assert second.save() is not None  # saved again, deliberately, over theirs (theirs kept in history)
    history = second.store.history(draft)
    assert [v.version for v in history] == [1, 2, 3]
    assert "The supervisor's newer analysis." in history[1].body_json


def test_an_amendment_after_sign_off_keeps_the_original(db):
    app = open_app(db, SUPERVISOR)
    write_session(app)
    app.save()
    app.sign("supervisor", SUPERVISOR)
    app.sign("worker", WORKER)
    assert app.amend("stages.analysis", "Corrected: five assessments, not four.", "") is None
    assert "reason" in app.amend_message.value
    amended = app.amend("stages.analysis", "Corrected: five assessments, not four.", "the count was wrong")
    assert amended is not None and amended.is_locked
    [a] = amended.amendments
    assert a.before == STAGES["analysis"] and a.after.startswith("Corrected") and a.author == SUPERVISOR
    assert records.wellbeing(app.store, app.stored, SUPERVISOR) == WELLBEING  # an amendment never clears them
    assert all(c.disabled for c in app.form.controls())  # still locked after the form was filled again
    app.form.stages["analysis"].disabled = False
    app.form.stages["analysis"].value = "An edit past the lock"
    assert app.save() is None and "amend" in app.message.value.lower()


def test_wellbeing_notes_are_for_the_two_people_only(db):
    app = open_app(db, SUPERVISOR)
    write_session(app)
    app.save()
    rid = app.stored.record_id
    again = open_app(db, WORKER)
    again.session_picker.value = rid
    assert again.form.wellbeing.value == WELLBEING
    other = open_app(db, "team.manager.two")
    other.session_picker.value = rid
    assert other.form.wellbeing.value == "" and other.form.wellbeing.layout.display == "none"
    with pytest.raises(records.Restricted):
        records.wellbeing(other.store, other.stored, other.store.user)
    bodies = [r.body_json for r in other.store.current(SESSION_KIND, "fenwick")]
    assert bodies and not any("WELLBEING NOTE" in b for b in bodies)
    assert not any("WELLBEING NOTE" in r.body_json for r in other.store.current(ACTION_KIND, "fenwick"))


def test_the_session_picker_follows_the_record_on_screen(db):
    app = open_app(db, SUPERVISOR)
    write_session(app)
    app.save()
    rid = app.stored.record_id
    assert app.session_picker.value == rid and app.session_picker.index is not None
    app.session_picker.value = NEW
    assert app.stored is None and app.form.stages["analysis"].value == ""
    app.session_picker.value = rid
    app.sign("supervisor", SUPERVISOR)
    assert app.session_picker.value == rid and "draft" in app.session_picker.label
    app.sign("worker", WORKER)
    assert app.session_picker.value == rid and "signed" in app.session_picker.label
    app.session_picker.value = NEW  # a new session can be started straight after signing
    assert app.stored is None and not app.form.stages["analysis"].disabled

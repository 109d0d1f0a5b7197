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
        row.new_by.value = date.today() + timedelta(days=14)
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
    assert "Parental alcohol use" in app.evidence.headline.value  # the summary; each part opened on demand
    for name in ("findings", "timeline", "voice"):
        app.evidence.sections[name].button.click()
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

    after = {a.record_id: a.model for a in records.actions(app.store, "fenwick")}
    assert all(after[rid].carried_over == n + 1 for rid, n in open_before.items())  # last time's actions carried
    assert all(after[rid].by == date.today() + timedelta(days=14) for rid in open_before)  # to the new date

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


def test_the_evidence_opens_as_a_short_summary_with_its_sections_on_demand(db):
    app = open_app(db, SUPERVISOR)
    headline = app.evidence.headline.value
    # the children, the most serious findings with their counts, the open actions, the last assessment
    assert "Maisie Fenwick" in headline and "Theo Fenwick" in headline
    assert "Risks in the records but not in any plan</strong> (6 findings): Parental alcohol use" in headline
    assert "<strong>Open actions</strong>: " in headline and "overdue" in headline
    assert "<strong>Last neglect assessment</strong>: Maisie: 19 Dec 2022, 14 of 14 sub-areas graded 4 or 5" in \
        headline
    assert headline.count("<li>") == 3
    # nothing drawn until asked for: no picture, no table of findings
    assert not app.evidence.opened and app.evidence.timeline.value == "" and app.evidence.findings.value == ""
    headings = [s.heading for s in app.evidence.sections.values()]
    assert headings == ["Timeline", "What the records show", "Assessment progress",
                        "The children's voice: seen, seen alone, heard", "Open and overdue actions",
                        "What is life like for each child?"]
    app.evidence.sections["timeline"].button.click()
    assert "<img" in app.evidence.timeline.value
    # another case: the summary is its own, the timeline opened again for it, the rest still closed
    app.case_picker.value = "dunmore"
    assert "Riley" in app.evidence.headline.value and "Maisie" not in app.evidence.headline.value
    assert app.evidence.sections["timeline"].opened and not app.evidence.sections["findings"].opened
    assert "Riley" in app.evidence.timeline.value


def test_the_sessions_are_listed_before_the_evidence_is_read(db):
    queued = []
    app = ReflectiveSessionApp(Store.open(db, user=SUPERVISOR), draw_later=queued.append)
    app.case_picker.value = "fenwick"
    listed = [label for label, _ in app.session_picker.options]
    assert listed[0] == "A new session" and any("Jo Kemp with Anita Marsh (signed)" in x for x in listed)
    assert app.evidence.data is None and "Reading the case" in app.evidence.headline.value
    assert len(app.form.reviews) >= 1  # last time's actions are ready to review too
    while queued:
        queued.pop(0)()
    assert app.evidence.case_id == "fenwick" and "Parental alcohol use" in app.evidence.headline.value


def test_an_action_carried_over_is_given_its_new_date_or_the_record_is_not_signed(db):
    app = open_app(db, SUPERVISOR)
    write_session(app)
    dental = next(r for r in app.form.reviews if r.what.startswith("Book dental appointments"))
    assert "(due 30 Jun 2023, social worker; overdue" in dental.label.value
    assert "carried over 2 times, first due 28 Feb 2023" in dental.label.value
    assert dental.was_due == date(2023, 6, 30) and dental.carry_box.layout.display is None
    dental.outcome.value = "done"
    assert dental.carry_box.layout.display == "none"  # asked for only when carried over
    dental.outcome.value = "carried_over"
    dental.new_by.value = date(2023, 6, 1)
    assert app.save() is None
    assert "must fall after the date it was due, 30 Jun 2023" in app.message.value
    dental.new_by.value = None
    assert app.save() is not None  # a draft may wait for the date...
    assert app.sign("supervisor", SUPERVISOR) is None  # ...but it is not signed without one
    assert "is carried over but has no new due date: give the date it is now due, after 30 Jun 2023" in \
        app.sign_message.value
    dental.new_by.value = date.today() + timedelta(days=21)
    assert app.sign("supervisor", SUPERVISOR) is not None and app.sign("worker", WORKER) is not None
    held = next(a.model for a in records.actions(app.store, "fenwick") if a.record_id == "act-dental-2023")
    assert held.by == date.today() + timedelta(days=21) and held.carried_over == 3
    assert held.earlier_due == [date(2023, 2, 28), date(2023, 4, 28), date(2023, 6, 30)]
    assert held.status_on(date.today()) == "open"  # overdue is counted from the date agreed now


def test_escalation_considered_raises_a_disagreement_or_records_why_not(db):
    app = open_app(db, SUPERVISOR)
    write_session(app)
    f = app.form
    f.escalation_considered.value, f.escalation_note.value = False, ""
    assert f.escalation_box.layout.display == "none"
    f.escalation_considered.value = True
    assert f.escalation_box.layout.display is None and f.escalation_choice.value is None
    assert app.save() is None and "escalation_note is needed when escalation was considered and no disagreement " \
                                  "was raised: say what was weighed and why it was not escalated" in app.message.value
    f.escalation_choice.value = "not_now"
    assert f.escalation_note.layout.display is None and f.escalation_raise_box.layout.display == "none"
    f.escalation_note.value = "Weighed taking it to the service lead; the plan review this month comes first."
    assert app.save() is not None
    assert records.sessions(app.store, "fenwick")[-1].model.escalation_note.startswith("Weighed taking it")

    f.escalation_choice.value = "raise"  # the escalation form, pre-filled for this case
    assert f.escalation_raise_box.layout.display is None and f.escalation_note.layout.display == "none"
    form = app.raise_form
    assert form.case.value == "fenwick" and form.case.disabled and "The Fenwick children" in form.case_named.value
    assert form.case not in form.widget.children  # the page's one case picker is the app's
    assert set(form.children.value) == {"maisie", "theo"} and form.raised_by.value == SUPERVISOR
    assert form.raised_on.value == f.held_on.value
    assert app.raise_disagreement() is None and "Not raised" in form.message.value
    form.raised_by_role.value = "Team manager"
    form.raised_with.value, form.raised_with_role.value = "Dr Ines Hale", "Community paediatrics"
    form.about.value = "The paediatrician will not see Theo until January; his teeth and weight cannot wait."
    form.safe.value = "School nurse weighs Theo weekly; the social worker takes him to the emergency dentist."
    rid = app.raise_disagreement()
    assert rid is not None and "Raised at stage 1 (Practitioner to practitioner)" in form.message.value
    assert "Raised in this session:" in app.raised.value and "will not see Theo" in app.raised.value
    f.escalation_note.value = ""
    assert app.save() is not None, app.message.value
    saved = records.sessions(app.store, "fenwick")[-1].model
    assert saved.escalations_raised == [rid] and saved.escalation_considered
    [esc] = [e.model for e in records.escalations(app.store, "fenwick") if e.model.about.startswith("The paed")]
    assert esc.children == ["maisie", "theo"] and esc.raised_by.name == SUPERVISOR
    again = open_app(db, WORKER)
    again.session_picker.value = app.stored.record_id
    assert again.form.escalation_choice.value == "raise" and "will not see Theo" in again.raised.value


def test_the_too_vague_example_names_a_child_of_this_case(db):
    app = open_app(db, SUPERVISOR)
    app.action_what.value, app.action_who.value = "monitor", "Social worker"
    app.action_by.value, app.action_change.value = date.today() + timedelta(days=14), "Theo is warm at night"
    app.action_child.value = "theo"
    assert app.add_action() is None
    assert "e.g. &#39;check Theo&#39;s lunchbox" in app.action_message.value and "Ruby" not in app.action_message.value
    app.action_child.value = ""
    assert app.add_action() is None and "check Maisie&#39;s lunchbox" in app.action_message.value


def test_a_finding_for_both_children_is_shown_once_with_the_other_named(db):
    app = open_app(db, SUPERVISOR)
    risks = next(li for li in app.evidence.headline.value.split("<li>") if li.startswith("<strong>Risks"))
    assert "not named in any of Maisie&#39;s 6 plans" in risks and "<em>Also found for Theo.</em>" in risks

"""The supervision session record: its rules, readiness to sign, sign-off, the lock, amendments, wellbeing kept in."""

import json
from datetime import date, datetime, timedelta

import pytest
from pydantic import ValidationError

from neglect_kit.supervision.session import (
    CYCLE,
    PROMPTS,
    SupervisionSession,
    check_ready_to_sign,
    public_body,
    says_only_record_words,
)
from neglect_kit.supervision.signoff import NotReadyToSign, SessionLocked, amend, edit, sign

HELD = date(2026, 3, 10)
AT = datetime(2026, 3, 10, 15, 0)
WELLBEING = "Tom is sleeping badly since the Ashdown visit and will see occupational health"


def session(**change):
    data = {
        "session_type": "case", "held_on": HELD, "supervisor": "Priya Shah", "worker": "Tom Reed",
        "cases": ["ashdown"],
        "actions_reviewed": [
            {"action_id": "act-1", "what": "Book Jack's dental check", "outcome": "done",
             "note": "Seen by the dentist on 2 March; the practice letter is on file"},
            {"action_id": "act-2", "what": "Lunchbox check at school", "outcome": "carried_over",
             "note": "School started it only last week; two more weeks needed", "was_due": date(2026, 3, 20),
             "new_by": date(2026, 4, 3)},
        ],
        "stages": {
            "experience": "Ruby told the school nurse she had no breakfast three days running. The kitchen had "
                          "no food on my visit on 3 March; Jack was in the same nappy all visit.",
            "reflection": "I felt reassured by Dawn's warmth and notice I wanted to believe her account.",
            "analysis": "The chronology shows the same gaps in food since 2024; courses attended have not "
                        "changed what Ruby eats. Love is not the same as adequate care.",
            "action_plan": "Daily lunchbox log by school; health visitor to weigh Jack weekly; review in four "
                           "weeks against the log.",
        },
        "functions_covered": ["Management", "support", "management"],
        "stakeholders_covered": ["worker", "child and family"],
        "decisions": [{"decision": "Keep the child protection plan", "reason": "No change in what the children "
                       "eat or wear since the plan began"}],
        "challenges": [{"rule": "optimism", "prompt": "Is love being read as adequate care?",
                        "evidence": "3 home visits with no food in the kitchen", "answer": "Yes, partly: noted "
                        "in the analysis"}],
        "escalation_considered": True,
        "escalation_note": "Considered with the GP's view; not needed while the plan continues",
        "next_on": date(2026, 4, 7),
        "wellbeing": WELLBEING,
    }
    data.update(change)
    return SupervisionSession.model_validate(data)


def signed_by_both():
    one = sign(session(), "Priya Shah", "supervisor", AT)
    return sign(one, "tom reed", "worker", AT + timedelta(minutes=5))


def test_a_session_is_read():
    s = session(session_type="Ad hoc", cases=["ashdown", "ashdown", "marlow"])
    assert s.session_type == "ad_hoc" and s.cases == ["ashdown", "marlow"]
    assert s.functions_covered == ["management", "support"]
    assert s.stakeholders_covered == ["child_and_family", "worker"]  # in the model's order
    assert not s.is_locked and check_ready_to_sign(session()) == []


def test_each_stage_has_its_own_prompts():
    assert list(PROMPTS) == list(CYCLE) == ["experience", "reflection", "analysis", "action_plan"]
    assert all(2 <= len(p) <= 4 for p in PROMPTS.values())
    assert "see, hear and smell" in PROMPTS["experience"][0]


@pytest.mark.parametrize(("change", "message"), [
    ({"session_type": "peer"}, "session_type 'peer' is not one of case, group, ad_hoc"),
    ({"held_on": date.today() + timedelta(days=1)}, r"held_on \(.*\) is in the future"),
    ({"supervisor": " "}, "supervisor is blank: give their name"),
    ({"worker": ""}, "worker is blank"),
    ({"worker": "priya shah"}, "supervisor and worker are both priya shah: supervision takes two people"),
    ({"cases": []}, "cases is empty: name the case discussed"),
    ({"cases": ["ashdown", "marlow"]}, "a case session is about one case, not 2: record a group session"),
    ({"actions_reviewed": [{"action_id": "act-2", "what": "Lunchbox check", "outcome": "carried over"}]},
     "note is needed when the action 'Lunchbox check' is carried over: say why it was not done"),
    ({"actions_reviewed": [{"action_id": "act-3", "outcome": "cancelled", "note": "n/a"}]},
     "note is needed when the action 'act-3' is cancelled: say why it is no longer needed"),
    ({"actions_reviewed": [{"action_id": "act-3", "outcome": "dropped"}]}, "outcome 'dropped' is not one of done"),
    ({"functions_covered": ["management", "teaching"]}, "functions_covered 'teaching' is not one of management"),
    ({"stakeholders_covered": ["courts"]}, "stakeholders_covered 'courts' is not one of child_and_family"),
    ({"decisions": [{"decision": "Keep the plan", "reason": ""}]}, "reason is blank: say why it was decided"),
    ({"decisions": [{"decision": "", "reason": "Ruby hungry"}]}, "decision is blank: write the decision"),
    ({"escalation_note": ""}, "escalation_note is needed when escalation was considered and no disagreement was "
                              "raised: say what was weighed and why it was not escalated"),
    ({"escalation_considered": False, "escalations_raised": ["esc-1"]},
     "escalations_raised names a disagreement raised in this session, but escalation_considered is not ticked"),
    ({"actions_reviewed": [{"action_id": "act-2", "what": "Lunchbox check", "outcome": "carried_over", "note": "Not "
                            "yet", "was_due": date(2026, 3, 20), "new_by": date(2026, 3, 20)}]},
     r"the new due date of the action 'Lunchbox check' \(20 Mar 2026\) must fall after the date it was due, "
     "20 Mar 2026"),
    ({"actions_reviewed": [{"action_id": "act-2", "what": "Lunchbox check", "outcome": "carried_over", "note": "Not "
                            "yet", "was_due": date(2026, 1, 20), "new_by": date(2026, 3, 1)}]},
     r"the new due date of the action 'Lunchbox check' \(1 Mar 2026\) must fall after this session, held on "
     "10 Mar 2026"),
    ({"actions_reviewed": [{"action_id": "act-2", "what": "Lunchbox check", "outcome": "done", "note": "Done",
                            "new_by": date(2026, 4, 1)}]},
     "new_by is given for the action 'Lunchbox check', which is not carried over"),
    ({"next_on": HELD}, r"next_on \(10 Mar 2026\) must fall after this session, held on 10 Mar 2026"),
    ({"stages": {"experience": "x", "feelings": "y"}}, "feelings"),
    ({"signatures": [{"who": "Priya Shah", "role": "supervisor", "signed_at": AT}] * 2},
     "signatures holds two for one role"),
    ({"mood": "fine"}, "mood"),
])
def test_bad_sessions_are_refused_with_the_field_named(change, message):
    with pytest.raises(ValidationError, match=message):
        session(**change)


def test_the_future_is_judged_against_the_day_given():
    data = session().model_dump() | {"held_on": date(2026, 3, 11)}
    with pytest.raises(ValidationError, match=r"held_on \(11 Mar 2026\) is in the future"):
        SupervisionSession.model_validate(data, context={"today": HELD})


def test_escalation_not_considered_needs_no_note():
    assert session(escalation_considered=False, escalation_note="").escalation_note == ""


def test_escalation_considered_and_raised_needs_no_reason_why_not():
    raised = session(escalation_note="", escalations_raised=["esc-1"])
    assert raised.escalations_raised == ["esc-1"] and raised.escalation_note == ""


def test_an_action_carried_over_needs_its_new_due_date_before_signing():
    reviews = session().model_dump()["actions_reviewed"]
    reviews[1] |= {"new_by": None}
    problems = check_ready_to_sign(session(actions_reviewed=reviews))
    assert problems == ["the action 'Lunchbox check at school' is carried over but has no new due date: give the "
                        "date it is now due, after 20 Mar 2026"]
    with pytest.raises(NotReadyToSign, match="has no new due date"):
        sign(session(actions_reviewed=reviews), "Priya Shah", "supervisor", AT)


@pytest.mark.parametrize("text", [
    "Case discussed, plan agreed.", "case discussed and plan agreed", "Discussed.", "Nothing to add", "As above",
    "n/a", "No change.", "Plan reviewed, no new concerns", "See previous notes", "Ongoing - going well",
])
def test_an_empty_phrase_is_not_a_stage(text):
    assert says_only_record_words(text)
    problems = check_ready_to_sign(session(stages={"analysis": text} | session().stages.model_dump(
        exclude={"analysis"})))
    assert problems == [f"Analysis says only '{text}', which tells a reader nothing about the child: "
                        f"{PROMPTS['analysis'][0]}"]


def test_a_stage_with_real_words_after_an_empty_phrase_is_kept():
    text = "Case discussed. Ruby said she hides food in her bag for Jack."
    assert not says_only_record_words(text)
    assert check_ready_to_sign(session(stages=session().stages.model_dump() | {"reflection": text})) == []


def test_a_draft_lists_everything_it_needs_before_signing():
    draft = session(stages={"experience": "Ruby hungry", "reflection": "", "analysis": "Case discussed",
                            "action_plan": "Plan agreed"},
                    decisions=[{"decision": "Keep the plan", "reason": "As discussed"}],
                    actions_reviewed=[{"action_id": "act-1", "what": "Book Jack's dental check"}],
                    challenges=[{"rule": "adult_focus", "prompt": "When was Ruby last seen alone?"}],
                    next_on=None)
    problems = check_ready_to_sign(draft)
    assert problems == [
        f"Experience ('Ruby hungry') is too short to show what happened or what was thought: "
        f"{PROMPTS['experience'][0]}",
        f"Reflection is blank: {PROMPTS['reflection'][0]}",
        f"Analysis says only 'Case discussed', which tells a reader nothing about the child: {PROMPTS['analysis'][0]}",
        f"Action plan says only 'Plan agreed', which tells a reader nothing about the child: "
        f"{PROMPTS['action_plan'][0]}",
        "the reason for the decision 'Keep the plan' says only 'As discussed': say why it was decided",
        "the action 'Book Jack's dental check' was reviewed but has no outcome: done, carried over or cancelled",
        "the challenge 'When was Ruby last seen alone?' has no answer: record what was said",
        "the date of the next session is not set",
    ]
    assert "no decision is recorded: write at least one decision" in check_ready_to_sign(session(decisions=[]))[0]
    with pytest.raises(NotReadyToSign, match="not ready to sign: Experience") as caught:
        sign(draft, "Priya Shah", "supervisor", AT)
    assert caught.value.problems == problems


def test_signing_by_both_locks_the_record():
    one = sign(session(), "Priya Shah", "supervisor", AT)
    assert not one.is_locked and [s.role for s in one.signatures] == ["supervisor"]
    both = sign(one, "tom reed", "worker", AT + timedelta(minutes=5))
    assert both.is_locked
    assert [(s.who, s.role) for s in both.signatures] == [("Priya Shah", "supervisor"), ("Tom Reed", "worker")]


def test_only_the_named_people_sign_once_each():
    with pytest.raises(ValueError, match="only the supervisor named in the record, Priya Shah, may sign as "
                                         r"supervisor \(not Tom Reed\)"):
        sign(session(), "Tom Reed", "supervisor", AT)
    with pytest.raises(ValueError, match="only the worker named in the record, Tom Reed"):
        sign(session(), "Sam Okafor", "worker", AT)
    with pytest.raises(ValueError, match="role 'manager' is not one of supervisor or worker"):
        sign(session(), "Priya Shah", "manager", AT)
    one = sign(session(), "Priya Shah", "supervisor", AT)
    with pytest.raises(ValueError, match="Priya Shah has already signed as supervisor on 10 Mar 2026"):
        sign(one, "Priya Shah", "supervisor", AT)
    with pytest.raises(ValueError, match=r"signed_at \(9 Mar 2026\) is before the session was held on 10 Mar 2026"):
        sign(session(), "Priya Shah", "supervisor", datetime(2026, 3, 9, 9, 0))


def test_a_draft_is_edited_and_a_lone_signature_is_removed():
    draft = session()
    edited = edit(draft, stages={"analysis": "The gaps in food go back to 2024 and the courses changed nothing."})
    assert edited.stages.analysis.startswith("The gaps") and edited.stages.experience == draft.stages.experience
    one = sign(draft, "Priya Shah", "supervisor", AT)
    assert edit(one, next_on=date(2026, 4, 14)).signatures == []  # she signs again what she now reads
    assert edit(one, next_on=draft.next_on).signatures == one.signatures  # nothing changed: still signed
    with pytest.raises(ValueError, match="signatures change only by signing and amending"):
        edit(draft, signatures=[])
    with pytest.raises(ValueError, match="'mood' is not a field of a supervision session"):
        edit(draft, mood="fine")
    with pytest.raises(ValidationError, match="next_on"):
        edit(draft, next_on=date(2026, 3, 1))


def test_a_signed_record_refuses_edits():
    both = signed_by_both()
    with pytest.raises(SessionLocked, match="signed by both the supervisor and the worker and is locked: change it "
                                            "with an amendment"):
        edit(both, next_on=date(2026, 4, 14))


def test_an_amendment_keeps_the_original_and_the_signatures():
    both = signed_by_both()
    later = datetime(2026, 3, 12, 9, 30)
    amended = amend(both, "Priya Shah", later, "stages.analysis",
                    "The gaps in food go back to 2024 (not 2023 as first written).", "Year corrected from the "
                    "chronology")
    assert amended.stages.analysis.endswith("(not 2023 as first written).")
    assert amended.signatures == both.signatures and amended.is_locked
    [change] = amended.amendments
    assert (change.author, change.at, change.field, change.reason) == (
        "Priya Shah", later, "stages.analysis", "Year corrected from the chronology")
    assert change.before == both.stages.analysis and change.after == amended.stages.analysis
    again = amend(amended, "Tom Reed", later, "next_on", date(2026, 4, 14), "Worker on leave on the 7th")
    assert [a.field for a in again.amendments] == ["stages.analysis", "next_on"]
    assert (again.amendments[1].before, again.amendments[1].after) == ("2026-04-07", "2026-04-14")
    with pytest.raises(SessionLocked):
        edit(again, next_on=date(2026, 4, 21))


def test_amending_is_refused_with_the_reason():
    both, later = signed_by_both(), datetime(2026, 3, 12, 9, 30)
    with pytest.raises(ValueError, match=r"amend is for a record both have signed; .* so edit it"):
        amend(session(), "Priya Shah", later, "next_on", date(2026, 4, 14), "Leave")
    with pytest.raises(ValueError, match="reason is blank: say why the signed record is changed"):
        amend(both, "Priya Shah", later, "next_on", date(2026, 4, 14), " ")
    with pytest.raises(ValueError, match="author is blank: say who makes the amendment"):
        amend(both, "", later, "next_on", date(2026, 4, 14), "Leave")
    with pytest.raises(ValueError, match="signatures change only by signing and amending"):
        amend(both, "Priya Shah", later, "signatures", [], "Wrong person")
    with pytest.raises(ValueError, match=r"'stages\.feelings' is not a field of a supervision session"):
        amend(both, "Priya Shah", later, "stages.feelings", "x", "Added")
    with pytest.raises(ValueError, match="amend one stage at a time"):
        amend(both, "Priya Shah", later, "stages", {}, "All of it")
    with pytest.raises(ValueError, match="nothing to amend: next_on already reads '2026-04-07'"):
        amend(both, "Priya Shah", later, "next_on", date(2026, 4, 7), "Check")
    with pytest.raises(ValueError, match=r"the amendment's time \(10 Mar 2026 14:00\) is before the record was "
                                         r"signed \(10 Mar 2026 15:05\)"):
        amend(both, "Priya Shah", datetime(2026, 3, 10, 14, 0), "next_on", date(2026, 4, 14), "Leave")
    with pytest.raises(ValidationError, match="next_on"):
        amend(both, "Priya Shah", later, "next_on", date(2026, 3, 1), "Moved")


def test_wellbeing_is_kept_but_never_in_the_public_body():
    both = signed_by_both()
    amended = amend(both, "Priya Shah", datetime(2026, 3, 12, 9, 30), "wellbeing",
                    WELLBEING + "; referral made on 11 March", "Referral added")
    assert amended.wellbeing.endswith("referral made on 11 March")
    body = public_body(amended)
    dumped = json.dumps(body)
    assert "wellbeing" not in dumped and "sleeping badly" not in dumped and "occupational health" not in dumped
    assert body["amendments"] == []  # an amendment to wellbeing holds its text, so it is left out too
    assert body["stages"]["analysis"] == both.stages.analysis and len(body["signatures"]) == 2
    assert set(body) == set(SupervisionSession.model_fields) - {"wellbeing"}


def test_an_action_reviewed_as_done_needs_its_evidence_before_signing():
    s = session(actions_reviewed=[{"action_id": "act-1", "what": "Book Jack's dental check", "outcome": "done"}])
    assert check_ready_to_sign(s) == ["the action 'Book Jack's dental check' is marked done but its note is blank: "
                                      "write what shows it was done (the evidence)"]
    with pytest.raises(NotReadyToSign):
        sign(s, "Priya Shah", "supervisor", AT)

"""Escalation of a professional disagreement: stages due in working days, moving on, and resolution."""

from datetime import date

import pytest
from pydantic import ValidationError

from neglect_kit.config import Settings
from neglect_kit.supervision.escalation import (
    DEFAULT_STAGES,
    Escalation,
    Party,
    escalate,
    open_escalation,
    resolve,
)

PRIYA = {"name": "Priya Shah", "role": "Health visitor"}
TOM = {"name": "Tom Reed", "role": "Social worker, children's social care"}
THREE = (("Practitioners", 2), ("Managers", 3), ("Heads of service", 5))


def raised(**change):
    args = {"case_id": "ashdown", "children": ["ruby", "jack"], "raised_by": PRIYA, "raised_with": TOM,
            "about": "The plan steps down to child in need while Jack's weight keeps falling",
            "child_safe_meanwhile": "Health visitor weighs Jack weekly; the plan stays until the managers meet",
            "raised_on": date(2026, 12, 24)}
    args.update(change)
    return open_escalation(**args)


def test_the_defaults_are_the_settings():
    assert Settings().escalation_stages == DEFAULT_STAGES and len(DEFAULT_STAGES) == 4


def test_opening_starts_stage_one_due_in_working_days():
    esc = raised(note="Rang Tom on the 24th")
    stage = esc.current_stage
    assert (stage.stage, stage.name, stage.started_on, stage.note) == (1, "Practitioner to practitioner",
                                                                       date(2026, 12, 24), "Rang Tom on the 24th")
    # 2 working days after Thu 24 Dec 2026: past Christmas, the weekend and Boxing Day's substitute Monday
    assert esc.due_on == stage.due_on == date(2026, 12, 30)
    assert esc.raised_by == Party(name="Priya Shah", role="Health visitor") and not esc.is_resolved


def test_the_nation_sets_the_due_date():
    # Wed 31 Dec 2025, 2 working days: Fri 2 Jan counts in England, not in Scotland
    assert raised(raised_on=date(2025, 12, 31)).due_on == date(2026, 1, 5)
    assert raised(raised_on=date(2025, 12, 31), nation="SCT").due_on == date(2026, 1, 6)


def test_a_full_escalation_reaches_stage_two_and_is_resolved():
    esc = raised(stages=THREE)
    esc = escalate(esc, date(2026, 12, 31), "Tom's manager says the step-down stands; Jack lost 200 g",
                   stages=THREE)
    first, second = esc.stages
    assert first.outcome == "Not resolved: raised to stage 2 on 31 Dec 2026"
    assert (second.stage, second.name, second.started_on) == (2, "Managers", date(2026, 12, 31))
    assert second.due_on == date(2027, 1, 6)  # 1 Jan is a holiday: Mon 4, Tue 5, Wed 6
    assert esc.current_stage is second and esc.due_on == date(2027, 1, 6)
    done = resolve(esc, date(2027, 1, 5), "The plan stays for three months with a paediatric review",
                   "Weight charts go to the core group before any step-down")
    assert done.is_resolved and done.resolved_on == date(2027, 1, 5)
    assert done.current_stage.outcome == "Resolved on 5 Jan 2027"
    assert done.resolution.startswith("The plan stays") and done.learning.startswith("Weight charts")
    assert not done.is_overdue(date(2027, 3, 1)) and done.working_days_overdue(date(2027, 3, 1)) == 0
    assert not esc.is_resolved  # each step gives a new record


def test_overdue_counts_working_days_after_the_due_date():
    esc = raised(raised_on=date(2026, 3, 4))  # Wed, due Fri 6 Mar
    assert esc.due_on == date(2026, 3, 6)
    assert not esc.is_overdue(date(2026, 3, 6))
    assert not esc.is_overdue(date(2026, 3, 8)) and esc.working_days_overdue(date(2026, 3, 8)) == 0  # weekend
    assert esc.is_overdue(date(2026, 3, 9)) and esc.working_days_overdue(date(2026, 3, 9)) == 1
    assert esc.working_days_overdue(date(2026, 3, 13)) == 5
    assert esc.working_days_overdue(date(2026, 3, 1)) == 0  # before it was due


def test_overdue_by_nation():
    esc = raised(raised_on=date(2026, 3, 12))  # Thu, due Mon 16 Mar
    assert esc.working_days_overdue(date(2026, 3, 17), "ENG") == 1
    assert esc.working_days_overdue(date(2026, 3, 17), "NIR") == 0  # St Patrick's Day


def test_no_stage_after_the_last():
    esc = raised(stages=THREE)
    esc = escalate(esc, date(2026, 12, 29), "No reply from Tom", stages=THREE)
    esc = escalate(esc, date(2027, 1, 7), "Managers could not agree", stages=THREE)
    with pytest.raises(ValueError, match=r"stage 3 \(Heads of service\) is the last stage: there is no stage to "
                                         "escalate to; resolve it there"):
        escalate(esc, date(2027, 1, 20), "Still no agreement", stages=THREE)


def test_escalating_is_refused_when_resolved_early_or_without_a_note():
    esc = raised()
    with pytest.raises(ValueError, match="23 Dec 2026 is before stage 1 started on 24 Dec 2026"):
        escalate(esc, date(2026, 12, 23), "Moving on")
    with pytest.raises(ValueError, match="note is blank: say why the disagreement moves on to stage 2"):
        escalate(esc, date(2026, 12, 31), "  ")
    done = resolve(esc, date(2026, 12, 29), "Tom agreed to keep the plan", "Share weights before a step-down")
    with pytest.raises(ValueError, match="was resolved on 29 Dec 2026: it cannot be escalated"):
        escalate(done, date(2026, 12, 31), "It came back")
    with pytest.raises(ValueError, match="was resolved on 29 Dec 2026: it cannot be resolved again"):
        resolve(done, date(2026, 12, 31), "Again", "Again")


def test_resolving_needs_the_resolution_and_the_learning():
    esc = raised()
    with pytest.raises(ValidationError, match="resolution is needed to resolve a disagreement"):
        resolve(esc, date(2026, 12, 29), "", "Share weights before a step-down")
    with pytest.raises(ValidationError, match="learning is needed to resolve a disagreement"):
        resolve(esc, date(2026, 12, 29), "Tom agreed to keep the plan", "n/a")
    with pytest.raises(ValueError, match="23 Dec 2026 is before stage 1 started"):
        resolve(esc, date(2026, 12, 23), "Agreed", "Learnt")


@pytest.mark.parametrize(("change", "message"), [
    ({"about": ""}, "about is blank: say what the disagreement is about"),
    ({"child_safe_meanwhile": "n/a"}, r"child_safe_meanwhile is blank \('n/a'\): say how the child is kept safe"),
    ({"raised_with": {"name": "priya  shah", "role": "GP"}}, "raised_with is priya  shah, who raised it"),
    ({"raised_by": {"name": "", "role": "GP"}}, "name is blank: say who, by name"),
    ({"raised_by": {"name": "Dr Ana Bell", "role": "professional"}}, "role 'professional' names nobody"),
    ({"raised_by": {"name": "Dr Ana Bell"}}, "role"),
    ({"children": []}, "children"),
    ({"case_id": ""}, "case_id"),
    ({"stages": ()}, "escalation_stages must be a list of"),
    ({"stages": (("Practitioners", 0),)},
     r"escalation stage 1 \(Practitioners\) needs working_days, a whole number above 0"),
    ({"stages": (("", 2),)}, "escalation stage 1 needs a name"),
    ({"nation": "GB"}, "'GB' is not a UK nation"),
])
def test_bad_escalations_are_refused_with_the_field_named(change, message):
    with pytest.raises(ValueError, match=message):
        raised(**change)


def test_a_stored_record_keeps_its_rules():
    body = raised().model_dump()
    for change, message in [
        ({"stages": [body["stages"][0] | {"stage": 2}]}, "stages must run 1, 2, 3"),
        ({"stages": [body["stages"][0] | {"started_on": date(2026, 12, 23)}]}, "stage 1 starts on the day"),
        ({"stages": [body["stages"][0] | {"due_on": date(2026, 12, 20)}]}, "stage 1 is due on 20 Dec 2026, before"),
        ({"stages": [body["stages"][0], body["stages"][0] | {"stage": 2, "started_on": date(2026, 12, 23),
                                                              "due_on": date(2026, 12, 30)}]},
         "stage 2 starts on 23 Dec 2026, before stage 1 started"),
        ({"resolution": "Agreed"}, "resolved_on is blank but a resolution is written"),
        ({"resolved_on": date(2026, 12, 23), "resolution": "Agreed", "learning": "Talk sooner"},
         r"resolved_on \(23 Dec 2026\) is before stage 1 started"),
        ({"urgent": True}, "urgent"),
    ]:
        with pytest.raises(ValidationError, match=message):
            Escalation.model_validate(body | change)


def test_the_stage_history_dates_each_step_from_raising_to_resolution():
    from neglect_kit.supervision.escalation import HistoryStep, stage_history

    raised = open_escalation(case_id="ashdown", children=["ruby"], raised_by=PRIYA, raised_with=TOM,
                             about="Ruby's weight loss needs a paediatric referral now",
                             child_safe_meanwhile="Weighed weekly at the clinic", raised_on=date(2026, 5, 11),
                             note="Raised by phone")
    assert stage_history(raised) == [HistoryStep(date(2026, 5, 11), "Raised at stage 1 (Practitioner to practitioner)",
                                                 date(2026, 5, 13), "Raised by phone")]
    moved = escalate(raised, date(2026, 5, 14), "No agreement at stage 1")
    done = resolve(moved, date(2026, 5, 18), "Referral made on 18 May", "Weights go to the core group")
    steps = stage_history(done)
    assert [(s.on, s.what) for s in steps] == [
        (date(2026, 5, 11), "Raised at stage 1 (Practitioner to practitioner)"),
        (date(2026, 5, 14), "Reached stage 2 (Team managers)"),
        (date(2026, 5, 18), "Resolved at stage 2")]
    assert steps[1].due_on == date(2026, 5, 19) and steps[1].note == "No agreement at stage 1"
    assert steps[2].due_on is None and steps[2].note == "Referral made on 18 May; what was learnt: Weights go to the " \
                                                        "core group"

"""Supervision actions: an owner, a date and a change for the child; no vague "monitor"; evidence to close."""

from datetime import date

import pytest
from pydantic import ValidationError

from neglect_kit.supervision.actions import Action, cancel, carry_over, mark_done, vague_action


def action(**change):
    data = {"case_id": "ashdown", "child": "ruby", "what": "Check Ruby's lunchbox at school each day and tell the "
            "social worker each Friday", "who": "School (class teacher)", "by": date(2026, 3, 20),
            "change_for_child": "Ruby eats a proper lunch every school day", "agreed_on": date(2026, 3, 6)}
    data.update(change)
    return Action.model_validate(data)


def test_an_action_is_read_and_stored_open():
    a = action(what="  Health visitor to weigh Jack at home  ", child=None)
    assert a.what == "Health visitor to weigh Jack at home" and a.status == "open" and a.carried_over == 0
    assert a.child is None


@pytest.mark.parametrize("what", [
    "monitor", "Monitor.", "continue to monitor", "Continue to monitor closely", "keep an eye",
    "Keep an eye on things", "monitor the situation", "Support the family", "review the case",
    "Ensure the children are safe and well", "ongoing monitoring", "Observe and review as needed",
])
def test_a_monitor_action_is_refused(what):
    assert vague_action(what)
    with pytest.raises(ValidationError, match=rf"what '{what}' is too vague to act on or check: say what exactly "
                                              "is done or watched"):
        action(what=what)


@pytest.mark.parametrize("what", [
    "Monitor Ruby's school attendance daily and share the figures with the social worker each Friday",
    "Support Dawn to book Jack's dental appointment",
    "Review the plan at the core group on 20 March with the school nurse's weights",
    "Keep a food diary with Dawn for two weeks",
    "Refer Jack to the speech and language service",
])
def test_an_action_that_says_what_to_do_or_watch_is_kept(what):
    assert not vague_action(what)
    assert action(what=what).what == what


@pytest.mark.parametrize(("change", "message"), [
    ({"what": "   "}, "what is blank: say what exactly is to be done"),
    ({"what": "n/a"}, r"what is blank \('n/a'\)"),
    ({"who": ""}, "who is blank: name the role or agency"),
    ({"who": "professionals"}, "who 'professionals' names nobody who can answer for it: name one role or agency"),
    ({"who": "All agencies"}, "who 'All agencies' names nobody"),
    ({"who": "TBC"}, r"who is blank \('TBC'\)"),
    ({"who": "unknown"}, "who 'unknown' names nobody"),
    ({"by": None}, "by"),
    ({"change_for_child": ""}, "change_for_child is blank: say what the action should change in the child's "
                               "daily life"),
    ({"status": "overdue"}, "status 'overdue' is worked out from the date, never stored: save the action as open"),
    ({"status": "pending"}, "status 'pending' is not one of open, done or cancelled"),
    ({"status": "done"}, r"evidence is needed to mark an action done \(closed without evidence\)"),
    ({"status": "done", "evidence": "n/a"}, r"closed without evidence"),
    ({"status": "cancelled"}, "cancel_reason is needed to cancel an action: say why it is no longer needed"),
    ({"carried_over": -1}, "carried_over"),
    ({"by": date(2026, 3, 1)}, r"by \(1 Mar 2026\) is before the action was agreed on 6 Mar 2026"),
    ({"case_id": ""}, "case_id"),
    ({"owner": "school"}, "owner"),
])
def test_bad_actions_are_refused_with_the_field_named(change, message):
    with pytest.raises(ValidationError, match=message):
        action(**change)


def test_a_missing_owner_date_or_change_is_refused():
    data = action().model_dump()
    for field in ("what", "who", "by", "change_for_child"):
        with pytest.raises(ValidationError, match=field):
            Action.model_validate({k: v for k, v in data.items() if k != field})


def test_status_words_are_read():
    assert action(status="Completed", evidence="Lunchbox log for 2 weeks, full each day").status == "done"
    assert action(status="Canceled", cancel_reason="Ruby moved school").status == "cancelled"


def test_overdue_is_derived_from_the_day_never_stored():
    a = action()
    assert a.status_on(date(2026, 3, 20)) == "open"  # due today: not yet overdue
    assert a.status_on(date(2026, 3, 21)) == "overdue"
    assert a.status == "open"
    done = mark_done(a, "School's log: full lunch each day from 9 to 20 March")
    assert done.status_on(date(2026, 4, 30)) == "done"
    assert cancel(a, "Ruby now has free school meals").status_on(date(2026, 4, 30)) == "cancelled"


def test_closing_needs_evidence_and_cancelling_a_reason():
    with pytest.raises(ValidationError, match="closed without evidence"):
        mark_done(action(), "  ")
    with pytest.raises(ValidationError, match="cancel_reason is needed"):
        cancel(action(), "")
    done = mark_done(action(), "School's log shows a full lunch each day")
    assert done.evidence == "School's log shows a full lunch each day"


def test_only_an_open_action_is_closed_or_carried():
    done = mark_done(action(), "School's log shows a full lunch each day")
    with pytest.raises(ValueError, match="only an open action can be carried over: 'Check Ruby's lunchbox"):
        carry_over(done, by=date(2026, 4, 3))
    with pytest.raises(ValueError, match=r"only an open action can be marked done: .* is done"):
        mark_done(done, "again")
    with pytest.raises(ValueError, match=r"only an open action can be cancelled: .* is done"):
        cancel(done, "no")


def test_an_action_carried_over_a_second_time_is_flagged():
    a = action()
    once = carry_over(a, by=date(2026, 4, 3))
    assert once.carried_over == 1 and not once.repeatedly_carried
    twice = carry_over(once, by=date(2026, 4, 17))
    assert twice.carried_over == 2 and twice.repeatedly_carried
    assert twice.by == date(2026, 4, 17) and once.by == date(2026, 4, 3)
    assert a.carried_over == 0 and a.by == date(2026, 3, 20)  # the action given is never changed


def test_a_carried_action_keeps_every_rule():
    with pytest.raises(ValueError, match=r"the new due date of 'Check Ruby's lunchbox .*' \(1 Jan 2026\) must fall "
                                         r"after the date it is due now, 20 Mar 2026"):
        carry_over(action(), by=date(2026, 1, 1))
    with pytest.raises(ValueError, match="must fall after the date it is due now, 20 Mar 2026"):
        carry_over(action(), by=date(2026, 3, 20))


def test_carrying_over_moves_the_due_date_and_keeps_the_dates_before():
    a = action(by=date(2023, 2, 28), agreed_on=date(2023, 1, 18))
    thrice = carry_over(carry_over(carry_over(a, by=date(2023, 4, 28)), by=date(2023, 6, 30)), by=date(2026, 12, 4))
    assert thrice.carried_over == 3 and thrice.by == date(2026, 12, 4)
    assert thrice.earlier_due == [date(2023, 2, 28), date(2023, 4, 28), date(2023, 6, 30)]
    assert thrice.first_due == date(2023, 2, 28) and a.first_due == a.by
    # overdue is counted from the date agreed now, not the first one
    assert thrice.status_on(date(2026, 11, 27)) == "open" and thrice.status_on(date(2026, 12, 5)) == "overdue"


@pytest.mark.parametrize(("change", "message"), [
    ({"earlier_due": [date(2026, 3, 20)], "carried_over": 1}, "earlier_due must run oldest first, each before"),
    ({"earlier_due": [date(2026, 3, 1), date(2026, 2, 1)], "carried_over": 2}, "earlier_due must run oldest first"),
])
def test_the_dates_before_are_a_true_history(change, message):
    with pytest.raises(ValidationError, match=message):
        action(**change)


def test_the_too_vague_example_names_the_case_own_child_or_nobody():
    body = {"case_id": "fenwick", "what": "monitor", "who": "School", "by": date(2026, 3, 20),
            "change_for_child": "Warm at night"}
    with pytest.raises(ValidationError) as caught:
        Action.model_validate(body)
    assert "e.g. 'check the child's lunchbox at school" in str(caught.value) and "Ruby" not in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        Action.model_validate(body, context={"example_child": "Maisie"})
    assert "e.g. 'check Maisie's lunchbox at school" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        Action.model_validate(body | {"what": "Book the dentist", "change_for_child": ""},
                              context={"example_child": "Theo"})
    assert "e.g. 'Theo has breakfast before school'" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        Action.model_validate(body | {"what": "Book the dentist", "change_for_child": ""})
    assert "e.g. 'The child has breakfast before school'" in str(caught.value)

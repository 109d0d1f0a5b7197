"""Supervision records in the store: sessions without their wellbeing notes, and stale saves refused."""

from datetime import date

import pytest

from neglect_kit.store import StaleEdit, Store
from neglect_kit.supervision import records
from neglect_kit.supervision.session import SESSION_KIND, SupervisionSession

pytestmark = pytest.mark.both_databases

NOTE = "Tom is worried about his caseload."


def session(**more) -> SupervisionSession:
    return SupervisionSession(session_type="case", held_on=date(2026, 11, 2), supervisor="Priya Shah",
                              worker="Tom Reed", cases=["ashdown"], wellbeing=NOTE, **more)


def test_the_session_record_never_holds_the_wellbeing_notes(store, case):
    version = records.save_session(store, session(), None, "draft")
    assert NOTE not in version.body_json and "wellbeing" not in version.body
    [stored] = records.sessions(store, case)
    assert records.wellbeing(store, stored, "priya shah") == NOTE  # names compared as people write them
    assert records.with_wellbeing(store, stored, "Tom Reed").wellbeing == NOTE
    assert records.with_wellbeing(store, stored, "someone.else").wellbeing == ""
    with pytest.raises(records.Restricted, match="seen only by Priya Shah and Tom Reed"):
        records.wellbeing(store, stored, "someone.else")
    with pytest.raises(TypeError, match="save_session"):
        records.save_new(store, SESSION_KIND, case, session(), "a shortcut that would leak the notes")


def test_a_stale_save_is_refused_and_both_texts_survive(store, case):
    records.save_session(store, session(), None, "draft")
    [opened] = records.sessions(store, case)
    first = opened.model.model_copy(update={"escalation_note": "first"})
    records.save_session(store, first, opened, "first save")
    late = opened.model.model_copy(update={"wellbeing": "A later note."})
    with pytest.raises(StaleEdit) as refused:
        records.save_session(store, late, opened, "second save")
    assert refused.value.current.version == 2
    [now] = records.sessions(store, case)
    assert records.wellbeing(store, now, "Tom Reed") == NOTE  # nothing of the refused save was written


def test_only_the_two_people_change_the_notes(store, case):
    records.save_session(store, session(), None, "draft")
    [opened] = records.sessions(store, case)
    records.save_session(store, opened.model, opened, "saved by a manager who cannot read the notes")
    [now] = records.sessions(store, case)
    assert records.wellbeing(store, now, "Tom Reed") == NOTE
    tom = Store(store.engine, user="Tom Reed")
    records.save_session(tom, records.with_wellbeing(tom, now, tom.user).model_copy(
        update={"wellbeing": "Better this month."}), now, "Tom's own words")
    [last] = records.sessions(store, case)
    assert records.wellbeing(store, last, "Priya Shah") == "Better this month."


# signing and the lock, as the store keeps them ------------------------------------------------------------

def _signing_case(store, case):
    """A saved draft reviewing two open actions (act-1 done, act-2 carried over), signed by the supervisor."""
    from test_supervision_actions import action
    from test_supervision_session import AT
    from test_supervision_session import session as ready_session

    from neglect_kit.supervision.actions import ACTION_KIND
    from neglect_kit.supervision.signoff import sign

    for rid in ("act-1", "act-2"):
        records.save_new(store, ACTION_KIND, case, action(), "agreed", record_id=rid)
    records.save_session(store, sign(ready_session(), "Priya Shah", "supervisor", AT), None, "draft")
    [opened] = records.sessions(store, case)
    return opened, AT


def _action_states(store, case):
    return {a.record_id: (a.model.status, a.model.carried_over, a.version) for a in records.actions(store, case)}


def test_the_second_signature_and_the_actions_outcomes_are_saved_together(store, case):
    from datetime import timedelta

    from neglect_kit.supervision.signoff import sign

    opened, at = _signing_case(store, case)
    records.save_session(store, sign(opened.model, "Tom Reed", "worker", at + timedelta(minutes=5)), opened, "signed")
    [now] = records.sessions(store, case)
    assert now.model.is_locked
    assert _action_states(store, case) == {"act-1": ("done", 0, 2), "act-2": ("open", 1, 2)}
    assert records.actions(store, case)[0].model.evidence.startswith("Seen by the dentist")
    carried = next(a.model for a in records.actions(store, case) if a.record_id == "act-2")
    assert carried.by == date(2026, 4, 3) and carried.earlier_due == [date(2026, 3, 20)]  # the new date, the old kept


def test_an_outcome_that_cannot_be_applied_leaves_the_record_unsigned_and_every_action_as_it_was(
        store, case, monkeypatch):
    from datetime import timedelta

    from neglect_kit.supervision.signoff import sign

    opened, at = _signing_case(store, case)
    before = _action_states(store, case)

    def refuses(action, evidence):
        raise ValueError("evidence is needed to mark an action done")

    monkeypatch.setattr(records, "mark_done", refuses)  # as an action rule refusing the outcome would
    with pytest.raises(ValueError, match="evidence is needed"):
        records.save_session(store, sign(opened.model, "Tom Reed", "worker", at + timedelta(minutes=5)), opened,
                             "signed")
    [now] = records.sessions(store, case)
    assert not now.model.is_locked and now.version == opened.version  # the signature was not kept either
    assert _action_states(store, case) == before
    monkeypatch.undo()  # and signing again works: nothing was left half done
    records.save_session(store, sign(now.model, "Tom Reed", "worker", at + timedelta(minutes=5)), now, "signed")
    assert _action_states(store, case)["act-1"][0] == "done"


def _locked(store, case):
    from datetime import timedelta

    from neglect_kit.supervision.signoff import sign

    opened, at = _signing_case(store, case)
    records.save_session(store, sign(opened.model, "Tom Reed", "worker", at + timedelta(minutes=5)), opened, "signed")
    [locked] = records.sessions(store, case)
    return locked, at


def test_a_signed_record_saved_over_without_an_amendment_is_refused_by_the_store(store, case):
    from neglect_kit.supervision.signoff import SessionLocked

    locked, _ = _locked(store, case)
    stages = locked.model.stages.model_copy(update={"analysis": "Rewritten after the event, quietly."})
    for changed, why in [(locked.model.model_copy(update={"stages": stages}), "stages.analysis was changed"),
                         (locked.model.model_copy(update={"signatures": locked.model.signatures[:1]}),
                          "its signatures never change"),
                         (locked.model.model_copy(update={"next_on": date(2027, 1, 5)}), "next_on was changed")]:
        with pytest.raises(SessionLocked, match=why):
            records.save_session(store, changed, locked, "edited")
    [still] = records.sessions(store, case)
    assert still.version == locked.version and still.model == locked.model


def test_a_signed_record_changes_by_amendment_and_an_old_amendment_cannot_be_rewritten(store, case):
    from datetime import timedelta

    from neglect_kit.supervision.signoff import SessionLocked, amend

    locked, at = _locked(store, case)
    amended = amend(locked.model, "Priya Shah", at + timedelta(days=1), "stages.analysis",
                    "The chronology shows the same gaps in food since 2024, and the nursery's log agrees.",
                    "the nursery's log arrived after the session")
    records.save_session(store, amended, locked, "amended")
    [now] = records.sessions(store, case)
    assert now.model.amendments[0].reason == "the nursery's log arrived after the session"
    forged = now.model.model_dump()
    forged["amendments"][0]["before"] = "something else"
    with pytest.raises(SessionLocked, match="earlier amendments are kept as they were made"):
        records.save_session(store, SupervisionSession.model_validate(forged), now, "forged")

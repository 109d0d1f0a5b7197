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

"""The child's voice: the record's rules, when the child was last seen, seen alone and heard, and warnings."""

from datetime import date, timedelta

import pandas as pd
import pytest
from pydantic import ValidationError

from neglect_kit.assessment.voice import (
    DEFAULT_THRESHOLDS,
    Contact,
    VoiceRecord,
    contact_dates,
    contact_warnings,
    last_contact,
)
from neglect_kit.chronology.contact_words import ContactReader

TODAY = date(2023, 3, 7)


def voice(**change):
    data = {"child": "maisie", "on": date(2023, 1, 3), "how": "words", "what": "I like it at Nan's, there's food",
            "heard_by": "sw.one", "seen": True, "seen_alone": True}
    data.update(change)
    return VoiceRecord.model_validate(data)


def test_a_record_is_read():
    r = voice(how=" Drawing ", context="  at school, with her teacher nearby ")
    assert r.how == "drawing" and r.context == "at school, with her teacher nearby"


@pytest.mark.parametrize(("change", "message"), [
    ({"child": ["maisie", "tom"]}, "for one child"),
    ({"on": date.today() + timedelta(days=1)}, "is in the future"),
    ({"how": "phone"}, "'phone' is not a way the child's voice was gathered: choose from words, play"),
    ({"what": "   "}, "say what the child said or showed"),
    ({"heard_by": ""}, "say who heard or saw the child"),
    ({"seen": False, "seen_alone": True}, "seen alone, but not seen"),
    ({"said": "x"}, "said"),
])
def test_bad_records_are_refused_with_the_reason(change, message):
    with pytest.raises(ValidationError, match=message):
        voice(**change)


def test_future_is_judged_against_the_day_given():
    data = voice().model_dump() | {"on": date(2023, 3, 8)}
    with pytest.raises(ValidationError, match="8 Mar 2023 is in the future"):
        VoiceRecord.model_validate(data, context={"today": TODAY})


def test_last_contact_from_records_only():
    records = [voice(on=date(2023, 1, 3)),  # seen alone
               voice(on=date(2023, 2, 10), seen_alone=False),  # seen with mum there
               voice(on=date(2023, 2, 20), how="other", what="told me on the phone she was fine", seen=False,
                     seen_alone=False),
               voice(on=date(2023, 3, 9), seen=False, seen_alone=False)]  # after today: left out
    c = last_contact(records, today=TODAY)
    assert (c.last_seen, c.last_seen_alone, c.last_heard) == (date(2023, 2, 10), date(2023, 1, 3), date(2023, 2, 20))
    assert (c.days_since_seen, c.days_since_seen_alone, c.days_since_heard) == (25, 63, 15)


def test_never_seen_and_nothing_at_all():
    c = last_contact([voice(seen=False, seen_alone=False)], today=TODAY)
    assert c.last_seen is None and c.days_since_seen is None and c.last_heard == date(2023, 1, 3)
    empty = last_contact([], today=TODAY)
    assert (empty.last_seen, empty.last_seen_alone, empty.last_heard) == (None, None, None)


def _frame():
    return pd.DataFrame([
        # seen by the health visitor, both children
        {"children": "maisie; tom", "child_words": "", "earliest": date(2023, 2, 27), "how_known": "seen",
         "status": "current"},
        # Maisie's words at school
        {"children": "maisie", "child_words": "nobody was home", "earliest": date(2023, 3, 1),
         "how_known": "reported", "status": "current"},
        # the child said so, no words quoted
        {"children": "maisie", "child_words": "", "earliest": date(2023, 3, 2), "how_known": "child_said",
         "status": "current"},
        # withdrawn, only Tom, undated, and after today: none count for Maisie
        {"children": "maisie", "child_words": "x", "earliest": date(2023, 3, 5), "how_known": "seen",
         "status": "withdrawn"},
        {"children": "tom", "child_words": "hungry", "earliest": date(2023, 3, 6), "how_known": "seen",
         "status": "current"},
        {"children": "maisie", "child_words": "y", "earliest": None, "how_known": "seen", "status": "current"},
        {"children": "maisie", "child_words": "z", "earliest": date(2023, 3, 20), "how_known": "seen",
         "status": "current"},
        {"children": "maisie-may", "child_words": "w", "earliest": date(2023, 3, 6), "how_known": "seen",
         "status": "current"},
    ])


def test_last_contact_with_the_chronology():
    c = last_contact([voice(on=date(2023, 1, 3))], _frame(), TODAY)
    assert c.last_seen == date(2023, 2, 27)  # seen in the chronology
    assert c.last_heard == date(2023, 3, 2)  # how known: the child said
    assert c.last_seen_alone == date(2023, 1, 3)  # only a voice record says "alone"
    only_words = _frame().iloc[[1]]
    assert last_contact([], only_words, TODAY, child="maisie").last_heard == date(2023, 3, 1)


def test_last_contact_refuses_two_children_or_no_child():
    with pytest.raises(ValueError, match="more than one child"):
        last_contact([voice(), voice(child="tom")], today=TODAY)
    with pytest.raises(ValueError, match="name the child"):
        last_contact([], _frame(), TODAY)
    with pytest.raises(ValueError, match="the chronology has no how_known column"):
        last_contact([voice()], _frame().drop(columns="how_known"), TODAY)


def test_the_thresholds_are_calendar_days_set_by_the_partnership():
    assert DEFAULT_THRESHOLDS == {"seen": 20, "seen_alone": 42, "heard": 42}


def test_a_warning_when_older_than_the_limit():
    c = Contact(TODAY, last_seen=date(2023, 3, 1), last_seen_alone=date(2023, 1, 3), last_heard=date(2023, 2, 20))
    assert contact_warnings(c, "Maisie", DEFAULT_THRESHOLDS) == [
        "Maisie has not been seen alone for 63 days (last 3 Jan 2023); the limit set is 42."]
    assert contact_warnings(c, "Maisie", {"seen": 5, "heard": 14}) == [
        "Maisie has not been seen for 6 days (last 1 Mar 2023); the limit set is 5.",
        "Maisie has not been seen alone for 63 days (last 3 Jan 2023); the limit set is 42.",
        "Maisie has not been heard for 15 days (last 20 Feb 2023); the limit set is 14."]
    at_the_limit = Contact(TODAY, date(2023, 2, 15), date(2023, 1, 24), date(2023, 1, 24))
    assert contact_warnings(at_the_limit, "Maisie") == []


def test_a_warning_when_not_recorded_never_says_never():
    c = Contact(TODAY, last_seen=None, last_seen_alone=None, last_heard=date(2023, 3, 1))
    assert contact_warnings(c, "Child A") == [
        "These records do not say when Child A was last seen; the limit set is 20 days.",
        "These records do not say when Child A was last seen alone; the limit set is 42 days."]


@pytest.mark.parametrize(("limits", "message"), [
    ({"visited": 10}, "'visited' is not a contact limit"), ({"seen": -1}, "whole number of days"),
    ({"seen": 2.5}, "whole number of days"), ({"heard": True}, "whole number of days"),
])
def test_bad_limits_are_refused(limits, message):
    with pytest.raises(ValueError, match=message):
        contact_warnings(Contact(TODAY, None, None, None), "Maisie", limits)


def test_contact_read_from_the_words_of_the_entries():
    frame = pd.DataFrame([
        {"children": "maisie; tom", "child_words": "", "earliest": date(2023, 2, 1), "how_known": "",
         "description": "Maisie seen alone in her room; Tom asleep, not seen.", "action": "", "outcome": "",
         "impact_note": "", "status": "current"},
        {"children": "maisie", "child_words": "", "earliest": date(2023, 2, 20), "how_known": "",
         "description": "Visit.", "action": "", "outcome": 'Maisie said "I was cold last night".',
         "impact_note": "", "status": "current"},
        {"children": "maisie", "child_words": "", "earliest": date(2023, 3, 1), "how_known": "",
         "description": "No reply.", "action": "", "outcome": "", "impact_note": "", "status": "current"},
    ])
    reader = ContactReader({"maisie": ["Maisie"], "tom": ["Tom"]})
    got = contact_dates([], frame, TODAY, child="maisie", reader=reader)
    assert [d for d, _ in got["seen_alone"]] == [date(2023, 2, 1)] and [d for d, _ in got["seen"]] == [date(2023, 2, 1)]
    assert [d for d, _ in got["heard"]] == [date(2023, 2, 20)]
    assert [d for d, _ in got["not_seen"]] == [date(2023, 3, 1)]
    tom = contact_dates([], frame, TODAY, child="tom", reader=reader)
    assert tom["seen"] == [] and [d for d, _ in tom["not_seen"]] == [date(2023, 2, 1)]
    c = last_contact([], frame, TODAY, child="maisie", reader=reader)
    assert (c.last_seen_alone, c.last_heard) == (date(2023, 2, 1), date(2023, 2, 20))


def test_an_assessments_visits_count_as_seen_and_its_childs_view_as_heard():
    from neglect_kit.assessment.model import NeglectAssessment
    from neglect_kit.assessment.voice import contact_dates

    def assessed(on, visits, view):
        return NeglectAssessment.model_validate({
            "child": "maisie", "assessed_on": on, "assessed_by": "sw.one", "child_view": view,
            "visits": [{"on": v} for v in visits],
            "grades": [{"sub_area": "food", "grade": 3, "evidence": "Seen at the visit."}]})

    found = contact_dates([], None, date(2024, 6, 1), child="maisie", assessments=[
        assessed(date(2024, 3, 10), [date(2024, 3, 1), date(2024, 3, 8)], "I like my new bed."),
        assessed(date(2024, 5, 10), [date(2024, 5, 2)], ""),  # no view: not heard
        assessed(date(2024, 7, 1), [date(2024, 6, 20)], "Later."),  # after the day asked about: left out
    ])
    assert [d for d, _ in found["seen"]] == [date(2024, 3, 1), date(2024, 3, 8), date(2024, 5, 2)]
    assert [d for d, _ in found["heard"]] == [date(2024, 3, 10)]
    assert found["seen_alone"] == []  # a visit says nothing of the child seen alone
    with pytest.raises(ValueError, match="more than one child"):
        contact_dates([], None, date(2024, 6, 1), child="theo",
                      assessments=[assessed(date(2024, 3, 10), [], "x")])

"""The supervisor's view across cases: open, overdue and repeated actions; open escalations by stage."""

from datetime import date, datetime

import pytest

from neglect_kit.store import RecordVersion
from neglect_kit.supervision.actions import Action, cancel, carry_over, mark_done
from neglect_kit.supervision.escalation import escalate, open_escalation, resolve
from neglect_kit.supervision.overview import ActionRow, StageCount, action_rows, counts, escalation_rows
from neglect_kit.supervision.records import Stored

TODAY = date(2026, 4, 7)  # Tuesday after Easter Monday 2026 (Good Friday 3 Apr, Easter Monday 6 Apr)
PRIYA = {"name": "Priya Shah", "role": "Health visitor"}
TOM = {"name": "Tom Reed", "role": "Social worker"}


def action(what: str, by: date, case_id: str = "fenwick", **change) -> Action:
    return Action(case_id=case_id, what=what, who="School", by=by, change_for_child="Ella eats breakfast daily",
                  **change)


def escalation(raised_on: date, case_id: str = "fenwick", about: str = "Sam's plan stepping down too soon"):
    return open_escalation(case_id=case_id, children=["sam"], raised_by=PRIYA, raised_with=TOM, about=about,
                           child_safe_meanwhile="Health visitor sees Sam weekly until it is settled",
                           raised_on=raised_on)


def test_only_open_actions_are_listed_with_their_status():
    done = mark_done(action("Send the breakfast log", date(2026, 3, 1)), "Log sent on 27 Feb")
    gone = cancel(action("Book the dental check", date(2026, 3, 2)), "Booked by the GP practice instead")
    late = action("Weigh Sam at home", date(2026, 4, 1), child="sam")
    due = action("Ask school for attendance", date(2026, 4, 7))
    rows = action_rows({"fenwick": [done, gone, late, due]}, TODAY)
    assert [r.what for r in rows] == ["Weigh Sam at home", "Ask school for attendance"]
    assert rows[0] == ActionRow(case_id="fenwick", what="Weigh Sam at home", who="School", by=date(2026, 4, 1),
                                status="overdue", carried_over=0, repeated=False, days_overdue=6, child="sam")
    assert rows[0].overdue
    # due today is not overdue yet
    assert (rows[1].status, rows[1].days_overdue, rows[1].overdue) == ("open", 0, False)


def test_actions_are_sorted_most_overdue_first_then_by_date():
    by_case = {
        "fenwick": [action("Check the lunchbox each day", date(2026, 5, 1)),
                    action("Send the attendance figures", date(2026, 4, 5))],
        "marlow": [action("Visit after school unannounced", date(2026, 3, 20), case_id="marlow"),
                   action("Write to the dentist about Jo", date(2026, 4, 20), case_id="marlow")],
    }
    rows = action_rows(by_case, TODAY)
    assert [(r.case_id, r.what, r.days_overdue) for r in rows] == [
        ("marlow", "Visit after school unannounced", 18),
        ("fenwick", "Send the attendance figures", 2),
        ("marlow", "Write to the dentist about Jo", 0),
        ("fenwick", "Check the lunchbox each day", 0),
    ]


def test_an_action_carried_over_twice_is_flagged_repeated():
    once = carry_over(action("Check the lunchbox each day", date(2026, 4, 1)), by=date(2026, 5, 1))
    twice = carry_over(carry_over(action("Send the attendance figures", date(2026, 3, 2)), by=date(2026, 4, 2)),
                       by=date(2026, 5, 2))
    rows = {r.what: r for r in action_rows({"fenwick": [once, twice]}, TODAY)}
    once_row, twice_row = rows["Check the lunchbox each day"], rows["Send the attendance figures"]
    assert (once_row.carried_over, once_row.repeated) == (1, False)
    assert (twice_row.carried_over, twice_row.repeated) == (2, True)


def _version(record_id: str, model) -> RecordVersion:
    return RecordVersion(record_id=record_id, version=1, kind="supervision", case_id="fenwick", status="current",
                         body_json=model.model_dump_json(), created_at=datetime(2026, 3, 1, 9, 0),
                         created_by="Priya Shah")


def test_stored_records_keep_their_ids():
    act = action("Send the attendance figures", date(2026, 4, 1))
    esc = escalation(date(2026, 3, 26))
    assert action_rows({"fenwick": [Stored(_version("act-9", act), act)]}, TODAY)[0].record_id == "act-9"
    assert escalation_rows({"fenwick": [Stored(_version("esc-3", esc), esc)]}, TODAY)[0].record_id == "esc-3"


def test_resolved_escalations_are_left_out():
    settled = resolve(escalation(date(2026, 3, 2)), date(2026, 3, 3), "Plan kept until Sam's weight is steady",
                      "Share the weight chart before a step-down is proposed")
    live = escalation(date(2026, 3, 26))
    rows = escalation_rows({"fenwick": [settled, live]}, TODAY)
    assert len(rows) == 1 and rows[0].raised_on == date(2026, 3, 26)


def test_a_stage_two_escalation_runs_late_across_easter():
    # raised Thu 26 Mar 2026; stage 1 (2 working days) due Mon 30 Mar; escalated then to stage 2 (3 days)
    esc = escalate(escalation(date(2026, 3, 26)), date(2026, 3, 30), "Tom's manager says the step-down stands")
    assert esc.due_on == date(2026, 4, 2)  # Tue 31, Wed 1, Thu 2
    # Fri 3 Apr (Good Friday), the weekend and Mon 6 Apr (Easter Monday) are not working days:
    # five days after the due date it is one working day late, on Tuesday 7 April
    row, = escalation_rows({"fenwick": [esc]}, TODAY)
    assert (row.stage, row.stage_name, row.started_on, row.due_on) == (2, "Team managers", date(2026, 3, 30),
                                                                       date(2026, 4, 2))
    assert (row.overdue, row.working_days_overdue) == (True, 1)
    assert (row.raised_by, row.raised_with) == ("Priya Shah (Health visitor)", "Tom Reed (Social worker)")
    assert row.child_safe_meanwhile == "Health visitor sees Sam weekly until it is settled"
    assert row.children == ("sam",) and row.about == "Sam's plan stepping down too soon"
    on_easter_monday, = escalation_rows({"fenwick": [esc]}, date(2026, 4, 6))
    assert (on_easter_monday.overdue, on_easter_monday.working_days_overdue) == (False, 0)
    a_week_on, = escalation_rows({"fenwick": [esc]}, date(2026, 4, 13))
    assert a_week_on.working_days_overdue == 5  # Tue 7 to Mon 13 Apr


def test_the_nation_sets_the_working_days():
    # Easter Monday is not a bank holiday in Scotland: there, on 7 April, the stage is two working days late
    esc = escalate(escalation(date(2026, 3, 26)), date(2026, 3, 30), "Tom's manager says the step-down stands",
                   nation="SCT")
    row, = escalation_rows({"fenwick": [esc]}, TODAY, "SCT")
    assert row.working_days_overdue == 2
    with pytest.raises(ValueError, match="not a UK nation"):
        escalation_rows({"fenwick": [esc]}, TODAY, "FRA")


def test_escalations_are_sorted_by_due_date():
    by_case = {"fenwick": [escalation(date(2026, 4, 1), about="Ella's school place")],
               "marlow": [escalation(date(2026, 3, 19), case_id="marlow", about="Jo's dental care left undone"),
                          escalation(date(2026, 4, 6), case_id="marlow", about="Jo's missed clinic visits")]}
    rows = escalation_rows(by_case, TODAY)
    assert [(r.case_id, r.due_on) for r in rows] == [("marlow", date(2026, 3, 23)), ("fenwick", date(2026, 4, 7)),
                                                     ("marlow", date(2026, 4, 8))]
    assert [r.overdue for r in rows] == [True, False, False]


def test_counts_sum_up_the_rows():
    actions = action_rows({"fenwick": [
        action("Weigh Sam at home", date(2026, 4, 1)),
        carry_over(carry_over(action("Send the attendance figures", date(2026, 2, 2)), by=date(2026, 3, 2)),
                   by=date(2026, 4, 2)),
        carry_over(carry_over(action("Check the lunchbox each day", date(2026, 3, 1)), by=date(2026, 4, 1)),
                   by=date(2026, 5, 1)),
        action("Ask school for attendance", date(2026, 4, 30)),
        mark_done(action("Send the breakfast log", date(2026, 3, 1)), "Log sent on 27 Feb"),
    ]}, TODAY)
    late = escalate(escalation(date(2026, 3, 26)), date(2026, 3, 30), "Tom's manager says the step-down stands")
    escalations = escalation_rows({"fenwick": [late, escalation(date(2026, 3, 19)), escalation(date(2026, 4, 6))]},
                                  TODAY)
    summary = counts(actions, escalations)
    assert (summary.open_actions, summary.overdue_actions, summary.repeated_actions) == (4, 2, 2)
    assert (summary.open_escalations, summary.overdue_escalations) == (3, 2)
    assert summary.by_stage == (StageCount(1, "Practitioner to practitioner", 2, 1),
                                StageCount(2, "Team managers", 1, 1))


def test_nothing_open_counts_nothing():
    summary = counts(action_rows({}, TODAY), escalation_rows({"fenwick": []}, TODAY))
    assert summary.open_actions == summary.open_escalations == 0 and summary.by_stage == ()

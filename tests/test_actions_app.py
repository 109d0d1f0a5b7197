"""The actions and escalation app: a supervisor's view across cases, without a browser."""

import shutil
from datetime import date

import pytest

from neglect_kit.apps.actions_escalation import ActionsEscalationApp
from neglect_kit.store import Store
from neglect_kit.supervision import records
from neglect_kit.supervision.actions import ACTION_KIND, Action

TODAY = date(2026, 11, 26)  # a Thursday


@pytest.fixture
def store(demo_file, tmp_path):
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    return Store.open(f"sqlite:///{copy}", user="Nadia Brook")


def test_open_overdue_and_repeated_actions_across_cases(store):
    records.save_new(store, ACTION_KIND, "dunmore", Action(
        case_id="dunmore", child="riley", what="Book Riley's eye test at the optician", who="Health visitor",
        by=date(2026, 10, 1), change_for_child="Riley can see the board", carried_over=2), "test")
    app = ActionsEscalationApp(store, today=TODAY)
    assert "Book Riley&#39;s eye test" in app.action_table.value
    assert "again, what stands in its way?" in app.action_table.value
    assert "overdue, 56 days" in app.action_table.value
    assert "open actions" in app.summary.value and "carried over twice or more" in app.summary.value


def test_an_action_closes_only_with_evidence(store):
    records.save_new(store, ACTION_KIND, "dunmore", Action(
        case_id="dunmore", what="Fit a dry mattress in Riley's room", who="Housing officer",
        by=date(2026, 12, 10), change_for_child="Riley sleeps in a dry bed"), "test")
    app = ActionsEscalationApp(store, today=TODAY)
    app.action_picker.value = next(v for label, v in app.action_picker.options if "dry mattress" in label)
    assert not app.close_action("done")
    assert "evidence" in app.action_message.value
    app.action_text.value = "Seen on the home visit of 20 Nov: new mattress, room dry."
    assert app.close_action("done")
    [done] = [a.model for a in records.actions(store, "dunmore") if "dry mattress" in a.model.what]
    assert done.status == "done" and done.evidence.startswith("Seen on the home visit")
    assert "dry mattress" not in app.action_table.value


def test_a_disagreement_is_raised_escalated_and_resolved_in_working_days(store):
    app = ActionsEscalationApp(store, today=TODAY)
    app.raise_case.value = "dunmore"
    assert not app.raise_disagreement() and "Not raised" in app.raise_message.value
    app.raise_children.value = ("riley",)
    app.raised_by.value, app.raised_by_role.value = "Kim Hale", "School designated safeguarding lead"
    app.raised_with.value, app.raised_with_role.value = "Sam Okafor", "Social worker"
    app.about.value = "The school thinks closing the plan is too early: Riley's attendance has dropped again."
    app.safe.value = "Breakfast club daily and a named adult at school to check in each morning."
    app.raised_on.value = date(2026, 12, 23)
    assert app.raise_disagreement(), app.raise_message.value
    assert "due 29 Dec 2026" in app.raise_message.value  # 2 working days: 25, 26-28 Dec are not
    key = next(v for label, v in app.escalation_picker.options if "closing the plan" in label)
    app.escalation_picker.value = key
    app.step_on.value = date(2026, 12, 30)
    app.step_note.value = "The social worker and the DSL met and did not agree; managers to decide."
    assert app.step("escalate")
    # 3 working days from 30 Dec: 31 Dec, 4 Jan, 5 Jan (1 Jan is a bank holiday)
    assert "stage 2 (Team managers), due 5 Jan 2027" in app.escalation_message.value
    app.escalation_picker.value = key
    app.step_on.value = date(2027, 1, 4)
    app.resolution.value = "Managers agreed to keep the plan open for three more months."
    assert not app.step("resolve") and "learning" in app.escalation_message.value
    app.learning.value = "Attendance figures go to the core group each fortnight."
    assert app.step("resolve")
    [esc] = [e.model for e in records.escalations(store, "dunmore")]
    assert esc.resolved_on == date(2027, 1, 4) and len(esc.stages) == 2
    assert "closing the plan" not in app.escalation_table.value


def test_each_disagreement_shows_its_stages_with_their_dates(store):
    app = ActionsEscalationApp(store, today=TODAY)
    # the sample's school disagreement: raised 15 May 2023, at stage 2 (team managers) since 22 May 2023
    assert "Each disagreement, stage by stage" in app.histories.value
    school = app.histories.value.split("<details")[1]
    assert "stage 2 (Team managers) since 22 May 2023" in school
    assert "15 May 2023" in school and "Raised at stage 1 (Practitioner to practitioner)" in school
    assert "22 May 2023" in school and "Reached stage 2 (Team managers)" in school
    app.raise_case.value = "dunmore"
    app.raise_children.value = ("riley",)
    app.raised_by.value, app.raised_by_role.value = "Kim Hale", "School designated safeguarding lead"
    app.raised_with.value, app.raised_with_role.value = "Sam Okafor", "Social worker"
    app.about.value = "Riley's attendance: the school wants a plan, not advice."
    app.safe.value = "A named adult at school checks in each morning."
    app.raised_on.value = date(2026, 11, 2)
    assert app.raise_disagreement(), app.raise_message.value
    app.escalation_picker.value = next(v for label, v in app.escalation_picker.options if "Riley's attendance" in label)
    app.step_on.value = date(2026, 11, 5)
    app.resolution.value, app.learning.value = "A plan agreed at the meeting of 5 Nov.", "Ask for a plan sooner."
    assert app.step("resolve"), app.escalation_message.value
    riley = next(d for d in app.histories.value.split("<details")[1:] if "Riley" in d)
    assert "resolved on 5 Nov 2026" in riley and "Resolved at stage 1" in riley and "2 Nov 2026" in riley
    assert "A plan agreed at the meeting of 5 Nov.; what was learnt: Ask for a plan sooner." in riley


def test_an_action_carried_over_shows_the_date_it_was_first_due(store):
    app = ActionsEscalationApp(store, today=TODAY)
    # the sample's dental action: first due 28 Feb 2023, carried over twice, due now 30 Jun 2023
    row = next(r for r in app.action_table.value.split("<tr")[1:] if "Book dental appointments" in r)
    assert "30 Jun 2023 (first due 28 Feb 2023)" in row and "2 times" in row
    assert "overdue, 1245 days" in row  # counted from the date due now, not the first

"""Linked incidents in the chronology app: a person confirms or undoes each link."""

from datetime import date

import pytest

from neglect_kit.apps.chronology import ChronologyApp
from neglect_kit.chronology.dates import parse_event_date
from neglect_kit.chronology.merge import find_duplicates
from neglect_kit.chronology.model import ENTRY_KIND, ChronologyEntry
from neglect_kit.chronology.records import stored_entries
from neglect_kit.config import Settings
from neglect_kit.store import Store

POLICE = "Domestic incident at the home. Dawn had been drinking and threw a mug. Ruby asleep upstairs."
SCHOOL = "Police notification (Operation Encompass): domestic incident on Saturday night. Ruby came in tired."


def _entry(agency: str, day: str, text: str, **more) -> dict:
    return ChronologyEntry(children=["ruby"], event_date=parse_event_date(day, today=date(2026, 1, 1)),
                           agency=agency, category="domestic_abuse", description=text,
                           **more).model_dump(mode="json")


@pytest.fixture
def linked(store: Store, case: str) -> tuple[ChronologyApp, str, str]:
    police = store.create(ENTRY_KIND, case, _entry("police", "2018-11-03", POLICE))
    school = store.create(ENTRY_KIND, case, _entry("school", "2018-11-05", SCHOOL,
                                                   duplicate_of=police.record_id))
    app = ChronologyApp(store, Settings())
    app.select_case(case)
    return app, police.record_id, school.record_id


def test_each_linked_pair_is_shown_side_by_side_with_why(linked):
    app, _, _ = linked
    [pair] = app.linked.pairs
    html = pair.view.value
    assert "First report" in html and "Later report" in html
    assert "3 Nov 2018" in html and "5 Nov 2018" in html and "Police" in html and "School" in html
    assert "Operation Encompass" in html
    assert "the school entry names the police as its source" in html
    assert "Suggested by the kit, not yet confirmed." in html
    assert [c.description for c in (pair.same, pair.differ, pair.why)] == [
        "Same incident", "Not the same", "Why not the same"]


def test_confirming_records_who_confirmed(linked, store):
    app, police_id, school_id = linked
    app.linked.pairs[0].same.click()
    record = store.get(school_id)
    assert record.version == 2 and record.body["duplicate_confirmed_by"] == "worker.one"
    assert record.body["duplicate_of"] == police_id
    assert record.reason == f"confirmed: the same incident as entry {police_id}"
    assert "Confirmed as the same incident by worker.one." in app.linked.pairs[0].view.value


def test_undoing_needs_a_reason_then_unlinks_for_good(linked, store, case):
    app, police_id, school_id = linked
    pair = app.linked.pairs[0]
    pair.differ.click()
    assert 'role="alert"' in app.linked.message.value and "Say why" in app.linked.message.value
    assert store.get(school_id).version == 1
    pair.why.value = "the police log is of the Friday before"
    app.view.value = "anonymised"  # the list is drawn again: what was typed stays
    pair = app.linked.pairs[0]
    assert pair.why.value == "the police log is of the Friday before"
    pair.differ.click()
    record = store.get(school_id)
    assert record.body["duplicate_of"] is None and record.body["not_duplicate_of"] == [police_id]
    assert record.reason == f"not the same incident as entry {police_id}: the police log is of the Friday before"
    assert app.linked.pairs == [] and "No linked incidents" in app.linked.list.children[0].value
    caption = app.table.table.caption
    assert "0 the same incident" not in caption and "the same incident as another" not in caption
    # a return sent again finds the pair, and does not link it again
    held = {s.record_id: s.entry for s in stored_entries(store, case)}
    assert find_duplicates([(school_id, held[school_id])], [(police_id, held[police_id])], Settings()) == []


def test_an_edit_made_elsewhere_first_is_not_overwritten(linked, store):
    app, _, school_id = linked
    current = store.get(school_id)
    store.update(school_id, 1, {**current.body, "description": SCHOOL + " Edited."}, reason="typo")
    app.linked.pairs[0].same.click()
    assert 'role="alert"' in app.linked.message.value and "worker.one changed this entry" in app.linked.message.value
    assert store.get(school_id).body.get("duplicate_confirmed_by") is None
    assert "Edited." in app.linked.pairs[0].view.value  # shown again as it is now


def test_the_anonymised_view_shows_no_names(linked):
    app, _, _ = linked
    app.view.value = "anonymised"
    html = app.linked.pairs[0].view.value
    assert "Dawn" not in html and "Ruby" not in html and "Operation Encompass" in html

"""Importing returns into a case: all or nothing, valid rows on request, duplicates linked."""

import io

import pytest
from helpers import csv_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neglect_kit.chronology.intake import SHOWN, ReturnFile, import_returns
from neglect_kit.chronology.records import counts_by_agency, entries_frame, stored_entries

pytestmark = pytest.mark.both_databases

POLICE = csv_bytes(
    "Date of incident,Child,Incident type,Details",
    "03/04/2019,Both,Domestic incident,Police called to shouting at the home; father had been drinking.",
    "12/05/2019,Ruby,Domestic incident,Neighbour reported a loud argument late at night.",
)
SCHOOL = csv_bytes(
    "Date,Agency,Child,Type,What happened,Child's words",
    "04/04/2019,School,Ruby,Domestic incident,Ruby said police came to the home and father had been "
    "drinking and shouting.,Daddy was shouting",
    "2019-06-10,School,Ruby,Attendance,Ruby absent for the third Monday running.,",
)
BAD_SCHOOL = SCHOOL + b"2019-06-11,Professional,Ruby,Attendance,Absent again.,\n"


def test_errors_in_any_row_mean_nothing_is_saved(store, case):
    report = import_returns(store, case, [ReturnFile("police.csv", POLICE, agency="police"),
                                          ReturnFile("school.csv", BAD_SCHOOL)])
    assert report.blocked
    assert report.written == 0
    assert [(p.file, p.row, p.column) for p in report.errors] == [("school.csv", 4, "Agency")]
    assert stored_entries(store, case) == []
    assert store.imports(case) == []
    assert "Nothing was saved" in report.text()
    assert "school.csv, row 4, column 'Agency': source agency 'Professional' is too vague" in report.text()


def test_valid_only_saves_the_good_rows_in_one_go(store, case):
    report = import_returns(store, case, [ReturnFile("police.csv", POLICE, agency="police"),
                                          ReturnFile("school.csv", BAD_SCHOOL)], valid_only=True)
    assert not report.blocked
    assert report.written == 4
    assert len(stored_entries(store, case)) == 4
    assert [i["filename"] for i in store.imports(case)] == ["police.csv", "school.csv"]


def test_the_same_incident_from_two_agencies_is_linked_and_counted_once(store, case):
    report = import_returns(store, case, [ReturnFile("police.csv", POLICE, agency="police")])
    assert report.written == 2
    report = import_returns(store, case, [ReturnFile("school.csv", SCHOOL)])
    [link] = report.links
    entries = {s.record_id: s.entry for s in stored_entries(store, case)}
    school_da = entries[link.record_id]
    assert school_da.agency == "school"
    assert school_da.duplicate_of == link.duplicate_of
    assert entries[link.duplicate_of].agency == "police"
    assert "same incident as the police entry of 3 Apr 2019" in report.text()
    assert counts_by_agency(list(stored_entries(store, case))) == {"police": 2, "school": 1}
    frame = entries_frame(stored_entries(store, case))
    assert frame.loc[frame.record_id == link.record_id, "duplicate_of"].item() == link.duplicate_of


def test_different_incidents_days_apart_are_not_linked(store, case):
    far = csv_bytes("Date,Agency,Child,Type,What happened",
                    "20/04/2019,School,Ruby,Domestic incident,Ruby said police came to the home and father "
                    "had been drinking and shouting.")
    import_returns(store, case, [ReturnFile("police.csv", POLICE, agency="police")])
    assert import_returns(store, case, [ReturnFile("far.csv", far)]).links == []


def test_a_file_imported_before_is_refused_even_with_valid_only(store, case):
    import_returns(store, case, [ReturnFile("police.csv", POLICE, agency="police")])
    again = import_returns(store, case, [ReturnFile("police-copy.csv", POLICE, agency="police")],
                           valid_only=True)
    assert again.written == 0
    assert "already imported into case ashdown" in again.errors[0].reason
    assert len(stored_entries(store, case)) == 2


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(["", "2019-01-01", "31/02/2019", "Ruby", "Tommy", "School",
                                          "Professional", "DA", "Late.", "=1+1", "<i>x</i>", "?"]),
                         min_size=5, max_size=5), min_size=1, max_size=6))
def test_an_import_that_reports_an_error_writes_nothing(store, case, rows):
    import csv

    buf = io.StringIO()
    csv.writer(buf).writerows([["Date", "Agency", "Child", "Type", "Details"], *rows])
    before = len(stored_entries(store, case))
    report = import_returns(store, case, [ReturnFile("fuzz.csv", buf.getvalue().encode())])
    after = len(stored_entries(store, case))
    if report.errors:
        assert after == before
        assert report.written == 0
    else:
        assert after == before + report.written


POLICE_HEAD = "Date of incident,Child,Incident type,Details"
FATHER_DRINKING = "03/04/2019,Both,Domestic incident,Police called to shouting at the home; father had been drinking."
LATE_ARGUMENT = "12/05/2019,Ruby,Domestic incident,Neighbour reported a loud argument late at night."


def _send_again(store, case, name, *rows, replace=False):
    report = import_returns(store, case, [ReturnFile(name, csv_bytes(POLICE_HEAD, *rows), agency="police")],
                            replace=replace)
    [again] = report.resent
    return report, again


def _current(store, case):
    return {s.entry.description: s for s in stored_entries(store, case)}


def test_a_corrected_copy_under_another_name_saves_its_correction_as_a_new_version(store, case):
    import_returns(store, case, [ReturnFile("police-2019.csv", POLICE, agency="police")])
    before = _current(store, case)[LATE_ARGUMENT.split(",", 3)[3]]
    report, again = _send_again(store, case, "police-2019-v2.csv", FATHER_DRINKING,
                                "12/05/2019,Ruby,Domestic incident,Neighbour reported a loud argument at 2am.")
    # the unchanged row says which file this is a copy of, so the corrected one is found in it
    assert (len(again.unchanged), len(again.changed), len(again.gone), again.new) == (1, 1, 0, 0)
    assert (report.written, report.corrected, report.withdrawn) == (0, 1, 0)
    assert ("row 3: changed: saved as a new version of the entry of 12/05/2019 from row 3 of police-2019.csv: "
            "description 'Neighbour reported a loud argument late at night.' -> "
            "'Neighbour reported a loud argument at 2am.'") in report.text()
    held = _current(store, case)
    assert len(held) == 2
    corrected = held["Neighbour reported a loud argument at 2am."]
    assert (corrected.record_id, corrected.record.version) == (before.record_id, 2)
    assert store.history(before.record_id)[0].body["description"] == before.entry.description


def test_a_corrected_date_is_the_same_row(store, case):
    import_returns(store, case, [ReturnFile("police.csv", POLICE, agency="police")])
    report, again = _send_again(store, case, "police.csv", FATHER_DRINKING,
                                LATE_ARGUMENT.replace("12/05/2019", "21/05/2019"))
    assert (len(again.unchanged), len(again.changed), again.new) == (1, 1, 0)
    assert "event date" in report.text()
    held = _current(store, case)
    assert len(held) == 2
    assert held[LATE_ARGUMENT.split(",", 3)[3]].entry.event_date.text == "21/05/2019"


def test_a_short_row_on_another_date_is_another_row(store, case):
    import_returns(store, case, [ReturnFile("school.csv", csv_bytes(
        "Date,Agency,Child,Type,What happened", "2019-05-01,School,Ruby,Attendance,Late."))])
    report = import_returns(store, case, [ReturnFile("school.csv", csv_bytes(
        "Date,Agency,Child,Type,What happened", "2019-06-03,School,Ruby,Attendance,Late."))])
    [again] = report.resent
    # one word says too little to carry a row across dates: June's "Late." is new, May's is kept
    assert (len(again.changed), again.new, len(again.gone)) == (0, 1, 1)
    assert len(stored_entries(store, case)) == 2


def test_a_corrected_type_and_words_in_a_row_moved_down_is_the_same_event(store, case):
    import_returns(store, case, [ReturnFile("police.csv", POLICE, agency="police")])
    report, again = _send_again(
        store, case, "police.csv", "01/03/2019,Ruby,Concern for welfare,Caller worried about children left alone.",
        "03/04/2019,Both,Police call-out,Police called to shouting at the home; father had been drinking heavily.",
        LATE_ARGUMENT)
    assert (len(again.unchanged), len(again.changed), len(again.gone), again.new) == (1, 1, 0, 1)
    [(row, was)] = again.changed
    assert (row.row, was.entry.provenance.row) == (3, 2)
    assert "category 'domestic_abuse' -> 'police_callout'" in report.text()
    held = _current(store, case)
    assert len(held) == 3
    corrected = held["Police called to shouting at the home; father had been drinking heavily."]
    assert (corrected.entry.category, corrected.record.version) == ("police_callout", 2)


def test_two_incidents_on_one_day_stay_two(store, case):
    import_returns(store, case, [ReturnFile("police.csv", csv_bytes(
        POLICE_HEAD, FATHER_DRINKING, "03/04/2019,Both,Domestic incident,Neighbour reported a loud argument late "
        "at night."), agency="police")])
    # the second row corrected and moved up, the first unchanged, a third incident that day added
    _, again = _send_again(
        store, case, "police.csv", "03/04/2019,Both,Domestic incident,Neighbour reported a loud argument at 2am.",
        FATHER_DRINKING, "03/04/2019,Both,Domestic incident,Police called again: father drinking in the street.")
    assert (len(again.unchanged), len(again.changed), len(again.gone), again.new) == (1, 1, 0, 1)
    [(row, was)] = again.changed
    assert (row.row, was.entry.description) == (2, "Neighbour reported a loud argument late at night.")
    assert len(stored_entries(store, case)) == 3


def test_a_row_that_fits_two_held_rows_equally_merges_neither(store, case):
    import_returns(store, case, [ReturnFile("police.csv", csv_bytes(
        POLICE_HEAD, "03/04/2019,Both,Domestic incident,Neighbour reported shouting and a loud argument.",
        "03/04/2019,Both,Domestic incident,Neighbour reported a loud argument and a door slammed."),
        agency="police")])
    report, again = _send_again(store, case, "police.csv", "01/03/2019,Ruby,Concern for welfare,Caller worried.",
                                "02/03/2019,Ruby,Concern for welfare,Caller worried again.",
                                "03/04/2019,Both,Domestic incident,Neighbour reported a loud argument.")
    # the copy's row 4 tells of the same day as both held rows and sits where neither did: no guess
    assert (len(again.changed), again.new, len(again.gone)) == (0, 3, 2)
    assert report.corrected == 0
    assert "gone: the entry of 03/04/2019 from row 3, kept (replace the previous return to withdraw)" in report.text()
    assert len(stored_entries(store, case)) == 5


def test_with_errors_in_the_copy_sent_again_gone_rows_are_kept(store, case):
    import_returns(store, case, [ReturnFile("school.csv", SCHOOL)])
    copy = csv_bytes("Date,Agency,Child,Type,What happened,Child's words",
                     "2019-06-11,Professional,Ruby,Attendance,Absent again.,")
    report = import_returns(store, case, [ReturnFile("school.csv", copy)], valid_only=True, replace=True)
    [again] = report.resent
    assert len(again.gone) == 0  # the row with an error names no agency, so no held row is set against it
    copy = csv_bytes("Date,Agency,Child,Type,What happened,Child's words",
                     "2019-06-10,School,Ruby,Attendance,Ruby absent for the third Monday running.,",
                     "2019-06-11,School,Tyler,Attendance,Absent again.,")
    report = import_returns(store, case, [ReturnFile("school.csv", copy)], valid_only=True, replace=True)
    [again] = report.resent
    assert len(again.gone) == 1 and again.keeps_gone
    assert "gone: the entry of 04/04/2019 from row 2, kept (rows of this copy have errors)" in report.text()
    assert report.withdrawn == 0
    assert len(stored_entries(store, case)) == 2


def test_undoing_an_import_withdraws_only_what_it_saved(store, case):
    from neglect_kit.chronology.intake import undo_import

    first = import_returns(store, case, [ReturnFile("police.csv", POLICE, agency="police")])
    second = import_returns(store, case, [ReturnFile("school.csv", SCHOOL)])
    info, withdrawn = undo_import(store, case, first.import_ids[0], "police return for another family")
    assert (info["filename"], withdrawn) == ("police.csv", 2)
    assert {s.entry.provenance.import_id for s in stored_entries(store, case)} == set(second.import_ids)
    held = stored_entries(store, case, include_withdrawn=True)
    withdrawn_versions = [s for s in held if s.record.status == "withdrawn"]
    assert {s.record.reason for s in withdrawn_versions} == {
        f"import {first.import_ids[0]} (police.csv) undone: police return for another family"}


def test_the_report_gives_errors_then_warnings_then_counted_notes(store, case):
    data = csv_bytes("Date,Agency,Child,Type,What happened,Staff ID",
                     "03/04/2019,School,Ruby,Attendance,Late.,1",
                     "2019-06-11,Professional,Ruby,Attendance,Absent again.,2")
    report = import_returns(store, case, [ReturnFile("school.csv", data)])
    lines = report.text().splitlines()
    assert lines[0] == ("Case ashdown: 1 file(s), 2 row(s), 1 valid, 1 error(s), 0 warning(s), "
                        "0 linked as the same incident.")
    assert lines[1] == "Errors:"
    assert lines[2].startswith("  error: school.csv, row 3, column 'Agency'")
    assert lines[3] == ("school.csv: 2 note(s): 1 column(s) not used, 1 dates read with a note "
                        "(--notes lists each one)")
    assert "note: school.csv, row 2, column 'Date'" in report.text(notes=True)


def test_the_report_lists_a_screenful_of_errors_then_counts_the_rest(store, case):
    rows = [f"2019-06-{1 + n % 28:02d},Professional,Ruby,Attendance,Absent {n}." for n in range(45)]
    report = import_returns(store, case, [ReturnFile("school.csv", csv_bytes("Date,Agency,Child,Type,Notes", *rows))])
    errors = [line for line in report.text().splitlines() if line.startswith("  error:")]
    assert len(errors) == SHOWN == 20
    assert errors[0].startswith("  error: school.csv, row 2, column 'Agency'")  # the first rows, in order
    assert errors[-1].startswith("  error: school.csv, row 21, column 'Agency'")
    assert "  ... and 25 more errors (--notes lists every one)" in report.text().splitlines()
    assert len([line for line in report.text(notes=True).splitlines() if line.startswith("  error:")]) == 45
    assert "more errors" not in report.text(notes=True)


def test_every_report_line_shows_control_characters_as_escapes(store, case):
    # a cell and a file name carrying terminal codes: clear the screen, turn red, retitle the window
    data = csv_bytes("Date,Agency,Child,Type,Notes",
                     "2019-06-11,\x1b[2J\x1b[31mPolice\x1b]0;x\x07,Ruby,Attendance,Late.")
    report = import_returns(store, case, [ReturnFile("school\x1b[5m.csv", data)])
    text = report.text(notes=True)
    assert not any(c in text for c in "\x1b\x07\x9b")
    assert "school\\x1b[5m.csv" in text
    assert "\\x1b[2J\\x1b[31mPolice\\x1b]0;x\\x07" in text
    assert all(not any(ord(c) < 32 for c in line) for line in text.splitlines())
    assert "\x1b" not in str(report.errors[0]) and "\\x1b[5m" in str(report.errors[0])


def test_the_same_file_imported_twice_at_once_is_saved_once(db_url, case):
    """Two people import one return at the same moment: the second write is refused, never saved twice."""
    import threading

    from neglect_kit.store import Store, StoreError

    data = ("Date,Agency,Child,Category,Description\n"
            + "".join(f"2019-0{m}-0{d},School,Ruby,Attendance,Absent on day {m}.{d}.\n"
                      for m in range(1, 4) for d in range(1, 8))).encode()
    barrier, outcomes = threading.Barrier(2), []

    def worker(user: str) -> None:
        store = Store.open(db_url, user=user)  # the `case` fixture's database
        barrier.wait()
        try:  # refused either by the check before the write or, in a true race, inside the write
            report = import_returns(store, "ashdown", [ReturnFile("school.csv", data)])
            outcomes.append(report.text() if report.blocked else report.written)
        except StoreError as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=worker, args=(u,)) for u in ("worker.one", "worker.two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    saved = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, str)]
    assert saved == [21] and len(refused) == 1 and "already imported" in refused[0], outcomes
    assert len(stored_entries(Store.open(db_url), "ashdown")) == 21

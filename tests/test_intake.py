"""Importing returns into a case: all or nothing, valid rows on request, duplicates linked."""

import io

from helpers import csv_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neglect_kit.chronology.intake import ReturnFile, import_returns
from neglect_kit.chronology.records import counts_by_agency, entries_frame, stored_entries

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


def test_a_return_sent_again_under_another_name_is_recognised_row_by_row(store, case):
    import_returns(store, case, [ReturnFile("police-2019.csv", POLICE, agency="police")])
    renamed = POLICE.replace(b"12/05/2019,Ruby,Domestic incident,Neighbour reported a loud argument late at night.",
                             b"12/05/2019,Ruby,Domestic incident,Neighbour reported a loud argument at 2am.")
    report = import_returns(store, case, [ReturnFile("police-2019-v2.csv", renamed, agency="police")], replace=True)
    [again] = report.resent
    # the unchanged row is held word for word; the corrected one came under another file name, so it is new
    assert (len(again.unchanged), len(again.changed), len(again.gone), again.new) == (1, 0, 0, 1)
    assert report.written == 1 and report.corrected == 0 and report.withdrawn == 0


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

"""Checking agency returns: every problem named by file, row, column and reason."""

import io
from datetime import date

import pytest
from helpers import csv_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from neglect_kit.chronology.importer import ERROR, NOTE, WARNING, check_return

HEADER = "Date of event,Agency,Child,Category,What happened,Action taken"


def problems(result, severity=ERROR):
    return [(p.row, p.column, p.reason) for p in result.problems if p.severity == severity]


def test_a_clean_return_gives_entries_and_no_errors(ctx):
    result = check_return(csv_bytes(
        HEADER,
        "03/04/2019,Health visitor,Ruby,WNB,Ruby was not brought to her 3-year review.,Letter sent",
        "spring 2018,School,Both,Positive,Ruby and Jack came to the summer fair with mum.,",
    ), "hv.csv", ctx)
    assert problems(result) == []
    first, second = (r.entry for r in result.entries)
    assert first.agency == "health_visiting"
    assert first.category == "was_not_brought"
    assert first.event_date.earliest == date(2019, 4, 3)
    assert first.provenance.row == 2
    assert second.children == ["ruby", "jack"]
    assert second.event_date.precision == "season"
    assert [r.row for r in result.entries] == [2, 3]


@pytest.mark.parametrize(("row", "column", "reason"), [
    ("04/13/2019,School,Ruby,Attendance,Late.,", "Date of event", "no month 13"),
    ("2031-01-01,School,Ruby,Attendance,Late.,", "Date of event", "in the future"),
    (",School,Ruby,Attendance,Late.,", "Date of event", "no date given"),
    ("2019-01-01,Professional,Ruby,Attendance,Late.,", "Agency", "too vague"),
    ("2019-01-01,Unknown,Ruby,Attendance,Late.,", "Agency", "too vague"),
    ("2019-01-01,Ministry of Magic,Ruby,Attendance,Late.,", "Agency", "is not known"),
    ("2019-01-01,School,Tommy,Attendance,Late.,", "Child", "'Tommy' is not a child of this case"),
    ("2019-01-01,School,,Attendance,Late.,", "Child", "every entry must name the child"),
    ("2019-01-01,School,Ruby,Attendance,,", "What happened", "description is missing"),
])
def test_each_bad_row_is_named_with_its_column_and_reason(ctx, row, column, reason):
    result = check_return(csv_bytes(HEADER, "2019-01-01,School,Jack,Attendance,Fine.,", row), "s.csv", ctx)
    [(r, col, why)] = problems(result)
    assert (r, col) == (3, column)
    assert reason in why
    assert [e.row for e in result.entries] == [2]


def test_formulas_and_html_are_neutralised_and_said(ctx):
    result = check_return(csv_bytes(
        HEADER,
        '2019-01-01,School,Ruby,Attendance,"=HYPERLINK(""http://example.invalid"",""click"")",',
        "2019-01-02,School,Ruby,Attendance,<b>Note</b><script>alert(1)</script> Ruby was hungry,",
    ), "s.csv", ctx)
    first, second = (r.entry for r in result.entries)
    assert first.description.startswith("'=HYPERLINK")
    assert second.description == "Note Ruby was hungry"
    notes = [why for _, _, why in problems(result, NOTE)]
    assert "description: spreadsheet formula neutralised" in notes
    assert "description: script removed" in notes


def test_a_whole_email_and_an_overlong_text_are_refused(ctx):
    email = '"From: a@b.invalid\nSent: Monday\nTo: c@d.invalid\nSubject: Ruby\n\nHi all"'
    result = check_return(csv_bytes(HEADER, f"2019-01-01,School,Ruby,Attendance,{email},",
                                    f"2019-01-02,School,Ruby,Attendance,{'x' * 2500},"), "s.csv", ctx)
    reasons = [why for _, _, why in problems(result)]
    assert any("looks like a whole e-mail" in r for r in reasons)
    assert any("2,500 characters" in r for r in reasons)


def test_pre_birth_entries_are_valid_and_marked(ctx):
    result = check_return(csv_bytes(HEADER, "2016-12-01,Midwifery,Jack,Health,Booking appointment missed.,"),
                          "mw.csv", ctx)
    assert result.entries[0].entry.pre_birth == ["jack"]
    assert any("before Jack's birth" in why for _, _, why in problems(result, NOTE))


def test_an_event_long_before_conception_asks_if_it_is_the_right_child(ctx):
    result = check_return(csv_bytes(HEADER, "2012-01-01,Police,Jack,Domestic abuse,Incident at home.,"),
                          "p.csv", ctx)
    assert any("is this the right child" in why for _, _, why in problems(result, WARNING))


def test_event_after_the_date_recorded_suggests_swapped_dates(ctx):
    result = check_return(csv_bytes("Event date,Date recorded,Agency,Child,Category,Details",
                                    "2019-05-01,2019-04-01,GP,Ruby,Health,Seen for a cough."), "gp.csv", ctx)
    assert "are the two dates swapped?" in problems(result)[0][2]


def test_the_rows_bodies_are_built_when_first_asked_for_and_once(ctx, monkeypatch):
    from neglect_kit.chronology import importer

    made = []
    maker = importer.row_maker
    monkeypatch.setattr(importer, "row_maker", lambda *a: (lambda *v: made.append(v[0]) or maker(*a)(*v)))
    result = check_return(csv_bytes("Event date,Date recorded,Agency,Child,Category,Details",
                                    "2019-05-01,2019-06-01,GP,Ruby,Health,Seen for a cough.",
                                    "2019-05-01,2019-04-01,GP,Ruby,Health,Dates swapped.",
                                    "2019-05-01,2019-06-01,GP,Nobody,Health,No such child.",
                                    "2016-12-01,2016-12-02,GP,Jack,,Booking appointment missed."), "gp.csv", ctx)
    assert made == [3]  # only the row whose dates look swapped, for the rule between fields
    assert len(result.entries) == 2 and made == [3]
    first = result.entries[0]
    assert made == [3, 2, 5] and first is result.entries[0] and [r.row for r in result.entries] == [2, 5]
    assert result.entries[1].body["inferred"] == ["category"] and result.entries[1].body["pre_birth"] == ["jack"]
    assert made == [3, 2, 5]


def test_a_rows_body_holds_its_fields_alone_and_its_model_is_made_once(ctx):
    result = check_return(csv_bytes("Event date,Agency,Child,Category,Details",
                                    "2019-05-01,GP,Ruby,Health,Seen for a cough."), "gp.csv", ctx)
    row = result.entries[0]
    before = dict(row.body)
    entry = row.entry
    assert row.entry is entry and entry.description == "Seen for a cough."
    # the row's number and its model are the row's, not fields of what is stored
    assert row.body == before and "row" not in row.body and "_entry" not in row.body
    assert row.row == 2 and row.body["provenance"] == {"file": "gp.csv", "row": 2}


@pytest.mark.parametrize("names", [["row"], ["description", "entry"], ["body"], ["provenance"], ["not a name"]])
def test_a_row_maker_refuses_a_field_the_row_itself_uses(names):
    from neglect_kit.chronology.checked_rows import row_maker

    with pytest.raises(ValueError, match="not field names"):
        row_maker(names, "gp.csv")


def test_the_same_row_twice_is_refused_once(ctx):
    row = "2019-01-01,School,Ruby,Attendance,Late.,"
    result = check_return(csv_bytes(HEADER, row, row), "s.csv", ctx)
    assert problems(result) == [(3, "", "the same as row 2 of this return: keep one copy")]
    assert len(result.entries) == 1


def test_columns_are_matched_by_synonym_ignoring_case_and_spacing_and_by_mapping(ctx):
    result = check_return(csv_bytes("  DATE OF INCIDENT ,child(ren),Incident Type,Occurrence text,Staff ID",
                                    "2019-01-01,Ruby,DA,Shouting heard by neighbours.,123"), "p.csv", ctx,
                          agency="police", mapping={"Occurrence text": "description"})
    assert problems(result) == []
    assert result.entries[0].entry.description == "Shouting heard by neighbours."
    assert (None, "Staff ID", "column not used (no chronology field of that name)") in problems(result, NOTE)


def test_missing_columns_and_missing_agency_are_file_errors(ctx):
    result = check_return(csv_bytes("When,Who", "2019-01-01,Ruby"), "x.csv", ctx)
    [(row, _, why)] = problems(result)
    assert row is None
    assert why.startswith("no column for child(ren)")
    assert "category" not in why  # a category can be read from the words
    assert ("or give the return's child(ren) for every row (case.toml [[returns]] children = [\"child-id\", ...], "
            "or --children on import), or give the return's agency for every row") in why
    assert result.rows == 1  # a refused file still says how many rows it held
    result = check_return(csv_bytes("Date,Child,Type,Details", "2019-01-01,Ruby,DA,Shouting."), "x.csv", ctx)
    assert problems(result)[0][2].startswith("no column for agency (headers such as 'agency', 'source'")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_the_encodings_agencies_use_are_read(ctx, encoding):
    data = csv_bytes(HEADER, "2019-01-01,School,Ruby,Attendance,Ruby’s café trip cost £2.,", encoding=encoding)
    result = check_return(data, "s.csv", ctx)
    assert result.entries[0].entry.description == "Ruby’s café trip cost £2."


def test_a_file_in_neither_encoding_is_refused(ctx):
    result = check_return(HEADER.encode() + b"\n2019-01-01,School,Ruby,Attendance,\x81\x8d,\n", "s.csv", ctx)
    assert "neither UTF-8, UTF-16 nor Windows-1252" in problems(result)[0][2]


def test_xlsx_with_date_cells_and_extra_columns(ctx):
    wb = Workbook()
    ws = wb.active
    ws.append(["Incident date", "Child", "Type", "Summary", "Extra"])
    ws.append([date(2019, 4, 3), "Jack", "Home conditions", "Kitchen floor covered in rubbish.", "x"])
    ws.append([43558, "Ruby", "Home conditions", "Same visit.", None])
    buf = io.BytesIO()
    wb.save(buf)
    result = check_return(buf.getvalue(), "housing.xlsx", ctx, agency="Housing")
    assert problems(result) == []
    assert [r.entry.event_date.earliest for r in result.entries] == [date(2019, 4, 3)] * 2
    assert [r.row for r in result.entries] == [2, 3]


def test_unreadable_files_are_named(ctx):
    assert "empty" in problems(check_return(b"", "a.csv", ctx))[0][2]
    assert "not a readable XLSX" in problems(check_return(b"not a zip", "a.xlsx", ctx))[0][2]
    assert "old Excel" in problems(check_return(b"x", "a.xls", ctx))[0][2]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(max_size=15), min_size=6, max_size=6), max_size=5))
def test_arbitrary_cells_never_crash_the_check(ctx, rows):
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER.split(","))
    writer.writerows(rows)
    result = check_return(buf.getvalue().encode(), "fuzz.csv", ctx)
    assert all(p.severity in (ERROR, WARNING, NOTE) for p in result.problems)
    assert {r.row for r in result.entries}.isdisjoint(result.error_rows)


def test_a_category_default_fills_blank_cells_and_a_different_cell_is_an_error_naming_both(ctx):
    data = csv_bytes("Date,Child,Type,Details", "2019-01-01,Ruby,,Late.", "2019-01-02,Ruby,Attendance,Late again.",
                     "2019-01-03,Ruby,Domestic incident,Police called.")
    result = check_return(data, "s.csv", ctx, agency="school", category="attendance")
    label = ctx.settings.categories.label("attendance")
    assert problems(result) == [(4, "Type", f"the row says category 'Domestic incident' but the return's category is "
                                            f"'{label}': correct the cell or the return's category")]
    assert [(e.row, e.entry.category, e.entry.inferred) for e in result.entries] == [
        (2, "attendance", []), (3, "attendance", [])]


def test_children_for_the_whole_return_and_a_row_naming_another_child(ctx):
    data = csv_bytes("Date,Child,Details", "2019-01-01,,Both at the door.", "2019-01-02,Jack,Jack at the door.")
    result = check_return(data, "p.csv", ctx, agency="police", children=["ruby", "jack"])
    [(row, column, why)] = problems(result)
    assert (row, column) == (3, "Child")
    assert why == ("the row says child(ren) 'Jack' but the return's child(ren) is 'Ruby, Jack': "
                   "correct the cell or the return's child(ren)")
    assert result.entries[0].entry.children == ["ruby", "jack"]
    bad = check_return(data, "p.csv", ctx, agency="police", children=["ruby", "rowan"])
    assert problems(bad)[0][2].startswith("the children given for the whole return: 'rowan' is not a child")


def test_categories_are_read_from_the_words_when_the_return_has_none(ctx):
    data = csv_bytes("Date,Child,Details,Outcome",
                     "2019-01-01,Ruby,Ruby was not brought to the dentist.,",
                     "2019-01-02,Ruby,Phone call to mum.,Mum said she had been drinking all weekend.")
    result = check_return(data, "hv.csv", ctx, agency="health_visiting")
    assert [(e.entry.category, e.entry.inferred) for e in result.entries] == [
        ("was_not_brought", ["category"]), ("parental_alcohol", ["category"])]  # the outcome's words count too
    assert result.inferred_categories == 2
    notes = [p for p in result.problems if p.kind == "categories read from words"]
    assert [n.row for n in notes] == [2, 3]
    # a category column with a blank cell: that row alone is read from its words
    data = csv_bytes("Date,Child,Type,Details", "2019-01-01,Ruby,,Ruby was not brought to clinic.",
                     "2019-01-02,Ruby,Positive,Ruby won a prize.")
    result = check_return(data, "hv.csv", ctx, agency="health_visiting")
    assert [(e.entry.category, e.entry.inferred) for e in result.entries] == [
        ("was_not_brought", ["category"]), ("positive", [])]


def test_an_agency_type_the_kit_does_not_know_is_read_from_the_words_and_said(ctx):
    """A police export's "Concern for welfare" or a school's "Stuff" is no reason to refuse a row."""
    data = (b"Date,Agency,Child,Category,Description\n"
            b"2019-01-01,School,Ruby,Stuff,Ruby arrived hungry and asked for toast.\n")
    result = check_return(data, "school.csv", ctx)
    assert not [p for p in result.problems if p.severity == "error"]
    [row] = result.entries
    assert row.entry.category == "hunger_food"
    assert row.entry.inferred == ["category"]
    [note] = [p for p in result.problems if p.row == 2]
    assert "'Stuff' is not a category the kit knows" in note.reason and "Hunger and food" in note.reason


def test_the_words_after_an_impact_are_cleaned_and_their_length_checked(ctx):
    header = HEADER + ",Impact"
    result = check_return(csv_bytes(
        header,
        '2019-01-01,School,Ruby,Attendance,Late.,,"Negative - <script>alert(1)</script>she was hungry"',
        '2019-01-02,School,Ruby,Attendance,Late again.,,"Negative - =HYPERLINK(""http://x.invalid"")"',
        f"2019-01-03,School,Ruby,Attendance,Late once more.,,Negative - {'x' * 50_000}",
        "2019-01-04,School,Ruby,Attendance,Late at last.,,Negative - mum\x1b[2J overslept",
    ), "s.csv", ctx)
    kept = {r.row: r.entry for r in result.entries}
    assert kept[2].impact_note == "she was hungry"
    assert kept[3].impact_note == "'=HYPERLINK(\"http://x.invalid\")"
    assert kept[5].impact_note == "mum[2J overslept"
    [(row, column, why)] = problems(result)
    assert (row, column) == (4, "Impact")
    assert why.startswith("impact note is 50,000 characters") and "at most 2,000" in why
    notes = [(row, why) for row, _, why in problems(result, NOTE)]
    assert (2, "impact note: script removed") in notes
    assert (3, "impact note: spreadsheet formula neutralised") in notes
    assert (5, "impact note: control characters removed") in notes


def test_a_long_return_is_checked_alike_in_repeating_and_in_differing_text(ctx):
    # past the cells looked at to tell a repeating column (actions) from a differing one (descriptions)
    lines = [f"2019-01-{1 + n % 28:02d},School,Ruby,Attendance,Late on visit {n}.,Letter sent" for n in range(1200)]
    lines[1100] = "2019-02-01,School,Ruby,Attendance,Late again.,=cmd|' /C calc'!A0"
    lines[1150] = "2019-02-02,School,Ruby,Attendance,<b>Late</b> &amp; tired.,Letter sent"
    lines[1160] = lines[5].replace("visit 5.", "visit 5 and hungry.")  # alike in every coded column, not a copy
    lines[1170] = lines[7]  # a copy
    result = check_return(csv_bytes(HEADER, *lines), "s.csv", ctx)
    assert problems(result) == [(1172, "", "the same as row 9 of this return: keep one copy")]
    assert [(r, c) for r, c, _ in problems(result, NOTE)] == [(1152, "What happened"), (1102, "Action taken")]
    assert len(result.entries) == 1199
    by_row = {r.row: r.body for r in result.entries}
    assert by_row[1102]["action"] == "'=cmd|' /C calc'!A0"
    assert by_row[1152]["description"] == "Late & tired."
    assert by_row[1162]["description"] == "Late on visit 5 and hungry."


def test_a_column_with_missing_cells_is_coded_as_pandas_codes_it_with_missing_values_kept():
    import numpy as np
    import pandas as pd

    from neglect_kit.chronology.column_values import _factorized

    for cells in (["b", "a", "b", ""], ["b", None, "a", float("nan"), None, "b"]):
        array = np.array(cells, dtype=object)
        codes, uniques = _factorized(array)
        want_codes, want_uniques = pd.factorize(array, use_na_sentinel=False)
        assert codes.tolist() == want_codes.tolist() and codes.min() >= 0
        assert [str(u) for u in uniques] == [str(u) for u in want_uniques]


def test_a_problem_cannot_be_changed_once_made():
    from neglect_kit.chronology.importer import Problem

    problem = Problem("s.csv", 3, "Agency", "source agency is missing")
    with pytest.raises(AttributeError):
        problem.row = 4
    assert str(problem) == "error: s.csv, row 3, column 'Agency': source agency is missing"

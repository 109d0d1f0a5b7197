"""Case folders: case.toml checked key by key, loaded in one transaction."""

from datetime import date
from pathlib import Path

import pytest

from neglect_kit.casefolders.case_folder import CaseFolderError, load_case_folder, read_case_folder
from neglect_kit.chronology.records import stored_entries

CASE = """
[case]
id = "fern"
title = "The Fern children"

[[people]]
id = "ivy"
kind = "child"
name = "Ivy Fern"
date_of_birth = 2016-02-03

[[people]]
id = "kit"
kind = "adult"
name = "Kit Fern"
relationships = { ivy = "mum" }

[[plans]]
type = "CP"
category = "neglect"
children = ["ivy"]
start = 2018-01-01
risk_factors = ["home_conditions"]

[[returns]]
file = "returns/school.csv"
agency = "school"
"""
GOOD = "Date,Child,Type,What happened\n2018-02-01,Ivy,Attendance,Ivy late three days this week.\n"


def folder(tmp_path: Path, toml: str = CASE, school: str = GOOD) -> Path:
    (tmp_path / "returns").mkdir(exist_ok=True)
    (tmp_path / "case.toml").write_text(toml)
    (tmp_path / "returns" / "school.csv").write_text(school)
    return tmp_path


def test_a_folder_loads_case_people_plans_and_entries(store, tmp_path):
    report = load_case_folder(store, folder(tmp_path))
    assert report.written == 1
    assert store.case("fern")["title"] == "The Fern children"
    assert [p["id"] for p in store.people("fern")] == ["ivy", "kit"]
    assert store.people("fern", kind="adult")[0]["relationships"] == {"ivy": "mother"}
    [plan] = store.plans("fern")
    assert (plan["type"], plan["category"], plan["risk_factors"]) == ("child_protection", "neglect",
                                                                      ["home_conditions"])
    assert stored_entries(store, "fern")[0].entry.children == ["ivy"]


def test_a_return_with_errors_leaves_no_case_behind(store, tmp_path):
    report = load_case_folder(store, folder(tmp_path, school=GOOD + "2018-02-02,Tommy,Attendance,Late.\n"))
    assert report.blocked
    assert store.cases() == []
    report = load_case_folder(store, tmp_path, valid_only=True)
    assert report.written == 1
    assert store.case("fern")


def test_loading_the_same_case_twice_is_refused(store, tmp_path):
    load_case_folder(store, folder(tmp_path))
    with pytest.raises(Exception, match="case 'fern' already exists"):
        load_case_folder(store, tmp_path)
    assert len(stored_entries(store, "fern")) == 1


@pytest.mark.parametrize(("change", "message"), [
    (('name = "Ivy Fern"\ndate_of_birth = 2016-02-03', 'name = "Ivy Fern"'),
     "child 'ivy' needs a date_of_birth or expected_date_of_birth"),
    (('relationships = { ivy = "mum" }', 'relationships = { ivy = "cousin-ish" }'),
     "relationship 'cousin-ish' to ivy is not known"),
    (('relationships = { ivy = "mum" }', 'relationships = { rowan = "mother" }'),
     "relationship to 'rowan', who is not a child of the case"),
    (('category = "neglect"', 'category = ""'), "a child protection plan needs a category"),
    (('risk_factors = ["home_conditions"]', 'risk_factors = ["bad vibes"]'), "risk factor 'bad vibes' is not known"),
    (('children = ["ivy"]', 'children = ["rowan"]'), "'rowan' is not a child of the case"),
    (('file = "returns/school.csv"', 'file = "returns/nursery.csv"'),
     "file 'returns/nursery.csv' is not in the folder"),
    (('agency = "school"', 'agency = "school"\nchildren = ["rowan"]'),
     "returns 'returns/school.csv': children: 'rowan' is not a child of the case (children: ivy)"),
    (('title = "The Fern children"', 'title = "The Fern children"\ncolour = "red"'), "case.colour"),
    (('start = 2018-01-01', 'start = 2018-01-01\nend = 2017-01-01'), "plan ends (2017-01-01) before it starts"),
])
def test_each_bad_key_is_named_with_the_file(tmp_path, change, message):
    old, new = change
    assert old in CASE
    folder(tmp_path, CASE.replace(old, new))
    with pytest.raises(CaseFolderError) as err:
        read_case_folder(tmp_path)
    assert str(tmp_path / "case.toml") in str(err.value)
    assert message in str(err.value)


def test_a_folder_without_case_toml_or_with_broken_toml(tmp_path):
    with pytest.raises(CaseFolderError, match="no such file"):
        read_case_folder(tmp_path)
    (tmp_path / "case.toml").write_text("[case\n")
    with pytest.raises(CaseFolderError, match="not readable TOML"):
        read_case_folder(tmp_path)


ASSESSMENT = """
[[assessments]]
child = "ivy"
assessed_on = 2018-03-01
assessed_by = "sw.one"
[[assessments.grades]]
sub_area = "food"
grade = 4
evidence = "No food at two visits."
"""


def test_a_folder_loads_its_assessments_with_the_case(store, tmp_path):
    from neglect_kit.assessment.model import ASSESSMENT_KIND

    folder(tmp_path)
    (tmp_path / "assessments.toml").write_text(ASSESSMENT)
    load_case_folder(store, tmp_path)
    [record] = store.current(ASSESSMENT_KIND, "fern")
    assert record.body["grades"][0]["grade"] == 4


@pytest.mark.parametrize(("change", "message"), [
    (("grade = 4", "grade = 6"), "assessments[1].grades.0.grade"),
    (('child = "ivy"', 'child = "rowan"'), "'rowan' is not a child of the case"),
    (("assessed_on = 2018-03-01", "assessed_on = 2015-03-01"), "before the child's birth"),
    (('evidence = "No food at two visits."', 'evidence = ""'), "every grade needs written evidence"),
])
def test_a_bad_assessment_is_named_and_nothing_is_loaded(store, tmp_path, change, message):
    folder(tmp_path)
    (tmp_path / "assessments.toml").write_text(ASSESSMENT.replace(*change))
    with pytest.raises(CaseFolderError, match=message.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(")):
        load_case_folder(store, tmp_path)
    assert store.cases() == []


# supervision.toml: the example in docs/case-folders.md is the good file these tests break
DOCS = Path(__file__).resolve().parent.parent / "docs" / "case-folders.md"
SUPERVISION = DOCS.read_text(encoding="utf-8").split("## Supervision")[1].split("```toml\n")[1].split("```")[0]


def supervision_folder(tmp_path: Path, text: str = SUPERVISION, toml: str = CASE) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    folder(tmp_path, toml)
    (tmp_path / "supervision.toml").write_text(text)
    return tmp_path


def test_the_documented_supervision_example_loads_with_the_case(store, tmp_path):
    from neglect_kit.supervision.records import WELLBEING_KIND, actions, escalations, sessions, wellbeing

    load_case_folder(store, supervision_folder(tmp_path))
    [action] = actions(store, "fern")
    assert (action.record_id, action.model.carried_over, action.model.case_id) == ("act-dental-2023", 1, "fern")
    [session] = sessions(store, "fern")
    assert session.record_id == "sup-2023-03-15"
    assert session.model.is_locked
    assert session.model.actions_reviewed[0].what == action.model.what  # filled in from the action
    assert "wellbeing" not in session.record.body
    assert "Restricted" not in session.record.body_json
    [note] = store.current(WELLBEING_KIND, "fern")
    assert note.record_id == "sup-2023-03-15-wellbeing"
    assert wellbeing(store, session, "Jo Kemp") == "Restricted: only the two of them read this."
    [esc] = escalations(store, "fern")
    assert [(s.stage, s.name, s.started_on, s.due_on) for s in esc.model.stages] == [
        (1, "Practitioner to practitioner", date(2023, 5, 15), date(2023, 5, 17)),
        (2, "Team managers", date(2023, 5, 22), date(2023, 5, 25))]
    assert not esc.model.is_resolved


def test_escalation_stages_come_from_the_settings(store, tmp_path):
    from neglect_kit.config import Settings
    from neglect_kit.supervision.records import escalations

    cfg = Settings(escalation_stages=(("Talk it through", 1), ("Heads of service", 5)))
    load_case_folder(store, supervision_folder(tmp_path), cfg=cfg)
    [esc] = escalations(store, "fern")
    # 5 working days from Monday 22 May 2023 skip the bank holiday of Monday 29 May
    assert [(s.name, s.due_on) for s in esc.model.stages] == [("Talk it through", date(2023, 5, 16)),
                                                             ("Heads of service", date(2023, 5, 30))]


@pytest.mark.parametrize(("change", "message"), [
    (('action_id = "act-dental-2023"', 'action_id = "act-dentist"'),
     "sessions[1]: actions_reviewed names action 'act-dentist', which is not in [[actions]] (ids: act-dental-2023)"),
    (('what = "Book dental appointments for Ivy and take her if her mother cannot"', 'what = "Monitor the situation"'),
     "actions[1].what: Value error, what 'Monitor the situation' is too vague"),
    (('cases = ["fern"]', 'cases = ["ashdown"]'),
     "sessions[1]: the session is about ashdown, not only this folder's case 'fern'"),
    (('held_on = 2023-03-15', 'held_on = 2099-03-15'),
     "sessions[1].held_on: Value error, held_on (15 Mar 2099) is in the future"),
    (('analysis = "Her teeth have gone untreated for a year: the plan has not yet changed her day."',
      'analysis = "Case discussed, plan agreed."'),
     "sessions[1].signatures[1]: not ready to sign: Analysis says only 'Case discussed, plan agreed.'"),
    (('who = "Jo Kemp"', 'who = "Sam Jones"'),
     "sessions[1].signatures[2]: only the worker named in the record, Jo Kemp"),
    (("carried_over = 1", "carried_over = 0"),
     "actions[1]: carried_over is 0, but the sessions carried 'act-dental-2023' over 1 time"),
    (('children = ["ivy"]', 'children = ["rowan"]'), "escalations[1]: 'rowan' is not a child of the case"),
    (('raised_on = 2023-05-15', 'raised_on = 2023-05-23'),
     "escalations[1].escalated[1]: 22 May 2023 is before stage 1 started on 23 May 2023"),
    (('id = "sup-2023-03-15"', 'id = "act-dental-2023"'), "sessions[1]: id 'act-dental-2023' is used twice"),
    (('id = "sup-2023-03-15"', 'id = "Session 1"'), "sessions[1].id: String should match pattern"),
])
def test_a_bad_supervision_file_is_named_and_nothing_is_loaded(store, tmp_path, change, message):
    old, new = change
    assert old in SUPERVISION
    supervision_folder(tmp_path, SUPERVISION.replace(old, new, 1))
    with pytest.raises(CaseFolderError) as err:
        load_case_folder(store, tmp_path)
    assert str(err.value).startswith(f"{tmp_path / 'supervision.toml'}: ")
    assert message in str(err.value)
    assert store.cases() == []


def test_a_session_before_the_case_opened_is_refused(store, tmp_path):
    supervision_folder(tmp_path, toml=CASE.replace('title = "The Fern children"',
                                                   'title = "The Fern children"\nopened = 2023-04-01'))
    with pytest.raises(CaseFolderError, match=r"sessions\[1\]: held on 2023-03-15, before the case opened "
                                              r"\(2023-04-01\)"):
        load_case_folder(store, tmp_path)
    assert store.cases() == []


def test_supervision_record_ids_already_in_the_store_are_refused(store, tmp_path):
    load_case_folder(store, supervision_folder(tmp_path / "one"))
    supervision_folder(tmp_path / "two", toml=CASE.replace('id = "fern"', 'id = "fern2"'),
                       text=SUPERVISION.replace('cases = ["fern"]', 'cases = ["fern2"]'))
    with pytest.raises(CaseFolderError, match="record id 'act-dental-2023' is already in the store"):
        load_case_folder(store, tmp_path / "two")
    assert [c["id"] for c in store.cases()] == ["fern"]


def test_a_return_without_child_or_category_columns_loads_from_case_toml_alone(store, tmp_path):
    toml = CASE.replace('agency = "school"', 'agency = "school"\ncategory = "attendance"')
    folder(tmp_path, toml, "Date,Details\n2018-02-01,Ivy late three days this week.\n"
                           "2018-02-08,Ivy late again.\n")
    report = load_case_folder(store, tmp_path)
    assert report.written == 2 and not report.errors
    entries = [s.entry for s in stored_entries(store, "fern")]
    assert {(tuple(e.children), e.category, tuple(e.inferred)) for e in entries} == {(("ivy",), "attendance", ())}


def test_an_agency_in_case_toml_is_not_silently_ignored_when_the_file_has_an_agency_column(store, tmp_path):
    folder(tmp_path, school="Date,Agency,Child,Type,What happened\n2018-02-01,Police,Ivy,Attendance,Late.\n"
                            "2018-02-02,,Ivy,Attendance,Late again.\n")
    report = load_case_folder(store, tmp_path)
    assert report.blocked and store.cases() == []
    [error] = report.errors
    assert str(error) == ("error: school.csv, row 2, column 'Agency': the row says agency 'Police' but the "
                          "return's agency is 'School': correct the cell or the return's agency")


@pytest.mark.parametrize("path", ["/etc/passwd", "../x.csv", "returns/../../x.csv", "C:\\\\Windows\\\\x.csv"])
def test_a_return_outside_the_case_folder_is_refused(tmp_path, path):
    (tmp_path / "x.csv").write_text(GOOD)
    case = tmp_path / "case"
    case.mkdir()
    folder(case, CASE.replace('file = "returns/school.csv"', f'file = "{path}"'))
    with pytest.raises(CaseFolderError) as err:
        read_case_folder(case)
    assert "is outside the case folder" in str(err.value)
    assert f"{case / 'case.toml'}: returns.0.file" in str(err.value)


def test_a_link_out_of_the_case_folder_is_refused(tmp_path):
    (tmp_path / "x.csv").write_text(GOOD)
    (tmp_path / "case").mkdir()
    case = folder(tmp_path / "case")
    (case / "returns" / "school.csv").unlink()
    (case / "returns" / "school.csv").symlink_to(tmp_path / "x.csv")
    with pytest.raises(CaseFolderError, match=r"file 'returns/school\.csv' leads outside the case folder"):
        read_case_folder(case)


@pytest.mark.parametrize(("old", "key"), [('title = "The Fern children"', "case.title"),
                                          ('name = "Ivy Fern"', "people.0.name")])
def test_a_title_or_name_too_long_is_refused_with_the_limit(tmp_path, old, key):
    key_name = old.split(" = ")[0]
    folder(tmp_path, CASE.replace(old, f'{key_name} = "{"x" * 5000}"'))
    with pytest.raises(CaseFolderError) as err:
        read_case_folder(tmp_path)
    assert f"{key}: Value error, {key_name} is 5,000 characters: at most 200" in str(err.value)


def test_a_return_with_a_header_twice_loads_nothing(store, tmp_path):
    folder(tmp_path, school="Date,Child,Type,What happened,What happened\n2018-02-01,Ivy,Attendance,Late.,Kept in.\n")
    report = load_case_folder(store, tmp_path)
    assert report.blocked and [str(e) for e in report.errors] == [
        "error: school.csv: column 'What happened' appears more than once: name each column once, so no column "
        "is dropped"]
    assert store.cases() == []


@pytest.mark.parametrize(("old", "new", "key"), [
    ('title = "The Fern children"', 'title = "The Fern\\u0000 children"', "case.title"),
    ('name = "Kit Fern"', 'name = "Kit \\u001b[31mFern"', "people.1.name"),
    ('file = "returns/school.csv"', 'file = "returns/school.csv\\u0000"', "returns.0.file"),
])
def test_a_control_character_in_case_toml_is_refused_naming_the_key(tmp_path, old, new, key):
    folder(tmp_path, CASE.replace(old, new))
    with pytest.raises(CaseFolderError) as err:
        read_case_folder(tmp_path)
    assert f"{key}: Value error, holds the control character U+00" in str(err.value)


def test_line_breaks_and_tabs_in_a_summary_are_kept(tmp_path):
    folder(tmp_path, CASE.replace('title = "The Fern children"',
                                  'title = "The Fern children"\nsummary = "Referred by school.\\n\\tSeen at home."'))
    info, _ = read_case_folder(tmp_path)
    assert info.case.summary == "Referred by school.\n\tSeen at home."


def test_case_toml_text_is_cleaned_of_markup(tmp_path):
    title = 'title = "The <b>Fern</b> children &amp; <svg/onload=alert(1)>Kit"'
    toml = (CASE.replace('title = "The Fern children"', title)
            .replace('name = "Kit Fern"', 'name = "Kit &lt;img src=x onerror=alert(1)&gt;Fern"'))
    case, _ = read_case_folder(folder(tmp_path, toml))
    assert case.case.title == "The Fern children & Kit"
    assert [p.name for p in case.people] == ["Ivy Fern", "Kit Fern"]


def test_supervision_toml_text_is_cleaned_and_its_length_checked(store, tmp_path):
    from neglect_kit.supervision.records import actions

    note = 'note = "The appointment was cancelled by the family; rebooked for 19 April."'
    load_case_folder(store, supervision_folder(tmp_path / "a", SUPERVISION.replace(
        'what = "Book dental appointments for Ivy and take her if her mother cannot"',
        'what = "Book dental appointments for Ivy<script>alert(1)</script> and take her if her mother cannot"')))
    assert actions(store, "fern")[0].model.what == "Book dental appointments for Ivy and take her if her mother cannot"
    long_note = SUPERVISION.replace(note, f'note = "{"x" * 20_006}"')
    with pytest.raises(CaseFolderError, match=r"note is 20,006 characters: at most 20,000"):
        load_case_folder(store, supervision_folder(tmp_path / "b", long_note))

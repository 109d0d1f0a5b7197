"""Case folders: case.toml checked key by key, loaded in one transaction."""

from pathlib import Path

import pytest

from neglect_kit.casefolder import CaseFolderError, load_case_folder, read_case_folder
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

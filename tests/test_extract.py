"""Pseudonymised extracts (research/extract.py and its parts) on a fictional case holding every form of
identifier the issue names: names and their variants, nicknames, initials, possessives, any letter case,
professionals' names and collar numbers, NHS and National Insurance numbers, postcodes, phones, e-mail,
street addresses, a school and a surgery, dates of birth in text.

Every person, place and number here is invented; the phone numbers are in Ofcom's ranges for drama, the
NHS number is the NHS's own published test number.
"""

from __future__ import annotations

import csv
import io
import json
import re
import socket
from datetime import date, timedelta
from types import SimpleNamespace

import pseudonymise_cases as cases
import pytest

from neglect_kit.assessment.model import ASSESSMENT_KIND
from neglect_kit.chronology.model import ENTRY_KIND
from neglect_kit.config import SettingsError, settings_from_dict
from neglect_kit.research.extract import COLUMNS, TABLES, may_take, take, write
from neglect_kit.research.extract_dates import shift_dates_in_text
from neglect_kit.research.extract_errors import ExtractError
from neglect_kit.research.extract_files import check_places, write_extract
from neglect_kit.research.extract_gate import Gate, Group, check, gate
from neglect_kit.research.extract_key import KEY_ENV, extract_key, key_path
from neglect_kit.store import Store
from neglect_kit.store.identity import EXTRACTOR, ONE_PERSON, ROLES, Person

KEY = b"a fictional key for the tests, 32b"
CASE = "hollis"
PEOPLE = [
    {"id": "kayleigh", "kind": "child", "name": "Kayleigh-Ann Brookes", "known_as": ["Kayla"], "sex": "female",
         "date_of_birth": date(2015, 4, 3)},
    {"id": "jayden", "kind": "child", "name": "Jayden Brookes", "known_as": ["Jay-Jay"], "sex": "male",
         "date_of_birth": date(2018, 9, 12)},
    {"id": "shannon", "kind": "adult", "name": "Shannon Brookes", "sex": "female", "date_of_birth": date(1992, 1, 17),
         "relationships": {"kayleigh": "mother", "jayden": "mother"}, "address": "14 Larch Close, Wexbury WX4 7QT"},
    {"id": "dean", "kind": "adult", "name": "Dean Okonkwo-Ferris", "known_as": ["Deano"], "sex": "male",
         "relationships": {"kayleigh": "mothers_partner", "jayden": "mothers_partner"},
         "address": "Flat 2b, Mercer House, 9 Tanner Street, Wexbury WX1 2AB"},
    {"id": "maureen", "kind": "adult", "name": "Maureen Brookes", "known_as": ["Nanna Mo"], "sex": "female",
         "relationships": {"kayleigh": "grandparent", "jayden": "grandparent"}},
]
# (event day, agency, recorded by, description): every form of identifier, in the records' own ways
ENTRIES = [
    (date(2020, 1, 6), "health_visiting", "HV (T. Okafor)",
     "Home visit to Shannon Brookes at 14 Larch Close, WX4 7QT. Kayleigh-Ann (DOB 03/04/2015) and Jayden seen."),
    (date(2020, 1, 20), "gp", "Dr Priya Ramsden",
     "KAYLA not brought to Wexbury Green Surgery; NHS number 943 476 5919. shannon's phone 07700 900123 "
     "went to voicemail."),
    (date(2020, 2, 3), "police", "PC 4471",
     "Domestic incident at Flat 2b, Mercer House. Deano (Dean Okonkwo-Ferris, NI number JT 48 21 93 B) "
     "arrested; K.B. and JB were upstairs. Okonkwo said Ferris is his mother's name."),
    (date(2020, 3, 2), "school", "Attendance officer",
     "Kayleigh late to Larchfield Primary School 4 times; Nanna Mo collects her. Maureen's landline "
     "0161 496 0123; e-mail nanna.mo@example.org. Jay-Jay was born 12 September 2018."),
    (date(2020, 3, 16), "childrens_social_care", "Sam Whitlow (SW)",
     "Strategy discussion on 16 Mar 2020. the brookes family moved from 9 Tanner Street to Larch Close; "
     "Ann said she is scared of DEAN. Jayden Brookes's cot is broken."),
]
IDENTIFIERS = ["Kayleigh-Ann Brookes", "Kayleigh", "Ann", "Brookes", "Kayla", "Jayden", "Jay-Jay", "Shannon",
               "Dean", "Okonkwo", "Ferris", "Deano", "Maureen", "Nanna Mo", "K.B.", "KB", "JB", "Okafor",
               "Ramsden", "Priya", "4471", "Whitlow", "14 Larch Close", "Larch Close", "Larch", "WX4 7QT",
               "WX1 2AB", "Mercer House", "Tanner Street", "Wexbury", "Larchfield", "943 476 5919", "JT 48 21 93 B",
               "07700 900123", "0161 496 0123", "nanna.mo@example.org", "03/04/2015", "12 September 2018",
               "2015-04-03", "2018-09-12", "1992-01-17"]


def _entry(day: date, agency: str, by: str, text: str, children: list[str]) -> dict:
    return {"children": children, "event_date": {"text": day.isoformat(), "precision": "day", "earliest":
                                                 day.isoformat(), "latest": day.isoformat()},
            "recorded_date": (day + timedelta(days=2)).isoformat(), "agency": agency, "source_detail": by,
            "category": "home_conditions", "description": text, "impact": "negative"}


def build_case(store: Store, case_id: str = CASE, council: str = "Wexbury Borough Council (fictional)") -> None:
    store.create_case(case_id, "The Brookes children", local_authority=council)
    for p in PEOPLE:
        store.add_person(case_id, p["id"], **{k: v for k, v in p.items() if k != "id"})
    store.add_plan(case_id, "kayleigh", type="child_in_need", start=date(2020, 2, 10), end=date(2020, 9, 7),
                   risk_factors=["home_conditions"], needs=["Kayla at Larchfield Primary School every day"])
    store.add_plan(case_id, "jayden", type="child_in_need", start=date(2020, 2, 10),
                   needs=["Jayden's cot mended by Shannon"])
    for day, agency, by, text in ENTRIES:
        store.create(ENTRY_KIND, case_id, _entry(day, agency, by, text, ["kayleigh", "jayden"]))
    store.create(ASSESSMENT_KIND, case_id, {
        "child": "kayleigh", "assessed_on": "2020-03-20", "assessed_by": "Sam Whitlow",
        "grades": [{"sub_area": "food", "grade": 4, "evidence": "Kayleigh told Sam Whitlow there is no food at "
                    "14 Larch Close most days.", "strengths": "Maureen Brookes brings meals."}]})


@pytest.fixture
def brookes(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'x.sqlite'}", user="analyst", create=True)
    build_case(store)
    yield store
    store.engine.dispose()


def files_of(folder) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8-sig") for p in folder.iterdir()}


def surviving(texts: dict[str, str], identifiers: list[str]) -> list[tuple[str, str]]:
    """(file, identifier) for each identifier found whole-word, in any letter case, in any file."""
    found = []
    for name, text in texts.items():
        for ident in identifiers:
            if re.search(r"(?<![\w])" + re.escape(ident) + r"(?![\w])", text, re.I):
                found.append((name, ident))
    return found


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- the whole extract --------------------------------------------------------------------------------------


def test_no_identifier_survives_in_any_file(brookes, tmp_path):
    extract = take(brookes, [CASE], min_k=1, reason="one fictional case", key=KEY, today=date(2021, 1, 1))
    write(extract, tmp_path / "out")
    texts = files_of(tmp_path / "out")
    assert sorted(texts) == ["entries.csv", "extract.json", "findings.csv", "grades.csv", "log.csv", "plans.csv",
                             "residual_risk.csv"]
    assert surviving(texts, IDENTIFIERS) == []
    assert "analyst" not in " ".join(texts.values())  # the worker's login stays out too


def test_labels_are_the_same_across_every_table(brookes, tmp_path):
    extract = take(brookes, [CASE], min_k=1, reason="one fictional case", key=KEY, today=date(2021, 1, 1))
    write(extract, tmp_path / "out")
    texts = files_of(tmp_path / "out")
    entries, plans, grades = rows(texts["entries.csv"]), rows(texts["plans.csv"]), rows(texts["grades.csv"])
    findings = rows(texts["findings.csv"])
    assert {p["child"] for p in plans} == {"Child A", "Child B"}
    assert {g["child"] for g in grades} == {"Child A"}  # Kayleigh-Ann, the elder
    assert {e["children"] for e in entries} == {"Child A; Child B"}
    assert {f["child"] for f in findings} <= {"Child A", "Child B"} and findings
    assert "Mother" in entries[0]["description"] and "Child A" in entries[0]["description"]
    assert "Mother's partner" in entries[2]["description"] and "Grandmother" in entries[3]["description"]
    # the same social worker in the recorded-by column and as the assessor: one label
    assert entries[4]["recorded_by"] == "SW1 (SW)" and grades[0]["assessed_by"] == "SW1"
    # names and numbers become labels; a role that names no one stays as written
    assert [e["recorded_by"] for e in entries] == ["HV (HV1)", "GP1", "PC1", "Attendance officer", "SW1 (SW)"]
    mapping = json.loads((tmp_path / "out.mapping.json").read_text())
    assert mapping["cases"]["Case 1"]["people"] == {"Child A": "kayleigh", "Child B": "jayden", "Mother": "shannon",
                                                    "Mother's partner": "dean", "Grandmother": "maureen"}
    data = json.loads(texts["extract.json"])
    assert [r["child"] for r in data["plans"]] == [p["child"] for p in plans]


def test_an_interval_and_a_weekday_are_kept(brookes, tmp_path):
    extract = take(brookes, [CASE], min_k=1, reason="one fictional case", key=KEY, today=date(2021, 1, 1))
    entries = extract.tables["entries"]
    first, last = entries[0]["earliest"], entries[-1]["earliest"]
    assert last - first == ENTRIES[-1][0] - ENTRIES[0][0]
    assert first.weekday() == ENTRIES[0][0].weekday() and first != ENTRIES[0][0]
    offset = first - ENTRIES[0][0]
    assert offset.days % 7 == 0 and 0 < abs(offset.days) <= 52 * 7
    assert extract.mapping["cases"]["Case 1"]["date_offset_days"] == offset.days
    assert extract.tables["plans"][0]["start"] == date(2020, 2, 10) + offset
    # a date in the text moves with the rest: "16 Mar 2020" is the entry's own day
    assert f"{(date(2020, 3, 16) + offset).day} {(date(2020, 3, 16) + offset):%b %Y}" in entries[-1]["description"]


def test_ages_in_bands_not_dates_of_birth(brookes):
    extract = take(brookes, [CASE], min_k=1, reason="one fictional case", key=KEY, today=date(2021, 1, 1))
    assert [(p["child"], p["age_band_at_start"]) for p in extract.tables["plans"]] == [("Child A", "1-5"),
                                                                                        ("Child B", "1-5")]


def test_residual_risk_lists_tokens_with_rows_and_the_extract_counts_them(brookes, tmp_path):
    extract = take(brookes, [CASE], min_k=1, reason="one fictional case", key=KEY, today=date(2021, 1, 1))
    write(extract, tmp_path / "out")
    texts = files_of(tmp_path / "out")
    listed = rows(texts["residual_risk.csv"])
    assert listed and len(listed) == json.loads(texts["extract.json"])["residual_tokens"]
    assert {r["table"] for r in listed} <= set(TABLES)
    entry_ids = {e["id"] for e in rows(texts["entries.csv"])}
    for r in listed:
        if r["table"] == "entries":
            assert r["row"] in entry_ids and r["column"] in COLUMNS["entries"]
    assert "Child" not in {r["token"] for r in listed}  # the labels are not risks
    assert f"{len(listed)} tokens left" in extract.summary()


def test_the_log_says_what_changed_never_the_value(brookes, tmp_path):
    extract = take(brookes, [CASE], min_k=1, reason="a pilot of Shannon's council", key=KEY,
                   today=date(2021, 1, 1))
    write(extract, tmp_path / "out")
    log = rows(files_of(tmp_path / "out")["log.csv"])
    assert log[0]["recognizer"] == "k-anonymity gate" and log[0]["operator"] == "min_k lowered from 5 to 1"
    assert "Shannon" not in log[0]["note"] and "pilot" in log[0]["note"]
    changed = [r for r in log if r["table"] == "entries" and r["row"] == "E1" and r["column"] == "description"]
    assert changed and all(r["start"].isdigit() and r["operator"] for r in changed)
    assert set(log[0]) == {"recognizer", "table", "row", "column", "start", "end", "operator", "note"}


def test_the_gate_refuses_by_default_naming_the_groups(brookes, tmp_path):
    with pytest.raises(ExtractError) as refused:
        take(brookes, [CASE], key=KEY)
    said = str(refused.value)
    assert "fewer than 5 children" in said and "1-5, female, Council 1" in said and "Wexbury" not in said
    assert "--min-k N --reason TEXT" in said


def test_two_cases_children_never_collide(brookes):
    build_case(brookes, "hollis2", council="Eastmere Borough Council (fictional)")
    extract = take(brookes, [CASE, "hollis2"], min_k=1, reason="two fictional cases", key=KEY,
                   today=date(2021, 1, 1))
    children = {(p["case"], p["child"]) for p in extract.tables["plans"]}
    assert children == {("Case 1", "Child A"), ("Case 1", "Child B"), ("Case 2", "Child C"), ("Case 2", "Child D")}
    offsets = {label: c["date_offset_days"] for label, c in extract.mapping["cases"].items()}
    assert set(offsets) == {"Case 1", "Case 2"}
    assert {p["council"] for p in extract.tables["plans"]} == {"Council 1", "Council 2"}


def test_the_mapping_is_refused_inside_the_extract(brookes, tmp_path):
    extract = take(brookes, [CASE], min_k=1, reason="one fictional case", key=KEY)
    with pytest.raises(ExtractError, match="may not be inside"):
        write(extract, tmp_path / "out", tmp_path / "out" / "mapping.json")
    assert not (tmp_path / "out").exists()


def test_the_whole_extract_runs_with_the_network_blocked(brookes, tmp_path, monkeypatch):
    def refused(*_args, **_kwargs):
        raise OSError("the network is blocked in this test")

    monkeypatch.setattr(socket, "socket", refused)
    monkeypatch.setattr(socket, "create_connection", refused)
    monkeypatch.setattr(socket, "getaddrinfo", refused)
    extract = take(brookes, [CASE], min_k=1, reason="offline", key=KEY, today=date(2021, 1, 1))
    write(extract, tmp_path / "out")
    assert surviving(files_of(tmp_path / "out"), IDENTIFIERS) == []


@pytest.mark.parametrize("role", [*(r for r in ROLES if r != EXTRACTOR), ONE_PERSON])
def test_a_team_database_is_refused_for_every_role_but_the_extract_service(brookes, role, monkeypatch):
    brookes.connected = SimpleNamespace(team=True, user="someone")  # as `team.connected` finds a team's database
    monkeypatch.setattr(brookes, "person", lambda: Person("someone", "Someone", role))
    with pytest.raises(ExtractError, match=r"an administrator approves the cases for you .*--approval N"):
        may_take(brookes)
    monkeypatch.setattr(brookes, "person", lambda: Person("nk-extract", "Extract service", EXTRACTOR))
    may_take(brookes)


def test_a_case_named_twice_or_none(brookes):
    with pytest.raises(ExtractError, match="named twice"):
        take(brookes, [CASE, CASE], key=KEY)
    with pytest.raises(ExtractError, match="at least one case"):
        take(brookes, [], key=KEY)
# --- the pure parts: dates in text, the gate, the key, the places ------------------------------------------


def test_dates_in_text_move_by_the_offset_keeping_their_shape():
    text = "Seen on 16 Sep 2019 (a Monday), 03/05/2016 and 2019-01-31; between Oct 2016 and March 2018."
    moved, found = shift_dates_in_text(text, timedelta(weeks=3))
    assert moved == "Seen on 7 Oct 2019 (a Monday), 24/05/2016 and 2019-02-21; between Nov 2016 and April 2018."
    assert [moved[f.new_start:f.new_end] for f in found] == ["7 Oct 2019", "24/05/2016", "2019-02-21", "Nov 2016",
                                                                "April 2018"]
    assert date(2019, 10, 7).weekday() == date(2019, 9, 16).weekday() == 0


def test_a_date_that_is_no_date_is_left_for_the_residual_report():
    assert shift_dates_in_text("on 31/02/2019 and 12 March", timedelta(weeks=-2)) == ("on 31/02/2019 and 12 March",
                                                                                       [])


def test_gate_refuses_small_groups_naming_them():
    members = [(Group("6-10", "male", "Council 1", 2021, "child_in_need"), "Child A")] + \
        [(Group("1-5", "female", "Council 1", 2019, "child_protection"), f"Child {c}") for c in "BCDEF"]
    with pytest.raises(ExtractError) as refused:
        check(members, gate(5))
    said = str(refused.value)
    assert "1 of 2 groups" in said and "6-10, male, Council 1, 2021, child_in_need (1 child)" in said
    assert "1-5" not in said and "\n" not in said
    assert check(members, gate(5, 1, "a pilot of one council")) == {members[0][0]: 1, members[1][0]: 5}


def test_a_lower_k_needs_a_reason_and_a_sensible_number():
    with pytest.raises(ExtractError, match="below the settings' 5: say why with --reason"):
        gate(5, 2)
    with pytest.raises(ExtractError, match="give 1 or more"):
        gate(5, 0, "why")
    with pytest.raises(ExtractError, match="--reason is for a lowered threshold"):
        gate(5, None, "no k given")
    assert gate(5, 8) == Gate(8, 5) and not gate(5, 8).lowered
    assert gate(5, 2, "  a  pilot ") == Gate(2, 5, "a pilot")


def test_key_file_made_once_readable_by_its_owner_alone(monkeypatch, tmp_path):
    monkeypatch.delenv(KEY_ENV, raising=False)
    key = extract_key()
    assert len(key) == 32 and extract_key() == key
    assert key_path().stat().st_mode & 0o777 == 0o600
    key_path().chmod(0o644)
    with pytest.raises(ExtractError, match="readable by others"):
        extract_key()
    monkeypatch.setenv(KEY_ENV, "short")
    with pytest.raises(ExtractError, match="at least 16"):
        extract_key()
    monkeypatch.setenv(KEY_ENV, "x" * 40)
    assert extract_key() == b"x" * 40


def test_places_refused_before_anything_is_written(tmp_path):
    full = tmp_path / "full"
    full.mkdir()
    (full / "old.csv").write_text("x")
    with pytest.raises(ExtractError, match="already holds files"):
        check_places(full, tmp_path / "m.json")
    out = tmp_path / "new"
    with pytest.raises(ExtractError, match="may not be inside the extract's folder"):
        check_places(out, out / "mapping.json")
    with pytest.raises(ExtractError, match="may not be inside the extract's folder"):
        check_places(out, out / "sub" / ".." / "mapping.json")
    (tmp_path / "taken.json").write_text("{}")
    with pytest.raises(ExtractError, match="never replaced"):
        check_places(out, tmp_path / "taken.json")
    with pytest.raises(ExtractError, match="no such folder"):
        check_places(tmp_path / "no" / "dir", tmp_path / "m.json")
    assert not out.exists()


def test_writing_is_whole_or_nothing(tmp_path, monkeypatch):
    out, mapping = tmp_path / "x", tmp_path / "x.mapping.json"
    write_extract({"a.csv": b"1", "b.csv": b"2"}, out, b"{}", mapping)
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "b.csv"]
    assert mapping.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x", "x.mapping.json"]  # no part left

    def refused(*_args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr("neglect_kit.research.extract_files.os.link", refused)
    with pytest.raises(OSError, match="No space left"):
        write_extract({"a.csv": b"1"}, tmp_path / "y", b"{}", tmp_path / "y.mapping.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x", "x.mapping.json"]  # the folder went with the mapping


def test_the_engines_own_test_case_leaves_nothing_in_the_extract(tmp_path):
    """The engine's fictional case (tests/pseudonymise_cases.py), taken through the whole extract."""
    store = Store.open(f"sqlite:///{tmp_path / 'e.sqlite'}", user="priya.okafor", create=True)
    store.create_case("ashworth", "The Ashworth children", local_authority=cases.PLACES[0])
    for p in cases.PEOPLE:
        store.add_person("ashworth", p["id"], kind=p["kind"], name=p["name"], known_as=p["known_as"],
                         date_of_birth=p["date_of_birth"], relationships=p["relationships"], address=p["address"])
    for i, (agency, by, text) in enumerate(cases.ENTRIES):
        store.create(ENTRY_KIND, "ashworth", _entry(date(2020, 1, 6) + timedelta(weeks=i), agency, by, text,
                                                    ["kayden", "lilymay"]))
    extract = take(store, ["ashworth"], min_k=1, reason="the engine's test case", key=KEY, today=date(2021, 1, 1))
    write(extract, tmp_path / "out")
    left = {name: cases.leaks(text) for name, text in files_of(tmp_path / "out").items()}
    assert left == {name: [] for name in left}
    store.engine.dispose()


def test_the_threshold_is_the_settings(brookes):
    with pytest.raises(ExtractError, match="fewer than 3 children"):
        take(brookes, [CASE], key=KEY, cfg=settings_from_dict({"research": {"min_k": 3}}))
    extract = take(brookes, [CASE], key=KEY, cfg=settings_from_dict({"research": {"min_k": 1}}), today=date(2021, 1, 1))
    assert extract.gate == Gate(1, 1) and not [r for r in extract.log if r["recognizer"] == "k-anonymity gate"]
    with pytest.raises(SettingsError, match=r"research\.min_k must be a whole number of children, 1 or more"):
        settings_from_dict({"research": {"min_k": 0}})

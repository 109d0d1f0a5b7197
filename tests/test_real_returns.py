"""Case folders written by other hands in other agencies' styles: what the kit must find, and must not claim.

The truths are in each folder's TRUTHS.md (tests/cases/), written before the kit was run on them.
A failure here means the kit is wrong about these records; never change a truth to make it pass.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest

from neglect_kit.analysis.analyse import case_findings
from neglect_kit.analysis.case_data import load_case
from neglect_kit.casefolders.case_folder import load_case_folder
from neglect_kit.chronology.records import entries_frame, stored_entries
from neglect_kit.cli import main

CASES = Path(__file__).resolve().parent / "cases"
NEVER = re.compile(r"\bnever\b", re.I)


# ---------------------------------------------------------------- helpers


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def load(store, case_id: str, entries: int):
    """Load a test case folder as a new user would: no errors, no edit to the returns, `entries` entries."""
    folder = CASES / case_id
    before = _digest(folder)
    report = load_case_folder(store, folder)
    assert not report.errors, report.text()
    assert _digest(folder) == before, "loading must not edit the returns"
    frame = entries_frame(stored_entries(store, case_id))
    assert len(frame) == entries, report.text()
    return frame


def row(frame, phrase: str):
    """The one entry whose description holds `phrase`."""
    hits = frame[frame["description"].str.contains(phrase, regex=False)]
    assert len(hits) == 1, f"{len(hits)} entries hold {phrase!r}"
    return hits.iloc[0]


def ids(frame, *phrases: str) -> set[str]:
    return {row(frame, p)["record_id"] for p in phrases}


def day(value) -> str:
    """A frame's date value as YYYY-MM-DD, whatever type it holds."""
    return str(value)[:10]


def listed(value) -> list[str]:
    """A '; '-joined list column as a list (empty for a blank)."""
    return [] if value is None or value != value or not str(value) else str(value).split("; ")


def said(message: str, when: date) -> bool:
    """True when the message names `when` in any of the usual ways of writing a date."""
    forms = {f"{when.day} {when:%b %Y}", f"{when.day} {when:%B %Y}", when.isoformat(), f"{when:%d/%m/%Y}"}
    return any(f in message for f in forms)


def findings(store, case_id: str, as_at: date) -> dict[str, list]:
    """Every finding of the case measured as at `as_at`, by child id."""
    return {c.child: c.findings for c in case_findings(load_case(store, case_id, today=as_at))}


def of(found: list, kind: str, code: str | None = None) -> list:
    return [f for f in found if f.kind == kind and (code is None or f.code == code)]


def no_never_about_contact(found: list) -> None:
    for f in found:
        if f.kind == "unseen" or re.search(r"\b(seen|heard|words)\b", f.message, re.I):
            assert not NEVER.search(f.message), f.message


# ---------------------------------------------------------------- Penhallow: one child, a school log, visit notes

PENHALLOW_AS_AT = date(2020, 3, 3)


def test_penhallow_loads_with_no_child_or_category_column(store):
    frame = load(store, "penhallow", 22)
    assert (frame["agency"] == "school").sum() == 10
    assert (frame["agency"] == "childrens_social_care").sum() == 12
    assert all(listed(c) == ["skye"] for c in frame["children"])
    assert all("category" in listed(i) for i in frame["inferred"])


def test_penhallow_school_log_dates_keep_what_was_written(store):
    frame = load(store, "penhallow", 22)
    june = row(frame, "uniform has not been washed")
    assert (day(june["earliest"]), day(june["latest"])) == ("2019-06-01", "2019-06-30")
    spring = row(frame, "ate two bowls of cereal")
    assert day(spring["earliest"]).startswith("2019-0") and day(spring["latest"]) <= "2019-04-30"
    assert day(spring["earliest"]) != day(spring["latest"])
    autumn = row(frame, "Attendance 81% this term")
    assert day(autumn["earliest"]) >= "2019-09" and day(autumn["latest"]) <= "2019-12-31"
    assert day(row(frame, "took a sandwich")["earliest"]) == "2019-06-12"  # day first


@pytest.mark.parametrize(("phrase", "category"), [
    ("ate two bowls of cereal", "hunger_food"),
    ("uniform has not been washed", "physical_care"),
    ("Head lice again, untreated", "physical_care"),
    ("Attendance 81% this term", "attendance"),
    ("proud of her reading certificate", "positive"),
    ("No reply, curtains closed. Card left.", "no_access"),
    ("No reply. A neighbour said", "no_access"),
    ("Home visit after school. Skye seen with mum present", "home_visit"),
    ("Initial child protection conference", "conference_plan"),
])
def test_penhallow_categories_read_from_the_words(store, phrase, category):
    entry = row(load(store, "penhallow", 22), phrase)
    assert entry["category"] == category
    assert "category" in listed(entry["inferred"])


def test_penhallow_a_referral_and_the_visit_it_led_to_are_not_one_incident(store):
    frame = load(store, "penhallow", 22)
    assert not [v for v in frame["duplicate_of"] if listed(v)]


def test_penhallow_hunger_is_a_pattern(store):
    frame = load(store, "penhallow", 22)
    [hunger] = of(findings(store, "penhallow", PENHALLOW_AS_AT)["skye"], "indicator", "hunger_food")
    assert ids(frame, "ate two bowls of cereal", "took a sandwich", "asked for toast twice",
               "asked the dinner staff for seconds", "took extra fruit home") <= set(hunger.entry_ids)
    assert hunger.counts["entries"] >= 5
    assert hunger.start <= date(2019, 6, 12) and hunger.end == date(2020, 1, 20)


def test_penhallow_alcohol_in_a_childs_words_and_in_relapse_is_a_risk_never_named(store):
    frame = load(store, "penhallow", 22)
    skye = findings(store, "penhallow", PENHALLOW_AS_AT)["skye"]
    [alcohol] = of(skye, "risk_not_named", "parental_alcohol")
    counted = set(alcohol.entry_ids)
    assert ids(frame, "Mummy drinks the smelly juice", "fallen off the wagon", "AA group") <= counted
    assert row(frame, "substance misuse team")["record_id"] not in counted  # a service, not a parent's use
    assert alcohol.counts["entries"] >= 3
    assert not of(skye, "risk_not_named", "parental_drugs")


def test_penhallow_seen_alone_read_from_the_visit_notes(store):
    load(store, "penhallow", 22)
    skye = findings(store, "penhallow", PENHALLOW_AS_AT)["skye"]
    [alone] = of(skye, "unseen", "seen_alone")
    assert alone.counts["times"] == 3  # "seen with mum present" and "asleep upstairs, not seen" are not alone
    assert alone.counts["longest_days"] == 127
    assert said(alone.message, date(2019, 7, 10)) and said(alone.message, date(2019, 11, 14)), alone.message
    assert not [f for f in skye if f.code.endswith("_not_recorded")]
    no_never_about_contact(skye)


def test_penhallow_skyes_quoted_words_are_her_words(store):
    load(store, "penhallow", 22)
    skye = findings(store, "penhallow", PENHALLOW_AS_AT)["skye"]
    assert not of(skye, "record_share", "child_words"), [f.message for f in of(skye, "record_share")]
    assert not of(skye, "unseen", "heard_not_recorded")


def test_penhallow_one_change_of_worker_from_the_recorded_by_column(store):
    load(store, "penhallow", 22)
    changes = of(findings(store, "penhallow", PENHALLOW_AS_AT)["skye"], "start_again", "worker_change")
    assert len(changes) == 1, [f.message for f in changes]
    [change] = changes
    when = date(2019, 10, 2)
    assert when in (change.start, change.end) or said(change.message, when), change.message


# ---------------------------------------------------------------- Cardew: HV notes, a police export, a GP return

CARDEW_AS_AT = date(2022, 10, 31)


def test_cardew_loads_returns_without_child_columns(store):
    frame = load(store, "cardew", 14)
    hv = frame[frame["agency"] == "health_visiting"]
    police = frame[frame["agency"] == "police"]
    assert len(hv) == 7 and all(listed(c) == ["rosie"] for c in hv["children"])
    assert len(police) == 3 and all(set(listed(c)) == {"alfie", "rosie"} for c in police["children"])
    sept = row(frame, "Anonymous caller")
    assert (day(sept["earliest"]), day(sept["latest"])) == ("2021-09-01", "2021-09-30")
    pushed = row(frame, "pushed her into the kitchen door")
    assert day(pushed["earliest"]) == day(pushed["latest"]) == "2022-03-12"
    assert pushed["category"] == "domestic_abuse"


@pytest.mark.parametrize(("phrase", "category"), [
    ("dropped from the 25th centile", "growth_weight"),
    ("her growth is faltering", "growth_weight"),
    ("now below the 2nd centile", "growth_weight"),
    ("not brought to the paediatric clinic", "was_not_brought"),
    ("smelt strongly of stale urine", "physical_care"),
    ("Nappy rash, severe", "medical_need"),
    ("Discharge and pain from the left ear", "medical_need"),
    ("Not brought to the nappy rash review", "was_not_brought"),
    ("Not brought for her immunisations", "was_not_brought"),
])
def test_cardew_categories_read_from_the_words(store, phrase, category):
    entry = row(load(store, "cardew", 14), phrase)
    assert entry["category"] == category
    assert "category" in listed(entry["inferred"])


def test_cardew_one_incident_told_by_police_and_the_health_visitor_is_linked_once(store):
    frame = load(store, "cardew", 14)
    police = row(frame, "pushed her into the kitchen door")
    retold = row(frame, "pushed her against the kitchen door")
    assert retold["duplicate_of"] == police["record_id"]
    assert not listed(police["duplicate_of"])
    # three days apart but different events: never linked
    assert not listed(row(frame, "Verbal argument")["duplicate_of"])
    assert not listed(row(frame, "now below the 2nd centile")["duplicate_of"])
    assert frame["duplicate_of"].map(lambda v: bool(listed(v))).sum() == 1


def test_cardew_findings_say_what_the_records_cannot_tell(store):
    frame = load(store, "cardew", 14)
    found = findings(store, "cardew", CARDEW_AS_AT)
    for child, name in (("alfie", "Alfie"), ("rosie", "Rosie")):
        [alone] = of(found[child], "unseen", "seen_alone_not_recorded")
        assert "these records do not say when" in alone.message and "seen alone" in alone.message
        assert name in alone.message
        assert of(found[child], "unseen", "heard_not_recorded")
        assert not of(found[child], "unseen", "seen_alone") and not of(found[child], "unseen", "heard")
        no_never_about_contact(found[child])
        assert not of(found[child], "risk_not_named")  # domestic abuse is in the plan; nothing else is recorded
        assert not of(found[child], "start_again")
    # the mother's quote about Rosie is not Rosie's words
    assert not frame["child_words"].fillna("").str.contains("fussy feeder").any()


def test_cardew_rosie_growth_falters(store):
    frame = load(store, "cardew", 14)
    [growth] = of(findings(store, "cardew", CARDEW_AS_AT)["rosie"], "indicator", "growth_weight")
    assert ids(frame, "dropped from the 25th centile", "her growth is faltering",
               "now below the 2nd centile") <= set(growth.entry_ids)
    assert (growth.start, growth.end) == (date(2022, 1, 18), date(2022, 8, 30))


def test_cardew_police_return_sent_again_adds_only_its_new_row(store, monkeypatch):
    load(store, "cardew", 14)
    monkeypatch.setenv("NEGLECT_KIT_DB", store.engine.url.render_as_string(hide_password=False))
    resent = CASES / "cardew" / "resent" / "police_export_corrected.csv"
    assert main(["import", "--case", "cardew", str(resent), "--agency", "police",
                 "--children", "alfie,rosie"]) == 0
    frame = entries_frame(stored_entries(store, "cardew"))
    assert len(frame) == 15
    assert not frame["description"].duplicated().any()
    assert not frame["description"].str.contains("condtions").any()
    corrected = row(frame, "against bail conditions")
    assert int(corrected["version"]) == 2
    new = row(frame, "kicked the front door in")
    assert day(new["earliest"]) == "2022-10-03" and int(new["version"]) == 1
    assert (frame["agency"] == "police").sum() == 4


# ---------------------------------------------------------------- Marlowe: an early help workbook

MARLOWE_AS_AT = date(2021, 8, 31)


def test_marlowe_loads_a_workbook_with_date_cells_and_no_child_or_category_column(store):
    frame = load(store, "marlowe", 8)
    assert (frame["agency"] == "childrens_social_care").all()
    assert all(listed(c) == ["ellis"] for c in frame["children"])
    assert all("category" in listed(i) for i in frame["inferred"])
    assert day(row(frame, "green leaves")["earliest"]) == "2021-02-04"
    assert row(frame, "Home visit. No reply.")["category"] == "no_access"


def test_marlowe_drug_use_in_a_childs_words_and_the_outcome_column_is_a_risk_never_named(store):
    frame = load(store, "marlowe", 8)
    ellis = findings(store, "marlowe", MARLOWE_AS_AT)["ellis"]
    [drugs] = of(ellis, "risk_not_named", "parental_drugs")
    counted = set(drugs.entry_ids)
    assert ids(frame, "green leaves", "a row about money", "strong smell of cannabis") <= counted
    assert not ids(frame, "uncle, who lives in another town", "Review meeting at the children's centre") & counted
    assert not of(ellis, "risk_not_named", "parental_alcohol")


def test_marlowe_seen_alone_once(store):
    load(store, "marlowe", 8)
    ellis = findings(store, "marlowe", MARLOWE_AS_AT)["ellis"]
    [alone] = of(ellis, "unseen", "seen_alone")
    assert alone.counts["times"] == 1
    assert said(alone.message, date(2021, 2, 4)), alone.message
    no_never_about_contact(ellis)


def test_marlowe_ellis_heard_in_his_own_quoted_words(store):
    load(store, "marlowe", 8)
    ellis = findings(store, "marlowe", MARLOWE_AS_AT)["ellis"]
    assert not of(ellis, "unseen", "heard_not_recorded")
    [heard] = of(ellis, "unseen", "heard")
    assert heard.counts["times"] == 1 and said(heard.message, date(2021, 2, 4)), heard.message
    assert not of(ellis, "record_share", "child_words")


# ---------------------------------------------------------------- Thorneycroft: a closed, historic case


def test_thorneycroft_loads_a_tab_separated_old_system_export(store):
    frame = load(store, "thorneycroft", 13)
    assert day(row(frame, "attendance 78% in the first half term")["earliest"]) == "2009-09-15"
    assert day(row(frame, "Case closed")["earliest"]) == "2012-02-13"


def test_thorneycroft_measured_as_at_the_close(store):
    frame = load(store, "thorneycroft", 13)
    as_at = date(2012, 3, 31)
    found = findings(store, "thorneycroft", as_at)
    every = [f for fs in found.values() for f in fs]
    assert all(f.end is None or f.end <= as_at for f in every), [(f.code, f.end) for f in every]
    assert not [f.message for f in every if "has been open" in f.message]
    assert not [f for f in every if f.kind == "drift" and f.code == "long_plan"]
    [wnb] = of(found["bethany"], "indicator", "was_not_brought")
    assert set(wnb.entry_ids) == ids(frame, "12-month review", "not brought for her immunisations",
                                     "not brought to her hearing test")
    assert (wnb.start, wnb.end, wnb.counts["entries"]) == (date(2009, 11, 2), date(2010, 4, 21), 3)
    for child, name in (("connor", "Connor"), ("bethany", "Bethany")):
        [alone] = of(found[child], "unseen", "seen_alone_not_recorded")
        assert "these records do not say when" in alone.message and name in alone.message
        assert of(found[child], "unseen", "heard_not_recorded")
        no_never_about_contact(found[child])


def test_thorneycroft_as_at_an_earlier_date_counts_only_what_had_happened(store):
    frame = load(store, "thorneycroft", 13)
    as_at = date(2010, 3, 1)
    found = findings(store, "thorneycroft", as_at)
    assert not of(found["bethany"], "indicator", "was_not_brought")  # not brought twice by then
    happened = set(frame[frame["earliest"].map(day) <= as_at.isoformat()]["record_id"])
    for f in (f for fs in found.values() for f in fs):
        assert set(f.entry_ids) <= happened, (f.kind, f.code, f.message)


def test_thorneycroft_ended_plans_are_never_open_years_later(store):
    load(store, "thorneycroft", 13)
    every = [f for fs in findings(store, "thorneycroft", date(2026, 11, 27)).values() for f in fs]
    assert not [f for f in every if f.kind == "drift" and f.code == "long_plan"]
    assert not [f.message for f in every if "has been open" in f.message]


# ---------------------------------------------------------------- Brackley (tests/cases/brackley/TRUTHS.md)

BRACKLEY_AS_AT = date(2024, 3, 1)


def test_brackley_loads_three_one_agency_returns_of_a_one_child_case(store):
    frame = load(store, "brackley", 16)  # truth 1
    assert set(frame["children"]) == {"mia"}
    # an agency's own types ("Drop-in", "Visit") are not the kit's: read from the words and marked so
    assert "category" in listed(row(frame, "came to the drop-in")["inferred"])


def test_brackley_seen_alone_and_heard_are_read_from_the_words(store):
    load(store, "brackley", 16)
    found = findings(store, "brackley", BRACKLEY_AS_AT)["mia"]
    for f in found:  # truths 2 and 3: nothing may say she was never seen alone or heard, or that no one can tell
        assert not NEVER.search(f.message), f.message
        assert f.code not in ("seen_alone_not_recorded", "heard_not_recorded", "seen_not_recorded"), f.message
    from neglect_kit.assessment.voice import contact_dates
    data = load_case(store, "brackley", today=BRACKLEY_AS_AT)
    dates = contact_dates(data.voice_of("mia"), data.frame, BRACKLEY_AS_AT, child="mia")
    assert [d for d, _ in dates["seen_alone"]] == [date(2023, 10, 18), date(2024, 2, 7)]
    assert {date(2023, 10, 18), date(2023, 11, 15)} <= {d for d, _ in dates["heard"]}


def test_brackley_patterns_of_no_access_and_missed_dental_care(store):
    frame = load(store, "brackley", 16)
    found = findings(store, "brackley", BRACKLEY_AS_AT)["mia"]
    [no_access] = of(found, "indicator", "no_access")  # truth 4
    assert set(no_access.entry_ids) == ids(frame, "No answer at the door", "No reply;", "nobody home")
    [not_brought] = of(found, "indicator", "was_not_brought")  # truth 5
    assert set(not_brought.entry_ids) == ids(frame, "Patient not brought", "Not brought again",
                                             "Follow-up treatment for decay")
    assert row(frame, "Two fillings")["category"] != "was_not_brought"  # truth 8


def test_brackley_mothers_mental_health_is_a_risk_never_named_and_nothing_else_is(store):
    frame = load(store, "brackley", 16)
    found = findings(store, "brackley", BRACKLEY_AS_AT)["mia"]
    [health] = of(found, "risk_not_named", "parental_mental_health")  # truth 6
    assert ids(frame, "Mum stays in bed all day", "feels low", "antidepressants") <= set(health.entry_ids)
    assert {f.code for f in of(found, "risk_not_named")} == {"parental_mental_health"}  # truth 7


def test_brackley_a_share_of_nothing_reads_as_none(store):
    load(store, "brackley", 16)
    found = findings(store, "brackley", BRACKLEY_AS_AT)["mia"]
    [impact] = of(found, "record_share", "impact")  # no return has an impact column, and no words give one
    assert impact.message.startswith("None of the 16 entries about Mia") and "Only 0" not in impact.message

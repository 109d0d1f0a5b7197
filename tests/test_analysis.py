"""What the records show read together: proof on the sample cases, and cases built to test each rule."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from neglect_kit.analysis.analyse import case_findings, child_findings
from neglect_kit.analysis.case_data import load_case
from neglect_kit.analysis.drift import CarriedAction
from neglect_kit.analysis.patterns import indicator_findings
from neglect_kit.analysis.summary import child_summary
from neglect_kit.chronology.dates import parse_event_date
from neglect_kit.chronology.model import ENTRY_KIND
from neglect_kit.cli import main
from neglect_kit.config import Settings
from neglect_kit.reports.document import body_html
from neglect_kit.store import NewRecord, NotFound, Store

TODAY = date(2026, 11, 26)
SAMPLES = Path(__file__).resolve().parent.parent / "sample_cases"


def _kinds(found, kind, code=None):
    return [f for f in found.findings if f.kind == kind and (code is None or f.code == code)]


# --- proof on the sample cases, which were not changed for it ---------------------------

@pytest.fixture(scope="module")
def fenwick(demo):
    return load_case(demo, "fenwick", today=TODAY)


def test_alcohol_runs_through_the_main_case_and_no_plan_names_it(fenwick):
    for child in ("maisie", "theo"):
        found = child_findings(fenwick, child)
        [alcohol] = _kinds(found, "risk_not_named", "parental_alcohol")
        assert alcohol.counts["entries"] >= 15 and alcohol.counts["agencies"] >= 5
        assert alcohol.counts["plans_naming"] == 0
        assert "not named in any of" in alcohol.message and "plans" in alcohol.message
        rows = fenwick.frame.set_index("record_id").loc[list(alcohol.entry_ids)]
        words = (rows["description"] + " " + rows["child_words"]).str.contains(
            "drink|alcohol|intoxicated|drunk|wine|had a few", case=False)
        assert (words | (rows["category"] == "parental_alcohol")).all()
        assert (~words).sum() <= 3  # the recovery service's own entries need not say the word
        # "Denies drinking at present" is the adult's word, not evidence
        assert not rows["description"].str.contains("Denies drinking").any()
        assert alcohol.counts["negated"] + alcohol.counts["denied"] >= 1


def test_the_protection_plan_drifts_and_comes_back(fenwick):
    found = child_findings(fenwick, "maisie")
    long_plans = _kinds(found, "drift", "long_plan")
    assert any(f.start == date(2022, 12, 14) and "has been open" in f.message for f in long_plans)
    assert all("child protection plan" in f.message for f in long_plans)
    [repeat] = [f for f in _kinds(found, "drift", "repeat_plan") if "child protection" in f.message]
    assert repeat.counts["plans"] == 3
    assert _kinds(found, "drift", "stuck_high") and _kinds(found, "drift", "target_missed")


def test_missed_appointments_are_a_pattern(fenwick):
    theo = child_findings(fenwick, "theo")
    [first, *_] = _kinds(theo, "indicator", "was_not_brought")
    assert first.counts["entries"] >= 3 and first.counts["most_in_window"] >= 3
    rows = fenwick.frame.set_index("record_id").loc[list(first.entry_ids)]
    assert set(rows["category"]) == {"was_not_brought"}
    assert rows["earliest"].is_monotonic_increasing


def test_the_childrens_voice_has_gaps(fenwick):
    theo = child_findings(fenwick, "theo")
    # the records say Theo was not seen, or seen with an adult present, but never show him seen alone:
    # the finding says what they show, never "never"
    [alone] = _kinds(theo, "unseen", "seen_alone")
    assert alone.counts["times"] == 0 and "These records do not show Theo seen alone" in alone.message
    assert "not seen" in alone.message and "never" not in alone.message
    assert all("never" not in f.message for f in _kinds(theo, "unseen"))
    heard = _kinds(theo, "unseen", "heard")[0]
    assert heard.counts["longest_days"] > 365
    assert _kinds(theo, "record_share", "child_words")


def test_a_new_worker_is_told_the_history_before(fenwick):
    [again] = _kinds(child_findings(fenwick, "maisie"), "start_again")
    assert again.end == date(2019, 9, 16)
    assert again.counts["plans_before"] == 4 and again.counts["entries_before"] > 50
    assert "What does the history before you say?" in again.message


def test_the_improving_case_raises_no_drift(demo):
    data = load_case(demo, "dunmore", today=TODAY)
    [riley] = case_findings(data)
    assert _kinds(riley, "drift") == []
    assert _kinds(riley, "risk_not_named") == []


def test_every_finding_points_at_entries_of_its_child(fenwick):
    ids = set(fenwick.frame["record_id"])
    for found in case_findings(fenwick):
        for f in found.findings:
            assert set(f.entry_ids) <= ids
            assert f.child == found.child
            for rid in f.entry_ids:
                assert found.child in fenwick.frame.set_index("record_id").at[rid, "children"]


def _findings_by_row(store, case_id):
    """A case's findings with each entry named by its file, row and words (record ids are drawn at random)."""
    data = load_case(store, case_id, today=TODAY)
    frame = data.frame[["record_id", "source_file", "source_row", "description"]].astype(str)
    rows = {r: rest for r, *rest in frame.itertuples(index=False)}
    return [replace(f, entry_ids=tuple(tuple(rows[i]) for i in f.entry_ids))
            for child in case_findings(data) for f in child.findings]


def test_the_sample_cases_loaded_into_postgresql_give_the_findings_they_give_on_sqlite(demo, pg_demo):
    on_pg = Store.open(pg_demo, user="reader")
    for case_id in ("fenwick", "dunmore"):
        found = _findings_by_row(on_pg, case_id)
        assert found and found == _findings_by_row(demo, case_id)
    on_pg.engine.dispose()


# --- rules on built cases -------------------------------------------------------------

def _entry(on: str, description: str, *, category: str = "other", agency: str = "health_visiting",
           children=("ruby",), **more) -> NewRecord:
    return NewRecord({"children": list(children), "event_date": parse_event_date(on, TODAY).model_dump(mode="json"),
                      "agency": agency,
                      "category": category, "description": description, **more})


def _case_with(store, case, entries, plans=()):
    store.create_many(ENTRY_KIND, case, entries)
    for plan in plans:
        store.add_plan(case, **plan)
    return load_case(store, case, Settings(), TODAY)


def test_negations_denials_and_misspellings(store, case):
    data = _case_with(store, case, [
        _entry("2024-01-10", "Home visit. No concerns about alcohol noted."),
        _entry("2024-02-10", "Dawn denies drinking."),
        _entry("2024-03-10", "No smell of alcohol today."),
        _entry("2024-04-10", "Dawn smelt of alchohol at the school gate.", agency="school"),
        _entry("2024-05-10", "Mum was drunkenly shouting in the street.", agency="police"),
    ], [{"child_id": "ruby", "type": "child_in_need", "start": date(2024, 1, 1), "risk_factors": ["home_conditions"]}])
    [alcohol] = _kinds(child_findings(data, "ruby"), "risk_not_named", "parental_alcohol")
    assert alcohol.counts["entries"] == 2 and alcohol.counts["agencies"] == 2
    assert alcohol.counts["negated"] == 2 and alcohol.counts["denied"] == 1
    assert "ruled out in 2 more" in alcohol.message and "denied by the adult in 1 more" in alcohol.message


def test_only_negations_raise_nothing(store, case):
    data = _case_with(store, case, [_entry(f"2024-0{m}-10", "No concerns about alcohol or drugs.") for m in (1, 2, 3)])
    assert _kinds(child_findings(data, "ruby"), "risk_not_named") == []


def test_an_entry_about_a_different_family_member_is_not_a_parental_factor(store, case):
    store.add_person(case, "nan", kind="adult", name="Irene Cobb", relationships={"ruby": "grandparent"})
    data = _case_with(store, case, [
        _entry("2024-01-10", "Irene drinks heavily at weekends; the children were not with her."),
        _entry("2024-02-10", "Nan was drunk at the party."),
        _entry("2024-03-10", "Dawn smelt of alcohol at pick-up.")])
    found = child_findings(data, "ruby")
    assert _kinds(found, "risk_not_named", "parental_alcohol") == []  # one parental mention is below the floor
    data = _case_with(store, case, [_entry("2024-04-10", "Dawn was drinking wine in the park with the children.")])
    [alcohol] = _kinds(child_findings(data, "ruby"), "risk_not_named", "parental_alcohol")
    assert alcohol.counts["entries"] == 2 and alcohol.counts["other"] == 2


def test_a_factor_named_in_a_plan_is_not_raised_unless_named_late(store, case):
    entries = [_entry("2020-01-10", "Dawn intoxicated when the children came home."),
               _entry("2020-03-10", "Dawn drinking during the day.", agency="gp")]
    plan = {"child_id": "ruby", "type": "child_protection", "category": "neglect", "start": date(2020, 4, 1),
            "end": date(2021, 1, 1), "risk_factors": ["parental_alcohol"]}
    data = _case_with(store, case, entries, [plan])
    assert _kinds(child_findings(data, "ruby"), "risk_not_named") == []
    late = replace(data, plans=[{**p, "start": date(2022, 6, 1), "end": None} for p in data.plans])
    [named_late] = _kinds(child_findings(late, "ruby"), "risk_not_named")
    assert "first named in a plan on 1 Jun 2022, 2 years 4 months after" in named_late.message


def test_indicators_use_the_sliding_window_from_the_settings(store, case):
    data = _case_with(store, case, [
        _entry(on, "Ruby was not brought to the clinic.", category="was_not_brought", agency=agency)
        for on, agency in (("2023-01-05", "gp"), ("2023-06-05", "health_visiting"), ("2023-12-20", "gp"),
                           ("2025-06-01", "gp"))])
    [pattern] = indicator_findings(data.frame, "ruby", "Ruby", data.cfg)
    assert pattern.counts == {"entries": 3, "agencies": 2, "most_in_window": 3, "window_days": 365}
    assert pattern.start == date(2023, 1, 5) and pattern.end == date(2023, 12, 20)
    assert "3 times between Jan 2023 and Dec 2023 (GP, Health visiting)" in pattern.message
    shorter = data.cfg.model_copy(update={"pattern_window_days": 180})
    assert indicator_findings(data.frame, "ruby", "Ruby", shorter) == []
    fewer = {**data.cfg.indicator_thresholds, "was_not_brought": 2}
    lower = data.cfg.model_copy(update={"indicator_thresholds": fewer})
    found = indicator_findings(data.frame, "ruby", "Ruby", lower.model_copy(update={"pattern_window_days": 180}))
    assert [f.counts["entries"] for f in found] == [2]


def test_an_incident_two_agencies_reported_counts_once(store, case):
    first = NewRecord(_entry("2023-02-01", "Ruby not brought.", category="was_not_brought").body, record_id="first")
    entries = [first,
               _entry("2023-02-02", "Ruby not brought to the clinic.", category="was_not_brought", agency="gp",
                      duplicate_of="first"),
               _entry("2023-03-01", "Ruby not brought.", category="was_not_brought"),
               _entry("2023-04-01", "Ruby not brought.", category="was_not_brought", agency="gp")]
    data = _case_with(store, case, entries)
    [pattern] = indicator_findings(data.frame, "ruby", "Ruby", data.cfg)
    assert pattern.counts["entries"] == 3 and "first" in pattern.entry_ids


def test_carried_actions_and_re_referral_are_drift(store, case):
    data = _case_with(store, case, [_entry("2023-09-01", "Referral from school.", category="referral",
                                           agency="school")],
                      [{"child_id": "ruby", "type": "child_in_need", "start": date(2022, 1, 10),
                        "end": date(2023, 6, 1)}])
    found = child_findings(data, "ruby", actions=[CarriedAction("Dental appointment made", 2, date(2025, 1, 5))])
    [back] = _kinds(found, "drift", "re_referral")
    assert "a referral on 1 Sep 2023, 3 months after help ended" in back.message
    [carried] = _kinds(found, "drift", "action_carried")
    assert carried.counts["carried_over"] == 2 and "Dental appointment made" in carried.message


def test_a_case_with_no_entries_has_no_findings_and_says_so(store, case, capsys):
    data = load_case(store, case, Settings(), TODAY)
    assert [f.findings for f in case_findings(data)] == [[], []]
    with pytest.raises(NotFound, match="no child 'zed' in case 'ashdown'"):
        child_findings(data, "zed")


def test_the_command_prints_findings_as_json(demo_file, capsys, monkeypatch):
    monkeypatch.setenv("NEGLECT_KIT_DB", f"sqlite:///{demo_file}")
    assert main(["analyse", "--case", "fenwick", "--child", "theo", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert {f["child"] for f in found} == {"theo"}
    assert set(found[0]) == {"kind", "code", "child", "case", "as_at", "period", "counts", "entry_ids", "message"}
    assert any(f["kind"] == "risk_not_named" and f["code"] == "parental_alcohol" for f in found)
    assert main(["analyse", "--case", "fenwick"]) == 0
    text = capsys.readouterr().out
    assert "Maisie Fenwick (maisie)" in text and "prompts for professional judgement" in text
    assert main(["analyse", "--case", "fenwick", "--child", "zed"]) == 2
    assert "no child 'zed' in case 'fenwick'" in capsys.readouterr().err
    assert main(["analyse", "--case", "nowhere"]) == 2


# --- start again: a change of worker read from the recorded-by column and from the words ---------------

def _by(on, who, agency="childrens_social_care", text="Home visit; Ruby seen."):
    return _entry(on, text, agency=agency, source_detail=who)


def test_a_new_named_worker_in_the_recorded_by_column_is_a_change_of_worker(store, case):
    data = _case_with(store, case, [
        _by("2023-01-10", "SW (Jo Harlow)"), _by("2023-02-10", "Duty worker"), _by("2023-03-10", "SW (J. Harlow)"),
        _by("2023-04-03", "Social worker (P. Quist)"),  # one cover visit: Harlow records again after it
        _by("2023-04-20", "SW (J. Harlow)"), _by("2023-05-03", "Team manager"),
        _by("2023-06-12", "SW (A. Mensah)"), _by("2023-07-12", "SW (A. Mensah)"),
        _by("2023-08-01", "Dr Okonjo", agency="gp"), _by("2023-09-01", "Dr Castell", agency="gp"),
        _by("2023-09-05", "Dr Castell", agency="gp")])
    [again] = _kinds(child_findings(data, "ruby", label="Child A"), "start_again")
    assert again.end == date(2023, 6, 12) and again.counts["entries_before"] == 6
    assert again.message.startswith("When a new worker came on 12 Jun 2023 (known from a new social worker, seen in "
                                    "the recorded-by column from 12 Jun 2023), Child A had been known for")
    for name in ("Mensah", "Harlow", "Quist", "Okonjo", "Castell"):
        assert name not in again.message


def test_entries_that_say_the_worker_changed_count_and_denials_do_not(store, case):
    data = _case_with(store, case, [
        _entry("2023-01-10", "Assessment visit; Ruby seen alone.", agency="childrens_social_care"),
        _entry("2023-02-10", "No new social worker yet; the team manager is covering.", agency="childrens_social_care"),
        _entry("2023-03-10", "Case transferred to the long-term team.", agency="childrens_social_care"),
        _entry("2023-09-10", "Home visit.", agency="childrens_social_care",
               outcome="Case reallocated after sickness.")])
    found = _kinds(child_findings(data, "ruby"), "start_again")
    assert [f.end for f in found] == [date(2023, 3, 10), date(2023, 9, 10)]
    assert "(known from an entry that says so (10 Mar 2023))" in found[0].message


def test_one_change_found_in_several_ways_is_one_finding(store, case):
    data = _case_with(store, case, [
        _by("2023-01-10", "HV (S. Ortiz)", agency="health_visiting"),
        _by("2023-02-10", "HV (S. Ortiz)", agency="health_visiting"),
        _entry("2023-03-01", "Health visitor changed.", category="worker_change"),
        _by("2023-03-20", "HV (K. Lund)", agency="health_visiting"), _by("2023-04-20", "HV", agency="health_visiting"),
        _by("2023-05-20", "HV (K. Lund)", agency="health_visiting")])
    [again] = _kinds(child_findings(data, "ruby"), "start_again")
    assert again.end == date(2023, 3, 1)
    assert ("known from an entry of the category change of worker; a new health visitor, seen in the recorded-by "
            "column from 20 Mar 2023)") in again.message


def test_an_entry_about_both_children_is_read_once_for_the_case(store, case, monkeypatch):
    # the words of a visit (no access?) and of a change of worker are read once per text, not once per child
    from neglect_kit.analysis import patterns, start_again
    read: dict[str, list[str]] = {"category": [], "worker": []}
    infer, says = patterns.infer_category, start_again.says_new_worker
    monkeypatch.setattr(patterns, "infer_category", lambda t, *a: read["category"].append(t[0]) or infer(t, *a))
    monkeypatch.setattr(start_again, "says_new_worker", lambda t: read["worker"].append(t) or says(t))
    both = ("ruby", "jack")
    data = _case_with(store, case, [
        *(_entry(on, "Visit: no reply at the door.", category="home_visit", agency="childrens_social_care",
                 children=both) for on in ("2023-01-10", "2023-02-10", "2023-03-10", "2023-04-10")),
        _entry("2023-05-10", "Case transferred to the long-term team.", agency="childrens_social_care",
               children=both)])
    found = case_findings(data)
    assert read["category"] == ["Visit: no reply at the door."]
    assert sorted(read["worker"]) == sorted({" ".join((e.entry.description, e.entry.action, e.entry.outcome))
                                             for e in data.entries if e.entry.category != "worker_change"})
    for child in found:  # both children have the pattern and the change all the same
        assert [f.code for f in child.findings if f.kind in ("indicator", "start_again")] == ["no_access",
                                                                                            "worker_change"]


def test_worker_names_are_read_from_the_ways_returns_write_them_and_roles_are_not_names():
    from neglect_kit.analysis.start_again import worker_name
    same = ("SW (J. Harlow)", "J Harlow", "Jo Harlow", "SW (Jo Harlow)", "Jo Harlow (Senior SW)")
    assert {worker_name(v) for v in same} == {"j harlow"}
    assert worker_name("HV Gwen Amory") == "g amory" and worker_name("Dr Okonjo") == "okonjo"
    for role in ("Duty worker", "HV", "Social worker", "Team manager", "Team Manager", "Family Support Worker",
                 "Little Acorns key worker", "PC 2417", "Duty worker (CMHT)", "Out Of Hours",
                 "Neglect screening by Health visitor (Eastmere 0-19 team)"):
        assert worker_name(role) == "", role

# --- what the words say about contact, and findings that say only what the records show -----

def test_records_that_cannot_tell_say_so_and_never_say_never(store, case):
    data = _case_with(store, case, [_entry(on, "Ruby not brought to the clinic.", category="was_not_brought")
                                    for on in ("2024-01-10", "2024-04-10", "2024-09-10")])
    found = _kinds(child_findings(data, "ruby"), "unseen")
    assert {f.code for f in found} == {"seen_not_recorded", "seen_alone_not_recorded", "heard_not_recorded"}
    alone = next(f for f in found if f.code == "seen_alone_not_recorded")
    assert "these records do not say when Ruby was seen alone" in alone.message
    assert "3 entries over 8 months (Jan 2024 to Sep 2024)" in alone.message
    assert all("never" not in f.message for f in found)


def test_contact_read_from_the_words_and_the_gaps_named_with_their_dates(store, case):
    data = _case_with(store, case, [
        _entry("2024-01-10", "Home visit. Ruby seen alone in her bedroom; Jack asleep, not seen.",
               children=("ruby", "jack"), agency="social_care"),
        _entry("2024-02-01", "Visit.", action="Spoke to Rubes on her own.", agency="social_care"),
        _entry("2024-06-20", "No reply at the door.", children=("ruby", "jack"), agency="social_care"),
        _entry("2024-07-01", 'Ruby said "there was no tea again".', agency="school"),
        _entry("2024-07-02", "Ruby seen with mum at clinic."),
        _entry("2024-11-30", "Ruby seen alone at school; Jack at nursery.", children=("ruby", "jack"),
               agency="social_care")])
    ruby = child_findings(data, "ruby")
    [alone] = _kinds(ruby, "unseen", "seen_alone")
    assert alone.counts["times"] == 3 and alone.counts["gaps_over_limit"] == 1
    assert "the longest gap was 9 months (1 Feb 2024 to 30 Nov 2024), and it is the most recent" in alone.message
    assert (alone.start, alone.end) == (date(2024, 2, 1), date(2024, 11, 30)) and len(alone.entry_ids) == 2
    [seen] = _kinds(ruby, "unseen", "seen")
    assert seen.counts["times"] == 4  # the school heard her words; it does not say she was seen
    assert ("the longest gap was 5 months (1 Feb 2024 to 2 Jul 2024); the most recent was 4 months "
            "(2 Jul 2024 to 30 Nov 2024); 3 gaps were longer than the 20 days set") in seen.message
    # Jack was never seen in these entries: the records say so, with what they do record
    [jack_alone] = _kinds(child_findings(data, "jack"), "unseen", "seen_alone")
    assert jack_alone.counts["times"] == 0 and "never" not in jack_alone.message
    assert "These records do not show Jack seen alone" in jack_alone.message
    assert "not seen 3 times" in jack_alone.message


def test_findings_are_measured_to_the_as_at_date(store, case):
    entries = [_entry(on, "Dawn drunk at the door; Ruby seen alone.", agency="police")
               for on in ("2019-01-10", "2019-02-10", "2019-03-10", "2025-06-01", "2025-07-01")]
    plans = [{"child_id": "ruby", "type": "child_protection", "category": "neglect", "start": date(2018, 1, 1),
              "end": date(2019, 3, 1)},
             {"child_id": "ruby", "type": "child_in_need", "start": date(2019, 3, 2), "end": date(2025, 1, 1)}]
    _case_with(store, case, entries, plans)
    data = load_case(store, case, Settings(), date(2019, 4, 1))
    assert len(data.rows("ruby")) == 3
    assert [p["end"] for p in data.plans_of("ruby")] == [date(2019, 3, 1), None]  # open as at 1 Apr 2019
    found = child_findings(data, "ruby")
    assert all(f.end is None or f.end <= date(2019, 4, 1) for f in found.findings)
    [alcohol] = _kinds(found, "risk_not_named", "parental_alcohol")
    assert alcohol.counts["entries"] == 3
    assert _kinds(found, "drift", "long_plan") == []  # a plan that ended is not "open for years"
    later = load_case(store, case, Settings(), date(2024, 6, 1))
    [long_plan] = _kinds(child_findings(later, "ruby"), "drift", "long_plan")
    assert "no end recorded by 1 Jun 2024" in long_plan.message


def test_services_recovery_and_the_childs_words_for_parental_factors(store, case):
    services = [_entry("2024-01-10", "Dawn referred to the substance misuse team."),
                _entry("2024-02-10", "Drug and alcohol service contacted for advice."),
                _entry("2024-03-10", "Seen by the alcohol liaison nurse.")]
    data = _case_with(store, case, services)
    found = child_findings(data, "ruby")
    assert _kinds(found, "risk_not_named") == []
    data = _case_with(store, case, [
        _entry("2024-04-10", "Ruby spoke about home.", child_words="Mummy drinks the smelly juice and falls asleep"),
        _entry("2024-05-10", "Home visit.", outcome="Dawn has relapsed and is drinking again."),
        _entry("2024-06-10", "Ruby has a wobbly tooth and had a drink of juice.")])
    [alcohol] = _kinds(child_findings(data, "ruby"), "risk_not_named", "parental_alcohol")
    assert alcohol.counts["entries"] == 2 and alcohol.counts["service"] == 2
    assert "2 more naming only a service" in alcohol.message


def test_the_command_measures_to_an_as_at_day(demo_file, capsys, monkeypatch):
    monkeypatch.setenv("NEGLECT_KIT_DB", f"sqlite:///{demo_file}")
    assert main(["analyse", "--case", "fenwick", "--child", "theo", "--as-at", "14/03/2019", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found and {f["as_at"] for f in found} == {"2019-03-14"}
    assert main(["analyse", "--case", "fenwick", "--as-at", "2019-03-14"]) == 0
    assert "Findings as at 14 Mar 2019" in capsys.readouterr().out
    for bad, why in (("March 2019", "is not one exact day"), ("2999-01-01", "is in the future"),
                     ("30/02/2019", "is not a real day")):
        assert main(["analyse", "--case", "fenwick", "--as-at", bad]) == 2
        err = capsys.readouterr().err
        assert "--as-at: as-at date" in err and why in err and bad in err


def test_the_childs_words_in_the_entries_own_words_count_and_are_shown(store, case):
    data = _case_with(store, case, [
        _entry("2024-01-10", 'Ruby told the teacher: "there was no tea again".', agency="school"),
        _entry("2024-02-10", "Home visit.", outcome="Ruby said she sleeps in her coat.", agency="social_care"),
        _entry("2024-03-10", 'Dawn said "Ruby is fine".'),
        _entry("2024-04-10", "Dawn not brought Ruby to clinic.", category="was_not_brought")])
    found = child_findings(data, "ruby")
    shares = {f.code: f for f in _kinds(found, "record_share")}
    assert "child_words" not in shares  # 2 of 4 entries hold her words, though no child's-words column does
    page = body_html(child_summary(data, found))
    assert "in the entry&#39;s words: Home visit. / Ruby said she sleeps in her coat." in page
    section = page.split("own words")[1].split("A day in")[0]
    assert "words or views are recorded 2 times" in section and "there was no tea again" in section
    assert "Ruby is fine" not in section  # her mother's words are not hers


@pytest.mark.parametrize(("text", "says"), [
    ("Case transferred to the long-term team.", True),
    ("New health visitor introduced herself to mum.", True),
    ("No new social worker yet; the team manager is covering.", False),
    ("Case unallocated, awaiting a new social worker.", False),
    ("Pending allocation to the long-term team.", False),
])
def test_the_words_of_a_change_of_worker_are_the_categorys_and_a_change_to_come_is_none(text, says):
    from neglect_kit.analysis.start_again import says_new_worker
    assert says_new_worker(text) is says


# --- a repeat that grades 2 of 14 sub-areas: the drift it leaves ungraded stays, worded as the records show ---

def test_a_sparse_repeat_keeps_the_drift_findings_in_the_summary_and_the_supervision_challenges(store):
    from neglect_kit.assessment.model import ASSESSMENT_KIND
    from neglect_kit.casefolders.case_folder import load_case_folder
    from neglect_kit.supervision.prompts import challenge_prompts

    load_case_folder(store, SAMPLES / "fenwick", valid_only=True)
    before = child_findings(load_case(store, "fenwick", today=TODAY), "maisie")
    [stuck_before] = _kinds(before, "drift", "stuck_high")
    store.create(ASSESSMENT_KIND, "fenwick", {
        "child": "maisie", "assessed_on": "2023-06-01", "assessed_by": "Social worker (fictional)",
        "grades": [{"sub_area": "food", "grade": 3, "evidence": "Breakfast club every day this term."},
                   {"sub_area": "hygiene", "grade": 3, "evidence": "Clean uniform at each visit."}]})
    data = load_case(store, "fenwick", today=TODAY)
    found = child_findings(data, "maisie")
    [stuck] = _kinds(found, "drift", "stuck_high")
    assert stuck.counts["sub_areas"] == stuck_before.counts["sub_areas"] - 2  # only food and hygiene regraded
    assert "Home and sleep" in stuck.message
    assert "Not regraded at the latest assessment: Home and sleep (5 since Dec 2022)" in stuck.message
    assert "Latest assessment 1 Jun 2023" in stuck.message
    page = body_html(child_summary(data, found))
    assert "Home and sleep (5 since Dec 2022)" in page
    prompts = {p.rule: p for p in challenge_prompts(
        {"reflection": "Mum attended a parenting course."}, case_findings(data), data.assessments, [],
        worker="Jo Kemp", previous_worker="Jo Kemp", today=TODAY, child_labels={"maisie": "Maisie", "theo": "Theo"})}
    assert any("Home and sleep (5 since Dec 2022)" in line for line in prompts["drift"].evidence)
    # two sub-areas better and twelve left standing at 5 is not an improvement
    assert any("12 graded 4 or 5 before were not regraded" in line for line in prompts["outputs_not_outcomes"].evidence)

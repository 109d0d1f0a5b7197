"""Challenge prompts for supervision: each rule raised by its evidence, shown with it, and silent without it."""

from __future__ import annotations

from datetime import date

import pytest

from neglect_kit.analysis.analyse import ChildFindings, case_findings
from neglect_kit.analysis.case_data import load_case
from neglect_kit.assessment.framework import NOT_ENOUGH_EVIDENCE
from neglect_kit.assessment.model import NeglectAssessment
from neglect_kit.findings import Finding
from neglect_kit.supervision.actions import Action
from neglect_kit.supervision.prompts import RULES, Prompt, challenge_prompts

TODAY = date(2026, 11, 26)
LABELS = {"ruby": "Ruby", "jack": "Jack"}
MAR26, SEP26 = date(2026, 3, 4), date(2026, 9, 14)


def assessment(day, grades, child="ruby", entries=()):
    """One fictional assessment: grades by sub-area code."""
    return NeglectAssessment.model_validate({
        "child": child, "assessed_on": day, "assessed_by": "sw.one",
        "grades": [{"sub_area": s, "grade": g, "evidence": f"Seen at a home visit in {day:%B %Y}.",
                    "entries": list(entries)} for s, g in grades.items()]})


def action(**change):
    data = {"case_id": "ashdown", "child": "ruby", "what": "Check Ruby's lunchbox at school each day and tell the "
            "social worker each Friday", "who": "School (class teacher)", "by": date(2026, 12, 20),
            "change_for_child": "Ruby eats a proper lunch every school day", "agreed_on": date(2026, 3, 6)}
    data.update(change)
    return Action.model_validate(data)


def finding(kind, code, child="ruby", message="", ids=(), **counts):
    return Finding(kind, code, child, date(2024, 1, 1), TODAY, message or f"{kind} {code} for Ruby.", counts, ids)


def found(*items, child="ruby", label="Ruby"):
    return ChildFindings(child, label, list(items))


def prompts(text="", findings=(), assessments=(), actions=(), worker="Sam Okoro", previous_worker="Sam Okoro",
            labels=None):
    session = text if isinstance(text, dict) else {"reflection": text}
    return {p.rule: p for p in challenge_prompts(session, list(findings), list(assessments), list(actions),
                                                 worker=worker, previous_worker=previous_worker, today=TODAY,
                                                 child_labels=LABELS if labels is None else labels)}


HIGH = assessment(SEP26, {"food": 4, "hygiene": 5, "health": 3, "play": NOT_ENOUGH_EVIDENCE}, entries=("e7",))
LOW = assessment(SEP26, {"food": 3, "hygiene": 2, "health": 1})


# --- 1. the rule of optimism ---------------------------------------------------------------

def test_love_words_while_grades_stay_at_4_or_5_raise_optimism_with_the_sentence_and_the_grades():
    text = ("Home visit on Monday. Dawn clearly LOVES the children and is committed to the plan.\n"
            "The kitchen was bare.")
    p = prompts(text, assessments=[assessment(MAR26, {"food": 2}), HIGH])["optimism"]
    assert p.title == RULES["optimism"] == "The rule of optimism"
    assert p.question.startswith("Love is not the same as good enough care: what has changed for Ruby")
    assert p.evidence == (
        "Reflection: “Dawn clearly LOVES the children and is committed to the plan.” (words: LOVES, committed to)",
        "Ruby: latest assessment 14 Sep 2026: 2 sub-areas graded 4 or 5 (Food and drink (4); Hygiene (5))")
    assert p.entry_ids == ("e7",)


@pytest.mark.parametrize("text", ["She is doing her best.", "Mum has been engaging well with the visits.",
                                  "They are very co-operative.", "Dad is cooperative.", "They mean well."])
def test_the_ways_of_speaking_of_parents_love_and_effort_are_read(text):
    assert "optimism" in prompts(text, assessments=[HIGH])


def test_love_words_with_every_grade_at_3_or_better_raise_no_optimism():
    assert "optimism" not in prompts("Dawn loves the children dearly.", assessments=[LOW])


def test_an_earlier_high_grade_does_not_count_only_the_latest_assessment():
    earlier = assessment(MAR26, {"food": 5})
    assert "optimism" not in prompts("Dawn loves the children.", assessments=[LOW, earlier])
    later = assessment(date(2027, 1, 5), {"food": 5})  # after today: not yet held
    assert "optimism" not in prompts("Dawn loves the children.", assessments=[LOW, later])


@pytest.mark.parametrize("text", ["The kitchen was bare and Ruby was hungry.", "Mum has not been engaging.",
                                  "There is a lack of commitment.", "Dad isn't cooperative.", "The gloves were wet."])
def test_no_love_words_or_negated_ones_raise_no_optimism(text):
    assert "optimism" not in prompts(text, assessments=[HIGH])


def test_a_long_sentence_is_quoted_in_part_around_the_words():
    text = "Ruby was at school. " + "The visit went on, " * 30 + "and Dawn loves her." + " Then more" * 40 + "."
    [quote] = [e for e in prompts(text, assessments=[HIGH])["optimism"].evidence if e.startswith("Reflection")]
    assert "Dawn loves her" in quote and "…" in quote and len(quote) < 400


# --- 2. start again ----------------------------------------------------------------------

START = finding("start_again", "worker_change", message="When a new worker came on 16 Sep 2025, Ruby had been "
                "known for 3 years. What does the history before you say?", ids=("e1", "e2"))


def test_a_new_worker_raises_start_again_with_the_history():
    p = prompts(findings=[found(START)], worker="Sam Okoro", previous_worker="Lee Patel")["start_again"]
    assert p.question.startswith("What does the history before you say?")
    assert p.evidence == ("A new worker for this case: Sam Okoro takes over from Lee Patel.", f"Ruby: {START.message}")
    assert p.entry_ids == ("e1", "e2")


def test_a_change_of_worker_in_the_records_raises_start_again_at_a_first_session():
    assert prompts(findings=[found(START)], previous_worker=None)["start_again"].evidence == (f"Ruby: {START.message}",)


def test_the_same_worker_raises_no_start_again():
    assert "start_again" not in prompts(findings=[found(START)], worker="Sam Okoro", previous_worker="sam okoro")
    assert "start_again" not in prompts(previous_worker=None)  # a first session, no change of worker recorded


# --- 3. outputs are not outcomes -----------------------------------------------------------

COURSE = "Dawn completed the Triple P programme and says she will stop drinking."


def test_outputs_while_grades_did_not_improve_raise_the_challenge_with_the_grades():
    before = assessment(MAR26, {"food": 4, "hygiene": 4, "health": 3})
    after = assessment(SEP26, {"food": 4, "hygiene": 5, "health": 2})
    p = prompts({"analysis": COURSE}, assessments=[after, before])["outputs_not_outcomes"]
    assert p.question == ("A course attended or a promise made is something the parents did. What is different "
                          "in Ruby's day because of it?")
    assert p.evidence == (
        f"Analysis: “{COURSE}” (words: completed the Triple P programme, says she will, "
        "stop drinking)",
        "Ruby: between the assessments of 4 Mar 2026 and 14 Sep 2026, 1 sub-area improved (Health and dental "
        "care) but 1 worsened (Hygiene); 1 stayed the same (Food and drink)")


def test_outputs_with_one_assessment_count_its_grades_of_4_or_5():
    p = prompts("Dawn has been going to the drop-in every week.", assessments=[HIGH])["outputs_not_outcomes"]
    assert p.evidence[-1] == ("Ruby: one assessment so far (14 Sep 2026), with 2 sub-areas graded 4 or 5 "
                              "(Food and drink (4); Hygiene (5))")


def test_outputs_while_grades_improved_raise_no_challenge():
    before = assessment(MAR26, {"food": 4, "hygiene": 4})
    after = assessment(SEP26, {"food": 3, "hygiene": 4})
    assert "outputs_not_outcomes" not in prompts(COURSE, assessments=[before, after])
    assert "outputs_not_outcomes" not in prompts(COURSE, assessments=[LOW])


@pytest.mark.parametrize("text", ["Ruby's school attendance is still poor.", "Dawn did not attend the course.",
                                  "Of course Ruby was hungry."])
def test_the_childs_own_attendance_or_a_course_not_attended_is_not_an_output(text):
    assert "outputs_not_outcomes" not in prompts(text, assessments=[HIGH])


# --- 4. drift and delay --------------------------------------------------------------------

def test_drift_findings_and_overdue_or_carried_actions_raise_escalation():
    stuck = finding("drift", "stuck_high", message="Ruby: 2 sub-areas graded 4 or worse. Is it time to escalate?",
                    ids=("e3",))
    overdue = action(by=date(2026, 11, 1))
    carried = action(what="Book Jack's dental check-up", who="Health visitor", child="jack", carried_over=2)
    done = action(by=date(2026, 10, 1), status="done", evidence="Lunchbox checked daily; Ruby eats lunch")
    p = prompts(findings=[found(stuck)], actions=[overdue, carried, done])["drift"]
    assert p.question.startswith("Is it time to escalate?")
    assert p.evidence == (
        stuck.message,
        "Ruby: Overdue: Check Ruby's lunchbox at school each day and tell the social worker each Friday "
        "(due 1 Nov 2026, School (class teacher))",
        "Jack: Carried over 2 times: Book Jack's dental check-up (due 20 Dec 2026, Health visitor)")
    assert p.entry_ids == ("e3",)


def test_drift_findings_are_capped_with_how_many_more():
    many = [finding("drift", "long_plan", message=f"Ruby's plan number {i} ran long.") for i in range(8)]
    p = prompts(findings=[found(*many)])["drift"]
    assert len(p.evidence) == 6 and p.evidence[-1] == "and 3 more drift findings"


def test_an_action_carried_already_in_a_finding_is_not_shown_twice():
    carried = action(carried_over=3)
    said = finding("drift", "action_carried", message=f"An action for Ruby has been carried over 3 times since "
                   f"6 Mar 2026: “{carried.what}”. What stands in its way?")
    assert prompts(findings=[found(said)], actions=[carried])["drift"].evidence == (f"Ruby: {said.message}",)


def test_no_drift_and_no_action_overdue_raise_no_escalation():
    on_time = action()  # due 20 Dec 2026, after today
    once = action(carried_over=1)
    indicator = finding("indicator", "attendance")
    assert "drift" not in prompts(findings=[found(indicator)], actions=[on_time, once])


# --- 5. a risk in the records never named in a plan ------------------------------------------

def test_a_risk_never_named_asks_whether_the_plan_should_name_it():
    alcohol = finding("risk_not_named", "parental_alcohol", message="Parental alcohol use: mentioned in 6 entries "
                      "by 3 agencies since Aug 2024; not named in any of Ruby's 2 plans.", ids=("e4", "e5"),
                      plans_naming=0)
    p = prompts(findings=[found(alcohol)])["risk_not_named"]
    assert p.question == ("Parental alcohol use is in the records but in no plan: should the plan name it, and "
                          "what would it change for Ruby?")
    assert p.evidence == (f"Ruby: {alcohol.message}",)
    assert p.entry_ids == ("e4", "e5")


def test_a_risk_named_late_asks_what_the_wait_meant():
    late = finding("risk_not_named", "domestic_abuse", message="Domestic abuse: first named in a plan late.",
                   plans_naming=1)
    assert prompts(findings=[found(late)])["risk_not_named"].question == (
        "Domestic abuse came into a plan long after the records first showed it: what did the wait mean for Ruby?")


# --- 6. the adult focus ----------------------------------------------------------------------

def test_the_child_unseen_alone_or_unheard_raises_the_adult_focus():
    alone = finding("unseen", "seen_alone", message="Ruby was never seen alone in these records.", ids=("e6",))
    words = finding("record_share", "child_words", message="Only 2 of 40 entries (5%) hold Ruby's own words.")
    seen = finding("unseen", "seen", message="Ruby was seen 3 times.")
    p = prompts(findings=[found(alone, words, seen)])["adult_focus"]
    assert p.question == ("When was Ruby last seen alone, and what did Ruby say? Whose needs fill this "
                          "discussion?")
    assert p.evidence == (alone.message, f"Ruby: {words.message}")
    assert p.entry_ids == ("e6",)
    assert "adult_focus" not in prompts(findings=[found(seen)])  # seen, if not alone: not this rule


# --- together ----------------------------------------------------------------------------------

def test_one_prompt_per_rule_in_order_for_all_children_each_line_naming_its_child():
    jack_high = assessment(SEP26, {"food": 5}, child="jack")
    stuck = [found(finding("drift", "stuck_high", child=c, message=f"{n}: graded 4 or worse."), child=c, label=n)
             for c, n in (("ruby", "Ruby"), ("jack", "Jack"))]
    got = challenge_prompts({"experience": "Dawn loves them.", "reflection": "Dawn attended a parenting course."},
                            stuck, [HIGH, jack_high], [], worker="Sam Okoro", previous_worker="Lee Patel",
                            today=TODAY, child_labels=LABELS)
    assert [p.rule for p in got] == ["optimism", "start_again", "outputs_not_outcomes", "drift"]
    assert all(isinstance(p, Prompt) and p.title == RULES[p.rule] for p in got)
    optimism = got[0]
    assert "what has changed for Ruby and Jack since" in optimism.question
    assert optimism.evidence[0] == "Experience: “Dawn loves them.” (words: loves)"
    assert [e.split(":")[0] for e in optimism.evidence[1:]] == ["Ruby", "Jack"]
    assert got[2].evidence[0] == "Reflection: “Dawn attended a parenting course.” (words: attended a parenting course)"
    assert "change Ruby and Jack need:" in got[3].question


def test_the_labels_given_name_the_children_never_the_names_the_findings_were_worked_out_with():
    alone = finding("unseen", "seen_alone", message="Ruby was never seen alone; Ruby's words are missing.")
    got = prompts("Dawn loves Ruby.", findings=[found(alone)], assessments=[HIGH], labels={"ruby": "Child A"})
    assert got["adult_focus"].evidence == ("Child A was never seen alone; Child A's words are missing.",)
    assert "Child A" in got["adult_focus"].question and "Ruby" not in got["adult_focus"].question
    assert got["optimism"].evidence[1].startswith("Child A: latest assessment")
    assert "for Child A since" in got["optimism"].question


def test_nothing_to_challenge_raises_nothing():
    assert prompts("We talked about Ruby's week at school and her new friends.", assessments=[LOW]) == {}


def test_a_prompt_becomes_the_sessions_challenge_with_its_evidence_and_the_answer():
    p = prompts("Dawn loves the children.", assessments=[HIGH])["optimism"]
    c = p.challenge("Ruby still goes to school hungry most days; the love is real but the care is not enough.")
    assert (c.rule, c.prompt, c.evidence.split("\n")) == ("optimism", p.question, list(p.evidence))
    assert c.answer.startswith("Ruby still goes")


# --- the sample case ------------------------------------------------------------------------------

def test_the_sample_case_challenges_love_a_course_drift_and_the_alcohol_no_plan_names(demo):
    data = load_case(demo, "fenwick", today=TODAY)
    labels = {"maisie": "Child A", "theo": "Child B"}
    text = "Donna and Craig clearly love the children and have been engaging well; Donna attended a parenting course."
    got = {p.rule: p for p in challenge_prompts({"reflection": text}, case_findings(data), data.assessments, [],
                                                worker="Sam Okoro", previous_worker="Sam Okoro", today=TODAY,
                                                child_labels=labels)}
    assert {"optimism", "outputs_not_outcomes", "drift", "risk_not_named"} <= set(got)
    assert got["optimism"].evidence[0] == f"Reflection: “{text}” (words: love, engaging)"
    assert any(e.startswith("Child A: latest assessment 19 Dec 2022: 14 sub-areas graded 4 or 5")
               for e in got["optimism"].evidence)
    assert got["outputs_not_outcomes"].evidence[0].endswith("(words: attended a parenting course)")
    assert any("no sub-area improved" in e for e in got["outputs_not_outcomes"].evidence)
    assert any("graded 4 or worse" in e for e in got["drift"].evidence)
    risk = got["risk_not_named"]
    assert risk.question.startswith("Parental alcohol use")
    assert any(e.startswith("Child A: Parental alcohol use: mentioned in") for e in risk.evidence)
    assert risk.entry_ids
    every = " ".join(t for p in got.values() for t in (p.question, *p.evidence))
    assert "Maisie" not in every and "Theo" not in every

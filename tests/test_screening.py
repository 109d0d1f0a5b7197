"""The short neglect screening for any professional: questions, answers, guidance, chronology entry."""

from datetime import date

import pytest
from pydantic import ValidationError

from neglect_kit.assessment.framework import AREAS
from neglect_kit.assessment.screening import (
    ANSWERS,
    LEVELS,
    PARENTAL,
    QUESTIONS,
    CurrentPlan,
    Guidance,
    Screening,
    as_chronology_entry,
    guidance,
    parse_answer,
    plan_on,
)
from neglect_kit.chronology.model import ChronologyEntry

TODAY = date(2026, 11, 26)


def screening(yes=(), not_known=(), **change):
    answers = {q.code: "yes" if q.code in yes else "not known" if q.code in not_known else "no" for q in QUESTIONS}
    data = {"child": "ruby", "screened_on": date(2026, 11, 20), "screened_by": "Ms Teacher (fictional)",
            "agency": "school", "answers": answers,
            "day_in_words": "Ruby came in at 9.40 without breakfast and ate two portions at lunch."}
    data.update(change)
    return Screening.model_validate(data, context={"today": TODAY})


def test_questions_cover_the_four_areas_and_each_parental_factor_apart():
    codes = [q.code for q in QUESTIONS]
    assert len(codes) == len(set(codes))
    for area in AREAS:
        assert 2 <= sum(q.area == area.code for q in QUESTIONS) <= 4, area.code
    parental = {q.code for q in QUESTIONS if q.area == PARENTAL}
    assert parental == {"parent_alcohol", "parent_drugs", "parent_mental_health", "domestic_abuse"}
    assert {q.area for q in QUESTIONS} == {a.code for a in AREAS} | {PARENTAL}
    assert all(q.text.endswith("?") and len(q.text) < 120 for q in QUESTIONS)
    assert ANSWERS == ("yes", "no", "not known")


def test_every_answer_no_is_no_concern_now_but_keep_noticing():
    g = guidance(screening())
    assert g.level == "no_concern_now"
    assert "keep noticing" in g.headline and "record what you see" in g.headline
    assert g.reasons == [f"You answered no to all {len(QUESTIONS)} questions."]
    assert any("own words" in s for s in g.next_steps)  # the child's voice is missing


@pytest.mark.parametrize("code", ["food_none", "left_alone", "health_untreated"])
def test_one_yes_showing_immediate_risk_is_refer(code):
    g = guidance(screening(yes=[code]))
    assert g.level == "refer_to_childrens_social_care"
    assert "immediate risk" in g.reasons[0]
    assert next(q.text for q in QUESTIONS if q.code == code) in g.reasons[0]
    assert any("999" in s for s in g.next_steps)


def test_yes_answers_in_three_areas_is_refer_naming_each():
    g = guidance(screening(yes=["food_hungry", "unwatched", "missing_school"]))
    assert g.level == "refer_to_childrens_social_care"
    assert "3 of the four areas" in g.reasons[0]
    for word in ("physical care", "safety and supervision", "development and esteem", "hungry", "no adult", "absent"):
        assert word in g.reasons[0]


def test_a_parental_factor_with_two_areas_is_refer():
    g = guidance(screening(yes=["parent_alcohol", "food_hungry", "little_warmth"]))
    assert g.level == "refer_to_childrens_social_care"
    assert "drinking" in g.reasons[0] and "2 areas" in g.reasons[0] and "hungry" in g.reasons[0]
    g = guidance(screening(yes=["parent_alcohol", "food_hungry", "little_warmth", "behind"]))
    assert len(g.reasons) == 2 and "3 areas (the areas above)" in g.reasons[1]


@pytest.mark.parametrize("codes", [["food_hungry"], ["food_hungry", "hazards"], ["domestic_abuse"],
                                   ["parent_drugs", "behind"]])
def test_any_other_yes_is_talk_to_the_safeguarding_lead(codes):
    g = guidance(screening(yes=codes))
    assert g.level == "talk_to_safeguarding_lead"
    assert "safeguarding lead" in g.headline
    for code in codes:
        text = next(q.text for q in QUESTIONS if q.code == code)
        assert any(text in r for r in g.reasons), code


def test_each_parental_factor_is_its_own_reason():
    g = guidance(screening(yes=["parent_alcohol", "parent_mental_health"]))
    assert g.level == "talk_to_safeguarding_lead"
    assert len(g.reasons) == 2
    assert "drinking" in g.reasons[0] and "mental ill health" in g.reasons[1]


def test_three_not_known_answers_is_talk_you_do_not_know_enough():
    g = guidance(screening(not_known=["food_hungry", "behind", "hazards"]))
    assert g.level == "talk_to_safeguarding_lead"
    assert g.reasons[0].startswith("You do not know enough")
    assert "you answered 'not known' to 3 questions" in g.reasons[0]
    assert any("'not known' questions" in s for s in g.next_steps)


def test_one_not_known_is_not_no_concern():
    g = guidance(screening(not_known=["behind"]))
    assert g.level == "talk_to_safeguarding_lead"
    assert g.reasons[0].startswith("You cannot yet say there is no concern") and "behind for their age" in g.reasons[0]


def test_refer_still_shows_the_other_answers_and_no_score():
    g = guidance(screening(yes=["left_alone", "food_hungry"], not_known=["behind"]))
    assert g.level == "refer_to_childrens_social_care"
    assert len(g.reasons) == 3
    assert "hungry" in g.reasons[1] and "not known" in g.reasons[2]
    assert isinstance(g, Guidance) and g.level in LEVELS
    assert not any(ch.isdigit() for ch in g.headline)


def test_answers_are_read_in_any_case():
    s = screening(answers={q.code: a for q, a in zip(QUESTIONS, ["Yes", " NO ", "Not known", "don't know"] * 4,
                                                       strict=True)})
    assert set(s.answers.values()) == {"yes", "no", "not known"}


@pytest.mark.parametrize(("change", "message"), [
    ({"child": ["ruby", "jack"]}, "one screening per child"),
    ({"child": " "}, "no child named"),
    ({"screened_on": date(2026, 12, 1)}, "the screening date 1 Dec 2026 is in the future"),
    ({"screened_by": " "}, "say who did the screening"),
    ({"agency": "professional"}, "agency 'professional' is too vague"),
    ({"agency": "the moon"}, "agency 'the moon' is not known"),
    ({"day_in_words": "  "}, "write the child's day in your own words"),
    ({"extra": 1}, "Extra inputs are not permitted"),
    ({"day_in_words": "x" * 2001}, "at most 2000 characters"),
])
def test_bad_screenings_are_refused_with_the_reason(change, message):
    with pytest.raises(ValidationError, match=message):
        screening(**change)


def test_one_child_in_a_list_and_agency_synonyms_are_read():
    s = screening(child=["ruby"], agency="Health visitor")
    assert (s.child, s.agency) == ("ruby", "health_visiting")


def test_missing_unknown_and_bad_answers_are_refused_naming_the_question():
    answers = dict(screening().answers)
    del answers["hazards"]
    with pytest.raises(ValidationError, match=r"not answered: 'Have you seen medicines"):
        screening(answers=answers)
    with pytest.raises(ValidationError, match="'sleep_late' is not a question of the screening"):
        screening(answers={**screening().answers, "sleep_late": "no"})
    with pytest.raises(ValidationError, match=r"to 'Does the child seem behind.*' is 'maybe': answer 'yes', 'no'"):
        screening(answers={**screening().answers, "behind": "maybe"})
    with pytest.raises(ValidationError, match=r"to 'Does the child seem behind.*' is blank: .* never read as 'no'"):
        screening(answers={**screening().answers, "behind": ""})
    with pytest.raises(ValidationError, match=r"the answer to 'Does the child seem behind for their age.*' is True"):
        screening(answers={**screening().answers, "behind": True})


def test_refer_becomes_a_referral_entry_that_validates():
    s = screening(yes=["left_alone", "parent_drugs"], child_said="Mum was asleep and I made my own tea.")
    g = guidance(s)
    body = as_chronology_entry(s, g, date(2015, 9, 2))
    entry = ChronologyEntry.model_validate(body)
    assert entry.children == ["ruby"]
    assert entry.category == "referral"
    assert entry.event_date.precision == "day" and entry.event_date.earliest == date(2026, 11, 20)
    assert entry.agency == "school"
    assert entry.impact == "negative" and entry.significance == "high"
    assert entry.child_words == "Mum was asleep and I made my own tea."
    assert g.headline in entry.description and g.reasons[0] in entry.description
    assert "without breakfast" in entry.impact_note
    assert entry.pre_birth == []


@pytest.mark.parametrize(("yes", "not_known", "category", "impact", "significance"), [
    (["hazards"], [], "other", "negative", "medium"),
    ([], ["hazards", "behind", "put_down"], "other", "unknown", "medium"),
    ([], [], "other", "unknown", "low"),
])
def test_other_levels_make_entries_that_validate(yes, not_known, category, impact, significance):
    s = screening(yes=yes, not_known=not_known)
    entry = ChronologyEntry.model_validate(as_chronology_entry(s, guidance(s), None))
    assert (entry.category, entry.impact, entry.significance) == (category, impact, significance)
    assert guidance(s).headline in entry.description


def test_a_long_entry_is_kept_within_2000_characters_and_before_birth_is_marked():
    s = screening(yes=[q.code for q in QUESTIONS], day_in_words="x " * 990)
    entry = ChronologyEntry.model_validate(as_chronology_entry(s, guidance(s), date(2027, 1, 5)))
    assert len(entry.description) <= 2000 and entry.description.endswith("…")
    assert len(entry.impact_note) <= 2000
    assert entry.pre_birth == ["ruby"]


# --- a child children's social care already holds: tell the allocated worker, never "refer" ---

ON_PLAN = CurrentPlan("child protection plan (neglect)", date(2022, 12, 14), "Jo Kemp (fictional)",
                      "the supervision of 24 May 2023")


def test_a_child_on_a_plan_is_never_to_be_referred_the_named_worker_is_told_today():
    advice = guidance(screening(yes=["food_none"]), ON_PLAN)
    assert advice.level == "tell_allocated_social_worker"
    assert advice.headline.startswith("Tell Jo Kemp (fictional), the child's social worker, today: this child is on "
                                      "a child protection plan (neglect) since 14 Dec 2022")
    said = " ".join([advice.headline, *advice.reasons, *advice.next_steps]).lower()
    assert "refer this child" not in said and "you have referred" not in said
    assert advice.next_steps[0].startswith("Contact Jo Kemp (fictional) today")
    assert "named at the supervision of 24 May 2023" in advice.next_steps[0]
    assert "already known to children's social care: a child protection plan (neglect) since 14 Dec 2022" in \
        advice.reasons[-1]
    entry = as_chronology_entry(screening(yes=["food_none"]), advice)
    assert entry["category"] != "referral" and entry["significance"] == "high"


def test_with_no_worker_named_the_guidance_says_to_ask_for_the_allocated_one():
    advice = guidance(screening(yes=["food_none"]), CurrentPlan("child in need plan", date(2025, 1, 6)))
    assert advice.headline.startswith("Tell the child's allocated social worker today")
    assert advice.next_steps[0].startswith("Contact children's social care and ask for the child's allocated social "
                                           "worker today")


def test_at_the_other_levels_a_child_on_a_plan_is_shared_with_the_worker():
    talk = guidance(screening(yes=["hazards"]), ON_PLAN)
    assert talk.level == "talk_to_safeguarding_lead"
    assert any(s.startswith("This child is on a child protection plan (neglect) since 14 Dec 2022: share this "
                            "screening with Jo Kemp (fictional), the child's social worker") for s in talk.next_steps)
    calm = guidance(screening(), ON_PLAN)
    assert calm.level == "no_concern_now"
    assert any("share this screening with Jo Kemp (fictional)" in s for s in calm.next_steps)


def test_unanswered_questions_are_named_by_their_wording_never_a_code():
    answers = {q.code: "no" for q in QUESTIONS[2:]}
    with pytest.raises(ValidationError) as caught:
        Screening.model_validate({"child": "ruby", "screened_on": date(2026, 11, 20), "screened_by": "Ms Teacher",
                                  "agency": "school", "answers": answers, "day_in_words": "At school all day."},
                                 context={"today": TODAY})
    message = str(caught.value)
    assert QUESTIONS[0].text in message and QUESTIONS[1].text in message
    assert QUESTIONS[0].code not in message and QUESTIONS[1].code not in message
    with pytest.raises(ValueError) as blank:  # noqa: PT011 (the message is checked below)
        parse_answer("", "food_none")
    assert "food_none" not in str(blank.value) and QUESTIONS[1].text in str(blank.value)


def test_the_plan_the_child_was_on_that_day_is_found():
    plans = [{"child_id": "ruby", "type": "child_in_need", "category": "", "start": date(2020, 1, 6),
              "end": date(2021, 3, 1)},
             {"child_id": "ruby", "type": "child_protection", "category": "neglect", "start": date(2021, 3, 1),
              "end": None},
             {"child_id": "ruby", "type": "early_help", "category": "", "start": date(2019, 1, 1), "end": None},
             {"child_id": "sam", "type": "child_protection", "category": "", "start": date(2018, 1, 1), "end": None}]
    assert plan_on(plans, "ruby", date(2019, 6, 1)) is None  # early help is not children's social care's plan
    assert plan_on(plans, "ruby", date(2020, 6, 1)).plan == "child in need plan"
    on_cp = plan_on(plans, "ruby", date(2021, 3, 1), "Jo Kemp", "the supervision of 2 Mar 2021")
    assert (on_cp.plan, on_cp.since, on_cp.worker) == ("child protection plan (neglect)", date(2021, 3, 1), "Jo Kemp")


def test_a_case_folders_screening_of_a_child_on_a_plan_is_not_a_referral_in_the_chronology(store):
    from pathlib import Path

    from neglect_kit.casefolders.case_folder import load_case_folder
    from neglect_kit.chronology.records import stored_entries

    load_case_folder(store, Path(__file__).resolve().parent.parent / "sample_cases" / "fenwick", valid_only=True)
    screened = [e.entry for e in stored_entries(store, "fenwick")
                if e.entry.description.startswith("Neglect screening")]
    assert screened and all("Refer this child" not in e.description for e in screened)
    assert any("already known to children's social care: a child in need plan" in e.description for e in screened)

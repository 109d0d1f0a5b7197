"""The built-in vocabularies: the categories and agencies a partnership's returns use."""

from datetime import date

import pytest

from neglect_kit.analysis.case_data import load_case
from neglect_kit.analysis.patterns import INDICATORS, indicator_findings
from neglect_kit.chronology.categorise import infer_category
from neglect_kit.chronology.dates import PRECISIONS, parse_event_date
from neglect_kit.chronology.model import ENTRY_KIND
from neglect_kit.config import Settings
from neglect_kit.store import NewRecord
from neglect_kit.term_reader.reading import TermMatcher
from neglect_kit.terms import CATEGORY_FALSE_FRIENDS, CATEGORY_WORDS
from neglect_kit.vocab import AGENCIES, CATEGORIES, DATE_PRECISIONS

TODAY = date(2026, 11, 26)


def test_date_precisions_are_one_list():
    assert DATE_PRECISIONS == PRECISIONS
    assert "term" in PRECISIONS


@pytest.mark.parametrize(("written", "code"), [
    ("Home visit", "home_visit"), ("HV visit", "home_visit"), ("Unannounced visit", "home_visit"),
    ("No access", "no_access"), ("No reply", "no_access"), ("NA visit", "no_access"),
    ("Hunger", "hunger_food"), ("Food", "hunger_food"),
    ("Physical care", "physical_care"), ("Hygiene", "physical_care"), ("Head lice", "physical_care"),
    ("Growth", "growth_weight"), ("Weight", "growth_weight"), ("Faltering growth", "growth_weight"),
    ("Dental", "dental"), ("Dentist", "dental"), ("Decay", "dental"),
    ("Untreated", "medical_need"), ("Medical need", "medical_need"),
    ("Operation Encompass", "domestic_abuse"), ("Health", "health"), ("Development", "health"),
])
def test_categories_agencies_write(written, code):
    assert CATEGORIES.resolve(written) == code


def test_the_new_categories_have_their_labels():
    labels = CATEGORIES.labels()
    assert labels["home_visit"] == "Home visit" and labels["no_access"] == "No access visit"
    assert labels["hunger_food"] == "Hunger and food" and labels["physical_care"] == "Physical care and hygiene"
    assert labels["growth_weight"] == "Growth and weight" and labels["dental"] == "Dental care"
    assert labels["medical_need"] == "Medical need left untreated"


@pytest.mark.parametrize(("written", "code"), [
    # the typical agencies of DOMAIN.md 3, as agencies write them
    ("Children's social care", "childrens_social_care"), ("Health visitor", "health_visiting"),
    ("GP", "gp"), ("Midwife", "midwifery"), ("A&E", "hospital_ed"),
    ("Community paediatrics", "community_paediatrics"), ("Paediatrician", "community_paediatrics"),
    ("School nurse", "school_nursing"), ("School health service", "school_nursing"),
    ("0-19 school health", "school_nursing"), ("CAMHS", "camhs"),
    ("Child and adolescent mental health services", "camhs"), ("CMHT", "adult_mental_health"),
    ("Police", "police"), ("Probation", "probation"), ("Early years", "early_years"),
    ("Children's centre", "early_years"), ("Nursery", "nursery"), ("School", "school"),
    ("Education safeguarding", "school"), ("Housing", "housing"), ("Substance misuse team", "substance_use"),
    ("IDVA", "domestic_abuse_service"), ("Other agency", "other"), ("YOT", "youth_justice"),
    ("Ambulance", "ambulance"), ("Dentist", "dental_service"), ("NSPCC", "voluntary_sector"),
])
def test_agencies_every_partnership_has(written, code):
    assert AGENCIES.resolve(written) == code


def test_a_designated_safeguarding_lead_is_a_person_not_an_agency():
    # a DSL works in schools, nurseries and colleges alike: which agency is not known from the title
    assert AGENCIES.resolve("DSL") is None


def test_no_word_names_two_codes():
    for vocabulary in (AGENCIES, CATEGORIES):
        seen: dict[str, str] = {}
        for term in vocabulary.terms:
            for word in (term.code, term.label, *term.synonyms):
                assert seen.setdefault(word.lower(), term.code) == term.code, word


def _entry(on: str, category: str, agency: str = "school") -> NewRecord:
    return NewRecord({"children": ["ruby"], "event_date": parse_event_date(on, TODAY).model_dump(mode="json"),
                      "agency": agency, "category": category, "description": "Recorded."})


@pytest.mark.parametrize(("code", "days", "words"), [
    ("hunger_food", ("2024-01-10", "2024-05-02"), "Ruby was recorded as hungry or without food 2 times"),
    ("physical_care", ("2024-01-10", "2024-03-01", "2024-09-30"),
     "Ruby had concerns about physical care or hygiene recorded 3 times"),
    ("growth_weight", ("2024-01-10", "2024-07-01"), "Ruby had concerns about growth or weight recorded 2 times"),
    ("no_access", ("2024-01-10", "2024-01-24", "2024-02-07"),
     "Ruby had visits where the worker could not get in or see anyone (no access) 3 times"),
])
def test_the_new_indicators_find_a_pattern_at_their_default_threshold(store, case, code, days, words):
    assert code in INDICATORS
    store.create_many(ENTRY_KIND, case, [_entry(d, code) for d in days])
    data = load_case(store, case, today=TODAY)
    [pattern] = indicator_findings(data.frame, "ruby", "Ruby", Settings())
    assert pattern.code == code and pattern.message.startswith(words)
    fewer = {**Settings().indicator_thresholds, code: len(days) + 1}
    assert indicator_findings(data.frame, "ruby", "Ruby", Settings(indicator_thresholds=fewer)) == []


def test_every_false_friend_holds_words_a_category_would_otherwise_read():
    bare = TermMatcher(CATEGORY_WORDS)
    assert [p for p in CATEGORY_FALSE_FRIENDS if not bare.mentions(p)] == []  # each one guards a real word


@pytest.mark.parametrize("word", ["raised", "starting", "infested", "injected", "gabbled", "hobbled", "aware",
                                  "never", "fewer", "smelling", "rush", "ruin", "awkward", "reward"])
def test_an_everyday_word_is_not_a_misspelt_category_word(word):
    assert infer_category(f"Mum {word} the matter.", CATEGORIES) == "other"


def test_a_home_visit_whose_words_say_nobody_answered_counts_as_no_access(store, case):
    """An agency's generic "Visit" type is read as a home visit; its words decide whether it was one with no access."""
    words = {"2024-01-10": "Unannounced visit. No answer at the door; curtains drawn.",
             "2024-01-24": "Planned visit, nobody home. Card left.",
             "2024-02-07": "Home visit: no reply, phone switched off.",
             "2024-02-21": "Home visit. Ruby seen in her bedroom with her brother."}
    store.create_many(ENTRY_KIND, case, [
        NewRecord({**_entry(d, "home_visit").body, "description": text}) for d, text in words.items()])
    data = load_case(store, case, today=TODAY)
    [pattern] = indicator_findings(data.frame, "ruby", "Ruby", Settings())
    assert pattern.code == "no_access" and pattern.counts["entries"] == 3
    seen_visit = data.frame.loc[data.frame["description"].str.contains("seen in her bedroom"), "record_id"].item()
    assert seen_visit not in pattern.entry_ids

"""Linking the same incident reported by two agencies."""

from datetime import date

import pytest

from neglect_kit.chronology.dates import parse_event_date
from neglect_kit.chronology.merge import find_duplicates, similarity, words, written_days
from neglect_kit.chronology.model import ChronologyEntry
from neglect_kit.chronology.records import stored_entries
from neglect_kit.config import Settings


def entry(agency, day, text, children=("ruby",), category="domestic_abuse"):
    return ChronologyEntry(children=list(children), event_date=parse_event_date(day, today=date(2026, 1, 1)),
                           agency=agency, category=category, description=text)


TEXT = "Police called to a loud argument at the home; father had been drinking."


def test_close_dates_same_category_child_and_words_are_linked_to_the_first_report():
    links = find_duplicates([("s1", entry("school", "2019-04-04", "Ruby said police came; father had been "
                                                                  "drinking and there was a loud argument."))],
                            [("p1", entry("police", "2019-04-03", TEXT))], Settings())
    assert [(link.record_id, link.duplicate_of) for link in links] == [("s1", "p1")]
    assert "same incident as the police entry of 3 Apr 2019" in links[0].reason


def test_no_link_across_children_categories_agencies_or_weeks():
    existing = [("p1", entry("police", "2019-04-03", TEXT))]
    for new in (entry("school", "2019-04-03", TEXT, children=("jack",)),
                entry("school", "2019-04-03", TEXT, category="home_conditions"),
                entry("police", "2019-04-03", TEXT),
                entry("school", "2019-04-20", TEXT),
                entry("school", "2019-04-03", "Ruby won a prize for her reading.")):
        assert find_duplicates([("n", new)], existing, Settings()) == []


def test_a_third_report_links_to_the_original_not_the_copy():
    new = [("s1", entry("school", "2019-04-04", TEXT)), ("h1", entry("health_visiting", "2019-04-05", TEXT))]
    links = find_duplicates(new, [("p1", entry("police", "2019-04-03", TEXT))], Settings())
    assert {link.record_id: link.duplicate_of for link in links} == {"s1": "p1", "h1": "p1"}


def test_uncertain_dates_overlapping_the_window_can_match():
    links = find_duplicates([("s1", entry("school", "April 2019", TEXT))],
                            [("p1", entry("police", "2019-04-03", TEXT))], Settings())
    assert len(links) == 1


def test_word_similarity_folds_inflections():
    assert words("Drinking, drinks!") == frozenset({"drink"})
    assert similarity(words("father drinking"), words("father drinks")) == 1.0
    assert similarity(frozenset(), words("x")) == 0.0


def test_a_wide_uncertain_date_still_meets_a_dated_report_of_the_same_incident():
    links = find_duplicates([("s1", entry("school", "2018-06-01", TEXT))],
                            [("p1", entry("police", "c. 2017", TEXT))], Settings())
    assert [(link.record_id, link.duplicate_of) for link in links] == [("s1", "p1")]


POLICE = "Domestic incident. Craig had been drinking and threw a mug. Children asleep upstairs."
SCHOOL = ("Police notification (Operation Encompass): domestic incident at home on Saturday night, "
          "Maisie woke and was crying.")


def test_a_school_retelling_a_police_incident_in_other_words_under_another_category_is_linked():
    # Saturday 3 Nov 2018, told to the school on the Monday
    police = entry("police", "2018-11-03", POLICE, children=("maisie",), category="police_callout")
    school = entry("school", "2018-11-05", SCHOOL, children=("maisie",), category="domestic_abuse")
    assert similarity(words(POLICE), words(SCHOOL)) < Settings().duplicate_similarity  # the old rule missed it
    [link] = find_duplicates([("s1", school)], [("p1", police)], Settings())
    assert (link.record_id, link.duplicate_of) == ("s1", "p1")
    assert link.reason.startswith("same incident as the police entry of 3 Nov 2018: both speak of domestic")
    assert "the school entry names the police as its source ('operation encompass')" in link.reason
    assert "'on saturday' in the school entry points to Sat 03 Nov 2018" in link.reason


def test_the_retelling_is_found_whichever_return_is_imported_first():
    police = entry("police", "2018-11-03", POLICE, children=("maisie",), category="police_callout")
    school = entry("school", "2018-11-05", SCHOOL, children=("maisie",), category="domestic_abuse")
    [link] = find_duplicates([("p1", police)], [("s1", school)], Settings())
    assert (link.record_id, link.duplicate_of) == ("p1", "s1")  # the later import points at the one held


def test_a_category_read_from_the_words_does_not_keep_a_retelling_apart():
    police = entry("police", "2018-11-03", POLICE, children=("maisie",), category="police_callout")
    school = entry("school", "2018-11-05", SCHOOL, children=("maisie",), category="child_voice")
    assert find_duplicates([("s1", school)], [("p1", police)], Settings()) == []  # unrelated stated categories
    inferred = school.model_copy(update={"inferred": ["category"]})
    assert len(find_duplicates([("s1", inferred)], [("p1", police)], Settings())) == 1


def test_synonyms_are_folded_before_words_are_compared():
    assert words("Mum and dad rowing; dad drunk; officers") == words("mother father argument drinking police")


def test_separate_incidents_are_not_linked():
    first = entry("police", "2018-11-03", POLICE, children=("maisie",), category="police_callout")
    again = entry("police", "2018-11-10", "Domestic incident: Craig drinking, shouting at Donna. Officers attended.",
                  children=("maisie",), category="police_callout")
    assert find_duplicates([("p2", again)], [("p1", first)], Settings()) == []  # one agency, a week apart
    missed = entry("health_visiting", "2019-03-06", "Maisie was not brought to her dental appointment.",
                   children=("maisie",), category="was_not_brought")
    absent = entry("school", "2019-03-06", "Maisie absent from school today; mum rang to say she was unwell.",
                   children=("maisie",), category="attendance")
    assert find_duplicates([("s1", absent)], [("h1", missed)], Settings()) == []
    hers = entry("hospital_ed", "2019-05-02", "Maisie seen at ED with a bruise to her arm after a fall at the park.",
                 children=("maisie",), category="injury")
    his = entry("gp", "2019-05-03", "Theo brought in with a bruise to his arm after a fall at the park yesterday.",
                children=("theo",), category="injury")
    assert find_duplicates([("g1", his)], [("e1", hers)], Settings()) == []


def test_a_day_in_the_text_and_one_shared_detail_are_not_enough_without_a_source():
    police = entry("police", "2018-11-01", POLICE, children=("maisie",), category="police_callout")
    school = entry("school", "2018-11-02", "Maisie said her mum and dad were shouting last night; she was tired.",
                   children=("maisie",), category="domestic_abuse")
    assert find_duplicates([("s1", school)], [("p1", police)], Settings()) == []


def test_a_pair_a_person_said_differ_is_never_linked_again():
    police = entry("police", "2019-04-03", TEXT)
    school = entry("school", "2019-04-04", TEXT).model_copy(update={"not_duplicate_of": ["p1"]})
    assert find_duplicates([("s1", school)], [("p1", police)], Settings()) == []
    held = police.model_copy(update={"not_duplicate_of": ["s1"]})
    assert find_duplicates([("s1", entry("school", "2019-04-04", TEXT))], [("p1", held)], Settings()) == []


def test_written_days_point_back_from_the_day_of_writing():
    monday = date(2018, 11, 5)
    assert written_days("incident on Saturday night; seen yesterday", monday) == [
        ("on saturday", date(2018, 11, 3)), ("yesterday", date(2018, 11, 4))]
    assert written_days("last Monday", monday) == [("last monday", date(2018, 10, 29))]


@pytest.mark.parametrize("case_id", ["fenwick", "dunmore"])
def test_on_the_sample_cases_only_the_one_incident_told_twice_is_linked(demo, case_id):
    held = stored_entries(demo, case_id)
    unlinked = [(s.record_id, s.entry.model_copy(update={"duplicate_of": None})) for s in held]
    by_id = {s.record_id: s.entry for s in held}
    found = {(by_id[link.duplicate_of].agency, by_id[link.duplicate_of].event_date.display(),
              by_id[link.record_id].agency, by_id[link.record_id].event_date.display())
             for link in find_duplicates(unlinked, [], Settings())}
    # Fenwick: the school's "Police notification" of the Saturday night incident the police logged
    assert found == ({("school", "3 Nov 2018", "police", "4 Nov 2018")} if case_id == "fenwick" else set())


def test_a_mother_telling_the_health_visitor_of_the_weekend_incident_is_linked_without_naming_a_source():
    police = entry("police", "2021-06-05", "Neighbour called 999: man shouting. Kyle Brent pushed Jade into the "
                   "wardrobe; bruise to her cheek. Kyle arrested.", category="domestic_abuse")
    hv = entry("health_visiting", "2021-06-07", "Jade said on Saturday Kyle got angry and pushed her; "
               "her cheek is bruised. Advised on support services.", category="domestic_abuse")
    [link] = find_duplicates([("h1", hv)], [("p1", police)], Settings())
    assert link.reason == ("same incident as the police entry of 5 Jun 2021: both speak of bruised, cheek, Jade, Kyle, "
                           "pushed; 'on saturday' in the health visiting entry points to Sat 05 Jun 2021")

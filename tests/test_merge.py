"""Linking the same incident reported by two agencies."""

from datetime import date

from neglect_kit.chronology.dates import parse_event_date
from neglect_kit.chronology.merge import find_duplicates, similarity, words
from neglect_kit.chronology.model import ChronologyEntry
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

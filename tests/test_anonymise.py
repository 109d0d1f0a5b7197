"""The anonymised view: people as role labels, names and UK identifiers out of every text."""

from datetime import date

import pytest

from neglect_kit.anonymise import Anonymiser, Person, name_variants, role_labels

RUBY = Person("ruby", "child", "Ruby Ashdown-Kerr", known_as=("Rubes",), date_of_birth=date(2016, 5, 1))
JACK = Person("jack", "child", "Jack Ashdown", date_of_birth=date(2019, 8, 9))
DAWN = Person("dawn", "adult", "Dawn Ashdown", relationships={"ruby": "mother", "jack": "mother"})
LEE = Person("lee", "adult", "Lee Kerr", known_as=("Lee-Lee",), relationships={"ruby": "father"})
MARK = Person("mark", "adult", "Mark Pryce", relationships={"jack": "father"})
PEOPLE = [JACK, DAWN, RUBY, LEE, MARK]


def test_children_are_lettered_by_birth_and_adults_named_by_their_relationship():
    assert role_labels(PEOPLE) == {"ruby": "Child A", "jack": "Child B", "dawn": "Mother", "lee": "Father",
                                   "mark": "Father 2"}


def test_a_child_without_a_birth_date_comes_last_and_letters_go_on_past_z():
    unborn = Person("bump", "child", "Baby Ashdown")
    many = [Person(f"c{i:02}", "child", f"Kid {i}", date_of_birth=date(2000 + i, 1, 1)) for i in range(27)]
    labels = role_labels([unborn, *many])
    assert (labels["c00"], labels["c25"], labels["c26"], labels["bump"]) == ("Child A", "Child Z", "Child AA",
                                                                             "Child AB")
    assert role_labels([Person("x", "adult", "Pat Doe")]) == {"x": "Adult"}


def test_every_way_a_record_names_someone_is_known():
    assert name_variants(RUBY) == {"Ruby Ashdown-Kerr", "Ruby", "Ashdown-Kerr", "Ashdown", "Kerr",
                                   "Ashdown-Kerrs", "Ashdowns", "Kerrs", "Rubes"}


def test_names_are_replaced_everywhere_in_any_case_with_the_possessive_kept():
    anon = Anonymiser(PEOPLE)
    assert anon.text("RUBES said Lee-Lee hit her; ruby's coat was wet. Mark Pryce and Dawn came.") == (
        "Child A said Father hit her; Child A's coat was wet. Father 2 and Mother came.")


def test_a_name_inside_another_word_is_left_alone():
    assert Anonymiser(PEOPLE).text("Jackets and Markers from Rubytown") == "Jackets and Markers from Rubytown"


def test_a_name_two_people_share_says_no_one():
    # Ashdown is Dawn's, Jack's and Ruby's: replaced, but by no one's label
    assert Anonymiser(PEOPLE).text("The Ashdown family; Kerr visited") == "The [name] family; [name] visited"


@pytest.mark.parametrize(("text", "anonymised"), [
    ("NHS no 943 476 5919 on file", "NHS no [NHS number] on file"),
    ("NI AB 12 34 56 C given", "NI [NI number] given"),
    ("call 07700 900123 after six", "call [phone] after six"),
    ("moved to NE1 4XX last week", "moved to [postcode] last week"),
    ("mum.a@example.invalid wrote", "[email] wrote"),
    ("lives at 12 Acacia Road now", "lives at [address] now"),
])
def test_uk_identifiers_are_tagged(text, anonymised):
    assert Anonymiser([]).text(text) == anonymised


def test_extra_terms_become_typed_placeholders_but_never_override_a_persons_label():
    anon = Anonymiser(PEOPLE, extra_terms=["Oak Tree School", " ", "Ruby", "Eastmere Borough Council (fictional)"])
    assert anon.text("Ruby is at Oak Tree School in Eastmere") == "Child A is at [school] in [town]"


def test_blank_text_and_unknown_ids_pass_through():
    anon = Anonymiser(PEOPLE)
    assert anon.text("") == ""
    assert anon.label("nobody") == "nobody"
    assert anon.label("dawn") == "Mother"

import re
from itertools import accumulate

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neglect_kit.term_reader.patterns import alternation
from neglect_kit.term_reader.reading import Mention, TermMatcher
from neglect_kit.term_reader.words import _WORD_SPLIT, _split
from neglect_kit.terms import CATEGORY_WORDS, CONTACT_TERMS, RISK_TERMS

PARENTS = ["Donna Smith", "Craig"]
OTHERS = ["Nan Pauline", "cousin Tyler"]
MATCHER = TermMatcher(RISK_TERMS, PARENTS, OTHERS)


def readings(text: str, matcher: TermMatcher = MATCHER) -> list[tuple[str, str, str]]:
    return [(m.matched, m.polarity, m.about) for m in matcher.mentions(text)]


@pytest.mark.parametrize(("text", "matched"), [
    ("Smelt of alcohol at the door", "alcohol"),
    ("Craig had been drinking; cans on the table", "drinking"),
    ("Craig drinks 6 to 8 cans a day", "drinks"),
    ("She said she drinks a bottle of wine most nights", "wine"),
    ("Mum was drunk when she collected Theo", "drunk"),
    ("Donna appeared under the influence at contact", "under the influence"),
])
def test_present_phrasings(text, matched):
    assert matched in [m.matched for m in MATCHER.mentions(text) if m.polarity == "present"]
    assert MATCHER.factors(text) == {"parental_alcohol": "present"}


@pytest.mark.parametrize("text", [
    "No smell of alcohol and no concerns about alcohol noted today",
    "No concerns about alcohol",
    "Alcohol: none",
    "alcohol not an issue",
    "Alcohol - no concerns",
    "alcohol none",
    "Donna left without drinking anything",
    "School said there were no concerns about alcohol",
])
def test_negated_phrasings(text):
    found = MATCHER.mentions(text)
    assert found and {m.polarity for m in found} == {"negated"}
    assert MATCHER.factors(text) == {"parental_alcohol": "negated"}


@pytest.mark.parametrize("text", ["No evidence of drug use", "drugs: not an issue", "Drug test negative"])
def test_negated_drug_phrasings(text):
    assert MATCHER.factors(text) == {"parental_drugs": "negated"}


@pytest.mark.parametrize("text", [
    "Donna denies drinking",
    "She denied any alcohol use",
    "Says she doesn't drink",
    "Donna told the health visitor she doesn't drink",
    "Donna said she has stopped drinking",  # a reported stop is her claim, not evidence either way
    "Craig has given up alcohol, he says",
    "Alcohol: denied",
])
def test_denied_phrasings(text):
    assert MATCHER.factors(text) == {"parental_alcohol": "denied"}


def test_a_negation_stays_in_its_own_clause():
    assert readings("No concerns about the home, but Donna smelt of alcohol") == [("alcohol", "present", "parent")]
    assert [p for _, p, _ in readings("Donna denies drinking but smelt of alcohol")] == ["denied", "present"]
    # four words away is too far: "no" belongs to the food, not to the drinking
    assert readings("There was no food and Mum was drunk") == [("drunk", "present", "parent")]


def test_a_negation_carries_along_a_list():
    assert MATCHER.factors("No concerns re alcohol, drugs or DV") == {
        "parental_alcohol": "negated", "parental_drugs": "negated"}
    assert MATCHER.factors("Alcohol and drugs: none") == {"parental_alcohol": "negated", "parental_drugs": "negated"}


@pytest.mark.parametrize(("word", "factor", "term"), [
    ("alchohol", "parental_alcohol", "alcohol*"),
    ("alcohal", "parental_alcohol", "alcohol*"),
    ("alchol", "parental_alcohol", "alcohol*"),
    ("alchoholic", "parental_alcohol", "alcohol*"),
    ("drinkin", "parental_alcohol", "drink*"),
    ("dirnking", "parental_alcohol", "drink*"),
    ("drunkenly", "parental_alcohol", "drunk*"),
    ("intoxicted", "parental_alcohol", "intoxicat*"),
    ("ciders", "parental_alcohol", "cider"),
    ("depresion", "parental_mental_health", "depress*"),
    ("depresed", "parental_mental_health", "depress*"),
    ("cannabiss", "parental_drugs", "cannabis"),
    ("herion", "parental_drugs", "heroin"),
    ("refuges", "domestic_abuse", "refuge"),
])
def test_misspellings_and_inflections(word, factor, term):
    found = MATCHER.mentions(f"Worker noted {word} at the home visit.")
    assert [(m.factor, m.term, m.matched) for m in found] == [(factor, term, word)]
    assert found[0].start == len("Worker noted ")


@pytest.mark.parametrize("text", [
    "Theo had a drink of milk",
    "Theo was drinking water from a cup",
    "Mia drinks her juice at nursery",
    "Car dashboard was left on the Dashwood estate",
    "A cracked ceiling and cracks in the bathroom",
    "Theo threw up at nursery",
    "Later that day the three children went to the park",
    "Donna refuse to engage with a wider plan",
    "Frank drove them; the forms were needed",
    "Weeds in the garden, spice rack empty",
    "Beef stew for tea; the wind was cold",
])
def test_no_false_hits(text):
    assert MATCHER.mentions(text) == []


@pytest.mark.parametrize(("text", "about"), [
    ("Nan drinks heavily at weekends", "other"),
    ("Pauline drinks heavily at weekends", "other"),
    ("Tyler's mum was drunk", "other"),
    ("Donna's friend was drunk", "other"),
    ("Mum was drunk", "parent"),
    ("Donna's partner was drunk", "parent"),
    ("Ms Smith was drunk", "parent"),
    ("Lager cans on the table", "unclear"),
    ("Smelt of alcohol", "unclear"),
    # someone unknown's mum may be the child's own: never read as someone outside
    ("Kayden's mum was drunk", "unclear"),
    # a name counts only when written as a name
    ("craig drank", "unclear"),
])
def test_about_whom(text, about):
    assert [m.about for m in MATCHER.mentions(text)] == [about]


def test_the_clause_decides_whom_before_the_sentence():
    assert readings("Nan drinks heavily but Donna doesn't drink") == [
        ("drinks", "present", "other"), ("drink", "negated", "parent")]
    assert readings("Donna opened the door; smelt of alcohol") == [("alcohol", "present", "parent")]


def test_a_name_given_for_a_parent_and_another_counts_for_neither():
    matcher = TermMatcher(RISK_TERMS, ["Donna Smith"], ["Pauline Smith"])
    assert readings("Smith was drunk", matcher) == [("drunk", "present", "unclear")]
    assert readings("Donna was drunk", matcher) == [("drunk", "present", "parent")]


@pytest.mark.parametrize(("text", "factor", "term"), [
    ("Craig was intoxicated at handover", "parental_alcohol", "intoxicat*"),
    ("Needles found in the bathroom", "parental_drugs", "needle*"),
    ("Donna reports low mood and anxiety", "parental_mental_health", "low mood"),
    ("Donna self-harming again", "parental_mental_health", "self-harm*"),
    ("Police attended a domestic  incident; referred to MARAC", "domestic_abuse", "domestic incident*"),
])
def test_each_factor_is_found(text, factor, term):
    found = MATCHER.mentions(text)
    assert found[0].factor == factor and found[0].term == term
    assert MATCHER.factors(text)[factor] == "present"


def test_a_phrase_takes_any_spaces_or_hyphens():
    assert [m.matched for m in MATCHER.mentions("under-the\ninfluence; self harm")] == [
        "under-the\ninfluence", "self harm"]


def test_a_partnership_term_list_is_used():
    terms = {**RISK_TERMS, "parental_mental_health": (*RISK_TERMS["parental_mental_health"], "gambl*", "8 cans")}
    matcher = TermMatcher(terms, PARENTS, OTHERS)
    assert [(m.factor, m.term, m.matched) for m in matcher.mentions("Craig has been gambling; gamblling debts")] == [
        ("parental_mental_health", "gambl*", "gambling"), ("parental_mental_health", "gambl*", "gamblling")]
    assert [m.term for m in matcher.mentions("Craig drinks 8 cans")] == ["drink*", "8 cans"]
    assert MATCHER.mentions("Craig has been gambling") == []


def test_a_span_two_terms_could_match_is_counted_once():
    matcher = TermMatcher({"parental_alcohol": ("drink*", "drinking", "self-harm*", "self harm*")})
    assert [m.term for m in matcher.mentions("drinking and self harm")] == ["drinking", "self-harm*"]


@pytest.mark.parametrize(("terms", "message"), [
    ({"parental_alcohol": ("drink*", " ")}, "blank"),
    ({"parental_alcohol": ("",)}, "blank"),
    ({"parental_alcohol": ("*",)}, "blank"),
    ({"parental_alcohol": (None,)}, "non-text"),
    ({"parental_alcohol": "drink*"}, "list of words"),
    ({"parental_alcohol": ("dr*nk",)}, "only at the end"),
    ({"parental_alcohol": ("drink*",), "parental_drugs": ("drink*",)}, "both"),
    (["drink*"], "mapping"),
])
def test_bad_term_lists_are_refused_plainly(terms, message):
    with pytest.raises(ValueError, match=message):
        TermMatcher(terms)


def test_names_must_be_a_list():
    with pytest.raises(ValueError, match="list of names"):
        TermMatcher(RISK_TERMS, parents="Donna")


def test_factors_summarise_the_strongest_reading():
    text = ("Nan drinks heavily. Donna denies drug use. No concerns about mental health. "
            "No concerns re alcohol, but Craig smelt of alcohol.")
    assert MATCHER.factors(text) == {"parental_alcohol": "present", "parental_drugs": "denied",
                                     "parental_mental_health": "negated"}
    assert MATCHER.factors("Nan drinks heavily but Donna doesn't drink") == {"parental_alcohol": "other"}
    assert MATCHER.factors("Seen and well; home warm, food in the fridge.") == {}
    assert MATCHER.factors("") == {}


def test_readings_do_not_change_once_words_are_cached():
    text = "Donna alchohol, denies drinkin; Nan drunk"
    assert MATCHER.mentions(text) == MATCHER.mentions(text)
    assert all(isinstance(m, Mention) for m in MATCHER.mentions(text))


_WORDS = ["alcohol", "Alchohol", "drinks", "drink", "milk", "no", "not", "denies", "Donna", "Mum's", "Tyler's",
          "mum", "Nan", "but", ",", ";", ":", "-", "none", "self-harm", "under the", "influence", "said", "she",
          "doesn't", "İ", "ß", "\n", "DASH", "cracked", "and", "or", "8"]


@given(st.lists(st.one_of(st.text(max_size=8), st.sampled_from(_WORDS)), max_size=30).map(" ".join))
def test_mentions_never_fail_and_offsets_slice_the_words_back(text):
    found = MATCHER.mentions(text)
    ends = [0]
    for m in found:
        assert text[m.start:m.end] == m.matched and m.matched
        assert m.start >= ends[-1]  # in text order, never overlapping
        assert m.polarity in ("present", "negated", "denied") and m.about in ("parent", "other", "unclear")
        ends.append(m.end)
    assert set(MATCHER.factors(text).values()) <= {"present", "other", "negated", "denied"}


@given(st.text(alphabet=st.sampled_from("abzAZ'_-9 .\n"), max_size=40) | st.text(max_size=20))
def test_a_text_in_ascii_splits_into_the_same_words_by_the_quicker_pattern(text):
    assert _split(text) == _WORD_SPLIT.split(text)


def _every_position(matcher: TermMatcher, text: str) -> list[tuple[int, int, int]]:
    """The exact matches as the whole pattern tried at every position finds them, each passing over what it covers."""
    spans, end = [], 0
    for start in range(len(text)):
        if start >= end and (m := matcher._exact.match(text, start)) and m.lastindex:
            spans.append((m.start(), m.end(), matcher._group_term[m.lastindex - 1]))
            end = m.end()
    return spans


_EXACT = [TermMatcher(terms, slips=False) for terms in (RISK_TERMS, CONTACT_TERMS, CATEGORY_WORDS)]
# the words the terms are made of (most begin or end several terms), and a few that end or join none
_TERM_WORDS = sorted({w for terms in (RISK_TERMS, CONTACT_TERMS, CATEGORY_WORDS) for ts in terms.values()
                      for t in ts for w in t.rstrip("*").replace("-", " ").split()} | {"Was", "AT", "xyz", "wasn't"})


@given(st.lists(st.one_of(st.sampled_from(_TERM_WORDS), st.sampled_from([" ", "-", "'", "’", ", ", "\n", "s", "ing"])),
                max_size=25).map(" ".join), st.sampled_from(_EXACT))
def test_terms_are_tried_only_where_they_may_begin_and_match_as_the_whole_pattern_does(text, matcher):
    parts = _split(text)
    assert matcher._spans(text, parts, list(accumulate(map(len, parts)))) == _every_position(matcher, text)


@pytest.mark.parametrize(("text", "factors"), [
    ("Donna referred to the substance misuse team", {"parental_drugs": "service"}),
    ("Drug and alcohol service contacted for advice", {"parental_drugs": "service", "parental_alcohol": "service"}),
    ("Seen by the alcohol liaison nurse", {"parental_alcohol": "service"}),
    ("Referred to the drugs worker; Craig using heroin daily", {"parental_drugs": "present"}),
    ("Mum drinks and the worker was worried", {"parental_alcohol": "present"}),  # "worker" is not a service here
])
def test_a_services_name_is_not_a_parents_use(text, factors):
    assert MATCHER.factors(text) == factors


@pytest.mark.parametrize(("text", "factor"), [
    ("Mummy drinks the smelly juice and falls asleep", "parental_alcohol"),
    ("Daddy's special drink makes him shouty", "parental_alcohol"),
    ("Mum's wobbly again and I make the tea", "parental_alcohol"),
    ("Mum's bottle is under the sink", "parental_alcohol"),
    ("Donna has relapsed and is drinking again", "parental_alcohol"),
    ("Craig back on the drink", "parental_alcohol"),
    ("Donna sober since March", "parental_alcohol"),
    ("Craig in recovery from heroin", "parental_drugs"),
    ("Donna relapsed on cocaine last month", "parental_drugs"),
])
def test_recovery_relapse_and_what_a_child_sees_are_present(text, factor):
    assert MATCHER.factors(text) == {factor: "present"}


@pytest.mark.parametrize("text", [
    "Ruby has a wobbly tooth",
    "Ruby had a drink of juice",
    "Mum said Ruby drinks squash all day",  # Ruby drinking, not a parent
    "Donna has relapsed",  # no substance named: counted for none
    "Donna denies any relapse",
])
def test_what_does_not_count(text):
    assert "present" not in MATCHER.factors(text).values()


def test_slips_can_be_turned_off_for_everyday_words():
    assert TermMatcher({"asleep": ["napping"]}).factors("Mum tapping the table") == {"asleep": "present"}
    assert TermMatcher({"asleep": ["napping"]}, slips=False).factors("Mum tapping the table") == {}


@pytest.mark.parametrize("text", [
    "Ruby said Daddy rolls the green leaves into a cigarette and goes to sleep",
    "Theo told me mummy smokes funny cigarettes in the bathroom",
    "Ruby says Craig keeps white powder in a bag in his coat",
    "The house smells of Dad's smelly smoke, Theo said",
    "Craig's spliff was left on the arm of the sofa",
])
def test_drug_use_in_a_childs_words_is_present(text):
    assert MATCHER.factors(text) == {"parental_drugs": "present"}


@pytest.mark.parametrize("text", [
    "Ruby collected green leaves for the nature table",
    "Theo brought green stuff home from forest school",
    "White powder on Ruby's cheeks from the nursery's flour play",
    "Uncle Jay smokes funny cigarettes, Ruby said",  # someone outside the child's parents
    "Ruby's mum referred to the drugs and alcohol team",  # a service's name
])
def test_a_childs_words_for_drugs_need_a_parent_and_a_service_is_not_use(text):
    assert "present" not in MATCHER.factors(text).values()


@pytest.mark.parametrize("text", [
    "Mum has stopped taking her antidepressants and is not sleeping.",
    "Dad quit his methadone script last month.",
    "She told me she gave up her medication for depression in the spring.",
])
def test_stopping_a_treatment_is_a_need_unmet_not_a_claim_of_stopping(text):
    assert MATCHER.factors(text) in ({"parental_mental_health": "present"}, {"parental_drugs": "present"})


@pytest.mark.parametrize("text", [
    "Mum says she has stopped drinking since Christmas.",
    "Dad says he stopped using cannabis in May.",
])
def test_stopping_the_use_itself_is_still_the_adults_claim(text):
    assert set(MATCHER.factors(text).values()) == {"denied"}


@pytest.mark.parametrize("text", [
    "Mum says she feels low most days and can't face getting up.",
    'He said "Mummy stays in bed all day" and that he gets his own cereal.',
    "Dad has been feeling low since he lost his job.",
    "Mum cries all the time, the children told the teacher.",
])
def test_a_parents_low_mood_in_plain_words_is_mental_health(text):
    assert MATCHER.factors(text) == {"parental_mental_health": "present"}


@pytest.mark.parametrize("text", [
    "Jodie feels low since her best friend moved away.",
    "Kai stayed in bed all day with a temperature.",
    "The baby cries all the time in the evenings.",
])
def test_a_childs_own_low_mood_or_illness_is_not_a_parental_factor(text):
    assert MATCHER.factors(text) == {}


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_an_alternation_led_by_its_first_letters_finds_what_the_plain_one_finds(flags):
    words = ["home visit", "Home", "seen", "seen alone", "Child A", "C.P. plan", "(HV)", "no-access"]
    plain = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    text = ("HOME VISIT: seen alone by (hv) and Child A; child a, c.p. plan. Home seen. No-access, "
            "no-access visits; the home's visit; seenalone")
    for pattern in (r"\b{}\b", r"(?<!\w){}(?!\w)"):
        want = [m.span() for m in re.finditer(pattern.format(f"(?:{plain})"), text, flags)]
        assert [m.span() for m in re.finditer(pattern.format(alternation(words)), text, flags)] == want
        assert want  # the text holds matches to compare

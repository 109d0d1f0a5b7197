"""One reader of negation: the risk terms, the supervision prompts and a day's accounts read a "not" alike.

`term_reader.words.negated` is the one cue; each reader keeps its own window and any words of its own
(the prompts' "hardly" and "lack", a day's "nobody").
"""

import pytest

from neglect_kit.assessment.day import compare_accounts
from neglect_kit.supervision.prompts import _OPTIMISM, _quotes
from neglect_kit.term_reader.reading import TermMatcher
from neglect_kit.term_reader.words import NEGATION_WORDS, negated

RISKS = TermMatcher({"parental_alcohol": ["drink*"]})


def optimism(text: str) -> list[str]:
    return _quotes({"analysis": text}, _OPTIMISM)


@pytest.mark.parametrize("word", [*sorted(NEGATION_WORDS), "didn't", "hasn’t"])
def test_every_negation_of_the_risk_reader_negates_in_the_prompts_and_the_day_accounts_too(word):
    assert [m.polarity for m in RISKS.mentions(f"Dad {word} drinks")] == ["negated"]
    assert optimism(f"The parents {word} engaging.") == []
    assert "on food" in compare_accounts("She has breakfast", f"{word} breakfast")


def test_what_users_rely_on_reads_as_before():
    # the prompts: a negation within three words skips the match, further back it does not
    assert optimism("Mum has not been engaging.") == []
    assert optimism("Mum hasn’t been engaging.") == []
    assert optimism("There is a lack of commitment.") == []
    assert optimism("They are hardly engaging.") == []
    assert optimism("Mum is not sure but the parents are engaging.")  # "not" is four words back
    # a day's accounts: "didn't eat", "never hungry" and "nobody" read as the opposite
    assert "“didn't eat breakfast”" in compare_accounts("She eats breakfast", "I didn’t eat breakfast")
    assert compare_accounts("She is never hungry, she has toast", "I had toast") is None
    assert compare_accounts("We walk him to school", "nobody walks with me") is not None
    # the risk reader keeps its own words: "hardly" is the prompts' alone, a risk still present
    assert [m.polarity for m in RISKS.mentions("Dad hardly drinks")] == ["present"]


def test_the_cue_looks_only_at_the_window_it_is_given():
    words = ["not", "the", "same", "day"]
    assert negated(words[:1]) and negated(words, window=4)
    assert not negated(words, window=3)
    assert not negated(words, window=0)
    assert negated(["hardly"], also=frozenset({"hardly"})) and not negated(["hardly"])

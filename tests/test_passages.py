"""A review's text in passages (research/passages.py): sentences of paragraphs, with offsets that hold."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from neglect_kit.research.passages import Passage, passages


def cut(text):
    return [(p.id, p.text) for p in passages(text)]


def test_paragraphs_and_sentences_are_numbered_from_one():
    text = "# Review\n\nAva was seen. She was well!\n\n\n  Nobody asked why?  \n"
    assert passages(text) == [
        Passage("P1.S1", 1, 1, 0, 8, "# Review"),
        Passage("P2.S1", 2, 1, 10, 23, "Ava was seen."),
        Passage("P2.S2", 2, 2, 24, 37, "She was well!"),
        Passage("P3.S1", 3, 1, 42, 59, "Nobody asked why?"),
    ]


def test_a_heading_is_a_paragraph_of_its_own_even_without_a_blank_line():
    assert cut("Text before.\n## Findings\nText after. More text.") == [
        ("P1.S1", "Text before."), ("P2.S1", "## Findings"), ("P3.S1", "Text after."), ("P3.S2", "More text.")]


def test_abbreviations_and_initials_do_not_end_a_sentence():
    assert cut("Mr. Hale met Dr. J. Okafor at St. Anne's, e.g. on Monday. Mrs. Hale did not. See para. 4 and No. 12. "
               "She said no. Then she left.") == [
        ("P1.S1", "Mr. Hale met Dr. J. Okafor at St. Anne's, e.g. on Monday."),
        ("P1.S2", "Mrs. Hale did not."),
        ("P1.S3", "See para. 4 and No. 12."),
        ("P1.S4", "She said no."),
        ("P1.S5", "Then she left."),
    ]


def test_a_sentence_ends_before_a_capital_a_digit_or_a_quote_and_takes_its_closers():
    assert cut('He said "enough." Then left. 3 visits followed (all missed.) "Why?" she asked. it ran on.') == [
        ("P1.S1", 'He said "enough."'), ("P1.S2", "Then left."), ("P1.S3", "3 visits followed (all missed.)"),
        ("P1.S4", '"Why?" she asked. it ran on.')]


def test_a_decimal_or_a_stop_before_lower_case_does_not_end_a_sentence():
    assert cut("Weight fell to the 0.4th centile. it was not seen.") == [
        ("P1.S1", "Weight fell to the 0.4th centile. it was not seen.")]


def test_blank_text_has_no_passages():
    assert passages("") == [] and passages(" \n\n\t\n") == []


def test_ids_of_earlier_text_do_not_change_when_text_is_added_after_it():
    before = "Summary.\n\nIt drifted. Nobody escalated."
    assert passages(before + "\n\n# Learning\n\nEscalate.")[:3] == passages(before)


LETTERS = st.sampled_from(["a", "B", "7", ".", "!", "?", " ", "\n", "\n\n", "#", '"', ")", "Mr.", "J.", "\t", "é", "É"])


@settings(max_examples=400, deadline=None)
@given(st.lists(LETTERS, max_size=80).map("".join))
def test_passages_hold_their_text_in_order_without_overlap_or_gaps(text):
    found = passages(text)
    for p in found:
        assert text[p.start:p.end] == p.text and p.text == p.text.strip() and p.text
        assert p.id == f"P{p.paragraph}.S{p.sentence}"
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert len({p.id for p in found}) == len(found)
    assert [(p.paragraph, p.sentence) for p in found] == sorted((p.paragraph, p.sentence) for p in found)
    covered = {i for p in found for i in range(p.start, p.end)}
    assert all(ch.isspace() for i, ch in enumerate(text) if i not in covered)  # every word is in some passage
    assert passages(text) == found  # the same text, the same passages


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abc DEF.", min_size=1, max_size=30).filter(str.strip), min_size=1, max_size=6))
def test_paragraph_numbers_follow_the_blank_lines(paragraphs):
    text = "\n\n".join(paragraphs)
    assert {p.paragraph for p in passages(text)} == set(range(1, len(paragraphs) + 1))

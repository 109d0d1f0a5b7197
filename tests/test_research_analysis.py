"""The coded corpus read from the store (which reviews count, the final coding, the denominators) and the
analysis notebooks' object (`apps.CorpusAnalysis`): worked out by hand from the three reviews below."""

from __future__ import annotations

from pathlib import Path

import pytest
from research_corpus import write_corpus

from neglect_kit.apps import CorpusAnalysis
from neglect_kit.research import coding_records, review_records
from neglect_kit.research.coded_corpus import read_coded_corpus
from neglect_kit.research.corpus import read_corpus
from neglect_kit.research.passages import passages
from neglect_kit.store import Store
from neglect_kit.ui.panels import STRICT_ENV

# T01: 5 passages (the heading, two sentences, two sentences); T02: 2; T03: 1
TEXTS = {
    "T01": ("# Learning\n\nThe child was not seen at the last three visits. Her mother said she was asleep.\n\n"
            "Workers hoped things would improve. No one escalated the concern.\n", 2020, "died"),
    "T02": ("The family moved twice in a year. Each new worker started again.\n", 2021, "serious harm"),
    "T03": ("Nobody asked the child what her days were like.\n", 2022, "died"),
}


@pytest.fixture
def coded(tmp_path: Path) -> str:
    """T01 coded by two coders, both finished, one passage reconciled; T02 with its coder still coding; T03 with
    no coder."""
    folder = write_corpus(tmp_path / "reviews", {rid: text for rid, (text, _, _) in TEXTS.items()},
                          {rid: {"year": year, "outcome": outcome} for rid, (_, year, outcome) in TEXTS.items()})
    url = f"sqlite:///{tmp_path / 'kit.sqlite'}"
    lead = Store.open(url, user="lead", create=True)
    review_records.load_reviews(lead, read_corpus(folder))
    for rid, coder in (("T01", "coder_a"), ("T01", "coder_b"), ("T02", "coder_a")):
        review_records.assign(lead, rid, coder)
    one = {p.id: p for p in passages(TEXTS["T01"][0])}
    a, b = Store.open(url, user="coder_a"), Store.open(url, user="coder_b")
    for store, coding in ((a, {"P2.S1": ["child-unseen"], "P3.S1": ["optimism"], "P3.S2": ["escalation"]}),
                          (b, {"P2.S1": ["child-unseen"], "P3.S1": ["optimism", "drift"]})):
        for pid, codes in coding.items():
            coding_records.save_coding(store, "T01", one[pid], codes, 0)
        review_records.finish(store, "T01")
    coding_records.reconcile(lead, "T01", "P3.S2", ["escalation"], "coder_b missed the escalation that never came", 0)
    coding_records.save_coding(a, "T02", passages(TEXTS["T02"][0])[1], ["start-again"], 0)
    return url


def test_read_coded_corpus_counts_the_finished_reviews_and_their_final_coding(coded):
    corpus = read_coded_corpus(Store.open(coded, user="lead"))
    # T01 alone: P2.S1 child-unseen (both), P3.S1 optimism (both; drift b's alone), P3.S2 escalation (reconciled)
    assert list(corpus.final.itertuples(index=False, name=None)) == [
        ("T01", "P2.S1", "child-unseen", "agreed"), ("T01", "P3.S1", "optimism", "agreed"),
        ("T01", "P3.S2", "escalation", "reconciled")]
    assert list(corpus.reviews.index) == ["T01"] and corpus.passages == 5
    assert corpus.left_out == {"T02": "coder_a still coding", "T03": "no coder assigned"}
    assert corpus.summary() == ("1 review counted (5 passages); 3 passages carry at least one code in the final "
                                "coding (1 reconciled, 2 agreed). Not counted: T02 (coder_a still coding); "
                                "T03 (no coder assigned).")


def test_the_analysis_shows_each_table_as_html_and_as_text(coded):
    analysis = CorpusAnalysis.open(Store.open(coded, user="lead"))
    shown = analysis.prevalence()
    assert "The child not seen or heard" in repr(shown) and "1 of 1 (100%)" in repr(shown)
    assert repr(shown).startswith("Plot: Bar chart of the share of 1 coded review with each of")
    assert shown._repr_html_().startswith('<img class="nk-research-plot" src="data:image/png;base64,')
    by = analysis.by("outcome")
    assert "Reviews (the denominator)" in repr(by) and "<5" in repr(by)
    pairs = analysis.cooccurrence("passage")
    assert "of the 5 passages of the coded reviews" in repr(pairs) and "<5" not in repr(pairs)
    assert "T02 (coder_a still coding)" in repr(analysis.summary())


def test_a_database_that_cannot_be_read_is_said_in_words_or_raised_for_the_notebook_tests(tmp_path, monkeypatch):
    monkeypatch.setenv("NEGLECT_KIT_DB", f"sqlite:///{tmp_path / 'none.sqlite'}")
    monkeypatch.delenv(STRICT_ENV, raising=False)
    analysis = CorpusAnalysis.open()
    for shown in (analysis.summary(), analysis.prevalence(), analysis.by("period"), analysis.cooccurrence("review")):
        assert "The coded reviews could not be read" in shown.value and "no database here" in shown.value
    monkeypatch.setenv(STRICT_ENV, "1")
    with pytest.raises(Exception, match="no database here"):
        CorpusAnalysis.open()


def test_nothing_to_count_is_said_in_words(tmp_path):
    empty = CorpusAnalysis.open(Store.open(f"sqlite:///{tmp_path / 'empty.sqlite'}", create=True))
    assert repr(empty.summary()).startswith("0 reviews counted (0 passages)")
    for shown in (empty.prevalence(), empty.by("period"), empty.cooccurrence("passage")):
        assert repr(shown) == ("No review is counted yet: a review counts once every coder assigned to it has "
                               "finished it.")

"""Prevalence, co-occurrence and small-cell suppression on small coded corpora worked out by hand.

Every expected number below was counted by hand from the corpus written out above it, before the
code ran; the comments show the counting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest
from markupsafe import escape

from neglect_kit import config
from neglect_kit.research import prevalence as pv
from neglect_kit.research.prevalence_plots import cooccurrence_plot, cross_plot, prevalence_plot
from neglect_kit.research.prevalence_tables import (
    DENOMINATOR,
    cooccurrence_table,
    cross_table,
    hidden_cells,
    prevalence_table,
)


@dataclass(frozen=True)
class Row:
    """A coding or reconciliation as `research.coding_records` gives them (attributes)."""

    review_id: str
    passage_id: str
    codes: tuple[str, ...]
    version: int = 1
    coder: str = ""


A, B = "coder_a", "coder_b"
CODINGS = [
    # R1 P1.S1: a's current (v2) {child-unseen, drift}; b {child-unseen, drift, optimism} -> both: child-unseen, drift
    Row("R1", "P1.S1", ("child-unseen", "drift"), 2, A),  # newest first: the version decides, not the order
    Row("R1", "P1.S1", ("child-unseen", "optimism"), 1, A),
    Row("R1", "P1.S1", ("child-unseen", "drift", "optimism"), 1, B),
    # R1 P1.S2: only a coded it -> nothing agreed
    Row("R1", "P1.S2", ("optimism",), 1, A),
    # R1 P2.S1: a adult-focus, b escalation; reconciled v2 {adult-focus, escalation} (v1 only adult-focus)
    Row("R1", "P2.S1", ("adult-focus",), 1, A),
    Row("R1", "P2.S1", ("escalation",), 1, B),
    # R1 P2.S2: both drift, but reconciled to no code -> nothing (the reconciliation wins)
    Row("R1", "P2.S2", ("drift",), 1, A),
    Row("R1", "P2.S2", ("drift",), 1, B),
    # R2: one coder; P1.S2 cleared in v2 -> supervision on P1.S1 only
    Row("R2", "P1.S1", ("supervision",), 1, A),
    Row("R2", "P1.S2", (), 2, A),
    Row("R2", "P1.S2", ("drift",), 1, A),
    # R3: assigned to a and b, only a saved anything -> nothing agreed (single coder if not told of b)
    Row("R3", "P1.S1", ("optimism",), 1, A),
]
RECONCILIATIONS = [
    Row("R1", "P2.S1", ("adult-focus", "escalation"), 2),
    Row("R1", "P2.S1", ("adult-focus",), 1),
    Row("R1", "P2.S2", (), 1),
]
FINAL = [
    ("R1", "P1.S1", "child-unseen", "agreed"),
    ("R1", "P1.S1", "drift", "agreed"),
    ("R1", "P2.S1", "adult-focus", "reconciled"),
    ("R1", "P2.S1", "escalation", "reconciled"),
    ("R2", "P1.S1", "supervision", "single coder"),
]


def test_final_coding_reconciled_wins_agreement_where_unreconciled_single_coder_theirs():
    final = pv.final_coding(CODINGS, RECONCILIATIONS, coders={"R1": [A, B], "R2": [A], "R3": [A, B]})
    assert list(final.itertuples(index=False, name=None)) == FINAL


def test_final_coding_without_the_assigned_coders_takes_those_who_saved():
    final = pv.final_coding(CODINGS, RECONCILIATIONS)
    assert list(final.itertuples(index=False, name=None)) == [*FINAL, ("R3", "P1.S1", "optimism", "single coder")]


def test_final_coding_reads_a_dataframe_and_a_reconciled_passage_no_coder_touched():
    frame = pd.DataFrame([vars(r) for r in CODINGS])
    extra = [*RECONCILIATIONS, Row("R2", "P9.S1", ("drift",), 1)]
    final = pv.final_coding(frame, extra, coders={"R3": [A, B]})
    assert ("R2", "P9.S1", "drift", "reconciled") in set(final.itertuples(index=False, name=None))
    assert len(final) == len(FINAL) + 1


# A coded corpus of six reviews (the final coding given directly)
METAS = {
    "R1": {"year_published": 2016, "age_band": "under 1", "outcome": "died", "status_at_time": "child protection plan",
           "review_type": "serious case review"},
    "R2": {"year_published": 2018, "age_band": "1-5", "outcome": "serious harm", "status_at_time": "child in need",
           "review_type": "serious case review"},
    "R3": {"year_published": 2021, "age_band": "under 1", "outcome": "died", "status_at_time": "closed",
           "review_type": "local child safeguarding practice review"},
    "R4": {"year_published": 2022, "age_band": "1-5", "outcome": "died", "status_at_time": "never known",
           "review_type": "rapid review"},
    "R5": {"year_published": 2023, "age_band": "6-10", "outcome": "serious harm",
           "status_at_time": "child protection plan", "review_type": "local child safeguarding practice review"},
    "R6": {"year_published": 2019, "age_band": "under 1", "outcome": "died", "status_at_time": "early help",
           "review_type": "serious case review"},  # coded, no code applied: still in every denominator
}
NAMES = {"child-unseen": "The child not seen or heard", "optimism": "Professional optimism",
         "drift": "Drift and delay", "supervision": "Supervision"}
CU, OP, DR, SU = NAMES.values()
CORPUS = pd.DataFrame([
    ("R1", "P1.S1", "child-unseen"), ("R1", "P1.S1", "optimism"), ("R1", "P1.S2", "child-unseen"),
    ("R1", "P2.S1", "drift"),
    ("R2", "P1.S1", "child-unseen"), ("R2", "P1.S1", "optimism"),
    ("R3", "P1.S1", "optimism"), ("R3", "P3.S1", "optimism"), ("R3", "P3.S1", "drift"),
    ("R4", "P1.S1", "child-unseen"),
    ("R5", "P2.S2", "child-unseen"), ("R5", "P2.S2", "optimism"), ("R5", "P2.S2", "drift"),
], columns=["review_id", "passage_id", "code"]).assign(basis="agreed")


@pytest.fixture
def reviews() -> pd.DataFrame:
    return pv.review_table(METAS)


def test_review_table_bands_years_and_orders_the_vocabularies(reviews):
    assert list(reviews.index) == ["R1", "R2", "R3", "R4", "R5", "R6"]
    assert list(reviews["period"].astype(str)) == ["2015-2019", "2015-2019", "2020-2024", "2020-2024", "2020-2024",
                                                   "2015-2019"]
    assert list(reviews["age_band"].cat.categories[:3]) == ["under 1", "1-5", "6-10"]
    assert pv.review_table({"R9": {"year_published": 2010}}, period_years=10)["period"].iat[0] == "2010-2019"
    assert pv.review_table({"R9": {}})["age_band"].iat[0] == "not stated"


def test_prevalence_counts_reviews_and_passages_over_every_review(reviews):
    prev = pv.prevalence(CORPUS, reviews, NAMES)
    # child unseen: R1 R2 R4 R5 (4 reviews); passages R1 P1.S1, R1 P1.S2, R2 P1.S1, R4 P1.S1, R5 P2.S2 (5)
    # optimism: R1 R2 R3 R5 (4); passages R1 P1.S1, R2 P1.S1, R3 P1.S1, R3 P3.S1, R5 P2.S2 (5)
    # drift: R1 R3 R5 (3); passages R1 P2.S1, R3 P3.S1, R5 P2.S2 (3); supervision never; denominator 6 (R6 too)
    assert list(prev.index) == [CU, OP, DR, SU]
    assert prev["Reviews with the code"].tolist() == [4, 4, 3, 0]
    assert prev["Passages"].tolist() == [5, 5, 3, 0]
    assert prev["Reviews"].tolist() == [6, 6, 6, 6]
    assert prev["Share of reviews"].tolist() == pytest.approx([4 / 6, 4 / 6, 3 / 6, 0])
    shown = prevalence_table(prev)
    assert shown.shown.loc[CU, "Reviews with the code"] == "4 of 6 (67%)"
    assert shown.shown.loc[DR, "Reviews with the code"] == "3 of 6 (50%)"
    assert "6 coded reviews" in shown.caption


def test_prevalence_leaves_out_reviews_not_counted_and_names_a_code_gone_from_the_codebook(reviews):
    extra = pd.concat([CORPUS, pd.DataFrame([("R9", "P1.S1", "drift", "agreed"), ("R4", "P2.S1", "old-code", "agreed")],
                                            columns=pv.FINAL_COLUMNS)])
    prev = pv.prevalence(extra, reviews, NAMES)
    assert prev.loc[DR, "Reviews with the code"] == 3  # R9 is not one of the reviews counted
    assert prev.loc["old-code (not in the codebook)", "Reviews with the code"] == 1


def test_cooccurrence_within_passages_and_within_reviews():
    # passages: R1P1S1 {cu,op} R1P1S2 {cu} R1P2S1 {dr} R2P1S1 {cu,op} R3P1S1 {op} R3P3S1 {op,dr} R4P1S1 {cu}
    # R5P2S2 {cu,op,dr}: cu-op 3 (R1P1S1 R2P1S1 R5P2S2), cu-dr 1 (R5P2S2), op-dr 2 (R3P3S1 R5P2S2)
    passages = pv.cooccurrence(CORPUS, NAMES, "passage")
    assert list(passages.index) == [CU, OP, DR]  # supervision was never applied
    assert passages.to_numpy().tolist() == [[5, 3, 1], [3, 5, 2], [1, 2, 3]]
    # reviews: R1 {cu,op,dr} R2 {cu,op} R3 {op,dr} R4 {cu} R5 {cu,op,dr}: cu-op 3 (R1 R2 R5), cu-dr 2 (R1 R5),
    # op-dr 3 (R1 R3 R5)
    assert pv.cooccurrence(CORPUS, NAMES, "review").to_numpy().tolist() == [[4, 3, 2], [3, 4, 3], [2, 3, 3]]


def test_cooccurrence_table_shows_each_pair_once_small_counts_hidden():
    table = cooccurrence_table(pv.cooccurrence(CORPUS, NAMES, "passage"), "passage", 8, small_cell=3)
    assert table.shown.to_numpy().tolist() == [["5", "", ""], ["3", "5", ""], ["<3", "<3", "3"]]
    assert list(table.shown.index) == [f"1. {CU}", f"2. {OP}", f"3. {DR}"]
    assert list(table.shown.columns) == ["1", "2", "3"]
    assert 'Counts below 3 are shown as "<3"' in table.note
    assert "of the 8 passages of the coded reviews" in table.caption
    whole = cooccurrence_table(pv.cooccurrence(CORPUS, NAMES, "review"), "review", 6)
    assert whole.shown.to_numpy().tolist() == [["4", "", ""], ["3", "4", ""], ["2", "3", "3"]]  # none hidden
    assert whole.note == ("Each cell: reviews with both the row's code and the column's (numbered as the rows); the "
                          "diagonal, reviews with the code.") and whole.caption.endswith("of 6 coded reviews")
    plot = cooccurrence_plot(table, "passage")
    assert plot.png.startswith(b"\x89PNG")
    assert f"Most frequent pairs: {CU} with {OP} (3 passages)." in plot.alt  # the hidden pairs are not named
    assert 'grey, marked "<3"' in plot.alt


def test_cross_table_by_period_hides_a_second_count_where_a_row_total_would_give_one_away(reviews):
    # 2015-2019: R1 R2 R6 (3 reviews); 2020-2024: R3 R4 R5 (3)
    # child unseen: R1 R2 | R4 R5 -> 2, 2, 4; optimism: R1 R2 | R3 R5 -> 2, 2, 4; drift: R1 | R3 R5 -> 1, 2, 3
    # small_cell 2: drift's 1 is hidden, and its 2 with it (3 - 2 would give the 1 away); supervision 0, 0, 0
    table = cross_table(CORPUS, reviews, NAMES, "period", 2)
    assert table.counts.to_numpy().tolist() == [[2, 2, 4], [2, 2, 4], [1, 2, 3], [0, 0, 0], [3, 3, 6]]
    assert table.shown.loc[CU].tolist() == ["2 (67%)", "2 (67%)", "4 (67%)"]
    assert table.shown.loc[DR].tolist() == ["<2", "*", "3 (50%)"]
    assert table.shown.loc[SU].tolist() == ["<2", "<2", "0 (0%)"]  # the whole corpus's count is never hidden
    assert table.shown.loc[DENOMINATOR].tolist() == ["3", "3", "6"]
    assert list(table.shown.columns) == ["2015-2019", "2020-2024", "All reviews"]
    assert "1 other count (shown \"*\") is hidden as well" in table.note
    html = table.html()
    assert "&lt;2" in html and "by years published" in html and "subtraction" in html


def test_cross_table_by_outcome_hides_a_denominator_and_the_percentages_that_would_give_it(reviews):
    # died: R1 R3 R4 R6 (4); serious harm: R2 R5 (2)
    # child unseen: R1 R4 | R2 R5 -> 2, 2, 4; optimism R1 R3 | R2 R5 -> 2, 2, 4; drift R1 R3 | R5 -> 2, 1, 3
    # small_cell 3: the denominators 4, 2, 6: the 2 hidden, so the 4 too; percentages of "died" not shown
    table = cross_table(CORPUS, reviews, NAMES, "outcome", 3)
    assert table.counts.to_numpy().tolist() == [[2, 2, 4], [2, 2, 4], [2, 1, 3], [0, 0, 0], [4, 2, 6]]
    assert table.shown.loc[DENOMINATOR].tolist() == ["*", "<3", "6"]
    assert table.shown.loc[CU].tolist() == ["<3", "<3", "4 (67%)"]
    plot = cross_plot(table, "outcome")
    assert "died: no share shown" in plot.alt


def test_cross_table_without_suppression_gives_every_share(reviews):
    table = cross_table(CORPUS, reviews, NAMES, "outcome", 0)
    assert table.shown.loc[DR].tolist() == ["2 (50%)", "1 (50%)", "3 (50%)"]
    assert not table.hidden.to_numpy().any() and table.note.count("Counts below") == 0
    plot = cross_plot(table, "outcome")
    assert f"died: most often {CU} (50%)" in plot.alt and f"serious harm: most often {CU} (100%)" in plot.alt
    with pytest.raises(ValueError, match="region"):
        cross_table(CORPUS, reviews, NAMES, "region", 5)


def test_hidden_cells_cascade_over_rows_and_columns():
    # rows and columns with their totals; the 1 is small. Row 0: hide its smallest other, the 6. Column 0:
    # (0,0) alone -> hide the 8. Column 1: (0,1) alone -> hide the 9. Row 1 now has two; every line 0 or 2.
    counts = np.array([[1, 6, 7], [8, 9, 17], [9, 15, 24]])
    lines = [[(i, j) for j in range(3)] for i in range(3)] + [[(i, j) for i in range(3)] for j in range(3)]
    primary, secondary = hidden_cells(counts, lines, 5)
    assert np.argwhere(primary).tolist() == [[0, 0]]
    assert np.argwhere(secondary).tolist() == [[0, 1], [1, 0], [1, 1]]


def test_hidden_cells_never_hide_a_published_count():
    # [4, 10 | 14], the total published: the 4 is small, so the 10 goes too (14 - 10 would give the 4)
    primary, secondary = hidden_cells(np.array([[4, 10, 14]]), [[(0, 0), (0, 1), (0, 2)]], 5,
                                         shown=np.array([[False, False, True]]))
    assert primary.tolist() == [[True, False, False]] and secondary.tolist() == [[False, True, False]]
    # one group: the cell is the published total itself, so there is nothing to protect it with
    primary, secondary = hidden_cells(np.array([[3, 3]]), [[(0, 0), (0, 1)]], 5, shown=np.array([[False, True]]))
    assert primary.tolist() == [[True, False]] and not secondary.any()


def test_hidden_cells_never_leave_one_count_alone_in_a_line():
    rng = np.random.default_rng(7)
    for _ in range(200):
        cells = rng.integers(0, 12, size=(4, 3))
        counts = np.vstack([np.column_stack([cells, cells.sum(1)]), np.append(cells.sum(0), cells.sum())])
        lines = [[(i, j) for j in range(4)] for i in range(5)] + [[(i, j) for i in range(5)] for j in range(4)]
        primary, secondary = hidden_cells(counts, lines, 5)
        hidden = primary | secondary
        assert (primary == (counts < 5)).all()
        assert all(sum(hidden[p] for p in line) != 1 for line in lines)


def test_prevalence_plot_has_alt_text_naming_the_figures(reviews):
    plot = prevalence_plot(pv.prevalence(CORPUS, reviews, NAMES))
    assert plot.png.startswith(b"\x89PNG")
    assert plot.alt.startswith("Bar chart of the share of 6 coded reviews with each of 4 codes")
    assert f"Most prevalent: {CU} (4 of 6); {OP} (4 of 6); {DR} (3 of 6)." in plot.alt
    assert f"Never applied: {SU}." in plot.alt
    assert f'alt="{escape(plot.alt)}"' in plot.html()


def test_small_cell_setting_defaults_to_5_and_is_checked():
    assert config.Settings().research.small_cell == 5
    assert config.settings_from_dict({"research": {"small_cell": 10}}).research.small_cell == 10
    with pytest.raises(config.SettingsError, match=r"research.small_cell must be a whole number of reviews, 0 or"):
        config.settings_from_dict({"research": {"small_cell": -1}})

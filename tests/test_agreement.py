"""Agreement per code and overall, checked against published worked examples and the libraries themselves."""

from __future__ import annotations

import json
import math

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from neglect_kit.research.agreement import agreement
from neglect_kit.research.codebook import default_codebook


def coded(table: dict[tuple[int, int], int], code: str = "x") -> tuple[list, dict, dict]:
    """Passages and two coders' codings from a 2x2 table {(first applied, second applied): passages}."""
    passages, first, second = [], {}, {}
    for (a, b), n in table.items():
        for _ in range(n):
            key = ("R01", f"P{len(passages) + 1}.S1")
            passages.append(key)
            if a:
                first[key] = frozenset({code})
            if b:
                second[key] = frozenset({code})
    return passages, first, second


def test_cohens_kappa_matches_the_worked_example_of_fifty_proposals():
    # Wikipedia, "Cohen's kappa", worked example: two readers of 50 grant proposals; both yes 20, both no 15,
    # A yes and B no 5, A no and B yes 10: p_o = 0.7, p_e = 0.5, kappa = 0.4
    passages, first, second = coded({(1, 1): 20, (0, 0): 15, (1, 0): 5, (0, 1): 10})
    figures = agreement(passages, first, second, ["x"], ("A", "B")).codes[0]
    assert figures.passages == 50
    assert figures.observed == pytest.approx(0.7)
    assert figures.expected == pytest.approx(0.5)
    assert figures.kappa == pytest.approx(0.4)
    assert figures.prevalence == pytest.approx((25 + 30) / 100)
    assert (figures.both, figures.either, figures.first_only, figures.second_only) == (20, 35, 5, 10)
    assert figures.warning is None and figures.undefined is None


def test_alpha_matches_krippendorffs_binary_example_for_two_observers():
    # Krippendorff, "Computing Krippendorff's alpha-reliability" (2011), binary data, two observers, no
    # missing data: ten units, 0 1 0 0 0 0 0 0 1 0 and 1 1 1 0 0 1 0 0 0 0, alpha = 0.095. By hand: 20
    # values, 6 ones and 14 zeros, 4 disagreeing units; alpha = 1 - (20 - 1) * 8 / (2 * 6 * 14) = 2/21.
    first_values, second_values = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    passages = [("R01", f"P{i}.S1") for i in range(10)]
    first = {p: frozenset({"x"}) for p, v in zip(passages, first_values, strict=True) if v}
    second = {p: frozenset({"x"}) for p, v in zip(passages, second_values, strict=True) if v}
    figures = agreement(passages, first, second, ["x"]).codes[0]
    assert round(figures.alpha, 3) == 0.095
    assert figures.alpha == pytest.approx(2 / 21)


def test_the_alpha_library_reproduces_krippendorffs_canonical_example():
    # The example with missing values (four observers, twelve units, nominal alpha 0.743) from Krippendorff's
    # paper as the `krippendorff` package's documentation gives it: the library the kit delegates to is the
    # one that gets the published figure.
    nan = np.nan
    data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
            [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    assert round(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), 3) == 0.743


def test_high_agreement_on_a_rare_code_gives_a_low_kappa_and_a_warning_in_words():
    # 100 passages: both coders gave the code to 1, each alone to 2 others: 96% agreement; each applied it to
    # 3%, so chance gives 0.97^2 + 0.03^2 = 94.18%; kappa = (0.96 - 0.9418) / (1 - 0.9418) = 0.3127
    passages, first, second = coded({(1, 1): 1, (1, 0): 2, (0, 1): 2, (0, 0): 95})
    figures = agreement(passages, first, second, ["x"]).codes[0]
    assert figures.observed == pytest.approx(0.96)
    assert figures.kappa == pytest.approx((0.96 - 0.9418) / (1 - 0.9418))
    assert figures.warning == ("Rare code: 96% agreement but kappa 0.31, because it was applied in 3% of "
                               "judgements, so chance alone would give 94% agreement and kappa counts only "
                               "agreement beyond that. Report agreement, kappa and prevalence together.")


def test_a_rare_code_with_perfect_agreement_is_still_warned_about():
    passages, first, second = coded({(1, 1): 2, (0, 0): 98})
    figures = agreement(passages, first, second, ["x"]).codes[0]
    assert figures.kappa == pytest.approx(1.0)
    assert figures.warning == ("Rare code: applied in 2% of judgements, so kappa 1.00 rests on the 2 passages "
                               "where either coder applied it; report it with the prevalence and the number of "
                               "passages.")


def test_a_rare_code_whose_kappa_rests_on_many_passages_is_not_warned_about():
    # 1,000 sentences, the code on 3%: 28 by both, 2 by each alone. Kappa rests on 32 passages, and its high
    # agreement is not chance's (kappa 0.93), so a warning would be noise on most codes of a sentence-level coding
    passages, first, second = coded({(1, 1): 28, (1, 0): 2, (0, 1): 2, (0, 0): 968})
    figures = agreement(passages, first, second, ["x"]).codes[0]
    assert figures.kappa == pytest.approx(0.93, abs=0.005)
    assert figures.warning is None
    # nine passages to rest on: warned
    passages, first, second = coded({(1, 1): 7, (1, 0): 1, (0, 1): 1, (0, 0): 991})
    assert agreement(passages, first, second, ["x"]).codes[0].warning.startswith(
        "Rare code: applied in 0.8% of judgements, so kappa 0.87 rests on the 9 passages")


def test_a_code_on_nearly_every_passage_is_warned_about_as_common():
    passages, first, second = coded({(1, 1): 96, (1, 0): 2, (0, 1): 2})
    assert agreement(passages, first, second, ["x"]).codes[0].warning.startswith(
        "Common code: 96% agreement but kappa -0.02, because it was applied in 98% of judgements")
    passages, first, second = coded({(1, 1): 97, (1, 0): 1, (0, 1): 1, (0, 0): 1})  # kappa 0.49: not misleading
    assert agreement(passages, first, second, ["x"]).codes[0].warning.startswith(
        "Common code: applied in 98% of judgements, so kappa 0.49 rests on the 3 passages where either coder left "
        "it out")


def test_a_code_no_coder_used_has_no_kappa_or_alpha_in_words_never_0_or_1():
    passages, first, second = coded({(1, 1): 5, (0, 0): 5})
    result = agreement(passages, first, second, ["x", "unused"])
    unused = result.codes[1]
    assert math.isnan(unused.kappa) and math.isnan(unused.alpha)
    assert unused.kappa_text == unused.alpha_text == "not defined (no coder used it)"
    assert unused.warning is None
    row = result.frame().iloc[1]
    assert row["Kappa"] == "not defined (no coder used it)" and row["Agreement"] == "100%"
    as_json = json.loads(json.dumps(result.to_dict()))  # JSON has no NaN: a figure not defined is null
    assert as_json["codes"][1]["kappa"] is None and as_json["codes"][1]["undefined"] == "no coder used it"
    assert result.kappa_codes == 1 and result.mean_kappa == pytest.approx(1.0)  # the mean is of defined kappas


def test_a_code_both_coders_used_everywhere_is_not_defined_either():
    passages, first, second = coded({(1, 1): 4})
    figures = agreement(passages, first, second, ["x"]).codes[0]
    assert figures.kappa_text == "not defined (both coders used it on every passage)"


def test_no_passages_at_all_is_said_so():
    result = agreement([], {}, {}, ["x"])
    assert result.codes[0].kappa_text == "not defined (no passages to compare)"
    assert result.frame().iloc[0]["Agreement"] == "not defined"


def test_each_codes_figures_equal_the_libraries_on_the_raw_vectors_and_overall_pools_every_pair():
    rng = np.random.default_rng(7)
    codes = [f"c{j}" for j in range(6)]
    passages = [(f"R{r}", f"P{p}.S1") for r in range(5) for p in range(30)]
    a = rng.random((150, 6)) < [0.02, 0.1, 0.3, 0.5, 0.8, 0.05]
    b = a ^ (rng.random((150, 6)) < 0.15)
    first = {passages[i]: frozenset(c for c, v in zip(codes, a[i], strict=True) if v) for i in range(150)}
    second = {passages[i]: frozenset(c for c, v in zip(codes, b[i], strict=True) if v) for i in range(150)}
    result = agreement(passages, first, second, codes)
    for j, figures in enumerate(result.codes):
        assert figures.kappa == pytest.approx(cohen_kappa_score(a[:, j], b[:, j]), abs=1e-12)
        assert figures.alpha == pytest.approx(krippendorff.alpha(
            reliability_data=[a[:, j].astype(float), b[:, j].astype(float)], level_of_measurement="nominal"),
            abs=1e-12)
        assert figures.observed == pytest.approx(np.mean(a[:, j] == b[:, j]))
    pooled_a, pooled_b = a.ravel(), b.ravel()
    assert result.overall.passages == 900
    assert result.overall.kappa == pytest.approx(cohen_kappa_score(pooled_a, pooled_b), abs=1e-12)
    assert result.overall.alpha == pytest.approx(krippendorff.alpha(
        reliability_data=[pooled_a.astype(float), pooled_b.astype(float)], level_of_measurement="nominal"), abs=1e-12)
    assert result.mean_kappa == pytest.approx(np.mean([c.kappa for c in result.codes]))


def test_a_codebook_gives_its_leaves_in_order_and_names_and_used_codes_outside_it_are_kept():
    book = default_codebook()
    key = ("R02", "P1.S1")
    result = agreement([key], {key: frozenset({"drift", "retired-code"})}, {key: frozenset({"drift"})}, book)
    ids = [c.code for c in result.codes]
    assert ids[:len(book.leaves())] == [c.id for c in book.leaves()]
    assert ids[-1] == "retired-code"  # a coder's code is never dropped silently
    assert result.frame().iloc[ids.index("drift")]["Code"] == "Drift and delay"


def test_codings_of_passages_not_compared_are_left_out_and_a_passage_twice_is_refused():
    one, other = ("R01", "P1.S1"), ("R09", "P1.S1")
    result = agreement([one], {one: {"x"}, other: {"x"}}, {one: {"x"}}, ["x"])
    assert result.codes[0].passages == 1 and result.codes[0].both == 1
    with pytest.raises(ValueError, match=r"passage P1\.S1 of review R01 is listed twice"):
        agreement([one, one], {}, {}, ["x"])

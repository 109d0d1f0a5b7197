"""How far two coders agree, passage by passage, for each code and overall.

The unit is the passage (a sentence of a review), not the character: for each code, each coder either
applied it to a passage or did not, so each code gives two yes/no vectors over the same passages. For
each code the kit reports, together (a figure alone misleads):

- observed agreement: the share of passages where the two coders made the same judgement;
- Cohen's kappa (`sklearn.metrics.cohen_kappa_score`) and Krippendorff's alpha (`krippendorff.alpha`,
  nominal): agreement beyond what chance would give;
- prevalence: the share of all judgements (both coders') that applied the code, and how many passages
  both and either coder gave it.

A rare (or near-universal) code makes chance agreement high, so kappa can be near zero at 96% agreement:
such codes get a warning in words. A code no coder used (or both used on every passage) has no kappa
or alpha at all (chance would explain everything): the figure is "not defined" with the reason, never 0
or 1. Overall: the same figures pooled over every (passage, code) pair, and the mean of the codes' kappas.

Both statistics come from the two libraries. Each code's yes/no vectors reduce to a two-by-two table
(both no, only the first, only the second, both yes); the libraries are given that table, as weights
for `cohen_kappa_score` and as the per-passage value counts `krippendorff.alpha` takes, which gives the
same figures as the vectors themselves (the tests check this) without building them code by code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from .codebook import Codebook

PassageKey = tuple[str, str]  # (review id, passage id)
WARN_OBSERVED, WARN_KAPPA = 0.85, 0.4  # high agreement with a kappa this low is what rarity does
WARN_RARE = 0.05  # a code applied in fewer than 5% (or more than 95%) of judgements
WARN_FEW = 10  # ... whose kappa rests on fewer passages than this: one passage more or less moves it far
# the 2x2 table's cells as (first coder, second coder) judgements, for the libraries
_PAIRS_FIRST, _PAIRS_SECOND = np.array([0, 1, 0, 1]), np.array([0, 0, 1, 1])


@dataclass(frozen=True)
class CodeAgreement:
    """The two coders' agreement on one code (or, for `Agreement.overall`, on every code pooled).

    Attributes:
        code: the code's id ("all codes" for the pooled figures).
        passages: how many units were compared (passages; passage-code pairs when pooled).
        observed: the share of units both coders judged alike (nan when there were none).
        kappa: Cohen's kappa, nan where not defined (see `undefined`).
        alpha: Krippendorff's alpha (nominal), nan where not defined.
        prevalence: the share of all judgements (both coders') that applied the code.
        expected: the agreement chance alone would give with each coder's rate of applying it.
        both: units both coders gave the code.
        either: units at least one coder gave it.
        first_only: units only the first coder gave it.
        second_only: units only the second coder gave it.
        undefined: why kappa and alpha are not defined, or None.
        warning: a plain-words warning where the figures mislead read alone (a rare code), or None.
    """

    code: str
    passages: int
    observed: float
    kappa: float
    alpha: float
    prevalence: float
    expected: float
    both: int
    either: int
    first_only: int
    second_only: int
    undefined: str | None
    warning: str | None

    @property
    def kappa_text(self) -> str:
        """Kappa to two places, or "not defined (why)"."""
        return _figure(self.kappa, self.undefined)

    @property
    def alpha_text(self) -> str:
        """Alpha to two places, or "not defined (why)"."""
        return _figure(self.alpha, self.undefined)

    def to_dict(self) -> dict[str, object]:
        """The figures as JSON-safe values: an undefined figure is None, with its reason in `undefined`."""
        def number(value: float) -> float | None:
            return None if math.isnan(value) else round(float(value), 6)
        return {"code": self.code, "passages": self.passages, "observed": number(self.observed),
                "kappa": number(self.kappa), "alpha": number(self.alpha), "prevalence": number(self.prevalence),
                "expected": number(self.expected), "both": self.both, "either": self.either,
                "first_only": self.first_only, "second_only": self.second_only,
                "undefined": self.undefined, "warning": self.warning}


@dataclass(frozen=True)
class Agreement:
    """Agreement per code and overall between two coders over the same passages.

    Attributes:
        coders: the two coders' names as given (first, second).
        passages: how many passages were compared.
        codes: one `CodeAgreement` per code, in the codebook's order (codes used but not in it after).
        overall: the figures pooled over every (passage, code) pair.
        mean_kappa: the mean of the codes' kappas where defined (nan when none is).
        kappa_codes: how many codes the mean is over.
        names: each code's name, where a codebook gave it.
    """

    coders: tuple[str, str]
    passages: int
    codes: tuple[CodeAgreement, ...]
    overall: CodeAgreement
    mean_kappa: float
    kappa_codes: int
    names: Mapping[str, str]

    def frame(self) -> pd.DataFrame:
        """A table to show: a row per code then the pooled row, figures in words where not defined."""
        rows = []
        for figures in (*self.codes, self.overall):
            rows.append({"Code": self.names.get(figures.code, figures.code), "Passages": figures.passages,
                         "Agreement": _percent(figures.observed), "Kappa": figures.kappa_text,
                         "Alpha": figures.alpha_text, "Prevalence": _percent(figures.prevalence),
                         "Both": figures.both, "Either": figures.either, "Warning": figures.warning or ""})
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, object]:
        """Everything as JSON-safe values (for `reviews agreement --json`)."""
        return {"coders": list(self.coders), "passages": self.passages,
                "codes": [dict(c.to_dict(), name=self.names.get(c.code, c.code)) for c in self.codes],
                "overall": self.overall.to_dict(),
                "mean_kappa": None if math.isnan(self.mean_kappa) else round(self.mean_kappa, 6),
                "kappa_codes": self.kappa_codes}


def agreement(passages: Sequence[PassageKey], first: Mapping[PassageKey, frozenset[str] | set[str]],
              second: Mapping[PassageKey, frozenset[str] | set[str]], codes: Codebook | Sequence[str],
              coders: tuple[str, str] = ("first coder", "second coder")) -> Agreement:
    """Agreement between two coders on the passages both coded.

    Args:
        passages: the passages compared (of the reviews both coders finished), each once.
        first: the first coder's codes per passage; a passage missing has none. Passages not in
            `passages` are left out.
        second: the same for the second coder.
        codes: the codes to report: a codebook's codes coders apply (`leaves()`), or ids in order.
            A code a coder used that is not among them is reported too, after them.
        coders: the coders' names, for the warnings' words.

    Raises:
        ValueError: a passage is listed twice.
    """
    index = {key: i for i, key in enumerate(passages)}
    if len(index) != len(passages):
        twice = next(key for i, key in enumerate(passages) if index[key] != i)
        raise ValueError(f"passage {twice[1]} of review {twice[0]} is listed twice")
    used = {code for coding in (first, second) for key, applied in coding.items() if key in index
            for code in applied}
    if isinstance(codes, Codebook):
        names = {c.id: c.name for c in codes.codes}
        order = [c.id for c in codes.leaves()]
        order += [c.id for c in codes.codes if c.id in used and c.id not in order]  # a group applied itself
    else:
        names, order = {}, list(dict.fromkeys(codes))
    order += sorted(used - set(order))
    column = {code: j for j, code in enumerate(order)}
    a, b = _matrix(first, index, column), _matrix(second, index, column)
    # the 2x2 table of every code at once: both no, only the first, only the second, both yes
    both = (a & b).sum(axis=0)
    first_only, second_only = a.sum(axis=0) - both, b.sum(axis=0) - both
    neither = len(index) - both - first_only - second_only
    per_code = tuple(_figures(code, int(n0), int(n1), int(n2), int(n3), coders)
                     for code, n0, n1, n2, n3 in zip(order, neither, first_only, second_only, both, strict=True))
    overall = _figures("all codes", int(neither.sum()), int(first_only.sum()), int(second_only.sum()),
                       int(both.sum()), coders)
    kappas = [c.kappa for c in per_code if not math.isnan(c.kappa)]
    return Agreement(coders=coders, passages=len(index), codes=per_code, overall=overall,
                     mean_kappa=float(np.mean(kappas)) if kappas else math.nan, kappa_codes=len(kappas),
                     names=names)


def _matrix(coding: Mapping[PassageKey, frozenset[str] | set[str]], index: Mapping[PassageKey, int],
            column: Mapping[str, int]) -> np.ndarray:
    """A passages x codes yes/no matrix of one coder's codings, filled in one step."""
    rows, cols = [], []
    for key, applied in coding.items():
        row = index.get(key)
        if row is not None:
            for code in applied:
                rows.append(row)
                cols.append(column[code])
    matrix = np.zeros((len(index), len(column)), dtype=bool)
    matrix[rows, cols] = True
    return matrix


def _figures(code: str, neither: int, first_only: int, second_only: int, both: int,
             coders: tuple[str, str]) -> CodeAgreement:
    """Every figure of one 2x2 table, the statistics from the libraries."""
    n = neither + first_only + second_only + both
    observed = (neither + both) / n if n else math.nan
    prevalence = (first_only + second_only + 2 * both) / (2 * n) if n else math.nan
    first_rate, second_rate = ((first_only + both) / n, (second_only + both) / n) if n else (math.nan, math.nan)
    expected = first_rate * second_rate + (1 - first_rate) * (1 - second_rate) if n else math.nan
    undefined = None
    if n == 0:
        undefined = "no passages to compare"
    elif both == n:
        undefined = "both coders used it on every passage"
    elif both + first_only + second_only == 0:
        undefined = "no coder used it"
    if undefined:
        kappa = alpha = math.nan
    else:
        weights = np.array([neither, first_only, second_only, both])
        kappa = float(cohen_kappa_score(_PAIRS_FIRST, _PAIRS_SECOND, labels=[0, 1], sample_weight=weights))
        # each passage's values: [how many said no, how many said yes], one row per passage
        counts = np.repeat(np.array([[2, 0], [1, 1], [1, 1], [0, 2]]), weights, axis=0)
        alpha = float(krippendorff.alpha(value_counts=counts, level_of_measurement="nominal"))
    figures = CodeAgreement(code=code, passages=n, observed=observed, kappa=kappa, alpha=alpha,
                            prevalence=prevalence, expected=expected, both=both, either=both + first_only + second_only,
                            first_only=first_only, second_only=second_only, undefined=undefined, warning=None)
    warning = _warning(figures)
    return figures if warning is None else CodeAgreement(**{**figures.__dict__, "warning": warning})


def _warning(f: CodeAgreement) -> str | None:
    """Plain words where a code's rarity (or near universality) makes kappa mislead."""
    if f.undefined:
        return None
    misleading = f.observed >= WARN_OBSERVED and f.kappa < WARN_KAPPA
    rare = f.prevalence < 0.5
    # the passages kappa rests on: where either coder applied a rare code, or left out a common one
    resting = f.either if rare else f.passages - f.both
    extreme = (f.prevalence < WARN_RARE or f.prevalence > 1 - WARN_RARE) and resting < WARN_FEW
    if not (misleading or extreme):
        return None
    label = "Rare code" if rare else "Common code"
    if misleading:
        return (f"{label}: {_percent(f.observed)} agreement but kappa {f.kappa:.2f}, because it was applied in "
                f"{_percent(f.prevalence)} of judgements, so chance alone would give {_percent(f.expected)} "
                "agreement and kappa counts only agreement beyond that. Report agreement, kappa and prevalence "
                "together.")
    few = (f"{resting} passage{'s' if resting != 1 else ''} where either coder applied it" if rare else
           f"{resting} passage{'s' if resting != 1 else ''} where either coder left it out")
    return (f"{label}: applied in {_percent(f.prevalence)} of judgements, so kappa {f.kappa:.2f} rests on the {few}; "
            "report it with the prevalence and the number of passages.")


def _figure(value: float, undefined: str | None) -> str:
    return f"not defined ({undefined})" if undefined else f"{value:.2f}"


def _percent(share: float) -> str:
    """A share as a percentage: whole numbers, a decimal place under 1% (never "0%" for something seen)."""
    if math.isnan(share):
        return "not defined"
    if 0 < share < 0.001:
        return "under 0.1%"
    if 0 < share < 0.01:
        return f"{share:.1%}"
    if 0.99 < share < 1:
        return f"{math.floor(share * 1000) / 10:.1f}%"
    return f"{share:.0%}"

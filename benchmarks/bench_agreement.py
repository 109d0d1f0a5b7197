"""Agreement for 100 reviews x 40 codes x 2 coders, against the two libraries called directly on prepared arrays."""

from __future__ import annotations

import krippendorff
import numpy as np
from _common import FAST, best_of, result_line
from sklearn.metrics import cohen_kappa_score

from neglect_kit.research.agreement import agreement

REVIEWS, CODES = 100, 40
GOAL = 2.0


def codings(seed: int = 15) -> tuple[list[tuple[str, str]], list[str], np.ndarray, np.ndarray]:
    """Two coders' codings of 100 reviews of 30 to 90 passages each (seeded, about 6,000 passages).

    Each code has its own prevalence, from rare (0.5%) to common (20%); the second coder copies the first
    and then differs on about one judgement in fifteen where the first applied the code, and adds some
    of their own, so figures range from near-perfect agreement to rare codes with a low kappa.
    """
    rng = np.random.default_rng(seed)
    passages = [(f"R{r + 1:03d}", f"P{p // 3 + 1}.S{p % 3 + 1}")
                for r in range(REVIEWS) for p in range(int(rng.integers(30, 91)))]
    prevalence = np.geomspace(0.005, 0.2, CODES)
    first = rng.random((len(passages), CODES)) < prevalence
    second = first & (rng.random(first.shape) > 1 / 15) | (rng.random(first.shape) < prevalence / 20)
    return passages, [f"code-{j + 1:02d}" for j in range(CODES)], first, second


def as_sets(passages: list[tuple[str, str]], codes: list[str], applied: np.ndarray) -> dict:
    """A coder's codings as the store gives them: each coded passage's set of code ids."""
    return {passages[i]: frozenset(codes[j] for j in np.flatnonzero(row)) for i, row in enumerate(applied)
            if row.any()}


def main() -> list[str]:
    """Time `agreement` on the codings against both libraries on each code's prepared 0/1 arrays."""
    passages, codes, first, second = codings()
    by_first, by_second = as_sets(passages, codes, first), as_sets(passages, codes, second)
    columns = [(first[:, j].astype(float), second[:, j].astype(float)) for j in range(CODES)]

    def floor() -> None:
        # the least any implementation must do: each library once per code on arrays ready to hand
        for a, b in columns:
            cohen_kappa_score(a, b)
            krippendorff.alpha(reliability_data=[a, b], level_of_measurement="nominal")

    def measured() -> None:
        result = agreement(passages, by_first, by_second, codes)
        assert len(result.codes) == CODES

    floor_time, took = best_of(floor, measured, repeat=FAST)
    return [result_line(f"agreement, {REVIEWS} reviews ({len(passages):,} passages) x {CODES} codes x 2 coders, "
                        "per code and overall", took, floor_time, GOAL)]


if __name__ == "__main__":
    main()

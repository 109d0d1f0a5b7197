"""Prevalence and co-occurrence of codes across a coded corpus of reviews: the counts that the tables
(`prevalence_tables`) and plots (`prevalence_plots`) for a paper are made of.

The unit counted is the review (a code is present in a review when at least one passage of its final
coding carries it) or the passage (the sentence-level coding unit). The final coding of a passage is
the reconciled one where the coders reconciled it, else the codes every coder of the review applied,
else, for a review with one coder, theirs (`final_coding`).

Pure: pandas, no widgets, no store; `research.review_records` and `coding_records` read the corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any, Literal

import numpy as np
import pandas as pd

from .review_schema import AGE_BANDS, OUTCOMES, REVIEW_TYPES, STATUSES

__all__ = ["ATTRIBUTES", "code_names", "cooccurrence", "final_coding", "prevalence", "review_table"]

# review attributes a cross-table may be by, with their plain labels
ATTRIBUTES: dict[str, str] = {
    "period": "Years published",
    "year_published": "Year published",
    "age_band": "Child's age",
    "outcome": "Outcome",
    "status_at_time": "Status at the time",
    "review_type": "Review type",
}
_ORDERS: dict[str, Sequence[str]] = {"age_band": AGE_BANDS, "outcome": OUTCOMES, "status_at_time": STATUSES,
                                     "review_type": REVIEW_TYPES}
NOT_STATED = "not stated"
FINAL_COLUMNS = ["review_id", "passage_id", "code", "basis"]


def _records(rows: Any, fields: Sequence[str]) -> list[dict[str, Any]]:
    """Rows as dicts of `fields`: from a DataFrame, mappings, or objects with those attributes (`Coding`)."""
    if isinstance(rows, pd.DataFrame):
        return [{f: r[f] for f in fields} for r in rows.to_dict("records")]
    return [{f: (r[f] if isinstance(r, Mapping) else getattr(r, f)) for f in fields} for r in rows]


def final_coding(codings: Iterable[Any] | pd.DataFrame, reconciliations: Iterable[Any] | pd.DataFrame = (),
                 coders: Mapping[str, Iterable[str]] | None = None) -> pd.DataFrame:
    """The final coding of each passage, one row per (review, passage, code).

    Each coder's current coding of a passage is their highest version, and a passage's current
    reconciliation its highest version. A reconciled passage takes the reconciled codes (none, if
    the coders agreed it has none). Otherwise a code stands where every coder of the review applied
    it (a coder who left the passage uncoded applied nothing); a review with one coder takes theirs.

    Args:
        codings: rows with review_id, passage_id, coder, version, codes (`coding_records.Coding`, mappings
            or a DataFrame).
        reconciliations: rows with review_id, passage_id, version, codes.
        coders: each review's coders (the assigned ones); a review not named here has as coders
            those who saved a coding of it, so a coder who saved nothing is missed without it.

    Returns:
        Columns review_id, passage_id, code, basis ("reconciled", "agreed" or "single coder"),
        sorted by review, passage and code.
    """
    current: dict[tuple[str, str, str], tuple[int, frozenset[str]]] = {}
    for r in _records(codings, ("review_id", "passage_id", "coder", "version", "codes")):
        key = (r["review_id"], r["passage_id"], r["coder"])
        if key not in current or r["version"] > current[key][0]:
            current[key] = (r["version"], frozenset(r["codes"]))
    agreed: dict[tuple[str, str], tuple[int, frozenset[str]]] = {}
    for r in _records(reconciliations, ("review_id", "passage_id", "version", "codes")):
        key = (r["review_id"], r["passage_id"])
        if key not in agreed or r["version"] > agreed[key][0]:
            agreed[key] = (r["version"], frozenset(r["codes"]))
    who: dict[str, set[str]] = {}
    for review_id, _, coder in current:
        who.setdefault(review_id, set()).add(coder)
    for review_id, named in (coders or {}).items():
        if named := set(named):
            who[review_id] = named
    rows = []
    for review_id, passage_id in sorted({k[:2] for k in current} | set(agreed)):
        if (review_id, passage_id) in agreed:
            codes, basis = agreed[review_id, passage_id][1], "reconciled"
        else:
            sets = [current.get((review_id, passage_id, c), (0, frozenset()))[1] for c in who[review_id]]
            codes, basis = frozenset.intersection(*sets), "agreed" if len(sets) > 1 else "single coder"
        rows += [(review_id, passage_id, code, basis) for code in sorted(codes)]
    return pd.DataFrame(rows, columns=FINAL_COLUMNS)


def code_names(codebook: Any) -> dict[str, str]:
    """Code id -> name for the codes a coder applies (the codebook's leaves), in the codebook's order."""
    return {c.id: c.name for c in codebook.leaves()}


def _period(year: Any, width: int) -> str:
    if pd.isna(year):
        return NOT_STATED
    start = int(year) - int(year) % width
    return f"{start}-{start + width - 1}"


def review_table(metas: Mapping[str, Mapping[str, Any]], period_years: int = 5) -> pd.DataFrame:
    """The reviews counted (the denominators), one row each, with the attributes tables are by.

    Args:
        metas: review id -> its metadata (`ReviewMeta.model_dump(mode="json")`, as the store keeps it).
        period_years: width of the bands of years published ("2015-2019" for 5).

    Returns:
        Indexed by review id; a column for each of `ATTRIBUTES` (a missing value is "not stated"),
        the named vocabularies as ordered categories.
    """
    if period_years < 1:
        raise ValueError(f"period_years must be a whole number of years, 1 or more (not {period_years!r})")
    ids = sorted(metas)
    frame = pd.DataFrame({key: [metas[i].get(key) for i in ids] for key in ATTRIBUTES if key != "period"},
                         index=pd.Index(ids, name="review_id"))
    periods = sorted({_period(y, period_years) for y in frame["year_published"]} - {NOT_STATED})
    frame.insert(0, "period", pd.Categorical([_period(y, period_years) for y in frame["year_published"]],
                                             categories=[*periods, NOT_STATED], ordered=True))
    years = sorted({int(y) for y in frame["year_published"].dropna()})
    frame["year_published"] = pd.Categorical(
        [NOT_STATED if pd.isna(y) else str(int(y)) for y in frame["year_published"]],
        categories=[*map(str, years), NOT_STATED], ordered=True)
    for key, order in _ORDERS.items():
        values = frame[key].fillna(NOT_STATED)
        extra = sorted(set(values) - set(order) - {NOT_STATED})  # a value outside the vocabulary is kept, last
        frame[key] = pd.Categorical(values, categories=[*order, *extra, NOT_STATED], ordered=True)
    return frame


def _names(final: pd.DataFrame, names: Mapping[str, str]) -> dict[str, str]:
    """`names`, then any code of the final coding the codebook no longer has, by its id."""
    gone = sorted(set(final["code"]) - set(names))
    return {**names, **{c: f"{c} (not in the codebook)" for c in gone}}


def _in_table(final: pd.DataFrame, reviews: pd.DataFrame) -> pd.DataFrame:
    return final[final["review_id"].isin(reviews.index)]


def prevalence(final: pd.DataFrame, reviews: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Each code's prevalence across the reviews of `reviews` (the denominator), most prevalent first.

    Args:
        final: `final_coding`'s rows (those of reviews not in `reviews` are left out).
        reviews: `review_table`: every review counted, including those with no code at all.
        names: code id -> name (`code_names`); every code is listed, one never applied with 0.

    Returns:
        Indexed by code name: "Reviews with the code", "Reviews" (the denominator), "Share of reviews"
        (0 to 1) and "Passages" (passages with the code), ties in the codebook's order.
    """
    final = _in_table(final, reviews)
    named = _names(final, names)
    n_reviews = final.groupby("code")["review_id"].nunique()
    n_passages = final.groupby("code").size()
    frame = pd.DataFrame({
        "Reviews with the code": [int(n_reviews.get(c, 0)) for c in named],
        "Reviews": len(reviews),
        "Share of reviews": [n_reviews.get(c, 0) / len(reviews) if len(reviews) else np.nan for c in named],
        "Passages": [int(n_passages.get(c, 0)) for c in named],
    }, index=pd.Index(list(named.values()), name="Code"))
    return frame.sort_values("Reviews with the code", ascending=False, kind="stable")


def cooccurrence(final: pd.DataFrame, names: Mapping[str, str],
                 within: Literal["passage", "review"] = "passage") -> pd.DataFrame:
    """How often two codes were applied to the same passage (or review): a square matrix of counts.

    The diagonal is the number of passages (reviews) with the code. Only codes of the final coding
    are in it, in `names`' order.
    """
    if within not in ("passage", "review"):
        raise ValueError(f"within: {within!r} is not 'passage' or 'review'")
    unit = ["review_id", "passage_id"] if within == "passage" else ["review_id"]
    named = _names(final, names)
    used = [c for c in named if c in set(final["code"])]
    where = {c: i for i, c in enumerate(used)}
    matrix = np.zeros((len(used), len(used)), dtype=int)
    for _, codes in final.drop_duplicates([*unit, "code"]).groupby(unit)["code"]:
        places = sorted(where[c] for c in codes)
        for i in places:
            matrix[i, i] += 1
        for i, j in combinations(places, 2):
            matrix[i, j] += 1
            matrix[j, i] += 1
    labels = pd.Index([named[c] for c in used], name="Code")
    return pd.DataFrame(matrix, index=labels, columns=labels.rename(None))

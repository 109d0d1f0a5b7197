"""Prevalence, cross- and co-occurrence tables for a paper: `prevalence`'s counts as printed.

Tables are for print: plain labels, codes by name, every share with its denominator. In a cross-table
a count below `small_cell` (the settings' `research.small_cell`) is shown as "<5"; where a row has a
total, a second count of the row is hidden too (shown "*"), so that none can be worked out by
subtraction (`hidden_cells`).

Pure: pandas, no widgets, no store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from markupsafe import escape

from ..reports.html import Cell, html_table
from ..wording import count_words
from .prevalence import ATTRIBUTES, _in_table, _names

__all__ = ["Table", "cooccurrence_table", "cross_table", "hidden_cells", "prevalence_table"]

ALL = "All reviews"
DENOMINATOR = "Reviews (the denominator)"
SECONDARY = "*"


def _percent(n: int, d: int) -> str:
    return f"{round(100 * n / d)}%" if d else "not defined (no reviews)"


@dataclass(frozen=True)
class Table:
    """A table ready for a paper.

    Attributes:
        counts: the whole counts (totals included), for the researcher's own checks.
        shown: the cells as printed (strings); hidden counts as "<5" or "*".
        hidden: True where a count is not shown (same shape as `counts`).
        caption: what the table shows, its denominator named.
        note: what a reader needs under the table (suppression, denominators); may be blank.
    """

    counts: pd.DataFrame
    shown: pd.DataFrame
    hidden: pd.DataFrame
    caption: str
    note: str = ""

    def html(self) -> str:
        """The kit's table (caption, scoped headers, each row's label its header) with the note under it."""
        rows = [[Cell(label, header=True), *values]
                for label, values in zip(self.shown.index, self.shown.values, strict=True)]
        note = f'<p class="nk-note">{escape(self.note)}</p>' if self.note else ""
        return html_table([self.shown.index.name or "", *self.shown.columns], rows, self.caption) + note


def prevalence_table(prev: pd.DataFrame) -> Table:
    """`prevalence` as printed: each code's reviews as "n of N (p%)" and its passages.

    A count across the whole corpus is not a cross-table: it picks out no group of reviews, so no
    count is hidden here.
    """
    n_reviews = int(prev["Reviews"].iloc[0]) if len(prev) else 0
    shown = pd.DataFrame({
        "Reviews with the code": [f"{n} of {d} ({_percent(n, d)})" for n, d in
                                  zip(prev["Reviews with the code"], prev["Reviews"], strict=True)],
        "Passages with the code": [str(p) for p in prev["Passages"]],
    }, index=prev.index)
    counts = prev[["Reviews with the code", "Passages"]]
    return Table(counts, shown, counts.astype(bool) & False,
                 f"Codes across {count_words(n_reviews, 'coded review')}: reviews with at least one passage "
                 "coded, and passages coded (final coding)")


def hidden_cells(counts: np.ndarray, lines: Sequence[Sequence[tuple[int, int]]], small_cell: int,
                 shown: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Which counts of a table to hide: those below `small_cell`, then enough others that none can be worked out.

    Args:
        counts: the table's counts, totals included.
        lines: each an additive line of the table: the positions of its cells and of their total
            (the total is the sum of the cells). A line with exactly one count hidden would give it
            away by subtraction, so the smallest count shown in it is hidden too, until no line has
            exactly one (a second hidden count may open another line, hence the loop). A count hidden
            this way is at least `small_cell`, so a line's hidden counts can all be worked out only where
            their sum is that many times `small_cell`: the small ones are then zeros, no review behind them.
        small_cell: counts below this are hidden (0 hides none).
        shown: True for counts never hidden, being published anyway (a code's count across the whole
            corpus is in the prevalence table); they still count as shown in their lines.

    Returns:
        (primary, secondary): boolean arrays of the counts hidden for being small, and of those
        hidden to protect them.
    """
    counts = np.asarray(counts)
    public = np.zeros(counts.shape, dtype=bool) if shown is None else np.asarray(shown, dtype=bool)
    primary = (counts < small_cell) & ~public
    hidden = primary.copy()
    changed = True
    while changed:
        changed = False
        for line in lines:
            can = [p for p in line if not hidden[p] and not public[p]]
            # with none left to hide (only a published count beside it) the count equals a published one
            if sum(hidden[p] for p in line) == 1 and can:
                hidden[min(can, key=lambda p: (counts[p], p))] = True
                changed = True
    return primary, hidden & ~primary


def _suppression_note(primary: np.ndarray, secondary: np.ndarray, small_cell: int, shares: bool) -> str:
    if not primary.any():
        return ""
    note = f'Counts below {small_cell} are shown as "<{small_cell}"' + (
        ", and so is the percentage that goes with them." if shares else ".")
    if secondary.any():
        note += (f" {count_words(int(secondary.sum()), 'other count')} (shown \"{SECONDARY}\") "
                 f"{'is' if secondary.sum() == 1 else 'are'} hidden as well, so that no hidden count can be "
                 "worked out by subtraction from its row's total.")
    return note


def cross_table(final: pd.DataFrame, reviews: pd.DataFrame, names: Mapping[str, str], by: str,
                small_cell: int) -> Table:
    """Reviews with each code in each group of reviews (by one attribute), small counts hidden.

    Rows are the codes (in `names`' order) and a last row of the reviews in each group, the
    denominators; columns are the attribute's values (a value no review has is left out) and
    "All reviews", each row's total (every review has one value, so a code's row adds up to it).
    A cell is "n (p%)", p of the column's reviews. Hidden: counts below `small_cell` ("<5"), and
    per row a second count where one alone would be hidden ("*", `hidden_cells`); a percentage
    is shown only where its count and its denominator are.

    Args:
        final: `final_coding`'s rows.
        reviews: `review_table` (the reviews counted).
        names: code id -> name (`code_names`).
        by: one of `ATTRIBUTES`.
        small_cell: the settings' `research.small_cell`.
    """
    if by not in ATTRIBUTES:
        raise ValueError(f"by: {by!r} is not one of {', '.join(ATTRIBUTES)}")
    final = _in_table(final, reviews)
    named = _names(final, names)
    groups = [g for g in reviews[by].cat.categories if (reviews[by] == g).any()]
    group_of = reviews[by].astype(str)
    present = final.drop_duplicates(["review_id", "code"]).assign(group=lambda f: f["review_id"].map(group_of))
    tally = present.groupby(["code", "group"]).size()
    rows = [[int(tally.get((c, g), 0)) for g in groups] for c in named]
    rows.append([int((group_of == g).sum()) for g in groups])
    cells = np.array(rows, dtype=int).reshape(len(rows), len(groups))
    counts = np.column_stack([cells, cells.sum(axis=1)])
    lines = [[(i, j) for j in range(counts.shape[1])] for i in range(counts.shape[0])]
    # the last column, each code's count across the whole corpus, is the prevalence table's: never hidden
    whole = np.zeros(counts.shape, dtype=bool)
    whole[:, -1] = True
    primary, secondary = hidden_cells(counts, lines, small_cell, shown=whole)
    hidden = primary | secondary
    denominators, hidden_d = counts[-1], hidden[-1]
    shown = []
    for i in range(counts.shape[0]):
        row = []
        for j, n in enumerate(counts[i]):
            if primary[i, j]:
                row.append(f"<{small_cell}")
            elif secondary[i, j]:
                row.append(SECONDARY)
            elif i == len(counts) - 1 or hidden_d[j]:
                row.append(str(n))
            else:
                row.append(f"{n} ({_percent(n, denominators[j])})")
        shown.append(row)
    index = pd.Index([*named.values(), DENOMINATOR], name="Code")
    columns = pd.Index([*groups, ALL], name=ATTRIBUTES[by])
    note = " ".join(filter(None, [
        f"Each cell: reviews in the column's group with at least one passage coded, and their percentage "
        f"of the group's reviews (the last row); \"{ALL}\", the whole corpus, as in the prevalence table.",
        _suppression_note(primary, secondary, small_cell, shares=True)]))
    return Table(pd.DataFrame(counts, index=index, columns=columns), pd.DataFrame(shown, index=index, columns=columns),
                 pd.DataFrame(hidden, index=index, columns=columns),
                 f"Reviews with each code by {ATTRIBUTES[by].lower()}, of {count_words(len(reviews), 'coded review')}",
                 note)


def cooccurrence_table(matrix: pd.DataFrame, within: Literal["passage", "review"], units: int,
                       small_cell: int = 0) -> Table:
    """`cooccurrence` as printed: the lower triangle (each pair once) with the diagonal.

    The counts are across the whole corpus, not split by the reviews' facts, so, like the prevalence
    table, they pick out no group of reviews, and none is hidden unless `small_cell` asks.

    Args:
        matrix: `cooccurrence`'s matrix.
        within: "passage" or "review", what was counted.
        units: the passages (reviews) of the coded reviews, the denominator named in the caption.
        small_cell: counts below this are shown as "<5" (0: none; no totals, so nothing more is hidden).
    """
    counts = matrix.to_numpy(dtype=int)
    primary, secondary = hidden_cells(counts, [], small_cell)
    lower = np.tril(np.ones_like(counts, dtype=bool))
    shown = np.where(~lower, "", np.where(primary, f"<{small_cell}", counts.astype(str)))
    # codes numbered, so that the columns stay narrow: "3. Professional optimism" heads row and column 3
    rows = pd.Index([f"{n}. {name}" for n, name in enumerate(matrix.index, 1)], name="Code")
    columns = pd.Index([str(n) for n in range(1, len(matrix) + 1)])
    note = " ".join(filter(None, [
        f"Each cell: {within}s with both the row's code and the column's (numbered as the rows); the diagonal, "
        f"{within}s with the code.",
        _suppression_note(primary & lower, secondary, small_cell, shares=False)]))
    caption = (f"Codes applied to the same passage (sentence), of the {count_words(units, 'passage')} of the coded "
               "reviews" if within == "passage" else f"Codes applied to the same review, of "
               f"{count_words(units, 'coded review')}")
    return Table(matrix, pd.DataFrame(shown, index=rows, columns=columns),
                 pd.DataFrame(primary, index=matrix.index, columns=matrix.columns), caption, note)

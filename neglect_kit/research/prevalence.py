"""Prevalence and co-occurrence of codes across a coded corpus of reviews: tables and plots for a paper.

The unit counted is the review (a code is present in a review when at least one passage of its final
coding carries it) or the passage (the sentence-level coding unit). The final coding of a passage is
the reconciled one where the coders reconciled it, else the codes every coder of the review applied,
else, for a review with one coder, theirs (`final_coding`).

Tables are for print: plain labels, codes by name, every share with its denominator. In a cross-table
a count below `small_cell` (the settings' `research.small_cell`) is shown as "<5"; where a row has a
total, a second count of the row is hidden too (shown "*"), so that none can be worked out by
subtraction (`hidden_cells`). Each figure comes with its alt text, and its numbers are in a table.

Pure: pandas and Matplotlib (no pyplot), no widgets, no store; `research.records` reads the corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from textwrap import fill
from typing import Any, Literal

import numpy as np
import pandas as pd
from markupsafe import escape
from matplotlib import colormaps
from matplotlib.colors import ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..chronology.timeline import figure_bytes
from ..reports.html import Cell, html_table, image_html
from ..wording import count_words
from .review_schema import AGE_BANDS, OUTCOMES, REVIEW_TYPES, STATUSES

__all__ = ["ATTRIBUTES", "Plot", "Table", "code_names", "cooccurrence", "cooccurrence_plot", "cooccurrence_table",
           "cross_plot", "cross_table", "describe_cooccurrence", "describe_cross", "describe_prevalence",
           "final_coding", "heat_map", "hidden_cells", "prevalence", "prevalence_plot", "prevalence_table",
           "review_table"]

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
ALL = "All reviews"
DENOMINATOR = "Reviews (the denominator)"
SECONDARY = "*"
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
        codings: rows with review_id, passage_id, coder, version, codes (`records.Coding`, mappings
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


@dataclass(frozen=True)
class Plot:
    """A figure as a PNG with its alt text."""

    png: bytes
    alt: str

    def html(self) -> str:
        """The image with its alt text, in the image and printed under it (`reports.html.image_html`)."""
        return image_html(self.png, self.alt, "nk-research-plot")


def _text_colour(rgba: Sequence[float]) -> str:
    """Black or white, whichever reads better on the cell's colour (relative luminance)."""
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgba[:3])
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.18 else "white"


def prevalence_plot(prev: pd.DataFrame) -> Plot:
    """A bar for each code: the share of reviews with it, "n of N" written at the bar's end."""
    n_codes = len(prev)
    fig = Figure(figsize=(8, 0.32 * n_codes + 1.2), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(n_codes)
    shares = prev["Share of reviews"].fillna(0).to_numpy() * 100
    ax.barh(y, shares, color="#0072B2")
    for yi, share, n, d in zip(y, shares, prev["Reviews with the code"], prev["Reviews"], strict=True):
        ax.text(share + 1, yi, f"{n} of {d}", va="center", fontsize=8)
    ax.set_yticks(y, list(prev.index), fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 115)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel("Share of reviews with at least one passage coded (%)")
    ax.spines[["top", "right"]].set_visible(False)
    n_reviews = int(prev["Reviews"].iloc[0]) if n_codes else 0
    ax.set_title(f"Codes across {count_words(n_reviews, 'coded review')}", fontsize=10)
    return Plot(figure_bytes(fig), describe_prevalence(prev))


def describe_prevalence(prev: pd.DataFrame) -> str:
    """The prevalence plot's alt text: what is plotted, the most and least prevalent codes, codes never applied."""
    if prev.empty:
        return "Bar chart of codes across the reviews: the codebook has no codes."
    n_reviews = int(prev["Reviews"].iloc[0])
    used = prev[prev["Reviews with the code"] > 0]
    say = [f"Bar chart of the share of {count_words(n_reviews, 'coded review')} with each of "
           f"{count_words(len(prev), 'code')}, most prevalent first."]

    def each(rows: pd.DataFrame) -> str:
        return "; ".join(f"{name} ({n} of {n_reviews})"
                         for name, n in zip(rows.index, rows["Reviews with the code"], strict=True))
    if used.empty:
        say.append("No code was applied.")
    else:
        say.append(f"Most prevalent: {each(used.head(3))}.")
        if len(used) > 3:
            say.append(f"Least prevalent of those applied: {each(used.tail(min(3, len(used) - 3)))}.")
    never = list(prev.index[prev["Reviews with the code"] == 0])
    if never:
        say.append(f"Never applied: {', '.join(never)}.")
    say.append("Every code's figures are in the table below.")
    return " ".join(say)


def heat_map(values: pd.DataFrame, labels: pd.DataFrame, title: str, colour_label: str, alt: str, *,
             hidden: pd.DataFrame | None = None, top: float | None = None) -> Plot:
    """A grid of cells coloured by value, each with its label written in.

    Colour is never the only encoding: every cell carries its number (or "<5"), and the alt text
    says what the grid shows (the caller writes it: it knows what was counted).

    Args:
        values: the numbers that colour the cells; NaN is left white (the upper triangle, a diagonal
            that is written but not coloured).
        labels: the text of each cell, same shape ("" for none).
        title: the figure's title.
        colour_label: what the colour bar measures.
        alt: the alt text.
        hidden: True where a count is hidden: grey, whatever `values` holds there.
        top: the value of the darkest colour (100 for percentages); the largest value if None.
    """
    rows, cols = values.shape
    fig = Figure(figsize=(max(5.5, 0.5 * cols + 4), max(3.0, 0.42 * rows + 2.4)), layout="constrained")
    ax = fig.add_subplot()
    data = values.to_numpy(dtype=float)
    grey = np.zeros_like(data, dtype=bool) if hidden is None else hidden.to_numpy(dtype=bool)
    data = np.where(grey, np.nan, data)
    cmap = colormaps["Blues"].with_extremes(bad="white")
    norm = Normalize(0, top or (np.nanmax(data) if np.isfinite(data).any() else 1.0) or 1.0)
    image = ax.imshow(np.ma.masked_invalid(data), cmap=cmap, norm=norm, aspect="auto")
    if grey.any():  # hidden counts: a light grey that no count's colour takes (the map starts at white)
        ax.imshow(np.ma.masked_where(~grey, np.ones_like(data)), cmap=ListedColormap(["#d9d9d9"]), aspect="auto")
    for i in range(rows):
        for j in range(cols):
            if text := labels.iat[i, j]:
                colour = "black" if np.isnan(data[i, j]) else _text_colour(cmap(norm(data[i, j])))
                ax.text(j, i, text, ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks(np.arange(cols + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(rows + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xticks(range(cols), [str(c) for c in values.columns], rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(rows), [str(r) for r in values.index], fontsize=8)
    fig.suptitle(fill(title, int(fig.get_figwidth() * 9)), fontsize=10)
    bar = fig.colorbar(image, ax=ax, shrink=0.6)
    bar.set_label(colour_label, fontsize=8)
    if top is None:  # counts: whole numbers on the bar
        bar.locator = MaxNLocator(integer=True)
        bar.update_ticks()
    return Plot(figure_bytes(fig), alt)


def cooccurrence_plot(table: Table, within: Literal["passage", "review"]) -> Plot:
    """`cooccurrence_table`'s lower triangle as a heat map, and its alt text.

    The pairs are coloured; the diagonal (units with the code) is written but not coloured, since
    it would set the scale; hidden counts are grey with "<5".
    """
    counts = table.counts.to_numpy(dtype=int)
    pairs = np.tril(np.ones_like(counts, dtype=bool), k=-1)
    values = pd.DataFrame(np.where(pairs, counts, np.nan), index=table.shown.index, columns=table.shown.columns)
    hidden = table.hidden.to_numpy(dtype=bool) & np.tril(np.ones_like(pairs))
    return heat_map(values, table.shown, table.caption, f"{within.capitalize()}s with both codes",
                    describe_cooccurrence(table, within),
                    hidden=pd.DataFrame(hidden, index=values.index, columns=values.columns))


def describe_cooccurrence(table: Table, within: Literal["passage", "review"]) -> str:
    """The co-occurrence heat map's alt text: its size, the most frequent pairs, what is hidden."""
    counts, hidden = table.counts.to_numpy(dtype=int), table.hidden.to_numpy(dtype=bool)
    names = list(table.counts.index)
    pairs = sorted(((counts[i, j], names[j], names[i]) for i in range(len(names)) for j in range(i)
                    if counts[i, j] and not hidden[i, j]), key=lambda p: -p[0])
    say = [f"Heat map, lower triangle of {count_words(len(names), 'code')} by the same codes: how many "
           f"{within}s had both codes, darker for more; the diagonal, not coloured, is {within}s with the code."]
    if pairs:
        say.append("Most frequent pairs: " + "; ".join(f"{a} with {b} ({count_words(int(n), within)})"
                                                       for n, a, b in pairs[:5]) + ".")
    else:
        say.append("No pair of codes is shown (none applied together, or every count hidden).")
    hidden_lower = hidden & np.tril(np.ones_like(hidden, dtype=bool))
    if hidden_lower.any():
        say.append(f'Counts below the small-cell threshold are grey, marked "{table.shown.values[hidden_lower][0]}".')
    say.append("The counts are in the table below.")
    return " ".join(say)


def cross_plot(table: Table, by: str) -> Plot:
    """`cross_table`'s percentages as a heat map (codes by groups), hidden counts white, and its alt text."""
    counts, hidden = table.counts.iloc[:-1, :-1], table.hidden.iloc[:-1, :-1]
    denominators = table.counts.iloc[-1, :-1].to_numpy()
    d_hidden = table.hidden.iloc[-1, :-1].to_numpy(dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = 100 * counts.to_numpy() / denominators
    grey = hidden.to_numpy(dtype=bool) | d_hidden
    share = np.where(grey, np.nan, share)
    values = pd.DataFrame(share, index=counts.index, columns=counts.columns)
    labels = pd.DataFrame(np.where(grey, table.shown.iloc[:-1, :-1].to_numpy(),
                                   np.char.add(np.round(np.nan_to_num(share)).astype(int).astype(str), "%")),
                          index=counts.index, columns=counts.columns)
    columns = [f"{g}\n(of {table.shown.iat[-1, j]})" for j, g in enumerate(counts.columns)]
    values.columns = labels.columns = columns
    alt = describe_cross(table, by, values)
    return heat_map(values, labels, table.caption, "Share of the group's reviews (%)", alt,
                    hidden=pd.DataFrame(grey, index=values.index, columns=columns), top=100)


def describe_cross(table: Table, by: str, shares: pd.DataFrame) -> str:
    """The cross-table heat map's alt text: its groups and, per group, the code in most of its reviews."""
    groups = list(table.counts.columns[:-1])
    say = [f"Heat map of the share of reviews in each group by {ATTRIBUTES[by].lower()} "
           f"({', '.join(map(str, groups))}) with each of {count_words(len(shares), 'code')}, darker for more."]
    for j, group in enumerate(groups):
        column = shares.iloc[:, j].dropna()
        if column.empty or not column.max():
            say.append(f"{group}: no share shown.")
        else:
            say.append(f"{group}: most often {column.idxmax()} ({round(column.max())}%).")
    if table.hidden.to_numpy().any():
        say.append("Hidden counts are grey.")
    say.append("The counts are in the table below.")
    return " ".join(say)

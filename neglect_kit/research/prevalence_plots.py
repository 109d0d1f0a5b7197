"""Prevalence, cross- and co-occurrence plots for a paper, drawn from `prevalence_tables`' tables. Each figure
comes with its alt text (`describe_*`), and its numbers are in a table.

Pure: pandas and Matplotlib (no pyplot), no widgets, no store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from textwrap import fill
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..chronology.timeline import figure_bytes
from ..reports.html import image_html
from ..wording import count_words
from .prevalence import ATTRIBUTES
from .prevalence_tables import Table

__all__ = ["Plot", "cooccurrence_plot", "cross_plot", "describe_cooccurrence", "describe_cross",
           "describe_prevalence", "heat_map", "prevalence_plot"]


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

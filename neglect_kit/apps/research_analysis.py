"""The analysis notebooks' one object: the coded corpus read once from the database, and its tables and plots.

`notebooks/research/prevalence.ipynb` and `cooccurrence.ipynb` show what each method returns: an HTML part
(each plot with its alt text, in the image and printed under it; the kit's tables) and a plain-text part
holding the same numbers (what a notebook's text output keeps, and what the notebook tests compare, since
they never compare images). Nothing here writes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import ipywidgets as w

from ..config import settings
from ..research import prevalence as pv
from ..research.coded_corpus import CodedCorpus, read_coded_corpus
from ..research.prevalence_plots import Plot, cooccurrence_plot, cross_plot, prevalence_plot
from ..research.prevalence_tables import Table, cooccurrence_table, cross_table, prevalence_table
from ..store import Store
from ..ui.panels import STRICT_ENV, esc, failure_panel, style_block


@dataclass(frozen=True)
class Shown:
    """Tables and plots to show in a notebook: HTML for the page, the same numbers as plain text."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def _table(table: Table) -> Shown:
    text = f"{table.caption}\n{table.shown.to_string()}" + (f"\n{table.note}" if table.note else "")
    return Shown(table.html(), text)


def _with_plot(plot: Plot, table: Table) -> Shown:
    shown = _table(table)
    return Shown(plot.html() + shown.html, f"Plot: {plot.alt}\n\n{shown.text}")


class CorpusAnalysis:
    """Prevalence and co-occurrence of the codes across the coded reviews (`research.prevalence`, its tables and
    plots: `prevalence_tables`, `prevalence_plots`).

    Args:
        corpus: the coded corpus read, or None where it could not be.
        small_cell: counts below this are hidden in a cross-table (the settings' `research.small_cell`).
        failed: the panel saying why the corpus could not be read.
    """

    def __init__(self, corpus: CodedCorpus | None, small_cell: int, failed: w.HTML | None = None):
        self.corpus = corpus
        self.small_cell = small_cell
        self.failed = failed

    @classmethod
    def open(cls, store: Store | None = None) -> CorpusAnalysis:
        """Read the coded corpus from `store` (default: the database `NEGLECT_KIT_DB` names).

        Where it cannot be read (no database, a person who does not read the review corpus), every
        method shows why, in words; under `NEGLECT_KIT_STRICT=1` (the notebook tests) it raises.
        """
        try:
            small_cell = settings().research.small_cell
            return cls(read_coded_corpus(store or Store.open()), small_cell)
        except Exception as exc:  # the reader gets words, not a traceback
            if os.environ.get(STRICT_ENV) == "1":
                raise
            return cls(None, 0, failure_panel("The coded reviews could not be read", exc))

    def _show(self, make: Callable[[CodedCorpus], Shown], *, needs_codes: bool = True) -> Shown | w.HTML:
        """What `make` shows of the corpus; where it could not be read, the panel saying why; where there is
        nothing to draw, that in words."""
        if self.corpus is None:
            return self.failed or w.HTML()
        if needs_codes and (self.corpus.reviews.empty or self.corpus.final.empty):
            said = ("No review is counted yet: a review counts once every coder assigned to it has finished it."
                    if self.corpus.reviews.empty else "No code was applied in the reviews counted.")
            return Shown(f'<p class="nk-note">{esc(said)}</p>', said)
        return make(self.corpus)

    def summary(self) -> Shown | w.HTML:
        """What is counted: reviews and passages, how the final coding was reached, what is left out and why (with
        the kit's stylesheet, for the tables under it)."""
        return self._show(lambda c: Shown(f'{style_block()}<p class="nk-note">{esc(c.summary())}</p>', c.summary()),
                          needs_codes=False)

    def prevalence(self) -> Shown | w.HTML:
        """Each code across the reviews: a bar chart and its table (counts across the whole corpus)."""
        def make(c: CodedCorpus) -> Shown:
            prev = pv.prevalence(c.final, c.reviews, c.names)
            return _with_plot(prevalence_plot(prev), prevalence_table(prev))
        return self._show(make)

    def by(self, attribute: str) -> Shown | w.HTML:
        """Reviews with each code in each group of reviews by `attribute` (one of `prevalence.ATTRIBUTES`), small
        counts hidden: a heat map of the shares and the table."""
        def make(c: CodedCorpus) -> Shown:
            table = cross_table(c.final, c.reviews, c.names, attribute, self.small_cell)
            return _with_plot(cross_plot(table, attribute), table)
        return self._show(make)

    def cooccurrence(self, within: Literal["passage", "review"]) -> Shown | w.HTML:
        """Codes applied to the same passage (or review): a heat map and its table (counts across the whole corpus,
        none hidden, as in the prevalence table)."""
        def make(c: CodedCorpus) -> Shown:
            units = c.passages if within == "passage" else len(c.reviews)
            table = cooccurrence_table(pv.cooccurrence(c.final, c.names, within), within, units)
            return _with_plot(cooccurrence_plot(table, within), table)
        return self._show(make)

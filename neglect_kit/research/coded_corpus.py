"""The coded corpus the analysis counts, read from the store: the reviews every coder has finished, their
final coding, and the denominators (reviews and passages) stated.

A review is counted once it has coders and every one of them has marked it finished: before that, its
codings are blind and may still change. A counted review with no code applied still counts in every
denominator. The tables and plots are `research.prevalence_tables`' and `prevalence_plots`'; this module only
reads.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from ..store import Store
from ..wording import count_words
from . import coding_records, review_records
from .passages import passages
from .prevalence import code_names, final_coding, review_table


@dataclass(frozen=True)
class CodedCorpus:
    """What the analysis counts.

    Attributes:
        final: `prevalence.final_coding` of the reviews counted.
        reviews: `prevalence.review_table` of the reviews counted (the denominators).
        names: code id -> name, the codebook's codes coders apply, in its order.
        passages: the passages (sentences) of the reviews counted, coded or not.
        left_out: review id -> why it is not counted.
    """

    final: pd.DataFrame
    reviews: pd.DataFrame
    names: dict[str, str]
    passages: int
    left_out: dict[str, str]

    def summary(self) -> str:
        """What was counted: reviews and passages, how each final coding was reached, what was left out and why."""
        coded = self.final.drop_duplicates(["review_id", "passage_id"])
        bases = Counter(coded["basis"])
        say = [f"{count_words(len(self.reviews), 'review')} counted ({count_words(self.passages, 'passage')}); "
               f"{count_words(len(coded), 'passage')} carry at least one code in the final coding"]
        if len(coded):
            say[0] += " (" + ", ".join(f"{n} {basis}" for basis in ("reconciled", "agreed", "single coder")
                                       if (n := bases.get(basis))) + ")."
        else:
            say[0] += "."
        if self.left_out:
            say.append(f"Not counted: {'; '.join(f'{rid} ({why})' for rid, why in sorted(self.left_out.items()))}.")
        return " ".join(say)


def _why_not_counted(review: review_records.StoredReview) -> str | None:
    if not review.coders:
        return "no coder assigned"
    if waiting := [c.coder for c in review.coders if c.finished_at is None]:
        return f"{', '.join(waiting)} still coding"
    return None


def read_coded_corpus(store: Store, period_years: int = 5) -> CodedCorpus:
    """Read the corpus the analysis counts.

    Args:
        store: the database (the person must read the review corpus: a researcher, or one person's own).
        period_years: width of the bands of years published.

    Raises:
        Forbidden: the person does not read the review corpus.
    """
    left_out, counted = {}, []
    for review in review_records.reviews(store):
        if why := _why_not_counted(review):
            left_out[review.id] = why
        else:
            counted.append(review)
    ids = {r.id for r in counted}
    final = final_coding([c for c in coding_records.codings(store) if c.review_id in ids],
                         [r for r in coding_records.reconciliations(store) if r.review_id in ids],
                         coders={r.id: [c.coder for c in r.coders] for r in counted})
    n_passages = sum(len(passages(review_records.review(store, r.id).text)) for r in counted)
    return CodedCorpus(final, review_table({r.id: r.meta for r in counted}, period_years),
                       code_names(coding_records.codebook(store)), n_passages, left_out)

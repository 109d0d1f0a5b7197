"""Signs that keep coming back: a child's chronology read for patterns over sliding windows.

One missed appointment is easy to explain away; five in a year is a pattern (DOMAIN.md 6).
For each indicator the child's entries of that category are taken in date order; a pattern
is any stretch where at least the threshold number fall within the window (both from the
settings). Overlapping stretches join into one finding, which lists every entry behind it.

An incident two agencies reported counts once (its later report is marked `duplicate_of`);
withdrawn entries and entries from before the child was born are left out (a missed
antenatal appointment is the mother's, not the child's).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..chronology.categorise import infer_category
from ..config import Settings
from ..findings import Finding
from ..wording import span_text

# indicator (a category code) -> what happened to the child, in words that follow the name
INDICATORS: dict[str, str] = {
    "was_not_brought": "was not brought to health appointments",
    "attendance": "had school or nursery attendance concerns",
    "home_conditions": "had concerns about the home recorded",
    "injury": "had injuries recorded",
    "police_callout": "had the police called to the home",
    "referral": "was referred to children's services or another agency",
    "worker_change": "had a change of worker",
    "household_change": "had a change in the household",
    "hunger_food": "was recorded as hungry or without food",
    "physical_care": "had concerns about physical care or hygiene recorded",
    "growth_weight": "had concerns about growth or weight recorded",
    "no_access": "had visits where the worker could not get in or see anyone (no access)",
}


def _names(column: pd.Series, child: str) -> pd.Series:
    """Rows whose '; '-joined ids include `child` (split once, compared as whole ids, vectorised)."""
    ids = column.fillna("").str.split("; ").explode()
    return ids.eq(child).groupby(level=0).any().reindex(column.index, fill_value=False)


def child_rows(frame: pd.DataFrame, child: str) -> pd.DataFrame:
    """The child's own entries, each incident once, as `records.entries_frame` gives them."""
    if frame.empty:
        return frame
    mask = (_names(frame["children"], child) & ~_names(frame["pre_birth"], child)
            & (frame["duplicate_of"].fillna("") == "") & (frame["status"] != "withdrawn")
            & frame["earliest"].notna())
    return frame[mask]


# An indicator that is a kind of a broader category: a visit filed under an agency's generic type
# ("Visit", read as a home visit) whose words say nobody answered is a no-access visit all the same.
NARROWER_OF: dict[str, str] = {"no_access": "home_visit"}


def _of_indicator(rows: pd.DataFrame, code: str, cfg: Settings, read: dict[str, str]) -> pd.Series:
    """Rows of the indicator's category, and rows of its broader category whose words read as it.

    `read` holds the category each description read as (`infer_category`), filled in as texts are met."""
    mask = rows["category"] == code
    broader = NARROWER_OF.get(code)
    if broader is not None and (wide := rows["category"] == broader).any():
        texts = rows.loc[wide, "description"].fillna("")
        for t in set(texts).difference(read):
            read[t] = infer_category([t], cfg.categories, cfg.risk_terms)
        mask.loc[wide] = [read[t] == code for t in texts]
    return mask


def _stretches(days: list[date], window: int, threshold: int) -> list[tuple[int, int, int]]:
    """(first, last, most within one window) index runs where `threshold` dates fall within `window` days."""
    runs: list[tuple[int, int, int]] = []
    j = 0
    for i in range(len(days)):
        j = max(j, i)
        while j + 1 < len(days) and (days[j + 1] - days[i]).days <= window:
            j += 1
        size = j - i + 1
        if size < threshold:
            continue
        if runs and i <= runs[-1][1]:
            first, _, most = runs[-1]
            runs[-1] = (first, j, max(most, size))
        else:
            runs.append((i, j, size))
    return runs


def _window_words(days: int) -> str:
    return f"{days // 365} year{'s' * (days // 365 > 1)}" if days % 365 == 0 else f"{days} days"


def indicator_findings(frame: pd.DataFrame, child: str, child_label: str, cfg: Settings,
                       agency_labels: dict[str, str] | None = None, rows: pd.DataFrame | None = None,
                       categories_read: dict[str, str] | None = None) -> list[Finding]:
    """Every pattern of each indicator in one child's chronology.

    Args:
        frame: the case's entries as `records.entries_frame` gives them.
        child: the child's id.
        child_label: the name (or role label) the message uses.
        cfg: settings giving `pattern_window_days` and `indicator_thresholds`.
        agency_labels: code -> label for the message; the vocabulary's labels if None.
        rows: the child's rows of `frame` (`child_rows`), when the caller has them already.
        categories_read: description -> the category its words read as, kept by the caller so the children
            of one case (an entry about both) read each description once; filled in here.

    Returns:
        One finding per stretch, in indicator order then date.
    """
    labels = agency_labels or cfg.agencies.labels()
    rows = child_rows(frame, child) if rows is None else rows
    window = cfg.pattern_window_days
    read = {} if categories_read is None else categories_read
    out = []
    for code, words in INDICATORS.items():
        threshold = cfg.indicator_thresholds.get(code)
        hits = rows[_of_indicator(rows, code, cfg, read)].sort_values(["earliest", "record_id"], kind="stable")
        if threshold is None or len(hits) < threshold:
            continue
        days = list(hits["earliest"])
        for first, last, most in _stretches(days, window, threshold):
            part = hits.iloc[first:last + 1]
            agencies = list(dict.fromkeys(part["agency"]))
            n = len(part)
            message = (f"{child_label} {words} {n} times between {span_text(days[first], days[last])} "
                       f"({', '.join(labels.get(a, a) for a in agencies)}); up to {most} within "
                       f"{_window_words(window)}.")
            out.append(Finding("indicator", code, child, days[first], days[last], message,
                               {"entries": n, "agencies": len(agencies), "most_in_window": most,
                                "window_days": window},
                               tuple(part["record_id"])))
    return out

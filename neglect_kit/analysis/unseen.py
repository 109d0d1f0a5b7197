"""The child unseen and unheard, and the child missing from the records (the adult focus).

Gaps: over the time the records cover (from the first entry or the birth, whichever is later,
to the child's latest record of any kind, and never past the as-at date), the stretches without
the child being seen, seen alone and heard, counted as `assessment.voice.contact_dates` counts
them (columns, voice records, the assessments' visits and child's view, and the entries' words).
When a gap is longer than the settings' `contact_days`, the finding names the longest gap and
the most recent one over the limit with their dates, and how many were over it. When nothing in
the child's records could show it (no sighting either way, no how-known value, no words: see
`tells`), the finding is
"<key>_not_recorded" and says the records do not say; it never says "never".

Shares, from the child's own entries (each incident once): entries holding the child's words (in
the child's-words column, or quoted or reported in the entry's words);
entries recording the impact on the child (an impact other than unknown, or a note of it);
entries about the adults only (naming a parent or another adult of the case, or mum, dad, parent,
partner, and naming no child: not the child, a sibling, or child, baby, son, daughter, kids).
How long since the child was last seen, against today, is the day-in-the-life app's warning.
Each share is raised when beyond its limit in the settings' `record_shares`; the entries
listed are the ones counted.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

import pandas as pd

from ..assessment.voice import contact_dates
from ..chronology.contact_words import ContactReader
from ..findings import Finding
from ..term_reader.patterns import alternation
from ..wording import count_words, day_text, duration, month_text
from .case_data import CaseData

_WHAT = {"seen": "seen", "seen_alone": "seen alone", "heard": "heard (words, play or behaviour recorded)"}
_ADULT_WORDS = ("mum", "mummy", "mother", "dad", "daddy", "father", "parent", "parents", "partner", "stepfather",
                "stepmother", "carer", "carers", "grandmother", "grandfather", "nan", "grandad")
_CHILD_WORDS = ("child", "children", "childs", "baby", "babies", "son", "daughter", "kids", "sibling", "siblings",
                "toddler", "pupil", "infant")


def _known_span(data: CaseData, child: str, rows: pd.DataFrame) -> tuple[date, date] | None:
    """From the first entry (or the birth, if later) to the child's latest record of any kind."""
    if rows.empty:
        return None
    birth = data.birth(child)
    start = max(rows["earliest"].min(), birth) if birth else rows["earliest"].min()
    latest = [rows["earliest"].max(), *(v.on for v in data.voice_of(child)),
              *(a.assessed_on for a in data.assessments_of(child)), *(d.recorded_on for d in data.days_of(child))]
    return start, max(min(max(latest), data.today), start)


def contact_reader(data: CaseData) -> ContactReader:
    """The case's reader of contact from words: its children's first names and known-as, its adults' names."""
    def make() -> ContactReader:
        children = {c: [n for n in data.names_of(p) if len(n.split()) == 1] for c, p in data.children.items()}
        adults = [n for p in data.people if p["kind"] != "child" for n in data.names_of(p)]
        return ContactReader(children, adults, data.cfg.contact_terms)

    return data.memo("contact_reader", make)


def child_contact(data: CaseData, child: str) -> dict[str, list[tuple[date, str | None]]]:
    """`contact_dates` for the child as at the case's day, worked out once: the gap and share rules
    both read it, and each takes the stretch it needs."""
    return data.memo(("contact", child), lambda: contact_dates(
        data.voice_of(child), data.frame, data.today, child=child, reader=contact_reader(data),
        assessments=data.assessments_of(child)))


def heard_entries(data: CaseData, child: str) -> set[str]:
    """Ids of the child's entries that hold the child's words: the child's-words column, known because
    the child said so, or words that quote or report the child ("Kai said he was hungry")."""
    return data.memo(("heard", child), lambda: {rid for _, rid in child_contact(data, child)["heard"] if rid})


def _gap_end(day: date, mark: str | None, first: date, last: date) -> str:
    """'3 Mar 2019', with '(the first record)' or '(the latest record)' when the gap runs to either."""
    if mark is None and day == first:
        return f"{day_text(day)} (the first record)"
    if mark is None and day == last:
        return f"{day_text(day)} (the latest record)"
    return day_text(day)


def gap_findings(data: CaseData, child: str, label: str) -> list[Finding]:
    """For seen, seen alone and heard: the gaps over the limit, named with their dates; or, where the
    records hold no way to know, a finding that says they do not say."""
    rows = data.rows(child)
    span = _known_span(data, child, rows)
    if span is None:
        return []
    start, end = span
    dates = {k: [d for d in v if start <= d[0] <= end] for k, v in child_contact(data, child).items()}
    # what would show the answer if it were there: a sighting either way, a how-known value
    tells = {"seen": ("seen", "not_seen", "how_known"), "seen_alone": ("seen_alone", "not_alone", "not_seen"),
             "heard": ("heard", "how_known")}
    period = f"{duration(start, end)} ({month_text(start)} to {month_text(end)})"
    out = []
    for key, limit in data.cfg.contact_days.items():
        times = dates.get(key, [])
        if (end - start).days <= limit:
            continue
        if not any(dates.get(k) for k in tells.get(key, (key,))):
            message = (f"In {count_words(len(rows), 'entry', 'entries')} over {period}, these records do not say "
                       f"when {label} was {_WHAT[key]}: no column holds it and no words say it. Ask the agencies; "
                       f"the limit set is {limit} days.")
            out.append(Finding("unseen", f"{key}_not_recorded", child, start, end, message,
                               {"entries": len(rows), "span_days": (end - start).days, "limit_days": limit}, ()))
            continue
        marks = [(start, None), *times, (end, None)]
        gaps = [(b[0] - a[0], a, b) for a, b in pairwise(marks)]
        longest, a, b = max(gaps, key=lambda g: g[0])
        over = [g for g in gaps if g[0].days > limit]
        if longest.days <= limit:
            continue
        if not times:
            told = [f"{what} {count_words(len(dates[k]), 'time')}" for k, what in
                    (("not_seen", "not seen"), ("not_alone", "seen with an adult present"),
                     ("seen", "seen"), ("how_known", "with how it was known")) if k in tells[key] and dates.get(k)]
            message = (f"These records do not show {label} {_WHAT[key]} in {period}: they record {label} "
                       f"{' and '.join(told)}; the limit set is {limit} days.")
        else:
            _, ra, rb = over[-1]
            gap_words = f"the longest gap was {duration(a[0], b[0])} ({_gap_end(a[0], a[1], start, end)} to " \
                f"{_gap_end(b[0], b[1], start, end)})"
            if (ra, rb) != (a, b):
                gap_words += (f"; the most recent was {duration(ra[0], rb[0])} ({_gap_end(ra[0], ra[1], start, end)}"
                              f" to {_gap_end(rb[0], rb[1], start, end)})")
            else:
                gap_words += ", and it is the most recent"
            # "recorded as": the records show these times; the child may have been seen at others
            message = (f"{label} was recorded as {_WHAT[key]} {count_words(len(times), 'time')} in {period}; "
                       f"{gap_words}; "
                       f"{count_words(len(over), 'gap')} {'was' if len(over) == 1 else 'were'} longer than the "
                       f"{limit} days set.")
        ids = tuple(i for i in (a[1], b[1]) if i)
        out.append(Finding("unseen", key, child, a[0], b[0], message,
                           {"times": len(times), "longest_days": longest.days, "gaps_over_limit": len(over),
                            "limit_days": limit, "recent_days": over[-1][0].days}, ids))
    return out


def _word_set(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"\b{alternation(words)}\b", re.IGNORECASE)


def _adults_only(data: CaseData, rows: pd.DataFrame) -> pd.Series:
    """Which of `rows` are about the adults only (worked out once over the case's entries)."""
    def whole_case() -> pd.Series:
        adults = [n for p in data.people if p["kind"] != "child" for n in data.names_of(p)]
        children = [n for p in data.children.values() for n in data.names_of(p)]
        text = data.frame["description"].fillna("")
        return (text.str.contains(_word_set((*_ADULT_WORDS, *adults))) & ~text.str.contains(
            _word_set((*_CHILD_WORDS, *children))) & (data.frame["child_words"].fillna("") == ""))

    return data.memo("adults_only", whole_case).loc[rows.index]


def share_findings(data: CaseData, child: str, label: str) -> list[Finding]:
    """Shares of the child's entries with the child's words, the impact on the child, or the adults only."""
    rows = data.rows(child)
    if rows.empty:
        return []
    limits = data.cfg.record_shares
    n = len(rows)
    start, end = rows["earliest"].min(), rows["earliest"].max()
    words = (rows["child_words"].fillna("").str.strip() != "") | rows["record_id"].isin(heard_entries(data, child))
    impact = (rows["impact"] != "unknown") | (rows["impact_note"].fillna("").str.strip() != "")
    adult = _adults_only(data, rows)
    out = []
    checks = (
        ("child_words", words, words.mean() < limits["child_words_min"], limits["child_words_min"],
         f"hold {label}'s own words", "at least"),
        ("impact", impact, impact.mean() < limits["impact_min"], limits["impact_min"],
         f"record what it meant for {label}", "at least"),
        ("adult_focus", adult, adult.mean() > limits["adult_focus_max"], limits["adult_focus_max"],
         f"are about the adults only, with no mention of {label} or any child", "at most"))
    for code, mask, raised, limit, what, bound in checks:
        if not raised:
            continue
        k = int(mask.sum())
        ids = tuple(rows.loc[mask, "record_id"])
        of = f"{k} of the {n} entries about {label} ({k / n:.0%}; each incident once, none from before birth)"
        if k == 0:  # "Only 0 of the 22" reads as a slip: say none
            of = f"none of the {n} entries about {label} (each incident once, none from before birth)"
        message = (f"Only {of} {what}" if bound == "at least" and k else f"{of[0].upper()}{of[1:]} {what}") + \
            f"; the kit looks for {bound} {limit:.0%}. What is life like for {label}?"
        out.append(Finding("record_share", code, child, start, end, message,
                           {"entries": n, "matching": k, "share": round(k / n, 3), "limit": limit}, ids))
    return out

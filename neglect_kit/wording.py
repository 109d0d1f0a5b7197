"""Dates and lengths of time in the plain words findings and records use."""

from __future__ import annotations

from datetime import date


def day_text(day: date) -> str:
    """'16 Sep 2019'."""
    return f"{day.day} {day:%b %Y}"


def month_text(day: date) -> str:
    """'Sep 2019'."""
    return f"{day:%b %Y}"


def span_text(start: date, end: date) -> str:
    """'May 2016 and Jan 2018', or one month when both fall in it (for 'between ...')."""
    first, last = month_text(start), month_text(end)
    return first if first == last else f"{first} and {last}"


def duration(start: date, end: date) -> str:
    """The time from `start` to `end` in whole years and months: '3 years 11 months', '5 weeks'."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    if months < 1:
        weeks = max((end - start).days // 7, 0)
        return f"{weeks} week{'s' * (weeks != 1)}" if weeks else f"{(end - start).days} days"
    years, months = divmod(months, 12)
    parts = ([f"{years} year{'s' * (years != 1)}"] if years else []) + \
        ([f"{months} month{'s' * (months != 1)}"] if months else [])
    return " ".join(parts)


def count_words(n: int, one: str, many: str | None = None) -> str:
    """'1 entry', '3 entries'."""
    return f"{n} {one if n == 1 else (many or one + 's')}"

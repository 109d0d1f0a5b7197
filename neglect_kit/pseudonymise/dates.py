"""Dates in a pseudonymised extract: one keyed shift per case, and ages in bands instead of birth dates.

Every date of a case moves by the same whole number of weeks, so every interval between two dates and
every weekday survive (how long between the referral and the visit; was it a Monday), while the calendar
dates, which could be matched with a news story, do not. The shift comes from a secret key and the case:
the same key gives the same shift, and without the key it cannot be worked back.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
from datetime import date, timedelta

MAX_WEEKS = 52
# upper bound (inclusive) of each band, in whole years; the review corpus's bands for children, then adults'
AGE_BANDS = ((0, "under 1"), (5, "1-5"), (10, "6-10"), (15, "11-15"), (17, "16-17"), (24, "18-24"),
             (34, "25-34"), (44, "35-44"), (54, "45-54"), (64, "55-64"))


def date_offset(key: bytes, case_id: str) -> timedelta:
    """The case's shift: a whole number of weeks between -52 and 52, never 0, from HMAC-SHA256(key, case).

    Raises:
        ValueError: an empty key (the shift would be the same for anyone).
    """
    if not key:
        raise ValueError("the date-shift key is empty: give a secret key of at least 16 bytes")
    n = int.from_bytes(hmac.new(key, case_id.encode("utf-8"), hashlib.sha256).digest()[:8], "big")
    slot = n % (2 * MAX_WEEKS)  # 0..103
    weeks = slot - MAX_WEEKS if slot < MAX_WEEKS else slot - MAX_WEEKS + 1  # -52..-1, 1..52
    return timedelta(weeks=weeks)


def age_in_years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_band(date_of_birth: date | None, on: date) -> str:
    """The band of someone's age on a day: "under 1", "1-5", "6-10", "11-15", "16-17", then ten-year bands
    of adults ("25-34") and "65+"; "unborn" before the birth, "not known" without a birth date."""
    if date_of_birth is None:
        return "not known"
    if date_of_birth > on:
        return "unborn"
    years = age_in_years(date_of_birth, on)
    return next((band for top, band in AGE_BANDS if years <= top), "65+")


def date_pattern(day: date) -> str:
    """A regex for one day written as records write it: 21/07/2014, 21.7.14, 2014-07-21, 21st July 2014,
    21 Jul 2014, July 21, 2014 (the caller decides the case sensitivity)."""
    d = rf"0?{day.day}(?:st|nd|rd|th)?"
    m_num = rf"0?{day.month}"
    month = calendar.month_name[day.month]
    m_word = rf"(?:{month}|{month[:3]}\.?)"
    y = rf"(?:{day.year}|{day.year % 100:02d})"
    sep = r"\s*[/.\-]\s*"
    forms = (rf"{d}{sep}{m_num}{sep}{y}", rf"{day.year}{sep}0?{day.month}{sep}0?{day.day}",
             rf"{d}(?:\s+of)?\s+{m_word},?\s+{y}", rf"{m_word}\s+{d},?\s+{y}")
    return r"(?<![\w/.\-])(?:" + "|".join(forms) + r")(?![\w/]|[.\-]\d)"


# a day in any common written form, for "DOB ..." and "born ..." in text (a `regex` pattern: Presidio compiles
# with the `regex` module, which knows `\K`)
_MONTH = "(?:" + "|".join(rf"{m[:3]}(?:{m[3:]})?" for m in calendar.month_name[1:]) + r")\.?"
ANY_DAY = (r"(?:\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}|\d{4}-\d{1,2}-\d{1,2}"
           rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH},?\s+\d{{2,4}}"
           rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{2,4}})")
DOB_CUE = r"(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?|b\.)"
# the cue anchors the match and `\K` keeps it out of the span replaced (far faster than a look-behind tried at
# every position of the text)
DATE_OF_BIRTH = rf"\b{DOB_CUE}\W{{0,3}}\K" + ANY_DAY

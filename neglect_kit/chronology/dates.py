"""The kit's date reader, for the chronology's modules: it lives in the core (`neglect_kit.dates`) so the
widget pieces under the chronology (`ui.date_input`) read a typed date with the same rules."""

from ..dates import (
    MONTHS,
    PRECISIONS,
    SEASONS,
    DateError,
    EventDate,
    long_date,
    parse_event_date,
    parse_plain_date,
    quoted,
)

__all__ = ["MONTHS", "PRECISIONS", "SEASONS", "DateError", "EventDate", "long_date", "parse_event_date",
           "parse_plain_date", "quoted"]

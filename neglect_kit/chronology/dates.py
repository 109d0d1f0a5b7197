"""The kit's date reader, for the chronology's modules: it lives in the core (`neglect_kit.dates`) so the
widget pieces under the chronology (`ui.date_input`) read a typed date with the same rules."""

from ..dates import PRECISIONS, DateError, EventDate, parse_event_date, parse_plain_date, quoted

__all__ = ["PRECISIONS", "DateError", "EventDate", "parse_event_date", "parse_plain_date", "quoted"]

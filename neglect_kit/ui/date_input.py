"""One date control for every form and filter: typed day first, read by the kit's own date reader.

The browser's date picker showed mm/dd/yyyy to UK users, took four Tab stops, and a date typed the UK
way into it was silently dropped. Here the user types as they write ("13/6/2018", "13 June 2018",
"2018-06-13"); the date is read by `dates.parse_plain_date`, the rule the chronology's fields and
imports use, and shown back in words under the box ("Wednesday 13 June 2018") or, when it cannot be
read, why. One text box: one Tab stop.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import ipywidgets as w
import traitlets
from markupsafe import escape

from ..dates import DateError, parse_plain_date
from .guard import guard

HINT = "day first, e.g. 13/6/2018"


def spoken(day: date) -> str:
    """A date in words, as the control shows back what it read: "Wednesday 13 June 2018"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def read_day(typed: str, label: str = "date") -> date | None:
    """The day a person typed (None for a blank box).

    Raises:
        DateError: the text is not one exact day the kit can read; the message says why in words.
    """
    if not typed.strip():
        return None
    return parse_plain_date(typed.strip(), label, allow_future=True)


class DateField(w.VBox):
    """A text box read day first, and under it (in line with the box) the date it read or why it could not.

    It keeps the interface the apps use of the date picker it replaces: `.value` is a `datetime.date`
    or None (setting it writes the date into the box), `observe(..., names="value")` fires when the
    date read changes, `.description` is its label. Text that cannot be read leaves `.value` None and
    `.error` saying why, shown under the box (a filter then filters on no date, and says so).
    """

    value = traitlets.Any(None, allow_none=True)

    def __init__(self, description: str, value: date | None = None, style: dict[str, str] | None = None,
                 width: str = "22em", **kwargs: Any):
        # the value reaches the kernel when the user leaves the box or presses Enter, not at each key:
        # half a date ("13/6/20") is a whole different date
        self.text = w.Text(description=description, placeholder=HINT, continuous_update=False,
                           style=style or {}, layout=w.Layout(width=width))
        # under the box, not beside it: a row of two dates and a button stays readable
        indent = (style or {}).get("description_width", "")
        self.reading = w.HTML(layout=w.Layout(margin=f"0 0 0 calc({indent} + 4px)" if indent.endswith("em") else "0"))
        self.error = ""
        self._writing = False
        super().__init__([self.text, self.reading], **kwargs)
        self.add_class("nk-date")
        self._on_typed = guard("read the date", self.reading, self._typed)
        self.text.observe(self._on_typed, names="value")
        self.observe(guard("show the date", self.reading, self._show_value), names="value")
        if value is not None:
            self.value = value

    @property
    def description(self) -> str:
        return self.text.description

    # the box's own tooltip would break its view in the browser (the widgets' script reads a description a
    # box does not have), so a tooltip is the text box's
    @property
    def tooltip(self) -> str | None:  # type: ignore[override]
        return self.text.tooltip

    @tooltip.setter
    def tooltip(self, words: str | None) -> None:
        self.text.tooltip = words

    @property
    def disabled(self) -> bool:
        return self.text.disabled

    @disabled.setter
    def disabled(self, on: bool) -> None:
        self.text.disabled = on

    @traitlets.validate("value")
    def _a_day(self, proposal: dict[str, Any]) -> date | None:
        new = proposal["value"]
        if isinstance(new, datetime):
            return new.date()
        if new is None or isinstance(new, date):
            return new
        raise traitlets.TraitError(f"{self.description}: a date or None, not {type(new).__name__}")

    def _show_value(self, change: dict[str, Any]) -> None:
        if self._writing:  # the change came from the box: keep what the user typed
            return
        new = change["new"]
        self._set_text(f"{new.day} {new:%B %Y}" if new else "")
        self._show(new, "")

    def _set_text(self, typed: str) -> None:
        self.text.unobserve(self._on_typed, names="value")
        try:
            self.text.value = typed
        finally:
            self.text.observe(self._on_typed, names="value")

    def _typed(self, change: dict[str, Any]) -> None:
        try:
            day, error = read_day(change["new"], self.description), ""
        except DateError as exc:
            day, error = None, str(exc)
        self._show(day, error)
        self._writing = True
        try:
            self.value = day
        finally:
            self._writing = False

    def _show(self, day: date | None, error: str) -> None:
        self.error = error
        if error:
            self.reading.value = (f'<span class="nk-field-error" role="alert">Not read as a date: '
                                  f"{escape(error)}</span>")
        else:
            self.reading.value = f'<span class="nk-date-read">{escape(spoken(day))}</span>' if day else ""

    def focus(self) -> None:
        """Put the keyboard's focus in the box."""
        self.text.focus()

    def blur(self) -> None:
        self.text.blur()

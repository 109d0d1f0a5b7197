"""Form fields that check themselves as they are filled, each error shown beside its field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

import ipywidgets as w

from .panels import esc

LABEL_WIDTH = "14em"
STYLE = {"description_width": LABEL_WIDTH}


class CheckResult(Protocol):
    value: Any
    error: str


def text(label: str, placeholder: str = "", width: str = "36em") -> w.Text:
    return w.Text(description=label, placeholder=placeholder, style=STYLE, layout=w.Layout(width=width))


def area(label: str, placeholder: str = "", rows: int = 3) -> w.Textarea:
    return w.Textarea(description=label, placeholder=placeholder, rows=rows, style=STYLE,
                      layout=w.Layout(width="48em"))


def date_field(label: str, value: date | None = None) -> w.DatePicker:
    """A date field wide enough to show the whole date."""
    return w.DatePicker(description=label, value=value, style=STYLE, layout=w.Layout(width="26em"))


def choice(label: str, options: list[tuple[str, str]], blank: str = "Choose...") -> w.Dropdown:
    """A dropdown whose first option is blank (value ""), so nothing is chosen for the user."""
    return w.Dropdown(description=label, options=[(blank, ""), *options], value="", style=STYLE,
                      layout=w.Layout(width="36em"))


class Field:
    """A control, the check of its value, and the place beside it where its error shows."""

    def __init__(self, name: str, control: w.ValueWidget, check: Callable[[Any], CheckResult] | None = None):
        self.name = name
        self.control = control
        self.check = check
        self.message = w.HTML(layout=w.Layout(margin="0 0 0 1em"))
        self.box = w.HBox([control, self.message])
        control.observe(self._changed, names="value")

    def _changed(self, _change: dict[str, Any]) -> None:
        self.validate()

    @property
    def value(self) -> Any:
        return self.control.value

    @value.setter
    def value(self, new: Any) -> None:
        self.control.value = new

    def validate(self) -> CheckResult | None:
        """Check the value now, show the error (or clear it), and give the result."""
        if self.check is None:
            return None
        result = self.check(self.control.value)
        self.show(result.error)
        return result

    def show(self, error: str) -> None:
        label = getattr(self.control, "description", self.name)
        self.message.value = (f'<span class="nk-field-error" role="alert"><strong>{esc(label)}:</strong> '
                              f"{esc(error)}</span>" if error else "")

    @property
    def error(self) -> str:
        return self.message.value

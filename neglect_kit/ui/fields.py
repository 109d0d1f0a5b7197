"""Form fields that check themselves as they are filled, each error shown beside its field."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

import ipywidgets as w

from .guard import guard
from .panels import esc

if TYPE_CHECKING:
    from .date_input import DateField

LABEL_WIDTH = "14em"
STYLE = {"description_width": LABEL_WIDTH}
_FITS = 22  # characters a label of LABEL_WIDTH shows whole; a longer one takes the room it needs


@cache
def shared_layout(**css: str) -> w.Layout:
    """One layout model that many widgets hold, for those whose layout never changes (hiding one would
    hide them all): every widget's own layout is a model the browser must build before the page shows,
    and a form's fields, messages and rows would otherwise bring a hundred."""
    return w.Layout(**css)


def label_style(label: str) -> dict[str, str]:
    """The aligned label width, or the label's own width when it would be cut short (a cut label
    hides words the user needs, and screen magnifier users see only the cut)."""
    return STYLE if len(label) <= _FITS else {"description_width": "initial"}


def button(label: str, style: str = "") -> w.Button:
    """A button as wide as its words. Colours: "primary" or "danger" only, which keep white text at
    4.5:1 or more (WCAG 1.4.3); "warning", "success" and "info" do not."""
    return w.Button(description=label, button_style=style, layout=w.Layout(width="max-content"))


class CheckResult(Protocol):
    value: Any
    error: str


def refill(picker: w.Dropdown, options: list[tuple[str, Any]]) -> None:
    """New options, keeping the chosen one when it is still there, else the first: never a blank
    picker, and never a next step acting on another record than the one chosen."""
    chosen = picker.value
    picker.options = options
    values = [v for _, v in options]
    picker.value = chosen if chosen in values else (values[0] if values else None)


def _width(width: str, hides: bool) -> w.Layout:
    """A control's layout: one shared by the controls of its width, unless the control is hidden and shown
    on its own (`hides`), which needs a layout of its own."""
    return w.Layout(width=width) if hides else shared_layout(width=width)


# Free text is sent to the kernel once, when the field is left (`continuous_update=False`): sent per keystroke,
# the browser holds back a field's updates while one is in flight, and a button's click (never held back) then
# overtakes them, so a fast "type, Tab, Enter" on a busy server saved the text cut short.
def text(label: str, placeholder: str = "", width: str = "36em", *, hides: bool = False) -> w.Text:
    return w.Text(description=label, placeholder=placeholder, style=label_style(label), layout=_width(width, hides),
                  continuous_update=False)


def area(label: str, placeholder: str = "", rows: int = 3, *, hides: bool = False) -> w.Textarea:
    return w.Textarea(description=label, placeholder=placeholder, rows=rows, style=label_style(label),
                      layout=_width("48em", hides), continuous_update=False)


def date_field(label: str, value: date | None = None, style: dict[str, str] | None = None) -> DateField:
    """The kit's one date control: typed day first, the date it read shown back in words (`date_input`)."""
    from .date_input import DateField  # here: its date parsing brings numpy, which a form without dates never needs

    return DateField(label, value, style=style or label_style(label), width="25em" if style is None else "12em")


def choice(label: str, options: list[tuple[str, str]], blank: str = "Choose...", *, hides: bool = False
           ) -> w.Dropdown:
    """A dropdown whose first option is blank (value ""), so nothing is chosen for the user."""
    return w.Dropdown(description=label, options=[(blank, ""), *options], value="", style=label_style(label),
                      layout=_width("36em", hides))


_to_focus: list[Field] = []  # the fields found wrong while a button's action runs, in the order checked


def _focus_first() -> None:
    """Move the keyboard's focus to the first field found wrong, once the action has finished."""
    wrong, _to_focus[:] = list(_to_focus), []
    if wrong:
        wrong[0].control.focus()


class Field:
    """A control, the check of its value, and the place beside it where its error shows.

    A form's check calls `validate()` on its fields in the order they are shown; when any is wrong the
    keyboard's focus moves to the first of them once the button's action has finished (read out with
    its error), not to the last message at the foot of the form. A field checked as its value changes
    shows its error but leaves the focus where the user put it.
    """

    def __init__(self, name: str, control: w.ValueWidget, check: Callable[[Any], CheckResult] | None = None):
        self.name = name
        self.control = control
        self.check = check
        self.message = w.HTML(layout=shared_layout(margin="0 0 0 1em"))
        self.box = w.HBox([control, self.message], layout=shared_layout())
        control.observe(guard(f"check {name}", self.message, self._changed), names="value")

    def _changed(self, _change: dict[str, Any]) -> None:
        self._check()

    @property
    def value(self) -> Any:
        return self.control.value

    @value.setter
    def value(self, new: Any) -> None:
        self.control.value = new

    def _check(self) -> CheckResult | None:
        if self.check is None:
            return None
        result = self.check(self.control.value)
        self.show(result.error)
        return result

    def validate(self) -> CheckResult | None:
        """Check the value now, show the error (or clear it), and give the result; a wrong field is
        a candidate for the focus (the first of a form's wrong fields takes it)."""
        result = self._check()
        if result is not None and result.error:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no event loop: a script, with no browser to focus
                return result
            if not _to_focus:  # once this action is over, so that every field has been checked first
                loop.call_soon(_focus_first)
            _to_focus.append(self)
        return result

    def show(self, error: str) -> None:
        """Show `error` beside the control (a blank one clears it)."""
        label = getattr(self.control, "description", self.name)
        self.message.value = (f'<span class="nk-field-error" role="alert"><strong>{esc(label)}:</strong> '
                              f"{esc(error)}</span>" if error else "")

    @property
    def error(self) -> str:
        return self.message.value

"""The one strict base model and the checks the kit's models share, each written once.

Every model of a record or a file refuses a key it does not know (a typo is never dropped
silently), so every model derives from `Strict`. The checks below are pydantic validators to put in
a field's `Annotated` type, each taking the words of its refusal from the model that uses it, so a
rule (a date not in the future, one child per record, a choice from a list) is kept in one place
while each record names its own field in its own terms.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from typing import Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationInfo
from pydantic_core import PydanticCustomError

from .wording import day_text


class Strict(BaseModel):
    """Unknown fields refused, whatever the model; a model adds its own config over this."""

    model_config = ConfigDict(extra="forbid")


class Trimmed(Strict):
    """Strict, with text trimmed of outer spaces (what a person types in a form)."""

    model_config = ConfigDict(str_strip_whitespace=True)


def refusal(message: str, **context: Any) -> PydanticCustomError:
    """A validation error whose message is `message` as written (no `{}` formatting of its words).

    `context` travels with the error: the settings use `key` (the path below the field that is wrong)
    to name the key in their one-line message.
    """
    return PydanticCustomError("refused", "{message}", {"message": message, **context})


def not_future(refuse: str) -> AfterValidator:
    """A date no later than today (`today` in the validation context, else the clock's).

    Args:
        refuse: the refusal, with `{day}` where the date goes ("recorded on {day} is in the future").
    """
    def check(value: date, info: ValidationInfo) -> date:
        today = (info.context or {}).get("today") or date.today()
        if value > today:
            raise ValueError(refuse.format(day=day_text(value)))
        return value
    return AfterValidator(check)


def one_child(refuse: str) -> BeforeValidator:
    """One child's id: a list of one is taken as that child, a list of more (siblings together) refused."""
    def check(value: Any) -> Any:
        if isinstance(value, (list, tuple, set)):
            if len(value) != 1:
                raise ValueError(refuse)
            return next(iter(value))
        return value
    return BeforeValidator(check)


def choice(choices: Collection[str] | Callable[[], Collection[str]], refuse: str, *,
           before: bool = False) -> AfterValidator | BeforeValidator:
    """A value from a fixed list (or a function giving it).

    Args:
        choices: the values allowed.
        refuse: the refusal, with `{value}` and `{choices}` (comma-separated) where they go.
        before: check the value as given (so a number is refused in these words too), not once it is text.
    """
    def check(value: Any) -> Any:
        allowed = choices() if callable(choices) else choices
        if not isinstance(value, str) or value not in allowed:
            raise ValueError(refuse.format(value=value, choices=", ".join(allowed)))
        return value
    return BeforeValidator(check) if before else AfterValidator(check)


def required(refuse: str) -> AfterValidator:
    """Text that is not empty (after trimming, where the model trims)."""
    def check(value: str) -> str:
        if not value:
            raise ValueError(refuse)
        return value
    return AfterValidator(check)


def whole_number(unit: str, least: int = 1) -> BeforeValidator:
    """A whole number of `unit`, `least` or more, as written: 7.5, "3" and true are refused, not rounded."""
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise refusal(f"must be a whole number of {unit}, {least} or more (not {value!r})")
        return value
    return BeforeValidator(check)


def share(example: str = "0.25 is a quarter") -> BeforeValidator:
    """A share from 0 to 1, as a float; `example` says what one reads as."""
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise refusal(f"must be a share from 0 to 1 ({example})")
        return float(value)
    return BeforeValidator(check)


def words(refuse: str) -> BeforeValidator:
    """Text with words in it, trimmed; a blank or anything but text is refused with `refuse`."""
    def check(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise refusal(refuse)
        return value.strip()
    return BeforeValidator(check)


def word_list(refuse: str, *, lower: bool = False, empty_ok: bool = True) -> BeforeValidator:
    """A list of words or phrases, none blank, as a tuple (lower-cased if `lower`)."""
    def check(value: Any) -> tuple[str, ...]:
        if (not isinstance(value, (list, tuple)) or (not value and not empty_ok)
                or not all(isinstance(w, str) and w.strip() for w in value)):
            raise refusal(refuse)
        return tuple(w.strip().lower() if lower else w.strip() for w in value)
    return BeforeValidator(check)

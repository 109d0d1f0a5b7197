"""The free-text fields of the kit's records, and the one place their lengths are set.

Every model that keeps words a person typed, pasted or wrote in a case folder declares them with
these types, so the text is cleaned the same way (`textsafety.plain_text`: markup and control
characters removed, entities decoded once) and its length checked in the model, with the field
named, before anything reaches the store. A chronology entry's own fields are checked first, and
more tightly, against the settings' `max_description_chars` (see `chronology/fields.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, ValidationInfo

from .textsafety import plain_text

NAME_CHARS = 200  # a name, title, role or owner (the store's name and title columns hold 200)
TEXT_CHARS = 2_000  # a summary or an address in a case folder
NOTE_CHARS = 20_000  # a note, evidence, a view or the words of an entry: pages, never a whole document


def too_long(field: str, length: int, limit: int) -> str:
    """The one-line refusal of text past its limit, naming the field."""
    return f"{field} is {length:,} characters: at most {limit:,}"


def _cleaned(limit: int) -> Callable[[str, ValidationInfo], str]:
    def check(value: str, info: ValidationInfo) -> str:
        text, _ = plain_text(value)
        if len(text) > limit:
            raise ValueError(too_long(info.field_name or "text", len(text), limit))
        return text
    return check


Name = Annotated[str, AfterValidator(_cleaned(NAME_CHARS))]
Text = Annotated[str, AfterValidator(_cleaned(TEXT_CHARS))]
Note = Annotated[str, AfterValidator(_cleaned(NOTE_CHARS))]

"""Reading the TOML files of a case folder, every problem named by file and key."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError, ValidationInfo, field_validator

from .. import validators

M = TypeVar("M")
LOADED = "loaded from the case folder"  # the reason every record a folder loads is saved with


class CaseFolderError(ValueError):
    """A case folder that cannot be loaded; the message names the file and the key."""


# NUL, escape and the other control characters: never in a person's text (tab and line breaks are)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Strict(validators.Strict):
    """The kit's strict base, refusing control characters as a file has them."""

    @field_validator("*", mode="before")  # refused as written, before the text types would clean it away
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        # a NUL is refused by PostgreSQL mid-save, and an escape code rewrites the terminal that prints it
        if _holds_models(cls.model_fields[info.field_name or ""].annotation):
            return value  # a table of its own: its model checks its keys, so the message names the key
        for text in _strings(value):
            if found := _CONTROL.search(text):
                raise ValueError(f"holds the control character U+{ord(found.group()):04X}: remove it")
        return value


def _holds_models(annotation: Any) -> bool:
    """Whether a field's type is, or holds, a model (`PersonInfo`, `list[PersonInfo]`, `Party | None`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_models(a) for a in get_args(annotation))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CaseFolderError(f"{path}: not readable TOML ({exc})") from None


def by_the_rules(path: Path, where: str, step: Callable[..., M], *args: Any, **kwargs: Any) -> M:
    """`step(*args, **kwargs)`, or its refusal as a CaseFolderError naming the file and `where`
    (and the key, for a model's refusal)."""
    try:
        return step(*args, **kwargs)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(filter(None, [where, *(str(x) for x in first["loc"])]))
        raise CaseFolderError(f"{path}: {key}: {first['msg']}") from None
    except (ValueError, TypeError) as exc:  # TypeError: a time with a zone compared with one without
        raise CaseFolderError(f"{path}: {where}: {exc}") from None


def validated(model: type[M], data: Any, path: Path, label: str = "") -> M:
    """`data` as `model`, or its first problem named by file and key (`label` before the key)."""
    return by_the_rules(path, label, model.model_validate, data)  # type: ignore[attr-defined]

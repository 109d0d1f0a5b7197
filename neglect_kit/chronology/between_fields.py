"""The rules between fields (dates swapped, entries before a child's birth) over a return's columns.

Run on each distinct value's checked result, so the row rule (`fields.check_between`) is left to the few rows
they concern.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from . import fields as f
from .column_checks import pre_birth_columns
from .model import EntryContext


@dataclass
class _Between:
    """What the rules between fields find, over whole columns: the rows whose dates may be swapped (the row
    rule decides, and names them), and each row's pre-birth group (`column_checks.pre_birth_columns`)."""

    swapped: np.ndarray
    group: np.ndarray
    outcomes: list[tuple[list[str], f.Between]]

    def rows(self) -> np.ndarray:
        return self.swapped | (self.group >= 0)


def _between_rows(checked: dict[str, tuple[list[Any], np.ndarray]], values: dict[str, list[Any]],
                  ctx: EntryContext, n: int) -> _Between:
    """The rules between fields over the columns, from each distinct date's day numbers."""
    def days(fld: str, part: Callable[[Any], date | None]) -> np.ndarray:
        if fld not in checked:
            return np.full(n, np.nan)
        per_value, codes = checked[fld]
        parts = [part(v) if v is not None else None for v in per_value]
        return np.array([np.nan if d is None else d.toordinal() for d in parts], dtype=float)[codes]

    latest = days("event_date", lambda e: e.latest)
    swapped = days("event_date", lambda e: e.earliest) > days("recorded_date", lambda d: d)
    if "children" in checked:
        kids, codes = checked["children"]
    else:  # the return's children, for every row
        kids, codes = values["children"][:1], np.zeros(n, dtype=np.intp)
    return _Between(swapped, *pre_birth_columns(kids, codes, latest, ctx))

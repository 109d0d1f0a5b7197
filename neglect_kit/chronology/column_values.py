"""A return's columns checked by value: each distinct value once, mapped back to its rows by code.

Coded values (dates, agencies, names) repeat a great deal, and most free text needs nothing done, so a
column's check runs once per distinct value, or once over the column, not once a cell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from . import fields as f
from .column_checks import plain_cells


def _factorized(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's code and the distinct values, as `pd.factorize(cells, use_na_sentinel=False)` gives them.

    That option makes pandas look for a missing value in every cell first; a column read as text has none
    (a blank cell is ""), so the plain factorize serves, and the option only where a cell was missing.
    """
    codes, uniques = pd.factorize(cells)
    if len(codes) and codes.min() < 0:
        return pd.factorize(cells, use_na_sentinel=False)
    return codes, uniques


def _per_row(per_value: list[Any], codes: np.ndarray) -> list[Any]:
    """Each row's item of `per_value`, by the row's code."""
    # an object array made item by item (np.fromiter): a tuple or list value stays one element
    return np.fromiter(per_value, dtype=object, count=len(per_value))[codes].tolist()


def _flagged(said: dict[int, f.Checked], codes: np.ndarray, positions: np.ndarray | None = None
             ) -> list[tuple[int, f.Checked]]:
    """(row position, result) of every row whose value has an error or a note, in row order.

    Args:
        said: {code: result} for the distinct values with an error or a note.
        codes: each row's code (the rows at `positions`, if given).
        positions: the rows the codes are for (default: all, in order).
    """
    if not said:
        return []
    hits = np.flatnonzero(np.isin(codes, list(said)))
    at = hits if positions is None else positions[hits]
    return list(zip(at.tolist(), map(said.__getitem__, codes[hits].tolist()), strict=True))


def _worth_saying(results: list[f.Checked]) -> dict[int, f.Checked]:
    return {n: r for n, r in enumerate(results) if r.error or r.notes}


def _check_text(cells: np.ndarray, check: Callable[[object], f.Checked], limit: int
                ) -> tuple[list[Any], dict[int, f.Checked]]:
    """Free text: plain text (most of it) stripped as a whole, the rest checked once per distinct value.

    Returns:
        The value to store for each cell (None where it has an error), and {position: result} for the
        cells with an error or a note.
    """
    plain, out = plain_cells(cells, limit)
    positions = np.flatnonzero(~plain)
    if not len(positions):
        return out, {}
    codes, uniques = _factorized(cells[positions])
    results = [check(u) for u in uniques]
    for i, code in zip(positions.tolist(), codes.tolist(), strict=True):
        out[i] = results[code].value
    return out, dict(_flagged(_worth_saying(results), codes, positions))


def _check_text_column(column: pd.Series, check: Callable[[object], f.Checked], limit: int
                       ) -> tuple[list[Any], list[tuple[int, f.Checked]]]:
    """A free-text column; one whose values repeat (actions, outcomes) is checked once per distinct value.

    Returns:
        The value to store for each row (None where the row's value has an error), and the
        (position, result) of every row whose value has an error or a note.
    """
    cells = column.to_numpy(dtype=object)
    sample = cells[:_SAMPLE]
    if len(pd.unique(sample)) * 2 > len(sample):  # nearly every cell differs (descriptions): read them all
        out, said = _check_text(cells, check, limit)
        return out, list(said.items())
    codes, uniques = _factorized(cells)
    per_value, said = _check_text(uniques, check, limit)
    return _per_row(per_value, codes), _flagged(said, codes)


# cells looked at to tell a column whose values repeat from one whose cells nearly all differ
_SAMPLE = 1000

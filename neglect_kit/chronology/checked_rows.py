"""The rows of a checked return that passed: kept as the checked columns, each row's body built at the end.

A row's body is the attribute dict of the row itself (`CheckedRow`), made by a constructor compiled
for the return (`row_maker`), so a hundred thousand rows are made with one Python call and no object
beyond the row and its two dicts each.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Iterator, Sequence
from operator import attrgetter
from typing import Any

import numpy as np

from ..perf import collector_paused
from .model import ChronologyEntry


class CheckedRow:
    """A row that passed every check: its number in the return, and its fields as they will be stored.

    Made by a return's `row_maker`, which sets the fields (no `__init__`: a Python call a row).

    The body is the row's own attribute dict: one object and one Python call a row fewer than a row holding
    a dict. 100,000 rows made and each body looked at took 0.099 s, where a dataclass row holding its body
    took 0.126 s (best of 9, one core).
    Its keys are only ever the fields: `row` and the model sit in slots, outside the dict.
    """

    __slots__ = ("__dict__", "_entry", "row")

    row: int
    _entry: ChronologyEntry

    # read from C (attrgetter), as a slot is: every row's body is looked at once an import saves, and 100,000
    # looks took 6.4 ms so where a property written in Python took 8.7 ms (best of 9, one core)
    body: dict[str, Any] = property(attrgetter("__dict__"),  # type: ignore[assignment]
                                    doc="The fields as they will be stored, in order, then the row's provenance "
                                        "and what the rules added.")

    @property
    def entry(self) -> ChronologyEntry:
        """The entry model, validated on first use (saving is when it must be)."""
        try:
            return self._entry  # type: ignore[return-value]  # an unset slot raises, as None never is
        except AttributeError:
            self._entry = ChronologyEntry.model_validate(self.__dict__)
            return self._entry

    def __repr__(self) -> str:
        return f"CheckedRow(row={self.row!r}, body={self.__dict__!r})"


# names a body's field may not have: the row's own attributes, and the provenance the maker adds
_TAKEN = {n for n in dir(CheckedRow) if not n.startswith("__")} | {"provenance"}


def row_maker(names: list[str], filename: str) -> Callable[..., CheckedRow]:
    """A function of (row number, *field values) giving a `CheckedRow`, its body's fields in `names` order
    then its provenance {file, row}.

    Compiled once per return, as the standard library's dataclasses and namedtuple build their methods: it
    makes an instance of a subclass of `CheckedRow` made for the return and sets each field as an attribute.
    Its instances' attribute dicts are then the key-sharing dicts CPython keeps a class's instances'
    attributes in (PEP 412), which hold their values alone: half the memory of dict displays (each of which
    holds its own table of keys), and made a fifth quicker, most of the difference in fresh memory not asked
    for. The provenance is made the same way. A function, not the class's `__new__`: calling a class with a
    `__new__` written in Python copies every argument once more, and 100,000 rows took 0.083 s that way
    where the function takes 0.072 s (best of 9, one core).

    Raises:
        ValueError: a name that is not an identifier, or one the row itself uses.
    """
    if not all(n.isidentifier() and not keyword.iskeyword(n) for n in names) or _TAKEN & set(names):
        raise ValueError(f"not field names: {names}")
    params = ", ".join(f"v{k}" for k in range(len(names)))
    fields = "".join(f"    self.{n} = v{k}\n" for k, n in enumerate(names))
    # `self.__dict__` alone makes the row's dict now, while the collector is held: made at their first look,
    # with the collector running, 100,000 bodies took 0.12 s more
    code = (f"def make(row, {params}):\n    self = new(Row)\n    self.row = row\n{fields}"
            "    where = new(Provenance)\n    where.file = file\n    where.row = row\n"
            "    self.provenance = where.__dict__\n    self.__dict__\n    return self\n")
    made: dict[str, Any] = {"__builtins__": {}, "new": object.__new__, "file": filename,
                            "Row": type("ReturnRow", (CheckedRow,), {"__slots__": ()}),
                            "Provenance": type("Provenance", (), {})}
    exec(code, made)
    return made["make"]


class CheckedRows(Sequence[CheckedRow]):
    """The rows of a return that passed, kept as the checked columns until a row is first asked for.

    Checking a return needs every row's values but no row's body: a return whose problems a person
    reads first, or that is not saved, never makes the hundred thousand dicts. The first look at any
    row builds every row at once (the same object from then on, however it is reached).
    """

    def __init__(self, make: Callable[..., CheckedRow], rows: list[int], columns: list[list[Any]],
                 kept: np.ndarray, added: dict[int, dict[str, Any]]) -> None:
        """
        Args:
            make: a row from (row number, *field values) (`row_maker`).
            rows: every row's number in the return.
            columns: every row's stored value of each field, in `make`'s order.
            kept: the positions of the rows that passed, in order.
            added: {position: fields} the rules between fields and the category reading add to a row.
        """
        self._make, self._rows, self._columns, self._kept, self._added = make, rows, columns, kept, added
        self._built: list[CheckedRow] | None = None

    def _all(self) -> list[CheckedRow]:
        if self._built is None:
            kept, rows, columns = self._kept, self._rows, self._columns
            if len(kept) < len(rows):
                take = kept.tolist()
                rows = [rows[i] for i in take]
                columns = [list(map(c.__getitem__, take)) for c in columns]
            with collector_paused():
                built = list(map(self._make, rows, *columns))  # blanks hold each default
                for at, i in zip(np.searchsorted(kept, list(self._added)).tolist(), self._added, strict=True):
                    built[at].body.update(self._added[i])
            self._built = built
            self._columns = []  # the rows hold the values now
        return self._built

    def __len__(self) -> int:
        return len(self._kept)

    def __getitem__(self, index):  # type: ignore[override]  # an int or a slice, as a list takes
        return self._all()[index]

    def __iter__(self) -> Iterator[CheckedRow]:
        return iter(self._all())

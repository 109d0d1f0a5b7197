"""Stored records read back as the models they were saved from: the one reader every kind of record uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel

from .api import Store
from .versions import RecordVersion

M = TypeVar("M", bound=BaseModel)
S = TypeVar("S")


@dataclass(frozen=True)
class Stored(Generic[M]):
    """A model with the record version it was read from (needed to save an edit or withdraw it)."""

    record: RecordVersion
    model: M

    @property
    def record_id(self) -> str:
        return self.record.record_id

    @property
    def version(self) -> int:
        return self.record.version


def current_models(store: Store, kind: str, case_id: str, model: type[M], *, include_withdrawn: bool = False,
                   conn: sa.Connection | None = None,
                   holder: Callable[[RecordVersion, M], S] = Stored) -> list[S]:  # type: ignore[assignment]
    """The current version of every record of `kind` in the case, each validated as `model`, in the order saved.

    Args:
        store: the store to read.
        kind: the records' kind (`ENTRY_KIND`, `SESSION_KIND`, ...).
        case_id: the case.
        model: the pydantic model the records were saved from.
        include_withdrawn: withdrawn records too.
        conn: read in this transaction (as `Store.current`).
        holder: what pairs a record with its model (default `Stored`; a subclass adds names of its own).
    """
    return [holder(r, model.model_validate_json(r.body_json))
            for r in store.current(kind, case_id, include_withdrawn=include_withdrawn, conn=conn)]

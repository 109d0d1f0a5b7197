"""A record's versions as values: one version read back (`RecordVersion`), one record to create
(`NewRecord`), the statuses a version has, and a body as the JSON text the store keeps."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

import sqlalchemy as sa

ACTIVE, WITHDRAWN = "active", "withdrawn"


@dataclass(frozen=True)
class RecordVersion:
    """One version of a record. The body is kept as the stored JSON text and read on first use,
    so a model can validate straight from the text (`model_validate_json`), which is quicker."""

    record_id: str
    version: int
    kind: str
    case_id: str
    status: str
    body_json: str = field(repr=False)
    created_at: datetime
    created_by: str
    reason: str = ""

    @cached_property
    def body(self) -> dict[str, Any]:
        return json.loads(self.body_json)


@dataclass(frozen=True)
class NewRecord:
    """One record to create in a batch."""

    body: dict[str, Any]
    record_id: str = field(default_factory=lambda: new_record_id())
    reason: str = ""


def new_record_id() -> str:
    return uuid.uuid4().hex[:16]


def body_json(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, default=_json_default)


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in a record")


def to_version(row: sa.Row[Any]) -> RecordVersion:
    created = row.created_at
    if created.tzinfo is None:  # SQLite keeps no zone; the store writes UTC
        created = created.replace(tzinfo=UTC)
    return RecordVersion(row.record_id, row.version, row.kind, row.case_id, row.status,
                         row.body, created, row.created_by, row.reason)

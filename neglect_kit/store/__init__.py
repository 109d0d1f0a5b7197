"""The store: the only door to the database (see `api.Store`)."""

from .api import (
    ACTIVE,
    WITHDRAWN,
    NewRecord,
    NotFound,
    RecordVersion,
    StaleEdit,
    Store,
    StoreError,
    new_record_id,
    schema_revision,
)

__all__ = ["ACTIVE", "WITHDRAWN", "NewRecord", "NotFound", "RecordVersion", "StaleEdit", "Store",
           "StoreError", "new_record_id", "schema_revision"]

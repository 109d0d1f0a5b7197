"""The store: the only door to the database (see `api.Store`)."""

from .api import (
    ACTIVE,
    WITHDRAWN,
    DatabaseFailure,
    NewRecord,
    NotFound,
    RecordVersion,
    SaveNotKept,
    StaleEdit,
    Store,
    StoreError,
    database_said,
    new_record_id,
    schema_revision,
)

__all__ = ["ACTIVE", "WITHDRAWN", "DatabaseFailure", "NewRecord", "NotFound", "RecordVersion", "SaveNotKept",
           "StaleEdit", "Store", "StoreError", "database_said", "new_record_id", "schema_revision"]

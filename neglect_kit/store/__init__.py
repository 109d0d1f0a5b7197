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
from .models import Stored, current_models

__all__ = ["ACTIVE", "WITHDRAWN", "DatabaseFailure", "NewRecord", "NotFound", "RecordVersion", "SaveNotKept",
           "StaleEdit", "Store", "StoreError", "Stored", "current_models", "database_said", "new_record_id",
           "schema_revision"]

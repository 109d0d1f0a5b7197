"""The store: the only door to the database (see `api.Store`)."""

from .api import ACTIVE, WITHDRAWN, NewRecord, RecordVersion, Store, fit_row, new_record_id
from .engine import schema_revision
from .errors import (
    DatabaseFailure,
    DatabaseUnusable,
    Forbidden,
    NotFound,
    SaveNotKept,
    StaleEdit,
    StoreError,
    database_said,
)
from .models import Stored, current_models

__all__ = ["ACTIVE", "WITHDRAWN", "DatabaseFailure", "DatabaseUnusable", "Forbidden", "NewRecord", "NotFound",
           "RecordVersion", "SaveNotKept", "StaleEdit", "Store", "StoreError", "Stored", "current_models",
           "database_said", "fit_row", "new_record_id", "schema_revision"]

"""The store: the only door to the database (see `api.Store`)."""

from .api import Store, fit_row
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
from .versions import ACTIVE, WITHDRAWN, NewRecord, RecordVersion, new_record_id

__all__ = ["ACTIVE", "WITHDRAWN", "DatabaseFailure", "DatabaseUnusable", "Forbidden", "NewRecord", "NotFound",
           "RecordVersion", "SaveNotKept", "StaleEdit", "Store", "StoreError", "Stored", "current_models",
           "database_said", "fit_row", "new_record_id", "schema_revision"]

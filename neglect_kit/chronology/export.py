"""A case's chronology written out as CSV (safe to open in a spreadsheet) or JSON."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from ..textsafety import neutralise_formula

FORMATS = ("csv", "json")


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a BOM (so Excel reads the accents), formulas neutralised."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(lambda v: neutralise_formula(v) if isinstance(v, str) else v)
    buf = io.StringIO()
    safe.to_csv(buf, index=False, date_format="%Y-%m-%d")
    return buf.getvalue().encode("utf-8-sig")


def to_json(frame: pd.DataFrame, meta: dict[str, object]) -> bytes:
    records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    return json.dumps({**meta, "entries": records}, ensure_ascii=False, indent=2,
                      default=_iso).encode("utf-8")


def _iso(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_export(frame: pd.DataFrame, fmt: str, path: str | Path, meta: dict[str, object]) -> int:
    """Write the chronology to `path`; returns the number of entries written."""
    if fmt not in FORMATS:
        raise ValueError(f"format '{fmt}' is not one of {', '.join(FORMATS)}")
    data = to_csv(frame) if fmt == "csv" else to_json(frame, meta)
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(target)  # never a half-written export under the real name
    return len(frame)

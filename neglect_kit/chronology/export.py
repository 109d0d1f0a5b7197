"""A case's chronology written out as CSV (safe to open in a spreadsheet) or JSON."""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from ..textsafety import neutralise_formula

FORMATS = ("csv", "json")
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class ExportError(ValueError):
    """An export that cannot be written where asked; the message names the place and why."""


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
    """JSON in UTF-8, accents as written; every character that could act on whoever opens it escaped.

    `json.dumps` escapes the C0 controls; DEL, the C1 controls (U+009B is a terminal's CSI), the line and
    paragraph separators (line breaks to JavaScript before ES2019) and the marks that reorder text on screen
    are escaped here as \\u and four hex digits. They can only stand inside strings, so the escape is the
    same JSON value.
    """
    records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    text = json.dumps({**meta, "entries": records}, ensure_ascii=False, indent=2, default=_iso)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", text).encode("utf-8")


def _iso(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_export(frame: pd.DataFrame, fmt: str, path: str | Path, meta: dict[str, object]) -> int:
    """Write the chronology to `path`; returns the number of entries written.

    The export is written to a hidden file beside `path` and renamed over it, so the real name never
    holds half an export; when the writing fails the hidden file is removed and nothing is left behind.

    Raises:
        ExportError: `path` is a folder, its folder does not exist, or the folder cannot be written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format '{fmt}' is not one of {', '.join(FORMATS)}")
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"{target}: is a folder; give the export a file name, e.g. {target / ('chronology.' + fmt)}")
    if not target.parent.is_dir():
        why = "is a file, not a folder" if target.parent.exists() else "does not exist"
        raise ExportError(f"{target}: the folder {target.parent} {why}")
    data = to_csv(frame) if fmt == "csv" else to_json(frame, meta)
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)  # never a half-written export under the real name
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    return len(frame)

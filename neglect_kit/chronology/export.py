"""A case's chronology written out as CSV (safe to open in a spreadsheet) or JSON.

The chronology's CSV comes in two flavours (docs/export.md):
- in words, to read: columns headed in words, agencies, categories, impact, significance and how
  known by their labels, every date day first (13/06/2018);
- in codes, to import again: the columns named by the kit's field names and the codes it stores, the
  date of each entry as the agency wrote it; the kit's importer reads it back to the same entries.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from ..config import Settings
from ..textsafety import neutralise_formula
from ..vocab import HOW_KNOWN, IMPACT, SIGNIFICANCE

FORMATS = ("csv", "json")
DAY = "%d/%m/%Y"  # every date in a chronology CSV: day first, as UK practitioners write it
MOMENT = "%d/%m/%Y %H:%M"  # when an entry was saved (UTC)
# (column of records.entries_frame, heading) of the CSV in words, in order
IN_WORDS = (
    ("date", "Date"), ("event_date", "As written"), ("earliest", "Earliest"), ("latest", "Latest"),
    ("recorded_date", "Date recorded"), ("agency", "Agency"), ("source_detail", "Recorded by"),
    ("how_known", "How known"), ("children", "Child"), ("category", "Category"),
    ("description", "What happened"), ("impact", "Impact on the child"), ("impact_note", "Impact details"),
    ("significance", "Significance"), ("action", "Action"), ("outcome", "Outcome"),
    ("child_words", "The child's own words"), ("pre_birth", "Before the birth of"),
    ("inferred", "Category read from the words"), ("duplicate_of", "Same incident as entry"),
    ("source_file", "Source file"), ("source_row", "Source row"), ("record_id", "Entry"),
    ("version", "Version"), ("status", "Status"), ("created_by", "Saved by"), ("created_at", "Saved at (UTC)"),
)
# the columns of the CSV in codes: every column of the frame but the kit's reading of the date in words
IN_CODES_LEFT_OUT = ("date_shown",)
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


def chronology_csv(frame: pd.DataFrame, settings: Settings, *, codes: bool = False) -> bytes:
    """A chronology (a `records.entries_frame`, as `views.present` shows it) as CSV, in words or in codes.

    Args:
        frame: the entries.
        settings: whose vocabularies give the labels.
        codes: the kit's field names and codes (to import again) instead of headings and labels in words.
    """
    out = frame.drop(columns=list(IN_CODES_LEFT_OUT))
    for column in ("earliest", "latest", "recorded_date"):
        out[column] = out[column].map(_day)
    out["created_at"] = out["created_at"].map(lambda t: t.strftime(MOMENT) if pd.notna(t) else "")
    out["source_row"] = out["source_row"].astype("Int64")  # a row number, never "2.0"
    if codes:
        return to_csv(out)
    # a day as 13/06/2018; a month, a term or a guess as written ("spring 2018"), its span in Earliest and Latest
    out["date"] = [_day(e) if p == "day" else text
                   for e, p, text in zip(frame["earliest"], frame["precision"], frame["event_date"], strict=True)]
    # the agency's own words for the date (a time of day, "2018-06-13") only where they are not the Date
    out["event_date"] = [text if text.strip() != shown else "" for text, shown in zip(frame["event_date"], out["date"],
                                                                                      strict=True)]
    for column, vocabulary in (("agency", settings.agencies), ("category", settings.categories),
                               ("how_known", HOW_KNOWN), ("impact", IMPACT), ("significance", SIGNIFICANCE)):
        out[column] = out[column].map(lambda code, v=vocabulary: v.label(code) if code else "")
    out["inferred"] = out["inferred"].map(lambda v: "yes" if "category" in v.split("; ") else "")
    out["status"] = out["status"].map(lambda v: v.capitalize())
    return to_csv(out[[column for column, _ in IN_WORDS]].set_axis([heading for _, heading in IN_WORDS], axis=1))


def _day(value: object) -> str:
    return value.strftime(DAY) if isinstance(value, (date, datetime)) else ""


def csv_downloads(frame: pd.DataFrame, settings: Settings, stem: str, what: str) -> dict[str, tuple[str, bytes]]:
    """The chronology's CSV downloads for `downloads.links`: {file name: (what it is, its bytes)}, in words
    first, then in codes."""
    return {f"{stem}.csv": (f"the entries as CSV {what}", chronology_csv(frame, settings)),
            f"{stem}-codes.csv": (f"the entries in the kit's codes, a CSV to import again {what}",
                                  chronology_csv(frame, settings, codes=True))}


def to_json(frame: pd.DataFrame, meta: dict[str, object]) -> bytes:
    """JSON in UTF-8, accents as written; every character that could act on whoever opens it escaped.

    `json.dumps` escapes the C0 controls; DEL, the C1 controls (U+009B is a terminal's CSI), the line and
    paragraph separators (line breaks to JavaScript before ES2019) and the marks that reorder text on screen
    are escaped here as \\u and four hex digits. They can only stand inside strings, so the escape is the
    same JSON value.
    """
    records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    return safe_json({**meta, "entries": records})


def safe_json(value: object, indent: int | None = 2) -> bytes:
    """`value` as JSON in UTF-8 (dates in ISO form), escaped as `to_json` says; `indent=None` writes it compact
    (and several times faster: Python's C encoder does not indent)."""
    text = json.dumps(value, ensure_ascii=False, indent=indent, default=_iso)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", text).encode("utf-8")


def _iso(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_export(frame: pd.DataFrame, fmt: str, path: str | Path, meta: dict[str, object], settings: Settings, *,
                 codes: bool = False) -> int:
    """Write the chronology to `path`; returns the number of entries written.

    A CSV is in words unless `codes` (`chronology_csv`); JSON holds the codes, its dates in ISO form.

    The export is written to a hidden file beside `path` and renamed over it, so the real name never
    holds half an export; when the writing fails the hidden file is removed and nothing is left behind.

    Raises:
        ExportError: `path` is a folder, its folder does not exist, or the folder cannot be written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format '{fmt}' is not one of {', '.join(FORMATS)}")
    data = chronology_csv(frame, settings, codes=codes) if fmt == "csv" else to_json(frame, meta)
    write_bytes(path, data, "chronology." + fmt)
    return len(frame)


def write_bytes(path: str | Path, data: bytes, example: str) -> None:
    """Write an export's bytes to `path` whole or not at all.

    The bytes go to a hidden file beside `path`, renamed over it, so the real name never holds half an
    export; when the writing fails the hidden file is removed and nothing is left behind.

    Args:
        path: where the export goes.
        data: its bytes.
        example: a file name to suggest when `path` is a folder ("chronology.csv").

    Raises:
        ExportError: `path` is a folder, its folder does not exist, or the folder cannot be written.
    """
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"{target}: is a folder; give the export a file name, e.g. {target / example}")
    if not target.parent.is_dir():
        why = "is a file, not a folder" if target.parent.exists() else "does not exist"
        raise ExportError(f"{target}: the folder {target.parent} {why}")
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

"""The chronology to take away: the entries shown as CSV, a printable page, and the timeline as PNG and SVG."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..config import Settings

if TYPE_CHECKING:
    import pandas as pd


def chronology_files(shown: pd.DataFrame, cfg: Settings, *, title: str, view: str, png: bytes, alt: str, svg: bytes,
                     filters: str, produced_by: str) -> dict[str, tuple[str, bytes]]:
    """Each file by its name, with what it is (for its link)."""
    # imported here: the writers of the files are needed once downloads are asked for, not to open the page
    from ..chronology.export import csv_downloads
    from ..chronology.printable import printable_page

    page = printable_page(title=title, frame=shown, settings=cfg, png=png, alt=alt, view=view, filters=filters,
                          produced_by=produced_by, produced_at=datetime.now(UTC))
    stem = f"chronology-{view}-{datetime.now(UTC):%Y%m%d-%H%M}"
    what = f"({len(shown)} entries, {view} view)"
    return {**csv_downloads(shown, cfg, stem, what),
            f"{stem}.html": (f"a printable page {what}", page.encode("utf-8")),
            f"{stem}-timeline.png": (f"the timeline as PNG {what}", png),
            f"{stem}-timeline.svg": (f"the timeline as SVG {what}", svg)}

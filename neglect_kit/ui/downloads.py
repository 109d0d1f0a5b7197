"""Download links: files made in the kernel, handed to the browser as data links (nothing kept on the server)."""

from __future__ import annotations

import base64
import html

from ..reports.document import Document, to_html, to_pdf

MIME = {"csv": "text/csv", "html": "text/html", "png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
        "zip": "application/zip"}


def links(files: dict[str, tuple[str, bytes]]) -> str:
    """A list of links, one per file: {file name: (what it is, its bytes)}."""
    items = []
    for name, (what, data) in files.items():
        mime = MIME[name.rsplit(".", 1)[1]]
        items.append(f'<li><a download="{html.escape(name)}" href="data:{mime};base64,'
                     f'{base64.b64encode(data).decode("ascii")}">Download {html.escape(what)}</a></li>')
    return f"<ul>{''.join(items)}</ul>"


def record_links(doc: Document, stem: str, marking: str | None = None) -> tuple[str, dict[str, bytes]]:
    """A printable record as a page and as a PDF: the links, and the files (for tests).

    Both carry the protective marking on every page (default the settings' `protective_marking`).
    """
    files = {f"{stem}.html": ("the printable page", to_html(doc, marking).encode("utf-8")),
             f"{stem}.pdf": ("the record as PDF", to_pdf(doc, marking))}
    return links(files), {name: data for name, (_, data) in files.items()}

"""HTML pieces every app uses: escaped tables, plots with their alt text, and the friendly failure panel."""

from __future__ import annotations

import base64
import html
import logging
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

import ipywidgets as w
from pydantic import ValidationError

from ..config import SettingsError
from ..store.api import DatabaseFailure, DatabaseUnusable, SaveNotKept, StoreError

log = logging.getLogger("neglect_kit")
# set by `make notebooks` so that nbval sees an app that fails to open; users always get the panel
STRICT_ENV = "NEGLECT_KIT_STRICT"
T = TypeVar("T")


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def html_table(headers: Sequence[str], rows: Sequence[Sequence[object]], caption: str = "") -> str:
    """A plain table, every cell escaped, headers scoped for screen readers."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<table class="nk-table">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def problems(exc: Exception) -> str:
    """What a model refused, in its own words, one problem after another (a field's path named when
    the message does not start with it)."""
    if not isinstance(exc, ValidationError):
        return str(exc)
    out = []
    for e in exc.errors():
        msg = str(e["msg"]).removeprefix("Value error, ")
        where = ".".join(str(p) for p in e["loc"])
        out.append(f"{where}: {msg}" if where and not msg.startswith(where.split(".")[-1]) else msg)
    return "; ".join(out)


def why_in_words(exc: BaseException) -> str:
    """What went wrong, in words a practitioner can pass on: never the exception's own text, which may
    hold a path, SQL, its parameters or a record's words."""
    if isinstance(exc, SaveNotKept):
        return "the database file was moved, removed or replaced while the app was open"
    if isinstance(exc, DatabaseFailure):
        said = str(getattr(exc, "orig", "")).lower()
        if "readonly" in said or "read-only" in said or "permission" in said or "read only" in said:
            return "the database refused the write"
        if "locked" in said or "busy" in said:
            return "the database was busy with another save"
        if exc.connection_invalidated or "connect" in said or "unable to open" in said:
            return "the database could not be reached"
        return "the database reported a fault"
    if isinstance(exc, MemoryError):
        return "it needed more memory than the server has"
    if isinstance(exc, OSError):
        return "a file the kit needs could not be read or written"
    return "the kit met an error it did not expect"


def say(message: str, alert: bool = False) -> str:
    """A message after an action: a status (read out politely) or an alert (read out at once)."""
    role = "alert" if alert else "status"
    return f'<p role="{role}" class="nk-{role}">{esc(message)}</p>' if message else ""


def image_html(png: bytes, alt: str, css_class: str) -> str:
    """A plot shown in place, with its alt text both in the image and printed under it (WCAG 1.1.1)."""
    data = base64.b64encode(png).decode("ascii")
    return (f'<img class="{css_class}" src="data:image/png;base64,{data}" alt="{esc(alt)}">'
            f'<p class="nk-alt">{esc(alt)}</p>')


def failure_panel(what: str, exc: BaseException) -> w.HTML:
    """Say what could not be done, in words; the traceback goes to the log, not the screen."""
    log.exception("%s", what)
    # a store's own refusal is written for the reader; a settings error's key, not the file's place on the
    # server; anything else may quote SQL, its parameters or a path
    if isinstance(exc, SettingsError):
        why = "The settings file: " + str(exc).split(": ", 1)[-1]
    elif isinstance(exc, DatabaseUnusable):
        why = "The database: " + exc.why
    elif isinstance(exc, StoreError):
        why = str(exc)
    else:
        why = why_in_words(exc).capitalize() + "."
    return w.HTML(f'<div class="nk-error" role="alert"><strong>{esc(what)}</strong>'
                  f"<p>{esc(why)}</p><p>Nothing was changed. If this goes on, tell your system "
                  "administrator what you were doing and when.</p></div>")


class FailedApp:
    """What an app's `open` gives when it cannot start: the panel in place of the app."""

    def __init__(self, panel: w.Widget):
        self.widget = panel


def open_app(build: Callable[[], T], what: str) -> T | FailedApp:
    """Build an app, or show why it could not be built (the traceback goes to the log)."""
    try:
        return build()
    except Exception as exc:  # a panel in words helps a practitioner; a traceback does not
        if os.environ.get(STRICT_ENV) == "1":  # the notebook tests: an app that cannot open must fail them
            raise
        return FailedApp(failure_panel(what, exc))


STYLE = """<style>
.nk-table { border-collapse: collapse; margin: 0.5em 0 1em; }
.nk-table caption { text-align: left; font-weight: bold; padding: 0.3em 0; white-space: nowrap; }
.nk-table th, .nk-table td { border: 1px solid #767676; padding: 0.3em 0.6em; text-align: left;
  vertical-align: top; }
.nk-table th { background: #f0f0f0; }
.nk-alt { line-height: 1.4; margin: 0.25em 0 0.75em; }
.widget-html-content a { color: #0b57d0; text-decoration: underline; }
.nk-error { border: 2px solid #b00020; padding: 0.5em 1em; background: #fff4f4; color: #1a1a1a; }
</style>"""

"""What every app shows besides its own widgets: messages after an action and the friendly failure panel.

Tables, plots and the stylesheet are written by `reports.html`, re-exported here for the widgets.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import ipywidgets as w
from markupsafe import escape
from pydantic import ValidationError

from ..config import SettingsError
from ..reports.html import html_table, image_html, style_block
from ..store import DatabaseFailure, DatabaseUnusable, Forbidden, NotFound, SaveNotKept, Store, StoreError
from ..store.identity import READ_CASES, Person

if TYPE_CHECKING:
    from .roles import RoleApp

log = logging.getLogger("neglect_kit")
# set by `make notebooks` so that nbval sees an app that fails to open; users always get the panel
STRICT_ENV = "NEGLECT_KIT_STRICT"
T = TypeVar("T")
__all__ = ["FailedApp", "Status", "after_the_cell", "esc", "failure_panel", "html_table", "image_html", "open_app",
           "problems", "say", "style_block", "why_in_words"]


def esc(value: object) -> str:
    """A value as HTML text, escaped as the templates escape it (None is blank)."""
    return str(escape("" if value is None else value))


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
    hold a path, SQL, its parameters or a record's words; but a team's database's refusal (`Forbidden`) is
    written for the reader, and says what the role or the caseload does not allow."""
    if isinstance(exc, Forbidden):
        return str(exc)
    if isinstance(exc, NotFound):  # its own text lists the ids the reader may see: not needed here
        return "the case or record is no longer there for you (removed, or taken off your caseload)"
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


class Status(w.HTML):
    """The line beside or under a button saying what its action did, in a style the eye finds: a saved
    record in a green-edged box read out politely, a refusal in a red-edged one read out at once."""

    def done(self, message: str) -> None:
        self.value = say(message)

    def refused(self, message: str) -> None:
        self.value = say(message, alert=True)

    def clear(self) -> None:
        self.value = ""


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


def after_the_cell() -> Callable[[Callable[[], None]], object] | None:
    """In a kernel, a way to run a function once the current cell or widget callback has finished (the page,
    or what the callback changed, is sent to the browser first); elsewhere None: at once.

    None under the notebook tests too (`NEGLECT_KIT_STRICT=1`): what an app does after its cell (reading
    the first case, drawing its first timeline) then runs in the cell, so a failure there fails the notebook.
    """
    if os.environ.get(STRICT_ENV) == "1":
        return None
    try:
        return asyncio.get_running_loop().call_soon
    except RuntimeError:  # no event loop running: a script or a test
        return None


def open_app(build: Callable[[Store, Person], T], what: str, store: Store | None = None,
             person: Person | None = None, *, name: str, needs: str = READ_CASES,
             or_needs: tuple[str, ...] = ()) -> T | RoleApp | FailedApp:
    """Build an app for the person using the kit, with the header every app shows (`navigation.attach`: the
    kit's name, the other apps carrying the case and child, the person, the skip link), or show why it
    could not be built (the traceback goes to the log).

    Args:
        build: makes the app from the store and the person.
        what: the failure panel's heading ("The chronology app could not be opened").
        store: the database (default: the kit's, opened now).
        person: who is using the kit (default: the one the store names, `Store.person()`, asked once here).
        name: the app's name, for a role it is not open to.
        needs: what the person's role must allow for the app to be built: READ_CASES for the case apps,
            READ_REVIEWS for the research apps.
        or_needs: other actions any of which is enough instead (the extract app: a researcher's requests, an
            administrator's approvals, on a team's database).

    Returns:
        The app; for a role that may not do what the app needs (for a case app: researcher, administrator) a
        `roles.RoleApp` saying what the role may do instead, with no case control built; or the panel.
    """
    from .navigation import attach  # here, not at the top: navigation's guard imports this module
    from .roles import RoleApp

    try:
        store = store or Store.open()
        person = person or store.person()
        may = any(person.may(action) for action in (needs, *or_needs))
        app = build(store, person) if may else RoleApp(store, person, name, needs)
        attach(app)
        return app
    except Exception as exc:  # a panel in words helps a practitioner; a traceback does not
        if os.environ.get(STRICT_ENV) == "1":  # the notebook tests: an app that cannot open must fail them
            raise
        return FailedApp(failure_panel(what, exc))

"""The one guard every widget action runs through: a failure is told in words beside its control and
its traceback goes to the server's log only.

ipywidgets sends an exception escaping a click or observe callback to the browser, traceback and all
(file paths, SQL and its parameters, the record's text). Here nothing escapes: the user reads what could
not be done and why in plain words; the server's log keeps the rest.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..store import DatabaseFailure, Forbidden, NotFound, SaveNotKept
from .panels import say, why_in_words

log = logging.getLogger("neglect_kit")

GUARDED = "_nk_guarded"  # set on every guarded callback, so a test can find a button that skips the guard


class ServerLog(logging.StreamHandler):
    """Writes to the server's own stderr. Inside a kernel, `sys.stderr` and even file descriptor 2 are
    forwarded to the browser; ipykernel keeps a copy of the real descriptor, which is used instead."""

    def __init__(self) -> None:
        super().__init__()
        self._kernel_stream: io.TextIOWrapper | None = None

    @property
    def stream(self) -> Any:
        real = getattr(sys.stderr, "_original_stdstream_copy", None)
        if real is None:
            return sys.__stderr__
        if self._kernel_stream is None:
            self._kernel_stream = io.TextIOWrapper(os.fdopen(os.dup(real), "wb"), write_through=True)
        return self._kernel_stream

    @stream.setter
    def stream(self, _value: Any) -> None:  # StreamHandler.__init__ sets it; the property decides
        pass


def _server_log() -> None:
    if not any(isinstance(h, ServerLog) for h in log.handlers):
        handler = ServerLog()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        log.addHandler(handler)
    # without a level of its own the logger would take the root's (WARNING): errors pass either way
    if log.level == logging.NOTSET:
        log.setLevel(logging.INFO)
    # inside a kernel, a handler some library puts on the root logger writes to the forwarded stderr,
    # which is the browser: the kit's records stop at its own handler there
    if getattr(sys.stderr, "_original_stdstream_copy", None) is not None:
        log.propagate = False


_server_log()


def failure_message(what: str, exc: BaseException, writes: bool, whole: bool = True) -> str:
    """The line shown beside a control whose action failed. A write the team's database refused
    (`Forbidden`: the role or the caseload does not allow it) is said in the database's words."""
    if not writes:
        after = "Nothing was changed."
    elif whole and isinstance(exc, (DatabaseFailure, SaveNotKept, Forbidden, NotFound)):  # one transaction, undone
        after = "Nothing was saved; your text is kept."
    else:  # the failure may have come after a save (or between two): claim no more than is known
        after = "It may not have been saved; your text is kept, so check before saving again."
    ask = "If your role should allow it, ask your administrator." if isinstance(exc, (Forbidden, NotFound)) else \
        "Tell your administrator."
    return f"Could not {what}: {why_in_words(exc)}. {after} {ask}"


def guard(what: str, where: w.HTML, action: Callable[..., Any], *, writes: bool = False, whole: bool = True
          ) -> Callable[..., None]:
    """A widget callback that never lets an exception reach the browser.

    Args:
        what: the action in words, after "Could not" ("save the entry", "show the chronology").
        where: the message widget beside the control; a failure's line is put there as an alert.
        action: the callback itself, given whatever the widget passes (the button, or the change).
        writes: the action saves something: the message then says whether it was saved. Forms are
            never cleared on failure, so the user's text stays where it was typed.
        whole: the action's writes are one transaction, so a database failure means nothing was saved;
            an action of several transactions (signing: the save, the signature, the actions reviewed)
            says only that it may not have been saved.

    Returns:
        The guarded callback, marked so tests can check no button skips the guard.
    """

    def guarded(*args: Any) -> None:
        try:
            action(*args)
        except Exception as exc:  # shown in words here; the traceback to the server's log only
            log.exception("widget action failed: %s", what)
            where.value = say(failure_message(what, exc, writes, whole), alert=True)

    setattr(guarded, GUARDED, what)
    return guarded


"""Speed helpers shared by the bulk paths (imports, loading a case)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from types import ModuleType
from typing import Any, TypeVar

T = TypeVar("T")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector while many small objects are made.

    Building thousands of rows makes a few objects each and no reference cycles, yet each
    collection walks the whole growing heap again: a third of the time for nothing. The
    collector runs as usual once the block ends; what the block made, which outlives it (a return's
    rows, a case's records), is moved straight to the oldest generation (gc.freeze then unfreeze), so the
    first collection after it does not walk every one of them once more (a tenth of a large import).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            if gc.get_freeze_count() == 0:  # never undo a freeze the program made itself
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def imported(name: str, package: str | None = None) -> ModuleType:
    """`importlib.import_module`, with the collector held: importing pandas, SQLAlchemy or matplotlib makes
    hundreds of thousands of objects that live as long as the program, and the collections they set off
    walk them all again for nothing (a sixth of an app's imports, a quarter of matplotlib's, measured)."""
    with collector_paused():
        return import_module(name, package)


def in_background(job: Callable[[], T]) -> Callable[[], T]:
    """Start `job` in a thread of its own, for work that lets other threads run meanwhile (hashing a
    file's bytes, while pandas parses them).

    Returns:
        A function that waits for the job to end and gives its result, or raises what it raised.
    """
    done: list[Any] = []

    def run() -> None:
        try:
            done.append((job(), None))
        except BaseException as exc:  # handed to the caller, who sees it as if the job had run there
            done.append((None, exc))

    thread = threading.Thread(target=run, name="in_background", daemon=True)
    thread.start()

    def result() -> T:
        thread.join()
        value, error = done[0]
        if error is not None:
            raise error
        return value

    return result

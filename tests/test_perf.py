"""The paused collector: what a bulk step made is not walked again by the next young collection; modules
imported with it held."""

import gc
import sys
import threading

import pytest

from neglect_kit.perf import collector_paused, imported, in_background


def _young(obj: object) -> bool:
    return any(o is obj for generation in (0, 1) for o in gc.get_objects(generation=generation))


def test_objects_made_with_the_collector_paused_go_to_the_oldest_generation():
    gc.collect()
    with collector_paused():
        made = [{"row": n, "cells": [n]} for n in range(10_000)]
    assert gc.isenabled()
    # left young, every one of them would be walked again by the collections after the block
    assert not _young(made) and not _young(made[-1])


def test_a_freeze_the_program_made_is_left_alone():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            made = [[n] for n in range(1_000)]
        assert gc.get_freeze_count() == frozen
        assert len(made) == 1_000
    finally:
        gc.unfreeze()


def test_a_job_in_the_background_runs_while_the_caller_works_and_gives_its_result_or_its_error():
    started, go_on = threading.Event(), threading.Event()

    def job() -> int:
        started.set()
        assert go_on.wait(10)  # ends only once the caller, still running, says so
        return 42

    result = in_background(job)
    assert started.wait(10)
    go_on.set()
    assert result() == 42

    def failing() -> None:
        raise ValueError("no such file")

    with pytest.raises(ValueError, match="no such file"):
        in_background(failing)()


def test_a_module_is_imported_with_the_collector_held_and_the_collector_runs_again_after(tmp_path, monkeypatch):
    (tmp_path / "nk_probe_module.py").write_text("import gc\nCOLLECTING = gc.isenabled()\n", encoding="utf-8")
    (tmp_path / "nk_probe_broken.py").write_text("raise ValueError('broken on import')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        module = imported("nk_probe_module")
        assert module.COLLECTING is False  # what pandas or matplotlib would make, made with no collection
        assert gc.isenabled()
        with pytest.raises(ValueError, match="broken on import"):
            imported("nk_probe_broken")
        assert gc.isenabled()  # a module failing to import leaves the collector running
    finally:
        for name in ("nk_probe_module", "nk_probe_broken"):
            sys.modules.pop(name, None)


def test_an_app_is_imported_with_the_collector_held(monkeypatch):
    import neglect_kit.apps as apps

    asked = []
    monkeypatch.setattr(apps, "imported", lambda name, package=None: asked.append((name, package)) or sys.modules[
        "neglect_kit.perf"])
    with pytest.raises(AttributeError):  # neglect_kit.perf has no ChronologyApp: only the import is looked at
        apps.ChronologyApp  # noqa: B018
    assert asked == [(".chronology", "neglect_kit.apps")]

"""An app's page in a notebook: the app opened just after the cell has run, so the browser loads the page meanwhile."""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import ipywidgets as w
import pytest

from neglect_kit.apps import page
from neglect_kit.ui.opening import STRICT_ENV, OpeningNote, after_the_cell

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "toolkits" / "chronology.ipynb"


class _App:
    def __init__(self):
        self.widget = w.Label("the app")


def test_without_an_event_loop_the_app_is_opened_at_once():
    opened = []
    shown = after_the_cell(lambda: opened.append(_App()) or opened[0], "The app could not be opened")
    assert opened and shown is opened[0].widget


def _page_drawn(shown):
    """What the browser does once it has drawn the page: the note's view says so."""
    [note] = [c for c in shown.children if isinstance(c, OpeningNote)]
    note._handle_custom_msg({"shown": True}, [])


def test_in_a_kernel_the_app_is_prepared_after_the_cell_and_opened_once_the_page_is_drawn(monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)
    prepared, opened = [], []

    async def cell():
        shown = after_the_cell(lambda: opened.append(_App()) or opened[0], "The app could not be opened",
                               prepare=lambda: prepared.append(1))
        assert not prepared and not opened and isinstance(shown.children[0], OpeningNote)  # the cell ends at once
        await asyncio.sleep(0)  # the loop's next turn: the cell has run, the browser is loading the page
        assert prepared and not opened
        note = shown.children[0]
        note._handle_custom_msg({"shown": False}, [])  # no message but "shown" opens it
        assert not opened
        _page_drawn(shown)
        assert opened and shown.children == (opened[0].widget,)
        note._handle_custom_msg({"shown": True}, [])  # a second view of the note: the app is opened once
        assert len(opened) == 1 and shown.children == (opened[0].widget,)

    asyncio.run(cell())


def test_an_app_whose_module_cannot_be_imported_shows_a_panel_in_words(monkeypatch):
    monkeypatch.delenv(STRICT_ENV, raising=False)

    def broken():
        raise ImportError("No module named 'pandas' (/srv/kit/lib/python3.11)")

    async def cell():
        shown = after_the_cell(broken, "The chronology app could not be opened", prepare=broken)
        await asyncio.sleep(0)  # the failed import is not raised into the kernel's loop
        _page_drawn(shown)
        [panel] = shown.children
        assert 'role="alert"' in panel.value and "The chronology app could not be opened" in panel.value
        assert "/srv/kit" not in panel.value and "Traceback" not in panel.value

    asyncio.run(cell())


def test_under_the_notebook_tests_the_app_is_opened_in_the_cell_and_its_failure_fails_it(monkeypatch):
    monkeypatch.setenv(STRICT_ENV, "1")

    def broken():
        raise ImportError("no pandas")

    async def cell():
        with pytest.raises(ImportError):
            after_the_cell(broken, "The app could not be opened")

    asyncio.run(cell())


def test_an_unknown_app_is_refused_with_the_apps_named():
    with pytest.raises(ValueError, match=r"no app named 'ChronoApp' .*ChronologyApp"):
        page("ChronoApp")


def test_the_chronology_notebooks_cell_ends_before_its_libraries_are_imported_and_they_are_imported_after(demo_file):
    [cell] = [c for c in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    *body, last = "".join(cell["source"]).strip().splitlines()
    imports = "\n".join(body)
    script = f"""
import asyncio, sys

def buttons(widget):
    yield getattr(widget, "description", "")
    for child in getattr(widget, "children", ()):
        yield from buttons(child)

async def kernel():
    namespace = {{}}
    exec({imports!r}, namespace)
    shown = eval({last!r}, namespace)
    print("in the cell:", "pandas" in sys.modules, "sqlalchemy" in sys.modules)
    await asyncio.sleep(0)
    print("after it:", "pandas" in sys.modules, "matplotlib" in sys.modules, "Add entry" in buttons(shown))
    shown.children[0]._handle_custom_msg({{"shown": True}}, [])  # the page drawn in the browser
    print("page drawn:", "Add entry" in buttons(shown))

asyncio.run(kernel())
"""
    env = {**os.environ, "NEGLECT_KIT_DB": f"sqlite:///{demo_file}", "PYTHONPATH": str(NOTEBOOK.parents[2])}
    env.pop(STRICT_ENV, None)
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                         check=True).stdout.splitlines()
    assert out == ["in the cell: False False", "after it: True True False", "page drawn: True"]


def test_the_chronology_app_imports_the_reading_of_returns_only_when_its_import_section_opens(demo_file):
    script = """
import sys
from neglect_kit.apps.chronology import ChronologyApp
from neglect_kit.store import Store
app = ChronologyApp(Store.open())
print("opened:", "neglect_kit.chronology.importer" in sys.modules, "neglect_kit.chronology.intake" in sys.modules)
app.imports
print("import section open:", "neglect_kit.chronology.importer" in sys.modules)
"""
    env = {**os.environ, "NEGLECT_KIT_DB": f"sqlite:///{demo_file}", "PYTHONPATH": str(NOTEBOOK.parents[2])}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                         check=True).stdout.splitlines()
    assert out == ["opened: False False", "import section open: True"]

"""A notebook's page: `neglect_kit.apps.page`, the app imported and built once the notebook's cell has finished."""

import asyncio
import shutil
import subprocess
import sys

import ipywidgets as w
import pytest

from neglect_kit import apps
from neglect_kit.ui.page_open import STRICT_ENV


@pytest.fixture
def sample_db(demo_file, tmp_path, monkeypatch):
    """The kit's database (NEGLECT_KIT_DB) is a copy of the sample cases; users' own mode (no strict)."""
    shutil.copy(demo_file, tmp_path / "kit.sqlite")
    monkeypatch.setenv("NEGLECT_KIT_DB", f"sqlite:///{tmp_path / 'kit.sqlite'}")
    monkeypatch.delenv(STRICT_ENV, raising=False)


def _texts(widget: w.Widget) -> list[str]:
    """Every description and HTML value under a widget, depth first."""
    found = [str(getattr(widget, a)) for a in ("description", "value") if isinstance(getattr(widget, a, None), str)]
    for child in getattr(widget, "children", ()):
        found += _texts(child)
    return found


def _in_a_kernel(make):
    """What `make()` gives while an event loop runs (as in a kernel's cell), and then after the loop's next turn."""
    async def cell():
        first = make()
        shown = list(first.children)
        await asyncio.sleep(0)  # the cell has finished: what was put off runs
        return first, shown, list(first.children)

    return asyncio.run(cell())


def test_in_a_kernel_the_page_is_a_line_saying_it_opens_and_then_the_app(sample_db):
    box, at_first, after = _in_a_kernel(lambda: apps.page("ChronologyApp"))
    assert [type(c) for c in at_first] == [w.HTML]
    assert 'role="status"' in at_first[0].value and "Opening" in at_first[0].value
    assert len(after) == 1 and after[0] is not at_first[0]
    assert "Add entry" in _texts(box)
    assert not any("Opening" in t for t in _texts(box))


def test_outside_a_kernel_the_app_is_built_at_once(sample_db):
    widget = apps.page("CaseListApp")
    assert any("The Fenwick children" in t for t in _texts(widget))


def test_under_the_notebook_tests_the_app_is_built_in_the_cell(sample_db, monkeypatch):
    monkeypatch.setenv(STRICT_ENV, "1")  # so that nbval sees a failure in the cell that caused it
    widget, at_first, _ = _in_a_kernel(lambda: apps.page("CaseListApp"))
    assert any("The Fenwick children" in t for t in _texts(widget))
    assert not any("Opening" in t for c in at_first for t in _texts(c))


def test_an_app_whose_module_fails_to_import_shows_the_panel_or_fails_the_notebook_tests(sample_db, monkeypatch):
    monkeypatch.setitem(apps._WHERE, "CaseListApp", "no_such_module")
    box, _, after = _in_a_kernel(lambda: apps.page("CaseListApp"))
    [panel] = after
    assert 'role="alert"' in panel.value and "The app could not be opened" in panel.value
    assert "Traceback" not in panel.value and "no_such_module" not in panel.value
    monkeypatch.setenv(STRICT_ENV, "1")
    with pytest.raises(ModuleNotFoundError):
        apps.page("CaseListApp")


@pytest.mark.parametrize("name", ["Chronology", "CorpusAnalysis", "page"])
def test_a_name_that_is_no_app_with_a_page_is_refused_naming_the_apps(name):
    with pytest.raises(ValueError, match=rf"no app called '{name}' has a page; the apps are .*ChronologyApp"):
        apps.page(name)


def test_the_cell_imports_none_of_the_apps_libraries(sample_db):
    """What makes the page quick: the cell itself imports no database, table or model library; the app's
    import waits for the loop (once the page is sent)."""
    code = ("import asyncio, sys\n"
            "heavy = ('sqlalchemy', 'pandas', 'pydantic', 'matplotlib')\n"
            "async def cell():\n"
            "    from neglect_kit.apps import page\n"
            "    page('ChronologyApp')\n"
            "    print(sorted(m for m in heavy if m in sys.modules))\n"
            "    await asyncio.sleep(0)\n"
            "    print(sorted(m for m in heavy if m in sys.modules))\n"
            "asyncio.run(cell())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.splitlines() == ["[]", "['pandas', 'pydantic', 'sqlalchemy']"]

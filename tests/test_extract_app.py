"""The extract app (apps/extract.py) as a person taking an extract uses it, without a browser."""

from __future__ import annotations

import base64
import io
import re
import shutil
import zipfile
from types import SimpleNamespace

import pytest

from neglect_kit.apps.extract import SHOWN, ExtractApp
from neglect_kit.research.extract_key import KEY_ENV
from neglect_kit.store import Store
from neglect_kit.store.identity import SUPERVISOR, Person


@pytest.fixture
def app(demo_file, tmp_path, monkeypatch):
    monkeypatch.setenv(KEY_ENV, "a fictional key for the tests only")
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    return ExtractApp(Store.open(f"sqlite:///{copy}", user="Anita Marsh"))


def zipped(app) -> dict[str, bytes]:
    link = re.search(r'download="extract.zip" href="data:application/zip;base64,([^"]+)"', app.download.value)
    assert link, app.download.value
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(link.group(1)))) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_nothing_chosen_is_said(app):
    app.take_button.click()
    assert "Choose at least one case." in app.status.value and 'role="alert"' in app.status.value
    assert app.download.value == ""


def test_the_gate_refuses_and_says_which_groups(app):
    app.cases["fenwick"].value = True
    app.take_button.click()
    assert "Not taken: refused:" in app.status.value and "fewer than 5 children" in app.status.value
    assert app.download.value == "" and app.report.value == ""
    app.min_k.value = 1
    app.take_button.click()
    assert "Why lower it: k = 1 is below the settings&#39; 5" in app.status.value


def test_taken_with_a_reason_the_report_the_download_and_the_mapping_apart(app, tmp_path):
    app.cases["fenwick"].value = app.cases["dunmore"].value = True
    app.min_k.value = 1
    app.reason.value = "the fictional sample cases"
    place = tmp_path / "kept" / "m.json"
    place.parent.mkdir()
    app.mapping.value = str(place)
    app.take_button.click()
    extract = app.extract
    assert extract is not None, app.status.value
    assert "Extract of 2 cases" in app.status.value and str(place) in app.status.value
    assert place.stat().st_mode & 0o777 == 0o600
    n = len(extract.residual)
    assert f"{n} tokens left in the free text" in app.report.value
    shown = min(n, SHOWN)
    assert app.report.value.count("<tr>") == shown + 1  # the heading row, then one per token shown
    first = extract.residual[0]
    assert f"<td>{first.row}</td>" in app.report.value and f"<td>{first.token}</td>" in app.report.value
    assert first.token in first.context and f"<td>{first.context}</td>" in app.report.value
    files = zipped(app)
    assert sorted(files) == ["entries.csv", "extract.json", "findings.csv", "grades.csv", "log.csv", "plans.csv",
                             "residual_risk.csv"]
    assert b"Fenwick" not in b"".join(files.values())
    assert app.mapping.value != str(place)  # the next extract gets a mapping of its own
    app.mapping.value = str(place)
    app.take_button.click()  # the same mapping again is never replaced
    assert "never replaced" in app.status.value


def test_a_mapping_path_must_be_whole(app):
    app.cases["dunmore"].value = True
    app.min_k.value, app.reason.value = 1, "a test"
    app.mapping.value = "m.json"
    app.take_button.click()
    assert "give the whole path of a new file" in app.status.value


def test_on_a_team_the_app_says_why_and_builds_no_control(demo_file, tmp_path):
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    store = Store.open(f"sqlite:///{copy}")
    store.connected = SimpleNamespace(team=True, user="a.supervisor")  # as `team.connected` finds a team's database
    app = ExtractApp(store, person=Person("a.supervisor", "A Supervisor", SUPERVISOR))
    assert not hasattr(app, "take_button") and not hasattr(app, "form")
    said = app.widget.children[1].value
    assert "On a team&#39;s database an extract is not taken in anyone&#39;s own process" in said
    assert "the researcher requests the extract here" in said

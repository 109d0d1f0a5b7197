"""The start page's case list, driven without a browser."""

from helpers import csv_bytes

from neglect_kit.apps.case_list import CaseListApp
from neglect_kit.chronology.intake import ReturnFile, import_returns


def test_cases_children_plans_and_counts_are_listed_and_escaped(store, case):
    from datetime import date

    store.add_plan(case, "ruby", type="child_protection", category="neglect", start=date(2019, 1, 1),
                   risk_factors=["home_conditions"])
    app = CaseListApp(store)
    assert "The Ashdown children" in app.body.value
    assert "Ruby Ashdown (born 02 Sep 2015)" in app.body.value
    assert "Child protection plan (neglect), 01 Jan 2019 to open" in app.body.value
    assert "<td>Home conditions</td>" in app.body.value
    import_returns(store, case, [ReturnFile("p.csv", csv_bytes(
        "Date,Child,Type,Details", "2019-01-02,Ruby,DA,<b>Shouting</b> heard."), agency="police")])
    store.create_case("x", "<script>alert(1)</script>")
    app.refresh_button.click()
    assert "<td>Police</td><td>1</td>" in app.body.value
    assert "&lt;script&gt;" in app.body.value
    assert "<script>alert" not in app.body.value


def test_an_empty_store_says_how_to_load_the_samples(store):
    assert "neglect-kit demo" in CaseListApp(store).body.value


def test_a_store_that_cannot_open_shows_a_panel_not_a_traceback(tmp_path):
    (tmp_path / "a_folder").mkdir()
    from neglect_kit.store import Store

    app = CaseListApp.open(Store(__import__("sqlalchemy").create_engine(f"sqlite:///{tmp_path / 'a_folder'}")))
    assert 'role="alert"' in app.widget.value
    assert "could not be opened" in app.widget.value
    assert "Traceback" not in app.widget.value


def test_under_the_notebook_tests_an_app_that_cannot_open_fails_loudly(tmp_path, monkeypatch):
    """`make notebooks` sets NEGLECT_KIT_STRICT, so nbval fails on an app that could not open; users get the panel."""
    import pytest
    import sqlalchemy

    from neglect_kit.store import Store
    from neglect_kit.ui.panels import STRICT_ENV

    (tmp_path / "a_folder").mkdir()
    broken = Store(sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'a_folder'}"))
    monkeypatch.setenv(STRICT_ENV, "1")
    with pytest.raises(sqlalchemy.exc.OperationalError):
        CaseListApp.open(broken)

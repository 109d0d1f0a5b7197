"""Moving between the apps: the header, the case and child carried in the address and remembered, the tab
titles, the start page's cases opening their chronology, the skip link's target, the focus ring's CSS."""

import html
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from neglect_kit.apps.assessment import AssessmentApp
from neglect_kit.apps.case_list import CaseListApp
from neglect_kit.apps.chronology import ChronologyApp
from neglect_kit.apps.day_in_the_life import DayApp
from neglect_kit.apps.reflective_session import ReflectiveSessionApp
from neglect_kit.reports.html import stylesheet
from neglect_kit.store import Store
from neglect_kit.ui import navigation as nav
from neglect_kit.ui.panels import Status

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture
def kit(demo_file, tmp_path) -> Store:
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    return Store.open(f"sqlite:///{copy}", user="Anita Marsh")


def served(monkeypatch, notebook: str, query: str = "") -> None:
    """The environment Voila gives the kernel of a page (CGI names)."""
    monkeypatch.setenv("SCRIPT_NAME", f"/voila/render/{notebook}")
    monkeypatch.setenv("QUERY_STRING", query)
    monkeypatch.setenv("VOILA_BASE_URL", "/")


def links(app) -> dict[str, str]:
    found = re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+)</a>', app.header.widget.value)
    return {html.unescape(name): html.unescape(href) for href, name in found}


def test_the_address_is_read_from_the_page_request(monkeypatch):
    served(monkeypatch, "toolkits/chronology.ipynb", "case=fenwick&child=theo&other=1")
    assert nav.address() == nav.Choice("fenwick", "theo")
    assert nav.this_notebook() == "toolkits/chronology.ipynb"
    assert nav.page_url("supervision/reflective_session.ipynb", nav.Choice("a b", "c&d")) == (
        "/voila/render/supervision/reflective_session.ipynb?case=a+b&child=c%26d")
    monkeypatch.setenv("VOILA_BASE_URL", "/kit/")
    assert nav.page_url("index.ipynb") == "/kit/voila/render/index.ipynb"


def test_an_app_opened_from_an_address_shows_that_child_and_its_links_carry_it(kit, monkeypatch):
    served(monkeypatch, "toolkits/neglect_assessment.ipynb", "case=fenwick&child=theo")
    app = AssessmentApp.open(kit)
    assert (app.case_id, app.child_id) == ("fenwick", "theo")
    found = links(app)
    assert [name for _, name in nav.APPS if name != "Neglect assessment"] == list(found)
    assert found["A day in the child's life"] == "/voila/render/toolkits/day_in_the_life.ipynb?case=fenwick&child=theo"
    header = app.header.widget.value
    assert 'href="/voila/render/index.ipynb">neglect-kit</a>' in header
    assert '<li><span aria-current="page">Neglect assessment</span></li>' in header  # here: not a link
    assert "Using the kit: <strong>Anita Marsh</strong>" in header
    assert app.widget.children[0] is app.header.box  # first on the page

    # another child chosen: the links follow, and the choice is remembered for the next app
    app.picker.child.value = "maisie"
    assert links(app)["Chronology"].endswith("chronology.ipynb?case=fenwick&child=maisie")
    served(monkeypatch, "toolkits/day_in_the_life.ipynb")
    day = DayApp.open(kit)
    assert (day.case_id, day.child_id) == ("fenwick", "maisie")
    assert day.header.note == ""


def test_the_chronology_opens_on_the_child_in_the_address_once(kit, monkeypatch):
    served(monkeypatch, "toolkits/chronology.ipynb", "case=fenwick&child=theo")
    reads = []
    real = kit.people
    monkeypatch.setattr(kit, "people", lambda *a, **k: reads.append(a) or real(*a, **k))
    app = ChronologyApp.open(kit)
    assert (app.case_id, app.child_picker.value) == ("fenwick", "theo")
    assert {a[0] for a in reads} == {"fenwick"}  # the case named is opened, not the first case and then it
    assert links(app)["Neglect screening"].endswith("screening.ipynb?case=fenwick&child=theo")
    app.child_picker.value = ""  # all children: the links carry the case alone
    assert links(app)["Neglect screening"].endswith("screening.ipynb?case=fenwick")


def test_the_anonymised_view_carries_no_ids_in_its_links_and_the_next_app_still_opens_on_the_case(kit, monkeypatch):
    served(monkeypatch, "toolkits/chronology.ipynb", "case=fenwick&child=theo")
    app = ChronologyApp.open(kit)
    app.view.value = "anonymised"  # ids may be names (the sample's are first names): none in a link
    assert all("theo" not in href and "fenwick" not in href for href in links(app).values())
    app.child_picker.value = "maisie"
    assert all("maisie" not in href for href in links(app).values())
    served(monkeypatch, "toolkits/screening.ipynb")  # the next app opens on what was chosen, from memory
    assert nav.remembered("Anita Marsh") == nav.Choice("fenwick", "maisie")
    app.view.value = "named"
    assert links(app)["Neglect screening"].endswith("screening.ipynb?case=fenwick&child=maisie")


def test_an_id_the_kit_does_not_hold_is_told_in_words(kit, monkeypatch):
    first = kit.cases()[0]
    served(monkeypatch, "toolkits/chronology.ipynb", "case=<script>&child=x")
    app = ChronologyApp.open(kit)
    assert app.case_id == first["id"]
    assert app.header.note == ("The page address names a case (given) the kit does not hold: "
                               f"showing {first['title']} instead.")
    assert "<script>" not in app.header.widget.value
    served(monkeypatch, "toolkits/neglect_assessment.ipynb", "case=fenwick&child=craig-9")
    app = AssessmentApp.open(kit)
    assert app.case_id == "fenwick" and app.child_id == "maisie"
    assert "names a child (craig-9) who is not in this case: showing Maisie Fenwick instead" in app.header.note
    app.picker.child.value = "theo"  # a choice made: the note has done its work
    assert app.header.note == ""


def test_an_app_that_waits_for_a_case_takes_the_one_carried(kit, monkeypatch):
    served(monkeypatch, "supervision/reflective_session.ipynb", "case=fenwick&child=theo")
    app = ReflectiveSessionApp.open(kit)
    assert app.case_id == "fenwick"
    assert links(app)["Neglect assessment"].endswith("?case=fenwick")


def test_the_last_choice_is_kept_per_user_and_a_damaged_file_is_no_choice(tmp_path):
    assert nav.remembered("anita") == nav.Choice()
    nav.remember("anita", nav.Choice("fenwick", "theo"))
    nav.remember("ben/../x", nav.Choice("dunmore", ""))
    assert nav.remembered("anita") == nav.Choice("fenwick", "theo")
    assert nav.remembered("ben/../x") == nav.Choice("dunmore", "")
    assert nav.starting_choice("anita", ["dunmore", "fenwick"]) == nav.Choice("fenwick", "theo")
    assert nav.starting_choice("anita", ["dunmore"]) == nav.Choice("dunmore")  # the case has gone
    assert nav.starting_choice("carol", []) == nav.Choice()
    saved = list((nav._memory_file("anita")).parent.iterdir())
    assert sorted(p.name for p in saved) == ["anita.json", "ben_.._x.json"]  # nothing outside the folder
    nav._memory_file("anita").write_text("{not json", encoding="utf-8")
    assert nav.remembered("anita") == nav.Choice()


def test_the_address_goes_before_the_users_last_choice(monkeypatch):
    nav.remember("anita", nav.Choice("fenwick", "theo"))
    served(monkeypatch, "toolkits/chronology.ipynb", "case=dunmore")
    assert nav.starting_choice("anita", ["dunmore", "fenwick"]) == nav.Choice("dunmore")
    served(monkeypatch, "toolkits/chronology.ipynb", "case=gone")
    assert nav.starting_choice("anita", ["dunmore", "fenwick"]) == nav.Choice("fenwick", "theo")


def test_the_skip_link_leads_to_the_main_form(kit):
    app = ChronologyApp.open(kit)
    assert 'href="#nk-main">Skip to the main form</a>' in app.header.widget.value
    assert app.header.widget.value.index("nk-skip") < app.header.widget.value.index("nk-home")  # the first stop
    box = next(b for b in _boxes(app.widget) if app.form_box in b.children)
    before = box.children[box.children.index(app.form_box) - 1]
    assert 'id="nk-main" tabindex="-1"' in before.value
    assert sum('id="nk-main"' in str(getattr(c, "value", "")) for c in _all(app.widget)) == 1
    day = DayApp.open(kit)  # no main form named: just after the header
    assert 'id="nk-main"' in day.widget.children[1].value


def _all(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all(child)


def _boxes(widget):
    return [w for w in _all(widget) if hasattr(w, "children")]


def test_every_app_names_itself_in_the_browser_tab():
    for notebook, name in nav.APPS:
        assert nbformat.read(NOTEBOOKS / notebook, as_version=4).metadata["title"] == f"{name} \u00b7 neglect-kit"
    assert nbformat.read(NOTEBOOKS / "index.ipynb", as_version=4).metadata["title"] == "neglect-kit: the start page"


def test_on_the_start_page_each_case_opens_its_chronology(kit, monkeypatch):
    served(monkeypatch, "index.ipynb")
    page = CaseListApp.open(kit)
    for case in kit.cases():
        assert (f'<a href="/voila/render/toolkits/chronology.ipynb?case={case["id"]}">Open the chronology of '
                f'{case["title"]}</a>') in page.body.value
    assert "<li>" not in page.header.widget.value  # the start page lists the apps itself
    assert "Using the kit" in page.header.widget.value


def test_messages_after_an_action_are_styled_to_be_seen():
    status = Status()
    status.done("Entry added.")
    assert status.value == '<p role="status" class="nk-status">Entry added.</p>'
    status.refused("Say why.")
    assert status.value == '<p role="alert" class="nk-alert">Say why.</p>'
    css = stylesheet()
    for kind in ("status", "alert"):
        rule = re.search(rf"p\.nk-{kind} \{{([^}}]*border-color[^}}]*)\}}", css)
        assert rule and "border-color" in rule[1] and "background" in rule[1]


def _luminance(hex_colour: str) -> float:
    def lum(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * lum(r) + 0.7152 * lum(g) + 0.0722 * lum(b)


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_focus_ring_is_at_least_2px_at_3_to_1():
    css = stylesheet()
    rule = re.search(r":focus-visible[^{]*\{([^}]*)\}", css)
    assert rule, "a :focus-visible rule"
    width, colour = re.search(r"outline:\s*(\d+)px solid (#[0-9a-fA-F]{6})", rule[1]).groups()
    assert int(width) >= 2
    # against the page, the header's band and the grey of a button
    for ground in ("#ffffff", "#f3f6fb", "#eeeeee"):
        assert _contrast(colour, ground) >= 3, ground


def test_memory_file_is_json_of_case_and_child():
    nav.remember("anita", nav.Choice("fenwick", "theo"))
    assert json.loads(nav._memory_file("anita").read_text(encoding="utf-8")) == {"case": "fenwick", "child": "theo"}


@pytest.mark.parametrize(("role", "linked"), [("administrator", []), ("researcher", ["Coding reviews",
                                                                                     "Reconciling two codings"])])
def test_a_case_apps_header_links_only_apps_the_role_may_open(kit, monkeypatch, role, linked):
    """An administrator opening a case app is told it is not for their role, with no links to more such pages;
    a researcher is offered the research apps, which carry no case."""
    from neglect_kit.store.identity import Person
    from neglect_kit.ui.roles import RoleApp

    served(monkeypatch, "toolkits/chronology.ipynb", "case=fenwick&child=theo")
    app = ChronologyApp.open(kit, Person("omar.said", "Omar Said", role))
    assert isinstance(app, RoleApp)
    assert list(links(app)) == linked
    assert "?case=" not in app.header.widget.value and "Chronology" not in links(app)
    practitioner = ChronologyApp.open(kit, Person("sam.okafor", "Sam Okafor", "practitioner", "north"))
    assert "Neglect assessment" in links(practitioner)

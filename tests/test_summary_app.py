"""'What is life like for this child?': the summary app and the chronology app's panel, without a browser."""

import io
import re
import shutil
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from neglect_kit.apps.child_summary import ChildSummaryApp
from neglect_kit.apps.chronology import ChronologyApp
from neglect_kit.findings import PROMPT_LINE
from neglect_kit.store import Store
from neglect_kit.wording import day_text

NAMES = ("Maisie", "Theo", "Donna", "Craig", "Pauline", "Fenwick", "Maddox", "Maise", "Teddy")


@pytest.fixture
def store(demo_file, tmp_path):
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    return Store.open(f"sqlite:///{copy}", user="sw.one")


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_summary_shows_the_childs_words_day_and_findings_with_links(store):
    app = ChildSummaryApp(store)
    app.picker.select_case("fenwick")
    app.picker.select_child("maisie")
    page = app.panel.html.value
    assert "What is life like for Maisie?" in page and PROMPT_LINE in page
    assert "In Maisie&#39;s own words" in page and "we sleep in our coats" in page
    assert "A day in Maisie&#39;s life" in page
    assert "Parental alcohol use: mentioned in" in page and "Has life changed for Maisie?" in page
    links = set(re.findall(r'href="#([^"]+)"', page))
    targets = set(re.findall(r'<tr id="([^"]+)"', page))
    assert links and links <= targets  # every link lands on its entry
    assert "<script" not in page


def test_the_printable_summary_as_page_and_pdf(store):
    app = ChildSummaryApp(store)
    app.picker.select_case("fenwick")
    app.picker.select_child("theo")
    files = app.panel.files
    page = next(d for n, d in files.items() if n.endswith(".html")).decode()
    assert page.startswith("<!DOCTYPE html>") and "What is life like for Theo?" in page
    text = _pdf_text(next(d for n, d in files.items() if n.endswith(".pdf")))
    assert "What is life like for Theo?" in text and "Parental alcohol use" in text
    assert "Entries: E" in text.replace("\n", " ")
    assert app.panel.links.value.count("<a download=") == 2


def test_the_anonymised_summary_names_no_one(store):
    app = ChildSummaryApp(store)
    app.picker.select_case("fenwick")
    app.picker.select_child("maisie")
    app.view.value = "anonymised"
    page = app.panel.html.value
    assert "What is life like for Child A?" in page
    assert not [n for n in NAMES if n in page]
    pdf = _pdf_text(next(d for n, d in app.panel.files.items() if n.endswith(".pdf")))
    assert not [n for n in NAMES if n in pdf]
    assert not re.search(r"born \d", page)
    assert "fenwick" not in page.lower() and "maisie" not in page.lower()  # nor ids in anchors
    assert not [n for n in app.panel.files if "fenwick" in n or "maisie" in n]
    assert app.case_picker.label == "Case 2" and app.child_picker.label == "Child A"
    app.view.value = "named"
    assert app.case_picker.label == "The Fenwick children" and app.child_picker.label == "Maisie Fenwick"


def test_the_anonymised_summary_leaves_no_school_town_birth_date_or_worker(store):
    chronology = ChronologyApp(store)
    chronology.select_case("fenwick")
    chronology.form.fill({"event_date": "02/11/2022", "agency": "school", "category": "other",
                          "source_detail": "Class teacher (J. Verney)",
                          "description": "Maisie (DOB 21/07/2014) talked to Ms Verney at Millbrook Primary.",
                          "child_words": "I live in Eastmere with Nan, I was born 21st July 2014 at Millbrook."},
                         ["maisie"])
    chronology.save()
    app = ChildSummaryApp(store)
    app.picker.select_case("fenwick")
    app.picker.select_child("maisie")
    assert "Millbrook" in app.panel.html.value  # the named view shows what was recorded
    app.view.value = "anonymised"
    page = app.panel.html.value
    assert "I live in [town] with Grandparent, I was born [date of birth] at [place]." in page
    for word in ("Millbrook", "Eastmere", "21st July 2014", "Verney", *NAMES):
        assert word not in page, word


def test_a_case_without_entries_still_has_a_summary(store):
    store.create_case("empty", "An empty case")
    store.add_person("empty", "kit", kind="child", name="Kit Ames", date_of_birth=None,
                     expected_date_of_birth=None)
    app = ChildSummaryApp(store)
    app.picker.select_case("empty")
    page = app.panel.html.value
    assert "What is life like for Kit?" in page and "Nothing Kit said or showed is recorded" in page
    assert page.count("None found in these records.") == 6


def test_the_chronology_app_panel_follows_the_child(store):
    app = ChronologyApp(store)
    app.select_case("fenwick")
    app.summary_button.click()
    assert "Choose one child above" in app.summary.html.value
    app.select_child("theo")
    app.summary_button.click()
    assert "What is life like for Theo?" in app.summary.html.value
    app.select_child("maisie")
    assert app.summary.html.value == ""  # Theo's findings never sit beside Maisie's chronology
    app.summary_button.click()
    app.view.value = "anonymised"
    assert app.summary.html.value == ""


def test_a_historic_case_is_measured_to_today_with_a_one_click_change(store):
    app = ChildSummaryApp(store)
    app.picker.select_case("fenwick")
    app.picker.select_child("theo")
    panel = app.panel
    assert panel.as_at.description and panel.newest_button.description and panel.today_button.description
    newest = panel.newest
    assert newest is not None and (date.today() - newest).days > 42
    note = panel.as_at_note.value
    today = day_text(date.today())
    assert f"The newest record is from {newest:%B %Y}: findings are measured to today ({today})" in note
    assert panel.newest_button.description == f"Measure to {day_text(newest)}"
    assert panel.newest_button.layout.display is None and panel.today_button.layout.display == "none"
    panel.newest_button.click()
    assert panel.as_at.value == newest
    assert f"Summary as at {day_text(newest)}." in panel.html.value
    assert panel.newest_button.layout.display == "none" and panel.today_button.layout.display is None
    # an earlier day: records after it are not counted
    panel.as_at.value = date(2017, 6, 1)
    page = panel.html.value
    assert "Summary as at 1 Jun 2017." in page and "came back" not in page
    assert all(f.end is None or f.end <= date(2017, 6, 1) for f in panel.found.findings)
    panel.today_button.click()
    assert panel.as_at.value is None and f"Summary as at {day_text(date.today())}." in panel.html.value


def test_an_as_at_day_in_the_future_is_refused_plainly(store):
    app = ChildSummaryApp(store)
    app.picker.select_case("fenwick")
    app.picker.select_child("maisie")
    app.panel.as_at.value = date.today() + timedelta(days=3)
    assert "is in the future: choose a day up to today" in app.panel.html.value
    assert app.panel.found is None and app.panel.files == {}

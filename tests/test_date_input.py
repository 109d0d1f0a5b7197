"""The one date control of every form and filter: typed day first, read by the kit's reader, shown back."""

import asyncio
import shutil
from datetime import date, datetime

import ipywidgets as w
import pytest

from neglect_kit.apps.chronology import ChronologyApp
from neglect_kit.store import Store
from neglect_kit.ui import fields
from neglect_kit.ui.date_input import DateField, read_day
from neglect_kit.ui.fields import Field, date_field


@pytest.mark.parametrize("typed", ["13/6/2018", "13/06/2018", "13 June 2018", "2018-06-13", "13th June 2018",
                                   "13.6.18", " 13 Jun 2018 "])
def test_a_date_typed_as_people_write_it_is_read_day_first_and_shown_back_in_words(typed):
    field = date_field("Visit on")
    field.text.value = typed
    assert field.value == date(2018, 6, 13)
    assert "Wednesday 13 June 2018" in field.reading.value
    assert field.error == ""


def test_an_ambiguous_slash_date_is_the_uk_reading_and_says_which_day_it_read():
    field = date_field("Visit on")
    field.text.value = "3/4/2019"
    assert field.value == date(2019, 4, 3)
    assert "3 April 2019" in field.reading.value


@pytest.mark.parametrize(("typed", "why"), [("31/13/2020", "has no month 13"), ("30/2/2021", "not a real day"),
                                            ("June 2018", "must be an exact day"), ("soon", "not a date the kit")])
def test_what_cannot_be_read_is_said_beside_the_box_and_gives_no_date(typed, why):
    field = date_field("From")
    field.value = date(2020, 1, 1)
    field.text.value = typed
    assert field.value is None
    assert why in field.error
    assert "Not read as a date" in field.reading.value and 'role="alert"' in field.reading.value
    assert typed.strip() in field.text.value  # what was typed stays, to be corrected


def test_value_keeps_the_date_pickers_interface():
    seen = []
    field = date_field("Date held", date(2026, 5, 4))
    field.observe(lambda ch: seen.append(ch["new"]), names="value")
    assert field.value == date(2026, 5, 4) and field.text.value == "4 May 2026"
    assert field.description == "Date held"
    field.value = datetime(2026, 6, 1, 10, 30)  # a datetime is its day
    assert field.value == date(2026, 6, 1) and field.text.value == "1 June 2026"
    field.text.value = "2/6/2026"
    field.text.value = "2 June 2026"  # the same day again: no second change
    field.value = None
    assert seen == [date(2026, 6, 1), date(2026, 6, 2), None]
    assert field.text.value == "" and field.reading.value == ""
    with pytest.raises(Exception, match="a date or None"):
        field.value = "2026-06-01"


def test_a_tooltip_is_the_text_boxs_never_the_boxs_which_the_browser_cannot_draw_with_one():
    field = date_field("Findings as at")
    field.tooltip = "Leave empty for today"
    assert field.text.tooltip == field.tooltip == "Leave empty for today"
    assert "tooltip" not in field.get_state()
    field.disabled = True
    assert field.text.disabled and field.disabled


def test_a_future_date_is_the_forms_to_judge_not_the_controls():
    field = date_field("By when")
    field.text.value = "1/2/2099"
    assert field.value == date(2099, 2, 1)
    assert read_day("") is None


def test_one_tab_stop_one_text_box_whose_value_reaches_the_kernel_when_left():
    field = date_field("From")
    assert isinstance(field, DateField)
    inputs = [c for c in field.children if isinstance(c, w.DOMWidget) and not isinstance(c, w.HTML)]
    assert inputs == [field.text] and isinstance(field.text, w.Text)
    assert field.text.continuous_update is False  # half a date ("13/6/20") is another date


def test_a_uk_date_typed_into_the_chronologys_filter_filters(demo_file, tmp_path):
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    app = ChronologyApp(Store.open(f"sqlite:///{copy}", user="Anita Marsh"))
    app.select_case("fenwick")
    every = len(app.filtered())
    app.filter_start.text.value = "13/6/2020"
    kept = app.filtered()
    assert 0 < len(kept) < every
    assert app.table.table.caption.startswith(f"{len(kept)} of {every} entries")


class _Check:
    def __init__(self, error):
        self.value, self.error = None, error


def test_the_first_field_in_error_takes_the_focus_once_the_forms_check_is_over(monkeypatch):
    focused = []
    first = Field("first", date_field("Event date"), lambda v: _Check("" if v else "give the date"))
    second = Field("second", w.Text(description="What happened"), lambda v: _Check("" if v else "say what"))
    ok = Field("ok", w.Text(description="Notes", value="x"), lambda v: _Check(""))
    for f in (first, second, ok):
        monkeypatch.setattr(f.control, "focus", lambda f=f: focused.append(f.name))

    async def save_clicked():
        for f in (ok, first, second):  # the form's check, in the order the fields are shown
            f.validate()
        assert focused == []  # not while the check is running
        await asyncio.sleep(0)

    asyncio.run(save_clicked())
    assert focused == ["first"]
    assert "give the date" in first.error and "say what" in second.error

    # a field checked as the user types shows its error but leaves the focus where it is
    focused.clear()

    async def typed():
        second.control.value = "y"
        second.control.value = ""
        await asyncio.sleep(0)

    asyncio.run(typed())
    assert focused == [] and "say what" in second.error
    assert fields._to_focus == []

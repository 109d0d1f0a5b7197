"""The chronology app driven as a practitioner would, without a browser."""

import asyncio
import csv
import io
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from neglect_kit.apps.chronology import PAGE, ChronologyApp
from neglect_kit.chronology.records import stored_entries
from neglect_kit.store import Store
from neglect_kit.ui import row_table
from neglect_kit.ui.panels import STRICT_ENV
from neglect_kit.ui.row_table import ALL, MORE

SAMPLES = Path(__file__).resolve().parent.parent / "sample_cases"
NAMES = ("Maisie", "Theo", "Donna", "Craig", "Pauline", "Fenwick", "Maddox", "Maise", "Teddy")


@pytest.fixture
def app(demo_file, tmp_path):
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    app = ChronologyApp(Store.open(f"sqlite:///{copy}", user="sw.one"))
    app.select_case("fenwick")
    return app


def table_text(app) -> str:
    """The entries table as a reader sees it: its caption and every shown row's cells."""
    table = app.table.table
    return "\n".join([table.caption, *(" | ".join(row["cells"].values()) for row in table.rows)])


def fill(app, **values):
    children = values.pop("children", ["maisie"])
    app.form.fill(values, children)


def screen_text(app) -> str:
    """Everything the page shows as text, labels or options: every widget of the app, so a new panel is
    covered too (an import panel once kept the children's names in the anonymised view)."""
    parts: list[str] = []

    def walk(widget) -> None:
        for attr in ("value", "description", "placeholder", "tooltip"):
            value = getattr(widget, attr, None)
            if isinstance(value, str):
                parts.append(value)
        parts.extend(str(label) for label, _ in getattr(widget, "_options_full", None) or ())
        for child in getattr(widget, "children", None) or ():
            walk(child)

    walk(app.widget)
    return "\n".join(parts)


def test_the_case_opens_with_its_table_and_timeline(app):
    assert len(app.frame) >= 150
    assert f"{len(app.frame)} of {len(app.frame)} entries" in table_text(app)
    assert app.timeline.value.startswith('<img class="nk-timeline" src="data:image/png;base64,')
    assert 'alt="Timeline of the chronology of Maisie Fenwick and Theo Fenwick' in app.timeline.value
    assert [label for label, _ in app.child_picker.options] == ["All children", "Maisie Fenwick", "Theo Fenwick"]


def test_adding_an_entry_shows_it_in_the_table_and_redraws_the_timeline(app):
    before_png, before = app.timeline_png, len(app.frame)
    fill(app, event_date="12/03/2023", recorded_date="13/03/2023", agency="school", category="attendance",
         description="Maisie absent all week; no call from home.", impact="negative", significance="medium",
         child_words="I had to stay with Theo")
    record = app.save()
    assert record is not None and record.created_by == "sw.one"
    assert len(app.frame) == before + 1
    assert "Maisie absent all week; no call from home." in table_text(app)
    assert app.timeline_png != before_png
    assert "Entry added." in app.form_message.value
    assert app.form.fields["description"].value == ""  # ready for the next entry
    app.form.fields["description"].value = "Next"
    assert app.form_message.value == ""  # the message was about the last save
    [saved] = [s.entry for s in stored_entries(app.store, "fenwick") if s.record_id == record.record_id]
    assert (saved.event_date.earliest, saved.child_words) == (date(2023, 3, 12), "I had to stay with Theo")


def test_a_future_date_is_refused_beside_its_field_and_nothing_saved(app):
    before = len(app.frame)
    fill(app, event_date="2091-01-01", agency="police", category="domestic_abuse", description="x")
    assert "in the future" in app.form.fields["event_date"].error
    assert app.save() is None
    assert "need attention" in app.form_message.value
    assert len(stored_entries(app.store, "fenwick")) == before


def test_every_missing_field_is_named_beside_itself(app):
    fill(app, children=[], event_date="", agency="", category="", description="")
    assert app.save() is None
    for name in ("event_date", "agency", "category", "description"):
        assert app.form.fields[name].error, name
    assert "must name the child" in app.form.children_message.value


def test_editing_saves_a_new_version_and_keeps_the_old(app):
    first = app.entries[0]
    app.edit(first.record_id)
    assert app.save_button.description == "Save changes"
    app.form.fields["outcome"].value = "Discussed at core group."
    record = app.save()
    assert record.version == first.record.version + 1
    history = app.store.history(first.record_id)
    assert [v.body.get("outcome", "") for v in history][-1] == "Discussed at core group."
    assert len(history) == 2


def test_a_stale_edit_shows_the_conflict_and_keeps_the_users_text(app):
    target = app.entries[3]
    app.edit(target.record_id)
    other = Store(app.store.engine, user="sw.two")
    other.update(target.record_id, target.record.version, {**target.record.body, "outcome": "Theirs."})
    app.form.fields["outcome"].value = "Mine."
    assert app.save() is None
    assert "sw.two saved this entry" in app.form_message.value
    assert "Your text is still in the form" in app.form_message.value
    assert app.form.fields["outcome"].value == "Mine."
    record = app.save()  # having seen theirs, saving again keeps the user's as the newest
    assert record.version == target.record.version + 2
    assert [v.body.get("outcome") for v in app.store.history(target.record_id)][-2:] == ["Theirs.", "Mine."]


def test_withdrawing_asks_first_needs_a_reason_and_keeps_the_entry(app):
    target = app.table.table.rows[5]["id"]
    panel = app.table
    assert not panel.withdraw(target, "recorded on the wrong family")  # not asked for from its row: nothing done
    assert target in set(app.frame["record_id"])
    panel.table.press("withdraw", target)
    assert "Withdraw the entry of" in panel.question.value and panel.table.selected == target
    panel.reason.value = " "
    panel.confirm.click()
    assert "Say why" in panel.message.value and target in set(app.frame["record_id"])
    panel.cancel.click()  # "Keep it": the question goes, the entry stays
    assert panel.work.children == () and target in set(app.frame["record_id"])
    panel.table.press("withdraw", target)
    panel.reason.value = "recorded on the wrong family"
    panel.confirm.click()
    assert target not in set(app.frame["record_id"])
    assert "Entry withdrawn" in panel.message.value and panel.work.children == ()
    assert app.store.history(target)[-1].reason == "recorded on the wrong family"


def test_a_rows_history_lists_every_version_with_who_when_why_and_what_changed(app):
    target = app.entries[3]
    app.table.table.press("edit", target.record_id)
    assert app.save_button.description == "Save changes" and app.table.table.selected == target.record_id
    app.form.fields["outcome"].value = "Seen by the school nurse the same day."
    app.save()
    app.table.table.press("history", target.record_id)
    history = app.table.work.children[0].value
    assert history.count("<tr") == 3  # the heading and two versions
    assert "first saved" in history and "outcome" in history and "edited in the chronology app" in history
    assert "sw.one" in history
    app.view.value = "anonymised"  # no worker named in the anonymised view
    app.table.table.press("history", target.record_id)
    assert "sw.one" not in app.table.work.children[0].value and "(a worker)" in app.table.work.children[0].value


def test_a_browser_cannot_act_on_a_row_not_shown_or_an_action_not_offered(app):
    outside = next(r for r in app.frame.record_id if r not in app.table.table.row_ids())  # beyond the first page
    app.table.table.press("withdraw", outside)
    app.table.table.press("edit", outside)
    app.table.table.press("delete", app.table.table.rows[0]["id"])
    assert app.table.work.children == () and app.form.editing is None and app.table.table.selected == ""


def upload(app, name: str, text: str) -> None:
    data = text.encode("utf-8")
    app.imports.upload.set_state({"value": [{"name": name, "type": "text/csv", "size": len(data),
                                             "last_modified": 0, "content": memoryview(data)}]})


def test_an_upload_with_a_bad_row_is_reported_and_saves_nothing_until_asked(app):
    before = len(app.frame)
    upload(app, "school-2023.csv", "Date,Child,Type,What happened\n"
                                   "06/01/2023,Maisie,Attendance,Maisie late every day this week.\n"
                                   "07/01/2023,Tyler,Attendance,Tyler absent.\n")
    app.imports.agency.value = "school"
    app.imports.check_button.click()
    report = app.imports.result.value
    assert "<td>Error</td><td>school-2023.csv</td><td>3</td><td>Child</td>" in report
    assert "&#39;Tyler&#39; is not a child of this case" in report
    assert app.imports.import_all.disabled and not app.imports.import_valid.disabled
    assert len(stored_entries(app.store, "fenwick")) == before
    app.imports.import_valid.click()
    assert len(app.frame) == before + 1
    assert "Saved 1 entries" in app.imports.result.value
    app.table.table.press(ALL)  # the table shows a page at a time; the imported row is further down
    assert "Maisie late every day this week." in table_text(app)


def test_cancel_leaves_nothing_saved(app):
    before = len(app.frame)
    upload(app, "ok.csv", "Date,Child,Type,What happened\n06/01/2023,Maisie,Attendance,Late.\n")
    app.imports.agency.value = "school"
    app.imports.check_button.click()
    assert not app.imports.import_all.disabled
    app.imports.cancel.click()
    assert "Nothing was saved." in app.imports.result.value
    assert len(stored_entries(app.store, "fenwick")) == before


def test_filters_narrow_the_table_and_timeline(app):
    total = len(app.frame)
    app.filter_agency.value = "police"
    assert all(r == "police" for r in app.filtered()["agency"])
    assert f"{len(app.filtered())} of {total} entries" in table_text(app)
    app.filter_agency.value = ""
    app.filter_words.value = "alcohol"
    assert 0 < len(app.filtered()) < total
    app.filter_words.value = ""
    app.filter_start.value, app.filter_end.value = date(2019, 1, 1), date(2019, 12, 31)
    years = {d.year for d in app.filtered()["earliest"] if d is not None}
    assert years <= {2018, 2019, 2020}  # uncertain dates overlapping 2019 are kept
    assert "2019" in app.timeline_alt
    app.child_picker.value = "theo"
    assert all("theo" in c for c in app.filtered()["children"])
    app.clear_filters.click()  # the filters, not the child chosen above them
    assert (app.filter_start.value, app.child_picker.value) == (None, "theo")
    app.child_picker.value = ""
    assert len(app.filtered()) == total


def test_the_anonymised_view_names_nobody(app):
    for section in app.sections:  # every panel, built while the named view was on
        section.open()
    app.table.table.press(ALL)
    app.view.value = "anonymised"
    app.prepare_downloads()
    shown = screen_text(app)
    for name in NAMES:
        assert name not in shown, name
    assert "Child A" in shown and "Case 2" in shown
    text = app.downloads[next(n for n in app.downloads if n.endswith(".csv"))].decode("utf-8-sig")
    page = app.downloads[next(n for n in app.downloads if n.endswith(".html"))].decode()
    for name in NAMES:
        assert name not in text and name not in page, name
    app.view.value = "named"
    assert "Maisie Fenwick" in screen_text(app)


def test_the_anonymised_downloads_leave_no_school_town_birth_date_worker_or_login(app):
    fill(app, event_date="03/03/2023", agency="school", category="other", source_detail="Class teacher (J. Verney)",
         description="Maisie (DOB 21/07/2014) moved up at Millbrook Primary School in Eastmere; she was born "
                     "21st July 2014. Ms Verney told PC 2417.")
    app.save()
    app.view.value = "anonymised"
    files = app.prepare_downloads()
    csvs = [data.decode("utf-8-sig") for name, data in files.items() if name.endswith(".csv")]
    page = next(data for name, data in files.items() if name.endswith(".html")).decode()
    assert len(csvs) == 2
    for text in [*csvs, page, table_text(app)]:
        for word in ("Millbrook", "Eastmere", "21/07/2014", "21st July 2014", "Verney", "Ortiz", "PC 2417", *NAMES):
            assert word not in text, word
    for text in csvs:
        assert "sw.one" not in text  # the login that saved the entries: "User 1"
        rows = list(csv.DictReader(io.StringIO(text)))
        saved_by = {r.get("Saved by", r.get("created_by")) for r in rows}
        assert saved_by == {"User 1", "User 2"}  # the demo's loader and sw.one
    row = next(r for r in csv.DictReader(io.StringIO(csvs[0])) if "moved up" in r["What happened"])
    assert (row["Recorded by"], row["Saved by"]) == ("Class teacher (SCH1)", "User 2"), row
    assert "[school] in [town]" in row["What happened"]


def test_downloads_hold_the_filtered_chronology(app):
    app.filter_agency.value = "school"
    files = app.prepare_downloads()
    by_kind = {name.rsplit(".", 1)[1]: data for name, data in files.items() if not name.endswith("-codes.csv")}
    rows = list(csv.DictReader(io.StringIO(by_kind["csv"].decode("utf-8-sig"))))  # in words (docs/export.md)
    assert len(rows) == len(app.filtered()) and {r["Agency"] for r in rows} == {"School"}
    page = by_kind["html"].decode()
    assert "The Fenwick children: chronology" in page and "Produced by sw.one" in page
    assert "agency: School" in page and '<img src="data:image/png;base64,' in page
    assert by_kind["png"].startswith(b"\x89PNG") and b"<svg" in by_kind["svg"][:400]
    assert app.links.value.count("<a download=") == 5  # the CSV in words and in codes, the page, PNG, SVG


def test_user_text_is_escaped_everywhere(app):
    fill(app, event_date="01/02/2023", agency="school", category="other",
         description="<img src=x onerror=alert(1)> test")
    app.save()
    # the table's cells are text the browser sets as text (textContent), never as HTML
    assert "| test |" in table_text(app) and "<img" not in table_text(app)  # markup is removed on saving
    assert "innerHTML" not in (Path(row_table.__file__).parent / "static" / "row_table.js").read_text()


def test_switching_the_view_keeps_the_case_and_saves_into_it(app):
    before = len(app.frame)
    other = len(stored_entries(app.store, "dunmore"))
    app.view.value = "anonymised"
    assert app.case_id == "fenwick"
    assert app.case_picker.label == "Case 2"
    fill(app, event_date="02/02/2023", agency="gp", category="health", description="Seen for a cough.")
    app.save()
    assert len(stored_entries(app.store, "fenwick")) == before + 1
    assert len(stored_entries(app.store, "dunmore")) == other
    app.view.value = "named"
    assert app.case_picker.label == "The Fenwick children"


def test_typed_text_follows_a_change_of_view_but_not_of_case(app):
    fill(app, description="Half-written entry about Maisie.")
    app.view.value = "anonymised"
    assert app.form.fields["description"].value == "Half-written entry about Maisie."
    app.select_case("dunmore")
    assert app.form.fields["description"].value == ""
    assert [b.description for b in app.form.child_boxes.values()] == ["Child A"]


HV_NOTES = ("Date,Notes\n"
            "2023-03-01,Maisie was not brought to her 2-year review.\n"
            "2023-03-15,Home visit: Maisie seen; kitchen had no food in the cupboards.\n")


def test_a_return_without_child_or_category_columns_shows_categories_read_from_words(app):
    upload(app, "hv-notes.csv", HV_NOTES)
    app.imports.agency.value = "health_visiting"
    app.imports.check_button.click()
    assert "no column for child(ren)" in app.imports.result.value  # two children: say which
    upload(app, "hv-notes.csv", HV_NOTES)
    app.imports.children.value = ("maisie",)
    app.imports.check_button.click()
    assert "hv-notes.csv: 2 note(s): 2 categories read from words" in app.imports.result.value
    app.imports.import_all.click()
    assert "Saved 2 entries" in app.imports.result.value
    wnb = next(s for s in app.entries if s.entry.provenance and s.entry.provenance.file == "hv-notes.csv"
               and "not brought" in s.entry.description)
    assert (wnb.entry.children, wnb.entry.category, wnb.entry.inferred) == (["maisie"], "was_not_brought", ["category"])
    app.table.table.press(ALL)  # the table shows a page at a time; the imported rows are further down
    assert "Was not brought (health appointment) (read from words)" in table_text(app)
    # the practitioner checks it in the edit form and saves: the category is now theirs
    app.edit(wnb.record_id)
    app.save()
    edited = app.store.get(wnb.record_id).body
    assert edited["inferred"] == [] and edited["provenance"]["file"] == "hv-notes.csv"
    assert "Was not brought (health appointment) (read from words)" not in table_text(app)


def test_a_corrected_copy_replaces_the_previous_return_and_an_import_is_undone_in_one_go(app):
    upload(app, "hv-notes.csv", HV_NOTES)
    app.imports.agency.value = "health_visiting"
    app.imports.children.value = ("maisie",)
    app.imports.check_button.click()
    app.imports.import_all.click()
    before = len(app.frame)
    upload(app, "hv-notes.csv", HV_NOTES.replace("no food in the cupboards", "only dry cereal in the cupboards"))
    app.imports.replace.value = True
    app.imports.check_button.click()
    result = app.imports.result.value
    assert "hv-notes.csv: 0 new, 1 already held (not saved again), 1 changed, 0 gone" in result
    assert "saved as a new version of the entry of 2023-03-15" in result
    app.imports.import_all.click()
    assert "1 corrected as new versions" in app.imports.result.value
    assert len(app.frame) == before  # nothing saved twice
    [corrected] = [s for s in app.entries if "only dry cereal" in s.entry.description]
    assert corrected.record.version == 2
    # undo the second import: the entry it corrected is withdrawn with the reason, not deleted
    [latest, _first] = [value for _, value in app.imports.undo_picker.options[1:3]]
    app.imports.undo_picker.value = latest
    app.imports.undo_button.click()
    assert "Say why the import is undone" in app.imports.undo_message.value
    app.imports.undo_reason.value = "sent to us in error"
    app.imports.undo_button.click()
    assert f"Import {latest} (hv-notes.csv) undone: 1 entries withdrawn" in app.imports.undo_message.value
    assert len(app.frame) == before - 1
    assert app.store.history(corrected.record_id)[-1].reason.endswith("undone: sent to us in error")
    assert latest not in [value for _, value in app.imports.undo_picker.options]


def test_removing_a_case_asks_for_its_id_and_a_reason(app):
    app.removal.confirm.value = "fenwik"
    app.removal.reason.value = "loaded twice"
    app.removal.button.click()
    assert "Type the case id (fenwick) to confirm: nothing was removed." in app.removal.message.value
    assert "fenwick" in [c["id"] for c in app.store.cases()]
    app.removal.confirm.value = "fenwick"
    app.removal.reason.value = " "
    app.removal.button.click()
    assert "Say why the case is removed" in app.removal.message.value
    app.removal.reason.value = "loaded into the wrong area's kit"
    app.removal.button.click()
    assert "Case fenwick removed" in app.removal.message.value
    assert "fenwick" not in [value for _, value in app.case_picker.options]
    assert app.case_id == "dunmore"  # the app moves on to the next case
    [audit] = app.store.removals()
    assert (audit["case_id"], audit["created_by"], audit["reason"]) == ("fenwick", "sw.one",
                                                                        "loaded into the wrong area's kit")


def test_an_upload_over_the_limits_is_refused_with_one_message_naming_it(app):
    from helpers import XLSX_HEADER, xlsx_bytes

    # a workbook of a few kilobytes whose one sheet makes 3,000,000 rows: refused before any is read
    data = xlsx_bytes([b"<sheetData>", XLSX_HEADER, b'<row r="3000000"><c r="A3000000"><v>1</v></c></row>',
                       b"</sheetData>"])
    app.imports.upload.set_state({"value": [{"name": "visits.xlsx", "type": "application/vnd.ms-excel",
                                             "size": len(data), "last_modified": 0, "content": memoryview(data)}]})
    app.imports.check_button.click()
    report = app.imports.result.value
    assert ("<td>Error</td><td>visits.xlsx</td><td></td><td></td><td>sheet &#39;Visits&#39; is more than 200,000 "
            "rows, over the limit of 200,000 rows (settings: [limits] rows): nothing was read") in report
    assert report.count("<td>Error</td>") == 1
    assert app.imports.import_all.disabled and app.imports.import_valid.disabled


def test_the_upload_report_lists_a_screenful_of_errors_then_counts_the_rest(app):
    upload(app, "school-2023.csv", "Date,Child,Type,What happened\n" + "".join(
        f"{1 + n % 28:02d}/01/2023,Tyler,Attendance,Tyler absent {n}.\n" for n in range(33)))
    app.imports.agency.value = "school"
    app.imports.check_button.click()
    report = app.imports.result.value
    assert report.count("<td>Error</td>") == 20
    assert "<td>Error</td><td>school-2023.csv</td><td>2</td>" in report  # the first rows
    assert "13 more errors not listed: correct those above in the file and check again." in report


def test_a_workbook_with_a_header_twice_is_refused_naming_it_not_a_crash(app):
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Date", "Child", "Type", "Details", "Details"])
    book.active.append(["06/01/2023", "Maisie", "Attendance", "Late.", "Kept in at break."])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    app.imports.upload.set_state({"value": [{"name": "school.xlsx", "type": "application/vnd.ms-excel",
                                             "size": len(data), "last_modified": 0, "content": memoryview(data)}]})
    app.imports.agency.value = "school"
    app.imports.check_button.click()
    report = app.imports.result.value
    assert "column &#39;Details&#39; appears more than once" in report
    assert app.imports.import_all.disabled and app.imports.import_valid.disabled


def body_rows(app) -> int:
    return len(app.table.table.rows)


def test_the_table_shows_a_page_at_a_time_and_more_on_asking(app):
    total = len(app.frame)
    assert total > 2 * PAGE
    assert body_rows(app) == PAGE
    assert f"{total} of {total} entries" in table_text(app) and f"the first {PAGE} shown here" in table_text(app)
    assert app.table.table.remaining == total - PAGE  # the browser offers "Show the next" and "Show all"
    app.table.table.press(MORE)
    assert body_rows(app) == 2 * PAGE and f"the first {2 * PAGE} shown here" in table_text(app)
    app.table.table.press(ALL)
    assert body_rows(app) == total and "shown here" not in table_text(app)
    assert app.table.table.remaining == 0
    app.filter_agency.value = "police"  # a narrower list keeps showing all of it
    assert body_rows(app) == len(app.filtered())
    app.select_case("dunmore")  # another case starts at its first page
    assert body_rows(app) == min(PAGE, len(app.frame))


def test_a_saved_entry_beyond_the_first_page_is_brought_into_the_table(app):
    fill(app, event_date="14/06/2021", recorded_date="15/06/2021", agency="school", category="other",
         description="Maisie read aloud to the class for the first time.")
    record = app.save()
    position = list(app.visible()["record_id"]).index(record.record_id)
    assert position >= PAGE  # the test means something only when the entry is past the first page
    assert "Maisie read aloud to the class for the first time." in table_text(app)
    assert body_rows(app) == -(-(position + 1) // PAGE) * PAGE


def test_rarely_used_panels_are_built_when_their_section_is_opened(app):
    text = screen_text(app)
    for heading in ("Import agency returns", "One incident, two reports", "Remove this case"):
        assert heading in text  # the page says what each section is for before it is opened
    assert not any(section.opened for section in app.sections)
    assert app.summary_box.children == ()  # the child's summary too, until asked for
    app.child_picker.value = "maisie"
    app.summary_button.click()
    assert "What is life like for Maisie?" in screen_text(app)
    assert "Choose returns" not in text and "Type the case id to confirm" not in text
    app.import_section.button.click()
    assert app.import_section.opened and "Choose returns" in screen_text(app)
    assert [label for label, _ in app.imports.children.options] == ["Maisie Fenwick", "Theo Fenwick"]  # this case
    panel = app.imports
    app.import_section.open()
    assert app.imports is panel  # built once
    app.removal_section.button.click()
    assert "<code>fenwick</code>" in app.removal.intro.value
    app.select_case("dunmore")  # an opened panel follows the case
    assert "<code>dunmore</code>" in app.removal.intro.value
    app.links_section.button.click()
    assert app.linked.list.children  # the case's links, or a line saying there are none


def test_in_a_kernel_the_case_is_read_and_its_first_timeline_drawn_once_the_page_is_sent(demo_file, tmp_path):
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    waiting = []
    app = ChronologyApp(Store.open(f"sqlite:///{copy}", user="sw.one"), draw_later=waiting.append)
    assert len(waiting) == 1 and not app.entries and "entries" not in table_text(app)  # the page goes without them
    assert app.form is not None and app.save_button.description == "Add entry"  # but with the form to add one
    waiting.pop()()  # the cell has finished: the case's entries are read, then the timeline is drawn
    assert app.entries and f"{len(app.frame)} of {len(app.frame)} entries" in table_text(app)
    assert "Drawing the timeline" in app.timeline.value and len(waiting) == 1
    app.select_case("fenwick")  # what is on screen when the kernel is free is what gets drawn
    waiting.pop()()
    assert 'alt="Timeline of the chronology of Maisie Fenwick and Theo Fenwick' in app.timeline.value
    app.child_picker.value = "maisie"  # later changes draw at once
    assert not waiting and "Theo" not in app.timeline_alt.split(":")[0]


def test_a_first_timeline_that_cannot_be_drawn_later_is_said_in_words(demo_file, tmp_path, monkeypatch):
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    waiting = []
    app = ChronologyApp(Store.open(f"sqlite:///{copy}", user="sw.one"), draw_later=waiting.append)
    monkeypatch.setattr(app, "_draw_timeline",
                        lambda *_, **__: (_ for _ in ()).throw(OSError(28, "No space left")))
    while waiting:  # run by the event loop (the reading of the case, then the drawing): nothing may escape
        waiting.pop(0)()
    assert "Could not draw the timeline" in app.status.value and 'role="alert"' in app.status.value


def test_the_notebook_opens_the_app_to_draw_its_first_timeline_after_the_cell_in_a_kernel(demo_file, tmp_path):
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    store = Store.open(f"sqlite:///{copy}", user="sw.one")
    assert ChronologyApp.open(store).timeline.value.startswith("<img")  # no event loop: drawn at once

    async def in_a_kernel():
        app = ChronologyApp.open(store)
        assert not app.entries  # the page is sent first
        await asyncio.sleep(0)  # the cell has finished: the loop reads the case's entries
        assert app.entries and "Drawing the timeline" in app.timeline.value
        await asyncio.sleep(0)  # and then starts the drawing, in a worker thread
        assert "Drawing the timeline" in app.timeline.value  # the kernel is free meanwhile
        for _ in range(400):
            await asyncio.sleep(0.05)
            if app.timeline.value.startswith("<img"):
                break
        return app

    assert asyncio.run(in_a_kernel()).timeline.value.startswith("<img")


def test_under_the_notebook_tests_the_app_reads_and_draws_its_case_in_the_cell(demo_file, tmp_path, monkeypatch):
    # `make notebooks` sets NEGLECT_KIT_STRICT: a case that cannot be read must fail the notebook, not wait for a
    # turn of the kernel's loop that nbval never looks at
    monkeypatch.setenv(STRICT_ENV, "1")
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    store = Store.open(f"sqlite:///{copy}", user="sw.one")

    async def in_a_kernel():
        return ChronologyApp.open(store)  # nothing awaited: only what the cell does

    app = asyncio.run(in_a_kernel())
    assert app.entries and app.timeline.value.startswith("<img")
    monkeypatch.setattr(ChronologyApp, "reload", lambda *_: (_ for _ in ()).throw(OSError(5, "I/O error")))
    with pytest.raises(OSError, match="I/O error"):
        asyncio.run(in_a_kernel())


def test_a_timeline_drawn_aside_never_replaces_a_newer_one(demo_file, tmp_path, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "case=fenwick")  # opened on a case of two children
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    store = Store.open(f"sqlite:///{copy}", user="sw.one")

    async def in_a_kernel():
        app = ChronologyApp.open(store)
        assert app.case_id == "fenwick"
        await asyncio.sleep(0)  # the case's entries are read
        await asyncio.sleep(0)  # the first drawing starts aside, for both children
        first = next(value for _, value in app.child_picker.options if value)
        app.child_picker.value = first  # the user chooses a child before it is shown: drawn at once
        newer = app.timeline.value
        assert newer.startswith("<img")
        for _ in range(100):
            await asyncio.sleep(0.05)  # the aside drawing finishes, and is not shown
        return app, newer

    app, newer = asyncio.run(in_a_kernel())
    assert app.timeline.value == newer


def test_before_birth_is_said_only_of_the_child_not_yet_born(app):
    from neglect_kit.chronology.printable import before_birth

    assert before_birth("Theo Fenwick", "Maisie Fenwick; Theo Fenwick") == " (before Theo Fenwick was born)"
    assert before_birth("Theo Fenwick", "Theo Fenwick") == " (before birth)"
    assert before_birth("A; B", "A; B; C") == " (before A and B were born)"
    assert before_birth("", "Maisie Fenwick") == ""
    app.table.table.press(ALL)
    both = [r["cells"]["event_date"] for r in app.table.table.rows
            if "(before" in r["cells"]["event_date"] and ";" in r["cells"]["children"]]
    assert both and all("(before Theo Fenwick was born)" in when for when in both)


def test_the_apps_timeline_has_dates_under_every_childs_panel(app):
    from neglect_kit.chronology import timeline

    ask = app._timeline_ask(app.filtered())
    figure = timeline.timeline_figure(ask.filtered, ask.plans, ask.timeline_children(timeline), app.settings,
                                      ask.options(timeline))
    upper, lower = figure.axes[:2]  # one panel per child, Maisie's above Theo's

    def dates(ax):
        return [t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("date_label")]

    assert len(ask.children) == 2 and dates(upper) and dates(upper) == dates(lower)


def test_in_a_kernel_the_page_is_built_without_pandas_and_numpy_which_come_with_the_entries(demo_file):
    # their import is a sixth of a second of the page's opening, spent while the browser builds the page
    script = """
import sys
from neglect_kit.apps import ChronologyApp  # as the notebook imports it
from neglect_kit.store import Store
waiting = []
app = ChronologyApp(Store.open(), draw_later=waiting.append)
print("page built:", sorted({"pandas", "numpy"} & set(sys.modules)), len(app.entries))
waiting.pop()()
print("entries read:", sorted({"pandas", "numpy"} & set(sys.modules)), len(app.frame) == len(app.entries) > 0)
"""
    env = {**os.environ, "NEGLECT_KIT_DB": f"sqlite:///{demo_file}",
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                         check=True).stdout.splitlines()
    assert out == ["page built: [] 0", "entries read: ['numpy', 'pandas'] True"]


def test_the_chronology_app_imports_the_reading_of_returns_only_when_its_import_section_opens(demo_file):
    # nor, on SQLite, the PostgreSQL dialect (a table's PostgreSQL option imported it into every kernel)
    script = """
import sys
from neglect_kit.apps.chronology import ChronologyApp
from neglect_kit.store import Store
app = ChronologyApp(Store.open())
print("opened:", "neglect_kit.chronology.importer" in sys.modules, "neglect_kit.chronology.intake" in sys.modules,
      "sqlalchemy.dialects.postgresql" in sys.modules)
app.imports
print("import section open:", "neglect_kit.chronology.importer" in sys.modules)
"""
    env = {**os.environ, "NEGLECT_KIT_DB": f"sqlite:///{demo_file}",
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120,
                         check=True).stdout.splitlines()
    assert out == ["opened: False False False", "import section open: True"]

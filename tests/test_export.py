"""A chronology written out: CSV safe to open in a spreadsheet, JSON safe to open anywhere."""

import csv
import io
import json
import re
from datetime import date

import pandas as pd
import pytest

from neglect_kit.anonymise import NAMED
from neglect_kit.chronology.export import IN_WORDS, chronology_csv, csv_downloads, to_csv, to_json
from neglect_kit.chronology.importer import check_return
from neglect_kit.chronology.records import case_context, entries_frame, stored_entries
from neglect_kit.chronology.views import present
from neglect_kit.cli import main
from neglect_kit.config import settings

WORDS = "Mum said\u2028\u201cnot today\u201d\x9b31m\x85 \u202eevil\x00 \x7f & <3 Zoë"


def test_json_escapes_every_character_that_could_act_on_its_reader_and_keeps_the_value():
    data = to_json(pd.DataFrame({"description": [WORDS], "event": [None]}), {"case": "ashdown"})
    text = data.decode("utf-8")
    # nothing but line breaks (the indentation) below U+0020, no C1 control, no separator or reordering mark
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", text)
    assert "\\u2028" in text and "\\u009b" in text and "\\u202e" in text
    assert "Zoë" in text and "\u201cnot today\u201d" in text  # accents and quotes as written
    back = json.loads(data)
    assert back["entries"] == [{"description": WORDS, "event": None}]
    assert back["case"] == "ashdown"


def test_csv_stops_formulas_and_keeps_the_words():
    data = to_csv(pd.DataFrame({"description": ['=HYPERLINK("http://x.invalid")', "-3", "Late."]}))
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8-sig").splitlines()
    assert lines == ["description", '"\'=HYPERLINK(""http://x.invalid"")"', "-3", "Late."]


# ---- the chronology's CSV: in words to read, in codes to import again -------------------------------------------

DAY = re.compile(r"^\d{2}/\d{2}/\d{4}$")
# what a person wrote about an entry, compared after a round trip (links, provenance and the marks of words read
# by the kit are the store's, made again on saving)
WRITTEN = ("children", "recorded_date", "agency", "source_detail", "how_known", "category", "description",
           "impact", "impact_note", "significance", "action", "outcome", "child_words", "pre_birth")


@pytest.fixture(scope="module")
def fenwick(demo):
    """The main sample case's entries as the store holds them, as the named view shows them, and its context."""
    held = stored_entries(demo, "fenwick")
    shown = present(entries_frame(held), demo.people("fenwick"), NAMED)
    return held, shown, case_context(demo, "fenwick")


def rows_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_in_words_is_headed_in_words_with_labels_for_codes(fenwick):
    _, shown, _ = fenwick
    rows = rows_of(chronology_csv(shown, settings()))
    assert list(rows[0]) == [heading for _, heading in IN_WORDS]
    assert len(rows) == len(shown)
    agencies, categories = {r["Agency"] for r in rows}, {r["Category"] for r in rows}
    assert "Children's social care" in agencies and "childrens_social_care" not in agencies
    assert "Was not brought (health appointment)" in categories and "was_not_brought" not in categories
    assert {r["Impact on the child"] for r in rows} <= {"Negative", "Positive", "Neutral", "Unknown"}
    assert {r["Significance"] for r in rows} <= {"Low", "Medium", "High", ""}
    assert "Maisie Fenwick" in {r["Child"] for r in rows}  # names, not ids, in the named view


def test_every_date_in_the_csv_is_day_first_and_a_row_a_whole_number(fenwick):
    _, shown, _ = fenwick
    for codes in (False, True):
        rows = rows_of(chronology_csv(shown, settings(), codes=codes))
        dates = ("Earliest", "Latest", "Date recorded") if not codes else ("earliest", "latest", "recorded_date")
        for column in dates:
            assert all(DAY.match(r[column]) or (column.startswith(("Date", "rec")) and not r[column])
                       for r in rows), column
        saved = "Saved at (UTC)" if not codes else "created_at"
        assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", r[saved]) for r in rows)
        row = "Source row" if not codes else "source_row"
        assert all(re.fullmatch(r"\d+", r[row]) or r[row] == "" for r in rows) and any(r[row] for r in rows)
    words = rows_of(chronology_csv(shown, settings()))
    days = shown["precision"] == "day"
    assert all(DAY.match(r["Date"]) for r, day in zip(words, days, strict=True) if day)
    # the agency's own words for a day stand beside it where they differ
    assert {"Date": "24/03/2016", "As written": "2016-03-24"}.items() <= next(
        r for r in words if r["As written"] == "2016-03-24").items()
    assert not [r for r in words if r["As written"] == r["Date"]]  # blank where they say the same
    # a month, a season or a guess keeps its words, its span in Earliest and Latest
    assert {"September 2016", "spring 2018", "c. 2017"} <= {r["Date"] for r, day in zip(words, days, strict=True)
                                                          if not day}


def reread(data: bytes, ctx) -> list:
    checked = check_return(data, "again.csv", ctx)
    assert [p for p in checked.problems if p.severity == "error"] == []
    return [row.entry for row in checked.entries]


def same_entries(held, again, *, text_of_dates: bool) -> None:
    assert len(again) == len(held)
    by_order = sorted(held, key=lambda s: (s.entry.event_date.earliest or date.max, s.record_id))
    for s, entry in zip(by_order, again, strict=True):
        before, after = s.entry.model_dump(), entry.model_dump()
        assert {k: after[k] for k in WRITTEN} == {k: before[k] for k in WRITTEN}, s.record_id
        for part in ("precision", "earliest", "latest", *(("text",) if text_of_dates else ())):
            assert after["event_date"][part] == before["event_date"][part], (s.record_id, part)


def test_the_csv_in_codes_is_read_back_by_the_importer_to_the_same_entries(fenwick):
    held, shown, ctx = fenwick
    same_entries(held, reread(chronology_csv(shown, settings(), codes=True), ctx), text_of_dates=True)


def test_the_csv_in_words_is_read_back_too_its_dates_as_the_same_days(fenwick):
    held, shown, ctx = fenwick
    same_entries(held, reread(chronology_csv(shown, settings()), ctx), text_of_dates=False)


def test_the_app_offers_both_csvs(fenwick):
    _, shown, _ = fenwick
    files = csv_downloads(shown, settings(), "chronology-named", "(3 entries, named view)")
    assert list(files) == ["chronology-named.csv", "chronology-named-codes.csv"]
    assert files["chronology-named.csv"][0] == "the entries as CSV (3 entries, named view)"
    assert files["chronology-named-codes.csv"][0].startswith("the entries in the kit's codes, a CSV to import again")
    assert rows_of(files["chronology-named-codes.csv"][1])[0]["agency"] in settings().agencies.codes()


def test_the_command_writes_the_csv_in_words_or_with_codes(demo_file, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEGLECT_KIT_DB", f"sqlite:///{demo_file}")
    assert main(["export", "--case", "fenwick", "-o", str(tmp_path / "words.csv")]) == 0
    assert main(["export", "--case", "fenwick", "--codes", "-o", str(tmp_path / "codes.csv")]) == 0
    words, codes = (rows_of((tmp_path / name).read_bytes()) for name in ("words.csv", "codes.csv"))
    assert words[0]["Agency"] == "Midwifery" and words[0]["Child"] == "Theo Fenwick"
    assert codes[0]["agency"] == "midwifery" and codes[0]["children"] == "theo"
    assert "Wrote 185 entries of case fenwick" in capsys.readouterr().out

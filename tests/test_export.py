"""A chronology written out: CSV safe to open in a spreadsheet, JSON safe to open anywhere."""

import json
import re

import pandas as pd

from neglect_kit.chronology.export import to_csv, to_json

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

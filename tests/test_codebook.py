"""The codebook: the default's codes, the tree's checks with one-line errors, CSV in and out exactly."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from neglect_kit.research.codebook import (
    COLUMNS,
    NAMESPACE,
    Code,
    Codebook,
    CodebookError,
    code_guid,
    csv_text,
    default_codebook,
    read_csv,
    read_csv_text,
    write_csv,
)

# the design's tree (research-design.md, "Codebook"): every id, under its parent
DESIGN_TREE = {
    "practice": None, "child-unseen": "practice", "adult-focus": "practice", "optimism": "practice",
    "disguised-compliance": "practice", "start-again": "practice", "drift": "practice", "escalation": "practice",
    "information-sharing": "practice", "supervision": "practice", "no-chronology": "practice",
    "parental": None, "parental-alcohol": "parental", "parental-drugs": "parental",
    "parental-mental-health": "parental", "domestic-abuse": "parental",
    "household": None, "unknown-man": "household",
    "harm": None, "cumulative-harm": "harm",
    "neglect": None, "neglect-medical": "neglect", "neglect-nutritional": "neglect", "neglect-emotional": "neglect",
    "neglect-educational": "neglect", "neglect-physical": "neglect", "neglect-supervision": "neglect",
}
HEADER = ",".join(COLUMNS)


def test_the_default_codebook_has_exactly_the_designs_codes_in_its_tree():
    book = default_codebook()
    assert {c.id: c.parent for c in book.codes} == DESIGN_TREE
    assert [c.id for c in book.codes] == list(DESIGN_TREE)  # in the design's order
    groups = {"practice", "parental", "household", "harm", "neglect"}
    assert {c.id for c in book.leaves()} == set(DESIGN_TREE) - groups
    assert all(book.is_group(g) for g in groups)
    assert [c.id for c in book.children("parental")] == ["parental-alcohol", "parental-drugs",
                                                         "parental-mental-health", "domestic-abuse"]


def test_every_default_code_is_explained_in_its_own_words():
    book = default_codebook()
    for code in book.codes:
        for field in ("name", "definition", "use_when", "not_when", "example"):
            assert len(getattr(code, field)) > 20 or field == "name", (code.id, field)
    # no text is shared between codes (each was written for its code, not pasted)
    for field in ("name", "definition", "use_when", "not_when", "example"):
        values = [getattr(c, field) for c in book.codes]
        assert len(set(values)) == len(values), field
    # the four parental factors stay four codes, never one combined "toxic trio"
    assert not any("toxic" in (c.name + c.definition).lower() for c in book.codes)


def test_a_code_without_a_guid_gets_the_same_guid_from_its_id_every_time():
    code = Code("drift", "Drift and delay")
    assert code.guid == str(uuid.uuid5(NAMESPACE, "code:drift")) == code_guid("drift")
    assert Code("drift", "Drift", guid="0b9f7c1e-1111-4a2b-8c3d-123456789abc").guid.startswith("0b9f7c1e")
    assert default_codebook().get("drift").guid == code.guid


def test_walk_gives_the_tree_depth_first_with_depths():
    walked = [(depth, c.id) for depth, c in default_codebook().walk()]
    assert walked[:3] == [(0, "practice"), (1, "child-unseen"), (1, "adult-focus")]
    assert (0, "household") in walked and (1, "unknown-man") in walked
    assert len(walked) == len(DESIGN_TREE)


def test_the_codebook_round_trips_through_csv_exactly(tmp_path: Path):
    book = default_codebook()
    path = tmp_path / "codebook.csv"
    write_csv(book, path)
    back = read_csv(path)
    assert back == book
    again = tmp_path / "again.csv"
    write_csv(back, again)
    assert again.read_bytes() == path.read_bytes()
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # a spreadsheet reads the accents


def test_text_a_spreadsheet_would_run_is_written_as_text_and_read_back_unchanged(tmp_path: Path):
    texts = ["=HYPERLINK(\"http://x\")", "+44 7700 900123 rang", "-  a list item", "@mention", "'=already quoted",
             "''=twice", "'plain apostrophe", "it's fine", "-12"]
    codes = tuple(Code(f"c{i}", f"Code {i}", definition=t, example=t) for i, t in enumerate(texts))
    book = Codebook(codes)
    path = tmp_path / "formulas.csv"
    write_csv(book, path)
    rows = path.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert rows[0].split(",")[3] == "\"'=HYPERLINK(\"\"http://x\"\")\""
    assert ",'+44 7700 900123 rang," in rows[1]
    assert ",'@mention," in rows[3]
    assert ",''=already quoted," in rows[4]  # one more apostrophe, taken off on reading
    assert ",'plain apostrophe," in rows[6] and ",-12," in rows[8]  # not formulas: as written
    assert read_csv(path) == book


def test_a_blank_guid_is_made_from_the_id_and_a_given_one_is_kept():
    text = (f"{HEADER}\nneglect,Neglect,,d,u,n,e,\n"
            "neglect-medical,Medical,neglect,d,u,n,e,{6F1C2A52-3C1E-4B8E-9D4A-4E2B7C0A9F99}\n")
    book = read_csv_text(text)
    assert book.get("neglect").guid == code_guid("neglect")
    assert book.get("neglect-medical").guid == "{6F1C2A52-3C1E-4B8E-9D4A-4E2B7C0A9F99}"
    assert read_csv_text(csv_text(book)) == book


@pytest.mark.parametrize(("rows", "message"), [
    (["a,A,,,,,,", "a,B,,,,,,"], "book.csv: row 3: id: 'a' is already used by book.csv: row 2"),
    (["a,Same,,,,,,", "b,same,,,,,,"], "book.csv: row 3: name: 'same' is already used by book.csv: row 2"),
    (["a,A,,,,,,", "b,B,practise,,,,,"], "book.csv: row 3: parent: 'practise' is not a code in this codebook"),
    (["a,A,b,,,,,", "b,B,a,,,,,"], "book.csv: row 2: parent: 'a' would be inside itself"),
    (["a,A,a,,,,,"], "book.csv: row 2: parent: 'a' cannot be its own parent"),
    (["not an id,A,,,,,,"], "book.csv: row 2: id: 'not an id' is not a code id"),
    (["a,,,,,,,"], "book.csv: row 2: name: the code 'a' has no name"),
    (["a,A,,,,,,not-a-guid"], "book.csv: row 2: guid: 'not-a-guid' is not a GUID"),
    (["a,A,,def\x07ault,,,,"], "book.csv: row 2: definition: the definition of 'a' holds a control character"),
    (["a,A,,,,,,,extra"], "book.csv: row 2: the row has more cells than the header has columns"),
    ([], "book.csv: no codes"),
])
def test_a_bad_codebook_is_refused_in_one_line_naming_file_row_and_field(rows, message):
    with pytest.raises(CodebookError) as caught:
        read_csv_text("\n".join([HEADER, *rows]) + "\n", "book.csv")
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_missing_or_unknown_columns_are_named():
    with pytest.raises(CodebookError, match=r"^book.csv: row 1: use_when: the column is missing"):
        read_csv_text("id,name,parent,definition,not_when,example\na,A,,,,\n", "book.csv")
    with pytest.raises(CodebookError, match=r"^book.csv: row 1: colour: not a codebook column"):
        read_csv_text(HEADER + ",colour\na,A,,,,,,,red\n", "book.csv")


def test_a_file_that_is_not_utf8_or_not_there_is_named(tmp_path: Path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes(f"{HEADER}\na,Caf\xe9,,,,,,\n".encode("latin-1"))
    with pytest.raises(CodebookError, match=r"^latin.csv: not UTF-8 text"):
        read_csv(latin)
    with pytest.raises(CodebookError, match=r"^gone.csv: no such file"):
        read_csv(tmp_path / "gone.csv")


def test_codes_built_in_code_are_checked_too():
    with pytest.raises(CodebookError, match=r"^codebook: code 2: id: 'x' is already used by codebook: code 1$"):
        Codebook((Code("x", "One"), Code("x", "Two")))


def test_the_codebook_round_trips_through_the_stores_dicts():
    book = default_codebook()
    assert Codebook.from_dicts(book.to_dicts()) == book
    with pytest.raises(CodebookError, match=r"^codebook version 3: code 2: parent: 'nope' is not a code"):
        Codebook.from_dicts([{"id": "a", "name": "A"}, {"id": "b", "name": "B", "parent": "nope"}],
                            "codebook version 3")

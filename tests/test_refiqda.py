"""REFI-QDA exchange: the .qdc codebook and the .qdpx project, validated against the standard's schemas
(tests/data/refiqda, see its README) and read back whole."""

from __future__ import annotations

import io
import re
import time
import xml.etree.ElementTree as ET
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
import xmlschema

from neglect_kit.research.codebook import Code, Codebook, default_codebook
from neglect_kit.research.refiqda_codebook import (
    CODEBOOK_NS,
    RefiError,
    description,
    qdc_bytes,
    qdc_codebook,
    read_description,
    read_qdc,
    write_qdc,
)
from neglect_kit.research.refiqda_project import Memo, PassageCoding, Project, Source
from neglect_kit.research.refiqda_qdpx import PROJECT_NS, guid, qdpx_bytes, qdpx_project, read_qdpx, write_qdpx

SCHEMAS = Path(__file__).parent / "data" / "refiqda"
P = f"{{{PROJECT_NS}}}"
# A review whose first sentence holds characters outside the Basic Multilingual Plane (two UTF-16 units each)
TEXT = ("Zoë's nursery 🧸🧸 saw her twice. The child was not seen at home.\n\n"
        "Mum's drinking was never asked about. Plans were stepped down after one visit.")
SPANS = {"P1.S1": "Zoë's nursery 🧸🧸 saw her twice.", "P1.S2": "The child was not seen at home.",
         "P2.S1": "Mum's drinking was never asked about.", "P2.S2": "Plans were stepped down after one visit."}


def span(passage: str) -> tuple[int, int]:
    start = TEXT.index(SPANS[passage])
    return start, start + len(SPANS[passage])


def repaired(published: str) -> str:
    """The published Codebook.xsd made a schema: its U+2010 hyphens as '-', its lost spaces put back."""
    text = published.replace("\u2010", "-")
    text = re.sub(r"<xsd:(element|complexType|attribute|simpleType|restriction|pattern)(name|base|value)=",
                  r"<xsd:\1 \2=", text)
    return re.sub(r'(="[^"]*")(?=\w)', r"\1 ", text)


@pytest.fixture(scope="module")
def codebook_schema() -> xmlschema.XMLSchema:
    published = (SCHEMAS / "Codebook.xsd").read_text(encoding="utf-8")
    with pytest.raises(xmlschema.XMLSchemaException):
        xmlschema.XMLSchema(published)  # as published it is not a usable schema (see the README)
    fixed = repaired(published)
    # the repair changes only hyphens and spaces: nothing of the standard's content
    assert re.sub(r"\s", "", fixed) == re.sub(r"\s", "", published.replace("\u2010", "-"))
    return xmlschema.XMLSchema(fixed)


@pytest.fixture(scope="module")
def project_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(SCHEMAS / "Project-mrt2019.xsd")


def project(**changes) -> Project:
    fields = {
        "name": "Neglect reviews", "codebook": default_codebook(),
        "sources": (Source("R01", TEXT, "A fictional review"), Source("R02", "One sentence only.")),
        "codings": (PassageCoding("R01", "P1.S2", *span("P1.S2"), "coder_a", ("child-unseen",)),
                 PassageCoding("R01", "P1.S2", *span("P1.S2"), "coder_b", ("child-unseen", "optimism")),
                 PassageCoding("R01", "P2.S1", *span("P2.S1"), "coder_a", ("parental-alcohol",)),
                 PassageCoding("R01", "P2.S2", *span("P2.S2"), "coder_b", ("optimism",)),
                 PassageCoding("R02", "P1.S1", 0, 18, "coder_a", ())),  # cleared: not exported
        "memos": (Memo("review", "R01", "coder_a", "Strong on the missed drinking."),
               Memo("passage", "P1.S2", "coder_b", "Seen at nursery only; counts as unseen at home.", "R01"),
               Memo("passage", "P1.S1", "coder_a", "Not coded: just context.", "R01", *span("P1.S1")),
               Memo("code", "optimism", "coder_b", "Keep apart from disguised compliance.")),
        "created": datetime(2026, 11, 28, 9, 30, tzinfo=UTC)}
    return Project(**{**fields, **changes})


def qde_of(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("project.qde")


# ---- .qdc ----

def test_the_codebook_as_qdc_is_valid_refi_qda_and_reads_back_the_same(codebook_schema, tmp_path: Path):
    book = default_codebook()
    path = tmp_path / "codebook.qdc"
    write_qdc(book, path)
    codebook_schema.validate(path.read_text(encoding="utf-8"))
    assert read_qdc(path) == book


def test_the_qdc_nests_codes_under_their_groups_and_groups_are_not_codable():
    root = ET.fromstring(qdc_bytes(default_codebook()))
    c = f"{{{CODEBOOK_NS}}}"
    assert root.tag == f"{c}CodeBook" and root.get("origin") == "neglect-kit"
    tops = root.findall(f"{c}Codes/{c}Code")
    assert [t.get("name") for t in tops] == ["Practice themes", "Parental factors", "Household", "Harm",
                                            "Neglect presentations"]
    assert {t.get("isCodable") for t in tops} == {"false"}
    parental = tops[1].findall(f"{c}Code")
    assert [(x.get("name"), x.get("isCodable")) for x in parental] == [
        ("Parental alcohol use", "true"), ("Parental drug use", "true"), ("Parental mental health", "true"),
        ("Domestic abuse", "true")]
    assert parental[0].get("guid") == default_codebook().get("parental-alcohol").guid


def test_a_codes_description_reads_as_labelled_paragraphs_and_comes_apart_again():
    code = default_codebook().get("optimism")
    text = description(code)
    assert text.startswith("Code id: optimism\n\nDefinition: Professionals read the evidence")
    assert "\n\nUse when: " in text and "\n\nDo not use when: " in text and "\n\nExample: After one tidy" in text
    assert read_description(text) == {"id": "optimism", "definition": code.definition, "use_when": code.use_when,
                                      "not_when": code.not_when, "example": code.example}
    assert "Use when" not in description(Code("x", "X", definition="Only this."))


def test_another_tools_codebook_is_read_with_ids_made_from_names():
    other = (f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="{CODEBOOK_NS}" origin="Other tool"><Codes>'
             '<Code guid="{0B9F7C1E-1111-4A2B-8C3D-123456789ABC}" name="Family life" isCodable="true">'
             "<Description>Anything about home.</Description>"
             '<Code guid="0b9f7c1e-2222-4a2b-8c3d-123456789abc" name="Family: life!" isCodable="true"/>'
             '</Code><Code guid="0b9f7c1e-3333-4a2b-8c3d-123456789abc" name="Family  Life 2" isCodable="true"/>'
             "</Codes></CodeBook>").encode()
    book = qdc_codebook(other)
    assert [(c.id, c.parent) for c in book.codes] == [("family-life", None), ("family-life-2", "family-life"),
                                                     ("family-life-2-2", None)]
    assert book.get("family-life").definition == "Anything about home."
    assert book.get("family-life").guid == "0b9f7c1e-1111-4a2b-8c3d-123456789abc"


@pytest.mark.parametrize(("data", "message"), [
    (b"<CodeBook", "book.qdc: not well-formed XML"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><CodeBook/>', "book.qdc: holds a DOCTYPE or ENTITY"),
    (f'<Project xmlns="{PROJECT_NS}" name="x"/>'.encode(), "book.qdc: not a REFI-QDA codebook (its root is Project"),
    (f'<CodeBook xmlns="{CODEBOOK_NS}"/>'.encode(), "book.qdc: no Codes in the codebook"),
    (f'<CodeBook xmlns="{CODEBOOK_NS}"><Codes><Code guid="0b9f7c1e-1111-4a2b-8c3d-123456789abc" name="A" '
     'isCodable="true"/><Code guid="0b9f7c1e-1111-4a2b-8c3d-123456789abc" name="B" isCodable="true"/></Codes>'
     "</CodeBook>".encode(), "book.qdc: code 2 (B): guid: '0b9f7c1e-1111-4a2b-8c3d-123456789abc' is already used"),
])
def test_a_bad_qdc_is_refused_in_one_line(data, message):
    with pytest.raises(RefiError) as caught:
        qdc_codebook(data, "book.qdc")
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


# ---- .qdpx ----

def test_the_project_as_qdpx_is_valid_refi_qda_and_reads_back_whole(project_schema, tmp_path: Path):
    original = project()
    path = tmp_path / "project.qdpx"
    write_qdpx(original, path)
    project_schema.validate(qde_of(path.read_bytes()).decode("utf-8"))
    back = read_qdpx(path)
    assert back == original
    assert back.users == ("coder_a", "coder_b")
    assert len(back.codings) == 4  # the cleared coding is not exported
    assert back.memos[1].start == span("P1.S2")[0]  # a passage memo's span came from the passage's coding


def test_the_qdpx_holds_each_text_as_utf8_and_positions_count_unicode_characters():
    data = qdpx_bytes(project())
    archive = zipfile.ZipFile(io.BytesIO(data))
    root = ET.fromstring(archive.read("project.qde"))
    source = root.find(f"{P}Sources/{P}TextSource[@name='R01']")
    sid = guid("review", "R01")
    assert source.get("guid") == sid and source.get("plainTextPath") == f"internal://{sid}.txt"
    assert archive.read(f"sources/{sid}.txt") == TEXT.encode("utf-8")
    selection = source.find(f"{P}PlainTextSelection[@name='P2.S1']")
    start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
    # counted in code points: the two 🧸 before it count one each (in UTF-16 they would count two each)
    assert (start, end) == span("P2.S1")
    assert TEXT[start:end] == "Mum's drinking was never asked about."
    assert TEXT.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le") != TEXT[start:end]


def test_each_coder_is_a_user_and_makes_their_own_selections_and_codings():
    root = ET.fromstring(qde_of(qdpx_bytes(project())))
    users = {u.get("name"): u.get("guid") for u in root.iterfind(f"{P}Users/{P}User")}
    assert users == {"coder_a": guid("coder", "coder_a"), "coder_b": guid("coder", "coder_b")}
    selections = root.findall(f"{P}Sources/{P}TextSource[@name='R01']/{P}PlainTextSelection[@name='P1.S2']")
    assert sorted(s.get("creatingUser") for s in selections) == sorted(users.values())
    by_b = next(s for s in selections if s.get("creatingUser") == users["coder_b"])
    book = default_codebook()
    assert [c.get("creatingUser") for c in by_b.iterfind(f"{P}Coding")] == [users["coder_b"]] * 2
    assert sorted(r.get("targetGUID") for r in by_b.iterfind(f"{P}Coding/{P}CodeRef")) == sorted(
        [book.get("child-unseen").guid, book.get("optimism").guid])


def test_memos_are_notes_referred_to_from_what_they_are_about():
    original = project()
    root = ET.fromstring(qde_of(qdpx_bytes(original)))
    notes = {n.get("guid"): n.findtext(f"{P}PlainTextContent") for n in root.iterfind(f"{P}Notes/{P}Note")}
    assert len(notes) == 4

    def refs(path: str) -> list[str]:
        return [notes[r.get("targetGUID")] for r in root.iterfind(path + f"/{P}NoteRef")]
    source = f"{P}Sources/{P}TextSource[@name='R01']"
    assert refs(source) == ["Strong on the missed drinking."]
    assert refs(f"{source}/{P}PlainTextSelection[@name='P1.S2'][@creatingUser='{guid('coder', 'coder_b')}']") == [
        "Seen at nursery only; counts as unseen at home."]
    # a memo on a passage nobody coded still has its selection, without codings
    bare = root.find(f"{source}/{P}PlainTextSelection[@name='P1.S1']")
    assert bare.find(f"{P}Coding") is None and refs(f"{source}/{P}PlainTextSelection[@name='P1.S1']") == [
        "Not coded: just context."]
    optimism = f".//{P}CodeBook//{P}Code[@guid='{default_codebook().get('optimism').guid}']"
    assert refs(optimism) == ["Keep apart from disguised compliance."]


def test_the_same_project_gives_the_same_file_a_minute_later(monkeypatch):
    first = qdpx_bytes(project())
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 61)  # the clock a zip entry takes its date from
    assert qdpx_bytes(project()) == first


@pytest.mark.parametrize(("changes", "message"), [
    ({"codings": (PassageCoding("R09", "P1.S1", 0, 3, "coder_a", ("drift",)),)},
     "coding by coder_a of passage P1.S1 of review R09: the review is not in the project"),
    ({"codings": (PassageCoding("R02", "P1.S1", 0, 99, "coder_a", ("drift",)),)},
     "coding by coder_a of passage P1.S1 of review R02: 0-99 is outside the review's text"),
    ({"codings": (PassageCoding("R02", "P1.S1", 0, 3, "coder_a", ("drfit",)),)},
     "coding by coder_a of passage P1.S1 of review R02: the code 'drfit' is not in the codebook"),
    ({"codings": (), "memos": (Memo("passage", "P1.S2", "coder_b", "x", "R01"),)},
     "memo by coder_b on passage P1.S2: no coding of the passage gives its span"),
    ({"memos": (Memo("code", "nope", "coder_b", "x"),)}, "memo by coder_b on code nope: the code is not"),
    ({"memos": (Memo("review", "R02", "coder_b", "bell\x07"),)},
     "memo by coder_b on review R02: its text holds a control character"),
])
def test_a_project_that_does_not_hold_together_is_refused_by_name(changes, message):
    with pytest.raises(RefiError, match="^" + re.escape(message)):
        project(**changes)


def zipped(**parts: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buf.getvalue()


def test_a_bad_qdpx_is_refused_in_one_line():
    with pytest.raises(RefiError, match=r"^p.qdpx: not a REFI-QDA project \(a .qdpx is a zip file\)$"):
        qdpx_project(b"not a zip", "p.qdpx")
    with pytest.raises(RefiError, match=r"^p.qdpx: no project.qde inside$"):
        qdpx_project(zipped(**{"other.xml": b"<x/>"}), "p.qdpx")
    good = qde_of(qdpx_bytes(project()))
    with pytest.raises(RefiError, match=r"^p.qdpx: sources/.*\.txt is named in project.qde but not inside$"):
        qdpx_project(zipped(**{"project.qde": good}), "p.qdpx")
    outside = good.replace(b"internal://", b"absolute:///etc/", 1)
    with pytest.raises(RefiError, match=r"^p.qdpx: project.qde: source R01: its text is outside the file"):
        qdpx_project(zipped(**{"project.qde": outside}), "p.qdpx")
    unknown = good.replace(b'CodeRef targetGUID="' + default_codebook().get("optimism").guid.encode(),
                           b'CodeRef targetGUID="0b9f7c1e-9999-4a2b-8c3d-123456789abc')
    with pytest.raises(RefiError, match=r"^p.qdpx: project.qde: source R01: selection P1.S2 is coded with a code "
                                        r"not in the codebook$"):
        qdpx_project(zipped(**{"project.qde": unknown, **_sources()}), "p.qdpx")


def _sources() -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(qdpx_bytes(project())))
    return {name: archive.read(name) for name in archive.namelist() if name.startswith("sources/")}


def test_a_codebook_of_one_code_and_no_codings_still_makes_a_valid_project(project_schema):
    small = Project("Empty", (Source("R01", "Text."),), Codebook((Code("only", "Only code"),)))
    data = qdpx_bytes(small)
    project_schema.validate(qde_of(data).decode("utf-8"))
    assert qdpx_project(data) == small

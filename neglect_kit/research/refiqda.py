"""REFI-QDA exchange files: a codebook (`.qdc`) and a whole coded project (`.qdpx`).

REFI-QDA is the exchange standard of the qualitative-analysis tools (QualCoder, NVivo, ATLAS.ti, MAXQDA):
XML in the namespaces `urn:QDA-XML:codebook:1.0` and `urn:QDA-XML:project:1.0`.

- `.qdc`: `<CodeBook origin=...><Codes><Code guid name isCodable><Description>...` with the codes nested
  under their groups. A group is not codable (`isCodable="false"`): coders apply its codes. The kit's
  definition, when to use, when not to use and example go into the Description as labelled paragraphs
  ("Definition: ...", "Use when: ...", "Do not use when: ...", "Example: ..."), after a first paragraph
  "Code id: ..." that keeps the kit's stable id; reading takes them apart again. A Description without
  those labels (another tool's) is read as the definition, and the id is made from the name.
- `.qdpx`: a zip holding `project.qde` and each review's text as `sources/<guid>.txt` (UTF-8), which the
  project names as `plainTextPath="internal://<guid>.txt"`. `project.qde` holds the coders (`Users`, one
  GUID each), the codebook, each review as a `TextSource` (its name is the review id), and for each coder's
  coding of a passage a `PlainTextSelection` (named by the passage id, made by that coder) with a `Coding`
  per code (`creatingUser` the coder, a `CodeRef` to the code). Memos are `Notes`, each referred to by a
  `NoteRef` from what it is about: a review (its TextSource), a passage (its selection) or a code.

Positions: REFI-QDA counts `startPosition` and `endPosition` in Unicode characters (code points) of the
plain text, from 0, the end exclusive; Python's string indices count the same way, so a passage's `start`
and `end` are written as they are stored.

GUIDs are made from the kit's ids (`uuid5` in the codebook's namespace), so exporting the same project
twice gives the same file, and a code keeps its GUID from one export to the next.
"""

from __future__ import annotations

import io
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from ..chronology.export import write_bytes
from .codebook import NAMESPACE, Code, Codebook, CodebookError, check
from .coded_tables import CodingLike

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
ORIGIN = "neglect-kit"
PROJECT_FILE = "project.qde"
INTERNAL = "internal://"
# what a .qdpx may hold before it is refused, read from the zip's directory before anything is unpacked
MAX_PART, MAX_TOTAL = 64 * 2**20, 512 * 2**20
# The Description's labelled paragraphs, in order: (Code field, label).
LABELS = (("id", "Code id"), ("definition", "Definition"), ("use_when", "Use when"),
          ("not_when", "Do not use when"), ("example", "Example"))
_LABEL = re.compile(r"(?:^|\n\n)(" + "|".join(re.escape(label) for _, label in LABELS) + r"): ")
_SLUG = re.compile(r"[^a-z0-9]+")
# characters XML 1.0 cannot hold at all (a tab and the line breaks it can)
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MemoTarget = Literal["review", "passage", "code"]


class RefiError(ValueError):
    """A REFI-QDA file that cannot be read or a project that cannot be written; one line naming what and where."""


def guid(kind: str, *key: str) -> str:
    """The GUID of a kind of thing ("review", "coder", ...) with these keys: always the same for the same keys."""
    return str(uuid.uuid5(NAMESPACE, ":".join((kind, *key))))


@dataclass(frozen=True)
class Source:
    """A review's text, as coded. `review_id` is its name in the project; `title` its description."""

    review_id: str
    text: str
    title: str = ""


@dataclass(frozen=True)
class PassageCoding:
    """One coder's codes on one passage (`text[start:end]` of the review); codes kept sorted."""

    review_id: str
    passage_id: str
    start: int
    end: int
    coder: str
    codes: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "codes", tuple(sorted(set(self.codes))))


@dataclass(frozen=True)
class Memo:
    """A coder's memo on a review, a passage or a code.

    Attributes:
        target: "review", "passage" or "code".
        target_id: the review id, passage id or code id.
        coder: who wrote it.
        text: the memo.
        review_id: the review (of a passage memo; may be given for a code memo), else None.
        start: a passage memo's span; when None it is taken from a coding of the same passage.
        end: the span's end.
    """

    target: MemoTarget
    target_id: str
    coder: str
    text: str
    review_id: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Project:
    """A coded project to exchange: reviews' texts, the codebook, each coder's codings and memos.

    Codings are kept in the order of review, position and coder, so two projects holding the same
    codings are equal. Coders (`users`) are every coder named in codings and memos, plus any given.

    Raises:
        RefiError: a coding or memo names a review, code or passage span the project does not hold.
    """

    name: str
    sources: tuple[Source, ...]
    codebook: Codebook
    codings: tuple[PassageCoding, ...] = ()
    memos: tuple[Memo, ...] = ()
    users: tuple[str, ...] = ()
    created: datetime | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        texts = {s.review_id: s.text for s in self.sources}
        if len(texts) != len(self.sources):
            raise RefiError(f"project {self.name}: a review is given twice")
        for source in self.sources:
            if _NOT_XML.search(source.review_id + source.title):
                raise RefiError(f"review {source.review_id!r}: its id or title holds a control character")
        codings = tuple(sorted((c for c in self.codings if c.codes),
                               key=lambda c: (c.review_id, c.start, c.end, c.passage_id, c.coder)))
        for c in codings:
            where = f"coding by {c.coder} of passage {c.passage_id} of review {c.review_id}"
            if c.review_id not in texts:
                raise RefiError(f"{where}: the review is not in the project")
            if not 0 <= c.start <= c.end <= len(texts[c.review_id]):
                raise RefiError(f"{where}: {c.start}-{c.end} is outside the review's text")
            unknown = [code for code in c.codes if code not in self.codebook]
            if unknown:
                raise RefiError(f"{where}: the code {unknown[0]!r} is not in the codebook")
        seen = {(c.review_id, c.passage_id, c.coder) for c in codings}
        if len(seen) != len(codings):
            raise RefiError(f"project {self.name}: a coder's coding of a passage is given twice")
        spans = {(c.review_id, c.passage_id): (c.start, c.end) for c in codings}
        memos = tuple(_placed(memo, spans, texts, self.codebook) for memo in self.memos)
        users = tuple(sorted({*self.users, *(c.coder for c in codings), *(m.coder for m in memos)}))
        object.__setattr__(self, "sources", tuple(self.sources))
        object.__setattr__(self, "codings", codings)
        object.__setattr__(self, "memos", memos)
        object.__setattr__(self, "users", users)


def _placed(memo: Memo, spans: dict[tuple[str, str], tuple[int, int]], texts: dict[str, str],
            codebook: Codebook) -> Memo:
    """The memo checked against the project, a passage memo given its span."""
    where = f"memo by {memo.coder} on {memo.target} {memo.target_id}"
    if _NOT_XML.search(memo.text):
        raise RefiError(f"{where}: its text holds a control character, which an exchange file cannot")
    if memo.target == "code":
        if memo.target_id not in codebook:
            raise RefiError(f"{where}: the code is not in the codebook")
        return memo
    if memo.target == "review":
        if memo.target_id not in texts:
            raise RefiError(f"{where}: the review is not in the project")
        return replace(memo, review_id=memo.target_id)
    if memo.target != "passage":
        raise RefiError(f"{where}: a memo is on a review, a passage or a code")
    if memo.review_id not in texts:
        raise RefiError(f"{where}: its review {memo.review_id} is not in the project")
    if memo.start is None or memo.end is None:
        span = spans.get((memo.review_id, memo.target_id))
        if span is None:
            raise RefiError(f"{where}: no coding of the passage gives its span; give the memo start and end")
        memo = replace(memo, start=span[0], end=span[1])
    if not 0 <= memo.start <= memo.end <= len(texts[memo.review_id]):  # type: ignore[operator]
        raise RefiError(f"{where}: {memo.start}-{memo.end} is outside the review's text")
    return memo


# ---- the codebook's XML, shared by .qdc and project.qde ----

def description(code: Code) -> str:
    """A code's Description: its id, definition, when to use, when not to and example, as labelled paragraphs."""
    return "\n\n".join(f"{label}: {getattr(code, name)}" for name, label in LABELS if getattr(code, name))


def read_description(text: str) -> dict[str, str]:
    """The fields of a Description written by `description`; another tool's text is the definition."""
    text = text.strip()
    found = list(_LABEL.finditer(text))
    if not found or found[0].start() != 0:
        return {"definition": text} if text else {}
    by_label = {label: name for name, label in LABELS}
    fields: dict[str, str] = {}
    for match, following in zip(found, [*found[1:], None], strict=True):
        end = following.start() if following else len(text)
        fields.setdefault(by_label[match[1]], text[match.end():end].strip())
    return fields


def _code_elements(parent: ET.Element, codebook: Codebook, under: str | None,
                   notes: dict[str, list[str]]) -> None:
    for code in codebook.children(under):
        element = ET.SubElement(parent, "Code", guid=code.guid, name=code.name,
                                isCodable="false" if codebook.is_group(code.id) else "true")
        ET.SubElement(element, "Description").text = description(code)
        for note in notes.get(code.id, ()):
            ET.SubElement(element, "NoteRef", targetGUID=note)
        _code_elements(element, codebook, code.id, notes)


def _codebook_element(codebook: Codebook, notes: dict[str, list[str]] | None = None,
                      **attrs: str) -> ET.Element:
    root = ET.Element("CodeBook", attrs)
    _code_elements(ET.SubElement(root, "Codes"), codebook, None, notes or {})
    return root


def _read_codes(codes: ET.Element | None, ns: str, where: str) -> tuple[Codebook, dict[str, str]]:
    """The codebook under a `Codes` element, and each NoteRef's target GUID -> the code id it is on."""
    if codes is None:
        raise RefiError(f"{where}: no Codes in the codebook")
    found: list[Code] = []
    note_of: dict[str, str] = {}
    taken: set[str] = set()

    def walk(element: ET.Element, parent: str | None) -> None:
        for node in element.findall(f"{{{ns}}}Code"):
            name, code_guid = (node.get("name") or "").strip(), (node.get("guid") or "").strip()
            if not name or not code_guid:
                raise RefiError(f"{where}: code {len(found) + 1}: a Code needs a name and a guid")
            fields = read_description(node.findtext(f"{{{ns}}}Description") or "")
            code_id = fields.pop("id", "") or _unique(_slug(name), taken)
            taken.add(code_id)
            found.append(Code(id=code_id, name=name, parent=parent, guid=code_guid.strip("{}").lower(), **fields))
            for ref in node.findall(f"{{{ns}}}NoteRef"):
                note_of[(ref.get("targetGUID") or "").lower()] = code_id
            walk(node, code_id)

    walk(codes, None)
    try:
        check(found, lambda i: f"{where}: code {i + 1} ({found[i].name})")
    except CodebookError as exc:
        raise RefiError(str(exc)) from None
    return Codebook(tuple(found)), note_of


def _slug(name: str) -> str:
    return _SLUG.sub("-", name.casefold()).strip("-")[:60] or "code"


def _unique(slug: str, taken: set[str]) -> str:
    n, candidate = 1, slug
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def _xml(root: ET.Element, ns: str) -> bytes:
    """The document's bytes, its elements built with local names in the namespace `ns` (as an attribute:
    ElementTree's `default_namespace` refuses the unqualified attributes the standard uses)."""
    root.set("xmlns", ns)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _parse(data: bytes, where: str) -> ET.Element:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # the standard has no DTD; entities can blow up
        raise RefiError(f"{where}: holds a DOCTYPE or ENTITY, which REFI-QDA files do not")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise RefiError(f"{where}: not well-formed XML ({exc})") from None


# ---- .qdc ----

def qdc_bytes(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA codebook (`.qdc`)."""
    return _xml(_codebook_element(codebook, origin=ORIGIN), CODEBOOK_NS)


def write_qdc(codebook: Codebook, path: str | Path) -> None:
    """Write the codebook as a `.qdc` file, whole or not at all (`chronology.export.ExportError` if not)."""
    write_bytes(path, qdc_bytes(codebook), "codebook.qdc")


def read_qdc(path: str | Path) -> Codebook:
    """A codebook from a `.qdc` file (the kit's, or another tool's).

    Raises:
        RefiError: one line naming the file and what is wrong.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RefiError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    return qdc_codebook(data, path.name)


def qdc_codebook(data: bytes, where: str = "codebook.qdc") -> Codebook:
    """A codebook from a `.qdc` file's bytes (see `read_qdc`)."""
    root = _parse(data, where)
    if root.tag != f"{{{CODEBOOK_NS}}}CodeBook":
        raise RefiError(f"{where}: not a REFI-QDA codebook (its root is {_local(root.tag)}, not CodeBook in "
                        f"{CODEBOOK_NS})")
    return _read_codes(root.find(f"{{{CODEBOOK_NS}}}Codes"), CODEBOOK_NS, where)[0]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# ---- .qdpx ----

def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def qdpx_bytes(project: Project) -> bytes:
    """The project as a REFI-QDA project (`.qdpx`): a zip of `project.qde` and the reviews' texts."""
    users = {name: guid("coder", name) for name in project.users}
    source_guid = {s.review_id: guid("review", s.review_id) for s in project.sources}
    note_guids = [guid("memo", m.target, m.review_id or "", m.target_id, m.coder, str(i))
                  for i, m in enumerate(project.memos)]
    code_notes: dict[str, list[str]] = {}
    review_notes: dict[str, list[str]] = {}
    passage_notes: dict[tuple[str, str, str], list[str]] = {}
    for memo, note in zip(project.memos, note_guids, strict=True):
        if memo.target == "code":
            code_notes.setdefault(memo.target_id, []).append(note)
        elif memo.target == "review":
            review_notes.setdefault(memo.target_id, []).append(note)
        else:
            passage_notes.setdefault((memo.review_id or "", memo.target_id, memo.coder), []).append(note)

    attrs = {"name": project.name, "origin": ORIGIN}
    if project.created:
        attrs["creationDateTime"] = _when(project.created)
    root = ET.Element("Project", attrs)
    if users:
        holder = ET.SubElement(root, "Users")
        for name, user in users.items():
            ET.SubElement(holder, "User", guid=user, name=name)
    root.append(_codebook_element(project.codebook, code_notes))

    # each coder's coding of a passage, and each passage memo, is a selection made by that coder
    selections: dict[str, dict[tuple[str, str], tuple[int, int, tuple[str, ...]]]] = {}
    for c in project.codings:
        selections.setdefault(c.review_id, {})[(c.passage_id, c.coder)] = (c.start, c.end, c.codes)
    for memo in project.memos:
        if memo.target == "passage":
            selections.setdefault(memo.review_id or "", {}).setdefault(
                (memo.target_id, memo.coder), (memo.start or 0, memo.end or 0, ()))
    guid_of_code = {code.id: code.guid for code in project.codebook.codes}
    files = {}
    if project.sources:
        holder = ET.SubElement(root, "Sources")
        for source in project.sources:
            sid = source_guid[source.review_id]
            files[f"sources/{sid}.txt"] = source.text.encode("utf-8")
            element = ET.SubElement(holder, "TextSource", guid=sid, name=source.review_id,
                                    plainTextPath=f"{INTERNAL}{sid}.txt")
            if source.title:
                ET.SubElement(element, "Description").text = source.title
            spans = selections.get(source.review_id, {})
            for (passage, coder), (start, end, codes) in sorted(spans.items(), key=lambda kv: (kv[1][:2], kv[0])):
                selection = ET.SubElement(element, "PlainTextSelection",
                                          guid=guid("selection", source.review_id, passage, coder), name=passage,
                                          startPosition=str(start), endPosition=str(end), creatingUser=users[coder])
                for code in codes:
                    coding = ET.SubElement(selection, "Coding",
                                           guid=guid("coding", source.review_id, passage, coder, code),
                                           creatingUser=users[coder])
                    ET.SubElement(coding, "CodeRef", targetGUID=guid_of_code[code])
                for note in passage_notes.get((source.review_id, passage, coder), ()):
                    ET.SubElement(selection, "NoteRef", targetGUID=note)
            for note in review_notes.get(source.review_id, ()):
                ET.SubElement(element, "NoteRef", targetGUID=note)
    if project.memos:
        holder = ET.SubElement(root, "Notes")
        for memo, note in zip(project.memos, note_guids, strict=True):
            element = ET.SubElement(holder, "Note", guid=note,
                                    name=f"Memo on {memo.target} {memo.target_id}", creatingUser=users[memo.coder])
            if memo.target == "code" and memo.review_id:
                ET.SubElement(element, "Description").text = f"Review: {memo.review_id}"
            ET.SubElement(element, "PlainTextContent").text = memo.text
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PROJECT_FILE, _xml(root, PROJECT_NS))
        for name, data in files.items():
            archive.writestr(name, data)
    return buf.getvalue()


def write_qdpx(project: Project, path: str | Path) -> None:
    """Write the project as a `.qdpx` file, whole or not at all (`chronology.export.ExportError` if not)."""
    write_bytes(path, qdpx_bytes(project), "project.qdpx")


def read_qdpx(path: str | Path) -> Project:
    """A project from a `.qdpx` file: its reviews, codebook, each coder's passage codings and the memos.

    Codings of a whole source (not of a selection) have no passage and are not read.

    Raises:
        RefiError: one line naming the file (and the part of it) and what is wrong.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RefiError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    return qdpx_project(data, path.name)


def qdpx_project(data: bytes, where: str = "project.qdpx") -> Project:
    """A project from a `.qdpx` file's bytes (see `read_qdpx`)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise RefiError(f"{where}: not a REFI-QDA project (a .qdpx is a zip file)") from None
    with archive:
        sizes = {info.filename: info.file_size for info in archive.infolist()}
        if PROJECT_FILE not in sizes:
            raise RefiError(f"{where}: no {PROJECT_FILE} inside")
        if sum(sizes.values()) > MAX_TOTAL or max(sizes.values()) > MAX_PART:
            raise RefiError(f"{where}: too large to read (over {MAX_PART // 2**20} MB in one part or "
                            f"{MAX_TOTAL // 2**20} MB in all)")

        def part(name: str) -> bytes:
            if name not in sizes:
                raise RefiError(f"{where}: {name} is named in {PROJECT_FILE} but not inside")
            return archive.read(name)

        return _read_project(_parse(part(PROJECT_FILE), f"{where}: {PROJECT_FILE}"), part, where)


def _read_project(root: ET.Element, part: Callable[[str], bytes], where: str) -> Project:
    p = PROJECT_NS
    inside = f"{where}: {PROJECT_FILE}"
    if root.tag != f"{{{p}}}Project":
        raise RefiError(f"{inside}: not a REFI-QDA project (its root is {_local(root.tag)})")
    users = {(u.get("guid") or "").lower(): u.get("name") or u.get("id") or u.get("guid") or ""
             for u in root.iterfind(f"{{{p}}}Users/{{{p}}}User")}

    def user(element: ET.Element, *fallbacks: ET.Element) -> str:
        for e in (element, *fallbacks):
            key = (e.get("creatingUser") or "").lower()
            if key:
                return users.get(key, key)
        return "unknown"

    book = root.find(f"{{{p}}}CodeBook")
    if book is None:
        raise RefiError(f"{inside}: no CodeBook")
    codebook, code_notes = _read_codes(book.find(f"{{{p}}}Codes"), p, inside)
    code_of_guid = {code.guid.lower(): code.id for code in codebook.codes}

    def text_of(element: ET.Element, what: str) -> str:
        path = element.get("plainTextPath")
        if path:
            if not path.startswith(INTERNAL):
                raise RefiError(f"{inside}: {what}: its text is outside the file ({path})")
            try:
                return part("sources/" + path[len(INTERNAL):]).decode("utf-8-sig")
            except UnicodeDecodeError:
                raise RefiError(f"{where}: {what}: its text is not UTF-8") from None
        return element.findtext(f"{{{p}}}PlainTextContent") or ""

    notes = {}
    for note in root.iterfind(f"{{{p}}}Notes/{{{p}}}Note"):
        described = note.findtext(f"{{{p}}}Description") or ""
        review = described[len("Review: "):].strip() if described.startswith("Review: ") else None
        notes[(note.get("guid") or "").lower()] = (user(note), text_of(note, f"note {note.get('name')}"), review)

    sources, codings, memos = [], [], []
    placed: list[tuple[str, Memo]] = []
    for element in root.iterfind(f"{{{p}}}Sources/{{{p}}}TextSource"):
        review = element.get("name") or element.get("guid") or ""
        sources.append(Source(review, text_of(element, f"source {review}"),
                              (element.findtext(f"{{{p}}}Description") or "").strip()))
        for selection in element.iterfind(f"{{{p}}}PlainTextSelection"):
            try:
                start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
            except ValueError:
                raise RefiError(f"{inside}: source {review}: a selection's start or end is not a number") from None
            passage = selection.get("name") or f"{start}-{end}"
            by_coder: dict[str, list[str]] = {}
            for coding in selection.iterfind(f"{{{p}}}Coding"):
                target = (coding.find(f"{{{p}}}CodeRef").get("targetGUID") or "").strip("{}").lower() \
                    if coding.find(f"{{{p}}}CodeRef") is not None else ""
                if target not in code_of_guid:
                    raise RefiError(f"{inside}: source {review}: selection {passage} is coded with a code not "
                                    "in the codebook")
                by_coder.setdefault(user(coding, selection), []).append(code_of_guid[target])
            codings.extend(PassageCoding(review, passage, start, end, coder, tuple(codes))
                           for coder, codes in by_coder.items())
            for ref in selection.iterfind(f"{{{p}}}NoteRef"):
                placed.append(((ref.get("targetGUID") or "").lower(),
                               Memo("passage", passage, "", "", review, start, end)))
        for ref in element.iterfind(f"{{{p}}}NoteRef"):
            placed.append(((ref.get("targetGUID") or "").lower(), Memo("review", review, "", "", review)))
    placed += [(note, Memo("code", code_id, "", "")) for note, code_id in code_notes.items()]
    order = {note: i for i, note in enumerate(notes)}
    for note, memo in sorted(placed, key=lambda pair: order.get(pair[0], len(order))):
        if note in notes:
            coder, text, review = notes[note]
            memos.append(replace(memo, coder=coder, text=text,
                                 review_id=memo.review_id if memo.target != "code" else review))
    try:
        return Project(name=root.get("name") or "", sources=tuple(sources), codebook=codebook,
                       codings=tuple(codings), memos=tuple(memos))
    except RefiError as exc:
        raise RefiError(f"{inside}: {exc}") from None


def project_codings(codings: Iterable[CodingLike]) -> tuple[PassageCoding, ...]:
    """Exchange codings from the store's `Coding`s (or anything with the same fields)."""
    return tuple(PassageCoding(c.review_id, c.passage_id, c.start, c.end, c.coder, tuple(c.codes)) for c in codings)


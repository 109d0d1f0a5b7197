"""REFI-QDA projects (`.qdpx`): a `Project` (`refiqda_project`) written as one, and read from one.

REFI-QDA is the exchange standard of the qualitative-analysis tools (QualCoder, NVivo, ATLAS.ti, MAXQDA):
XML in the namespaces `urn:QDA-XML:codebook:1.0` and `urn:QDA-XML:project:1.0`.

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
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from ..chronology.export import write_bytes
from .codebook import NAMESPACE
from .refiqda_codebook import ORIGIN, RefiError, _codebook_element, _local, _parse, _read_codes, _xml, file_bytes
from .refiqda_project import Memo, PassageCoding, Project, Source

PROJECT_NS = "urn:QDA-XML:project:1.0"
PROJECT_FILE = "project.qde"
INTERNAL = "internal://"
# what a .qdpx may hold before it is refused, read from the zip's directory before anything is unpacked
MAX_PART, MAX_TOTAL = 64 * 2**20, 512 * 2**20


def guid(kind: str, *key: str) -> str:
    """The GUID of a kind of thing ("review", "coder", ...) with these keys: always the same for the same keys."""
    return str(uuid.uuid5(NAMESPACE, ":".join((kind, *key))))


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
        for name, data in {PROJECT_FILE: _xml(root, PROJECT_NS), **files}.items():
            # each entry dated the same (the project's own time is in its XML): a name alone would take the
            # clock's, and the same project exported a second later would be another file
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can hold


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
    return qdpx_project(file_bytes(path), path.name)


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

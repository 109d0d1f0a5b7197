"""REFI-QDA codebooks: the codebook's XML, shared by a `.qdc` file and a project's `project.qde`
(`refiqda_qdpx`), and the `.qdc` itself.

REFI-QDA is the exchange standard of the qualitative-analysis tools (QualCoder, NVivo, ATLAS.ti, MAXQDA):
XML in the namespaces `urn:QDA-XML:codebook:1.0` and `urn:QDA-XML:project:1.0`.

- `.qdc`: `<CodeBook origin=...><Codes><Code guid name isCodable><Description>...` with the codes nested
  under their groups. A group is not codable (`isCodable="false"`): coders apply its codes. The kit's
  definition, when to use, when not to use and example go into the Description as labelled paragraphs
  ("Definition: ...", "Use when: ...", "Do not use when: ...", "Example: ..."), after a first paragraph
  "Code id: ..." that keeps the kit's stable id; reading takes them apart again. A Description without
  those labels (another tool's) is read as the definition, and the id is made from the name.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ..chronology.export import write_bytes
from .codebook import Code, Codebook, CodebookError, check

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "neglect-kit"
# The Description's labelled paragraphs, in order: (Code field, label).
LABELS = (("id", "Code id"), ("definition", "Definition"), ("use_when", "Use when"),
          ("not_when", "Do not use when"), ("example", "Example"))
_LABEL = re.compile(r"(?:^|\n\n)(" + "|".join(re.escape(label) for _, label in LABELS) + r"): ")
_SLUG = re.compile(r"[^a-z0-9]+")


class RefiError(ValueError):
    """A REFI-QDA file that cannot be read or a project that cannot be written; one line naming what and where."""


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
    return qdc_codebook(file_bytes(path), path.name)


def file_bytes(path: Path) -> bytes:
    """A file's bytes, or a `RefiError` naming it."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RefiError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None


def qdc_codebook(data: bytes, where: str = "codebook.qdc") -> Codebook:
    """A codebook from a `.qdc` file's bytes (see `read_qdc`)."""
    root = _parse(data, where)
    if root.tag != f"{{{CODEBOOK_NS}}}CodeBook":
        raise RefiError(f"{where}: not a REFI-QDA codebook (its root is {_local(root.tag)}, not CodeBook in "
                        f"{CODEBOOK_NS})")
    return _read_codes(root.find(f"{{{CODEBOOK_NS}}}Codes"), CODEBOOK_NS, where)[0]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]

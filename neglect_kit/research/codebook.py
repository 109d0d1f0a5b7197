"""The codebook: codes in a tree, each with a definition, when to use it, when not to, and an example.

A code's `id` is a stable slug (`child-unseen`) that codings store; its `name` is what a coder reads.
A code with children is a group: coders apply its children, never the group itself (`leaves()`).
Every code has a GUID, which REFI-QDA exchange files need: `uuid5(NAMESPACE, id)` unless a file gives
one, so the same id keeps the same GUID from one export to the next.

The kit ships a default codebook of the field's themes (`default_codebook.csv` beside this module,
written in the kit's own words). `read_csv` and `write_csv` carry a codebook to and from a spreadsheet;
reading what was written gives the same codebook. A text cell that a spreadsheet would run as a formula
(`=`, `+`, `-`, `@` first) is written with an apostrophe in front and read back without it.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..textsafety import looks_like_formula

# The kit's namespace for the GUIDs of codes, reviews, coders and codings in exchange files.
NAMESPACE = uuid.UUID("6f1c2a52-3c1e-5b8e-9d4a-4e2b7c0a9f13")
COLUMNS = ("id", "name", "parent", "definition", "use_when", "not_when", "example", "guid")
TEXTS = ("definition", "use_when", "not_when", "example")
DEFAULT_CSV = Path(__file__).with_name("default_codebook.csv")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
NAME_LIMIT, TEXT_LIMIT = 120, 4000
# every C0 control but tab and the line breaks, DEL and the C1 controls: never part of a code's words
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_APOSTROPHES_THEN_FORMULA = re.compile(r"^'*")


class CodebookError(ValueError):
    """A codebook that cannot be used; the message is one line naming the file or code, the row and the field."""


def code_guid(code_id: str) -> str:
    """The GUID of a code that has none of its own: the same for the same id, always."""
    return str(uuid.uuid5(NAMESPACE, f"code:{code_id}"))


@dataclass(frozen=True)
class Code:
    """One code of the codebook.

    Attributes:
        id: the stable slug codings store (letters, digits, `-`, `_`, `.`; at most 64).
        name: what a coder reads (unique in the codebook).
        parent: the id of the group it belongs to, or None at the top.
        definition: what the code means.
        use_when: when to apply it.
        not_when: when not to (and what to apply instead).
        example: a sentence it applies to.
        guid: its GUID in exchange files; `code_guid(id)` when not given.
    """

    id: str
    name: str
    parent: str | None = None
    definition: str = ""
    use_when: str = ""
    not_when: str = ""
    example: str = ""
    guid: str = field(default="")

    def __post_init__(self) -> None:
        if not self.guid:
            object.__setattr__(self, "guid", code_guid(self.id))


@dataclass(frozen=True)
class Codebook:
    """Codes in a tree, checked: ids and names unique, every parent a code here, no code its own ancestor.

    Raises:
        CodebookError: naming the code (by its place, `code 4`) and the field that is wrong.
    """

    codes: tuple[Code, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "codes", tuple(self.codes))
        check(self.codes, lambda i: f"codebook: code {i + 1}")

    def get(self, code_id: str) -> Code:
        """The code with this id.

        Raises:
            KeyError: with the id, when no code has it.
        """
        for code in self.codes:
            if code.id == code_id:
                return code
        raise KeyError(code_id)

    def __contains__(self, code_id: object) -> bool:
        return any(code.id == code_id for code in self.codes)

    def children(self, code_id: str | None) -> tuple[Code, ...]:
        """The codes directly under `code_id` (None: the top of the tree), in the codebook's order."""
        return tuple(code for code in self.codes if code.parent == code_id)

    def leaves(self) -> tuple[Code, ...]:
        """The codes coders apply: those with no children, in the codebook's order."""
        parents = {code.parent for code in self.codes}
        return tuple(code for code in self.codes if code.id not in parents)

    def is_group(self, code_id: str) -> bool:
        """Whether the code has children (a group, applied through them, never itself)."""
        return any(code.parent == code_id for code in self.codes)

    def walk(self, code_id: str | None = None) -> Iterator[tuple[int, Code]]:
        """Every code under `code_id` with its depth (0 at the top), depth first, in the codebook's order."""
        def below(parent: str | None, depth: int) -> Iterator[tuple[int, Code]]:
            for code in self.children(parent):
                yield depth, code
                yield from below(code.id, depth + 1)
        return below(code_id, 0)

    def to_dicts(self) -> list[dict[str, str | None]]:
        """The codes as plain dicts (the store keeps a codebook's codes as JSON)."""
        return [asdict(code) for code in self.codes]

    @classmethod
    def from_dicts(cls, rows: Iterable[dict[str, str | None]], where: str = "codebook") -> Codebook:
        """A codebook from `to_dicts`' rows, each checked; errors name `where` and the row (1-based)."""
        codes = [_code_from_row(row, lambda i=i: f"{where}: code {i + 1}") for i, row in enumerate(rows)]
        check(codes, lambda i: f"{where}: code {i + 1}")
        return cls(tuple(codes))


def check(codes: tuple[Code, ...] | list[Code], where: Callable[[int], str]) -> None:
    """Check codes as a tree; `where(i)` names the i-th code's place (a file's row, a code's number).

    Raises:
        CodebookError: on the first problem, one line: place, field, what is wrong.
    """
    if not codes:
        raise CodebookError(f"{where(0).rsplit(':', 1)[0]}: no codes: a codebook needs at least one code")
    ids: dict[str, int] = {}
    names: dict[str, int] = {}
    guids: dict[str, int] = {}
    for i, code in enumerate(codes):
        _check_fields(code, lambda i=i: where(i))
        for seen, value, column in ((ids, code.id, "id"), (names, code.name.casefold(), "name"),
                                    (guids, code.guid.lower(), "guid")):
            if value in seen:
                shown = getattr(code, column)
                raise CodebookError(f"{where(i)}: {column}: {shown!r} is already used by {where(seen[value])}")
            seen[value] = i
    parent_of = {code.id: code.parent for code in codes}
    for i, code in enumerate(codes):
        if code.parent is not None and code.parent not in ids:
            raise CodebookError(f"{where(i)}: parent: {code.parent!r} is not a code in this codebook")
        seen_ids, step = {code.id}, code.parent
        while step is not None:
            if step in seen_ids:
                raise CodebookError(f"{where(i)}: parent: {code.id!r} would be inside itself "
                                    f"(its parents go round in a circle through {step!r})")
            seen_ids.add(step)
            step = parent_of.get(step)


def _check_fields(code: Code, where: Callable[[], str]) -> None:
    if not isinstance(code.id, str) or not ID_PATTERN.match(code.id):
        raise CodebookError(f"{where()}: id: {code.id!r} is not a code id (letters, digits, '-', '_' or '.', "
                            "starting with a letter or digit, at most 64)")
    if not code.name.strip():
        raise CodebookError(f"{where()}: name: the code {code.id!r} has no name")
    if len(code.name) > NAME_LIMIT or "\n" in code.name:
        raise CodebookError(f"{where()}: name: the name of {code.id!r} must be one line of at most {NAME_LIMIT} "
                            "characters")
    if code.parent == code.id:
        raise CodebookError(f"{where()}: parent: {code.id!r} cannot be its own parent")
    for column in ("name", *TEXTS):
        text = getattr(code, column)
        if _CONTROL.search(text):
            raise CodebookError(f"{where()}: {column}: the {column.replace('_', ' ')} of {code.id!r} holds a "
                                "control character")
        if len(text) > TEXT_LIMIT:
            raise CodebookError(f"{where()}: {column}: the {column.replace('_', ' ')} of {code.id!r} is over "
                                f"{TEXT_LIMIT} characters")
    try:
        uuid.UUID(code.guid.strip("{}"))
    except ValueError:
        raise CodebookError(f"{where()}: guid: {code.guid!r} is not a GUID") from None


def _code_from_row(row: dict[str, str | None], where: Callable[[], str]) -> Code:
    def text(column: str) -> str:
        value = row.get(column)
        if value is not None and not isinstance(value, str):
            raise CodebookError(f"{where()}: {column}: expected text, found {value!r}")
        return (value or "").strip()
    return Code(id=text("id"), name=text("name"), parent=text("parent") or None,
                **{column: text(column) for column in TEXTS}, guid=text("guid"))


def _to_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: an apostrophe before a would-be formula (and before one already
    led by apostrophes, so reading back takes exactly one off)."""
    rest = _APOSTROPHES_THEN_FORMULA.sub("", value, count=1)
    return "'" + value if rest and looks_like_formula(rest) else value


def _from_cell(value: str) -> str:
    rest = _APOSTROPHES_THEN_FORMULA.sub("", value, count=1)
    return value[1:] if value.startswith("'") and rest and looks_like_formula(rest) else value


def read_csv(path: str | Path) -> Codebook:
    """A codebook from a CSV file with the columns `COLUMNS` (UTF-8, a BOM allowed; `guid` may be blank).

    Raises:
        CodebookError: one line naming the file, the row (as a spreadsheet numbers it) and the field.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CodebookError(f"{path.name}: no such file") from None
    except UnicodeDecodeError:
        raise CodebookError(f"{path.name}: not UTF-8 text (save the spreadsheet as CSV UTF-8)") from None
    return read_csv_text(text, path.name)


def read_csv_text(text: str, name: str = "codebook.csv") -> Codebook:
    """A codebook from a CSV file's text; `name` is the file named in errors (see `read_csv`)."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [column for column in COLUMNS if column not in header and column != "guid"]
    if missing:
        raise CodebookError(f"{name}: row 1: {missing[0]}: the column is missing (the columns are "
                            f"{', '.join(COLUMNS)})")
    extra = [column for column in header if column not in COLUMNS]
    if extra:
        raise CodebookError(f"{name}: row 1: {extra[0]}: not a codebook column (the columns are "
                            f"{', '.join(COLUMNS)})")
    codes = []
    for i, row in enumerate(reader):
        if None in row:  # more cells than headings
            raise CodebookError(f"{name}: row {i + 2}: the row has more cells than the header has columns")
        cells = {column: _from_cell(value) if value else value for column, value in row.items()}
        codes.append(_code_from_row(cells, lambda i=i: f"{name}: row {i + 2}"))
    check(codes, lambda i: f"{name}: row {i + 2}")
    return Codebook(tuple(codes))


def csv_text(codebook: Codebook) -> str:
    """The codebook as CSV text: the header `COLUMNS`, a row per code, formulas kept as text."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for code in codebook.codes:
        writer.writerow([_to_cell(value or "") for value in
                         (code.id, code.name, code.parent, *(getattr(code, c) for c in TEXTS), code.guid)])
    return buf.getvalue()


def write_csv(codebook: Codebook, path: str | Path) -> None:
    """Write the codebook as CSV in UTF-8 with a BOM (so a spreadsheet reads the accents); `read_csv` of it
    gives the same codebook. Written to a temporary file first, so a failed write leaves no half file."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(csv_text(codebook).encode("utf-8-sig"))
    partial.replace(path)


def default_codebook() -> Codebook:
    """The codebook shipped with the kit (`default_codebook.csv`): the field's themes in the kit's own words."""
    return read_csv(DEFAULT_CSV)

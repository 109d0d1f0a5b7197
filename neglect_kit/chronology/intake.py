"""Taking agency returns into a case's chronology: check, link duplicates, then save or not.

Nothing is written when any row has an error, unless the user asks for the valid rows
only; either way the write is one transaction, so a failure half way writes nothing.

A return sent again is compared with what the case holds from the same agency: a row held
word for word is not saved twice; a row that corrects exactly one row of the previous copy (see
`compare_with_held`) is "changed" and saved as a new version of the entry it corrects (the earlier
version is kept); a row of the previous copy the new one no longer has is "gone", withdrawn with a
reason only with `replace` (a copy sent again may cover a shorter period), reported otherwise.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..config import Settings
from ..config import settings as settings_in_force
from ..store import NewRecord, Store, new_record_id
from ..store.api import already_imported
from ..textsafety import escape_controls
from .checked_rows import CheckedRow
from .importer import ERROR, NOTE, WARNING, CheckedReturn, Problem, check_return
from .merge import Link, find_duplicates, words
from .model import ENTRY_KIND, ChronologyEntry, EntryContext
from .reading import Limits, ReadError
from .records import StoredEntry, case_context, stored_entries

LINKED = "linked as the same incident"
# errors (and warnings) a report lists before counting the rest: a screenful
SHOWN = 20
# what a row says, for telling a row already held from a new or corrected one (not where it came from)
_CONTENT = ("children", "event_date", "recorded_date", "agency", "source_detail", "how_known", "category",
            "description", "impact", "impact_note", "significance", "action", "outcome", "child_words")


@dataclass(frozen=True)
class ReturnFile:
    """One agency return to import."""

    name: str
    data: bytes
    agency: str | None = None
    mapping: dict[str, str] | None = None
    sheet: str | None = None
    children: tuple[str, ...] = ()
    category: str | None = None

    @classmethod
    def from_path(cls, path: str | Path, **kw: object) -> ReturnFile:
        """A return read from a file, its size checked against the settings' limit first.

        Raises:
            FileNotFoundError: the file cannot be read.
            ReadError: the file is over the size limit (naming the file and the limit).
        """
        p = Path(path)
        try:
            # the size is checked before the bytes are read: a huge file is refused without filling memory
            Limits(**settings_in_force().limits).check_size(p.stat().st_size)
            data = p.read_bytes()
        except OSError as exc:
            raise FileNotFoundError(f"{p}: cannot read the file ({exc.strerror})") from None
        except ReadError as exc:
            raise ReadError(f"{p.name}: {exc}") from None
        return cls(p.name, data, **kw)  # type: ignore[arg-type]


@dataclass
class Resent:
    """A return set against what the case already holds from the same agency."""

    unchanged: list[tuple[int, str]] = field(default_factory=list)  # (row, record id held word for word)
    changed: list[tuple[CheckedRow, StoredEntry]] = field(default_factory=list)  # (row, the entry it corrects)
    gone: list[StoredEntry] = field(default_factory=list)  # held from this file, not in this copy
    new: int = 0
    keeps_gone: bool = False  # rows with errors may be the gone ones: those are not withdrawn


@dataclass
class ImportReport:
    """What an import found and did."""

    case_id: str
    returns: list[CheckedReturn]
    links: list[Link] = field(default_factory=list)
    valid_only: bool = False
    replace: bool = False
    creates_case: bool = False  # a case folder's load: nothing valid means no case at all
    written: int = 0
    corrected: int = 0
    withdrawn: int = 0
    import_ids: list[int] = field(default_factory=list)
    # the records a save would write: (the return it came from, the record)
    pending: list[tuple[CheckedReturn, NewRecord]] = field(default_factory=list)
    resent: list[Resent] = field(default_factory=list)  # one per return, in the same order

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.returns for p in r.problems]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def rows(self) -> int:
        return sum(r.rows for r in self.returns)

    @property
    def new_rows(self) -> int:
        """Valid rows the case does not hold yet (what a save creates)."""
        return sum(len(r.entries) for r in self.returns)

    @property
    def valid_rows(self) -> int:
        """Rows without errors: new ones, and those of a return sent again that are held or correct a held one."""
        return self.new_rows + sum(len(a.unchanged) + len(a.changed) for a in self.resent)

    @property
    def blocked(self) -> bool:
        """True when the errors kept everything out (with valid-only, when no row is valid)."""
        return bool(self.errors) and (not self.valid_only or self.valid_rows == 0)

    def first_shown(self, severity: str, every: bool = False) -> tuple[list[Problem], int]:
        """The problems of one severity a person reads first, by file and row: at most `SHOWN` of them
        (all when `every`), and how many more there are. The command line and the app list the same."""
        found = sorted((p for p in self.problems if p.severity == severity), key=lambda p: (p.file, p.row or 0))
        shown = found if every else found[:SHOWN]
        return shown, len(found) - len(shown)

    def text(self, notes: bool = False) -> str:
        """The report as a person reads it: a summary, errors, warnings, then the notes counted by kind.

        At most `SHOWN` errors and `SHOWN` warnings are listed (the first rows' of each file), then a
        line counting the rest; control characters in any line are shown as escapes ('\\x1b').

        Args:
            notes: list every error, warning and note (default: the first errors and warnings, and
                one line per file counting the notes by kind).
        """
        warnings = [p for p in self.problems if p.severity == WARNING]
        lines = [f"Case {self.case_id}: {len(self.returns)} file(s), {self.rows} row(s), "
                 f"{self.valid_rows} valid, {len(self.errors)} error(s), {len(warnings)} warning(s), "
                 f"{len(self.links)} linked as the same incident."]
        lines += [f"  {line}" for r, again in zip(self.returns, self.resent, strict=False)
                  for line in resent_lines(r, again, self.replace)]
        for heading, severity in (("Errors", ERROR), ("Warnings", WARNING)):
            shown, more = self.first_shown(severity, every=notes)
            if shown:
                lines.append(f"{heading}:")
                lines += [f"  {p}" for p in shown]
                if more:
                    lines.append(f"  ... and {more:,} more {heading.lower()[:-1]}{'s' if more > 1 else ''} "
                                 "(--notes lists every one)")
        for r in self.returns:
            said = [p for p in r.problems if p.severity == NOTE]
            # links are listed one by one: a person confirms or undoes each
            lines += [f"  {p}" for p in said if p.kind == LINKED and not notes]
            said = [p for p in said if notes or p.kind != LINKED]
            if notes:
                lines += [f"  {p}" for p in sorted(said, key=lambda p: p.row or 0)]
            elif said:
                lines.append(f"{r.file}: {len(said)} note(s): {notes_by_kind(said)} (--notes lists each one)")
        if self.blocked:
            lines.append("Nothing was saved" + (" and the case was not created" if self.creates_case else "")
                         + (": no row is valid." if self.valid_only else
                            ": correct the errors, or import the valid rows only."))
        else:
            lines.append(f"Saved {self.written} entr{'y' if self.written == 1 else 'ies'}."
                         + (f" {self.corrected} corrected (saved as new versions)." if self.corrected else "")
                         + (f" {self.withdrawn} withdrawn (not in the return sent again)." if self.withdrawn else ""))
            if self.import_ids and not self.creates_case:
                lines.append(f"Recorded as import {', '.join(map(str, self.import_ids))}: undo one with "
                             f"`neglect-kit undo-import --case {self.case_id} --import N --reason ...`.")
        # file names and cells' words reach a terminal: control characters shown, never acted on
        return "\n".join(escape_controls(line) for line in lines)


def notes_by_kind(notes: list[Problem]) -> str:
    """Notes counted by kind, most first: "30 dates read with a note, 12 categories read from words"."""
    kinds = Counter(p.kind or "other notes" for p in notes)
    return ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())


def resent_lines(r: CheckedReturn, again: Resent, replace: bool) -> list[str]:
    """What is new, already held, changed and gone in a return sent again (nothing for a first return)."""
    if r.file_error or not (again.unchanged or again.changed or again.gone):
        return []
    lines = [f"{r.file}: {again.new} new, {len(again.unchanged)} already held (not saved again), "
             f"{len(again.changed)} changed, {len(again.gone)} gone"]
    lines += [f"  row {row.row}: changed: saved as a new version of {_held_row(held, r.file)}: "
              + "; ".join(_differences(held.entry, row.entry)) for row, held in again.changed]
    gone_what = ("withdrawn" if replace and not again.keeps_gone else "kept (rows of this copy have errors)"
                 if replace else "kept (replace the previous return to withdraw)")
    lines += [f"  gone: {_held_row(held, r.file)}, {gone_what}" for held in again.gone]
    return lines


def _held_row(held: StoredEntry, file: str) -> str:
    """'the entry of DATE from row N' (and the file it came from when the copy was renamed)."""
    p = held.entry.provenance
    where = f"row {p.row if p else '?'}" + (f" of {p.file}" if p and p.file != file else "")
    return f"the entry of {held.entry.event_date.text} from {where}"


def _differences(before: ChronologyEntry, after: ChronologyEntry) -> list[str]:
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    return [f"{name.replace('_', ' ')} '{old[name]}' -> '{new[name]}'" for name in _CONTENT if old[name] != new[name]]


def _content(entry: ChronologyEntry, skip_category: bool) -> str:
    body = entry.model_dump(mode="json", include=set(_CONTENT))
    if skip_category:  # a category the kit read may since have been corrected by hand
        body.pop("category")
    body["children"] = sorted(body["children"])
    return json.dumps(body, sort_keys=True)


def _words(entry: ChronologyEntry) -> frozenset[str]:
    """The row's own words, folded as for linking incidents (synonyms, word endings)."""
    return words(" ".join((entry.description, entry.impact_note, entry.action, entry.outcome, entry.child_words)))


# a correction across two dates must keep at least this many words: "Late." on two days is two rows
_ACROSS_DATES = 3


def _kept(a: frozenset[str], b: frozenset[str]) -> int:
    """How many words two texts share when more than half the shorter's are in the other (else 0)."""
    shared = len(a & b)
    return shared if a and b and shared * 2 > min(len(a), len(b)) else 0


def _corrections(rows: list[CheckedRow], held: list[StoredEntry]) -> list[tuple[CheckedRow, StoredEntry]]:
    """Pairs (row, the held entry it corrects) where each is the other's one best match.

    A row may correct a held entry of its agency when most of the shorter text's words are in the
    other (words corrected, added or cut) and it tells of the same day (the row moved, its words, type
    or children corrected) or sits at the same row number with at least `_ACROSS_DATES` words in common
    (its date corrected). Both clues together beat one. A row with two equal best matches, or a held
    entry two rows fit equally, is paired with nothing: two incidents are never merged on a guess (the
    rows are new, the held ones gone, and the report lists them).
    """
    said = [(row, _words(row.entry)) for row in rows]
    theirs = {s.record_id: _words(s.entry) for s in held}
    # only held rows of the same day or the same row number can be corrected: looked up, not scanned
    by_day: dict[tuple[Any, Any], list[StoredEntry]] = defaultdict(list)
    by_row: dict[int, list[StoredEntry]] = defaultdict(list)
    for s in held:
        by_day[(s.entry.event_date.earliest, s.entry.event_date.latest)].append(s)
        if s.entry.provenance:
            by_row[s.entry.provenance.row].append(s)
    strength: dict[tuple[int, str], int] = {}
    for i, (row, mine) in enumerate(said):
        e = row.entry
        day = (e.event_date.earliest, e.event_date.latest) if e.event_date.earliest else None
        for s in {s.record_id: s for s in (*by_day.get(day, ()), *by_row.get(row.row, ()))}.values():
            h = s.entry
            kept = _kept(mine, theirs[s.record_id]) if h.agency == e.agency else 0
            if not kept:
                continue
            same_day = e.event_date.earliest is not None and (e.event_date.earliest, e.event_date.latest) == (
                h.event_date.earliest, h.event_date.latest)
            same_row = h.provenance is not None and h.provenance.row == row.row and (
                same_day or kept >= _ACROSS_DATES)
            if same_row or same_day:
                strength[(i, s.record_id)] = same_row + same_day
    row_top: dict[int, int] = {}
    held_top: dict[str, int] = {}
    for (i, rid), n in strength.items():
        row_top[i], held_top[rid] = max(row_top.get(i, 0), n), max(held_top.get(rid, 0), n)
    best_of_row: dict[int, list[str]] = defaultdict(list)
    best_of_held: dict[str, list[int]] = defaultdict(list)
    for (i, rid), n in strength.items():
        if n == row_top[i]:
            best_of_row[i].append(rid)
        if n == held_top[rid]:
            best_of_held[rid].append(i)
    by_id = {s.record_id: s for s in held}
    return [(said[i][0], by_id[rids[0]]) for i, rids in sorted(best_of_row.items())
            if len(rids) == 1 and best_of_held[rids[0]] == [i]]


def compare_with_held(r: CheckedReturn, held: list[StoredEntry]) -> Resent:
    """Which of a return's rows the case already holds, which correct a held row, and what is gone.

    Rows are set against held entries of the same agency: word for word from any file first. The
    previous copy is then the held rows of the same file name, or of the files the word-for-word rows
    came from (a copy sent again is often renamed); a row correcting one of them is found by
    `_corrections`, and the previous copy's rows left over are gone. `r.entries` keeps only the new rows.
    """
    again = Resent()
    if r.file_error:
        return again
    taken: set[str] = set()
    by_content: dict[tuple[str, str, bool], list[StoredEntry]] = {}
    for s in held:
        for skip in (False, True):
            by_content.setdefault((s.entry.agency, _content(s.entry, skip), skip), []).append(s)
    new_rows: list[CheckedRow] = []
    files = {r.file}
    for row in r.entries:
        skip = "category" in row.entry.inferred
        same = [s for s in by_content.get((row.entry.agency, _content(row.entry, skip), skip), [])
                if s.record_id not in taken]
        if same:
            taken.add(same[0].record_id)
            again.unchanged.append((row.row, same[0].record_id))
            if same[0].entry.provenance:
                files.add(same[0].entry.provenance.file)
        else:
            new_rows.append(row)
    agencies = {row.entry.agency for row in r.entries} | ({r.agency} if r.agency else set())
    from_copy = [s for s in held if s.entry.provenance and s.entry.provenance.file in files
                 and s.entry.agency in agencies]
    again.changed = _corrections(new_rows, [s for s in from_copy if s.record_id not in taken])
    taken |= {s.record_id for _, s in again.changed}
    corrected = {id(row) for row, _ in again.changed}
    r.entries = [row for row in new_rows if id(row) not in corrected]
    again.new = len(r.entries)
    again.gone = [s for s in from_copy if s.record_id not in taken]
    again.keeps_gone = bool(r.error_rows)
    return again


def check_returns(ctx: EntryContext, files: list[ReturnFile], *, valid_only: bool = False,
                  previous: list[dict[str, Any]] | None = None,
                  existing: list[tuple[str, ChronologyEntry]] | None = None,
                  held: list[StoredEntry] | None = None, replace: bool = False) -> ImportReport:
    """Check returns against a case, and find the incidents already reported, saving nothing.

    Args:
        ctx: the case's children and the settings.
        files: the returns.
        valid_only: whether the valid rows are to be saved despite errors in others.
        previous: the case's earlier imports, so a file imported before is named.
        existing: (record id, entry) of the case's current entries, for linking duplicates
            (default: from `held`).
        held: the case's current entries, so a return sent again is not saved twice.
        replace: a return sent again replaces the previous one (rows no longer in it withdrawn).
    """
    held = held or []
    if existing is None:
        existing = [(s.record_id, s.entry) for s in held]
    earlier = {i["sha256"]: i for i in previous or [] if not i.get("undone_id")}
    checked: list[CheckedReturn] = []
    for file in files:
        result = check_return(file.data, file.name, ctx, agency=file.agency, mapping=file.mapping,
                              sheet=file.sheet, children=file.children, category=file.category)
        if result.sha256 in earlier:
            result.problems.insert(0, Problem(file.name, None, "", already_imported(
                file.name, ctx.case_id, earlier[result.sha256]).split(": ", 1)[1]))
        checked.append(result)
    report = ImportReport(ctx.case_id, checked, valid_only=valid_only, replace=replace)
    report.resent = [compare_with_held(r, held) for r in checked]
    pending = [(r, row, new_record_id()) for r in checked if not r.file_error for row in r.entries]
    report.links = find_duplicates([(rid, row.entry) for _, row, rid in pending], existing or [],
                                   ctx.settings)
    linked = {link.record_id: link for link in report.links}
    for r, row, record_id in pending:
        entry = row.entry
        link = linked.get(record_id)
        if link:
            r.problems.append(Problem(r.file, row.row, "", f"linked: {link.reason}", NOTE, LINKED))
            entry = entry.model_copy(update={"duplicate_of": link.duplicate_of})
        report.pending.append((r, NewRecord(entry.model_dump(mode="json"), record_id=record_id,
                                            reason=f"imported from {r.file}")))
    return report


def save_checked(store: Store, report: ImportReport, conn: sa.Connection) -> None:
    """Save a checked report's valid rows, duplicates linked, in the caller's transaction.

    Each file is recorded as an import first, so every entry it saves carries that import's number.
    """
    import_of: dict[int, int] = {}
    for r, again in zip(report.returns, report.resent or [Resent()] * len(report.returns), strict=True):
        if r.file_error:
            continue
        saves = len(r.entries) + len(again.changed)
        import_of[id(r)] = number = store.record_import(report.case_id, r.file, r.sha256, r.agency, saves, conn=conn)
        report.import_ids.append(number)
        for row, was in again.changed:
            body = row.entry.model_copy(update={"duplicate_of": was.entry.duplicate_of}).model_dump(mode="json")
            body["provenance"]["import_id"] = number
            store.update(was.record_id, was.record.version, body,
                         reason=f"corrected by {r.file} (import {number}), sent again", conn=conn)
            report.corrected += 1
        if report.replace and not again.keeps_gone:
            for was in again.gone:
                store.withdraw(was.record_id, was.record.version,
                               f"not in {r.file} as sent again (import {number}), which replaces it", conn=conn)
                report.withdrawn += 1
    records = []
    for r, record in report.pending:
        record.body["provenance"]["import_id"] = import_of[id(r)]
        records.append(record)
    store.create_many(ENTRY_KIND, report.case_id, records, conn=conn)
    report.written = len(records)


def import_returns(store: Store, case_id: str, files: list[ReturnFile], *, valid_only: bool = False,
                   replace: bool = False, settings: Settings | None = None) -> ImportReport:
    """Check returns against a case and save their entries, or nothing.

    Args:
        store: where the case is.
        case_id: the case the returns are for.
        files: the returns.
        valid_only: save the valid rows even when other rows have errors.
        replace: a return sent again replaces the previous one: rows no longer in it are withdrawn
            (changed rows are saved as new versions either way; see the module's docstring).
        settings: vocabularies and thresholds (default: the settings in force).
    """
    ctx = case_context(store, case_id, settings)
    report = check_returns(ctx, files, valid_only=valid_only, previous=store.imports(case_id),
                           held=stored_entries(store, case_id), replace=replace)
    if not report.blocked:
        with store.transaction() as conn:
            save_checked(store, report, conn)
    return report


def undo_import(store: Store, case_id: str, import_id: int, reason: str) -> tuple[dict[str, Any], int]:
    """Undo a whole import in one transaction: every entry it saved is withdrawn with the reason.

    Nothing is deleted: each entry keeps its history, and the import is marked undone (so the same
    file may be imported again). An entry a later import corrected belongs to that import.

    Returns:
        (the import as recorded, how many entries were withdrawn).

    Raises:
        NotFound: no such import in the case.
        StoreError: no reason, or undone already.
    """
    with store.transaction() as conn:
        info = store.mark_import_undone(case_id, import_id, reason.strip(), conn=conn)
        withdrawn = 0
        for record in store.current(ENTRY_KIND, case_id, conn=conn):
            if (record.body.get("provenance") or {}).get("import_id") == import_id:
                store.withdraw(record.record_id, record.version,
                               f"import {import_id} ({info['filename']}) undone: {reason.strip()}", conn=conn)
                withdrawn += 1
    return info, withdrawn

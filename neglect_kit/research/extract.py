"""A pseudonymised extract of named cases: chronology entries, plans, grades and findings, for research.

`take(store, case_ids)` reads each case (as `neglect-kit analyse` does, findings included), puts role labels
in place of people (`extract_labels`), scrubs every free-text cell with the one engine (`pseudonymise`),
moves every date by the case's keyed whole-week offset (`extract_dates`), turns dates of birth into age
bands, lists what is left in the text for a person to check, and holds the whole to the k-anonymity gate
(`extract_gate`). Nothing is written until `write` (`extract_files`): the tables as CSV and one JSON file,
the residual-risk report and the log in the extract's folder, the keyed mapping apart from it.

Who may: on one person's own database the one user, who may read the cases anyway. On a team's database only
the extract service (`extract_service`, role `extractor`), for a researcher's request of cases an administrator
approved (`extract_requests`): the named rows would pass through the process of whoever takes the extract, and a
researcher, whose role reads no named case data, could read anything their own process reads; the service's
process is not theirs, and PostgreSQL lets it read only the cases of the request it is taking.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from ..analysis.analyse import case_findings
from ..analysis.case_data import CaseData, load_case
from ..chronology.export import safe_json
from ..config import Settings, settings
from ..perf import collector_paused
from ..pseudonymise import Change, Scrubber, ScrubResult, age_band, date_offset
from ..pseudonymise.denylists import professionals_from
from ..store import Store
from ..store.identity import READ_CASES, TAKE_EXTRACTS
from ..supervision.records import carried
from ..term_reader.patterns import alternation
from ..textsafety import FORMULA_START, neutralise_formula
from .extract_dates import shift, shift_dates_in_text
from .extract_errors import ExtractError
from .extract_files import default_mapping_path, write_extract
from .extract_gate import Gate, Group, check, gate
from .extract_key import extract_key
from .extract_labels import case_labels, people_labels

TABLES = ("entries", "plans", "grades", "findings")
# each table's columns, in order; the first is the row's id in the extract
COLUMNS: dict[str, tuple[str, ...]] = {
    "entries": ("id", "case", "children", "earliest", "latest", "precision", "recorded_date", "agency",
                "recorded_by", "how_known", "category", "description", "impact", "impact_note", "significance",
                "action", "outcome", "child_words", "pre_birth", "duplicate_of"),
    "plans": ("id", "case", "council", "child", "sex", "age_band_at_start", "type", "category", "start", "end",
              "risk_factors", "needs"),
    "grades": ("id", "case", "assessment", "child", "sex", "age_band", "assessed_on", "assessed_by", "sub_area",
               "grade", "evidence", "strengths", "entries"),
    "findings": ("id", "case", "child", "kind", "code", "start", "end", "counts", "entries", "message"),
}
LOG_COLUMNS = ("recognizer", "table", "row", "column", "start", "end", "operator", "note")
RESIDUAL_COLUMNS = ("table", "row", "column", "token", "start", "end", "context")
CONTEXT = 30  # characters either side of a residual token, so a person can judge it without the whole text
NOT_ON_A_TEAM = (
    "on a team's database an extract is not taken in your own process, which would read the named records: an "
    "administrator approves the cases for you (`neglect-kit approvals add`), you request the extract of the "
    "approval (`neglect-kit extract --approval N -o DIR`, or the extract app), and the extract service takes it "
    "and hands you the extract alone")


class Residual(NamedTuple):
    """A token left in the free text after scrubbing, for a person to check: a row of residual_risk.csv.

    A named tuple: an extract of a large case lists tens of thousands, each made in a third of the time a frozen
    dataclass takes, and written to the CSV as they are (bench_extract)."""

    table: str
    row: str
    column: str
    token: str
    start: int
    end: int
    context: str  # the extract's own text around the token (already scrubbed)


@dataclass
class Extract:
    """An extract held in memory: its tables, residual risk, log and keyed mapping. Nothing written yet."""

    tables: dict[str, list[dict[str, Any]]]
    residual: list[Residual]
    log: list[dict[str, Any]]
    mapping: dict[str, Any]
    gate: Gate
    groups: int
    taken_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def summary(self) -> str:
        """One sentence: what the extract holds and how much is left for a person to check."""
        held = ", ".join(f"{len(self.tables[t])} {t if len(self.tables[t]) != 1 else t[:-1]}" for t in TABLES)
        cases = len(self.mapping["cases"])
        return (f"Extract of {cases} case{'s' if cases != 1 else ''}: {held}; every group of the quasi-identifiers "
                f"holds at least {self.gate.k} child{'ren' if self.gate.k != 1 else ''} ({self.groups} groups). "
                f"{len(self.residual)} token"
                f"{'s' if len(self.residual) != 1 else ''} left in the free text for a person to check "
                "(residual_risk.csv).")

    def files(self) -> dict[str, bytes]:
        """The extract's files by name: the four tables as CSV, extract.json, residual_risk.csv and log.csv."""
        out = {f"{t}.csv": _csv(COLUMNS[t], _cells(COLUMNS[t], self.tables[t])) for t in TABLES}
        out["extract.json"] = safe_json({
            "about": "A pseudonymised extract made by neglect-kit. Pseudonymised data is still personal data: "
                     "keep it as the data-sharing agreement says. People are role labels, dates are moved by a "
                     "whole number of weeks per case (intervals and weekdays kept), dates of birth are age bands.",
            "taken_at": self.taken_at, "cases": list(self.mapping["cases"]),
            "k_anonymity": {"quasi_identifiers": ["age band", "sex", "council", "year", "plan type"],
                            "k": self.gate.k, "settings_k": self.gate.setting, "groups": self.groups,
                            "lowered_because": self.gate.reason or None},
            "residual_tokens": len(self.residual),
            **{t: self.tables[t] for t in TABLES}}, indent=None)
        out["residual_risk.csv"] = _csv(RESIDUAL_COLUMNS, self.residual)
        out["log.csv"] = _csv(LOG_COLUMNS, _cells(LOG_COLUMNS, self.log))
        return out

    def mapping_bytes(self) -> bytes:
        return safe_json({**self.mapping, "taken_at": self.taken_at})

    def zip_bytes(self) -> bytes:
        """The extract's files in one zip (the app's download); the mapping is never in it."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in self.files().items():
                z.writestr(name, data)
        return buf.getvalue()


def _csv(columns: tuple[str, ...], rows: Iterable[Iterable[Any]]) -> bytes:
    """CSV in UTF-8 with a BOM, each row its cells in the order of `columns`; a cell a spreadsheet would run as a
    formula made text."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(columns)
    # most cells are plain text, whole numbers or empty, which the writer takes as they are (None as an empty
    # cell, a number as str() gives it, as `_cell` would): no call each (tens of thousands of rows)
    out.writerows([v if ((t := type(v)) is str and v[:1] not in FORMULA_START) or t is int or v is None else _cell(v)
                   for v in row] for row in rows)
    return buf.getvalue().encode("utf-8-sig")


def _cells(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> Iterator[Iterable[Any]]:
    """Each row's cells in the order of `columns` (a column the row lacks is an empty cell)."""
    return (map(row.get, columns) for row in rows)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise_formula(value) if value[:1] in FORMULA_START else value
    if isinstance(value, (dict, list)):
        return neutralise_formula(json.dumps(value, ensure_ascii=False))
    return value.isoformat() if isinstance(value, date) else str(value)


def may_take(store: Store) -> None:
    """Whether the person using the kit may take an extract from this database.

    Raises:
        ExtractError: a team's database and not the extract service (see the module's docstring), or a person who
            may not read the cases.
    """
    person = store.person()
    if store.on_a_team:
        if person.may(TAKE_EXTRACTS):
            return
        raise ExtractError(NOT_ON_A_TEAM)
    if not person.may(READ_CASES):
        raise ExtractError(f"{person.why_not(READ_CASES)}, which an extract reads")


class _Case:
    """One case's part of the extract: its labels, its scrubber, its offset, and the rows it adds."""

    def __init__(self, run: _Run, data: CaseData, case_label: str):
        self.run, self.data, self.label = run, data, case_label
        self.offset = date_offset(run.key, data.case_id)
        self.people = {p["id"]: run.people[(data.case_id, p["id"])] for p in data.people}
        self.born = {p["id"]: p["date_of_birth"] or p["expected_date_of_birth"] for p in data.people}
        self.sex = {p["id"]: p.get("sex") or "" for p in data.people}
        places = [data.case["local_authority"]] if data.case.get("local_authority") else []
        logins = {s.record.created_by for s in data.entries}
        # the other cases' people too, as "[name]": a family in one case may be named in another's records (a
        # relative, a neighbour), and an extract of both would otherwise name them; and every case's
        # professionals, so a worker of two cases has one label in both (`_Run.professionals`)
        others = [{**p, "id": f"{d.case_id}\x1f{p['id']}"} for d in run.datas if d is not data for p in d.people]
        self.scrubber = Scrubber.for_case([*data.people, *others], run.professional_rows, places, self.people,
                                          logins)
        self._done: dict[str, tuple[str, list[dict[str, Any]], list[tuple[str, int, int, str]]]] = {}

    def warm(self, values: list[str]) -> None:
        """Scrub the case's texts together, in a few calls of the engine; `text` then finds them done."""
        self.scrubber.warm(values)

    def text(self, table: str, row: str, column: str, value: str) -> str:
        """A free-text cell scrubbed, its dates moved, each change logged and what is left listed.

        The log's and the report's positions are in the extract's text (after the dates moved)."""
        if not value:
            return value
        done = self._done.get(value)
        if done is None:  # a text met before (the same note in many rows) is worked out once
            done = self._done[value] = self._work(value)
        text, changes, left = done
        if changes:  # most cells change nothing and leave nothing: no generator made for them
            self.run.log.extend({"table": table, "row": row, "column": column, **c} for c in changes)
        if left:
            self.run.residual.extend(Residual(table, row, column, *t) for t in left)
        return text

    def _work(self, value: str) -> tuple[str, list[dict[str, Any]], list[tuple[str, int, int, str]]]:
        """`value` scrubbed and its dates moved: the text, its log's changes, and its residual tokens."""
        result = self.scrubber.text(value)
        text, moved = shift_dates_in_text(result.text, self.offset)

        def after(pos: int) -> int:  # a position of the scrubbed text, in the text with its dates moved
            return pos + sum(len(m.text) - (m.end - m.start) for m in moved if m.end <= pos)

        changes = tuple(Change(c.recognizer, after(c.start), after(c.end), c.operator) for c in result.changes) \
            if moved else result.changes  # most texts hold no date: their changes stand where they were
        log = [{"recognizer": c.recognizer, "start": c.start, "end": c.end, "operator": c.operator, "note": ""}
               for c in changes]
        log += [{"recognizer": "DATE_IN_TEXT", "start": m.new_start, "end": m.new_end, "operator": "shift",
                 "note": "by the case's offset"} for m in moved]
        # passed over: the moved dates, and the labels the extract itself wrote (a finding names "Child A")
        spans = [(m.new_start, m.new_end) for m in moved]
        kept = [m.span() for m in self.run.labels.finditer(text)]
        left = [(t.text, t.start, t.end, " ".join(text[max(0, t.start - CONTEXT):t.end + CONTEXT].split()))
                for t in self.scrubber.residual(ScrubResult(text, changes), kept)
                if not any(s <= t.start and t.end <= e for s, e in spans)]  # a moved date says nothing
        return text, log, left

    def day(self, value: date | None) -> date | None:
        return shift(value, self.offset)

    def age(self, person_id: str, on: date | None) -> str:
        return age_band(self.born.get(person_id), on) if on else "not known"


class _Run:
    """What the cases of one extract share: the key, the labels, the rows, the log and the residual risk."""

    def __init__(self, datas: list[CaseData], key: bytes):
        self.key = key
        self.datas = datas
        self.cases = case_labels([d.case_id for d in datas])
        self.people = people_labels([(d.case_id, d.people) for d in datas])
        names = sorted({*self.people.values(), *self.cases.values()})
        self.labels = re.compile(rf"(?<!\w){alternation(names)}(?!\w)")
        # each recorded-by text once, in the extract's order: the engine labels them "SW1", "HV1" ...
        self.professionals = list({(s.entry.agency, s.entry.source_detail): None for d in datas for s in d.entries
                                   if s.entry.source_detail.strip()} | {
            ("childrens_social_care", a.assessed_by): None for d in datas for a in d.assessments})
        councils = sorted({str(d.case.get("local_authority") or "") for d in datas} - {""})
        self.councils = {name: f"Council {i}" for i, name in enumerate(councils, 1)}
        self.tables: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        self.log: list[dict[str, Any]] = []
        self.residual: list[Residual] = []
        self.members: list[tuple[Group, str]] = []
        self.entry_ids: dict[str, str] = {}
        self.assessments = 0

    @property
    def professional_rows(self) -> list[dict[str, str]]:
        return [{"agency": agency, "recorded_by": text} for agency, text in self.professionals]

    def council(self, data: CaseData) -> str:
        return self.councils.get(str(data.case.get("local_authority") or ""), "council not recorded")


_ENTRY_TEXT = ("description", "impact_note", "action", "outcome", "child_words")


def _entries(run: _Run, case: _Case) -> None:
    ordered = sorted(case.data.entries, key=lambda s: (s.entry.event_date.earliest or date.max, s.record_id))
    for s in ordered:  # every id first: an entry may name as its duplicate one that comes later
        run.entry_ids[s.record_id] = f"E{len(run.entry_ids) + 1}"
    case.warm([v for s in ordered for v in (s.entry.source_detail, *(getattr(s.entry, c) for c in _ENTRY_TEXT))])
    for s in ordered:
        e, rid = s.entry, run.entry_ids[s.record_id]
        row: dict[str, Any] = {
            "id": rid, "case": case.label, "children": "; ".join(case.people.get(c, "") for c in e.children),
            "earliest": case.day(e.event_date.earliest), "latest": case.day(e.event_date.latest),
            "precision": e.event_date.precision, "recorded_date": case.day(e.recorded_date), "agency": e.agency,
            "recorded_by": case.text("entries", rid, "recorded_by", e.source_detail), "how_known": e.how_known or "",
            "category": e.category, "impact": e.impact, "significance": e.significance or "",
            "pre_birth": "; ".join(case.people.get(c, "") for c in e.pre_birth),
            "duplicate_of": run.entry_ids.get(e.duplicate_of or "", "")}
        for column in _ENTRY_TEXT:
            row[column] = case.text("entries", rid, column, getattr(e, column))
        run.tables["entries"].append(row)


def _plans(run: _Run, case: _Case) -> None:
    """The plans, and each child's groups of the quasi-identifiers (the gate's), before any text is scrubbed."""
    planned = set()
    for p in case.data.plans:
        pid = f"P{len(run.tables['plans']) + 1}"
        band, start = case.age(p["child_id"], p["start"]), case.day(p["start"])
        run.tables["plans"].append({
            "id": pid, "case": case.label, "council": run.council(case.data),
            "child": case.people.get(p["child_id"], ""), "sex": case.sex.get(p["child_id"], ""),
            "age_band_at_start": band, "type": p["type"], "category": p["category"], "start": start,
            "end": case.day(p["end"]), "risk_factors": "; ".join(p["risk_factors"] or []),
            "needs": list(p["needs"] or [])})
        run.members.append((Group(band, case.sex.get(p["child_id"], ""), run.council(case.data),
                                  start.year if start else None, p["type"]), case.people.get(p["child_id"], "")))
        planned.add(p["child_id"])
    for child in case.data.children:
        if child in planned:
            continue
        first = min((s.entry.event_date.earliest for s in case.data.entries
                     if child in s.entry.children and s.entry.event_date.earliest),
                    default=case.data.case.get("opened"))
        moved = case.day(first)
        run.members.append((Group(case.age(child, first), case.sex.get(child, ""), run.council(case.data),
                                  moved.year if moved else None, "no plan"), case.people[child]))


def _plan_needs(run: _Run, case: _Case) -> None:
    """Each plan's needs scrubbed (after the gate: a refused extract scrubs nothing)."""
    rows = [r for r in run.tables["plans"] if r["case"] == case.label]
    case.warm([n for r in rows for n in r["needs"]])
    for r in rows:
        r["needs"] = "; ".join(case.text("plans", r["id"], "needs", n) for n in r["needs"])


def _grades(run: _Run, case: _Case) -> None:
    assessments = sorted(case.data.assessments, key=lambda a: (a.assessed_on, a.child))
    case.warm([v for a in assessments for v in (a.assessed_by, *(x for g in a.grades for x in (g.evidence,
                                                                                              g.strengths)))])
    for a in assessments:
        run.assessments += 1
        aid = f"A{run.assessments}"
        for g in a.grades:
            gid = f"G{len(run.tables['grades']) + 1}"
            run.tables["grades"].append({
                "id": gid, "case": case.label, "assessment": aid, "child": case.people.get(a.child, ""),
                "sex": case.sex.get(a.child, ""), "age_band": case.age(a.child, a.assessed_on),
                "assessed_on": case.day(a.assessed_on),
                "assessed_by": case.text("grades", gid, "assessed_by", a.assessed_by), "sub_area": g.sub_area,
                "grade": g.grade, "evidence": case.text("grades", gid, "evidence", g.evidence),
                "strengths": case.text("grades", gid, "strengths", g.strengths),
                "entries": "; ".join(run.entry_ids[e] for e in g.entries if e in run.entry_ids)})


def _findings(run: _Run, case: _Case) -> None:
    labels = {c: case.people[c] for c in case.data.children}
    found = [f for result in case_findings(case.data, labels=labels) for f in result.findings]
    case.warm([f.message for f in found])
    for f in found:
        fid = f"F{len(run.tables['findings']) + 1}"
        run.tables["findings"].append({
            "id": fid, "case": case.label, "child": case.people.get(f.child or "", ""), "kind": f.kind,
            "code": f.code, "start": case.day(f.start), "end": case.day(f.end), "counts": dict(f.counts),
            "entries": "; ".join(run.entry_ids[e] for e in f.entry_ids if e in run.entry_ids),
            "message": case.text("findings", fid, "message", f.message)})


# every column a rule replaces whole, for the log (never a value: what was done to the column)
_WHOLE_COLUMNS = (
    ("role label", "entries", "children", "person id -> role label"),
    ("role label", "entries", "pre_birth", "person id -> role label"),
    ("date shift", "entries", "earliest", "moved by the case's offset"),
    ("date shift", "entries", "latest", "moved by the case's offset"),
    ("date shift", "entries", "recorded_date", "moved by the case's offset"),
    ("left out", "entries", "event_date", "the date as written left out (it holds the real date)"),
    ("left out", "entries", "created_by", "the worker's login left out"),
    ("record id", "entries", "id", "record id -> extract row id (E1...)"),
    ("role label", "plans", "child", "person id -> role label"),
    ("age band", "plans", "age_band_at_start", "date of birth -> age band at the plan's start"),
    ("date shift", "plans", "start", "moved by the case's offset"),
    ("date shift", "plans", "end", "moved by the case's offset"),
    ("role label", "grades", "child", "person id -> role label"),
    ("age band", "grades", "age_band", "date of birth -> age band on the assessment's day"),
    ("date shift", "grades", "assessed_on", "moved by the case's offset"),
    ("role label", "findings", "child", "person id -> role label"),
    ("date shift", "findings", "start", "moved by the case's offset"),
    ("date shift", "findings", "end", "moved by the case's offset"),
    ("council label", "plans", "council", "council -> Council 1... (named in the mapping only: its town is in "
                                          "the families' addresses)"),
)


def take(store: Store, case_ids: list[str], *, min_k: int | None = None, reason: str = "",
         key: bytes | None = None, today: date | None = None, cfg: Settings | None = None) -> Extract:
    """Read, pseudonymise and check an extract of the named cases; nothing is written (see `write`).

    Args:
        store: the database (one person's own: see `may_take`).
        case_ids: the cases, each once, in the order their labels ("Case 1" ...) are given.
        min_k: a threshold other than the settings' `research.min_k`; a lower one needs `reason`.
        reason: why the threshold is lowered (the log keeps it).
        key: the secret key of the date offsets (default `extract_key.extract_key()`).
        today: the day the findings are measured to (default today).
        cfg: the settings (default the kit's).

    Raises:
        ExtractError: a team's database, no case or a case named twice, a threshold lowered without a reason,
            or a group of the quasi-identifiers smaller than the threshold (the message names each).
        NotFound: a case the database does not hold.
    """
    cfg = cfg or settings()
    may_take(store)
    if not case_ids:
        raise ExtractError("name at least one case (--case ID)")
    if twice := sorted({c for c in case_ids if case_ids.count(c) > 1}):
        raise ExtractError(f"case '{twice[0]}' is named twice; name each case once")
    held = gate(cfg.research.min_k, min_k, reason)
    # rows, cells, scrubbed texts and log lines by the hundred thousand, with no reference cycles: the collector
    # held while they are made (6% of a 10,000-entry extract, bench_extract, measured side by side)
    with collector_paused():
        datas = [load_case(store, c, cfg, today, actions=carried(store, c)) for c in case_ids]
        run = _Run(datas, key if key is not None else extract_key())
        cases = [_Case(run, d, run.cases[d.case_id]) for d in datas]
        for case in cases:
            _plans(run, case)
        sizes = check(run.members, held)  # before any text is scrubbed: a refused extract costs little
        for case in cases:
            _entries(run, case)
            _plan_needs(run, case)
            _grades(run, case)
            _findings(run, case)
    log = [{"recognizer": r, "table": t, "row": "*", "column": c, "start": "", "end": "", "operator": o, "note": ""}
           for r, t, c, o in _WHOLE_COLUMNS]
    if held.lowered:
        why = held.reason
        for case in cases:  # the reason is typed text: a name in it is scrubbed like any other
            why = case.scrubber.text(why).text
        log.insert(0, {"recognizer": "k-anonymity gate", "table": "*", "row": "*", "column": "*", "start": "",
                       "end": "", "operator": f"min_k lowered from {held.setting} to {held.k}", "note": why})
    mapping = {
        "warning": "The keyed mapping of a neglect-kit extract: it undoes the extract. Keep it apart from the "
                   "extract, readable only by those allowed to re-identify.",
        "taken_by": store.user,
        "cases": {case.label: {"case_id": case.data.case_id, "council": case.data.case.get("local_authority") or "",
                               "date_offset_days": case.offset.days,
                               "people": {label: pid for pid, label in case.people.items()}} for case in cases},
        "councils": {label: name for name, label in run.councils.items()},
        "professionals": {p.label: sorted({*p.names, *p.numbers}) for p in professionals_from(run.professionals)},
        "entries": {eid: rid for rid, eid in run.entry_ids.items()},
    }
    return Extract(run.tables, run.residual, log + run.log, mapping, held, len(sizes))


def write(extract: Extract, out_dir: str | Path, mapping_path: str | Path | None = None) -> Path:
    """Write the extract's files into `out_dir` (new or empty) and its mapping apart; returns the mapping's path.

    Raises:
        ExtractError: the folder holds files, or the mapping would be inside it or replace a file.
    """
    out = Path(out_dir)
    mapping = Path(mapping_path) if mapping_path else default_mapping_path(out)
    write_extract(extract.files(), out, extract.mapping_bytes(), mapping)
    return mapping


def offsets_of(extract: Extract) -> dict[str, timedelta]:
    """Each case label's date offset (for tests and the mapping's reader)."""
    return {label: timedelta(days=c["date_offset_days"]) for label, c in extract.mapping["cases"].items()}

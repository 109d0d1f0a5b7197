"""Case folders: a case, its people, plans and agency returns as plain files (see docs/case-folders.md).

```
<case>/case.toml          [case], [[people]], [[plans]], [[returns]]
<case>/returns/...        the agency returns (CSV or XLSX)
<case>/assessments.toml   optional kit records: also screenings.toml, days.toml, voice.toml
<case>/supervision.toml   optional: [[actions]], [[sessions]], [[escalations]] of reflective supervision
```
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .assessment.day import DAY_KIND, DayInTheLife
from .assessment.model import ASSESSMENT_KIND, NeglectAssessment
from .assessment.screening import SCREENING_KIND, Screening, as_chronology_entry, guidance
from .assessment.voice import VOICE_KIND, VoiceRecord
from .chronology.intake import ImportReport, ReturnFile, check_returns, save_checked
from .chronology.model import ENTRY_KIND, Child, EntryContext
from .config import Settings, settings
from .store import NewRecord, NotFound, Store
from .supervision.actions import ACTION_KIND, Action
from .supervision.escalation import ESCALATION_KIND, Escalation, Party, escalate, open_escalation, resolve
from .supervision.records import save_session
from .supervision.session import SupervisionSession
from .supervision.signoff import amend, sign
from .vocab import CP_CATEGORIES, RELATIONSHIPS
from .wording import count_words

_ID = r"^[a-z0-9][a-z0-9_-]{0,63}$"


M = TypeVar("M", bound=BaseModel)


class CaseFolderError(ValueError):
    """A case folder that cannot be loaded; the message names the file and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CaseInfo(_Strict):
    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    local_authority: str = ""
    opened: date | None = None
    summary: str = ""


class PersonInfo(_Strict):
    id: str = Field(pattern=_ID)
    kind: str = Field(pattern="^(child|adult)$")
    name: str = Field(min_length=1)
    known_as: list[str] = Field(default_factory=list)
    sex: str = ""
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    relationships: dict[str, str] = Field(default_factory=dict)
    address: str = ""

    @field_validator("relationships")
    @classmethod
    def _known_relationships(cls, value: dict[str, str]) -> dict[str, str]:
        for child, rel in value.items():
            if RELATIONSHIPS.resolve(rel) is None:
                raise ValueError(f"relationship '{rel}' to {child} is not known "
                                 f"(one of: {', '.join(RELATIONSHIPS.codes())})")
        return {child: RELATIONSHIPS.resolve(rel) or rel for child, rel in value.items()}

    @model_validator(mode="after")
    def _child_has_birth(self) -> PersonInfo:
        if self.kind == "child" and not (self.date_of_birth or self.expected_date_of_birth):
            raise ValueError(f"child '{self.id}' needs a date_of_birth or expected_date_of_birth")
        if self.date_of_birth and self.date_of_birth > date.today():
            raise ValueError(f"date_of_birth of '{self.id}' is in the future: "
                             "use expected_date_of_birth for an unborn child")
        return self


class PlanInfo(_Strict):
    type: str
    children: list[str] = Field(min_length=1)
    category: str = ""
    start: date
    end: date | None = None
    risk_factors: list[str] = Field(default_factory=list)
    needs: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> PlanInfo:
        if self.end and self.end < self.start:
            raise ValueError(f"plan ends ({self.end}) before it starts ({self.start})")
        return self


class ReturnInfo(_Strict):
    file: str
    agency: str | None = None
    mapping: dict[str, str] | None = None
    sheet: str | None = None


class CaseFolder(_Strict):
    case: CaseInfo
    people: list[PersonInfo] = Field(min_length=1)
    plans: list[PlanInfo] = Field(default_factory=list)
    returns: list[ReturnInfo] = Field(default_factory=list)


def read_case_folder(path: str | Path, cfg: Settings | None = None) -> tuple[CaseFolder, Path]:
    """Read and check `case.toml` in a folder (or the file itself).

    Raises:
        CaseFolderError: missing, not TOML, or a key or value that does not fit.
    """
    cfg = cfg or settings()
    p = Path(path)
    toml_path = p / "case.toml" if p.is_dir() else p
    if not toml_path.exists():
        raise CaseFolderError(f"{toml_path}: no such file (a case folder holds a case.toml)")
    folder = _validated(CaseFolder, _read_toml(toml_path), toml_path)
    _check_references(folder, toml_path, cfg)
    return folder, toml_path.parent


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CaseFolderError(f"{path}: not readable TOML ({exc})") from None


def _validated(model: type[M], data: Any, path: Path, label: str = "") -> M:
    """`data` as `model`, or its first problem named by file and key (`label` before the key)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(filter(None, [label, *(str(x) for x in first["loc"])]))
        raise CaseFolderError(f"{path}: {key}: {first['msg']}") from None


def _check_references(folder: CaseFolder, toml_path: Path, cfg: Settings) -> None:
    children = {p.id for p in folder.people if p.kind == "child"}
    ids = [p.id for p in folder.people]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise CaseFolderError(f"{toml_path}: people: id '{sorted(dupes)[0]}' is used twice")
    for person in folder.people:
        for child in person.relationships:
            if child not in children:
                raise CaseFolderError(f"{toml_path}: people '{person.id}': relationship to "
                                      f"'{child}', who is not a child of the case")
    for n, plan in enumerate(folder.plans, 1):
        where = f"{toml_path}: plans[{n}]"
        plan_type = cfg.plan_types.resolve(plan.type)
        if plan_type is None:
            raise CaseFolderError(f"{where}: type '{plan.type}' is not known "
                                  f"(one of: {', '.join(cfg.plan_types.codes())})")
        if plan_type == "child_protection" and CP_CATEGORIES.resolve(plan.category) is None:
            raise CaseFolderError(f"{where}: a child protection plan needs a category "
                                  f"(one of: {', '.join(CP_CATEGORIES.codes())})")
        for child in plan.children:
            if child not in children:
                raise CaseFolderError(f"{where}: '{child}' is not a child of the case")
        for factor in plan.risk_factors:
            if cfg.risk_factors.resolve(factor) is None:
                raise CaseFolderError(f"{where}: risk factor '{factor}' is not known "
                                      f"(one of: {', '.join(cfg.risk_factors.codes())})")
    for ret in folder.returns:
        if not (toml_path.parent / ret.file).is_file():
            raise CaseFolderError(f"{toml_path}: returns: file '{ret.file}' is not in the folder")


# the optional files of kit records a case folder may hold: (file and table, model, record kind, its date)
_RECORD_FILES: tuple[tuple[str, type[BaseModel], str, str], ...] = (
    ("assessments", NeglectAssessment, ASSESSMENT_KIND, "assessed_on"),
    ("screenings", Screening, SCREENING_KIND, "screened_on"),
    ("days", DayInTheLife, DAY_KIND, "recorded_on"),
    ("voice", VoiceRecord, VOICE_KIND, "on"),
)


def read_records(base: Path, folder: CaseFolder) -> list[tuple[str, BaseModel]]:
    """The folder's assessments, screenings, days in the life and the children's voice, if it has them.

    Each is checked by its model and against the case's children.

    Raises:
        CaseFolderError: not TOML, a record that breaks a rule, for a child the case does not have, or
            dated before the child's birth; the message names the file and which record.
    """
    births = {p.id: p.date_of_birth or p.expected_date_of_birth for p in folder.people if p.kind == "child"}
    out: list[tuple[str, BaseModel]] = []
    for table, model, kind, when in _RECORD_FILES:
        path = base / f"{table}.toml"
        if not path.exists():
            continue
        for n, item in enumerate(_read_toml(path).get(table, []), 1):
            record = _validated(model, item, path, f"{table}[{n}]")
            child = record.child
            if child not in births:
                raise CaseFolderError(f"{path}: {table}[{n}]: '{child}' is not a child of the case")
            on, birth = getattr(record, when), births[child]
            if birth and on < birth and kind != SCREENING_KIND:  # a midwife may screen before birth
                raise CaseFolderError(f"{path}: {table}[{n}]: dated {on} before the child's birth ({birth})")
            out.append((kind, record))
    return out


def _with_chronology(records: list[tuple[str, BaseModel]], folder: CaseFolder) -> list[tuple[str, dict[str, Any]]]:
    """Bodies to store; a screening also becomes an entry of the chronology, as the app saves it."""
    births = {p.id: p.date_of_birth or p.expected_date_of_birth for p in folder.people if p.kind == "child"}
    out = []
    for kind, record in records:
        out.append((kind, record.model_dump(mode="json")))
        if isinstance(record, Screening):
            out.append((ENTRY_KIND, as_chronology_entry(record, guidance(record), births[record.child])))
    return out


# supervision.toml ------------------------------------------------------------------------------------------

SUPERVISION_FILE = "supervision.toml"
# Stored as the record id as given; 30 characters at most, so a session's wellbeing record
# (`<id>-wellbeing`, see supervision.records) still fits the store's 40.
_RECORD_ID = r"^[a-z0-9][a-z0-9_-]{0,29}$"
_LOADED = "loaded from the case folder"


class _ActionIn(Action):
    """An `[[actions]]` table: an action with its stable record id (`case_id` defaults to the folder's)."""

    id: str = Field(pattern=_RECORD_ID)


class _AmendmentIn(_Strict):
    """An amendment as written in the file; `before` is the signed record's own value, filled in by `amend`."""

    author: str
    at: datetime
    reason: str
    field: str
    after: Any


class _SessionIn(SupervisionSession):
    """A `[[sessions]]` table: a session as held, then signed and amended in the order given."""

    id: str = Field(pattern=_RECORD_ID)
    amendments: list[_AmendmentIn] = Field(default_factory=list)  # type: ignore[assignment]


class _StepIn(_Strict):
    on: date
    note: str


class _EscalationIn(_Strict):
    """An `[[escalations]]` table: how it was raised, each move up a stage, and how it ended (if it has)."""

    id: str = Field(pattern=_RECORD_ID)
    case_id: str = ""
    children: list[str] = Field(min_length=1)
    raised_by: Party
    raised_with: Party
    about: str
    child_safe_meanwhile: str
    raised_on: date
    note: str = ""
    escalated: list[_StepIn] = Field(default_factory=list)
    resolved_on: date | None = None
    resolution: str = ""
    learning: str = ""


@dataclass(frozen=True)
class SupervisionRecords:
    """The records of a folder's `supervision.toml`, each under its record id, ready to store."""

    actions: dict[str, Action] = field(default_factory=dict)
    sessions: dict[str, SupervisionSession] = field(default_factory=dict)
    escalations: dict[str, Escalation] = field(default_factory=dict)

    def record_ids(self) -> list[str]:
        """Every record id the records will take in the store, wellbeing records included."""
        wellbeing = [f"{rid}-wellbeing" for rid, s in self.sessions.items() if s.wellbeing]
        return [*self.actions, *self.sessions, *wellbeing, *self.escalations]


def _by_the_rules(path: Path, where: str, step: Callable[..., M], *args: Any, **kwargs: Any) -> M:
    """`step(*args, **kwargs)`, or its refusal as a CaseFolderError naming the file and `where`."""
    try:
        return step(*args, **kwargs)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join([where, *(str(x) for x in first["loc"])])
        raise CaseFolderError(f"{path}: {key}: {first['msg']}") from None
    except (ValueError, TypeError) as exc:  # TypeError: a time with a zone compared with one without
        raise CaseFolderError(f"{path}: {where}: {exc}") from None


def read_supervision(base: Path, folder: CaseFolder, cfg: Settings | None = None) -> SupervisionRecords:
    """The folder's `supervision.toml`, if it has one: actions, sessions and escalations, checked.

    Each record is checked by its model and built the way the kit builds it: a session is signed
    with `signoff.sign` (so it must be ready to sign) and amended with `signoff.amend`; an
    escalation is opened with `open_escalation` and moved on with `escalate` (stage names and due
    dates from the settings' `escalation_stages` and `bank_holidays`), and `resolve`d if it was.
    Every record must be about the folder's case and its children; the actions a session reviews
    or agrees must be in the file; a session is not dated before the case opened.

    Raises:
        CaseFolderError: not TOML, or a record that breaks a rule; the message names the file and
            the record (`supervision.toml: sessions[2]: ...`).
    """
    cfg = cfg or settings()
    path = base / SUPERVISION_FILE
    if not path.exists():
        return SupervisionRecords()
    data = _read_toml(path)
    unknown = sorted(set(data) - {"actions", "sessions", "escalations"})
    if unknown:
        raise CaseFolderError(f"{path}: {unknown[0]}: not a table of supervision.toml "
                              "(it holds [[actions]], [[sessions]] and [[escalations]])")
    case, children = folder.case.id, {p.id for p in folder.people if p.kind == "child"}
    out = SupervisionRecords()
    seen: dict[str, str] = {}

    def take(rid: str, where: str) -> None:
        if rid in seen:
            raise CaseFolderError(f"{path}: {where}: id '{rid}' is used twice (also by {seen[rid]})")
        seen[rid] = where

    for n, item in enumerate(data.get("actions", []), 1):
        where = f"actions[{n}]"
        if isinstance(item, dict):
            item = {"case_id": case} | item
        given = _validated(_ActionIn, item, path, where)
        take(given.id, where)
        if given.case_id != case:
            raise CaseFolderError(f"{path}: {where}: case_id '{given.case_id}' is not this folder's case '{case}'")
        if given.child is not None and given.child not in children:
            raise CaseFolderError(f"{path}: {where}: '{given.child}' is not a child of the case")
        out.actions[given.id] = Action.model_validate(given.model_dump(exclude={"id"}))
    for n, item in enumerate(data.get("sessions", []), 1):
        where = f"sessions[{n}]"
        given = _validated(_SessionIn, item, path, where)
        take(given.id, where)
        out.sessions[given.id] = _session(given, path, where, folder, out.actions)
    _check_reviews(out, path)
    for n, item in enumerate(data.get("escalations", []), 1):
        where = f"escalations[{n}]"
        given = _validated(_EscalationIn, item, path, where)
        take(given.id, where)
        out.escalations[given.id] = _escalation(given, path, where, case, children, cfg)
    return out


def _session(given: _SessionIn, path: Path, where: str, folder: CaseFolder,
             actions: dict[str, Action]) -> SupervisionSession:
    case, opened = folder.case.id, folder.case.opened
    if given.cases != [case]:
        raise CaseFolderError(f"{path}: {where}: the session is about {', '.join(given.cases)}, not only this "
                              f"folder's case '{case}': a case folder holds its own case's sessions")
    if opened and given.held_on < opened:
        raise CaseFolderError(f"{path}: {where}: held on {given.held_on}, before the case opened ({opened})")
    known = ", ".join(actions) or "none"
    for table, ids in (("actions_reviewed", [r.action_id for r in given.actions_reviewed]),
                       ("new_actions", given.new_actions)):
        for aid in ids:
            if aid not in actions:
                raise CaseFolderError(f"{path}: {where}: {table} names action '{aid}', which is not in "
                                      f"[[actions]] (ids: {known})")
    for aid in given.new_actions:
        agreed = actions[aid].agreed_on
        if agreed and agreed != given.held_on:
            raise CaseFolderError(f"{path}: {where}: new action '{aid}' was agreed on {agreed}, not on the day of "
                                  f"this session ({given.held_on})")
    for review in given.actions_reviewed:
        agreed = actions[review.action_id].agreed_on
        if agreed and agreed >= given.held_on:
            raise CaseFolderError(f"{path}: {where}: action '{review.action_id}' is reviewed on {given.held_on}, "
                                  f"but it was agreed on {agreed}")
    body = given.model_dump(exclude={"id", "signatures", "amendments"})
    body["actions_reviewed"] = [r | {"what": r["what"] or actions[r["action_id"]].what}
                                for r in body["actions_reviewed"]]
    session = _by_the_rules(path, where, SupervisionSession.model_validate, body)
    for k, s in enumerate(given.signatures, 1):
        session = _by_the_rules(path, f"{where}.signatures[{k}]", sign, session, s.who, s.role, s.signed_at)
    for k, a in enumerate(given.amendments, 1):
        session = _by_the_rules(path, f"{where}.amendments[{k}]", amend, session, a.author, a.at, a.field,
                                a.after, a.reason)
    return session


def _check_reviews(records: SupervisionRecords, path: Path) -> None:
    """Each action's status and carried-over count agree with what the sessions recorded of it."""
    carried: dict[str, int] = {}
    closed: dict[str, tuple[str, str]] = {}
    order = sorted(enumerate(records.sessions.values(), 1), key=lambda ns: ns[1].held_on)
    for n, session in order:
        for review in session.actions_reviewed:
            if review.outcome == "carried_over":
                carried[review.action_id] = carried.get(review.action_id, 0) + 1
            if review.outcome in ("done", "cancelled"):
                closed[review.action_id] = (review.outcome, f"sessions[{n}]")
    for n, (rid, action) in enumerate(records.actions.items(), 1):
        if carried.get(rid, 0) > action.carried_over:
            raise CaseFolderError(f"{path}: actions[{n}]: carried_over is {action.carried_over}, but the sessions "
                                  f"carried '{rid}' over {count_words(carried[rid], 'time')}")
        if rid in closed and closed[rid][0] != action.status:
            outcome, where = closed[rid]
            raise CaseFolderError(f"{path}: actions[{n}]: status is {action.status}, but {where} recorded "
                                  f"'{rid}' as {outcome}")


def _escalation(given: _EscalationIn, path: Path, where: str, case: str, children: set[str],
                cfg: Settings) -> Escalation:
    if given.case_id not in ("", case):
        raise CaseFolderError(f"{path}: {where}: case_id '{given.case_id}' is not this folder's case '{case}'")
    for child in given.children:
        if child not in children:
            raise CaseFolderError(f"{path}: {where}: '{child}' is not a child of the case")
    stages, nation = cfg.escalation_stages, cfg.bank_holidays
    esc = _by_the_rules(path, where, open_escalation, case_id=case, children=given.children,
                        raised_by=given.raised_by, raised_with=given.raised_with, about=given.about,
                        child_safe_meanwhile=given.child_safe_meanwhile, raised_on=given.raised_on,
                        note=given.note, stages=stages, nation=nation)
    for k, step in enumerate(given.escalated, 1):
        esc = _by_the_rules(path, f"{where}.escalated[{k}]", escalate, esc, step.on, step.note, stages, nation)
    if given.resolved_on is not None:
        esc = _by_the_rules(path, where, resolve, esc, given.resolved_on, given.resolution, given.learning)
    elif given.resolution or given.learning:
        raise CaseFolderError(f"{path}: {where}: resolved_on is blank but a resolution or learning is written: "
                              "give the date it was resolved")
    return esc


def _save_supervision(store: Store, case_id: str, records: SupervisionRecords, path: Path, conn: Any) -> None:
    """Write the records inside the load's transaction `conn`, each under its id from the file.

    A session goes through `supervision.records.save_session`, which keeps its wellbeing notes apart.
    """
    taken = [rid for rid in records.record_ids() if _in_store(store, rid)]
    if taken:
        raise CaseFolderError(f"{path}: record id '{taken[0]}' is already in the store (ids are "
                              "unique across every case): give the record another id")
    store.create_many(ACTION_KIND, case_id, [NewRecord(a.model_dump(mode="json"), record_id=rid, reason=_LOADED)
                                             for rid, a in records.actions.items()], conn=conn)
    for rid, session in records.sessions.items():
        save_session(store, session, None, _LOADED, record_id=rid, conn=conn)
    store.create_many(ESCALATION_KIND, case_id, [NewRecord(e.model_dump(mode="json"), record_id=rid, reason=_LOADED)
                                                 for rid, e in records.escalations.items()], conn=conn)


def _in_store(store: Store, record_id: str) -> bool:
    try:
        store.get(record_id)
    except NotFound:
        return False
    return True


def folder_context(folder: CaseFolder, cfg: Settings) -> EntryContext:
    """The case's children as entries are checked against them, before the case is saved."""
    children = tuple(Child(p.id, p.name, p.date_of_birth, p.expected_date_of_birth, tuple(p.known_as))
                     for p in folder.people if p.kind == "child")
    return EntryContext(folder.case.id, children, cfg)


def load_case_folder(store: Store, path: str | Path, *, valid_only: bool = False,
                     cfg: Settings | None = None) -> ImportReport:
    """Create a case from a folder, with its people, plans, returns and records, in one transaction.

    The returns follow the import rule: when any row has an error nothing at all is written
    (not even the case), unless `valid_only`. A case id already in the store is refused.

    Returns:
        The import report (`written` is 0 and `blocked` true when nothing was saved).
    """
    cfg = cfg or settings()
    folder, base = read_case_folder(path, cfg)
    c = folder.case
    ctx = folder_context(folder, cfg)
    files = [ReturnFile.from_path(base / r.file, agency=r.agency, mapping=r.mapping, sheet=r.sheet)
             for r in folder.returns]
    records = _with_chronology(read_records(base, folder), folder)
    supervision = read_supervision(base, folder, cfg)
    report = check_returns(ctx, files, valid_only=valid_only)
    if report.blocked:
        return report
    with store.transaction() as conn:
        store.create_case(c.id, c.title, local_authority=c.local_authority, opened=c.opened,
                          summary=c.summary, conn=conn)
        for p in folder.people:
            store.add_person(c.id, p.id, kind=p.kind, name=p.name, known_as=p.known_as, sex=p.sex,
                             date_of_birth=p.date_of_birth,
                             expected_date_of_birth=p.expected_date_of_birth,
                             relationships=p.relationships, address=p.address, conn=conn)
        for plan in folder.plans:
            for child in plan.children:
                store.add_plan(c.id, child, type=cfg.plan_types.resolve(plan.type) or plan.type,
                               start=plan.start, end=plan.end,
                               category=CP_CATEGORIES.resolve(plan.category) or "",
                               risk_factors=[cfg.risk_factors.resolve(f) or f for f in plan.risk_factors],
                               needs=plan.needs, conn=conn)
        save_checked(store, report, conn)
        for kind, body in records:
            store.create(kind, c.id, body, reason=_LOADED, conn=conn)
        _save_supervision(store, c.id, supervision, base / SUPERVISION_FILE, conn)
    return report

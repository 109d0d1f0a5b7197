"""Case folders: a case, its people, plans and agency returns as plain files (see docs/case-folders.md).

```
<case>/case.toml          [case], [[people]], [[plans]], [[returns]]
<case>/returns/...        the agency returns (CSV or XLSX)
<case>/assessments.toml   optional kit records: also screenings.toml, days.toml, voice.toml
<case>/supervision.toml   optional: [[actions]], [[sessions]], [[escalations]] of reflective supervision
```
"""

from __future__ import annotations

from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from pydantic import BaseModel, Field, field_validator, model_validator

from ..assessment.day import DAY_KIND, DayInTheLife
from ..assessment.model import ASSESSMENT_KIND, NeglectAssessment
from ..assessment.screening import SCREENING_KIND, Screening, as_chronology_entry, guidance, plan_on
from ..assessment.voice import VOICE_KIND, VoiceRecord
from ..chronology.intake import ImportReport, ReturnFile, check_returns, save_checked
from ..chronology.model import ENTRY_KIND, Child, EntryContext
from ..config import Settings, settings
from ..store import Store
from ..textfields import Name, Text
from ..vocab import CP_CATEGORIES, RELATIONSHIPS
from .files import LOADED, CaseFolderError, Strict, read_toml, validated
from .supervision_file import SUPERVISION_FILE, read_supervision, save_supervision

_ID = r"^[a-z0-9][a-z0-9_-]{0,63}$"


class CaseInfo(Strict):
    id: str = Field(pattern=_ID)
    title: Name = Field(min_length=1)
    local_authority: Name = ""
    opened: date | None = None
    summary: Text = ""


class PersonInfo(Strict):
    id: str = Field(pattern=_ID)
    kind: str = Field(pattern="^(child|adult)$")
    name: Name = Field(min_length=1)
    known_as: list[Name] = Field(default_factory=list)
    sex: str = Field(default="", max_length=32)
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    relationships: dict[str, str] = Field(default_factory=dict)
    address: Text = ""

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


class PlanInfo(Strict):
    type: Name
    children: list[str] = Field(min_length=1)
    category: Name = ""
    start: date
    end: date | None = None
    risk_factors: list[Name] = Field(default_factory=list)
    needs: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> PlanInfo:
        if self.end and self.end < self.start:
            raise ValueError(f"plan ends ({self.end}) before it starts ({self.start})")
        return self


class ReturnInfo(Strict):
    file: str = Field(min_length=1)
    agency: str | None = None
    mapping: dict[str, str] | None = None
    sheet: str | None = None
    children: list[str] = Field(default_factory=list)  # for a return with no child column
    category: str | None = None  # for a return of one kind (an attendance log)

    @field_validator("file")
    @classmethod
    def _inside_the_folder(cls, value: str) -> str:
        # a case folder is sent between people: a file named in it is read from the folder only
        for path in (PurePosixPath(value), PureWindowsPath(value)):
            if path.is_absolute() or path.anchor or ".." in path.parts:
                raise ValueError(f"'{value}' is outside the case folder: name the file from the folder, "
                                 "e.g. returns/school.csv")
        return value


class CaseFolder(Strict):
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
    folder = validated(CaseFolder, read_toml(toml_path), toml_path)
    _check_references(folder, toml_path, cfg)
    return folder, toml_path.parent


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
    base = toml_path.parent.resolve()
    for ret in folder.returns:
        if not (base / ret.file).resolve().is_relative_to(base):  # a link that leads out of the folder
            raise CaseFolderError(f"{toml_path}: returns: file '{ret.file}' leads outside the case folder")
        if not (toml_path.parent / ret.file).is_file():
            raise CaseFolderError(f"{toml_path}: returns: file '{ret.file}' is not in the folder")
        for child in ret.children:
            if child not in children:
                raise CaseFolderError(f"{toml_path}: returns '{ret.file}': children: '{child}' is not a child "
                                      f"of the case (children: {', '.join(sorted(children))})")


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
        for n, item in enumerate(read_toml(path).get(table, []), 1):
            record = validated(model, item, path, f"{table}[{n}]")
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
    cfg = settings()
    plans = [{"child_id": c, "type": cfg.plan_types.resolve(p.type) or p.type, "start": p.start, "end": p.end,
              "category": CP_CATEGORIES.resolve(p.category) or ""} for p in folder.plans for c in p.children]
    out = []
    for kind, record in records:
        out.append((kind, record.model_dump(mode="json")))
        if isinstance(record, Screening):  # guided knowing the plan the child was on that day
            advice = guidance(record, plan_on(plans, record.child, record.screened_on))
            out.append((ENTRY_KIND, as_chronology_entry(record, advice, births[record.child])))
    return out


# supervision.toml ------------------------------------------------------------------------------------------

def folder_context(folder: CaseFolder, cfg: Settings) -> EntryContext:
    """The case's children as entries are checked against them, before the case is saved."""
    children = tuple(Child(p.id, p.name, p.date_of_birth, p.expected_date_of_birth, tuple(p.known_as))
                     for p in folder.people if p.kind == "child")
    return EntryContext(folder.case.id, children, cfg)


def load_case_folder(store: Store, path: str | Path, *, valid_only: bool = False,
                     cfg: Settings | None = None) -> ImportReport:
    """Create a case from a folder, with its people, plans, returns and records, in one transaction.

    The returns follow the import rule: when any row has an error nothing at all is written
    (not even the case), unless `valid_only`; and when no row is valid, nothing is written even
    then (never an empty case). A case id already in the store is refused.

    Returns:
        The import report (`written` is 0 and `blocked` true when nothing was saved).
    """
    cfg = cfg or settings()
    folder, base = read_case_folder(path, cfg)
    c = folder.case
    ctx = folder_context(folder, cfg)
    files = [ReturnFile.from_path(base / r.file, agency=r.agency, mapping=r.mapping, sheet=r.sheet,
                                  children=tuple(r.children), category=r.category) for r in folder.returns]
    records = _with_chronology(read_records(base, folder), folder)
    supervision = read_supervision(base, folder, cfg)
    report = check_returns(ctx, files, valid_only=valid_only)
    report.creates_case = True
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
            store.create(kind, c.id, body, reason=LOADED, conn=conn)
        save_supervision(store, c.id, supervision, base / SUPERVISION_FILE, conn)
    return report

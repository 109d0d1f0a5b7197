"""A case folder's `supervision.toml`: actions, signed sessions and escalations, checked and stored.

Read and checked with the rest of the folder before anything is written (`casefolder.py`), then
stored in the same transaction. Each record keeps the id the file gives it, so sessions can name
the actions they reviewed and agreed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field

from ..config import Settings, settings
from ..store import NewRecord, NotFound, Store
from ..supervision.actions import ACTION_KIND, Action
from ..supervision.escalation import ESCALATION_KIND, Escalation, Party, escalate, open_escalation, resolve
from ..supervision.records import save_session, wellbeing_id
from ..supervision.session import SupervisionSession
from ..supervision.signoff import amend, sign
from ..textfields import Name, Note
from ..wording import count_words
from .files import LOADED, CaseFolderError, Strict, by_the_rules, read_toml, validated

if TYPE_CHECKING:  # the folder it reads from; casefolder imports this module, not the other way
    from .case_folder import CaseFolder

SUPERVISION_FILE = "supervision.toml"
# Stored as the record id as given; 30 characters at most, so a session's wellbeing record
# (`<id>-wellbeing`, see supervision.records) still fits the store's 40.
_RECORD_ID = r"^[a-z0-9][a-z0-9_-]{0,29}$"


class _ActionIn(Action):
    """An `[[actions]]` table: an action with its stable record id (`case_id` defaults to the folder's)."""

    id: str = Field(pattern=_RECORD_ID)


class _AmendmentIn(Strict):
    """An amendment as written in the file; `before` is the signed record's own value, filled in by `amend`."""

    author: Name
    at: datetime
    reason: Note
    field: str
    after: Any


class _SessionIn(SupervisionSession):
    """A `[[sessions]]` table: a session as held, then signed and amended in the order given."""

    id: str = Field(pattern=_RECORD_ID)
    amendments: list[_AmendmentIn] = Field(default_factory=list)  # type: ignore[assignment]


class _StepIn(Strict):
    on: date
    note: Note


class _EscalationIn(Strict):
    """An `[[escalations]]` table: how it was raised, each move up a stage, and how it ended (if it has)."""

    id: str = Field(pattern=_RECORD_ID)
    case_id: str = ""
    children: list[str] = Field(min_length=1)
    raised_by: Party
    raised_with: Party
    about: Note
    child_safe_meanwhile: Note
    raised_on: date
    note: Note = ""
    escalated: list[_StepIn] = Field(default_factory=list)
    resolved_on: date | None = None
    resolution: Note = ""
    learning: Note = ""


@dataclass(frozen=True)
class SupervisionRecords:
    """The records of a folder's `supervision.toml`, each under its record id, ready to store."""

    actions: dict[str, Action] = field(default_factory=dict)
    sessions: dict[str, SupervisionSession] = field(default_factory=dict)
    escalations: dict[str, Escalation] = field(default_factory=dict)

    def record_ids(self) -> list[str]:
        """Every record id the records will take in the store, wellbeing records included."""
        wellbeing = [wellbeing_id(rid) for rid, s in self.sessions.items() if s.wellbeing]
        return [*self.actions, *self.sessions, *wellbeing, *self.escalations]


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
    data = read_toml(path)
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
        given = validated(_ActionIn, item, path, where)
        take(given.id, where)
        if given.case_id != case:
            raise CaseFolderError(f"{path}: {where}: case_id '{given.case_id}' is not this folder's case '{case}'")
        if given.child is not None and given.child not in children:
            raise CaseFolderError(f"{path}: {where}: '{given.child}' is not a child of the case")
        out.actions[given.id] = Action.model_validate(given.model_dump(exclude={"id"}))
    for n, item in enumerate(data.get("sessions", []), 1):
        where = f"sessions[{n}]"
        given = validated(_SessionIn, item, path, where)
        take(given.id, where)
        out.sessions[given.id] = _session(given, path, where, folder, out.actions)
    _check_reviews(out, path)
    for n, item in enumerate(data.get("escalations", []), 1):
        where = f"escalations[{n}]"
        given = validated(_EscalationIn, item, path, where)
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
    session = by_the_rules(path, where, SupervisionSession.model_validate, body)
    for k, s in enumerate(given.signatures, 1):
        session = by_the_rules(path, f"{where}.signatures[{k}]", sign, session, s.who, s.role, s.signed_at)
    for k, a in enumerate(given.amendments, 1):
        session = by_the_rules(path, f"{where}.amendments[{k}]", amend, session, a.author, a.at, a.field,
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
    esc = by_the_rules(path, where, open_escalation, case_id=case, children=given.children,
                        raised_by=given.raised_by, raised_with=given.raised_with, about=given.about,
                        child_safe_meanwhile=given.child_safe_meanwhile, raised_on=given.raised_on,
                        note=given.note, stages=stages, nation=nation)
    for k, step in enumerate(given.escalated, 1):
        esc = by_the_rules(path, f"{where}.escalated[{k}]", escalate, esc, step.on, step.note, stages, nation)
    if given.resolved_on is not None:
        esc = by_the_rules(path, where, resolve, esc, given.resolved_on, given.resolution, given.learning)
    elif given.resolution or given.learning:
        raise CaseFolderError(f"{path}: {where}: resolved_on is blank but a resolution or learning is written: "
                              "give the date it was resolved")
    return esc


def save_supervision(store: Store, case_id: str, records: SupervisionRecords, path: Path, conn: Any) -> None:
    """Write the records inside the load's transaction `conn`, each under its id from the file.

    A session goes through `supervision.records.save_session`, which keeps its wellbeing notes apart.
    """
    taken = [rid for rid in records.record_ids() if _in_store(store, rid, conn)]
    if taken:
        raise CaseFolderError(f"{path}: record id '{taken[0]}' is already in the store (ids are "
                              "unique across every case): give the record another id")
    store.create_many(ACTION_KIND, case_id, [NewRecord(a.model_dump(mode="json"), record_id=rid, reason=LOADED)
                                             for rid, a in records.actions.items()], conn=conn)
    for rid, session in records.sessions.items():
        save_session(store, session, None, LOADED, record_id=rid, conn=conn)
    store.create_many(ESCALATION_KIND, case_id, [NewRecord(e.model_dump(mode="json"), record_id=rid, reason=LOADED)
                                                 for rid, e in records.escalations.items()], conn=conn)


def _in_store(store: Store, record_id: str, conn: Any) -> bool:
    try:
        store.get(record_id, conn=conn)
    except NotFound:
        return False
    return True

"""Supervision records in the store: sessions, their restricted wellbeing notes, actions, escalations.

A session is stored without the worker's wellbeing notes (its `public_body`); those go in a record
of their own kind that only the session's supervisor and worker may read, so no export, print or
analysis that reads sessions can ever meet them. Every save names the version it edited, so two
people saving one record lose nothing (`StaleEdit`).
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from typing import TypeVar

import sqlalchemy as sa
from pydantic import BaseModel

from ..analysis.case_data import CarriedAction
from ..store import NewRecord, RecordVersion, Store, Stored, StoreError, current_models
from ..vocab import normalise
from ..wording import day_text
from .actions import ACTION_KIND, Action, cancel, carry_over, mark_done
from .escalation import ESCALATION_KIND, Escalation
from .session import CYCLE, SESSION_KIND, SupervisionSession, public_body
from .signoff import SessionLocked

WELLBEING_KIND = "supervision_wellbeing"
M = TypeVar("M", bound=BaseModel)


class Restricted(StoreError):
    """Wellbeing notes asked for by someone who is neither the supervisor nor the worker."""


def sessions(store: Store, case_id: str) -> list[Stored[SupervisionSession]]:
    """The case's sessions, oldest first (a group session is kept under its first case)."""
    # a session saved years ago stays readable whatever today is: `held_on` is checked when written
    return sorted(current_models(store, SESSION_KIND, case_id, SupervisionSession), key=lambda s: s.model.held_on)


def actions(store: Store, case_id: str) -> list[Stored[Action]]:
    return sorted(current_models(store, ACTION_KIND, case_id, Action), key=lambda a: (a.model.by, a.record_id))


def carried(store: Store, case_id: str) -> list[CarriedAction]:
    """The case's open actions as the analysis's carried-over rule reads them (`analysis.case_data.load_case`)."""
    return [CarriedAction(a.model.what, a.model.carried_over, a.model.agreed_on or a.model.by, a.model.child)
            for a in actions(store, case_id) if a.model.status == "open"]


def escalations(store: Store, case_id: str) -> list[Stored[Escalation]]:
    return sorted(current_models(store, ESCALATION_KIND, case_id, Escalation), key=lambda e: e.model.raised_on)


def _body(model: BaseModel) -> dict:
    if isinstance(model, SupervisionSession):  # its wellbeing notes must never reach the session record
        raise TypeError("save a session with save_session, which keeps its wellbeing notes apart")
    return model.model_dump(mode="json")


def save_new(store: Store, kind: str, case_id: str, model: BaseModel, reason: str, record_id: str | None = None
             ) -> RecordVersion:
    """Create an action or escalation record from its model."""
    body = _body(model)
    item = NewRecord(body, reason=reason) if record_id is None else NewRecord(body, record_id=record_id, reason=reason)
    return store.create_many(kind, case_id, [item])[0]


def save_edit(store: Store, stored: Stored[M], model: M, reason: str) -> RecordVersion:
    """A new version of a record, edited from the version in `stored`.

    Raises:
        StaleEdit: someone saved the record after `stored` was read; their version and yours are in it.
    """
    return store.update(stored.record_id, stored.version, _body(model), reason=reason)


def save_session(store: Store, session: SupervisionSession, stored: Stored[SupervisionSession] | None,
                 reason: str, *, record_id: str | None = None, conn: sa.Connection | None = None,
                 reader: str | None = None) -> RecordVersion:
    """Save a session (new, or edited from `stored`) and its wellbeing notes apart, in one transaction
    (the caller's, when `conn` is given: a case folder loads everything in one). The notes change only when
    `reader` (the name the person saving goes by in records; default: the store's person's) is one of the
    session's two people: anyone else saves the session without them, and they stay as they were.

    A record both have signed changes only by amendment, whoever calls. The save that adds the second
    signature also gives last time's actions the outcomes the session agreed, in the same transaction:
    if one cannot be applied, the record stays unsigned and no action changes.

    Raises:
        StaleEdit: someone saved the session after `stored` was read.
        SessionLocked: the stored record is signed by both and this is not an amendment of it.
        ValueError: an outcome that cannot be applied to its action (the action's rule is named).
    """
    with store.transaction() if conn is None else nullcontext(conn) as c:
        body = public_body(session)
        if stored is None:
            item = NewRecord(body, reason=reason) if record_id is None else \
                NewRecord(body, record_id=record_id, reason=reason)
            version = store.create_many(SESSION_KIND, session.cases[0], [item], conn=c)[0]
        else:
            held = store.get(stored.record_id, conn=c)
            before = SupervisionSession.model_validate_json(held.body_json) if held.version == stored.version else None
            if before is not None and before.is_locked:  # (a later version is refused below as a stale edit)
                check_amendment(before, session)
            version = store.update(stored.record_id, stored.version, body, reason=reason, conn=c)
            if before is not None and session.is_locked and not before.is_locked:
                _apply_reviews(store, session, c)
        _save_wellbeing(store, version.record_id, session, c,
                        store.person().display_name if reader is None else reader)
    return version


def check_amendment(before: SupervisionSession, after: SupervisionSession) -> None:
    """Refuse a change to a signed record that is not made by the amendments it records.

    Raises:
        SessionLocked: a signature changed, an earlier amendment changed or removed, or a field changed that
            no new amendment names with that value.
    """
    old, new = public_body(before), public_body(after)
    locked = ("this record has been signed by both the supervisor and the worker and is locked: change it with an "
              "amendment, giving the reason")
    if new["signatures"] != old["signatures"]:
        raise SessionLocked(f"{locked} (its signatures never change)")
    kept = len(old["amendments"])
    if new["amendments"][:kept] != old["amendments"]:
        raise SessionLocked(f"{locked} (earlier amendments are kept as they were made)")
    amended = {a["field"]: a["after"] for a in new["amendments"][kept:]}
    changed = [f"stages.{s}" for s in CYCLE if old["stages"][s] != new["stages"][s]]
    changed += [k for k in sorted(set(old) | set(new)) if k not in ("stages", "signatures", "amendments")
                and old.get(k) != new.get(k)]
    for field in changed:
        top, _, stage = field.partition(".")
        value = new[top][stage] if stage else new.get(top)
        if field not in amended or amended[field] != value:
            raise SessionLocked(f"{locked} ({field} was changed without one)")


def _apply_reviews(store: Store, session: SupervisionSession, conn: sa.Connection) -> None:
    """Last time's actions take the outcomes agreed, once the record is final, in the signing's transaction."""
    held = {s.record_id: s for s in current_models(store, ACTION_KIND, session.cases[0], Action, conn=conn)}
    for review in session.actions_reviewed:
        stored = held.get(review.action_id)
        if stored is None or stored.model.status != "open":
            continue
        action = stored.model
        changed = (mark_done(action, review.note) if review.outcome == "done" else
                   cancel(action, review.note) if review.outcome == "cancelled" else
                   carry_over(action, by=_new_by(review.new_by, review.what or action.what)))
        store.update(stored.record_id, stored.version, changed.model_dump(mode="json"),
                     reason=f"reviewed in supervision on {day_text(session.held_on)}", conn=conn)


def _new_by(new_by: date | None, what: str) -> date:
    if new_by is None:  # check_ready_to_sign asks for it first; a record signed by other means is refused here
        raise ValueError(f"the action '{what}' is carried over but has no new due date: give the date it is now due")
    return new_by


def wellbeing_id(session_id: str) -> str:
    """The record id of a session's wellbeing notes."""
    return f"{session_id}-wellbeing"


def _save_wellbeing(store: Store, session_id: str, session: SupervisionSession, conn: sa.Connection,
                    reader: str) -> None:
    body = {"session_id": session_id, "supervisor": session.supervisor, "worker": session.worker,
            "text": session.wellbeing}
    current = _wellbeing_record(store, session.cases[0], session_id, conn)
    if current is None:
        if session.wellbeing:
            store.create_many(WELLBEING_KIND, session.cases[0],
                              [NewRecord(body, record_id=wellbeing_id(session_id), reason="restricted notes")],
                              conn=conn)
    elif current.body != body and may_read_wellbeing(session, reader):
        # someone who may not read the notes saves the session without them: the notes stay as they are
        store.update(current.record_id, current.version, body, reason="restricted notes", conn=conn)


def _wellbeing_record(store: Store, case_id: str, session_id: str, conn: sa.Connection | None = None
                      ) -> RecordVersion | None:
    return next((r for r in store.current(WELLBEING_KIND, case_id, conn=conn) if r.body["session_id"] == session_id),
                None)


def is_one_of_the_two(user: str, supervisor: str, worker: str) -> bool:
    """Whether the signed-in user is the session's supervisor or worker (names compared as people write them)."""
    return normalise(user) in {normalise(supervisor), normalise(worker)} - {""}


def may_read_wellbeing(session: SupervisionSession, user: str) -> bool:
    """Only the two people in the session."""
    return is_one_of_the_two(user, session.supervisor, session.worker)


def wellbeing(store: Store, stored: Stored[SupervisionSession], user: str) -> str:
    """The session's wellbeing notes, for its supervisor or worker only.

    Raises:
        Restricted: `user` is neither of them.
    """
    if not may_read_wellbeing(stored.model, user):
        raise Restricted(f"the wellbeing notes of this session are seen only by {stored.model.supervisor} and "
                         f"{stored.model.worker}")
    record = _wellbeing_record(store, stored.model.cases[0], stored.record_id)
    return str(record.body["text"]) if record else ""


def with_wellbeing(store: Store, stored: Stored[SupervisionSession], user: str) -> SupervisionSession:
    """The session as its supervisor or worker edits it: with the wellbeing notes; others get it without."""
    if not may_read_wellbeing(stored.model, user):
        return stored.model
    return stored.model.model_copy(update={"wellbeing": wellbeing(store, stored, user)})


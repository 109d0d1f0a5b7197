"""Signing a supervision record, editing a draft, and amending a signed record with its history kept.

A signed record can be read in court (DOMAIN.md section 5), so once both the supervisor and the
worker have signed it is locked: `edit` refuses it, and the only change is `amend`, which needs a
reason and keeps the value before and after. Signatures are never changed by either. A record
signed by one person only is still a draft; editing it removes that signature, so no one is
shown to have signed words they never saw, and they sign again.

Each function returns a new, validated record; the one given is never changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..store.identity import SIGN_AS_SUPERVISOR, SIGN_AS_WORKER, Person
from ..vocab import normalise
from ..wording import day_text
from ._base import require_words
from .session import CYCLE, SupervisionSession, check_ready_to_sign

ROLES = ("supervisor", "worker")
# what a person's role must allow to sign in each of the record's two roles (`identity.Person.may`)
SIGNS_AS = {"supervisor": SIGN_AS_SUPERVISOR, "worker": SIGN_AS_WORKER}
# Changed only by `sign` and `amend` themselves, never by an edit or an amendment.
_SIGN_OFF = ("signatures", "amendments")


class SessionLocked(ValueError):
    """A change to a record both have signed, other than an amendment."""


class NotReadyToSign(ValueError):
    """A record that still needs work before it is signed; `problems` lists what."""

    def __init__(self, problems: list[str]):
        super().__init__("not ready to sign: " + "; ".join(problems))
        self.problems = problems


def _validated(body: dict[str, Any]) -> SupervisionSession:
    return SupervisionSession.model_validate(body)


def sign(session: SupervisionSession, who: str, role: str, at: datetime) -> SupervisionSession:
    """The record signed by `who` as `role` ("supervisor" or "worker") at `at`.

    Raises:
        ValueError: an unknown role; `who` is not the person the record names in that role; that role has
            signed already; `at` is before the session was held.
        NotReadyToSign: `check_ready_to_sign` lists problems (given in the exception's `problems`).
    """
    if role not in ROLES:
        raise ValueError(f"role '{role}' is not one of supervisor or worker")
    named = session.supervisor if role == "supervisor" else session.worker
    if normalise(who) != normalise(named):
        raise ValueError(f"only the {role} named in the record, {named}, may sign as {role} (not {who})")
    if done := [s for s in session.signatures if s.role == role]:
        raise ValueError(f"{done[0].who} has already signed as {role} on {day_text(done[0].signed_at)}")
    if at.date() < session.held_on:
        raise ValueError(f"signed_at ({day_text(at)}) is before the session was held on {day_text(session.held_on)}")
    if problems := check_ready_to_sign(session):
        raise NotReadyToSign(problems)
    body = session.model_dump()
    body["signatures"].append({"who": named, "role": role, "signed_at": at})
    return _validated(body)


def why_not_sign(person: Person, role: str, named: str) -> str:
    """Why `person` may not sign as `role` a record that names `named` in that role; "" when they may.

    On one person's own database the one user signs for either, giving the name the record holds (`sign`
    checks it). On a team's database the signer is the signed-in person: only the one the record names
    in that role (by their display name), and only if their role signs so (a practitioner never signs as
    a supervisor). PostgreSQL checks the same again when the signature is saved.
    """
    if role not in ROLES:
        return f"'{role}' is not one of supervisor or worker"
    if not person.on_a_team:
        return ""
    if not named:
        return f"the record names no {role} yet: name them and save the record, then they can sign"
    if normalise(person.display_name) != normalise(named):
        return f"only {named}, the session's {role}, can sign as {role}"
    if not person.may(SIGNS_AS[role]):
        return person.why_not(SIGNS_AS[role])
    return ""


def _check_fields(names: list[str]) -> None:
    for name in names:
        if name in _SIGN_OFF:
            raise ValueError(f"{name} change only by signing and amending, never by an edit")
        if name not in SupervisionSession.model_fields:
            raise ValueError(f"'{name}' is not a field of a supervision session")


def edit(session: SupervisionSession, **changes: Any) -> SupervisionSession:
    """The draft record with `changes` made; `stages` may be given in part ({"analysis": "..."}).

    A signature already given by one of the two is removed when anything changes: they sign again.

    Raises:
        SessionLocked: both have signed (use `amend`).
        ValueError: a field that is not the session's, or `signatures` or `amendments`; or any rule of
            `SupervisionSession` broken by the change, with the field named.
    """
    if session.is_locked:
        raise SessionLocked("this record has been signed by both the supervisor and the worker and is locked: "
                            "change it with an amendment, giving the reason")
    _check_fields(list(changes))
    body = session.model_dump()
    if isinstance(changes.get("stages"), dict):
        changes["stages"] = body["stages"] | changes["stages"]
    edited = _validated(body | changes)
    if edited.model_dump(exclude=set(_SIGN_OFF)) != session.model_dump(exclude=set(_SIGN_OFF)):
        edited = _validated(edited.model_dump() | {"signatures": []})
    return edited


def _field_path(field: str) -> tuple[str, str | None]:
    # A signed record is amended one field at a time; a reflective stage is one field ("stages.analysis").
    top, _, stage = field.partition(".")
    _check_fields([top])
    if stage and (top != "stages" or stage not in CYCLE):
        raise ValueError(f"'{field}' is not a field of a supervision session: a stage is amended as "
                         f"{', '.join('stages.' + s for s in CYCLE)}")
    if top == "stages" and not stage:
        raise ValueError("amend one stage at a time: stages.experience, stages.reflection, stages.analysis or "
                         "stages.action_plan")
    return top, stage or None


def amend(session: SupervisionSession, author: str, at: datetime, field: str, new_value: Any,
          reason: str) -> SupervisionSession:
    """The signed record with one field changed, and the change kept: who, when, why, before and after.

    Args:
        field: a field of the session, or one stage as "stages.analysis".
        new_value: the field's new value, as the model takes it.

    Raises:
        ValueError: the record is not yet signed by both (edit it instead); a blank author or reason; an
            unknown field, or `signatures` or `amendments`; `at` before the record was signed; a value no
            different from the one recorded; any rule of `SupervisionSession` the change breaks.
    """
    if not session.is_locked:
        raise ValueError("amend is for a record both have signed; this one is not signed by both yet, so edit it")
    require_words(author, "author", "say who makes the amendment")
    require_words(reason, "reason", "say why the signed record is changed")
    top, stage = _field_path(field)
    signed = max(s.signed_at for s in session.signatures)
    if at < signed:
        raise ValueError(f"the amendment's time ({at:%d %b %Y %H:%M}) is before the record was signed "
                         f"({signed:%d %b %Y %H:%M})")
    body = session.model_dump()
    if stage:
        body["stages"] = body["stages"] | {stage: new_value}
    else:
        body[top] = new_value
    amended = _validated(body)

    def value_of(record: SupervisionSession) -> Any:
        dumped = record.model_dump(mode="json")[top]
        return dumped[stage] if stage else dumped

    before, after = value_of(session), value_of(amended)
    if before == after:
        raise ValueError(f"nothing to amend: {field} already reads {before!r}")
    amendments = [*body["amendments"], {"author": author, "at": at, "reason": reason, "field": field,
                                        "before": before, "after": after}]
    return _validated(amended.model_dump() | {"amendments": amendments})

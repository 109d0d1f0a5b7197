"""The record of one reflective supervision session, and what makes it ready to sign.

The record follows Morrison's 4x4x4 model (DOMAIN.md section 5): the four functions of
supervision, the four stakeholders, and the reflective cycle of experience, reflection,
analysis and action plan. The prompts for each stage are the kit's own words.

Rules the model keeps at every save: a date not in the future, a supervisor and a worker who
are two people, at least one case (exactly one in a case session), a decision always with its
reason, a note when an action is carried over or cancelled, an action's new due date after the
date it was due and after the session, and, when escalation was considered, either a disagreement
raised from the session (`escalations_raised`) or the reason it was not (`escalation_note`); and a
next session after this one. What a record needs before it is signed (each stage in real words, a
decision, an outcome for each action reviewed, a new due date for each action carried over, an
answer to each challenge, the next date) is listed by `check_ready_to_sign`, so a draft can be
saved half done.

Notes on the worker's own wellbeing (`wellbeing`) are restricted: seen only by the supervisor
and the worker, never exported, printed or analysed. `public_body` is the record without them,
for every use outside the session itself. Signing, editing and amending are in `signoff`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ..textfields import Name, Note
from ..validators import not_future
from ..vocab import normalise
from ..wording import day_text
from ._base import Strict, require_words, says_nothing

SESSION_KIND = "supervision_session"
SESSION_TYPES = ("case", "group", "ad_hoc")
FUNCTIONS: dict[str, str] = {"management": "Management", "support": "Support", "development": "Development",
                             "mediation": "Mediation"}
STAKEHOLDERS: dict[str, str] = {"child_and_family": "The child and family", "worker": "The worker",
                                "organisation": "The organisation", "partner_agencies": "Partner agencies"}
CYCLE: dict[str, str] = {"experience": "Experience", "reflection": "Reflection", "analysis": "Analysis",
                         "action_plan": "Action plan"}
PROMPTS: dict[str, tuple[str, ...]] = {
    "experience": (
        "What has happened for the child since the last session? What did you see, hear and smell at the home?",
        "When was the child last seen, and last seen alone? What did the child say or show you?",
        "What has changed in the child's day: food, sleep, school or nursery, health, who looks after them?",
    ),
    "reflection": (
        "How did the visit leave you feeling, and what might that tell you about the child's day?",
        "What surprised or worried you? What reassured you, and has that reassurance been earned?",
        "Whose account have you leaned on most, and whose have you not yet heard?",
    ),
    "analysis": (
        "Read the history as a whole, not one event at a time: what pattern does it show?",
        "Is this change in the child's life, or a parent completing tasks? What is the evidence?",
        "What other explanations fit what you have seen, and what would show which one is right?",
        "What will the child's life be like in three months if nothing changes?",
    ),
    "action_plan": (
        "What will be done, by whom and by when, and what should it change for the child?",
        "How will you know it has worked, seen from the child's side?",
        "What happens if it does not work, and when will that be decided?",
    ),
}
# Fields seen only by the supervisor and the worker, never in `public_body`.
RESTRICTED = ("wellbeing",)
# A stage in fewer words than this cannot show what happened or what was thought.
MIN_STAGE_WORDS = 3
# Words of record-keeping that say nothing about the child: a stage written only in these
# ("case discussed, plan agreed", "as above", "nothing to add", "no change") is empty.
_RECORD_TEXT = """
    a an the and or but as at in on of to for with by from was were is are be been being has have had it its this
    that all fully briefly again today session supervision supervisor worker manager sw tm case cases plan plans
    discussed discussion discuss talked through agreed agree noted note notes see above below before previous
    previously same last time nothing no none nil n add further change changes update updated updates ongoing
    continue continues continuing ok okay fine yes tbc reviewed review covered actions action progress progressing
    going well usual per concerns concern raised issues new remains remain unchanged currently current
"""
_RECORD_WORDS = frozenset(_RECORD_TEXT.split())


def says_only_record_words(text: str) -> bool:
    """True when every word of `text` is record-keeping ("case discussed, plan agreed", "as above")."""
    return set(normalise(text).split()) <= _RECORD_WORDS


def _choice(value: Any, options: tuple[str, ...] | dict[str, str], field: str) -> Any:
    # "Ad hoc", "ad-hoc" and "ad_hoc" are the same choice; anything else is named back to the reader.
    if not isinstance(value, str):
        return value
    code = normalise(value).replace(" ", "_")
    if code not in options:
        raise ValueError(f"{field} '{value}' is not one of {', '.join(options)}")
    return code


class ActionReview(Strict):
    """An action from an earlier session looked at again: done, carried over or cancelled."""

    action_id: str = Field(min_length=1)
    what: Note = ""
    outcome: Literal["done", "carried_over", "cancelled"] | None = None
    note: Note = ""
    was_due: date | None = None  # the action's due date when the session looked at it
    new_by: date | None = None  # carried over: the date it is due now (needed before signing)

    @field_validator("outcome", mode="before")
    @classmethod
    def _outcome(cls, value: Any) -> Any:
        return _choice(value, ("done", "carried_over", "cancelled"), "outcome")

    @model_validator(mode="after")
    def _note(self) -> ActionReview:
        if self.outcome in ("carried_over", "cancelled") and says_nothing(self.note):
            why = ("why it was not done and what happens now" if self.outcome == "carried_over"
                   else "why it is no longer needed")
            raise ValueError(f"note is needed when the action '{self.what or self.action_id}' is "
                             f"{self.outcome.replace('_', ' ')}: say {why}")
        if self.new_by is not None and self.outcome != "carried_over":
            raise ValueError(f"new_by is given for the action '{self.what or self.action_id}', which is not carried "
                             "over: a new due date is only for an action carried over")
        if self.new_by is not None and self.was_due is not None and self.new_by <= self.was_due:
            raise ValueError(f"the new due date of the action '{self.what or self.action_id}' "
                             f"({day_text(self.new_by)}) must fall after the date it was due, "
                             f"{day_text(self.was_due)}")
        return self


class CycleStages(Strict):
    """The reflective cycle in the session's own words; blank until written."""

    experience: Note = ""
    reflection: Note = ""
    analysis: Note = ""
    action_plan: Note = ""


class Decision(Strict):
    """A decision made in supervision, never without its reason."""

    decision: Note
    reason: Note

    @field_validator("decision", "reason")
    @classmethod
    def _words(cls, value: str, info: ValidationInfo) -> str:
        return require_words(value, info.field_name or "", "write the decision" if info.field_name == "decision"
                             else "say why it was decided, so a reader can follow the thinking")


class Challenge(Strict):
    """A bias challenge put to the session: the rule behind it, the prompt, its evidence and the answer."""

    rule: str = Field(min_length=1)
    prompt: str = Field(min_length=1)
    evidence: Note = ""
    answer: Note = ""


class Signature(Strict):
    """Who signed the record, in which role, and when."""

    who: Name = Field(min_length=1)
    role: Literal["supervisor", "worker"]
    signed_at: datetime


class Amendment(Strict):
    """A change to a signed record: who, when, why, which field, and the value before and after."""

    author: Name = Field(min_length=1)
    at: datetime
    reason: Note = Field(min_length=1)
    field: str = Field(min_length=1)
    before: Any
    after: Any


class SupervisionSession(Strict):
    """One supervision session: who, when, which cases, the reflective cycle, decisions and sign-off."""

    session_type: Literal["case", "group", "ad_hoc"]
    held_on: Annotated[date, not_future("held_on ({day}) is in the future: record a session once it has been held")]
    supervisor: Name
    worker: Name
    cases: list[str]
    actions_reviewed: list[ActionReview] = Field(default_factory=list)
    stages: CycleStages = Field(default_factory=CycleStages)
    functions_covered: list[str] = Field(default_factory=list)
    stakeholders_covered: list[str] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    new_actions: list[str] = Field(default_factory=list)  # record ids of the actions agreed in this session
    challenges: list[Challenge] = Field(default_factory=list)
    escalation_considered: bool = False
    escalations_raised: list[str] = Field(default_factory=list)  # record ids of disagreements raised in it
    escalation_note: Note = ""  # considered and none raised: why not
    next_on: date | None = None
    wellbeing: Note = ""  # restricted: the supervisor and the worker only (see RESTRICTED)
    signatures: list[Signature] = Field(default_factory=list)
    amendments: list[Amendment] = Field(default_factory=list)

    @field_validator("session_type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> Any:
        return _choice(value, SESSION_TYPES, "session_type")

    @field_validator("supervisor", "worker")
    @classmethod
    def _named(cls, value: str, info: ValidationInfo) -> str:
        return require_words(value, info.field_name or "", "give their name")

    @field_validator("cases")
    @classmethod
    def _cases(cls, value: list[str]) -> list[str]:
        cases = list(dict.fromkeys(c for c in value if c))
        if not cases:
            raise ValueError("cases is empty: name the case discussed (or each case, in a group session)")
        return cases

    @field_validator("functions_covered", "stakeholders_covered", mode="before")
    @classmethod
    def _subset(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, (list, tuple, set)):
            return value
        options = FUNCTIONS if info.field_name == "functions_covered" else STAKEHOLDERS
        chosen = {_choice(v, options, info.field_name or "") for v in value}
        return [code for code in options if code in chosen]  # the model's own order, each once

    @model_validator(mode="after")
    def _consistent(self) -> SupervisionSession:
        if normalise(self.supervisor) == normalise(self.worker):
            raise ValueError(f"supervisor and worker are both {self.worker}: supervision takes two people")
        if self.session_type == "case" and len(self.cases) != 1:
            raise ValueError(f"a case session is about one case, not {len(self.cases)}: record a group session "
                             "to discuss several")
        if self.escalations_raised and not self.escalation_considered:
            raise ValueError("escalations_raised names a disagreement raised in this session, but "
                             "escalation_considered is not ticked")
        if self.escalation_considered and not self.escalations_raised and says_nothing(self.escalation_note):
            raise ValueError("escalation_note is needed when escalation was considered and no disagreement was "
                             "raised: say what was weighed and why it was not escalated")
        for r in self.actions_reviewed:
            if r.new_by is not None and r.new_by <= self.held_on:
                raise ValueError(f"the new due date of the action '{r.what or r.action_id}' ({day_text(r.new_by)}) "
                                 f"must fall after this session, held on {day_text(self.held_on)}")
        if self.next_on is not None and self.next_on <= self.held_on:
            raise ValueError(f"next_on ({day_text(self.next_on)}) must fall after this session, held on "
                             f"{day_text(self.held_on)}")
        roles = [s.role for s in self.signatures]
        if len(roles) != len(set(roles)):
            raise ValueError("signatures holds two for one role: each of supervisor and worker signs once")
        return self

    @property
    def is_locked(self) -> bool:
        """True once both the supervisor and the worker have signed: only `amend` changes it then."""
        return {s.role for s in self.signatures} == {"supervisor", "worker"}


def check_ready_to_sign(session: SupervisionSession) -> list[str]:
    """What the record still needs before it is signed, in plain words; empty when it is ready.

    A stage is not ready when it is blank, shorter than `MIN_STAGE_WORDS` words, or written only in
    record-keeping words ("case discussed, plan agreed", "as above", "nothing to add"): such a
    record shows neither what happened for the child nor how the decisions were reached.
    """
    problems = []
    for stage, label in CYCLE.items():
        text = getattr(session.stages, stage)
        if not text:
            problems.append(f"{label} is blank: {PROMPTS[stage][0]}")
        elif says_only_record_words(text):
            problems.append(f"{label} says only '{text}', which tells a reader nothing about the child: "
                            f"{PROMPTS[stage][0]}")
        elif len(normalise(text).split()) < MIN_STAGE_WORDS:
            problems.append(f"{label} ('{text}') is too short to show what happened or what was thought: "
                            f"{PROMPTS[stage][0]}")
    if not session.decisions:
        problems.append("no decision is recorded: write at least one decision and the reason for it")
    problems += [f"the reason for the decision '{d.decision}' says only '{d.reason}': say why it was decided"
                 for d in session.decisions if says_only_record_words(d.reason)]
    problems += [f"the action '{r.what or r.action_id}' was reviewed but has no outcome: done, carried over or "
                 "cancelled" for r in session.actions_reviewed if r.outcome is None]
    problems += [f"the action '{r.what or r.action_id}' is carried over but has no new due date: give the date it "
                 "is now due" + (f", after {day_text(r.was_due)}" if r.was_due else "")
                 for r in session.actions_reviewed if r.outcome == "carried_over" and r.new_by is None]
    problems += [f"the action '{r.what or r.action_id}' is marked done but its note is blank: write what shows it "
                 "was done (the evidence)" for r in session.actions_reviewed
                 if r.outcome == "done" and says_nothing(r.note)]
    problems += [f"the challenge '{c.prompt}' has no answer: record what was said" for c in session.challenges
                 if says_nothing(c.answer)]
    if session.next_on is None:
        problems.append("the date of the next session is not set")
    return problems


def public_body(session: SupervisionSession) -> dict[str, Any]:
    """The record as JSON-ready data for export, printing and analysis: everything but the restricted fields.

    Amendments to a restricted field are left out too, since their before and after hold its text.
    """
    body = session.model_dump(mode="json", exclude=set(RESTRICTED))
    body["amendments"] = [a for a in body["amendments"] if a["field"].split(".")[0] not in RESTRICTED]
    return body

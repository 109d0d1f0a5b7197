"""A short neglect screening for any professional: a few plain questions, then what to do next.

Not the full assessment (that is for social workers): a health visitor, teacher, police
officer or anyone else who sees a child answers each question "yes", "no" or "not known",
writes the child's day in their own words, and gets guidance. The questions are the kit's own,
in its own words, on the four areas of `framework.AREAS`, with the four parental factors asked
separately (DOMAIN.md section 6). There is no score: the guidance names the answers behind it.

The rules, in order (the first that applies sets the level):

1. Refer to children's social care when
   a. "yes" to a question marked immediate risk (left alone when too young to be safe, no
      food at all, an injury or illness not treated), or
   b. "yes" answers in three or more of the four areas, or
   c. "yes" to a parental factor together with "yes" answers in two or more areas.
2. Talk to your safeguarding lead when
   a. any other answer is "yes", or
   b. three or more answers are "not known": you do not know enough about this child's day, or
   c. one or two answers are "not known": "no concern now" needs every answer to be "no",
      so find those answers out with your lead.
3. No concern now only when every answer is "no"; even then, keep noticing and record what you see.

A child children's social care already holds (a current child in need or child protection plan,
or looked after: `CurrentPlan`) is never to be referred as if unknown: what would be rule 1 is
"tell the allocated social worker today", named when the records name them (and saying where
from), else asked for; at the other levels a step says to share the screening with that worker.

Every reason is shown with the answers that led to it, each question by its wording.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator

from ..chronology.dates import parse_event_date
from ..chronology.model import ChronologyEntry
from ..config import default_of, settings
from ..validators import Trimmed, not_future, one_child, required
from ..vocab import AGENCIES, CP_CATEGORIES, Vocabulary
from .framework import AREAS

SCREENING_KIND = "neglect_screening"
PARENTAL = "parental"
ANSWERS = ("yes", "no", "not known")
LEVELS = ("no_concern_now", "talk_to_safeguarding_lead", "tell_allocated_social_worker",
          "refer_to_childrens_social_care")
CSC_PLANS = ("child_in_need", "child_protection", "looked_after")  # plans children's social care holds
MAX_TEXT: int = default_of("max_description_chars")  # as long as a chronology entry's description
_NOT_KNOWN = {"not known", "not_known", "unknown", "don't know", "dont know", "do not know"}


@dataclass(frozen=True)
class Question:
    code: str
    area: str  # an area code of framework.AREAS, or "parental"
    text: str
    immediate: bool = False  # "yes" means the child may be at immediate risk


QUESTIONS: tuple[Question, ...] = (
    Question("food_hungry", "physical_care", "Has the child seemed hungry, or asked for food, more than once?"),
    Question("food_none", "physical_care", "Have you seen or heard that there was no food at all for the child?",
             immediate=True),
    Question("clean_clothes", "physical_care",
             "Has the child often been dirty or smelly, or in clothes that do not fit or suit the weather?"),
    Question("health_untreated", "physical_care",
             "Has the child had an injury, illness or toothache that was not treated?", immediate=True),
    Question("left_alone", "safety",
             "Has the child been left alone, or in charge of other children, when too young to be safe?",
             immediate=True),
    Question("unwatched", "safety", "Has the child been out, or near danger, with no adult keeping an eye on them?"),
    Question("hazards", "safety",
             "Have you seen medicines, alcohol, drugs, sharp things or fire left within the child's reach?"),
    Question("upset_ignored", "emotional_warmth",
             "When the child was upset, hurt or asking for attention, did the adult ignore them or not notice?"),
    Question("little_warmth", "emotional_warmth",
             "Does the child seem to get little comfort, warmth or time from the adults at home?"),
    Question("missing_school", "development",
             "Is the child often absent, late, or not collected from nursery or school?"),
    Question("behind", "development", "Does the child seem behind for their age in talking, playing or learning?"),
    Question("put_down", "development", "Is the child often shouted at, blamed or put down, or do they seem unwanted?"),
    Question("parent_alcohol", PARENTAL,
             "Have you seen or heard that a parent or carer's drinking gets in the way of caring for the child?"),
    Question("parent_drugs", PARENTAL,
             "Have you seen or heard that a parent or carer's drug use gets in the way of caring for the child?"),
    Question("parent_mental_health", PARENTAL,
             "Does a parent or carer's mental ill health seem to get in the way of caring for the child?"),
    Question("domestic_abuse", PARENTAL,
             "Have you seen or heard of violence, threats or control between the adults in the child's home?"),
)
_BY_CODE = {q.code: q for q in QUESTIONS}
_AREA_LABELS = {a.code: a.label.lower() for a in AREAS}


def question(code: str) -> Question:
    return _BY_CODE[code]


def parse_answer(value: Any, code: str) -> str:
    """An answer as typed: "yes", "no" or "not known" (any case); a blank is never read as "no"."""
    what = f"the answer to '{_BY_CODE[code].text}'"
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} is {'blank' if isinstance(value, str) or value is None else repr(value)}: "
                         "answer 'yes', 'no' or 'not known' (a blank is never read as 'no')")
    text = " ".join(value.lower().replace("’", "'").split())
    if text in _NOT_KNOWN:
        return "not known"
    if text not in ANSWERS:
        raise ValueError(f"{what} is '{value}': answer 'yes', 'no' or 'not known'")
    return text


class Screening(Trimmed):
    """One professional's screening of one child on one day, in their own words."""

    child: Annotated[str, one_child("one screening per child: screen each child on their own, never siblings "
                                    "together"), required("no child named: a screening is about one child")]
    screened_on: Annotated[date, not_future("the screening date {day} is in the future")]
    screened_by: Annotated[str, required("say who did the screening (screened_by is blank)")]
    agency: str
    answers: dict[str, str]
    # what the professional saw and heard of the child's day
    day_in_words: Annotated[str, required("write the child's day in your own words: what you saw and heard of "
                                          "it")] = Field(max_length=MAX_TEXT)
    child_said: str = Field(default="", max_length=MAX_TEXT)


    @field_validator("agency")
    @classmethod
    def _agency(cls, value: str, info: ValidationInfo) -> str:
        agencies: Vocabulary = (info.context or {}).get("agencies") or AGENCIES
        if not value:
            raise ValueError("name your agency (agency is blank)")
        if agencies.is_vague(value):
            raise ValueError(f"agency '{value}' is too vague: name your agency "
                             f"(one of: {', '.join(agencies.labels().values())})")
        code = agencies.resolve(value)
        if code is None:
            raise ValueError(f"agency '{value}' is not known (one of: {', '.join(agencies.labels().values())})")
        return code

    @field_validator("answers", mode="before")
    @classmethod
    def _answers(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        unknown = [str(c) for c in value if c not in _BY_CODE]
        if unknown:
            raise ValueError(f"'{unknown[0]}' is not a question of the screening")
        missing = [c for c in _BY_CODE if c not in value]
        if missing:
            listed = "; ".join(f"'{_BY_CODE[c].text}'" for c in missing)
            raise ValueError(f"every question needs an answer ('not known' is an answer); not answered: {listed}")
        return {c: parse_answer(value[c], c) for c in _BY_CODE}

    def with_answer(self, answer: str) -> list[Question]:
        return [q for q in QUESTIONS if self.answers[q.code] == answer]


@dataclass(frozen=True)
class CurrentPlan:
    """The plan children's social care holds the child on now, and the social worker if the records name one."""

    plan: str  # in words, e.g. "child protection plan (neglect)"
    since: date
    worker: str | None = None
    worker_from: str = ""  # where the records name the worker, e.g. "the supervision of 24 May 2023"

    @property
    def who(self) -> str:
        """The worker to tell, named, or how to find them."""
        if self.worker:
            return f"{self.worker}, the child's social worker" + (f" (named at {self.worker_from})"
                                                                  if self.worker_from else "")
        return "the child's allocated social worker (these records do not name them: ask children's social care)"

    @property
    def words(self) -> str:
        return f"a {self.plan} since {self.since.day} {self.since:%b %Y}"


def plan_on(plans: Iterable[Mapping[str, Any]], child: str, on: date, worker: str | None = None,
            worker_from: str = "") -> CurrentPlan | None:
    """The plan children's social care holds the child on `on` (the latest begun, if two), or None.

    Args:
        plans: plan rows as `Store.plans` gives them (child_id, type, category, start, end).
        child: the child's id.
        on: the day asked about (a plan ending that day has ended).
        worker, worker_from: the social worker the records name, and where.
    """
    open_then = [p for p in plans if p["child_id"] == child and p["type"] in CSC_PLANS and p["start"] <= on
                 and (p["end"] is None or p["end"] > on)]
    if not open_then:
        return None
    plan = max(open_then, key=lambda p: p["start"])
    label = settings().plan_types.label(plan["type"])
    words = label[0].lower() + label[1:] + (f" ({CP_CATEGORIES.label(plan['category']).lower()})"
                                           if plan.get("category") else "")
    return CurrentPlan(words, plan["start"], worker, worker_from)


@dataclass(frozen=True)
class Guidance:
    level: str  # one of LEVELS
    headline: str
    reasons: list[str]
    next_steps: list[str]


def _quoted(questions: list[Question]) -> str:
    return "; ".join(f"'{q.text}'" for q in questions)


def guidance(screening: Screening, plan: CurrentPlan | None = None) -> Guidance:
    """What to do next, with every reason named by the answers behind it (rules in the module docstring).

    Args:
        screening: the answers.
        plan: the plan children's social care holds the child on now (None: no such plan recorded).
    """
    yes = screening.with_answer("yes")
    not_known = screening.with_answer("not known")
    immediate = [q for q in yes if q.immediate]
    area_yes = {a.code: [q for q in yes if q.area == a.code] for a in AREAS}
    areas = [a for a, qs in area_yes.items() if qs]
    parental = [q for q in yes if q.area == PARENTAL]
    in_areas = "; ".join(f"{_AREA_LABELS[a]}: {_quoted(area_yes[a])}" for a in areas)

    reasons: list[str] = []
    named: set[str] = set()
    if immediate:
        reasons.append(f"The child may be at immediate risk: you answered yes to {_quoted(immediate)}.")
        named.update(q.code for q in immediate)
    if len(areas) >= 3:
        reasons.append(f"Needs look unmet in {len(areas)} of the four areas of the child's life ({in_areas}).")
        named.update(q.code for a in areas for q in area_yes[a])
    if parental and len(areas) >= 2:
        where = "the areas above" if len(areas) >= 3 else in_areas
        reasons.append(f"A parental factor ({_quoted(parental)}) comes together with unmet needs in "
                       f"{len(areas)} areas ({where}).")
        named.update(q.code for q in yes)
    refer = bool(reasons)
    for area in areas:
        if rest := [q for q in area_yes[area] if q.code not in named]:
            reasons.append(f"You answered yes in {_AREA_LABELS[area]} to {_quoted(rest)}.")
    reasons += [f"You answered yes to a parental factor: '{q.text}'." for q in parental if q.code not in named]
    if not_known:
        many = len(not_known) >= 3
        reasons.append(("You do not know enough about this child's day to say their needs are met" if many else
                        "You cannot yet say there is no concern")
                       + f": you answered 'not known' to {len(not_known)} question{'s' if len(not_known) > 1 else ''}"
                       f" ({_quoted(not_known)}).")

    steps_end = ["Write down what you saw and heard, when, and who you told."]
    if not screening.child_said:
        steps_end.insert(0, "When it is safe, ask the child about their day and record their own words.")
    known = [f"This child is already known to children's social care: {plan.words}."] if plan is not None else []
    if refer and plan is not None:
        contact = plan.worker or "children's social care and ask for the child's allocated social worker"
        name = f"{plan.worker}, the child's social worker," if plan.worker else "the child's allocated social worker"
        return Guidance(
            "tell_allocated_social_worker",
            f"Tell {name} today: this child is on "
            f"{plan.words}, and what you have seen and heard suggests the child's needs are not being met.",
            [*reasons, *known],
            [f"Contact {contact} today and tell them what you saw and heard, using these answers and the child's "
             f"day in your words{f' ({plan.worker} is named at {plan.worker_from})' if plan.worker_from else ''}.",
             "If the child is in danger right now, call the police on 999.",
             "Tell your safeguarding lead that you have told the social worker.", *steps_end])
    share = ([f"This child is on {plan.words}: share this screening with {plan.who}."] if plan is not None else [])
    if refer:
        return Guidance(
            "refer_to_childrens_social_care",
            "Refer this child to children's social care today: what you have seen and heard suggests "
            "the child's needs are not being met.",
            reasons,
            ["Contact children's social care today and tell them what you saw and heard, using these answers "
             "and the child's day in your words.",
             "If the child is in danger right now, call the police on 999.",
             "Tell your safeguarding lead that you have referred.", *steps_end])
    if reasons:
        steps = ["Talk to your safeguarding lead about this child today or as soon as you can, with this screening."]
        if not_known:
            steps.append("Find out what you can about the 'not known' questions, for example from other "
                         "professionals who know the child.")
        return Guidance(
            "talk_to_safeguarding_lead",
            "Talk to your safeguarding lead about this child: something you have seen, or could not "
            "find out, needs a second view.",
            [*reasons, *known], [*steps, *share, *steps_end])
    return Guidance(
        "no_concern_now",
        "No concern now, but keep noticing this child's day and record what you see: neglect shows in a "
        "pattern over time.",
        [f"You answered no to all {len(QUESTIONS)} questions.", *known],
        ["Screen again if anything in the child's day changes.", *share, *steps_end])


def _fit(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1].rstrip() + "…"


_SIGNIFICANCE = {"refer_to_childrens_social_care": "high", "tell_allocated_social_worker": "high",
                 "talk_to_safeguarding_lead": "medium", "no_concern_now": "low"}


def as_chronology_entry(screening: Screening, guidance: Guidance, child_birth: date | None = None
                        ) -> dict[str, Any]:
    """The screening as the body of a chronology entry (JSON-ready), checked by `ChronologyEntry`.

    `child_birth` is the child's (expected) birth: a screening before it, such as a midwife's
    during pregnancy, is kept as a pre-birth entry.
    """
    agency_label = AGENCIES.label(screening.agency)
    description = _fit(f"Neglect screening by {screening.screened_by} ({agency_label}). Guidance: "
                       f"{guidance.headline} Because: {' '.join(guidance.reasons)}")
    body = {
        "children": [screening.child],
        "event_date": parse_event_date(screening.screened_on.isoformat(), today=screening.screened_on),
        "recorded_date": screening.screened_on,
        "agency": screening.agency,
        "source_detail": f"Neglect screening by {screening.screened_by}",
        "category": "referral" if guidance.level == "refer_to_childrens_social_care" else "other",
        "description": description,
        "impact": "negative" if screening.with_answer("yes") else "unknown",
        "impact_note": _fit(f"The child's day, as the screener saw and heard it: {screening.day_in_words}"),
        "significance": _SIGNIFICANCE[guidance.level],
        "action": _fit(f"Screening guidance: {guidance.next_steps[0]}"),
        "child_words": screening.child_said,
        "pre_birth": [screening.child] if child_birth and screening.screened_on < child_birth else [],
    }
    return ChronologyEntry.model_validate(body).model_dump(mode="json")

"""Controlled vocabularies: the kit's defaults, which a partnership may extend in settings.

Each vocabulary maps a stable code (stored in records) to a label (shown to people),
and each term may carry synonyms that agencies write in their returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: a stored code, a label, and what agencies write for it."""

    code: str
    label: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """An ordered set of terms that resolves free text to a code."""

    name: str
    terms: tuple[Term, ...]
    # Words that name no agency or category at all; refused with their own message.
    vague: tuple[str, ...] = field(default=())

    def codes(self) -> list[str]:
        return [t.code for t in self.terms]

    def label(self, code: str) -> str:
        for t in self.terms:
            if t.code == code:
                return t.label
        return code

    def labels(self) -> dict[str, str]:
        return {t.code: t.label for t in self.terms}

    @cached_property
    def _index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for t in self.terms:
            for word in (t.code, t.label, *t.synonyms):
                index[normalise(word)] = t.code
        return index

    def resolve(self, text: str) -> str | None:
        """The code for `text` (code, label or synonym, any case and spacing), or None."""
        return self._index.get(normalise(text))

    def is_vague(self, text: str) -> bool:
        return normalise(text) in {normalise(v) for v in self.vague}

    def extended(self, extra: dict[str, str | dict[str, object]]) -> Vocabulary:
        """This vocabulary with a partnership's own terms added or relabelled.

        `extra` maps a code to a label, or to a table with `label` and `synonyms`.
        """
        terms = {t.code: t for t in self.terms}
        for code, spec in extra.items():
            if isinstance(spec, str):
                spec = {"label": spec}
            old = terms.get(code)
            label = str(spec.get("label", old.label if old else code))
            synonyms = tuple(str(s) for s in spec.get("synonyms", old.synonyms if old else ()))  # type: ignore[union-attr]
            terms[code] = Term(code, label, synonyms)
        return Vocabulary(self.name, tuple(terms.values()), self.vague)


_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower case, every run of punctuation or spacing folded to one space."""
    return _NON_WORD.sub(" ", str(text).lower()).strip()


AGENCIES = Vocabulary(
    "agency",
    (
        Term("childrens_social_care", "Children's social care",
             ("CSC", "social care", "social worker", "children's services", "childrens services",
              "social services", "MASH", "early help")),
        Term("health_visiting", "Health visiting", ("HV", "health visitor", "0-19 service")),
        Term("gp", "GP", ("general practice", "GP surgery", "doctor", "family doctor")),
        Term("midwifery", "Midwifery", ("midwife", "maternity")),
        Term("hospital_ed", "Hospital / ED",
             ("hospital", "ED", "A&E", "A and E", "emergency department", "paediatrics")),
        Term("adult_mental_health", "Adult mental health",
             ("AMH", "CMHT", "community mental health team", "mental health services")),
        Term("police", "Police", ("PPU", "public protection unit")),
        Term("probation", "Probation", ("probation service", "offender management")),
        Term("nursery", "Nursery", ("pre-school", "preschool", "early years", "childminder")),
        Term("school", "School", ("primary school", "secondary school", "education", "school nurse")),
        Term("housing", "Housing", ("housing association", "landlord", "housing officer")),
        Term("substance_use", "Substance-use service",
             ("drug and alcohol service", "alcohol service", "substance misuse", "recovery service")),
        Term("domestic_abuse_service", "Domestic abuse service",
             ("DA service", "IDVA", "women's aid", "refuge")),
        Term("other", "Other agency", ("other agency",)),
    ),
    vague=("professional", "unknown", "agency", "n/a", "na", "?", "various", "someone", "worker",
           "staff", "other professional", "not known", "multi agency", "-"),
)

CATEGORIES = Vocabulary(
    "category",
    (
        Term("was_not_brought", "Was not brought (health appointment)",
             ("not brought", "WNB", "DNA", "did not attend", "missed appointment",
              "missed health appointment", "appointment missed")),
        Term("attendance", "School or nursery absence",
             ("absence", "attendance", "poor attendance", "non attendance", "late", "truancy")),
        Term("home_conditions", "Home conditions", ("home", "home visit concerns", "state of home")),
        Term("domestic_abuse", "Domestic abuse", ("DA", "domestic violence", "DV", "domestic incident")),
        Term("parental_alcohol", "Parental alcohol use", ("alcohol", "drinking")),
        Term("parental_drugs", "Parental drug use", ("drugs", "substance use", "drug use")),
        Term("parental_mental_health", "Parental mental health", ("mental health", "maternal mental health")),
        Term("referral", "Referral", ("contact", "referral received", "MASH referral")),
        Term("conference_plan", "Conference, review or plan",
             ("conference", "ICPC", "RCPC", "core group", "CIN review", "plan", "strategy meeting",
              "review")),
        Term("worker_change", "Change of worker", ("new worker", "new social worker", "allocation")),
        Term("household_change", "Household change",
             ("house move", "move", "new partner", "household", "change of address")),
        Term("injury", "Injury", ("accident", "bruise", "burn")),
        Term("health", "Health and development", ("health", "development", "dental", "weight", "growth")),
        Term("police_callout", "Police call-out", ("call out", "callout", "police attendance")),
        Term("child_voice", "Child's voice", ("voice of the child", "child said", "direct work")),
        Term("positive", "Positive event or strength", ("strength", "good news", "progress")),
        Term("other", "Other", ("other event",)),
    ),
    vague=("concern", "misc", "general", "n/a", "?", "-"),
)

HOW_KNOWN = Vocabulary(
    "how_known",
    (
        Term("seen", "Seen by the worker", ("observed", "seen by worker", "witnessed", "direct")),
        Term("reported", "Reported by someone", ("reported", "told", "parent reported", "disclosed")),
        Term("child_said", "The child said", ("child said", "child told", "child disclosed")),
        Term("third_party", "Third party", ("third party", "anonymous", "neighbour", "referral")),
        Term("record", "Agency record", ("records", "record", "case notes", "system")),
    ),
)

IMPACT = Vocabulary(
    "impact",
    (
        Term("negative", "Negative", ("bad", "harmful", "negative impact", "-ve")),
        Term("positive", "Positive", ("good", "positive impact", "+ve")),
        Term("neutral", "Neutral", ("none", "no impact")),
        Term("unknown", "Unknown", ("not known", "unclear", "?")),
    ),
)

SIGNIFICANCE = Vocabulary(
    "significance",
    (
        Term("low", "Low", ("l", "minor")),
        Term("medium", "Medium", ("m", "moderate", "med")),
        Term("high", "High", ("h", "major", "serious", "significant")),
    ),
)

PLAN_TYPES = Vocabulary(
    "plan_type",
    (
        Term("child_in_need", "Child in need plan", ("CIN", "child in need")),
        Term("child_protection", "Child protection plan", ("CP", "CPP", "child protection")),
        Term("looked_after", "Looked after", ("LAC", "CLA", "in care", "looked after child")),
        Term("early_help", "Early help plan", ("early help", "EHA", "TAF")),
    ),
)

CP_CATEGORIES = Vocabulary(
    "cp_category",
    (
        Term("neglect", "Neglect"),
        Term("emotional_abuse", "Emotional abuse"),
        Term("physical_abuse", "Physical abuse"),
        Term("sexual_abuse", "Sexual abuse"),
        Term("multiple", "Multiple categories"),
    ),
)

# The four parental factors are always kept apart, never one combined label (DOMAIN.md 6).
RISK_FACTORS = Vocabulary(
    "risk_factor",
    (
        Term("parental_alcohol", "Parental alcohol use", ("alcohol",)),
        Term("parental_drugs", "Parental drug use", ("drugs", "substance misuse")),
        Term("parental_mental_health", "Parental mental health", ("mental health",)),
        Term("domestic_abuse", "Domestic abuse", ("domestic violence", "DA", "DV")),
        Term("home_conditions", "Home conditions", ()),
        Term("health_neglect", "Health needs unmet", ("missed appointments",)),
        Term("education", "Education and attendance", ("attendance",)),
        Term("supervision", "Supervision and safety", ("supervision",)),
    ),
)

RELATIONSHIPS = Vocabulary(
    "relationship",
    (
        Term("mother", "Mother", ("mum", "birth mother")),
        Term("father", "Father", ("dad", "birth father")),
        Term("step_parent", "Step-parent", ("stepfather", "stepmother", "step father", "step mother")),
        Term("mothers_partner", "Mother's partner", ("partner", "boyfriend")),
        Term("fathers_partner", "Father's partner", ("girlfriend",)),
        Term("grandparent", "Grandparent", ("grandmother", "grandfather", "nan", "grandad")),
        Term("sibling", "Sibling (adult)", ("brother", "sister")),
        Term("other_relative", "Other relative", ("aunt", "uncle", "cousin")),
        Term("carer", "Carer", ("foster carer", "kinship carer")),
        Term("other", "Other", ()),
    ),
)

DATE_PRECISIONS = ("day", "month", "season", "year", "approximate", "unknown")

# Words in a description that point to one of the four parental factors. A partnership reads
# and edits these in its settings (`[risk_terms]`). A trailing `*` matches any ending
# ("drink*": drinks, drinking, drinker); near misspellings of longer words are matched too
# (see chronology/risk_terms.py), and a category of the same code always counts.
RISK_TERMS: dict[str, tuple[str, ...]] = {
    "parental_alcohol": (
        "alcohol*", "drink*", "drank", "drunk*", "intoxicat*", "under the influence", "hangover*",
        "hungover", "wine", "beer*", "lager", "cider", "vodka", "booze*", "units a week", "had a few",
        "sober since", "been sober", "stayed sober", "staying sober",
        # what a child sees the adult do, in a child's words
        "smelly juice", "funny juice", "special juice", "grown up juice", "special drink*", "grown up drink*",
        "wobbly", "mum's bottle", "mummy's bottle", "dad's bottle", "daddy's bottle", "mum’s bottle",
        "mummy’s bottle", "dad’s bottle", "daddy’s bottle"),
    "parental_drugs": (
        "drug*", "cannabis", "weed", "heroin", "cocaine", "crack", "methadone", "amphetamine*",
        "spice", "ketamine", "substance misuse", "needle*", "clean since", "been clean", "using again"),
    "parental_mental_health": (
        "mental health", "depress*", "anxiety", "anxious", "low mood", "antidepressant*", "psychosis",
        "psychotic", "bipolar", "schizophreni*", "self-harm*", "self harm*", "suicid*", "overdose*",
        "personality disorder", "ptsd"),
    "domestic_abuse": (
        "domestic abuse", "domestic violence", "domestic incident*", "dash", "marac", "idva",
        "coercive", "controlling behaviour", "hit her", "hit him", "non-molestation", "refuge",
        "threw"),
    # recovery and relapse with no substance named: counted for the alcohol or drugs named beside them
    "recovery": ("relapse*", "in recovery", "detox*", "rehab", "back on it", "fell off the wagon"),
}

# Words in an entry's description, action, outcome and impact note that say whether a child was
# seen, seen alone or heard (see chronology/contact_words.py and docs/analysis-rules.md section 2).
# A partnership reads and edits these in its settings (`[contact_terms]`); matching and negation
# are those of the risk terms. "speech" are the verbs of the child's own words ("Jodie said ...").
CONTACT_TERMS: dict[str, tuple[str, ...]] = {
    "seen": (
        "seen", "saw", "sighted", "observed", "spoke to", "spoke with", "spoken to", "spoken with",
        "talked to", "talked with", "met with", "safe and well", "visible"),
    "alone": (
        "alone", "on her own", "on his own", "on their own", "by herself", "by himself", "by themselves",
        "without mum present", "without mum", "without dad present", "without dad", "without parents present",
        "without a parent present", "without an adult present", "away from mum", "away from dad",
        "away from parents", "away from her parents", "away from his parents", "in private", "privately",
        "one to one", "individually"),
    "with_adult": (
        "with mum", "with dad", "with mummy", "with daddy", "with her mum", "with his mum", "with her mother",
        "with his mother", "with her dad", "with his dad", "with her father", "with his father", "with parents",
        "with her parents", "with his parents", "with both parents", "with carer", "with her carer",
        "with his carer", "mum present", "dad present", "mother present", "father present", "parents present",
        "parent present", "carer present", "in the presence of", "in front of mum", "in front of dad",
        "in front of parents"),
    "not_seen": (
        "not seen", "unseen", "did not see", "didn't see", "unable to see", "not able to see", "could not see",
        "couldn't see", "not sighted", "no sighting", "not visible"),
    "no_access": (
        "no reply", "no answer", "no access", "nobody home", "nobody in", "no one home", "no one in",
        "refused entry", "refused access", "denied entry", "denied access", "door not answered",
        "did not answer the door", "didn't answer the door", "not at home"),
    "asleep": ("asleep", "sleeping", "in bed", "napping", "in her cot", "in his cot", "in the cot"),
    "out": (
        "at school", "in school", "at nursery", "in nursery", "at playgroup", "at college", "at a friend's",
        "at a friends", "at nan's", "at nans", "at grandma's", "at her dad's", "at his dad's", "staying with",
        "out with", "was out", "were out", "gone out", "at the park", "at the shops"),
    "speech": (
        "said", "say", "tell", "told", "stated", "states", "spoke", "speak", "talked", "talk", "explained",
        "explains", "disclosed", "discloses", "described", "describes", "shared", "asked", "asks", "replied",
        "replies", "answered", "whispered", "shouted", "commented", "mentioned", "reported", "reports"),
}

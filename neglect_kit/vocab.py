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

    @cached_property
    def _vague_words(self) -> frozenset[str]:  # normalised once, not once per value an import checks
        return frozenset(normalise(v) for v in self.vague)

    def is_vague(self, text: str) -> bool:
        return normalise(text) in self._vague_words

    def extended(self, extra: dict[str, str | dict[str, object]]) -> Vocabulary:
        """This vocabulary with a partnership's own terms added or relabelled.

        `extra` maps a code to a label, or to a table with `label` and `synonyms`. Synonyms given
        for a built-in term are added to its own (a partnership's word for "CAMHS" must not make
        the kit forget "child and adolescent mental health"); the label, if given, replaces it.
        """
        terms = {t.code: t for t in self.terms}
        for code, spec in extra.items():
            if isinstance(spec, str):
                spec = {"label": spec}
            old = terms.get(code)
            label = str(spec.get("label", old.label if old else code))
            added = tuple(str(s) for s in spec.get("synonyms", ()))  # type: ignore[union-attr]
            synonyms = tuple(dict.fromkeys((*(old.synonyms if old else ()), *added)))
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
              "social services", "MASH", "early help", "children's social care", "social work",
              "children and families", "safeguarding team", "referral and assessment", "assessment team",
              "children in need team", "child protection team", "family support")),
        Term("health_visiting", "Health visiting",
             ("HV", "health visitor", "0-19 service", "health visiting service", "health visitors", "HV service",
              "0-5 service", "0-5 health")),
        Term("gp", "GP", ("general practice", "GP surgery", "doctor", "family doctor", "GP practice", "surgery",
                          "practice nurse", "medical centre", "health centre")),
        Term("midwifery", "Midwifery", ("midwife", "maternity", "community midwife", "antenatal clinic",
                                        "maternity unit", "midwifery service")),
        Term("hospital_ed", "Hospital / ED",
             ("hospital", "ED", "A&E", "A and E", "emergency department", "paediatrics", "paediatric ward",
              "ward", "urgent care", "urgent treatment centre", "UTC", "walk-in centre", "minor injuries unit",
              "MIU")),
        Term("community_paediatrics", "Community paediatrics",
             ("community paediatrician", "community paediatric service", "paediatrician",
              "child development centre", "CDC", "community child health")),
        Term("school_nursing", "School nursing",
             ("school nurse", "school nurses", "school health", "school health service", "0-19 school health",
              "school nursing service", "school health nurse")),
        Term("camhs", "CAMHS",
             ("child and adolescent mental health", "child and adolescent mental health service",
              "child and adolescent mental health services", "CYPMHS", "children's mental health service",
              "children and young people's mental health service")),
        Term("adult_mental_health", "Adult mental health",
             ("AMH", "CMHT", "community mental health team", "mental health services", "adult mental health services",
              "crisis team", "home treatment team", "perinatal mental health", "perinatal mental health team",
              "talking therapies", "IAPT")),
        Term("police", "Police", ("PPU", "public protection unit", "constabulary", "police force",
                                  "neighbourhood policing", "police officer")),
        Term("probation", "Probation", ("probation service", "offender management", "NPS", "CRC",
                                        "probation officer")),
        Term("youth_justice", "Youth justice",
             ("YOT", "youth offending team", "youth offending service", "YOS", "YJS", "youth justice service")),
        Term("ambulance", "Ambulance service", ("ambulance", "paramedic", "paramedics", "999 ambulance")),
        Term("early_years", "Early years",
             ("early years", "early years service", "early years team", "children's centre", "childrens centre",
              "sure start")),
        Term("nursery", "Nursery", ("pre-school", "preschool", "childminder", "nursery school", "playgroup",
                                    "day nursery")),
        Term("school", "School", ("primary school", "secondary school", "education", "academy", "infant school",
                                  "junior school", "high school", "college", "sixth form", "pupil referral unit",
                                  "PRU", "education safeguarding", "education welfare", "education welfare officer",
                                  "EWO", "attendance team", "virtual school")),
        Term("dental_service", "Dental service",
             ("dentist", "dental", "dental practice", "dental surgery", "community dental service",
              "dental hospital")),
        Term("housing", "Housing", ("housing association", "landlord", "housing officer", "council housing",
                                    "homelessness team", "housing options", "housing department")),
        Term("substance_use", "Substance-use service",
             ("drug and alcohol service", "alcohol service", "substance misuse", "recovery service",
              "substance misuse service", "substance misuse team", "drug and alcohol team", "drug service",
              "drugs service", "alcohol team", "substance use service")),
        Term("domestic_abuse_service", "Domestic abuse service",
             ("DA service", "IDVA", "women's aid", "refuge", "domestic abuse service", "domestic violence service",
              "IDVA service", "DA outreach")),
        Term("voluntary_sector", "Voluntary sector",
             ("voluntary", "voluntary sector", "charity", "third sector", "NSPCC", "Barnardo's", "Barnardos",
              "Home-Start", "Homestart")),
        Term("other", "Other agency", ("other agency",)),
    ),
    vague=("professional", "unknown", "agency", "n/a", "na", "?", "various", "someone", "worker",
           "staff", "other professional", "not known", "multi agency", "-"),
)

CATEGORIES = Vocabulary(
    "category",
    (
        Term("home_visit", "Home visit",
             ("home visit", "HV visit", "visit", "unannounced visit", "announced visit", "statutory visit",
              "CP visit", "CIN visit", "visit to the home", "home visit seen", "SW visit", "social work visit",
              "visit completed", "visit home")),
        Term("no_access", "No access visit",
             ("no access", "no access visit", "no reply", "NA visit", "no answer", "nobody home", "no one home",
              "no one in", "refused entry", "refused access", "failed visit", "unsuccessful visit",
              "not at home")),
        Term("was_not_brought", "Was not brought (health appointment)",
             ("not brought", "WNB", "DNA", "did not attend", "missed appointment",
              "missed health appointment", "appointment missed", "was not brought", "no show",
              "failed to attend", "FTA")),
        Term("attendance", "School or nursery absence",
             ("absence", "attendance", "poor attendance", "non attendance", "late", "truancy",
              "unauthorised absence", "persistent absence", "school attendance", "lateness",
              "child missing education", "CME")),
        Term("hunger_food", "Hunger and food",
             ("hunger", "hungry", "food", "no food", "food poverty", "food bank", "food parcel", "nutrition",
              "diet", "not fed", "lack of food")),
        Term("physical_care", "Physical care and hygiene",
             ("physical care", "hygiene", "personal hygiene", "poor hygiene", "head lice", "nits", "presentation",
              "poor presentation", "unkempt", "clothing", "clothes", "inappropriate clothing", "dirty clothes",
              "smell", "smelly", "nappy rash", "uniform")),
        Term("growth_weight", "Growth and weight",
             ("growth", "weight", "faltering growth", "weight loss", "weight gain", "failure to thrive", "FTT",
              "centile", "centiles", "underweight", "overweight", "obesity", "BMI", "weighed")),
        Term("dental", "Dental care",
             ("dental", "dentist", "dental decay", "tooth decay", "decay", "teeth", "dental neglect",
              "extraction", "extractions", "toothache", "dental pain", "no dentist")),
        Term("medical_need", "Medical need left untreated",
             ("medical need", "medical needs", "untreated", "medical neglect", "unmet medical need",
              "medication not given", "medication", "treatment not sought", "medical care", "untreated condition")),
        Term("home_conditions", "Home conditions", ("home", "home visit concerns", "state of home",
                                                    "state of the home", "living conditions", "home environment",
                                                    "hoarding")),
        Term("domestic_abuse", "Domestic abuse", ("DA", "domestic violence", "DV", "domestic incident",
                                                  "domestic", "Operation Encompass", "Encompass", "DASH", "MARAC")),
        Term("parental_alcohol", "Parental alcohol use", ("alcohol", "drinking")),
        Term("parental_drugs", "Parental drug use", ("drugs", "substance use", "drug use", "substance misuse")),
        Term("parental_mental_health", "Parental mental health", ("mental health", "maternal mental health",
                                                                  "postnatal depression", "PND")),
        Term("referral", "Referral", ("contact", "referral received", "MASH referral", "safeguarding referral",
                                      "MASH enquiry", "contact received")),
        Term("conference_plan", "Conference, review or plan",
             ("conference", "ICPC", "RCPC", "core group", "CIN review", "plan", "strategy meeting",
              "review", "child protection conference", "CP conference", "core group meeting", "CIN meeting",
              "TAF meeting", "TAC meeting", "LAC review", "strategy discussion", "section 47", "s47")),
        Term("worker_change", "Change of worker", ("new worker", "new social worker", "allocation",
                                                   "reallocation", "change of worker", "case transferred")),
        Term("household_change", "Household change",
             ("house move", "move", "new partner", "household", "change of address", "moved house",
              "new address")),
        Term("injury", "Injury", ("accident", "bruise", "burn", "injuries", "bruising", "fracture")),
        Term("health", "Health and development", ("health", "development", "developmental check",
                                                  "health review", "immunisation", "illness")),
        Term("police_callout", "Police call-out", ("call out", "callout", "police attendance", "police call out",
                                                   "police called", "police visit")),
        Term("child_voice", "Child's voice", ("voice of the child", "child said", "direct work", "child's views",
                                              "wishes and feelings")),
        Term("positive", "Positive event or strength", ("strength", "good news", "progress", "strengths")),
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

# kept in step with chronology.dates.PRECISIONS (a test checks)
DATE_PRECISIONS = ("day", "month", "term", "season", "year", "approximate", "unknown")

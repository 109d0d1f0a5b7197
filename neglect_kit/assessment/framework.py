"""The kit's own neglect assessment framework: four areas, their sub-areas, and what each grade means.

Written for the kit on public ideas (a needs hierarchy; care graded for the here and now),
never in the words of a licensed tool. A partnership may reword the grade descriptions in
its settings; the codes stay, so earlier assessments still read.
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_ENOUGH_EVIDENCE = "not_enough_evidence"
GRADES = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class SubArea:
    code: str
    label: str
    prompt: str  # what the worker looks at, in the kit's words


@dataclass(frozen=True)
class Area:
    code: str
    label: str
    sub_areas: tuple[SubArea, ...]


AREAS: tuple[Area, ...] = (
    Area("physical_care", "Physical care", (
        SubArea("food", "Food and drink",
                "Does the child get enough to eat and drink, regularly, suited to their age?"),
        SubArea("home_sleep", "Home and sleep", "Is the home safe, warm and clean enough, with a bed and a bedtime?"),
        SubArea("clothing", "Clothing", "Does the child have clean clothes that fit and suit the weather?"),
        SubArea("hygiene", "Hygiene", "Is the child kept clean, with help suited to their age?"),
        SubArea("health", "Health and dental care",
                "Is the child taken to health, dental and other appointments, and cared for when ill?"),
    )),
    Area("safety", "Safety and supervision", (
        SubArea("carer_present", "With the carer present",
                "When the carer is there, is the child watched and kept from harm?"),
        SubArea("carer_absent", "With the carer absent, or other carers",
                "Who looks after the child when the carer is not there, and are they safe?"),
        SubArea("hazards", "Hazards at home, outside and online",
                "Are medicines, alcohol, drugs, fires, roads and the internet kept from harming the child?"),
    )),
    Area("emotional_warmth", "Emotional warmth", (
        SubArea("responsiveness", "Responsiveness to the child",
                "Does the carer notice and answer the child's feelings and needs?"),
        SubArea("engagement", "Shared engagement", "Does the carer spend time with the child, doing things together?"),
    )),
    Area("development", "Development and esteem", (
        SubArea("play", "Play and stimulation", "Does the child have things to do, play and talk that help them grow?"),
        SubArea("learning", "Learning and attendance",
                "Does the child get to nursery or school, on time, and get help with learning?"),
        SubArea("praise_boundaries", "Praise and boundaries",
                "Is the child praised, and are rules clear, fair and kept without harm?"),
        SubArea("acceptance", "Acceptance and identity",
                "Is the child accepted for who they are, with their culture, faith and needs respected?"),
    )),
)

def sub_area_codes() -> list[str]:
    return [s.code for a in AREAS for s in a.sub_areas]


def sub_area_label(code: str) -> str:
    """The sub-area's name as a reader sees it ("Food and drink")."""
    return next((s.label for a in AREAS for s in a.sub_areas if s.code == code), code)


def area_of(sub_area: str) -> Area:
    for area in AREAS:
        if any(s.code == sub_area for s in area.sub_areas):
            return area
    raise KeyError(sub_area)

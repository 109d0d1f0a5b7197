"""The anonymised view: people shown as role labels, names and identifiers taken out of text.

A reader of the anonymised view sees "Child A", "Mother", "Grandparent" instead of names,
and no name, date of birth, address or UK identifier in any text. The labels come from a
mapping kept by the kit, never from the text itself, so the same person always gets the
same label. This is a view for screens and printouts; research extracts need more (keyed
date shifts, k-anonymity), which they add on top of this.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .vocab import RELATIONSHIPS

NAMED, ANONYMISED = "named", "anonymised"  # the two views of a case

# UK identifiers that may sit in free text (DOMAIN.md section 8).
_PATTERNS = (
    ("[NHS number]", re.compile(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b")),
    ("[NI number]", re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.I)),
    # a space may stand before each digit, never after the last (the words after a number keep theirs)
    ("[phone]", re.compile(r"(?<!\w)(?:\+44|0)(?:\s?\d){9,10}\b")),
    ("[postcode]", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)),
    ("[email]", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("[address]", re.compile(r"\b\d+[a-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|"
                             r"Close|Drive|Way|Walk|Rise|Court|Crescent|Place|Grove|Gardens|Terrace|Row|Hill)\b")),
)


@dataclass(frozen=True)
class Person:
    """What the anonymiser needs to know of someone in the case."""

    id: str
    kind: str  # child | adult
    name: str
    known_as: tuple[str, ...] = ()
    date_of_birth: date | None = None
    relationships: dict[str, str] = field(default_factory=dict)


def role_labels(people: Iterable[Person]) -> dict[str, str]:
    """Child A, Child B ... by date of birth; adults by their relationship to the children.

    Two adults with the same relationship are told apart by number ("Father 2").
    """
    people = list(people)
    children = sorted((p for p in people if p.kind == "child"),
                      key=lambda p: (p.date_of_birth or date.max, p.id))
    labels = {c.id: f"Child {_letters(i)}" for i, c in enumerate(children)}
    used: dict[str, int] = {}
    for adult in (p for p in people if p.kind != "child"):
        rel = next(iter(adult.relationships.values()), "other")
        base = RELATIONSHIPS.label(rel) if rel != "other" else "Adult"
        used[base] = used.get(base, 0) + 1
        labels[adult.id] = base if used[base] == 1 else f"{base} {used[base]}"
    return labels


def _letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def name_variants(person: Person) -> set[str]:
    """The ways a record may name someone: full name, each part, each half of a hyphenated
    part, and every nickname."""
    variants = {person.name.strip(), *(k.strip() for k in person.known_as)}
    for part in person.name.split():
        variants.add(part)
        variants.update(p for p in part.split("-") if p)
    return {v for v in variants if len(v) >= 2}


class Anonymiser:
    """Replaces the case's people in text with their role labels, and UK identifiers with tags."""

    def __init__(self, people: Iterable[Person], extra_terms: Iterable[str] = ()):
        people = list(people)
        self.labels = role_labels(people)
        owners: dict[str, set[str]] = {}
        for person in people:
            for variant in name_variants(person):
                owners.setdefault(variant.lower(), set()).add(person.id)
        # a name two people share (the family surname) cannot say who: it becomes "[name]"
        table = {v: self.labels[next(iter(ids))] if len(ids) == 1 else "[name]" for v, ids in owners.items()}
        for term in extra_terms:
            if term.strip():
                table.setdefault(term.strip().lower(), "[redacted]")
        self._table = table
        alternatives = sorted(table, key=len, reverse=True)
        self._names = (re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in alternatives) + r")(?:'s)?(?!\w)",
                                  re.I) if alternatives else None)

    def text(self, value: str) -> str:
        """`value` with every known name and UK identifier replaced."""
        if not value:
            return value
        out = value
        for tag, pattern in _PATTERNS:
            out = pattern.sub(tag, out)
        if self._names is not None:
            out = self._names.sub(self._replace, out)
        return out

    def _replace(self, match: re.Match[str]) -> str:
        label = self._table[match.group(1).lower()]
        return label + ("'s" if match.group(0).lower().endswith("'s") else "")

    def label(self, person_id: str) -> str:
        return self.labels.get(person_id, person_id)


def anonymiser_for(people: list[dict[str, Any]]) -> Anonymiser:
    """The case's anonymiser, from the store's people rows."""
    return Anonymiser(Person(p["id"], p["kind"], p["name"], tuple(p["known_as"] or ()),
                             p["date_of_birth"] or p["expected_date_of_birth"], dict(p["relationships"] or {}))
                      for p in people)


def people_labels(people: list[dict[str, Any]], view: str) -> dict[str, str]:
    """How each person is shown: first name in the named view, role label in the anonymised one."""
    if view == ANONYMISED:
        return anonymiser_for(people).labels
    return {p["id"]: p["name"] for p in people}

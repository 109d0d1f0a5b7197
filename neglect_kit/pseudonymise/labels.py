"""Role labels: how the scrubbed text names people ("Child A", "Mother", "HV1") instead of their names.

A label comes from the kit's own records of the case, never from the text, so the same person always
gets the same label. Nothing here imports Presidio: the apps name people by label without the engine.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..vocab import RELATIONSHIPS

# a professional is labelled by the agency that recorded them: "HV1", "PC2"; an agency a partnership adds: "PRO1"
AGENCY_PREFIX = {
    "childrens_social_care": "SW", "health_visiting": "HV", "gp": "GP", "midwifery": "MW", "hospital_ed": "ED",
    "community_paediatrics": "PAED", "school_nursing": "SN", "camhs": "CAMHS", "adult_mental_health": "MH",
    "police": "PC", "probation": "PO", "youth_justice": "YJ", "ambulance": "AMB", "early_years": "EY",
    "nursery": "NUR", "school": "SCH", "dental_service": "DEN", "housing": "HO", "substance_use": "SU",
    "domestic_abuse_service": "DA", "voluntary_sector": "VS", "other": "PRO",
}


@dataclass(frozen=True)
class Person:
    """What the scrubber needs to know of someone in the case."""

    id: str
    kind: str  # child | adult
    name: str
    known_as: tuple[str, ...] = ()
    date_of_birth: date | None = None
    relationships: dict[str, str] = field(default_factory=dict)
    address: str = ""


def person_from_row(row: dict[str, Any]) -> Person:
    """A `Person` from the store's people row (or any dict with the same keys)."""
    return Person(str(row["id"]), str(row.get("kind") or "adult"), str(row.get("name") or ""),
                  tuple(row.get("known_as") or ()), row.get("date_of_birth") or row.get("expected_date_of_birth"),
                  dict(row.get("relationships") or {}), str(row.get("address") or ""))


def role_labels(people: Iterable[Person]) -> dict[str, str]:
    """Child A, Child B ... by date of birth; adults by their relationship to the children.

    Two adults with the same relationship are told apart by number ("Father 2").
    """
    people = list(people)
    children = sorted((p for p in people if p.kind == "child"),
                      key=lambda p: (p.date_of_birth or date.max, p.id))
    labels = {c.id: f"Child {letters(i)}" for i, c in enumerate(children)}
    used: dict[str, int] = {}
    for adult in (p for p in people if p.kind != "child"):
        rel = next(iter(adult.relationships.values()), "other")
        base = RELATIONSHIPS.label(rel) if rel != "other" else "Adult"
        used[base] = used.get(base, 0) + 1
        labels[adult.id] = base if used[base] == 1 else f"{base} {used[base]}"
    return labels


def letters(i: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the letter of the i-th child."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def agency_prefix(agency: str) -> str:
    """The letters a professional of `agency` (a code) is labelled by."""
    return AGENCY_PREFIX.get(agency, "PRO")


def keyed_id(key: bytes, *parts: str, prefix: str = "", length: int = 10) -> str:
    """A stable pseudonym for `parts` (a case id, a person id) under a secret key: the same parts give the
    same id under one key, and without the key the id says nothing of the parts (HMAC-SHA256).

    Raises:
        ValueError: an empty key (a pseudonym anyone could recompute).
    """
    if not key:
        raise ValueError("the pseudonym key is empty: give a secret key of at least 16 bytes")
    digest = hmac.new(key, "\x1f".join(parts).encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{prefix}{digest[:length]}"

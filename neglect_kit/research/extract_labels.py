"""Role labels for an extract: the same label for the same person in every table and every case of it.

Children are lettered across the whole extract ("Child A", "Child B" in the first case, "Child C" in the
next), by case and then by date of birth, so a child's label alone says who, in any table. Adults take
their relationship to the children ("Mother", "Mother's partner", "Grandmother", "Father 2" for a second
father in one case); every row of every table carries its case's own label ("Case 1"), so "Mother" of
Case 1 and "Mother" of Case 2 are told apart by it. Professionals are labelled by the engine ("SW1", "HV1",
"PC1": `pseudonymise.denylists.professionals_from`), from every case's recorded-by texts together, so a
worker of two cases has one label. What each label stands for is written only to the keyed mapping.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..pseudonymise.labels import letters
from ..vocab import RELATIONSHIPS

# relationships a person's sex says more precisely, as people write them
_BY_SEX = {("grandparent", "female"): "Grandmother", ("grandparent", "male"): "Grandfather",
           ("step_parent", "female"): "Stepmother", ("step_parent", "male"): "Stepfather"}


def case_labels(case_ids: list[str]) -> dict[str, str]:
    """"Case 1", "Case 2" ... in the order the cases were asked for."""
    return {case_id: f"Case {i}" for i, case_id in enumerate(case_ids, 1)}


def people_labels(cases: list[tuple[str, list[dict[str, Any]]]]) -> dict[tuple[str, str], str]:
    """Each person's label, keyed by (case id, person id).

    Args:
        cases: each case's id and its people (the store's rows), in the extract's order.
    """
    labels: dict[tuple[str, str], str] = {}
    n = 0
    for case_id, people in cases:
        children = sorted((p for p in people if p["kind"] == "child"),
                          key=lambda p: (p["date_of_birth"] or p["expected_date_of_birth"] or date.max, p["id"]))
        for child in children:
            labels[(case_id, child["id"])] = f"Child {letters(n)}"
            n += 1
        used: dict[str, int] = {}
        for adult in (p for p in people if p["kind"] != "child"):
            relationship = next(iter((adult["relationships"] or {}).values()), "other")
            base = _BY_SEX.get((relationship, adult.get("sex") or "")) or (
                RELATIONSHIPS.label(relationship) if relationship != "other" else "Adult")
            used[base] = used.get(base, 0) + 1
            labels[(case_id, adult["id"])] = base if used[base] == 1 else f"{base} {used[base]}"
    return labels

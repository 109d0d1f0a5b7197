"""The k-anonymity gate: no extract whose quasi-identifiers single out fewer than k children.

The quasi-identifiers are what someone outside could know of a child from the press or a neighbour: age
band, sex, council, year and plan type. Each child counts once in every group they fall in (one group per
plan: their age band when it started, its year and type; a child with no plan, one group at their first
record). The values are the extract's own (the year after the date shift, the council's label), since
those are what a reader of the extract holds. Below `settings.research.min_k` children in any group, the
extract is refused and the message names those groups; a lower k is taken only with a reason, which the
extract's log keeps.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .extract_errors import ExtractError

QUASI_IDENTIFIERS = ("age band", "sex", "council", "year", "plan type")


@dataclass(frozen=True)
class Group:
    """One combination of the quasi-identifiers."""

    age_band: str
    sex: str
    council: str
    year: int | None
    plan_type: str

    def words(self) -> str:
        return ", ".join((self.age_band, self.sex or "sex not recorded", self.council,
                          str(self.year) if self.year else "year not known", self.plan_type))


@dataclass(frozen=True)
class Gate:
    """The threshold the extract was held to, and why when it is below the settings' own."""

    k: int
    setting: int
    reason: str = ""

    @property
    def lowered(self) -> bool:
        return self.k < self.setting


def gate(setting: int, min_k: int | None = None, reason: str = "") -> Gate:
    """The threshold to hold the extract to: the settings', or `min_k` (lower only with a reason).

    Raises:
        ExtractError: `min_k` below 1, or below the setting with no reason given.
    """
    if min_k is None:
        if reason.strip():
            raise ExtractError("--reason is for a lowered threshold: give it with --min-k N")
        return Gate(setting, setting)
    if min_k < 1:
        raise ExtractError(f"--min-k {min_k}: a group holds at least 1 child; give 1 or more")
    if min_k < setting and not reason.strip():
        raise ExtractError(f"--min-k {min_k} is below the settings' {setting}: say why with --reason TEXT "
                           "(the extract's log keeps it)")
    return Gate(min_k, setting, " ".join(reason.split()))


def group_sizes(members: list[tuple[Group, str]]) -> dict[Group, int]:
    """How many distinct children fall in each group, from (group, child label) pairs."""
    children: dict[Group, set[str]] = defaultdict(set)
    for group, child in members:
        children[group].add(child)
    return {g: len(c) for g, c in children.items()}


def check(members: list[tuple[Group, str]], held: Gate) -> dict[Group, int]:
    """The group sizes, when every group holds at least `held.k` children.

    Raises:
        ExtractError: one line naming each group that is too small and how many it holds.
    """
    sizes = group_sizes(members)
    small = sorted(((g, n) for g, n in sizes.items() if n < held.k), key=lambda gn: (gn[1], gn[0].words()))
    if small:
        named = "; ".join(f"{g.words()} ({n} child{'ren' if n != 1 else ''})" for g, n in small)
        raise ExtractError(
            f"refused: {len(small)} of {len(sizes)} group{'s' if len(sizes) != 1 else ''} of "
            f"{', '.join(QUASI_IDENTIFIERS)} hold{'s' if len(small) == 1 else ''} fewer than {held.k} children, "
            f"so a child could be found from them: {named}. Add cases, or lower k with a reason (--min-k N "
            "--reason TEXT)")
    return sizes

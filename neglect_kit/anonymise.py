"""The anonymised view: people shown as role labels, names and identifiers taken out of text.

A reader of the anonymised view sees "Child A", "Mother", "HV1" instead of names, and no name, date
of birth, address, school, town or UK identifier in any text. The scrubbing is the kit's one engine,
`pseudonymise` (Presidio with no language model); this module keeps the names the apps use. The labels
come from a mapping kept by the kit, never from the text itself, so the same person always gets the same
label. Research extracts add keyed date shifts and k-anonymity on top of the same engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from .pseudonymise.labels import Person, role_labels

if TYPE_CHECKING:
    from .pseudonymise.denylists import name_variants
    from .pseudonymise.engine import Scrubber

NAMED, ANONYMISED = "named", "anonymised"  # the two views of a case

__all__ = ["ANONYMISED", "NAMED", "Anonymiser", "Person", "anonymiser_for", "name_variants", "people_labels",
           "role_labels"]


def __getattr__(name: str) -> Any:
    # `name_variants` loaded when first asked for: its word lists are not needed to open an app's page
    if name == "name_variants":
        from .pseudonymise.denylists import name_variants

        return name_variants
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Anonymiser:
    """Replaces the case's people in text with their role labels, its professionals with agency labels,
    its places and UK identifiers with typed placeholders. The engine is built on first use (Presidio's
    import takes a second: a named view never pays it)."""

    def __init__(self, people: Iterable[Person], extra_terms: Iterable[str] = (), *,
                 professionals: Sequence[dict[str, Any]] = (), logins: Iterable[str] = ()):
        """Args:
            people: the case's people.
            extra_terms: places to scrub too: the council's name, schools, surgeries, streets.
            professionals: {"agency": code, "recorded_by": text} rows naming the case's professionals.
            logins: user names that saved the records shown.
        """
        self._people = list(people)
        self.labels = role_labels(self._people)
        self._places = tuple(t.strip() for t in extra_terms if t.strip())
        self._professionals = tuple(professionals)
        self._logins = tuple(sorted({x for x in logins if x}))
        self._scrubber: Scrubber | None = None

    @property
    def scrubber(self) -> Scrubber:
        """The case's engine (built once per case and kept)."""
        if self._scrubber is None:
            from .pseudonymise.engine import Scrubber

            rows = [{**asdict(p), "known_as": list(p.known_as)} for p in self._people]
            self._scrubber = Scrubber.for_case(rows, self._professionals, self._places, self.labels, self._logins)
        return self._scrubber

    def text(self, value: str) -> str:
        """`value` with every known name, place and UK identifier replaced."""
        if not value or not value.strip():
            return value
        return self.scrubber.text(value).text

    def texts(self, values: Sequence[str]) -> list[str]:
        """Each of `values` scrubbed, in a few calls of the engine."""
        return [r.text for r in self.scrubber.texts(values)]

    def label(self, person_id: str) -> str:
        return self.labels.get(person_id, person_id)

    def login_label(self, login: str) -> str:
        """How a login that saved records is shown: "User 1" (empty stays empty)."""
        return self.scrubber.login_label(login) if login else ""


def anonymiser_for(people: list[dict[str, Any]], extra_terms: Iterable[str] = (), *,
                   professionals: Sequence[dict[str, Any]] = (), logins: Iterable[str] = ()) -> Anonymiser:
    """The case's anonymiser, from the store's people rows (and, where known, its places, professionals
    and the logins that saved its records)."""
    return Anonymiser((Person(p["id"], p["kind"], p["name"], tuple(p.get("known_as") or ()),
                              p.get("date_of_birth") or p.get("expected_date_of_birth"),
                              dict(p.get("relationships") or {}), str(p.get("address") or ""))
                       for p in people), extra_terms, professionals=professionals, logins=logins)


def people_labels(people: list[dict[str, Any]], view: str) -> dict[str, str]:
    """How each person is shown: first name in the named view, role label in the anonymised one."""
    if view == ANONYMISED:
        return anonymiser_for(people).labels
    return {p["id"]: p["name"] for p in people}

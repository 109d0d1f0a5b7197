"""The scrubbing engine: Presidio's analyzer and anonymizer, with no language model, over one case.

`Scrubber.for_case` builds the case's recognizers (deny-lists from its people, professionals and places,
plus UK patterns) once and keeps the scrubber in a small cache, so an app redrawing the anonymised view
builds nothing again. `Scrubber.texts` scrubs many texts in a few Presidio calls: texts are joined with a
separator no pattern can cross, analysed and anonymised together, then split again (a result that did
cross would be a bug in a pattern: those texts are scrubbed one by one instead).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .dates import date_pattern
from .denylists import (
    Place,
    common_words,
    council_place,
    initials,
    institution_variants,
    institutions_in,
    name_variants,
    place_kind,
    places_from_address,
    professionals_from,
)
from .labels import person_from_row, role_labels
from .residual import Token, residual

_SEPARATOR = "\n\x00\n"  # no pattern matches NUL, so none reaches from one text into the next
_CHUNK = 40_000  # characters analysed in one Presidio call
_CACHE_SIZE = 16


@dataclass(frozen=True)
class Change:
    """One replacement: which recognizer's entity, where the replacement now sits in the scrubbed text
    (`text[start:end]` is the label or placeholder), and Presidio's operator. Never the original value."""

    recognizer: str
    start: int
    end: int
    operator: str


@dataclass(frozen=True)
class ScrubResult:
    """Scrubbed text and what was changed in it."""

    text: str
    changes: tuple[Change, ...]

    def residual(self, skip: Iterable[tuple[int, int]] = ()) -> list[Token]:
        """The tokens left for a person to check, the scrubber's own labels and placeholders passed over, and
        the spans (start, end) in `skip`."""
        return residual(self.text, [*((c.start, c.end) for c in self.changes), *skip])


class Scrubber:
    """One case's scrubber: `text(value)` and `texts(values)` replace its people by role label, its
    professionals by agency label ("HV1"), its places and every UK identifier by a typed placeholder."""

    def __init__(self, entities: dict[str, tuple[str, list[Any]]], labels: dict[str, str],
                 logins: dict[str, str], ambiguous: set[str]):
        """Use `Scrubber.for_case`; `entities` maps each entity to (replacement, recognizers)."""
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NoOpNlpEngine
        from presidio_anonymizer import AnonymizerEngine
        from presidio_anonymizer.entities import OperatorConfig

        from .recognizers import PLACEHOLDERS, NoContext, uk_recognizers

        registry = RecognizerRegistry(supported_languages=["en"])
        for recognizer in uk_recognizers():
            registry.add_recognizer(recognizer)
        for _, recognizers in entities.values():
            for recognizer in recognizers:
                registry.add_recognizer(recognizer)
        # Presidio's own no-op engine: no spaCy model is loaded, none is downloaded. Context words would only
        # raise scores, and every score is kept (threshold 0): the enhancer that reads them is one that passes
        # results through (Presidio's default deep-copies every result to change nothing, a third of the time)
        nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "no_op"}])
        self._analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"],
                                        default_score_threshold=0, context_aware_enhancer=NoContext())
        self._anonymizer = AnonymizerEngine()
        replacements = {**PLACEHOLDERS, **{e: r for e, (r, _) in entities.items()}}
        self._operators = {e: OperatorConfig("replace", {"new_value": r}) for e, r in replacements.items()}
        self._operators["DEFAULT"] = OperatorConfig("replace", {"new_value": "[redacted]"})
        self.labels = labels
        self.logins = logins
        self._ambiguous = re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in sorted(ambiguous, key=len,
                                     reverse=True)) + r")(?!\w)") if ambiguous else None
        self._memo: dict[str, ScrubResult] = {}

    # building ------------------------------------------------------------------------------------------

    @classmethod
    def for_case(cls, people: Sequence[dict[str, Any]], professionals: Sequence[dict[str, Any]] = (),
                 places: Sequence[str] = (), labels: dict[str, str] | None = None,
                 logins: Iterable[str] = ()) -> Scrubber:
        """The scrubber of one case, from its own records; the same records give the same (cached) scrubber.

        Args:
            people: the store's people rows (id, kind, name, known_as, date_of_birth, relationships, address).
            professionals: {"agency": code, "recorded_by": text} for each recorded-by value (an entry's
                source detail, an assessor's name); names and collar numbers in them are found and labelled
                by agency ("HV1").
            places: more places to scrub: the council's name, schools, surgeries, streets.
            labels: person id -> label (default: `role_labels`, "Child A", "Mother").
            logins: user names that saved records; each becomes "User 1", "User 2".
        """
        key = json.dumps([list(people), list(professionals), list(places), labels, sorted(set(logins))],
                         sort_keys=True, default=str)
        cached = _CACHE.get(key)
        if cached is not None:
            _CACHE.move_to_end(key)
            return cached
        scrubber = _build(cls, people, professionals, places, labels, logins)
        _CACHE[key] = scrubber
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
        return scrubber

    # scrubbing -----------------------------------------------------------------------------------------

    def text(self, value: str) -> ScrubResult:
        """`value` scrubbed, with the changes made."""
        done = self._memo.get(value)  # most often one `warm` scrubbed: taken as it is, no list made for it
        return done if done is not None else self.texts([value])[0]

    def texts(self, values: Sequence[str]) -> list[ScrubResult]:
        """Each of `values` scrubbed (in a few Presidio calls; texts seen before come from memory)."""
        self.warm(values)
        return [self._memo[v] if v in self._memo else ScrubResult(v, ()) for v in values]

    def warm(self, values: Sequence[str]) -> None:
        """Scrub those of `values` not yet scrubbed, in a few Presidio calls; `text` and `texts` then find them
        done (for a caller that asks for each text later, where it needs it: no list of results made now)."""
        todo = list(dict.fromkeys(v for v in values if v and v.strip() and v not in self._memo))
        chunk: list[str] = []
        size = 0
        for value in todo:
            if "\x00" in value:
                self._memo[value] = self._one(value)
                continue
            if chunk and size + len(value) > _CHUNK:
                self._run(chunk)
                chunk, size = [], 0
            chunk.append(value)
            size += len(value) + len(_SEPARATOR)
        if chunk:
            self._run(chunk)

    def _one(self, value: str) -> ScrubResult:
        found = self._analyzer.analyze(value, language="en")
        done = self._anonymizer.anonymize(value, found, self._operators, **_conflicts())
        return ScrubResult(done.text, tuple(sorted((_change(i.entity_type, i.start, i.end, i.operator)
                                                   for i in done.items), key=lambda c: c.start)))

    def _run(self, chunk: list[str]) -> None:
        joined = _SEPARATOR.join(chunk)
        found = self._analyzer.analyze(joined, language="en")
        starts, pos = [], 0
        for value in chunk:
            starts.append(pos)
            pos += len(value) + len(_SEPARATOR)
        if any(r.end > starts[bisect_right(starts, r.start) - 1] + len(chunk[bisect_right(starts, r.start) - 1])
               for r in found):
            for value in chunk:  # a result reached across the separator: one by one instead
                self._memo[value] = self._one(value)
            return
        done = self._anonymizer.anonymize(joined, found, self._operators, **_conflicts())
        pieces = done.text.split(_SEPARATOR)
        offsets, pos = [], 0
        for piece in pieces:
            offsets.append(pos)
            pos += len(piece) + len(_SEPARATOR)
        changes: list[list[Change]] = [[] for _ in pieces]
        for item in done.items:
            i = bisect_right(offsets, item.start) - 1
            changes[i].append(_change(item.entity_type, item.start - offsets[i], item.end - offsets[i],
                                      item.operator))
        for value, piece, made in zip(chunk, pieces, changes, strict=True):
            self._memo[value] = ScrubResult(piece, tuple(sorted(made, key=lambda c: c.start)))

    # labels --------------------------------------------------------------------------------------------

    def label(self, person_id: str) -> str:
        """A person's label; an unknown id as it is."""
        return self.labels.get(person_id, person_id)

    def login_label(self, login: str) -> str:
        """How a login that saved records is shown ("User 1"); an empty login stays empty."""
        return self.logins.get(login, "User" if login else "")

    def residual(self, result: ScrubResult, skip: Iterable[tuple[int, int]] = ()) -> list[Token]:
        """`result.residual()`, plus every case name kept because it was written as an everyday word
        ("will", "rose"), for a person to check.

        Args:
            result: scrubbed text and its changes.
            skip: more spans (start, end) to pass over as the changes are: labels the caller wrote itself.
        """
        tokens = result.residual(skip)
        if self._ambiguous is not None:
            tokens += [Token(m.group(), m.start(), m.end(), "name as a word")
                       for m in self._ambiguous.finditer(result.text)]
        return sorted(tokens, key=lambda t: t.start)


_CACHE: OrderedDict[str, Scrubber] = OrderedDict()


def _conflicts() -> dict[str, Any]:
    from presidio_anonymizer.entities import ConflictResolutionStrategy

    # overlapping results of different entities are trimmed, never left to garble each other
    return {"conflict_resolution": ConflictResolutionStrategy.REMOVE_INTERSECTIONS}


_NUMBERED = re.compile(r"_\d+$")


def _change(entity: str, start: int, end: int, operator: str) -> Change:
    return Change(_NUMBERED.sub("", entity), start, end, operator)


def _split_case(words: Iterable[str]) -> tuple[set[str], set[str]]:
    """(any case, capital only): an everyday word is scrubbed only in its Title and UPPER forms."""
    common = common_words()
    anycase, capital = set(), set()
    for word in words:
        if word.lower() in common:
            capital |= {word[:1].upper() + word[1:].lower(), word.upper(), word}
        else:
            anycase.add(word)
    return anycase, capital


def _build(cls: type[Scrubber], people_rows: Sequence[dict[str, Any]], professional_rows: Sequence[dict[str, Any]],
           place_names: Sequence[str], labels: dict[str, str] | None, logins: Iterable[str]) -> Scrubber:
    from .recognizers import deny_recognizer, pattern_recognizer

    people = [person_from_row(p) for p in people_rows]
    labels = dict(labels) if labels is not None else role_labels(people)
    professionals = professionals_from((str(p.get("agency") or ""), str(p.get("recorded_by") or ""))
                                       for p in professional_rows)
    # places: addresses' streets, buildings, towns and postcodes; the council's town; schools and surgeries
    places: list[Place] = [pl for p in people for pl in places_from_address(p.address)]
    for name in place_names:
        if " council" in name.lower() or "(fictional)" in name.lower():
            town = council_place(name)
            if town:
                places.append(Place(town, "town"))
            continue
        for variant in institution_variants(name):
            places.append(Place(variant, place_kind(name) if variant == name else "place"))
    for p in professional_rows:
        for name in institutions_in(str(p.get("recorded_by") or "")):
            places += [Place(v, place_kind(name) if v == name else "place") for v in institution_variants(name)]
    # who each spelling belongs to: one owner gets their label, several get "[name]"
    owners: dict[str, set[str]] = {}
    capital_only: dict[str, set[str]] = {}
    replacement: dict[str, str] = {}
    for i, person in enumerate(people):
        entity = f"PERSON_{i}"
        replacement[entity] = labels.get(person.id, "[name]")
        dotted, bare = initials(person.name)
        for variant in name_variants(person) | dotted:
            owners.setdefault(variant.lower(), set()).add(entity)
        capital_only[entity] = bare  # "MF": capitals only
    place_words = {pl.text.lower() for pl in places}
    for i, pro in enumerate(professionals):
        entity = f"PROFESSIONAL_{i}"
        replacement[entity] = pro.label
        for variant in (*pro.names, *pro.numbers):
            if variant.lower() not in place_words:  # "HV (Eastmere team)": a place, not a name
                owners.setdefault(variant.lower(), set()).add(entity)
    spellings: dict[str, set[str]] = {}
    for p in people:
        for v in name_variants(p) | initials(p.name)[0]:
            spellings.setdefault(v.lower(), set()).add(v)
    for pro in professionals:
        for v in (*pro.names, *pro.numbers):
            spellings.setdefault(v.lower(), set()).add(v)
    entities: dict[str, tuple[str, list[Any]]] = {}
    words_of: dict[str, set[str]] = {}
    for lowered, who in owners.items():
        entity = next(iter(who)) if len(who) == 1 else "SHARED_NAME"
        words_of.setdefault(entity, set()).update(spellings[lowered])
    ambiguous: set[str] = set()
    for entity in [*replacement, "SHARED_NAME"]:
        anycase, capital = _split_case(words_of.get(entity, set()))
        ambiguous |= {w.lower() for w in capital}
        recognizer = deny_recognizer(entity, anycase, capital | capital_only.get(entity, set()))
        if recognizer is not None:
            entities[entity] = (replacement.get(entity, "[name]"), [recognizer])
    # dates of birth of the case's people, in every written form
    births = [date_pattern(p.date_of_birth) for p in people if p.date_of_birth]
    if births:
        entities["CASE_DATE_OF_BIRTH"] = ("[date of birth]", [pattern_recognizer("CASE_DATE_OF_BIRTH", births)])
    by_kind: dict[str, set[str]] = {}
    for place in places:
        if place.text.lower() not in owners:  # a person's name that is also a street stays the person's
            by_kind.setdefault(place.kind, set()).add(place.text)
    for kind, words in by_kind.items():
        entity = f"CASE_{kind.upper()}"
        anycase, capital = _split_case(words)
        recognizer = deny_recognizer(entity, anycase, capital, score=0.95)
        if recognizer is not None:
            entities[entity] = (f"[{kind}]", [recognizer])
    login_labels = {login: f"User {n}" for n, login in enumerate(sorted({x for x in logins if x}), 1)}
    for i, (login, label) in enumerate(login_labels.items()):
        entities[f"LOGIN_{i}"] = (label, [deny_recognizer(f"LOGIN_{i}", [login])])
    return cls(entities, labels, login_labels, ambiguous)

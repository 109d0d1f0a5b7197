"""The Presidio recognizers of the engine: UK patterns for any text, and deny-lists from one case.

Imported only when a scrubber is built (Presidio and spaCy's vocabulary take about a second to import).
Every recognizer is a `PatternRecognizer`: none needs a language model, so the analyzer runs on
Presidio's `NoOpNlpEngine`. Presidio compiles patterns with the `regex` module (case-insensitive unless a
recognizer says otherwise), so look-behinds may vary in width.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex
import tldextract
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import (
    EmailRecognizer,
    NhsRecognizer,
    UkDrivingLicenceRecognizer,
    UkNinoRecognizer,
    UkPassportRecognizer,
    UkPostcodeRecognizer,
)

from .dates import DATE_OF_BIRTH
from .denylists import BUILDING_TYPES, INSTITUTION_TYPES, STREET_TYPES

CASE_SENSITIVE = regex.DOTALL | regex.MULTILINE
PLACEHOLDERS = {
    "UK_NHS": "[NHS number]", "UK_NINO": "[NI number]", "UK_POSTCODE": "[postcode]", "POSTCODE": "[postcode]",
    "PHONE": "[phone]", "EMAIL_ADDRESS": "[email]", "ADDRESS": "[address]", "STREET": "[street]", "TOWN": "[town]",
    "SCHOOL": "[school]", "SURGERY": "[surgery]", "PLACE": "[place]", "DATE_OF_BIRTH": "[date of birth]",
    "NUMBER": "[number]", "UK_PASSPORT": "[passport]", "UK_DRIVING_LICENCE": "[driving licence]",
    "SHARED_NAME": "[name]",
}
# the public-suffix list as tldextract ships it: never fetched, never cached on disk
_OFFLINE_SUFFIXES = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


class NoContext(ContextAwareEnhancer):
    """Context words left unread: with no NLP model there are no lemmas to read them from, and every score is
    kept anyway (threshold 0). Presidio's default enhancer would deep-copy every result to change nothing."""

    def __init__(self) -> None:
        super().__init__(context_similarity_factor=0, min_score_with_context_similarity=0, context_prefix_count=0,
                         context_suffix_count=0)

    def enhance_using_context(self, text: str, raw_results: list[RecognizerResult], nlp_artifacts: NlpArtifacts,
                              recognizers: list[EntityRecognizer],
                              context: list[str] | None = None) -> list[RecognizerResult]:
        return raw_results


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer, its domain checked against tldextract's bundled suffix list (no network).

    Presidio's own check drops an address whose suffix is not a public one ("mum@home.invalid"); here it
    keeps its pattern score instead, so every address-shaped token is scrubbed.
    """

    def validate_result(self, pattern_text: str) -> bool | None:
        return True if _OFFLINE_SUFFIXES(pattern_text).fqdn else None


def _street_words() -> str:
    words = [*STREET_TYPES, *(a for a in STREET_TYPES.values() if a)]
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\.?"


_CAPS = r"(?:[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?\s+)"
_BUILDINGS = "(?:" + "|".join(b for b in BUILDING_TYPES if b not in ("Court", "Hall")) + ")"


def uk_recognizers() -> list[PatternRecognizer]:
    """Recognizers of identifiers any record may hold, whatever the case."""
    streets = _street_words()
    return [
        NhsRecognizer(),  # with its modulus-11 check digit
        UkNinoRecognizer(),
        UkPostcodeRecognizer(),  # score 0.1 without context: kept, the analyzer's threshold is 0
        UkPassportRecognizer(),
        UkDrivingLicenceRecognizer(),
        OfflineEmailRecognizer(),
        # postcodes Presidio's strict pattern leaves (a made-up area such as ZZ99): capitals only
        PatternRecognizer("POSTCODE", name="loose postcode", global_regex_flags=CASE_SENSITIVE,
                          patterns=[Pattern("postcode", r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", 0.4)]),
        PatternRecognizer("PHONE", name="UK phone", patterns=[Pattern(
            "UK phone", r"(?<![\w+])(?:(?:\+44\s?(?:\(0\)\s?)?|0)\d(?:[\s-]?\d){8,9}"
            r"|\(0\d{3,4}\)\s?\d{3}[\s-]?\d{3,4})(?!\d)", 0.6)]),
        PatternRecognizer("ADDRESS", name="street address", global_regex_flags=CASE_SENSITIVE, patterns=[
            Pattern("number and street", rf"\b\d+[A-Za-z]?,?\s+{_CAPS}{{1,3}}{streets}(?!\w)", 0.7),
            Pattern("flat", r"\b(?:Flat|Apartment|Apt|Unit|Room)\s+\d+[A-Za-z]?\b"
                    rf"(?:,?\s+(?:\d+[A-Za-z]?,?\s+)?{_CAPS}{{1,3}}(?:{_BUILDINGS}|Court|{streets})\b)?", 0.7),
            Pattern("building", rf"\b{_CAPS}{{1,2}}{_BUILDINGS}\b", 0.5)]),
        *_institution_recognizers(),
        PatternRecognizer("DATE_OF_BIRTH", name="date of birth in text",
                          patterns=[Pattern("DOB cue", DATE_OF_BIRTH, 0.9)]),
        # a long run of digits no other recognizer claims (a mistyped NHS number, an account): weakest
        PatternRecognizer("NUMBER", name="long number", patterns=[
            Pattern("8+ digits", r"(?<![\w£$€.,/])\d(?:[ \-]?\d){7,}(?![\w/])", 0.3)]),
    ]


def _institution_recognizers() -> list[PatternRecognizer]:
    """Schools, surgeries and other places named with a capital before their kind ("Oak Tree Surgery")."""
    by_kind: dict[str, list[str]] = {}
    for words, kind in INSTITUTION_TYPES.items():
        by_kind.setdefault(kind, []).append(regex.escape(words))
    generic = r"(?!(?:The|A|An|Our|His|Her|Their|This|That|My|GP|Local|New|Community|General)\s)"
    return [PatternRecognizer(kind.upper(), name=f"named {kind}", global_regex_flags=CASE_SENSITIVE, patterns=[
        Pattern(kind, rf"(?<![\w'])(?:{generic}{_CAPS}){{1,4}}(?:"
                + "|".join(sorted(words, key=len, reverse=True)) + r")(?![\w'])", 0.6)])
        for kind, words in by_kind.items()]


def deny_recognizer(entity: str, words: Iterable[str], capital_only: Iterable[str] = (),
                    score: float = 1.0) -> PatternRecognizer | None:
    """A deny-list recognizer: `words` in any letter case, `capital_only` as written (their Title and UPPER
    forms are given by the caller), whole words only, the longest first (so "Lee-Lee" is not read as
    "Lee" twice); a possessive's "'s" stays after the label."""
    alternatives = {regex.escape(w): f"(?i:{regex.escape(w)})" for w in words if w.strip()}
    for w in capital_only:
        if w.strip():
            alternatives.setdefault(regex.escape(w), regex.escape(w))
    if not alternatives:
        return None
    ordered = [alternatives[k] for k in sorted(alternatives, key=len, reverse=True)]
    return PatternRecognizer(entity, name=entity.lower(), global_regex_flags=CASE_SENSITIVE, patterns=[
        Pattern("deny list", r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)", score)])


def pattern_recognizer(entity: str, patterns: Iterable[str], score: float = 1.0) -> PatternRecognizer | None:
    """A recognizer of ready-made patterns (a person's date of birth in every written form), any case."""
    patterns = list(patterns)
    if not patterns:
        return None
    return PatternRecognizer(entity, name=entity.lower(), patterns=[
        Pattern(entity.lower(), "(?:" + "|".join(patterns) + ")", score)])

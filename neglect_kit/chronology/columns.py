"""The chronology fields an agency return can carry, and the column names agencies use for them."""

from __future__ import annotations

from ..vocab import normalise

# field -> the headers agencies write for it (matched ignoring case, spacing and punctuation)
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "event_date": ("event date", "date", "date of event", "event date time", "incident date",
                   "date of incident", "occurrence date", "when", "date of contact"),
    "recorded_date": ("date recorded", "recorded date", "recorded on", "entry date", "date entered",
                      "date of entry", "recorded"),
    "agency": ("agency", "source", "source agency", "organisation", "organization", "service",
               "agency name"),
    "source_detail": ("recorded by", "author", "worker", "staff member", "officer",
                      "practitioner", "professional", "reported by"),
    "how_known": ("how known", "how information known", "source of information",
                  "information source", "how obtained", "seen or reported"),
    "children": ("child", "children", "child name", "child names", "child ren", "subject",
                 "name of child", "young person", "child concerned", "children concerned"),
    "category": ("category", "type", "event type", "incident type", "concern type", "theme"),
    "description": ("description", "what happened", "details", "event", "summary", "narrative",
                    "event details", "incident", "event description", "notes"),
    "impact": ("impact", "impact on child", "impact on the child", "effect on child",
               "effect on the child"),
    "impact_note": ("impact details", "impact notes", "impact description",
                    "how it affected the child"),
    "significance": ("significance", "risk", "risk level", "severity", "priority"),
    "action": ("action", "action taken", "actions", "response", "actions taken"),
    "outcome": ("outcome", "result", "outcome of action"),
    "child_words": ("child s words", "childs words", "child's words", "voice of the child",
                    "child said", "what the child said", "childs voice", "child s voice",
                    "the child s own words", "child's own words"),
}

REQUIRED_FIELDS = ("event_date", "children", "category", "description")
# agency may instead come from the return as a whole (one agency's file)
AGENCY_FIELD = "agency"

_LOOKUP = {normalise(h): f for f, hs in FIELD_SYNONYMS.items() for h in (f, *hs)}


def match_columns(headers: list[str], mapping: dict[str, str] | None = None
                  ) -> tuple[dict[str, str], list[str], list[str]]:
    """Map a return's headers to fields.

    Args:
        headers: the column names as the file has them.
        mapping: an explicit {header: field} mapping that wins over the synonyms.

    Returns:
        ({header: field}, unused headers, problems) where problems name headers that
        claim a field already taken, or mapping entries that name no such header or field.
    """
    mapping = mapping or {}
    by_norm = {normalise(h): h for h in headers}
    matched: dict[str, str] = {}
    problems: list[str] = []
    for header, field in mapping.items():
        if field not in FIELD_SYNONYMS:
            problems.append(f"mapping names unknown field '{field}' (fields: {', '.join(FIELD_SYNONYMS)})")
            continue
        actual = by_norm.get(normalise(header))
        if actual is None:
            problems.append(f"mapping names column '{header}', which the file does not have")
            continue
        matched[actual] = field
    taken = set(matched.values())
    for header in headers:
        if header in matched:
            continue
        field = _LOOKUP.get(normalise(header))
        if field is None:
            continue
        if field in taken:
            problems.append(f"column '{header}' also looks like '{field}'; it was not used")
            continue
        matched[header] = field
        taken.add(field)
    unused = [h for h in headers if h not in matched]
    return matched, unused, problems

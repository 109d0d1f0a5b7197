"""The chronology fields an agency return can carry, and the column names agencies use for them."""

from __future__ import annotations

import re

from ..vocab import normalise

# field -> the headers agencies write for it (matched ignoring case, spacing and punctuation, so
# "Date/Time" is "date time"). A header belongs to one field only: "Concern" and "Nature of
# concern" hold the words of the concern in school logs, so they are descriptions, while
# "Concern type" is a category. A combined "Action/Result" or "Actions and outcome" column is
# read as the action: it says first what was done, and the analysis reads an action's words as
# it reads an outcome's, so nothing is lost; a return that also has its own outcome column keeps both.
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "event_date": ("event date", "date", "date of event", "event date time", "incident date",
                   "date of incident", "occurrence date", "when", "date of contact", "date time",
                   "date and time", "incident date time", "contact date", "visit date", "date of visit",
                   "concern date", "date of concern", "event date and time", "occurrence", "appointment date",
                   "date of appointment", "date seen"),
    "recorded_date": ("date recorded", "recorded date", "recorded on", "entry date", "date entered",
                      "date of entry", "recorded", "entered on", "date logged", "logged on", "created on",
                      "date created", "entered", "input date"),
    "agency": ("agency", "source", "source agency", "organisation", "organization", "service",
               "agency name", "reporting agency", "from agency"),
    "source_detail": ("recorded by", "author", "worker", "staff member", "officer",
                      "practitioner", "professional", "reported by", "entered by", "created by",
                      "logged by", "staff name", "staff", "completed by", "written by", "user",
                      "housing officer", "offender manager", "name of worker", "worker name"),
    "how_known": ("how known", "how information known", "source of information",
                  "information source", "how obtained", "seen or reported"),
    "children": ("child", "children", "child name", "child names", "child ren", "subject",
                 "name of child", "young person", "child concerned", "children concerned",
                 "pupil", "pupil name", "student", "student name", "child yp", "child young person",
                 "young person s name", "young persons name", "yp", "yp name", "child s name", "childs name"),
    "category": ("category", "type", "event type", "incident type", "concern type", "theme",
                 "categories", "concern category", "contact type", "type of contact", "category of concern",
                 "type of concern"),
    "description": ("description", "what happened", "details", "event", "summary", "narrative",
                    "event details", "incident", "event description", "notes", "concern",
                    "nature of concern", "concern details", "concern summary", "log", "log entry",
                    "case note", "case notes", "comments", "comment", "incident details",
                    "details of incident", "details of concern", "contact details", "note"),
    "impact": ("impact", "impact on child", "impact on the child", "effect on child",
               "effect on the child"),
    "impact_note": ("impact details", "impact notes", "impact description",
                    "how it affected the child"),
    "significance": ("significance", "risk", "risk level", "severity", "priority"),
    "action": ("action", "action taken", "actions", "response", "actions taken", "action result",
               "action outcome", "actions and outcome", "action and outcome", "actions and outcomes",
               "action and result", "actions outcome", "next steps", "action required"),
    "outcome": ("outcome", "result", "outcome of action", "outcomes"),
    "child_words": ("child s words", "childs words", "child's words", "voice of the child",
                    "child said", "what the child said", "childs voice", "child s voice",
                    "the child s own words", "child's own words"),
}

REQUIRED_FIELDS = ("event_date", "children", "category", "description")
# agency may instead come from the return as a whole (one agency's file)
AGENCY_FIELD = "agency"

_LOOKUP = {normalise(h): f for f, hs in FIELD_SYNONYMS.items() for h in (f, *hs)}



# pandas reads a header written twice as "Date" and "Date.1" (then "Date.2"...)
_RENAMED_TWICE = re.compile(r"^(?P<name>.*)\.(?P<n>[1-9]\d*)$")


def repeated_headers(headers: list[str]) -> list[str]:
    """The headers a return has more than once, in order: written twice as read from a workbook, or as
    pandas renames the second of two in a CSV ("Date" and "Date.1"). Blank headers are not counted."""
    seen: set[str] = set()
    out: list[str] = []
    for header in headers:
        m = _RENAMED_TWICE.match(header)
        name = m["name"] if m and m["name"] in headers else header
        if name and (header in seen or name != header) and name not in out:
            out.append(name)
        seen.add(header)
    return out


def column_refusals(headers: list[str], mapping: dict[str, str] | None = None) -> list[str]:
    """Why a return's columns cannot be read as given: a header written twice (which of the two columns
    holds the field cannot be told), or a mapping to a field the kit does not have or from a header the
    file does not have. Empty when the columns can be read."""
    out = [f"column '{h}' appears more than once: name each column once, so no column is dropped"
           for h in repeated_headers(headers)]
    have = {normalise(h) for h in headers}
    for header, field in (mapping or {}).items():
        if field not in FIELD_SYNONYMS:
            out.append(f"mapping names unknown field '{field}' (fields: {', '.join(FIELD_SYNONYMS)})")
        elif normalise(header) not in have:
            out.append(f"mapping names column '{header}', which the file does not have "
                       f"(its columns: {', '.join(h for h in headers if h)})")
    return out


def match_columns(headers: list[str], mapping: dict[str, str] | None = None
                  ) -> tuple[dict[str, str], list[str], list[str]]:
    """Map a return's headers to fields.

    Args:
        headers: the column names as the file has them.
        mapping: an explicit {header: field} mapping that wins over the synonyms.

    Returns:
        ({header: field}, unused headers, problems) where problems name headers that
        claim a field already taken or were read by their words. Call `column_refusals` first: a
        return it refuses cannot be matched.
    """
    mapping = mapping or {}
    by_norm = {normalise(h): h for h in headers}
    matched: dict[str, str] = {}
    problems: list[str] = []
    for header, field in mapping.items():
        actual = by_norm.get(normalise(header))
        if field in FIELD_SYNONYMS and actual is not None:
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
    for field, header in _by_head_word(headers, matched, taken):
        matched[header] = field
        problems.append(f"column '{header}' read as the {field.replace('_', ' ')} (its name says so); "
                        "give a mapping if it is not")
    unused = [h for h in headers if h not in matched]
    return matched, unused, problems


# The second pass, for headers no synonym names ("Case Note Date", "Appt date", "Summary of contact",
# "Case Note Type", "Clinician"): a field still missing takes the first free header whose words
# include one of its head words and none of the words that make it another thing.
HEAD_WORDS: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = (
    ("event_date", frozenset({"date", "when"}),
     frozenset({"recorded", "entered", "entry", "created", "logged", "birth", "dob", "due", "next", "review",
                "closed", "closure", "updated", "modified", "input"})),
    ("category", frozenset({"type", "status", "category", "kind", "reason"}), frozenset({"date", "by", "name"})),
    ("description", frozenset({"note", "notes", "summary", "details", "description", "narrative", "comments",
                               "comment", "text", "record", "account"}),
     frozenset({"type", "date", "by", "status", "author"})),
    ("source_detail", frozenset({"by", "staff", "clinician", "author", "worker", "officer", "nurse", "practitioner",
                                 "professional", "user"}), frozenset({"date", "type", "id", "number", "no", "ref"})),
)


def _by_head_word(headers: list[str], matched: dict[str, str], taken: set[str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    free = [h for h in headers if h and h not in matched]
    for field, heads, not_it in HEAD_WORDS:
        if field in taken:
            continue
        for header in free:
            words = set(normalise(header).split())
            if words & heads and not words & not_it:
                found.append((field, header))
                free.remove(header)
                taken.add(field)
                break
    return found

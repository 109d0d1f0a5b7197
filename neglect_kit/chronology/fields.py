"""Checks for each field of a chronology entry, one value at a time.

The same checks serve the entry form (one value as it is typed) and the importer (each
distinct value of a column once), so a rule is written in one place only. Each check
returns a `Checked`: the stored value, or an error, plus notes on how the value was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..textsafety import SUSPECT_CHAR, clean_text, looks_like_email
from ..vocab import HOW_KNOWN, IMPACT, SIGNIFICANCE, Vocabulary, normalise
from .dates import DateError, EventDate, parse_event_date, quoted
from .model import Child, EntryContext

_ALL_CHILDREN = {"both", "all", "all children", "both children", "siblings", "all siblings"}
_IMPACT_WITH_NOTE = re.compile(r"^(.+?)\s*[-–:,.;]\s*(.*)$", re.S)
# What clean_text or looks_like_email might change or refuse: markup, entities and control
# characters anywhere (SUSPECT_CHAR), a formula or an e-mail header at the start of a line. Searched in text
# with a newline put before it, so that "start of a line" is a plain "\n", which is far
# quicker to scan for than a multi-line "^" (this runs over whole columns of free text).
SUSPECT_LINE = re.compile(r"\n(?:[ \t]*[=+\-@\t\r]|(?i:from|sent|to|subject|cc):)")


def suspect_offsets(text: str) -> list[int]:
    """Where in `text` (which starts with a newline) something may need cleaning."""
    return [m.start() for p in (SUSPECT_CHAR, SUSPECT_LINE) for m in p.finditer(text)]


_SPLIT_NAMES = re.compile(r"\s*(?:;|,|/|&|\+|\band\b)\s*", re.I)


@dataclass(frozen=True)
class Checked:
    value: Any = None
    error: str = ""
    notes: tuple[str, ...] = ()


def is_blank(value: object) -> bool:
    """None, NaN, or only spaces."""
    return value is None or (isinstance(value, float) and value != value) or not str(value).strip()


def check_event_date(value: object, ctx: EntryContext, read: dict[str, EventDate | str] | None = None) -> Checked:
    """An event date; `read` holds the dates an import has read so far (see `parse_event_date`)."""
    try:
        parsed = parse_event_date(value, today=ctx.today, read=read)
    except DateError as exc:
        return Checked(error=str(exc))
    return Checked(parsed, notes=(parsed.note,) if parsed.note else ())


def check_recorded_date(value: object, ctx: EntryContext, read: dict[str, EventDate | str] | None = None
                        ) -> Checked:
    """A date recorded, an exact day; `read` as for `check_event_date`."""
    if is_blank(value):
        return Checked(None)
    try:
        parsed = parse_event_date(value, today=ctx.today, read=read)
    except DateError as exc:
        return Checked(error=f"date recorded: {exc}")
    if parsed.precision != "day":
        return Checked(error=f"date recorded {quoted(value)} must be an exact day")
    return Checked(parsed.earliest, notes=(parsed.note,) if parsed.note else ())


def _check_vocab(value: object, vocab: Vocabulary, what: str, required: bool, table: str = "") -> Checked:
    """A vocabulary value; `table` names the settings table where a partnership can add one."""
    if is_blank(value):
        return Checked(error=f"{what} is missing") if required else Checked(None)
    text = str(value).strip()
    if vocab.is_vague(text):
        return Checked(error=f"{what} {quoted(value)} is too vague: name the {what} "
                             f"(one of: {', '.join(vocab.labels().values())})")
    code = vocab.resolve(text)
    if code is None:
        where = (f"; a partnership can add it in the settings file's [{table}] table (docs/settings.md)"
                 if table else "")
        return Checked(error=f"{what} {quoted(value)} is not known "
                             f"(one of: {', '.join(vocab.labels().values())}){where}")
    return Checked(code)


def check_agency(value: object, ctx: EntryContext) -> Checked:
    return _check_vocab(value, ctx.settings.agencies, "source agency", required=True, table="agencies")


def check_category(value: object, ctx: EntryContext) -> Checked:
    return _check_vocab(value, ctx.settings.categories, "category", required=True, table="categories")


def check_how_known(value: object, ctx: EntryContext) -> Checked:
    return _check_vocab(value, HOW_KNOWN, "how known", required=False)


def check_significance(value: object, ctx: EntryContext) -> Checked:
    return _check_vocab(value, SIGNIFICANCE, "significance", required=False)


def check_impact(value: object, ctx: EntryContext) -> Checked:
    """An impact word, optionally followed by words about it: "Negative - she was hungry".

    The words are free text, checked as the impact-notes column is (markup, formulas, length)."""
    if is_blank(value):
        return Checked(("unknown", ""))
    text = str(value).strip()
    code = IMPACT.resolve(text)
    if code is not None:
        return Checked((code, ""))
    m = _IMPACT_WITH_NOTE.match(text)
    if m and (code := IMPACT.resolve(m[1])) is not None:
        note = check_text(m[2], ctx, "impact note", limit=ctx.settings.max_description_chars)
        return Checked(error=note.error) if note.error else Checked((code, note.value), notes=note.notes)
    return Checked(error=f"impact '{text}' should start with one of: "
                         f"{', '.join(IMPACT.labels().values())}")


def check_children(value: object, ctx: EntryContext) -> Checked:
    """The child or children an entry concerns, by first name, full name, nickname or "both"."""
    if is_blank(value):
        return Checked(error="no child named: every entry must name the child or children it concerns")
    text = str(value).strip()
    if normalise(text) in _ALL_CHILDREN:
        return Checked([c.id for c in ctx.children])
    lookup: dict[str, str] = {}
    for c in ctx.children:
        for name in (c.id, c.name, c.first_name, *c.known_as):
            lookup[normalise(name)] = c.id
    ids: list[str] = []
    unknown: list[str] = []
    for part in filter(None, _SPLIT_NAMES.split(text)):
        found = lookup.get(normalise(part))
        if found is None:
            unknown.append(part)
        elif found not in ids:
            ids.append(found)
    if unknown:
        names = ", ".join(c.first_name for c in ctx.children)
        return Checked(error=f"'{', '.join(unknown)}' is not a child of this case (children: {names})")
    return Checked(ids)


def check_text(value: object, ctx: EntryContext, what: str, limit: int | None = None,
               required: bool = False) -> Checked:
    if is_blank(value):
        return Checked(error=f"{what} is missing") if required else Checked("")
    raw = str(value)
    if not suspect_offsets("\n" + raw):  # most text: nothing to clean, so skip the slower checks
        text = raw.strip()
        if limit is not None and len(text) > limit:
            return Checked(error=_too_long(what, len(text), limit))
        return Checked(text)
    if looks_like_email(raw):
        return Checked(error=f"{what} looks like a whole e-mail: write a short factual summary "
                             "and keep the e-mail in the agency's own records")
    text, changes = clean_text(raw)
    if required and not text:
        return Checked(error=f"{what} is empty once markup is removed")
    if limit is not None and len(text) > limit:
        return Checked(error=_too_long(what, len(text), limit))
    return Checked(text, notes=tuple(f"{what}: {c}" for c in changes))


def _too_long(what: str, length: int, limit: int) -> str:
    return (f"{what} is {length:,} characters: a chronology entry is a short factual summary "
            f"(at most {limit:,})")


def pre_birth_children(children: list[str], event_latest: date | None, ctx: EntryContext
                       ) -> tuple[list[str], list[str]]:
    """Children for whom the event precedes birth, and warnings for events long before it.

    An event before birth is valid (pregnancy, an older sibling's history); one more than a
    year before conception is more likely an entry on the wrong child.
    """
    if event_latest is None or ctx.latest_birth is None or event_latest >= ctx.latest_birth:
        return [], []
    before: list[str] = []
    warnings: list[str] = []
    for cid in children:
        child: Child = ctx.child(cid)
        birth = child.birth
        if birth is None or event_latest >= birth:
            continue
        before.append(cid)
        if (birth - event_latest).days > 365 + 280:
            warnings.append(f"event is more than a year before {child.first_name} was conceived: "
                            "is this the right child?")
    return before, warnings


@dataclass(frozen=True)
class Between:
    """What the rules between fields found: at most one error (with its field), and notes."""

    field: str = ""
    error: str = ""
    notes: tuple[str, ...] = ()
    warnings: tuple[tuple[str, str], ...] = ()  # (field, warning)


def between_applies(event: EventDate, recorded: date | None, ctx: EntryContext) -> bool:
    """Whether `check_between` can find anything: dates out of order, or an event before the
    latest birth. A quick test, so a large import runs the full rule on the few rows it fits."""
    return ((recorded is not None and event.earliest is not None and event.earliest > recorded)
            or (event.latest is not None and ctx.latest_birth is not None and event.latest < ctx.latest_birth))


def check_between(body: dict[str, Any], ctx: EntryContext) -> Between:
    """Rules between fields: dates in order, and events before a child's birth (sets pre_birth)."""
    event = body["event_date"]
    recorded = body.get("recorded_date")
    if not between_applies(event, recorded, ctx):
        return Between()
    if recorded is not None and event.earliest is not None and event.earliest > recorded:
        return Between("event_date", f"event date {event.text} is after the date recorded "
                                     f"{recorded:%d/%m/%Y}: are the two dates swapped?")
    before, found = pre_birth_rule(body["children"], event.latest, ctx)
    if before:
        body["pre_birth"] = before
    return found


def pre_birth_rule(children: list[str], event_latest: date | None, ctx: EntryContext) -> tuple[list[str], Between]:
    """The children an event came before the birth of, and what `check_between` says of that."""
    before, warnings = pre_birth_children(children, event_latest, ctx)
    warned = tuple(("children", w) for w in warnings)
    if not before:
        return [], Between(warnings=warned)
    names = ", ".join(ctx.child(c).first_name for c in before)
    return before, Between(notes=(f"before {names}'s birth: kept as a pre-birth entry",), warnings=warned)


CHECKS = {
    "event_date": check_event_date,
    "recorded_date": check_recorded_date,
    "agency": check_agency,
    "category": check_category,
    "how_known": check_how_known,
    "significance": check_significance,
    "impact": check_impact,
    "children": check_children,
}
DATE_FIELDS = ("event_date", "recorded_date")
TEXT_FIELDS = ("description", "source_detail", "impact_note", "action", "outcome", "child_words")


def check_field(name: str, value: object, ctx: EntryContext) -> Checked:
    """The check for one field by name: the one rule the form and the importer share."""
    if name in CHECKS:
        return CHECKS[name](value, ctx)
    label = name.replace("_", " ")
    return check_text(value, ctx, label, limit=ctx.settings.max_description_chars,
                      required=name == "description")

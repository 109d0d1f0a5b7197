"""The child's voice: what the child said or showed, how, when, and to whom; and when the child
was last seen, seen alone and heard.

The adult focus is a bias supervision challenges (DOMAIN.md section 5): "what did the child say,
and when was the child last seen alone?" `last_contact` answers from the voice records and,
if given, the chronology; `contact_warnings` says in plain words when an answer is too old.

- Heard: any voice record; the child's view recorded in a neglect assessment of the child (on
  the assessment's date); and chronology entries naming the child that hold the child's
  words, are known because the child said so, or whose words quote or report the child.
- Seen: voice records where the child was seen; the visits recorded in a neglect assessment of
  the child; chronology entries known by being seen, or whose words say the child was seen
  ("Jodie seen in the kitchen").
- Seen alone: voice records where the child was seen alone, and entries whose words say so
  ("spoke to Jodie on her own"). The words are read by `chronology.contact_words`.

A chronology date known only roughly counts from the first day it may fall on, so the days
since are never fewer than they may be.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import Field, field_validator, model_validator

from ..chronology.contact_words import ChildContact, ContactReader
from ..config import default_of
from ..validators import Trimmed, not_future, one_child, required
from .model import NeglectAssessment

VOICE_KIND = "child_voice"
HOW = ("words", "play", "drawing", "behaviour", "other")
# Calendar days (weekends and holidays count) since the child was last seen, seen alone and heard
# before a warning. The local safeguarding partnership sets these in the settings (visiting
# frequencies differ between plans and areas); the settings' defaults are a starting point, not a standard.
DEFAULT_THRESHOLDS: dict[str, int] = default_of("contact_days")
_CONTACTS = {"seen": "been seen", "seen_alone": "been seen alone", "heard": "been heard"}
_SAID = {"seen": "seen", "seen_alone": "seen alone", "heard": "heard"}


class VoiceRecord(Trimmed):
    """One time the child's voice was gathered: what the child said or showed, how, when, by whom."""

    child: Annotated[str, one_child("a voice record is for one child: record what each child said or showed "
                                    "separately")] = Field(min_length=1)
    on: Annotated[date, not_future("{day} is in the future: record the child's voice on the day it was heard")]
    how: Literal["words", "play", "drawing", "behaviour", "other"]
    what: Annotated[str, required("say what the child said or showed, in the child's words where you can")]
    heard_by: Annotated[str, required("say who heard or saw the child")]
    seen: bool
    seen_alone: bool = False
    context: str = ""

    @field_validator("how", mode="before")
    @classmethod
    def _how(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() not in HOW:
            raise ValueError(f"'{value}' is not a way the child's voice was gathered: choose from {', '.join(HOW)}")
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _alone_is_seen(self) -> VoiceRecord:
        if self.seen_alone and not self.seen:
            raise ValueError("seen alone, but not seen: tick 'seen' too, or untick 'seen alone'")
        return self


@dataclass(frozen=True)
class Contact:
    """When the child was last seen, seen alone and heard, and how many days ago (None: never)."""

    today: date
    last_seen: date | None
    last_seen_alone: date | None
    last_heard: date | None

    def days_since(self, which: str) -> int | None:
        last = getattr(self, f"last_{which}")
        return None if last is None else (self.today - last).days

    @property
    def days_since_seen(self) -> int | None:
        return self.days_since("seen")

    @property
    def days_since_seen_alone(self) -> int | None:
        return self.days_since("seen_alone")

    @property
    def days_since_heard(self) -> int | None:
        return self.days_since("heard")


Dated = tuple[date, str | None]  # when, and the chronology record it came from (None: a voice record)


def contact_dates(records: list[VoiceRecord], chronology_frame: pd.DataFrame | None = None,
                  today: date | None = None, *, child: str | None = None,
                  reader: ContactReader | None = None,
                  assessments: Sequence[NeglectAssessment] = ()) -> dict[str, list[Dated]]:
    """Every time the child was seen, seen alone and heard, up to `today`, oldest first.

    From the voice records; from the chronology's how-known and child's-words columns; and from the
    words of each entry (description, action, outcome, impact note) as `chronology.contact_words`
    reads them for this child.

    Args:
        records: the child's voice records.
        chronology_frame: entries as `records.entries_frame` gives them (columns `children`, `child_words`,
            `earliest`, `how_known`; `description`, `action`, `outcome`, `impact_note` when present, and
            `record_id` and `status`, withdrawn entries left out).
        today: the last day to count; today if None.
        child: the child's id; taken from the records if None.
        reader: reads the entries' words, knowing the case's names; one knowing only this child's id if None.
        assessments: the child's neglect assessments: each visit counts as seen, a child's view as heard.

    Returns:
        "seen", "seen_alone", "heard"; and what tells when those are known: "not_seen" (the words say the
        child was not seen), "not_alone" (seen with an adult present, or "not seen alone") and "how_known"
        (entries about the child with a how-known value).

    Raises:
        ValueError: records of more than one child, a chronology frame with no child to look for, or one
            without the columns named above.
    """
    today = today or date.today()
    ids = {r.child for r in records} | {a.child for a in assessments} | ({child} if child else set())
    if len(ids) > 1:
        raise ValueError(f"records of more than one child ({', '.join(sorted(ids))}): count each child's "
                         "contact separately")
    records = [r for r in records if r.on <= today]
    out: dict[str, list[Dated]] = {
        "seen": [(r.on, None) for r in records if r.seen],
        "seen_alone": [(r.on, None) for r in records if r.seen_alone],
        "heard": [(r.on, None) for r in records], "not_seen": [(r.on, None) for r in records if not r.seen],
        "not_alone": [(r.on, None) for r in records if r.seen and not r.seen_alone], "how_known": []}
    for a in assessments:  # an assessment's visits and the child's view are contact too
        out["seen"] += [(v.on, None) for v in a.visits if v.on <= today]
        if a.child_view.strip() and a.assessed_on <= today:
            out["heard"].append((a.assessed_on, None))
    if chronology_frame is not None and len(chronology_frame):
        if not ids:
            raise ValueError("name the child whose contact to count in the chronology")
        me = next(iter(ids))
        f = chronology_frame
        if missing := [c for c in ("children", "child_words", "earliest", "how_known") if c not in f]:
            raise ValueError(f"the chronology has no {', '.join(missing)} column: give it as entries_frame makes it")
        when = pd.to_datetime(f["earliest"], errors="coerce")
        names = f["children"].fillna("").astype(str)
        mask = names.str.contains(rf"(?:^|;)\s*{re.escape(me)}\s*(?:;|$)") & (when <= pd.Timestamp(today))
        if "status" in f:
            mask &= f["status"].fillna("") != "withdrawn"
        rows = f[mask]
        reader = reader or ContactReader({me: [me]})
        # the entry's words, each column after a line break, joined as plain lists (pandas adding column to
        # column took longer than the join)
        columns = [rows[c].fillna("").astype(str).tolist() for c in ("description", "action", "outcome", "impact_note")
                   if c in rows]
        text = ["\n" + "\n".join(cells) for cells in zip(*columns, strict=True)] if columns else [""] * len(rows)
        rid = rows["record_id"] if "record_id" in rows else pd.Series([None] * len(rows), index=rows.index)
        # plain lists: iterating a pandas column element by element costs more than the reading itself
        for on, how, words, said, kids, record in zip(
                when[mask].dt.date.tolist(), rows["how_known"].fillna("").tolist(),
                rows["child_words"].fillna("").astype(str).tolist(), text, names[mask].tolist(),
                rid.tolist(), strict=True):
            read = reader.read(said, [k.strip() for k in kids.split(";")]).get(me, ChildContact())
            for key, yes in (("seen", how == "seen" or read.seen), ("seen_alone", read.seen_alone),
                             ("heard", bool(words.strip()) or how == "child_said" or read.heard),
                             ("not_seen", bool(read.not_seen) and not read.seen), ("not_alone", read.not_alone),
                             ("how_known", bool(how))):
                if yes:
                    out[key].append((on, record))
    return {key: sorted(dates, key=lambda d: d[0]) for key, dates in out.items()}


def last_contact(records: list[VoiceRecord], chronology_frame: pd.DataFrame | None = None,
                 today: date | None = None, *, child: str | None = None,
                 reader: ContactReader | None = None, assessments: Sequence[NeglectAssessment] = ()) -> Contact:
    """When the child was last seen, seen alone and heard, as at `today` (later events are left out).

    Takes the same arguments, and raises the same errors, as `contact_dates`.
    """
    today = today or date.today()
    dates = contact_dates(records, chronology_frame, today, child=child, reader=reader, assessments=assessments)
    return Contact(today, *(dates[k][-1][0] if dates[k] else None for k in ("seen", "seen_alone", "heard")))


def contact_warnings(contact: Contact, child_label: str,
                     thresholds: dict[str, int] | None = None) -> list[str]:
    """A plain warning for each of seen, seen alone and heard that is older than its limit, or not recorded.

    Args:
        contact: from `last_contact`.
        child_label: the child's name or role label, as the reader sees it.
        thresholds: calendar days for "seen", "seen_alone" and "heard", from the settings; a limit not
            given is the default, so no check is ever silently dropped.

    Raises:
        ValueError: an unknown key, or a limit that is not a whole number of days, 0 or more.
    """
    given = thresholds or {}
    if unknown := sorted(set(given) - set(DEFAULT_THRESHOLDS)):
        raise ValueError(f"'{unknown[0]}' is not a contact limit: choose from {', '.join(DEFAULT_THRESHOLDS)}")
    limits = {**DEFAULT_THRESHOLDS, **given}
    for key, days in limits.items():
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise ValueError(f"the limit for '{key}' must be a whole number of days, 0 or more, not {days!r}")
    out = []
    for key, limit in limits.items():
        last, since = getattr(contact, f"last_{key}"), contact.days_since(key)
        if last is None:
            # the records may simply not say: never claim "never" (DOMAIN.md 3)
            out.append(f"These records do not say when {child_label} was last {_SAID[key]}; the limit set is "
                       f"{limit} days.")
        elif since is not None and since > limit:
            out.append(f"{child_label} has not {_CONTACTS[key]} for {since} days (last {last.day} {last:%b %Y}); "
                       f"the limit set is {limit}.")
    return out

"""A finding: something the records show that a professional should weigh. Never a score.

Every analysis (patterns in the chronology, risks never named, drift, the child unseen,
start again) answers in findings, so the summary, the supervision screen and the command
line show them the same way and each can be traced back to the entries behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Kind = Literal["indicator", "risk_not_named", "drift", "unseen", "record_share", "start_again"]

KIND_TITLES: dict[str, str] = {
    "indicator": "Signs that keep coming back",
    "risk_not_named": "Risks in the records but not in any plan",
    "drift": "Drift and delay",
    "unseen": "The child unseen and unheard",
    "record_share": "The child in the records",
    "start_again": "Start again: the history before a new worker",
}

PROMPT_LINE = ("These findings are prompts for professional judgement, drawn from the records as they stand. "
               "They are not a score, a risk level or a decision.")


@dataclass(frozen=True)
class Finding:
    """One finding about one child (or the whole case when `child` is None).

    Attributes:
        kind: the family of finding (see `KIND_TITLES`).
        code: what exactly, within the kind: an indicator's category, a risk factor, a drift rule...
        child: the child's id.
        start, end: the period the finding covers.
        counts: the numbers behind the message, by name.
        entry_ids: the chronology records behind it, oldest first.
        message: the finding in plain words, for the reader.
    """

    kind: Kind
    code: str
    child: str | None
    start: date | None
    end: date | None
    message: str
    counts: dict[str, int | float] = field(default_factory=dict)
    entry_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON: dates as ISO text."""
        return {"kind": self.kind, "code": self.code, "child": self.child,
                "period": {"start": self.start.isoformat() if self.start else None,
                           "end": self.end.isoformat() if self.end else None},
                "counts": dict(self.counts), "entry_ids": list(self.entry_ids), "message": self.message}

"""Drift and delay: plans that run on, come back, and assessments that show no change.

About a third of long-term neglect cases drift (DOMAIN.md 5). The rules, each a finding:

- long plan: a plan open longer than `drift_weeks[type]` (0: never raised for its length);
- repeat plan: a second or later plan of the same type for the child;
- re-referral: a referral, or a new plan, within `drift_weeks["re_referral"]` weeks after one of
  the child's plans ended (the case stepped down, then came back);
- no improvement: the assessment's own drift flags (targets missed; graded 4 or worse three
  times in a row while a plan is open, see `assessment.progress.drift_flags`). A repeat that
  leaves a sub-area ungraded does not drop its flag: the last grade stands, and the finding names
  the sub-areas not regraded at the latest assessment, with the grade and since when;
- actions carried over: supervision actions carried to a second session or more.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pandas as pd

from ..assessment.framework import sub_area_label
from ..assessment.progress import drift_flags, not_regraded
from ..findings import Finding
from ..wording import count_words, day_text, duration, month_text
from .case_data import CarriedAction, CaseData

_ORDINAL = {2: "second", 3: "third", 4: "fourth", 5: "fifth"}


def _plan_name(plan: dict, data: CaseData, plural: bool = False) -> str:
    label = data.cfg.plan_types.label(plan["type"])
    return label[0].lower() + label[1:] + "s" * plural + (f" ({plan['category']})" if plan.get("category") else "")


def _entries_within(rows: pd.DataFrame, start: date, end: date, category: str) -> tuple[str, ...]:
    inside = rows[(rows["category"] == category) & (rows["earliest"] >= start) & (rows["earliest"] <= end)]
    return tuple(inside["record_id"])


def _long_plans(data: CaseData, child: str, label: str, rows: pd.DataFrame) -> list[Finding]:
    out = []
    for plan in data.plans_of(child):
        limit = data.cfg.drift_weeks.get(plan["type"], 0)
        end = plan["end"] or data.today
        weeks = (end - plan["start"]).days // 7
        if not limit or weeks <= limit:
            continue
        still = "has been open" if plan["end"] is None else "was open"
        # with no end recorded by the as-at day, the records say only that it had not ended
        until = f"since {day_text(plan['start'])}, no end recorded by {day_text(data.today)}" if plan["end"] is None \
            else f"from {day_text(plan['start'])} to {day_text(plan['end'])}"
        reviews = _entries_within(rows, plan["start"], end, "conference_plan")
        message = (f"{label}'s {_plan_name(plan, data)} {still} {duration(plan['start'], end)} ({until}); the "
                   f"kit raises a plan of this type after {limit} weeks. Has life changed for {label}?")
        out.append(Finding("drift", "long_plan", child, plan["start"], end, message,
                           {"weeks": weeks, "limit_weeks": limit, "reviews": len(reviews)}, reviews))
    return out


def _repeat_plans(data: CaseData, child: str, label: str, rows: pd.DataFrame) -> list[Finding]:
    out = []
    by_type: dict[str, list[dict]] = {}
    for plan in data.plans_of(child):
        by_type.setdefault(plan["type"], []).append(plan)
    for plans in by_type.values():
        if len(plans) < 2:
            continue
        starts = ", ".join(month_text(p["start"]) for p in plans)
        nth = _ORDINAL.get(len(plans), f"{len(plans)}th")
        now = "is" if plans[-1]["end"] is None else "was"
        message = (f"{label} has had {len(plans)} {_plan_name(plans[0], data, plural=True)} (from {starts}); "
                   f"the latest {now} the {nth}. What will be different this time?")
        ids = tuple(i for p in plans for i in _entries_within(rows, p["start"] - timedelta(days=7),
                                                                p["start"] + timedelta(days=7), "conference_plan"))
        out.append(Finding("drift", "repeat_plan", child, plans[0]["start"], plans[-1]["end"] or data.today,
                           message, {"plans": len(plans)}, ids))
    return out


def _episodes(plans: list[dict]) -> list[tuple[date, date | None]]:
    """The child's time on plans as unbroken stretches (a plan starting the day another ends continues it)."""
    out: list[tuple[date, date | None]] = []
    for p in plans:
        if out and (out[-1][1] is None or p["start"] <= out[-1][1]):
            end = None if out[-1][1] is None or p["end"] is None else max(out[-1][1], p["end"])
            out[-1] = (out[-1][0], end)
        else:
            out.append((p["start"], p["end"]))
    return out


def _re_referrals(data: CaseData, child: str, label: str, rows: pd.DataFrame) -> list[Finding]:
    weeks = data.cfg.drift_weeks.get("re_referral", 0)
    if not weeks:
        return []
    episodes = _episodes(data.plans_of(child))
    referrals = rows[rows["category"] == "referral"]
    came_back: list[tuple[date, str, tuple[str, ...]]] = []
    for (_, end), after in zip(episodes, [*episodes[1:], (None, None)], strict=False):
        if end is None or end > data.today:
            continue
        window_end = min(end + timedelta(weeks=weeks), after[0] or date.max)
        later = referrals[(referrals["earliest"] > end) & (referrals["earliest"] <= window_end)]
        for when, rid in zip(later["earliest"], later["record_id"], strict=True):
            came_back.append((when, f"a referral on {day_text(when)}, {duration(end, when)} after help ended",
                              (rid,)))
        if after[0] is not None and after[0] <= end + timedelta(weeks=weeks):
            came_back.append((after[0], f"a new plan on {day_text(after[0])}, {duration(end, after[0])} after "
                              "the last one ended", ()))
    if not came_back:
        return []
    came_back.sort(key=lambda c: c[0])
    message = (f"{label}'s case came back {count_words(len(came_back), 'time')} within {weeks} weeks of a plan "
               f"ending: {'; '.join(c[1] for c in came_back)}. Stop-start help is a sign of drift.")
    return [Finding("drift", "re_referral", child, came_back[0][0], came_back[-1][0], message,
                    {"times": len(came_back)}, tuple(i for c in came_back for i in c[2]))]


def _no_improvement(data: CaseData, child: str, label: str) -> list[Finding]:
    """The assessment's drift flags, one finding per kind, naming the sub-areas."""
    assessments = data.assessments_of(child)
    flags = drift_flags(assessments, data.today, data.plan_open(child))
    out = []
    for kind, words in (("stuck_high", "graded 4 or worse at three or more assessments in a row while a plan is "
                                       "open"),
                        ("target_missed", "agreed with the family passed without being reached")):
        mine = [f for f in flags if f.kind == kind]
        if not mine:
            continue
        areas: dict[str, int] = {}
        for f in mine:
            areas[sub_area_label(f.sub_area)] = areas.get(sub_area_label(f.sub_area), 0) + 1
        when = [d for f in mine for d, _ in f.evidence]
        what = ", ".join(a + (f" ({n})" if n > 1 else "") for a, n in areas.items())
        count = count_words(len(areas), "sub-area") if kind == "stuck_high" else count_words(len(mine), "target")
        latest = max(assessments, key=lambda a: a.assessed_on)
        stood = not_regraded(latest, [a for a in assessments if a is not latest])
        left = [f"{sub_area_label(c)} ({_grade_words(stood[c].grade)} since {month_text(stood[c].on)})"
                for c in dict.fromkeys(f.sub_area for f in mine) if c in stood]
        unregraded = f" Not regraded at the latest assessment: {'; '.join(left)}." if left else ""
        message = (f"{label}: {count} {words}: {what}. Latest assessment {day_text(latest.assessed_on)}."
                   f"{unregraded} Is it time to escalate?")
        entries = tuple(dict.fromkeys(e for a in assessments for g in a.grades
                                      if g.sub_area in {f.sub_area for f in mine} for e in g.entries))
        out.append(Finding("drift", kind, child, min(when) if when else None, max(when) if when else None,
                           message, {"flags": len(mine), "sub_areas": len(areas), "assessments": len(assessments)},
                           entries))
    return out


def _grade_words(grade: object) -> str:
    return str(grade) if isinstance(grade, int) else "not enough evidence"


def _carried(child: str, label: str, actions: Sequence[CarriedAction]) -> list[Finding]:
    repeated = [a for a in actions if a.carried_over >= 2 and a.child in (None, child)]
    return [Finding("drift", "action_carried", child, a.first_agreed, None,
                    f"An action for {label} has been carried over {a.carried_over} times since "
                    f"{day_text(a.first_agreed)}: \u201c{a.what}\u201d. What stands in its way?",
                    {"carried_over": a.carried_over}) for a in repeated]


def drift_findings(data: CaseData, child: str, label: str, actions: Sequence[CarriedAction] = ()) -> list[Finding]:
    """Every drift finding for one child, in the order of the rules in this module's docstring."""
    rows = data.rows(child)
    return [*_long_plans(data, child, label, rows), *_repeat_plans(data, child, label, rows),
            *_re_referrals(data, child, label, rows), *_no_improvement(data, child, label),
            *_carried(child, label, actions)]

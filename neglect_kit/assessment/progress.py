"""Progress across one child's neglect assessments: a chart, its alt text, changes and drift.

The first assessment by date is the baseline (DOMAIN.md section 4). Each sub-area keeps its
own grade, never averaged, and "not enough evidence" is never a number, so never better or
worse than a grade. The chart: a panel per area, a line per sub-area (colour and marker shape
together), 1 at the top, 5 at the bottom, "not enough evidence" a hollow marker on its own
row; a target is a star at its grade and date. Pure functions, `Figure` API, no pyplot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..chronology.timeline_layout import PLAN_STYLE
from ..vocab import PLAN_TYPES
from ..wording import count_words, day_text, month_text
from .framework import AREAS, NOT_ENOUGH_EVIDENCE, Area, area_of
from .model import Grade, NeglectAssessment, Target

__all__ = ["GRADE_WORDS", "Change", "DriftFlag", "Standing", "compare", "describe_progress", "drift_flags",
           "not_regraded", "progress_figure", "standing"]

GRADE_WORDS = {1: "needs met", 2: "met most of the time", 3: "met some of the time", 4: "often not met",
               5: "needs largely unmet"}
NEE_ROW = 6.2  # "not enough evidence" sits on its own row, set apart below grade 5
# Okabe-Ito colours with a marker shape each, so sub-areas are told apart without colour
STYLES = (("#0072B2", "o"), ("#D55E00", "s"), ("#009E73", "^"), ("#CC79A7", "D"), ("#000000", "v"))
LABELS = {s.code: s.label for a in AREAS for s in a.sub_areas}
ORDER = {code: i for i, code in enumerate(LABELS)}  # the framework's order of sub-areas
Direction = Literal["improved", "worsened", "same", "newly graded", "not regraded", "not enough evidence"]
HEADINGS = {"improved": "Improved", "worsened": "Worsened", "same": "Stayed the same",
            "not enough evidence": "To or from not enough evidence", "newly graded": "Graded for the first time",
            "not regraded": "Not regraded at the latest (the last grade stands)"}
# the page, in inches
WIDTH, LEFT, DATA_W, PANEL, GAP, TOP, BOTTOM = 11.5, 1.75, 6.2, 1.9, 0.45, 0.95, 1.05


@dataclass(frozen=True)
class Change:
    """How one sub-area's grade moved between two assessments; "improved" is a lower grade."""

    sub_area: str
    area: str
    before: Grade | None  # None: not graded at that assessment
    after: Grade | None
    direction: Direction
    words: str
    since: date | None = None  # "not regraded": the assessment whose grade still stands

    @property
    def now(self) -> str:
        """The grade now in a few words: "4 since Mar 2021, not regraded" when it was carried forward."""
        if self.direction == "not regraded" and self.since is not None:
            return f"{_g(self.before, False)} since {month_text(self.since)}, not regraded"
        return _g(self.after, False)


@dataclass(frozen=True)
class Standing:
    """A sub-area's grade as it stands: the last one given, and the assessment that gave it."""

    grade: Grade
    on: date


@dataclass(frozen=True)
class DriftFlag:
    """A warning that a sub-area is drifting: a target missed, or grades stuck at 4 or 5."""

    sub_area: str
    kind: Literal["target_missed", "stuck_high"]
    message: str
    evidence: tuple[tuple[date, Grade], ...]  # the grades the flag rests on, oldest first


def _ordered(assessments: Sequence[NeglectAssessment]) -> list[NeglectAssessment]:
    """One child's assessments by date, the baseline first; a mix of children is refused."""
    children = sorted({a.child for a in assessments})
    if len(children) > 1:
        raise ValueError(f"these assessments are for {len(children)} different children ({', '.join(children)}): "
                         "progress is shown for one child at a time")
    return sorted(assessments, key=lambda a: a.assessed_on)


def _grades(a: NeglectAssessment) -> dict[str, Grade]:
    return {g.sub_area: g.grade for g in sorted(a.grades, key=lambda g: ORDER[g.sub_area])}


def _targets(items: list[NeglectAssessment]) -> list[tuple[date, Target]]:
    """Each target once (one carried into later assessments too), with the date it was first agreed."""
    seen: dict[tuple[str, int, date], tuple[date, Target]] = {}
    for a in items:
        for t in a.targets:
            seen.setdefault((t.sub_area, t.grade, t.by), (a.assessed_on, t))
    return sorted(seen.values(), key=lambda s: (ORDER[s[1].sub_area], s[1].by, s[1].grade))


def standing(assessments: Sequence[NeglectAssessment], upto: date | None = None) -> dict[str, Standing]:
    """Each sub-area's last grade, carried forward over assessments that left it ungraded.

    A repeat that does not regrade a sub-area leaves its last grade standing: the records say
    no more than that it was that grade then, and has not been regraded since.

    Args:
        assessments: one child's assessments, in any order.
        upto: only assessments on or before this day count; all of them if None.

    Raises:
        ValueError: the assessments are for more than one child.
    """
    out: dict[str, Standing] = {}
    for a in _ordered(assessments):
        if upto is None or a.assessed_on <= upto:
            out.update({code: Standing(grade, a.assessed_on) for code, grade in _grades(a).items()})
    return dict(sorted(out.items(), key=lambda kv: ORDER[kv[0]]))


def not_regraded(assessment: NeglectAssessment, earlier: Sequence[NeglectAssessment]) -> dict[str, Standing]:
    """The sub-areas graded before that `assessment` leaves ungraded, each with the grade that stands.

    Args:
        assessment: a new or saved assessment of the child.
        earlier: the child's other assessments (any dated on or after `assessment` are left out).
    """
    before = standing([a for a in earlier if a.assessed_on <= assessment.assessed_on and a != assessment],
                      assessment.assessed_on)
    graded = {g.sub_area for g in assessment.grades}
    return {code: s for code, s in before.items() if code not in graded}


def _g(grade: Grade | None, words: bool = True) -> str:
    if not isinstance(grade, int):
        return "not graded" if grade is None else "not enough evidence"
    return f"{grade} ({GRADE_WORDS[grade]})" if words else str(grade)


def compare(earlier: NeglectAssessment, later: NeglectAssessment,
            history: Sequence[NeglectAssessment] = ()) -> list[Change]:
    """How each sub-area moved from the earlier assessment to the later one, last grades carried forward.

    Args:
        earlier: the assessment to compare from (often the baseline).
        later: the assessment to compare to, of the same child, not dated before `earlier`.
        history: the child's other assessments; a sub-area the earlier one left ungraded takes the
            grade that stood then from those dated before it.

    Returns:
        One `Change` per sub-area graded at either (or standing at `earlier`), in the framework's
        order. A change to or from "not enough evidence" has that direction, never "improved" or
        "worsened"; a sub-area the later one leaves ungraded is "not regraded", its grade standing
        since the assessment that gave it (`Change.since`).

    Raises:
        ValueError: the two are for different children, or `later` is dated before `earlier`.
    """
    _ordered([earlier, later, *history])
    if later.assessed_on < earlier.assessed_on:
        raise ValueError(f"the later assessment ({later.assessed_on:%d %b %Y}) is dated before the earlier one "
                         f"({earlier.assessed_on:%d %b %Y})")
    stood = standing([*(a for a in history if a.assessed_on < earlier.assessed_on), earlier], earlier.assessed_on)
    after = _grades(later)
    changes = []
    for code in sorted(stood.keys() | after.keys(), key=ORDER.__getitem__):
        b, a = (stood[code].grade if code in stood else None), after.get(code)
        direction: Direction
        since = None
        if b is None:
            direction, words = "newly graded", f"graded for the first time: {_g(a)}"
        elif a is None:
            since = stood[code].on
            direction, words = "not regraded", f"{_g(b)} since {month_text(since)}, not regraded"
        elif not isinstance(a, int) or not isinstance(b, int):
            direction = "not enough evidence"
            words = "still not enough evidence" if a == b else f"from {_g(b)} to {_g(a)}"
        else:
            direction = "improved" if a < b else "worsened" if a > b else "same"
            words = f"stayed at {_g(a)}" if a == b else f"{direction} from {_g(b)} to {_g(a)}"
        changes.append(Change(code, area_of(code).code, b, a, direction, f"{LABELS[code]}: {words}", since))
    return changes


def _target_outcome(items: list[NeglectAssessment], set_on: date, t: Target) -> tuple[bool, list[tuple[date, Grade]]]:
    """Whether the latest grade reaches the target (grade <= target), and the grades since it was agreed."""
    history = [(a.assessed_on, g[t.sub_area]) for a in items
               if a.assessed_on >= set_on and t.sub_area in (g := _grades(a))]
    latest = history[-1][1] if history else None
    return isinstance(latest, int) and latest <= t.grade, history


def _skipped(items: list[NeglectAssessment], code: str, after: date) -> list[date]:
    """The assessments after `after` that left the sub-area ungraded."""
    return [a.assessed_on for a in items if a.assessed_on > after and code not in _grades(a)]


def _assessments_words(skipped: list[date]) -> str:
    return (f"the assessment of {day_text(skipped[0])}" if len(skipped) == 1 else
            f"the {len(skipped)} assessments since ({', '.join(day_text(d) for d in skipped)})")


def drift_flags(assessments: Sequence[NeglectAssessment], today: date, plan_open: bool) -> list[DriftFlag]:
    """Sub-areas drifting: targets whose date has passed unmet, and grades stuck at 4 or 5 under a plan.

    A sub-area an assessment leaves ungraded keeps its last grade (carried forward, never
    dropped), and the flag says it was not regraded. A target is missed when its date is before
    `today` and the latest grade given for its sub-area (by `today`) is not at or below the
    target; "not enough evidence" never meets one. Stuck high is 4 or 5 at three or more
    assessments in a row up to the latest, counting only the assessments that graded the
    sub-area (one that left it ungraded neither breaks the run nor counts in it; "not enough
    evidence" or a grade under 4 breaks it), flagged only while a plan is open.

    Args:
        assessments: one child's assessments, in any order.
        today: the date the flags are for.
        plan_open: whether the child has an open plan now.

    Returns:
        Flags in the framework's order of sub-areas, each with a message in plain words.

    Raises:
        ValueError: the assessments are for more than one child.
    """
    items = [a for a in _ordered(assessments) if a.assessed_on <= today]
    flags = []
    for set_on, t in _targets(items):
        met, history = _target_outcome(items, set_on, t)
        if t.by >= today or met:
            continue
        when, latest = history[-1] if history else (set_on, None)
        status = (f"the latest grade is {_g(latest, False)} ({when:%b %Y}{', before the target date' * (when < t.by)})"
                  if history else "it has not been graded since it was agreed")
        if history and (skipped := _skipped(items, t.sub_area, when)):
            status += f", not regraded at {_assessments_words(skipped)}"
        flags.append(DriftFlag(t.sub_area, "target_missed", f"{LABELS[t.sub_area]}: the target of {t.grade} or "
                               f"better by {t.by:%d %b %Y} has passed without being reached; {status}",
                               tuple(history)))
    if plan_open:
        for code in LABELS:
            run: list[tuple[date, Grade]] = []
            for a in reversed(items):
                if code not in (grades := _grades(a)):
                    continue  # not regraded: the last grade stands, the run goes on
                grade = grades[code]
                if not isinstance(grade, int) or grade < 4:
                    break
                run.insert(0, (a.assessed_on, grade))
            if len(run) < 3:
                continue
            count = {3: "three", 4: "four", 5: "five"}.get(len(run), str(len(run)))
            dates = ", ".join(month_text(d) for d, _ in run)
            skipped = _skipped(items, code, run[0][0])
            if not skipped:
                message = f"graded 4 or worse at {count} assessments in a row ({dates}) while a plan is open"
            else:
                last = _skipped(items, code, run[-1][0])
                message = (f"graded 4 or worse at each of the last {count} assessments that graded it ({dates}) "
                           "while a plan is open"
                           + (f"; {_g(run[-1][1], False)} since {month_text(run[-1][0])}, not regraded at "
                              f"{_assessments_words(last)}" if last else ""))
            flags.append(DriftFlag(code, "stuck_high", f"{LABELS[code]}: {message}", tuple(run)))
    return sorted(flags, key=lambda f: (ORDER[f.sub_area], f.kind))


def describe_progress(assessments: Sequence[NeglectAssessment], child_label: str) -> str:
    """The progress chart's alt text: who, how many assessments, the period, what changed, targets.

    Args:
        assessments: one child's assessments, in any order.
        child_label: the name or role label to show for the child.

    Returns:
        A short paragraph of plain sentences; targets are judged at the latest assessment.

    Raises:
        ValueError: the assessments are for more than one child.
    """
    items = _ordered(assessments)
    if not items:
        return f"No neglect assessments for {child_label} yet."
    first, last = items[0].assessed_on, items[-1].assessed_on
    say = [f"Neglect assessment grades for {child_label}: {count_words(len(items), 'assessment')}, "
           + (f"on {first:%d %b %Y}." if len(items) == 1 else
              f"from {first:%d %b %Y} (the baseline) to {last:%d %b %Y}."),
           "Each sub-area is shown on its own, from grade 1 (needs met) to 5 (needs largely unmet); grades are "
           "never averaged."]
    if len(items) > 1:
        changes = compare(items[0], items[-1], items)
        say.append("Between the first and the latest assessment:")
        for direction, heading in HEADINGS.items():
            if these := [c for c in changes if c.direction == direction]:
                say.append(f"{heading}: " + "; ".join(
                    f"{LABELS[c.sub_area]} ({c.now})" if c.direction == "not regraded" else
                    f"{LABELS[c.sub_area]} ({_g(c.before, False)} to {_g(c.after, False)})" for c in these) + ".")
    high = [f"{LABELS[c]} ({g})" for c, g in _grades(items[-1]).items() if isinstance(g, int) and g >= 4]
    say.append(f"At the latest assessment, graded 4 or 5: {'; '.join(high)}." if high else
               "At the latest assessment no sub-area is graded 4 or 5.")
    carried = [f"{LABELS[c]} ({_g(s.grade, False)} since {month_text(s.on)})"
               for c, s in not_regraded(items[-1], items[:-1]).items() if isinstance(s.grade, int) and s.grade >= 4]
    if carried:
        say.append(f"Not regraded at the latest, last graded 4 or 5: {'; '.join(carried)}.")
    judged = [(f"{LABELS[t.sub_area]}, {t.grade} by {t.by:%b %Y}", _target_outcome(items, s, t)[0])
              for s, t in _targets(items) if t.by <= last]  # due by the latest assessment
    met, missed = [w for w, ok in judged if ok], [w for w, ok in judged if not ok]
    due_later = len(_targets(items)) - len(judged)
    parts = [f"{len(met)} met ({'; '.join(met)})" if met else "", f"{len(missed)} missed ({'; '.join(missed)})"
             if missed else "", f"{due_later} not yet due" if due_later else ""]
    say.append("Targets: " + ", ".join(filter(None, parts)) + "." if any(parts) else "No targets recorded.")
    return " ".join(say)


def progress_figure(assessments: Sequence[NeglectAssessment], child_label: str,
                    plans: list[dict[str, Any]] | None = None) -> Figure:
    """Draw one child's grades across assessments: a panel per area, a line per sub-area.

    Args:
        assessments: one child's assessments, in any order; the first by date is the baseline.
        child_label: the name or role label to show for the child.
        plans: plan rows as `Store.plans` gives them (child_id, type, start, end); the child's
            plans are shaded behind the grades.

    Returns:
        A `Figure` on an Agg canvas; `chronology.timeline.figure_bytes` renders it.

    Raises:
        ValueError: the assessments are for more than one child.
    """
    items = _ordered(assessments)
    if not items:
        FigureCanvasAgg(fig := Figure(figsize=(8, 1.6)))
        fig.text(0.03, 0.75, f"{child_label}: neglect assessment grades", fontsize=12, fontweight="bold", gid="title")
        fig.text(0.5, 0.35, "No assessments yet", ha="center", fontsize=11, color="#444444", gid="no_assessments")
        return fig
    dates, targets = [a.assessed_on for a in items], _targets(items)
    ends = dates + [t.by for _, t in targets]
    pad = timedelta(days=max(20, (max(ends) - min(ends)).days * 0.04))
    x0, x1 = mdates.date2num(min(ends) - pad), mdates.date2num(max(ends) + pad)
    grades = {a.assessed_on: _grades(a) for a in items}  # two on one day: the later one drawn
    xs = mdates.date2num(list(grades))
    shaded = [p for p in plans or [] if p.get("child_id", items[0].child) == items[0].child
              and p["start"] <= max(ends) + pad and (p["end"] is None or p["end"] >= min(ends) - pad)]
    height = TOP + len(AREAS) * (PANEL + GAP) + BOTTOM
    FigureCanvasAgg(fig := Figure(figsize=(WIDTH, height)))
    axes: list[Axes] = []
    for i, area in enumerate(AREAS):
        bottom = height - TOP - (i + 1) * (PANEL + GAP) + GAP
        axes.append(ax := fig.add_axes((LEFT / WIDTH, bottom / height, DATA_W / WIDTH, PANEL / height),
                                       sharex=axes[0] if axes else None))
        ax.set_xlim(x0, x1)
        for p in shaded:
            ax.axvspan(mdates.date2num(p["start"]), mdates.date2num(p["end"]) if p["end"] else x1,
                       color=PLAN_STYLE.get(p["type"], ("", "#E6E6E6"))[1], alpha=0.5, zorder=0, lw=0, gid="plan")
        _panel(ax, area, xs, grades, targets)
    gaps = np.diff(xs) * DATA_W / (x1 - x0)
    if len(xs) > 1 and gaps.min() < 0.75:  # assessments too close to label each: regular date ticks
        axes[-1].xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
        axes[-1].xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    else:  # each assessment's date, the first named as the baseline
        axes[-1].set_xticks(xs, [f"{d:%b}\n{d:%Y}" + ("\n(baseline)" * (k == 0)) for k, d in enumerate(grades)])
    axes[-1].tick_params(axis="x", labelsize=8)
    for ax in axes[:-1]:
        ax.tick_params(axis="x", labelbottom=False)
    period = f"{dates[0]:%b %Y}" + (f" to {dates[-1]:%b %Y}" if len(items) > 1 else "")
    period += f" ({count_words(len(items), 'assessment')})"
    fig.text(0.15 / WIDTH, 1 - 0.3 / height, f"{child_label}: neglect assessment grades, {period}", fontsize=13,
             fontweight="bold", va="center", gid="title")
    fig.text(0.15 / WIDTH, 1 - 0.58 / height, "Each sub-area has its own line; grades are never averaged. "
             "Higher on the chart is better: 1 at the top (needs met), 5 at the bottom (needs largely unmet).",
             fontsize=8.5, color="#333333", va="center", gid="subtitle")
    key: list[Any] = [
        Line2D([], [], color="#555555", marker="o", ms=6, label="Grade at an assessment"),
        Line2D([], [], ls="", marker="o", ms=6, mfc="white", mec="#555555", mew=1.4,
               label="Not enough evidence (hollow, own row)"),
        Line2D([], [], color="#555555", ls="--", lw=1, marker="*", ms=11, mec="black", mew=0.5,
               label="Target: grade aimed for by its date"),
        Line2D([], [], color="#555555", ls=":", lw=1.2, label="Bridges a gap in the grades"),
        Line2D([], [], color="#BBBBBB", lw=0.8, label="Assessment dates")]
    key += [Patch(facecolor=PLAN_STYLE.get(t, ("", "#E6E6E6"))[1], label=PLAN_TYPES.label(t))
            for t in dict.fromkeys(p["type"] for p in shaded)]
    fig.legend(handles=key, loc="lower left", bbox_to_anchor=(0.15 / WIDTH, 0.1 / height), ncol=3, frameon=False,
               fontsize=8, borderaxespad=0)
    return fig


def _panel(ax: Axes, area: Area, xs: np.ndarray, grades: dict[date, dict[str, Grade]],
           targets: list[tuple[date, Target]]) -> None:
    """One area: a line per sub-area, hollow markers for not enough evidence, its targets."""
    ax.set_title(area.label, loc="left", fontsize=10, fontweight="bold", pad=4)
    ax.set_ylim(NEE_ROW + 0.5, 0.5)  # grade 1 at the top
    ax.set_yticks([1, 2, 3, 4, 5, NEE_ROW], [*(f"{g} {w}" for g, w in GRADE_WORDS.items()), "not enough evidence"],
                  fontsize=8)
    ax.hlines([1, 2, 3, 4, 5], 0, 1, transform=ax.get_yaxis_transform(), colors="#EEEEEE", lw=0.8, zorder=0.5)
    ax.axhline((5 + NEE_ROW) / 2, color="#999999", lw=0.8, ls=":", zorder=0.5, gid="evidence_divider")
    ax.vlines(xs, 0, 1, transform=ax.get_xaxis_transform(), colors="#BBBBBB", lw=0.8, zorder=0.6,
              gid="assessment_lines")
    ax.spines[["top", "right"]].set_visible(False)
    handles, stars, paths = [], [], []  # stars: (x, y, colour); paths: (segment, colour)
    for k, (sub, (colour, marker)) in enumerate(zip(area.sub_areas, STYLES, strict=False)):
        dy = (k - (len(area.sub_areas) - 1) / 2) * 0.12  # side by side on one grade, not hidden behind each other
        row = [g.get(sub.code) for g in grades.values()]
        graded, nee = np.array([isinstance(v, int) for v in row]), np.array([v == NOT_ENOUGH_EVIDENCE for v in row])
        y = np.array([v if isinstance(v, int) else np.nan for v in row], float) + dy
        if 1 < graded.sum() < len(graded):  # gaps (not graded, not enough evidence) bridged: the trend still reads
            ax.plot(xs[graded], y[graded], color=colour, ls=":", lw=1.2, zorder=2.8, gid=f"gap:{sub.code}")
        if graded.any():
            ax.plot(xs, y, color=colour, marker=marker, ms=6, lw=1.6, zorder=3, gid=f"grades:{sub.code}")
        if nee.any():
            ax.plot(xs[nee], np.full(nee.sum(), NEE_ROW + dy), ls="", marker=marker, ms=7, mfc="white", mec=colour,
                    mew=1.5, zorder=3, gid=f"not_enough:{sub.code}")
        mine = [(s, t) for s, t in targets if t.sub_area == sub.code]
        for set_on, t in mine:
            stars.append((mdates.date2num(t.by), t.grade + dy, colour))
            if isinstance(start := grades[set_on].get(sub.code), int):  # dashed from the grade when agreed
                paths.append(([(mdates.date2num(set_on), start + dy), stars[-1][:2]], colour))
        seen = graded.any() or nee.any() or bool(mine)
        handles.append(Line2D([], [], color=colour, marker=marker, ms=6, lw=1.6, alpha=1 if seen else 0.35,
                              label=sub.label if seen else f"{sub.label} (not graded)"))
    if paths:
        segments, colours = zip(*paths, strict=True)
        ax.add_collection(LineCollection(list(segments), colors=list(colours), linestyles="--", linewidths=1.0,
                                         zorder=2.5, gid="target_paths"), autolim=False)
    if stars:
        tx, ty, tc = zip(*stars, strict=True)
        ax.scatter(tx, ty, s=130, marker="*", c=list(tc), edgecolors="black", linewidths=0.5, zorder=4, gid="targets")
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8,
              borderaxespad=0, handlelength=2.2)

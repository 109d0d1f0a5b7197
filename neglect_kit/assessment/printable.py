"""The toolkit's printable records: an assessment, a screening, a day in the life (HTML and PDF)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ..chronology.timeline import figure_bytes
from ..config import settings
from ..reports.document import Document, Heading, Image, Paragraph, Table
from .day import DayInTheLife, day_strip, describe_day, differences, slot_label
from .evidence import EvidenceEntry
from .framework import AREAS, NOT_ENOUGH_EVIDENCE, sub_area_label
from .model import NeglectAssessment
from .progress import describe_progress, progress_figure
from .screening import Guidance, Screening, question


def _made(by: str) -> Paragraph:
    return Paragraph(f"Produced by {by} on {datetime.now(UTC):%d %B %Y at %H:%M} (UTC).")


def assessment_document(assessment: NeglectAssessment, child_label: str, history: list[NeglectAssessment],
                        plans: list[dict[str, Any]], produced_by: str,
                        entries: Mapping[str, EvidenceEntry] | None = None) -> Document:
    """One assessment with its grades by area, the entries its evidence rests on, targets, and progress.

    Args:
        assessment: the assessment to print.
        child_label: the child's name or role label.
        history: the child's assessments (those after this one are left out).
        plans: the child's plans, shaded on the progress chart.
        produced_by: who asked for the record.
        entries: the chronology entries by record id (`evidence.evidence_entries`); an entry linked
            but not found there is listed as no longer in the chronology.
    """
    earlier = sorted((a for a in history if a.assessed_on <= assessment.assessed_on), key=lambda a: a.assessed_on)
    which = "baseline" if not earlier or earlier[0] == assessment else f"repeat {earlier.index(assessment)}"
    doc = Document(f"{child_label}: neglect assessment of {assessment.assessed_on:%d %B %Y} ({which})")
    visits = "; ".join(f"{v.on:%d %b %Y} ({v.announced_words})" for v in assessment.visits) or "none recorded"
    doc.add(Paragraph(f"Assessed by {assessment.assessed_by}. Visits: {visits}."),
            Heading("The carer's view"), Paragraph(assessment.carer_view or "Not recorded."),
            Heading("The child's view"), Paragraph(assessment.child_view or "Not recorded."))
    by_code = {g.sub_area: g for g in assessment.grades}
    for area in AREAS:
        rows = []
        for sub in area.sub_areas:
            g = by_code.get(sub.code)
            if g is None:
                rows.append([sub.label, "not graded", "", "", ""])
                continue
            meaning = "" if g.grade == NOT_ENOUGH_EVIDENCE else settings().grade_meanings[int(g.grade)]
            grade = "not enough evidence" if g.grade == NOT_ENOUGH_EVIDENCE else str(g.grade)
            rests = f" (rests on {len(g.entries)} chronology entries)" if g.entries else ""
            rows.append([sub.label, grade, meaning, g.evidence + rests, g.strengths])
        doc.add(Table(["Sub-area", "Grade", "Means", "Evidence", "Strengths"], rows, caption=area.label))
    linked = [(g.sub_area, rid) for area in AREAS for sub in area.sub_areas if (g := by_code.get(sub.code))
              for rid in g.entries]
    if linked:
        known = entries or {}
        rows = [[sub_area_label(code), known[rid].when, known[rid].agency, known[rid].what] if rid in known else
                [sub_area_label(code), "", "", "An entry no longer in the chronology (withdrawn or removed)"]
                for code, rid in linked]
        doc.add(Table(["Sub-area", "Date", "Agency", "What happened"], rows,
                      caption="The chronology entries the evidence rests on"))
    if assessment.targets:
        doc.add(Table(["Sub-area", "Target grade", "By", "Agreed with"],
                      [[sub_area_label(t.sub_area), t.grade, f"{t.by:%d %b %Y}", t.agreed_with]
                       for t in assessment.targets], caption="Targets agreed"))
    figure = progress_figure(earlier, child_label, plans)
    doc.add(Heading("Progress up to this assessment"),
            Image(figure_bytes(figure, "png"), describe_progress(earlier, child_label)),
            Paragraph("Grades are for the here and now, and are never added up or averaged."), _made(produced_by))
    return doc


def screening_document(screening: Screening, guidance: Guidance, child_label: str) -> Document:
    """A screening's answers, the child's day as the professional saw it, and the guidance with its reasons."""
    doc = Document(f"{child_label}: neglect screening of {screening.screened_on:%d %B %Y}")
    doc.add(Paragraph(f"By {screening.screened_by} ({screening.agency.replace('_', ' ')})."),
            Heading(guidance.headline), Heading("Why", 3), *[Paragraph(f"• {r}") for r in guidance.reasons],
            Heading("What to do next", 3), *[Paragraph(f"• {s}") for s in guidance.next_steps],
            Heading("The child's day, in the professional's words"), Paragraph(screening.day_in_words),
            Heading("What the child said"), Paragraph(screening.child_said or "Nothing recorded."),
            Table(["Question", "Answer"], [[question(code).text, answer] for code, answer in screening.answers.items()],
                  caption="The answers"), _made(screening.screened_by))
    return doc


def day_document(day: DayInTheLife, child_label: str) -> Document:
    """A day from waking to night, the two accounts side by side, and where they differ."""
    differ = {d.slot: d.words for d in differences(day)}
    doc = Document(f"{child_label}: a day in the life ({day.kind}), recorded {day.recorded_on:%d %B %Y}")
    doc.add(Image(figure_bytes(day_strip(day, child_label), "png"), describe_day(day, child_label)),
            Table(["Time of day", "The parent says", "The child says (or was seen)", "Effect on the child",
                   "Look again"],
                  [[slot_label(s.slot, day.kind), s.parent_account, s.child_side, s.effect_on_child,
                    differ.get(s.slot, "")] for s in day.slots], caption="The two accounts side by side"),
            _made(day.recorded_by))
    return doc

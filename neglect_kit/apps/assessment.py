"""The neglect assessment app: one child at a time, assessed and re-assessed, with the change shown.

Choose the case and the child; read the child's earlier assessments (the first is the
baseline); record a new one, every grade with its evidence; record that an external licensed
assessment was done (its tool, date and number only).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as w
from pydantic import ValidationError

from ..assessment.evidence import EvidencePicker, evidence_entries
from ..assessment.form import AssessmentForm
from ..assessment.framework import NOT_ENOUGH_EVIDENCE, area_of, sub_area_codes, sub_area_label
from ..assessment.model import ASSESSMENT_KIND, EXTERNAL_KIND, ExternalAssessment, NeglectAssessment
from ..assessment.printable import assessment_document
from ..assessment.progress import compare, describe_progress, drift_flags, not_regraded, progress_figure
from ..chronology.records import stored_entries
from ..chronology.timeline import figure_bytes
from ..reports.html import style_block
from ..store import Store, current_models
from ..store.identity import Person
from ..ui.child_picker import ChildPicker, OneChildApp
from ..ui.downloads import record_links
from ..ui.fields import STYLE, button, date_field, text
from ..ui.guard import guard
from ..ui.panels import FailedApp, esc, html_table, image_html, open_app
from ..ui.roles import RoleApp, no_cases
from ..wording import month_text


def _grade_text(grade: Any) -> str:
    if grade is None:
        return "not graded"
    return "not enough evidence" if grade == NOT_ENOUGH_EVIDENCE else str(grade)


class AssessmentApp(OneChildApp):
    """The app for one store and user; `.widget` is what the notebook shows."""

    def __init__(self, store: Store, *, person: Person | None = None):
        self.store = store
        self.person = person or store.person()
        self.picker = ChildPicker(store, self._child_chosen)
        self.case_picker, self.child_picker = self.picker.case, self.picker.child
        self.history = w.HTML()
        self.progress = w.HTML()
        self.record_picker = w.Dropdown(description="Assessment", style=STYLE, layout=w.Layout(width="30em"))
        self.record_button = w.Button(description="Prepare the printable record", layout=w.Layout(width="auto"))
        self.record_links = w.HTML()
        self.record_files: dict[str, bytes] = {}
        self.record_button.on_click(guard("prepare the printable record", self.record_links,
                                          lambda _: self.prepare_record()))
        self.form_box = w.VBox()
        self.evidence = EvidencePicker(self.link_evidence, self.unlink_evidence,
                                       lambda code: list(self.form.rows[code].entries) if self.form else [])
        self.form: AssessmentForm | None = None
        self.save_button = w.Button(description="Save the assessment", button_style="primary")
        self.message = w.HTML()
        # a save that leaves sub-areas ungraded waits for the worker to confirm, having been told which
        self.confirm_button = button("Save, leaving them ungraded", "primary")
        self.back_button = button("Go back and grade them")
        self.confirm_box = w.HBox()
        self.warned: tuple[str, ...] | None = None  # the sub-areas the worker was warned of
        self.confirm_button.on_click(guard("save the assessment", self.message, lambda _: self.save(confirmed=True),
                                           writes=True))
        self.back_button.on_click(guard("go back to the form", self.message, lambda _: self.back_to_form()))
        self.external_tool = text("Tool", "the licensed tool's name")
        self.external_on = date_field("Completed on")
        self.external_grade = w.Dropdown(description="Overall grade", style=STYLE,
                                         options=[("Not given", ""), *[(str(g), str(g)) for g in range(1, 6)]])
        self.external_button = w.Button(description="Record it")
        self.external_message = w.HTML()
        self.save_button.on_click(guard("save the assessment", self.message, lambda _: self.save(), writes=True))
        self.external_button.on_click(guard("record the assessment", self.external_message,
                                            lambda _: self.record_external(), writes=True))
        self.widget = w.VBox([
            w.HTML(style_block()),
            self.picker.widget,
            w.HTML("<h2>This child's assessments</h2>"), self.history, self.progress,
            w.HBox([self.record_picker, self.record_button]), self.record_links,
            w.HTML("<h2>A new assessment</h2><p>Grade each sub-area for the here and now, 1 (needs met, the child "
                   "comes first) to 5 (needs largely unmet), or say there is not enough evidence yet. Every grade "
                   "needs written evidence. Grades are never added up or averaged.</p>"),
            self.evidence.widget,
            self.form_box, self.save_button, self.message, self.confirm_box,
            w.HTML("<h2>An external licensed assessment</h2><p>Record only that it was completed: the tool, the "
                   "date and its overall grade as a number. Its content stays in the tool.</p>"),
            self.external_tool, self.external_on, self.external_grade, self.external_button, self.external_message])
        self.picker.start(no_cases(self.person))

    @classmethod
    def open(cls, store: Store | None = None, person: Person | None = None) -> AssessmentApp | RoleApp | FailedApp:
        return open_app(lambda s, p: cls(s, person=p), "The assessment app could not be opened", store, person,
                        name="Neglect assessment")

    def _child_chosen(self) -> None:
        self.form = AssessmentForm(self.child_id, self.person.display_name)
        self.form_box.children = (self.form.widget,)
        self.evidence.load(evidence_entries(stored_entries(self.store, self.case_id), self.child_id))
        self._clear_warning()
        self.message.value = ""
        self.refresh()

    def assessments(self) -> list[NeglectAssessment]:
        """This child's assessments, oldest (the baseline) first."""
        found = [s.model for s in current_models(self.store, ASSESSMENT_KIND, self.case_id, NeglectAssessment)]
        return sorted((a for a in found if a.child == self.child_id), key=lambda a: a.assessed_on)

    def refresh(self) -> None:
        done = self.assessments()
        self._show_progress(done)
        self.record_picker.options = [(f"{a.assessed_on:%d %b %Y}", i) for i, a in enumerate(done)]
        self.record_picker.value = len(done) - 1 if done else None
        self.record_links.value = ""
        if not done:
            self.history.value = "<p>No assessments yet: the first one saved is the baseline.</p>"
            return
        rows = [[f"{a.assessed_on:%d %b %Y}", "baseline" if i == 0 else f"repeat {i}", a.assessed_by,
                 ", ".join(f"{area_of(g.sub_area).label}: {sub_area_label(g.sub_area)} {_grade_text(g.grade)}"
                           for g in a.grades if g.grade in (4, 5)) or "none",
                 sum(1 for g in a.grades if g.grade == NOT_ENOUGH_EVIDENCE)]
                for i, a in enumerate(done)]
        self.history.value = html_table(
            ["Assessed on", "Which", "By", "Sub-areas graded 4 or 5", "Not enough evidence"], rows,
            caption=f"{len(done)} assessment(s) of {self.child_picker.label}")

    def _show_progress(self, done: list[NeglectAssessment]) -> None:
        """The grades over time, what changed since the last assessment, and drift."""
        if not done:
            self.progress.value = ""
            return
        label = self.child_picker.label or self.child_id
        plans = [p for p in self.store.plans(self.case_id) if p["child_id"] == self.child_id]
        figure = progress_figure(done, label, plans)
        alt = describe_progress(done, label)
        parts = [image_html(figure_bytes(figure, "png"), alt, "nk-progress")]
        if len(done) > 1:
            rows = [[sub_area_label(c.sub_area), _grade_text(c.before), c.now, c.direction]
                    for c in compare(done[-2], done[-1], done)]
            parts.append(html_table(["Sub-area", "Before", "Now", "Change"], rows,
                                    caption=f"Since the assessment of {done[-2].assessed_on:%d %b %Y}"))
        plan_open = any(p["end"] is None or p["end"] >= date.today() for p in plans)
        flags = drift_flags(done, date.today(), plan_open)
        if flags:
            items = "".join(f"<li>{esc(f.message)}</li>" for f in flags)
            parts.append(f'<div role="status"><h3>Drift: is it time to escalate?</h3><ul>{items}</ul></div>')
        self.progress.value = "".join(parts)

    def link_evidence(self, sub_area: str, record_ids: list[str]) -> None:
        """Rest a sub-area's grade on chronology entries of this child."""
        assert self.form is not None
        self.form.rows[sub_area].link(record_ids, self.evidence.describe)

    def unlink_evidence(self, sub_area: str, record_ids: list[str]) -> None:
        """Take entries linked by mistake off a sub-area's grade."""
        assert self.form is not None
        self.form.rows[sub_area].unlink(record_ids, self.evidence.describe)

    def prepare_record(self) -> dict[str, bytes]:
        """The chosen assessment as a printable page and a PDF."""
        done = self.assessments()
        if self.record_picker.value is None or not done:
            return {}
        chosen = done[self.record_picker.value]
        plans = [p for p in self.store.plans(self.case_id) if p["child_id"] == self.child_id]
        doc = assessment_document(chosen, self.picker.child_label, done, plans, self.person.display_name,
                                  self.evidence.entries)
        self.record_links.value, self.record_files = record_links(doc, f"assessment-{chosen.assessed_on}")
        return self.record_files

    def save(self, confirmed: bool = False) -> NeglectAssessment | None:
        """Save the form's assessment; one that leaves sub-areas ungraded is saved only once the worker,
        told which (and the grades that will stand), confirms it."""
        assert self.form is not None
        assessment, errors = self.form.check()
        if assessment is None:
            self._clear_warning()
            self.message.value = (f'<p role="alert" class="nk-field-error">Not saved: {len(errors)} thing(s) need '
                                  f"attention: {esc('; '.join(errors[:5]))}</p>")
            return None
        ungraded = tuple(code for code in sub_area_codes() if code not in {g.sub_area for g in assessment.grades})
        if ungraded and not (confirmed and ungraded == self.warned):
            self._warn(assessment, ungraded)
            return None
        self.store.create(ASSESSMENT_KIND, self.case_id, assessment.model_dump(mode="json"),
                          reason="saved in the assessment app")
        self._clear_warning()
        which = "the baseline" if len(self.assessments()) == 1 else "a repeat"
        self.form = AssessmentForm(self.child_id, self.person.display_name)
        self.form_box.children = (self.form.widget,)
        self.message.value = f'<p role="status">Saved as {which} assessment of {esc(self.child_picker.label)}.</p>'
        self.refresh()
        return assessment

    def _warn(self, assessment: NeglectAssessment, ungraded: tuple[str, ...]) -> None:
        """Say which sub-areas are left ungraded, and what stands for each, before anything is saved."""
        stood = not_regraded(assessment, self.assessments())
        items = "".join(f"<li>{esc(sub_area_label(c))}: "
                        + (esc(f"{_grade_text(stood[c].grade)} since {month_text(stood[c].on)} will stand, "
                               "shown as not regraded") if c in stood else "never graded") + "</li>"
                        for c in ungraded)
        self.warned = ungraded
        self.message.value = (f'<div role="alert" class="nk-warn"><p><strong>Not saved yet: {len(ungraded)} of the '
                              f"{len(sub_area_codes())} sub-areas are not graded in this assessment.</strong></p>"
                              f"<ul>{items}</ul><p>Grade them, or save leaving them ungraded.</p></div>")
        self.confirm_box.children = (self.confirm_button, self.back_button)

    def _clear_warning(self) -> None:
        self.warned = None
        self.confirm_box.children = ()

    def back_to_form(self) -> None:
        self._clear_warning()
        self.message.value = "<p>Not saved. Grade the sub-areas listed, then save again.</p>"

    def record_external(self) -> ExternalAssessment | None:
        try:
            record = ExternalAssessment(child=self.child_id, tool=self.external_tool.value.strip(),
                                        completed_on=self.external_on.value or date.min,
                                        grade=int(self.external_grade.value) if self.external_grade.value else None)
        except ValidationError as exc:
            self.external_message.value = (f'<p role="alert" class="nk-field-error">Not recorded: '
                                           f"{esc(exc.errors()[0]['loc'][0])}: {esc(exc.errors()[0]['msg'])}</p>")
            return None
        if record.completed_on == date.min:
            self.external_message.value = '<p role="alert" class="nk-field-error">Not recorded: choose the date.</p>'
            return None
        self.store.create(EXTERNAL_KIND, self.case_id, record.model_dump(mode="json"), reason="recorded as completed")
        self.external_message.value = (f'<p role="status">Recorded: {esc(record.tool)}, '
                                       f"{record.completed_on:%d %b %Y}.</p>")
        return record

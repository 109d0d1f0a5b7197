"""The screening app for any professional: a few plain questions about one child, then guidance.

The guidance always shows its reasons, and knows the plan children's social care holds the child
on now with the social worker the records name (the worker at the case's latest supervision), so
a child already on a plan is never to be "referred". An unanswered question is marked beside it,
in its own words. Saving keeps the screening and adds it to the case's chronology as one entry,
in one transaction.
"""

from __future__ import annotations

from datetime import date

import ipywidgets as w
from pydantic import ValidationError

from ..assessment.framework import AREAS
from ..assessment.printable import screening_document
from ..assessment.screening import (
    PARENTAL,
    QUESTIONS,
    SCREENING_KIND,
    CurrentPlan,
    Guidance,
    Screening,
    as_chronology_entry,
    guidance,
    plan_on,
)
from ..chronology.model import ENTRY_KIND
from ..config import settings
from ..reports.html import style_block
from ..store import Store
from ..store.identity import Person
from ..supervision.records import sessions
from ..ui.child_picker import ChildPicker
from ..ui.downloads import record_links
from ..ui.fields import area, choice, date_field, text
from ..ui.guard import guard
from ..ui.panels import FailedApp, esc, open_app
from ..ui.roles import RoleApp, no_cases
from ..wording import day_text

NOT_ANSWERED = "Not answered yet: choose Yes, No or Not known ('Not known' is an answer)."

_HEADINGS = {**{a.code: a.label for a in AREAS}, PARENTAL: "The adults around the child"}
_LEVEL_STYLE = {"refer_to_childrens_social_care": "nk-refer", "tell_allocated_social_worker": "nk-refer",
                "talk_to_safeguarding_lead": "nk-talk", "no_concern_now": "nk-none"}


def current_plan(store: Store, case_id: str, child_id: str, today: date) -> CurrentPlan | None:
    """The plan children's social care holds the child on `today`, with the worker at the case's latest
    supervision on or before `today` (the records name no other), or None."""
    held = [s.model for s in sessions(store, case_id) if s.model.held_on <= today]
    latest = max(held, key=lambda s: s.held_on) if held else None
    return plan_on(store.plans(case_id), child_id, today, latest.worker if latest else None,
                   f"the supervision of {day_text(latest.held_on)}" if latest else "")


class ScreeningApp:
    """The app for one store and user; `.widget` is what the notebook shows."""

    def __init__(self, store: Store, *, person: Person | None = None):
        self.store = store
        self.person = person or store.person()
        self.known = w.HTML()
        self.plan: CurrentPlan | None = None
        self.picker = ChildPicker(store, self._child_chosen)
        self.case_picker, self.child_picker = self.picker.case, self.picker.child
        self.agency = choice("Your agency", [(label, code) for code, label in settings().agencies.labels().items()])
        self.screened_on = date_field("Date", date.today())
        self.screened_by = text("Your name or role")
        self.screened_by.value = self.person.display_name
        # radio buttons: each answer is a real, labelled radio, so a screen reader says which is chosen
        self.answers: dict[str, w.RadioButtons] = {
            q.code: w.RadioButtons(options=[("Yes", "yes"), ("No", "no"), ("Not known", "not known")], value=None,
                                   description=q.text, orientation="horizontal",
                                   style={"description_width": "initial"},
                                   layout=w.Layout(width="100%")).add_class("nk-question")
            for q in QUESTIONS}
        # beside each question, the place where "not answered yet" shows
        self.marks = {q.code: w.HTML() for q in QUESTIONS}
        for code, radio in self.answers.items():
            radio.observe(guard("mark the answer", self.marks[code], lambda _, c=code: self._answered(c)),
                          names="value")
        sections: list[w.Widget] = []
        for code, heading in _HEADINGS.items():
            sections.append(w.HTML(f"<h3>{esc(heading)}</h3>"))
            sections.extend(w.VBox([self.answers[q.code], self.marks[q.code]]) for q in QUESTIONS if q.area == code)
        self.day_in_words = area("The child's day", "what you saw and heard of the child's day, in your own words",
                                 rows=4)
        self.child_said = area("What the child said", "the child's own words, if they said anything", rows=2)
        self.guide_button = w.Button(description="See the guidance", button_style="primary",
                                     layout=w.Layout(width="auto"))
        self.save_button = w.Button(description="Save to the chronology", disabled=True,
                                    layout=w.Layout(width="auto"))
        self.result = w.HTML()
        self.guide_button.on_click(guard("show the guidance", self.result, lambda _: self.show_guidance()))
        self.save_button.on_click(guard("save the screening", self.result, lambda _: self.save(), writes=True))
        self.widget = w.VBox([
            w.HTML(style_block()), self.picker.widget, self.known, self.agency, self.screened_on,
            self.screened_by, w.HTML("<h2>What you have noticed</h2><p>Answer each question from what you have "
                                     "seen and heard yourself. 'Not known' is a real answer.</p>"),
            *sections, self.day_in_words, self.child_said, self.guide_button, self.result, self.save_button])
        self.screening: Screening | None = None
        self.advice: Guidance | None = None
        self.record_files: dict[str, bytes] = {}
        self.saved: list[Screening] = []  # this visit's saves: the same screening is not added twice
        self.picker.start(no_cases(self.person))

    @classmethod
    def open(cls, store: Store | None = None, person: Person | None = None) -> ScreeningApp | RoleApp | FailedApp:
        return open_app(lambda s, p: cls(s, person=p), "The screening app could not be opened", store, person,
                        name="Neglect screening")

    def _child_chosen(self) -> None:
        """What the records say of the child's plan and social worker, shown before the questions."""
        self.screening = self.advice = None
        self.save_button.disabled = True
        self.result.value = ""
        child = self.picker.child_id
        self.plan = current_plan(self.store, self.picker.case_id, child, date.today()) if child else None
        label = esc(self.picker.child_label)
        if self.plan is None:
            self.known.value = (f"<p>These records show no current plan for {label} with children's social care."
                                "</p>" if child else "")
            return
        worker = (f"Social worker: {esc(self.plan.worker)} (named at {esc(self.plan.worker_from)})."
                  if self.plan.worker else "These records do not name a social worker.")
        self.known.value = (f'<p class="nk-known"><strong>{label} is on {esc(self.plan.words)}.</strong> '
                            f"{worker}</p>")

    def _answered(self, code: str) -> None:
        if self.answers[code].value is not None:
            self.marks[code].value = ""

    def unanswered(self) -> list[str]:
        """The questions not answered yet, each marked beside it; their codes, in the screening's order."""
        missing = [q.code for q in QUESTIONS if self.answers[q.code].value is None]
        for code, mark in self.marks.items():
            mark.value = f'<p class="nk-field-error">{esc(NOT_ANSWERED)}</p>' if code in missing else ""
        return missing

    def show_guidance(self) -> Guidance | None:
        """Check the answers and show what to do next, with the reasons."""
        self.save_button.disabled = True
        missing = self.unanswered()
        try:
            self.screening = Screening.model_validate({
                "child": self.child_picker.value or "", "screened_on": self.screened_on.value,
                "screened_by": self.screened_by.value, "agency": self.agency.value,
                "answers": {code: b.value for code, b in self.answers.items() if b.value is not None},
                "day_in_words": self.day_in_words.value, "child_said": self.child_said.value})
        except ValidationError as exc:
            # unanswered questions are said once, in words, and marked beside each question
            said = [str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()
                    if not (missing and e["loc"][:1] == ("answers",))]
            if missing:
                said.insert(0, f"{len(missing)} question{'s are' if len(missing) > 1 else ' is'} not answered yet, "
                               "each marked where it is asked: "
                               + "; ".join(f"'{q.text}'" for q in QUESTIONS if q.code in missing))
            problems = "".join(f"<li>{esc(p)}</li>" for p in said)
            self.result.value = f'<div role="alert" class="nk-error"><p>Not yet:</p><ul>{problems}</ul></div>'
            return None
        self.advice = guidance(self.screening, self.plan)
        reasons = "".join(f"<li>{esc(r)}</li>" for r in self.advice.reasons)
        steps = "".join(f"<li>{esc(s)}</li>" for s in self.advice.next_steps)
        self.result.value = (f'<div role="status" class="{_LEVEL_STYLE[self.advice.level]}">'
                             f"<h2>{esc(self.advice.headline)}</h2><h3>Why</h3><ul>{reasons}</ul>"
                             f"<h3>What to do next</h3><ul>{steps}</ul></div>")
        self.save_button.disabled = False
        return self.advice

    def save(self) -> None:
        """Keep the screening, and add it to the case's chronology as one entry."""
        if self.screening is None or self.advice is None:
            return
        if self.screening in self.saved:
            self.result.value += '<p role="alert">This screening is already saved.</p>'
            self.save_button.disabled = True
            return
        case_id = self.picker.case_id
        child = self.picker.children[self.screening.child]
        entry = as_chronology_entry(self.screening, self.advice, child["date_of_birth"])
        with self.store.transaction() as conn:
            self.store.create(SCREENING_KIND, case_id, self.screening.model_dump(mode="json"),
                              reason="screening saved", conn=conn)
            self.store.create(ENTRY_KIND, case_id, entry, reason="from a screening", conn=conn)
        self.saved.append(self.screening)
        self.save_button.disabled = True
        doc = screening_document(self.screening, self.advice, self.picker.child_label)
        found, self.record_files = record_links(doc, f"screening-{self.screening.screened_on}")
        self.result.value += f'<p role="status">Saved, and added to the chronology.</p>{found}'

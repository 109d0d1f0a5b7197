"""The screening app for any professional: a few plain questions about one child, then guidance.

The guidance always shows its reasons. Saving keeps the screening and adds it to the case's
chronology as one entry, in one transaction.
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
    Guidance,
    Screening,
    as_chronology_entry,
    guidance,
)
from ..chronology.model import ENTRY_KIND
from ..config import settings
from ..reports.html import style_block
from ..store import Store
from ..ui.child_picker import ChildPicker
from ..ui.downloads import record_links
from ..ui.fields import area, choice, date_field, text
from ..ui.guard import guard
from ..ui.panels import FailedApp, esc, open_app

_HEADINGS = {**{a.code: a.label for a in AREAS}, PARENTAL: "The adults around the child"}
_LEVEL_STYLE = {"refer_to_childrens_social_care": "nk-refer", "talk_to_safeguarding_lead": "nk-talk",
                "no_concern_now": "nk-none"}


class ScreeningApp:
    """The app for one store and user; `.widget` is what the notebook shows."""

    def __init__(self, store: Store):
        self.store = store
        self.picker = ChildPicker(store, lambda: None)
        self.case_picker, self.child_picker = self.picker.case, self.picker.child
        self.agency = choice("Your agency", [(label, code) for code, label in settings().agencies.labels().items()])
        self.screened_on = date_field("Date", date.today())
        self.screened_by = text("Your name or role")
        self.screened_by.value = store.user
        # radio buttons: each answer is a real, labelled radio, so a screen reader says which is chosen
        self.answers = {q.code: w.RadioButtons(options=[("Yes", "yes"), ("No", "no"), ("Not known", "not known")],
                                               value=None, description=q.text, orientation="horizontal",
                                               style={"description_width": "initial"},
                                               layout=w.Layout(width="100%")).add_class("nk-question")
                        for q in QUESTIONS}
        sections: list[w.Widget] = []
        for code, heading in _HEADINGS.items():
            sections.append(w.HTML(f"<h3>{esc(heading)}</h3>"))
            sections.extend(self.answers[q.code] for q in QUESTIONS if q.area == code)
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
            w.HTML(style_block()), self.picker.widget, self.agency, self.screened_on,
            self.screened_by, w.HTML("<h2>What you have noticed</h2><p>Answer each question from what you have "
                                     "seen and heard yourself. 'Not known' is a real answer.</p>"),
            *sections, self.day_in_words, self.child_said, self.guide_button, self.result, self.save_button])
        self.screening: Screening | None = None
        self.advice: Guidance | None = None
        self.record_files: dict[str, bytes] = {}
        self.saved: list[Screening] = []  # this visit's saves: the same screening is not added twice
        self.picker.start()

    @classmethod
    def open(cls, store: Store | None = None) -> ScreeningApp | FailedApp:
        return open_app(lambda: cls(store or Store.open()), "The screening app could not be opened")

    def show_guidance(self) -> Guidance | None:
        """Check the answers and show what to do next, with the reasons."""
        self.save_button.disabled = True
        try:
            self.screening = Screening.model_validate({
                "child": self.child_picker.value or "", "screened_on": self.screened_on.value,
                "screened_by": self.screened_by.value, "agency": self.agency.value,
                "answers": {code: b.value for code, b in self.answers.items() if b.value is not None},
                "day_in_words": self.day_in_words.value, "child_said": self.child_said.value})
        except ValidationError as exc:
            problems = "".join(f"<li>{esc(str(e['msg']).removeprefix('Value error, '))}</li>" for e in exc.errors())
            self.result.value = f'<div role="alert" class="nk-error"><p>Not yet:</p><ul>{problems}</ul></div>'
            return None
        self.advice = guidance(self.screening)
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

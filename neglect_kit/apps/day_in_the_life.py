"""The day-in-the-life app: a child's whole day in the parent's and the child's words, and the child's voice.

For one child: when they were last seen, seen alone and heard (warned when longer ago than
the partnership's limits); what the child said or showed, and how; and a day from waking to
night, weekday or weekend, the two accounts side by side with the effect on the child. The
worker judges each pair of accounts (they agree, they differ, unclear), the kit's reading shown
beside it as a suggestion; a day with a pair not judged is not saved. Visits and the child's view
recorded in the child's assessments count for seen and heard.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as w
from pydantic import ValidationError

from ..assessment.day import (
    DAY_KIND,
    JUDGEMENTS,
    VERSION_LABELS,
    VERSIONS,
    DayInTheLife,
    day_html,
    day_strip,
    describe_day,
    slot_label,
    suggest,
    version_for,
)
from ..assessment.model import ASSESSMENT_KIND, NeglectAssessment
from ..assessment.printable import day_document
from ..assessment.voice import HOW, VOICE_KIND, VoiceRecord, contact_warnings, last_contact
from ..chronology.records import entries_frame, stored_entries
from ..chronology.timeline import figure_bytes
from ..config import settings
from ..reports.html import style_block
from ..store import Store, current_models
from ..store.identity import Person
from ..ui.child_picker import ChildPicker, OneChildApp
from ..ui.downloads import record_links
from ..ui.fields import STYLE, area, date_field, text
from ..ui.guard import guard
from ..ui.panels import FailedApp, esc, image_html, open_app, problems
from ..ui.roles import RoleApp, no_cases


class DayApp(OneChildApp):
    """The app for one store and user; `.widget` is what the notebook shows."""

    def __init__(self, store: Store, *, person: Person | None = None):
        self.store = store
        self.person = person or store.person()
        self.picker = ChildPicker(store, self.refresh)
        self.case_picker, self.child_picker = self.picker.case, self.picker.child
        self.contact = w.HTML()
        # the child's voice
        self.voice_on = date_field("When", date.today())
        self.voice_how = w.Dropdown(description="How", style=STYLE, options=[(h.capitalize(), h) for h in HOW])
        self.voice_what = area("What the child said or showed", "in the child's words, or what they showed")
        self.voice_by = text("Heard by")
        self.voice_by.value = self.person.display_name
        self.voice_seen = w.Checkbox(description="The child was seen", value=True, indent=False)
        self.voice_alone = w.Checkbox(description="Seen alone", value=False, indent=False)
        self.voice_button = w.Button(description="Save what the child said", layout=w.Layout(width="auto"))
        self.voice_message = w.HTML()
        # the day
        self.version = w.Dropdown(description="Version", style=STYLE,
                                  options=[(VERSION_LABELS[v].capitalize(), v) for v in VERSIONS])
        self.kind = w.ToggleButtons(description="Day", style=STYLE,
                                    options=[("Weekday", "weekday"), ("Weekend", "weekend")])
        self.recorded_on = date_field("Recorded on", date.today())
        self.slots_box = w.VBox()
        self.slot_fields: dict[str, dict[str, w.Text]] = {}
        self.judgements: dict[str, w.RadioButtons] = {}  # the worker's judgement of each pair of accounts
        self.readings: dict[str, w.HTML] = {}  # the kit's suggestion beside it
        self.day_button = w.Button(description="Save the day", button_style="primary", layout=w.Layout(width="auto"))
        self.day_message = w.HTML()
        self.day_view = w.HTML()
        self.record_files: dict[str, bytes] = {}
        self.voice_button.on_click(guard("save what the child said", self.voice_message, lambda _: self.save_voice(),
                                         writes=True))
        self.day_button.on_click(guard("save the day", self.day_message, lambda _: self.save_day(), writes=True))
        self.version.observe(guard("show the day's times", self.day_message, lambda _: self._slots()), names="value")
        self.kind.observe(guard("show the day's times", self.day_message, lambda _: self._slots()), names="value")
        self.widget = w.VBox([
            w.HTML(style_block()), self.picker.widget,
            w.HTML("<h2>Seen, seen alone, heard</h2>"), self.contact,
            w.HTML("<h2>The child's voice</h2>"), self.voice_on, self.voice_how, self.voice_what, self.voice_by,
            w.HBox([self.voice_seen, self.voice_alone]), self.voice_button, self.voice_message,
            w.HTML("<h2>A day in the child's life</h2><p>From waking to night. Write the parent's account and the "
                   "child's (or, for a baby or a child who cannot tell, what you saw), and the effect on the child: "
                   "hungry at school, tired, in pain.</p>"),
            self.version, self.kind, self.recorded_on, self.slots_box, self.day_button, self.day_message,
            self.day_view])
        self.picker.start(no_cases(self.person))

    @classmethod
    def open(cls, store: Store | None = None, person: Person | None = None) -> DayApp | RoleApp | FailedApp:
        return open_app(lambda s, p: cls(s, person=p), "The day-in-the-life app could not be opened", store, person,
                        name="A day in the child's life")

    def refresh(self) -> None:
        if not self.child_id:
            return
        child = self.picker.children[self.child_id]
        birth = child["date_of_birth"] or child["expected_date_of_birth"]
        if birth:
            self.version.value = version_for(max(0.0, (date.today() - birth).days / 365.25))
        self._slots()
        self._show_contact()
        days = self._records(DAY_KIND, DayInTheLife)
        self.day_view.value = self._day_html(days[-1]) if days else "<p>No day recorded yet for this child.</p>"

    def _records(self, kind: str, model: Any) -> list[Any]:
        found = [s.model for s in current_models(self.store, kind, self.case_id, model)]
        return sorted((m for m in found if m.child == self.child_id),
                      key=lambda m: getattr(m, "recorded_on", None) or getattr(m, "on", date.min))

    def _show_contact(self) -> None:
        label = self.child_picker.label or self.child_id
        voices = self._records(VOICE_KIND, VoiceRecord)
        frame = entries_frame(stored_entries(self.store, self.case_id))
        assessments = self._records(ASSESSMENT_KIND, NeglectAssessment)
        contact = last_contact(voices, frame, date.today(), child=self.child_id, assessments=assessments)
        when = (("Last seen", contact.last_seen), ("Last seen alone", contact.last_seen_alone),
                ("Last heard", contact.last_heard))
        rows = "".join(f"<li>{what}: {f'{day:%d %b %Y}' if day else 'these records do not say'}</li>"
                       for what, day in when)
        warnings = contact_warnings(contact, label, settings().contact_days)
        warned = ("<div role=\"alert\" class=\"nk-warn\"><ul>" + "".join(f"<li>{esc(m)}</li>" for m in warnings)
                  + "</ul></div>") if warnings else ""
        self.contact.value = f"<ul>{rows}</ul>{warned}"

    def _slots(self) -> None:
        self.slot_fields, self.judgements, self.readings = {}, {}, {}
        rows: list[w.Widget] = []
        for slot in VERSIONS[self.version.value]:
            name = slot_label(slot, self.kind.value)
            fields = {"parent_account": text(f"{name}: parent", "what the parent says happens", width="40em"),
                      "child_account": text(f"{name}: child", "what the child says or shows", width="40em"),
                      "observed": text(f"{name}: seen", "what you saw, if the child cannot tell", width="40em"),
                      "effect_on_child": text(f"{name}: effect", "on the child: hungry, tired, in pain...",
                                              width="40em")}
            self.slot_fields[slot] = fields
            self.judgements[slot] = w.RadioButtons(
                options=[(words, code) for code, words in JUDGEMENTS.items()], value=None,
                description=f"{name}: the two accounts", orientation="horizontal",
                style={"description_width": "initial"}, layout=w.Layout(width="auto", display="none"))
            self.readings[slot] = w.HTML()
            for key in ("parent_account", "child_account", "observed"):
                fields[key].observe(guard("read the accounts", self.readings[slot],
                                          lambda _, s=slot: self._read(s)), names="value")
            rows.append(w.VBox([w.HTML(f"<h3>{esc(name)}</h3>"), *fields.values(), self.judgements[slot],
                                self.readings[slot]], layout=w.Layout(margin="0 0 0.4em 0")))
        self.slots_box.children = tuple(rows)

    def _read(self, slot: str) -> None:
        """Once both accounts are written, ask for the worker's judgement, the kit's reading beside it."""
        fields = self.slot_fields[slot]
        child_side = fields["child_account"].value.strip() or fields["observed"].value.strip()
        reading = suggest(fields["parent_account"].value, child_side)
        self.judgements[slot].layout.display = None if reading else "none"
        self.readings[slot].value = (f'<p class="nk-suggestion">The kit\'s suggestion, for you to weigh: '
                                     f"{esc(reading.words)}</p>" if reading else "")

    def unjudged(self) -> list[str]:
        """The times of day with both accounts written and no judgement yet, each marked beside its question."""
        missing = []
        for slot, fields in self.slot_fields.items():
            both = fields["parent_account"].value.strip() and (fields["child_account"].value.strip()
                                                                or fields["observed"].value.strip())
            if both and self.judgements[slot].value is None:
                missing.append(slot)
                self._read(slot)
                self.readings[slot].value += ('<p class="nk-field-error">Not judged yet: choose whether the two '
                                              "accounts agree, differ or it is unclear.</p>")
        return missing

    def save_voice(self) -> VoiceRecord | None:
        try:
            record = VoiceRecord(child=self.child_id, on=self.voice_on.value, how=self.voice_how.value,
                                 what=self.voice_what.value, heard_by=self.voice_by.value,
                                 seen=self.voice_seen.value, seen_alone=self.voice_alone.value)
        except ValidationError as exc:
            self.voice_message.value = f'<p role="alert" class="nk-warn">Not saved: {esc(problems(exc))}</p>'
            return None
        self.store.create(VOICE_KIND, self.case_id, record.model_dump(mode="json"), reason="the child's voice")
        self.voice_what.value = ""
        self.voice_alone.value = False  # each record says for itself whether the child was seen alone
        self.voice_message.value = '<p role="status">Saved.</p>'
        self._show_contact()
        return record

    def save_day(self) -> DayInTheLife | None:
        if missing := self.unjudged():
            names = ", ".join(slot_label(s, self.kind.value).lower() for s in missing)
            self.day_message.value = (f'<p role="alert" class="nk-warn">Not saved: judge the two accounts at '
                                      f"{esc(names)} (they agree, they differ, or it is unclear): each is marked "
                                      "where it is.</p>")
            return None
        # a judgement is of two accounts: kept only where both are written
        slots = {slot: {**{k: f.value for k, f in fields.items()},
                        "judged": self.judgements[slot].value if self.judgements[slot].layout.display != "none"
                        else None} for slot, fields in self.slot_fields.items()}
        try:
            day = DayInTheLife.model_validate({"child": self.child_id, "recorded_on": self.recorded_on.value,
                                               "recorded_by": self.person.display_name, "version": self.version.value,
                                               "kind": self.kind.value, "slots": slots})
        except ValidationError as exc:
            self.day_message.value = f'<p role="alert" class="nk-warn">Not saved: {esc(problems(exc))}</p>'
            return None
        self.store.create(DAY_KIND, self.case_id, day.model_dump(mode="json"), reason="a day in the life")
        self.day_message.value = '<p role="status">Saved.</p>'
        self.day_view.value = self._day_html(day)
        self._slots()
        return day

    def _day_html(self, day: DayInTheLife) -> str:
        label = self.picker.child_label
        alt = describe_day(day, label)
        found, self.record_files = record_links(day_document(day, label), f"day-in-the-life-{day.recorded_on}")
        return image_html(figure_bytes(day_strip(day, label), "png"), alt, "nk-day") + day_html(day, label) + found

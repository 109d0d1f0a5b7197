"""The entry form: add a chronology entry, or edit one (a new version), checked as it is filled."""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as w

from ..ui.fields import Field, area, choice, text
from ..ui.guard import guard
from ..vocab import HOW_KNOWN, IMPACT, SIGNIFICANCE
from . import fields as f
from .model import ChronologyEntry, EntryContext

DATE_HINT = "03/04/2019, April 2019, spring 2018, ?22 May 2016, c. 2017 or unknown"


class EntryForm:
    """The fields of one entry. `check()` gives the entry, or shows every error beside its field."""

    def __init__(self, ctx: EntryContext, child_labels: dict[str, str]):
        self.ctx = ctx
        s = ctx.settings
        self.fields: dict[str, Field] = {}

        def add(name: str, control: w.ValueWidget, checked: bool = True) -> None:
            self.fields[name] = Field(name, control, (lambda v, n=name: f.check_field(n, v, self.ctx))
                                      if checked else None)

        add("event_date", text("Event date", DATE_HINT))
        add("recorded_date", text("Date recorded", "the day it was written down, e.g. 05/04/2019"))
        add("agency", choice("Source agency", [(label, code) for code, label in s.agencies.labels().items()]))
        add("source_detail", text("Recorded by (role)", "e.g. health visitor, PC 2417, class teacher"))
        add("how_known", choice("How known", [(t.label, t.code) for t in HOW_KNOWN.terms], blank="Not said"))
        self.child_boxes = {cid: w.Checkbox(description=label, value=False, indent=False,
                                            layout=w.Layout(width="auto"))
                            for cid, label in child_labels.items()}
        self.children_message = w.HTML()
        for box in self.child_boxes.values():
            box.observe(guard("check the children", self.children_message, lambda _: self._check_children()),
                        names="value")
        add("category", choice("Category", [(label, code) for code, label in s.categories.labels().items()]))
        add("description", area("What happened", "short, factual, in words the family could read"))
        add("impact", choice("Impact on the child", [(t.label, t.code) for t in IMPACT.terms], blank="Unknown"))
        add("impact_note", text("Effect on the child", "e.g. hungry at school, tired, in pain"))
        add("significance", choice("Significance", [(t.label, t.code) for t in SIGNIFICANCE.terms],
                                   blank="Not said"))
        add("action", text("Action taken"))
        add("outcome", text("Outcome"))
        add("child_words", area("Child's own words", "what the child said or showed", rows=2))
        children_row = w.HBox([w.HTML('<span class="nk-label">Child or children</span>',
                                      layout=w.Layout(width="12em")),
                               *self.child_boxes.values(), self.children_message])
        rows = [fld.box for fld in self.fields.values()]
        rows.insert(5, children_row)
        self.widget = w.VBox(rows)
        self.widget.add_class("nk-entry-form")  # where a row's Edit button takes the keyboard
        self.editing: tuple[str, int] | None = None  # (record id, version) of the entry being edited
        self.clear()

    def _check_children(self) -> f.Checked:
        chosen = [cid for cid, box in self.child_boxes.items() if box.value]
        result = f.Checked(chosen) if chosen else f.Checked(
            error="no child named: every entry must name the child or children it concerns")
        self.children_message.value = (f'<span class="nk-field-error" role="alert"><strong>Child or children:'
                                       f"</strong> {result.error}</span>" if result.error else "")
        return result

    def check(self) -> tuple[ChronologyEntry | None, list[str]]:
        """The entry the form holds, or None and every error (each also shown beside its field)."""
        body: dict[str, Any] = {}
        errors: list[str] = []
        for name, field in self.fields.items():
            result = field.validate()
            if result is None:
                continue
            if result.error:
                errors.append(result.error)
            elif name == "impact":
                body["impact"] = result.value[0]
            elif result.value not in (None, ""):
                body[name] = result.value
        children = self._check_children()
        if children.error:
            errors.append(children.error)
        body["children"] = children.value or []
        if errors:
            return None, errors
        between = f.check_between(body, self.ctx)
        if between.error:
            self.fields[between.field].show(between.error)
            return None, [between.error]
        return ChronologyEntry.model_validate(body), []

    def load(self, entry: ChronologyEntry, record_id: str, version: int) -> None:
        """Fill the form from a stored entry, to edit it."""
        values = {"event_date": entry.event_date.text,
                  "recorded_date": f"{entry.recorded_date:%d/%m/%Y}" if entry.recorded_date else "",
                  "agency": entry.agency, "source_detail": entry.source_detail, "how_known": entry.how_known or "",
                  "category": entry.category, "description": entry.description,
                  "impact": "" if entry.impact == "unknown" else entry.impact, "impact_note": entry.impact_note,
                  "significance": entry.significance or "", "action": entry.action, "outcome": entry.outcome,
                  "child_words": entry.child_words}
        self.fill(values, entry.children)
        self.editing = (record_id, version)

    def fill(self, values: dict[str, Any], children: list[str]) -> None:
        """Put values into the fields (what the user typed is kept this way after a conflict)."""
        for name, value in values.items():
            control = self.fields[name].control
            if isinstance(control, w.Dropdown) and value not in [v for _, v in control.options]:
                value = ""
            control.value = value
        for cid, box in self.child_boxes.items():
            box.value = cid in children

    def values(self) -> tuple[dict[str, Any], list[str]]:
        """What the form holds now, as typed."""
        return ({n: fld.value for n, fld in self.fields.items()},
                [cid for cid, box in self.child_boxes.items() if box.value])

    def clear(self) -> None:
        self.fill(dict.fromkeys(self.fields, ""), [])
        self.fields["recorded_date"].value = f"{date.today():%d/%m/%Y}"
        for fld in self.fields.values():
            fld.show("")
        self.children_message.value = ""
        self.editing = None

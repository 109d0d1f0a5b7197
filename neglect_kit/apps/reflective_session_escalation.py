"""Escalation considered in a reflective session: a disagreement raised on the shared form (the one the actions and
escalation app raises a disagreement with), pre-filled for the session's case, and the list of those raised."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as w

from ..supervision import records
from ..supervision.escalation_form import RaiseForm
from ..ui.guard import guard
from ..ui.panels import esc, say
from ..wording import day_text

if TYPE_CHECKING:
    from datetime import date

    from ..config import Settings
    from ..store import Store
    from ..supervision.session_form import SessionForm


class SessionEscalation:
    """The raise form (`raise_form`, built when first chosen) in `raise_box`, with the disagreements raised in this
    session (`escalation_ids`, listed in `raised`)."""

    def __init__(self, store: Store, cfg: Settings, today: date, *, case_id: Callable[[], str],
                 titles: Callable[[], dict[str, str]], labels: Callable[[], dict[str, str]],
                 form: Callable[[], SessionForm], show_lock: Callable[[], None]):
        """Args:
            store: where the disagreements are saved.
            cfg: the settings.
            today: the day.
            case_id: the case on screen.
            titles: the cases' titles, by id.
            labels: the case's children's labels, by id.
            form: the session's form (who supervises, the day it was held, whether escalation was considered).
            show_lock: locks the page's controls, the raise form's with them, if the record is signed.
        """
        self.store, self.settings, self.today = store, cfg, today
        self._case_id, self._titles, self._labels, self._form, self._show_lock = (
            case_id, titles, labels, form, show_lock)
        self.escalation_ids: list[str] = []
        self.raise_form: RaiseForm | None = None
        self.raised = w.HTML()
        self.raise_box = w.VBox([self.raised])

    def prefill_raise(self) -> RaiseForm:
        """The raise form for this case (built the first time), every child chosen, raised by the supervisor on
        the session's day."""
        if self.raise_form is None:
            form = self.raise_form = RaiseForm(self.store, self.settings, self.today, fixed_case=True)
            form.button.on_click(guard("raise the disagreement", form.message, lambda _: self.raise_disagreement(),
                                       writes=True))
            self.raise_box.children = (w.HTML("<p>Raise the disagreement here: it is recorded at stage 1 and listed "
                                              "in the actions and escalation app.</p>"), form.widget, self.raised)
            self._show_lock()
        case_id = self._case_id()
        self.raise_form.prefill(case_id, self._titles().get(case_id, case_id), list(self._labels()),
                                self._form().supervisor.value.strip(), self._form().held_on.value)
        return self.raise_form

    def raise_disagreement(self) -> str | None:
        """Raise a disagreement from the session: saved at once, and kept with the record when it is saved."""
        form = self.raise_form
        if form is None or form.case.value != self._case_id():  # the session's case, and never another
            form = self.prefill_raise()
        if not self._form().escalation_considered.value:
            form.message.value = say("Tick “Escalation was considered” first.", alert=True)
            return None
        raised = form.raise_()
        if raised is None:
            return None
        record_id, _ = raised
        self.escalation_ids.append(record_id)
        form.message.value += say("Save the record to keep it with this session.")
        self.show_raised()
        return record_id

    def show_raised(self) -> None:
        """The disagreements raised in this session, as saved."""
        held = {e.record_id: e.model for e in records.escalations(self.store, self._case_id())}
        rows = "".join(f"<li>{esc(e.about)}: stage {e.current_stage.stage} ({esc(e.current_stage.name)}), raised "
                       f"{day_text(e.raised_on)}, due {day_text(e.due_on)}</li>"
                       for rid in self.escalation_ids if (e := held.get(rid)))
        self.raised.value = f"<p>Raised in this session:</p><ul>{rows}</ul>" if rows else ""

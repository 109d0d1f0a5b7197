"""New actions agreed in a reflective session: the form adding one (saved at once, listed with the session's
record when it is saved) and the list of those agreed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as w
from pydantic import ValidationError

from ..supervision import records
from ..supervision.actions import ACTION_KIND, Action
from ..ui.fields import STYLE, button, date_field, text
from ..ui.guard import guard
from ..ui.panels import esc, problems, say
from ..wording import day_text

if TYPE_CHECKING:
    from datetime import date

    from ..store import Store
    from ..supervision.evidence import CaseEvidence
    from ..supervision.records import Stored
    from ..supervision.session_form import SessionForm


class ActionForm:
    """What, who, by when, the change for the child and for whom; the Add button, its message, and the actions
    agreed in this session (`new_action_ids`, listed in `new_actions`)."""

    def __init__(self, store: Store, evidence: CaseEvidence, today: date, *, case_id: Callable[[], str],
                 form: Callable[[], SessionForm], actions: Callable[[], dict[str, Stored[Action]]],
                 labels: Callable[[], dict[str, str]]):
        """Args:
            store: where the actions are saved.
            evidence: the evidence panel on the page (its open actions are shown again once one is added).
            today: the day.
            case_id: the case on screen.
            form: the session's form (the action is agreed on the day the session was held).
            actions: the case's actions, by record id.
            labels: the case's children's labels, by id.
        """
        self.store, self.evidence, self.today = store, evidence, today
        self._case_id, self._form, self._actions, self._labels = case_id, form, actions, labels
        self.new_action_ids: list[str] = []
        self.action_what = text("Action")
        self.action_who = text("Who (role or agency)")
        self.action_by = date_field("By when")
        self.action_change = text("Change it should bring for the child")
        self.action_child = w.Dropdown(description="For", style=STYLE, layout=w.Layout(width="30em"))
        self.add_action_button = button("Add this action")
        self.action_message = w.HTML()
        self.new_actions = w.HTML()
        self.add_action_button.on_click(guard("add the action", self.action_message, lambda _: self.add_action()))
        self.widgets = (w.HTML("<h3>New actions</h3><p>What, who, by when, and the change it should bring for the "
                               "child. \u201cMonitor\u201d alone is not an action.</p>"),
                        self.action_what, self.action_who, self.action_by, self.action_change, self.action_child,
                        self.add_action_button, self.action_message, self.new_actions)

    def add_action(self) -> Action | None:
        """Save a new action agreed in this session; it is listed with the session's record."""
        case_id, labels = self._case_id(), self._labels()
        try:
            child = self.action_child.value or None
            # the refusal's example names this case's child (the one chosen, else the first), never another's
            example = labels.get(child or "") or next(iter(labels.values()), "")
            action = Action.model_validate(
                {"case_id": case_id, "child": child, "what": self.action_what.value.strip(),
                 "who": self.action_who.value.strip(), "by": self.action_by.value,
                 "change_for_child": self.action_change.value.strip(), "agreed_on": self._form().held_on.value},
                context={"example_child": example})
        except ValidationError as exc:
            self.action_message.value = say(f"The action was not added: {problems(exc)}", alert=True)
            return None
        record = records.save_new(self.store, ACTION_KIND, case_id, action, "agreed in supervision")
        self.new_action_ids.append(record.record_id)
        for control in (self.action_what, self.action_who, self.action_change):
            control.value = ""
        self.action_by.value = None
        self.action_message.value = say("Action added. Save the record to keep it with this session.")
        self.show_new_actions()
        if self.evidence.data is not None:
            self.evidence.show_actions(case_id, self.today)
        return action

    def show_new_actions(self) -> None:
        """The actions agreed in this session, as saved."""
        held = self._actions()
        rows = "".join(f"<li>{esc(a.model.what)}: {esc(a.model.who)}, by {day_text(a.model.by)}; for the child: "
                       f"{esc(a.model.change_for_child)}</li>" for rid in self.new_action_ids if (a := held.get(rid)))
        self.new_actions.value = f"<p>Agreed in this session:</p><ul>{rows}</ul>" if rows else ""

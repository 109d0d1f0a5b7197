"""Removing a case loaded by mistake, from the app: behind a confirmation that asks for the case id
and a reason. The store removes it in one transaction and keeps an audit record (no personal data)."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ..store import Store, StoreError
from ..store.identity import REMOVE_CASES, Person
from ..ui.fields import text
from ..ui.guard import guard
from ..ui.panels import say


class RemoveCasePanel:
    """"Remove this case": type the case id and say why, then remove."""

    def __init__(self, store: Store, on_removed: Callable[[str], None], person: Person):
        self.store = store
        self.person = person
        self.case_id = ""
        self.on_removed = on_removed
        asked = "Type the case id to confirm"
        self.confirm = text(asked)
        self.reason = text("Why remove it", "e.g. loaded twice by mistake (write no names)")
        self.button = w.Button(description="Remove this case", button_style="danger")
        self.message = w.HTML()
        self.intro = w.HTML()
        self.button.on_click(guard("remove the case", self.message, lambda _: self.remove(), writes=True))
        self.widget = w.VBox([self.intro, self.confirm, self.reason, self.button, self.message])

    def set_case(self, case_id: str) -> None:
        self.case_id = case_id
        self.confirm.value = self.reason.value = ""
        self.intro.value = (f"<p>For a case loaded by mistake only: this removes case <code>{case_id}</code> with its "
                            "people, plans, entries and records. An audit record keeps who, when, why and how many "
                            "records, nothing about the people.</p>")

    def remove(self) -> dict[str, int] | None:
        """Remove the case when the id typed is the case's and a reason is given; returns the counts removed."""
        case_id = self.case_id
        if not case_id:
            return None
        if not self.person.may(REMOVE_CASES):  # the panel is not built for such a role; a forged message meets this
            self.message.value = say(f"Not removed: {self.person.why_not(REMOVE_CASES)}.", alert=True)
            return None
        if self.confirm.value.strip() != case_id:
            self.message.value = say(f"Type the case id ({case_id}) to confirm: nothing was removed.", alert=True)
            return None
        if not self.reason.value.strip():
            self.message.value = say("Say why the case is removed: nothing was removed.", alert=True)
            return None
        try:
            counts = self.store.remove_case(case_id, self.reason.value)
        except StoreError as exc:
            self.message.value = say(f"Not removed: {exc}", alert=True)
            return None
        self.on_removed(case_id)
        self.message.value = say(f"Case {case_id} removed ({sum(counts.values())} records). The audit record "
                                 "keeps who, when and why.")
        return counts

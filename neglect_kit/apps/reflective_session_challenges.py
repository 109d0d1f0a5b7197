"""Challenges from the evidence in a reflective session: the prompts the evidence and the words written so far
call for, each with its evidence and an answer box, and the answers as the record keeps them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..supervision import records
from ..supervision.prompts import Prompt, challenge_prompts
from ..ui.fields import area, button
from ..ui.guard import guard
from ..ui.panels import esc

if TYPE_CHECKING:
    from datetime import date

    from ..analysis.case_data import CaseData
    from ..store import Store
    from ..supervision.actions import Action
    from ..supervision.evidence import CaseEvidence
    from ..supervision.records import Stored
    from ..supervision.session import Challenge, SupervisionSession
    from ..supervision.session_form import SessionForm


class ChallengePanel:
    """The Check button and its message, the prompts shown (`challenge_box`) and their answers (`answers`)."""

    def __init__(self, store: Store, evidence: CaseEvidence, today: date, *, case_id: Callable[[], str],
                 stored: Callable[[], Stored[SupervisionSession] | None], form: Callable[[], SessionForm],
                 actions: Callable[[], dict[str, Stored[Action]]], labels: Callable[[], dict[str, str]]):
        """Args:
            store: where the case's records are.
            evidence: the evidence panel on the page (the findings the prompts are drawn from).
            today: the day.
            case_id: the case on screen.
            stored: the session record on screen, as last saved (None: a new one).
            form: the session's form.
            actions: the case's actions, by record id.
            labels: the case's children's labels, by id.
        """
        self.store, self.evidence, self.today = store, evidence, today
        self._case_id, self._stored, self._form, self._actions, self._labels = case_id, stored, form, actions, labels
        self.prompts: list[Prompt] = []
        self.answers: dict[str, w.Textarea] = {}
        self.check_button = button("Check for challenges")
        self.check_message = w.HTML()
        self.challenge_box = w.VBox()
        self.check_button.on_click(guard("check for challenges", self.check_message,
                                         lambda _: self.check_challenges()))
        self.widgets = (w.HTML("<h3>Challenges from the evidence</h3><p>Each prompt shows its evidence; record the "
                               "answer given in the session.</p>"), self.check_button, self.check_message,
                        self.challenge_box)

    def _evidence(self) -> CaseData:
        """The case's evidence, read now if it has not been yet."""
        if self.evidence.data is None or self.evidence.case_id != self._case_id():
            return self.evidence.show(self._case_id(), self.today)
        return self.evidence.data

    def check_challenges(self) -> list[Prompt]:
        """The prompts the evidence and the words written so far call for."""
        data = self._evidence()
        stored, form = self._stored(), self._form()
        earlier = [s for s in records.sessions(self.store, self._case_id())
                   if not stored or s.record_id != stored.record_id]
        prompts = challenge_prompts(form.stage_texts(), self.evidence.found, data.assessments,
                                    [a.model for a in self._actions().values()],
                                    worker=form.worker.value.strip(),
                                    previous_worker=earlier[-1].model.worker if earlier else None,
                                    today=self.today, child_labels=self._labels())
        kept = {rule: box.value for rule, box in self.answers.items()}
        self.show_prompts(prompts, answers=kept)
        return prompts

    def show_prompts(self, prompts: list[Prompt], saved: list[Challenge] | None = None,
                     answers: dict[str, str] | None = None) -> None:
        """Prompts with their evidence and an answer box each; a saved session shows its own."""
        shown = [(p.rule, p.title, p.question, list(p.evidence)) for p in prompts] or [
            (c.rule, c.rule.replace("_", " ").capitalize(), c.prompt, [c.evidence] if c.evidence else [])
            for c in saved or []]
        self.prompts = prompts
        self.answers, parts = {}, []
        for rule, title, question, evidence in shown:
            box = area(f"Answer to: {title}", rows=3)
            box.value = (answers or {}).get(rule) or next((c.answer for c in saved or [] if c.rule == rule), "")
            self.answers[rule] = box
            items = "".join(f"<li>{esc(e)}</li>" for e in evidence)
            parts.append(w.VBox([w.HTML(f'<div class="nk-challenge"><h4>{esc(title)}</h4><p><strong>'
                                        f"{esc(question)}</strong></p><ul>{items}</ul></div>"), box]))
        self.challenge_box.children = tuple(parts) or (w.HTML("<p>No challenge raised yet: write the stages, then "
                                                              "check again.</p>"),)
        self._saved_challenges = saved or []

    def challenges(self) -> list[dict[str, Any]]:
        """The challenges as the record keeps them: each prompt, its evidence and the answer given."""
        by_rule = {p.rule: p for p in self.prompts}
        out = []
        for rule, box in self.answers.items():
            p = by_rule.get(rule)
            old = next((c for c in self._saved_challenges if c.rule == rule), None)
            prompt, evidence = (p.question, "; ".join(p.evidence)) if p else (old.prompt, old.evidence) if old \
                else (rule, "")
            out.append({"rule": rule, "prompt": prompt, "evidence": evidence, "answer": box.value.strip()})
        return out

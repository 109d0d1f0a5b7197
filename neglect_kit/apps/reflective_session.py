"""The reflective supervision app: a 4x4x4 session on one case with the evidence on screen.

Choose the case, then a session (or start a new one): the case's sessions are listed at once, and
the evidence is read after them. The evidence sits above the record as a few lines (the children,
the most serious findings, open actions, the last assessment), each part in full a section opened
on demand, so the record starts on the first screen. The record: last time's actions reviewed (one
carried over is given its new due date), the reflective cycle, challenge prompts drawn from the
evidence and answered, decisions with reasons, new actions, escalation (considered: a disagreement
raised here on the shared form, pre-filled for the case, or the reason it was not), the next date,
wellbeing notes (restricted to the session's supervisor and worker). Save as a draft; both sign; a
signed record is locked and changes only by amendment. Print it for the file.

On a team's database the person signing is the one signed in, never a typed name: each Sign button is
built only for the person the record names in that role, when their role may sign so (`SignForm`), and
signing checks again when it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import ipywidgets as w
from pydantic import ValidationError

from ..config import Settings, settings
from ..reports.html import style_block
from ..store import StaleEdit, Store
from ..store.identity import Person
from ..supervision import records
from ..supervision.actions import Action
from ..supervision.escalation_form import RaiseForm
from ..supervision.evidence import CaseEvidence
from ..supervision.printable import session_document
from ..supervision.prompts import Prompt
from ..supervision.records import Stored
from ..supervision.session import CYCLE, SupervisionSession
from ..supervision.session_form import SessionForm
from ..supervision.sign_form import SignForm
from ..supervision.signoff import NotReadyToSign, amend, edit, sign, why_not_sign
from ..ui.downloads import record_links
from ..ui.fields import STYLE, area, button, choice, text
from ..ui.guard import guard
from ..ui.panels import FailedApp, after_the_cell, esc, open_app, problems, say
from ..ui.roles import RoleApp, no_cases
from ..wording import day_text
from .reflective_session_actions import ActionForm
from .reflective_session_challenges import ChallengePanel
from .reflective_session_escalation import SessionEscalation

NEW = "new"
AMENDABLE = [(f"{label} (reflective cycle)", f"stages.{code}") for code, label in CYCLE.items()] + [
    ("Why it was not escalated", "escalation_note")]


class ReflectiveSessionApp:
    """The app for one store and user; `.widget` is what the notebook shows."""

    def __init__(self, store: Store, cfg: Settings | None = None, today: date | None = None, *,
                 draw_later: Callable[[Callable[[], None]], object] | None = None, person: Person | None = None):
        """Args:
            store: where the case's records are.
            cfg: the settings (default: the kit's).
            today: the day (default: today).
            draw_later: runs a function once the page or the change has been sent (the kernel's event loop):
                the case's sessions are listed first and its evidence read after; None reads it at once.
            person: who is using the app (default: the one the store names); they sign as themselves on a
                team's database.
        """
        self.store = store
        self.person = person or store.person()
        self._draw_later = draw_later
        self.settings = cfg or settings()
        self.today = today or date.today()
        self.stored: Stored[SupervisionSession] | None = None
        self.labels: dict[str, str] = {}
        self.files: dict[str, bytes] = {}

        self.case_picker = w.Dropdown(description="Case", style=STYLE, layout=w.Layout(width="30em"))
        self.session_picker = w.Dropdown(description="Session", style=STYLE, layout=w.Layout(width="40em"))
        self.evidence = CaseEvidence(store, self.settings)
        self.form = SessionForm(self._default_supervisor())
        self.challenge_panel = ChallengePanel(store, self.evidence, self.today, case_id=lambda: self.case_id,
                                              stored=lambda: self.stored, form=lambda: self.form,
                                              actions=self._actions, labels=lambda: self.labels)
        self.check_challenges = self.challenge_panel.check_challenges
        # a new action
        self.action_form = ActionForm(store, self.evidence, self.today, case_id=lambda: self.case_id,
                                      form=lambda: self.form, actions=self._actions, labels=lambda: self.labels)
        a = self.action_form
        self.action_what, self.action_who, self.action_by, self.action_change, self.action_child = (
            a.action_what, a.action_who, a.action_by, a.action_change, a.action_child)
        self.action_message, self.new_actions, self.add_action = a.action_message, a.new_actions, a.add_action
        # escalation considered: the form the actions and escalation app raises a disagreement with, built
        # when first chosen
        self.escalation = SessionEscalation(store, self.settings, self.today, case_id=lambda: self.case_id,
                                            titles=lambda: self.titles, labels=lambda: self.labels,
                                            form=lambda: self.form, show_lock=self._show_lock)
        self.raised, self.raise_disagreement = self.escalation.raised, self.escalation.raise_disagreement
        # saving, signing, amending, printing
        self.save_button = button("Save the record", "primary")
        self.message = w.HTML()
        self.signing = SignForm(self.person, lambda role: self.sign(role))
        self.sign_message = self.signing.message
        self.amend_field = choice("Part to amend", AMENDABLE)
        self.amend_text = area("Amended text", rows=4)
        self.amend_reason = text("Reason for the amendment")
        self.amend_button = button("Amend the signed record")
        self.amend_message = w.HTML()
        self.amend_box = w.VBox([w.HTML("<h3>Amend the signed record</h3><p>A signed record is locked. An "
                                        "amendment keeps the original, with who changed it, when and why.</p>"),
                                 self.amend_field, self.amend_text, self.amend_reason, self.amend_button,
                                 self.amend_message])
        self.print_button = button("Prepare the printable record")
        self.links = w.HTML()

        self._quiet = False  # set while the app itself fills a picker
        self.case_picker.observe(guard("open the case", self.message,
                                       lambda ch: self.select_case(ch["new"]) if ch["new"] else None), names="value")
        self.session_picker.observe(guard("open the session", self.message, lambda ch: None if self._quiet or not ch[
            "new"] else self.select_session(ch["new"])), names="value")
        self.save_button.on_click(guard("save the record", self.message, lambda _: self.save(), writes=True))
        self.amend_button.on_click(guard("amend the record", self.amend_message, lambda _: self.amend(
            self.amend_field.value, self.amend_text.value, self.amend_reason.value), writes=True))
        self.print_button.on_click(guard("prepare the printable record", self.links, lambda _: self.prepare_record()))

        self.widget = w.VBox([
            w.HTML(style_block()), self.case_picker,
            w.HTML("<h2>The case on screen</h2>"), self.evidence.widget,
            w.HTML("<h2>The session record</h2>"), self.session_picker, self.form.widget,
            *self.challenge_panel.widgets, *self.action_form.widgets,
            w.HTML("<h3>Save and sign</h3>"), self.save_button, self.message,
            self.signing.widget,
            self.amend_box, w.HTML("<h3>The printable record</h3><p>For the case file: every stage, decisions, "
                                   "actions, signatures and amendments. Wellbeing notes are never printed.</p>"),
            self.print_button, self.links])
        cases = store.cases()
        self.titles = {c["id"]: c["title"] for c in cases}
        self.case_picker.options = [(c["title"], c["id"]) for c in cases]
        if not cases:
            self.message.value = say(no_cases(self.person))

    @classmethod
    def open(cls, store: Store | None = None, person: Person | None = None
             ) -> ReflectiveSessionApp | RoleApp | FailedApp:
        """The app, or a panel saying why it could not open (never a traceback)."""
        return open_app(lambda s, p: cls(s, draw_later=after_the_cell(), person=p),
                        "The reflective supervision app could not be opened", store, person,
                        name="Reflective supervision")

    def _default_supervisor(self) -> str:
        """The supervisor a new session names at first: the person using the app, unless their role never
        signs as a supervisor (a practitioner is named as the worker instead)."""
        return self.person.display_name if not why_not_sign(self.person, "supervisor", self.person.display_name) \
            else ""

    @property
    def reader(self) -> str:
        """The name the person goes by in records: a session's supervisor and worker are named so, and
        only they read its wellbeing notes."""
        return self.person.display_name

    # the parts' state, named on the app as before
    @property
    def prompts(self) -> list[Prompt]:
        return self.challenge_panel.prompts

    @property
    def answers(self) -> dict[str, w.Textarea]:
        return self.challenge_panel.answers

    @property
    def raise_form(self) -> RaiseForm | None:
        return self.escalation.raise_form

    # the case and the session -----------------------------------------------------------------

    @property
    def case_id(self) -> str:
        return self.case_picker.value or ""

    def select_case(self, case_id: str) -> None:
        if self.case_picker.value != case_id:
            self.case_picker.value = case_id  # observed: comes back here once
            return
        # the sessions first, from the store alone; the evidence (the analysis) after them
        self.labels = {k["id"]: str(k["name"]).split()[0] for k in self.store.people(case_id, kind="child")}
        self.action_child.options = [("The whole family", ""), *[(v, k) for k, v in self.labels.items()]]
        self.action_child.value = ""
        self._fill_sessions(NEW)
        self.select_session(NEW)
        if self._draw_later is None:
            self.evidence.show(case_id, self.today)
        else:
            self.evidence.waiting()
            self._draw_later(guard("read the case's evidence", self.message, lambda: self._draw_evidence(case_id)))

    def _draw_evidence(self, case_id: str) -> None:
        # a later case chosen meanwhile has its own turn; evidence read already (a challenge check) stays
        if case_id == self.case_id and (self.evidence.data is None or self.evidence.case_id != case_id):
            self.evidence.show(case_id, self.today)

    def _fill_sessions(self, chosen: str) -> None:
        """The session picker's options, `chosen` shown, without opening it again."""
        found = records.sessions(self.store, self.case_id)
        self._quiet = True
        try:
            self.session_picker.options = [("A new session", NEW)] + [
                (f"{day_text(s.model.held_on)}: {s.model.worker} with {s.model.supervisor} "
                 f"({'signed' if s.model.is_locked else 'draft'})", s.record_id) for s in reversed(found)]
            self.session_picker.value = chosen
        finally:
            self._quiet = False

    def _actions(self) -> dict[str, Stored[Action]]:
        return {a.record_id: a for a in records.actions(self.store, self.case_id)}

    def select_session(self, record_id: str) -> None:
        actions = self._actions()
        self.form = self._fresh_form()
        self.message.value = self.sign_message.value = self.action_message.value = self.links.value = ""
        self.amend_message.value = ""
        if record_id == NEW:
            self.stored = None
            self.action_form.new_action_ids = []
            self.escalation.escalation_ids = []
            previous = records.sessions(self.store, self.case_id)
            if not self.form.supervisor.value and self.person.on_a_team:  # a practitioner: their own session
                self.form.worker.value = self.reader
            elif previous:
                self.form.worker.value = previous[-1].model.worker
            self.form.set_reviews([(rid, a.model, a.model.what) for rid, a in actions.items()
                                   if a.model.status == "open"], self.today)
            self.form.show_wellbeing(records.is_one_of_the_two(self.reader, self.form.supervisor.value,
                                                               self.form.worker.value),
                                     self.form.supervisor.value, self.form.worker.value)
            self.challenge_panel.show_prompts([])
        else:
            self.stored = next(s for s in records.sessions(self.store, self.case_id) if s.record_id == record_id)
            session = records.with_wellbeing(self.store, self.stored, self.reader)
            self.form.fill(session, {k: a.model for k, a in actions.items()}, self.today)
            self.form.show_wellbeing(records.may_read_wellbeing(session, self.reader), session.supervisor,
                                     session.worker)
            self.action_form.new_action_ids = list(session.new_actions)
            self.escalation.escalation_ids = list(session.escalations_raised)
            self.challenge_panel.show_prompts([], session.challenges)
        self.action_form.show_new_actions()
        self.escalation.show_raised()
        self._show_lock()

    def _fresh_form(self) -> SessionForm:
        form = SessionForm(self._default_supervisor())
        form.escalation_raise_box.children = (self.escalation.raise_box,)
        form.escalation_choice.observe(guard("open the escalation form", self.raised, lambda ch: (
            self.escalation.prefill_raise() if ch["new"] == "raise" else None)), names="value")
        for name in (form.supervisor, form.worker):  # the wellbeing note names the two people as typed
            name.observe(guard("check who may read the wellbeing note", form.wellbeing_note, lambda _, f=form: (
                f.show_wellbeing(records.is_one_of_the_two(self.reader, f.supervisor.value, f.worker.value),
                                 f.supervisor.value, f.worker.value))), names="value")
            # and who may sign it, as the names stand
            name.observe(guard("show who may sign", self.sign_message, lambda _: self._show_signing()),
                         names="value")
        children = list(self.widget.children)
        children[children.index(self.form.widget)] = form.widget
        self.widget.children = tuple(children)
        return form

    def _show_signing(self) -> None:
        """Who may sign the record as it stands: the two people the form names, and the signatures saved."""
        self.signing.show(self.form.supervisor.value, self.form.worker.value,
                          self.stored.model.signatures if self.stored else [])

    def _show_lock(self) -> None:
        locked = bool(self.stored and self.stored.model.is_locked)
        self.form.lock(locked)
        f = self.raise_form
        raising = (f.children, f.raised_by, f.raised_by_role, f.raised_with, f.raised_with_role, f.about, f.safe,
                   f.raised_on, f.button) if f else ()
        for control in (self.save_button, self.challenge_panel.check_button, self.action_form.add_action_button,
                        *self.answers.values(),
                        self.action_what, self.action_who, self.action_by, self.action_change, self.action_child,
                        *raising):
            control.disabled = locked
        self._show_signing()
        self.signing.lock(locked)
        self.amend_box.layout.display = None if locked else "none"

    # saving, signing, amending ---------------------------------------------------------------------------

    def _model(self) -> SupervisionSession:
        body = {**self.form.values(self.case_id), "challenges": self.challenge_panel.challenges(),
                "new_actions": self.action_form.new_action_ids,
                "escalations_raised": self.escalation.escalation_ids if self.form.escalation_considered.value else []}
        if self.stored is None:
            return SupervisionSession.model_validate(body, context={"today": self.today})
        keep = self.stored.model
        return edit(keep.model_copy(update={"wellbeing": body["wellbeing"]}),
                    **{k: v for k, v in body.items() if k != "wellbeing"})

    def _write(self, make: Callable[[], SupervisionSession], reason: str, message: w.HTML, failed: str
               ) -> SupervisionSession | None:
        """Make the record (the model's rules check it) and save it from the version on screen; say why not."""
        try:
            session = make()
            version = records.save_session(self.store, session, self.stored, reason, reader=self.reader)
        except NotReadyToSign as exc:
            items = "".join(f"<li>{esc(p)}</li>" for p in exc.problems)
            message.value = say(f"{failed}: the record still needs work.", alert=True) + f"<ul>{items}</ul>"
            return None
        except (ValidationError, ValueError) as exc:  # a locked record's edit is a ValueError too
            message.value = say(f"{failed}: {problems(exc)}", alert=True)
            return None
        except StaleEdit as conflict:
            self._conflict(conflict)
            return None
        self.stored = Stored(version, SupervisionSession.model_validate_json(version.body_json))
        return session

    def save(self) -> SupervisionSession | None:
        """Save the record as it stands (a draft until both sign)."""
        session = self._write(self._model, "saved in supervision", self.message, "Not saved")
        if session is None:
            return None
        assert self.stored is not None
        self.message.value = say(f"Saved at {datetime.now():%H:%M} as version {self.stored.version}.")
        self._refresh_picker()
        return session

    def _conflict(self, conflict: StaleEdit) -> None:
        theirs = SupervisionSession.model_validate(conflict.current.body)
        assert self.stored is not None
        self.stored = Stored(conflict.current, theirs)  # saving again builds on theirs, deliberately
        stages = "".join(f"<li><strong>{esc(label)}</strong>: {esc(getattr(theirs.stages, code)) or 'blank'}</li>"
                         for code, label in CYCLE.items())
        self.message.value = (say(f"{conflict.current.created_by} saved this record at "
                                  f"{conflict.current.created_at:%H:%M on %d %b %Y}, after you opened it. Your text "
                                  "is still in the form. Their version is below: bring across what you need, then "
                                  "save again (yours becomes the newest version; theirs is kept).", alert=True)
                              + f"<ul>{stages}</ul>")

    def _refresh_picker(self) -> None:
        assert self.stored is not None
        self._fill_sessions(self.stored.record_id)

    def sign(self, role: str, who: str | None = None) -> SupervisionSession | None:
        """Sign the saved record as `role`; once both have signed it is locked and last time's actions are updated.

        Args:
            role: "supervisor" or "worker".
            who: on one person's own database, the name signed (default: the one typed), which must be the
                one the record gives that role. On a team's database it is ignored: the signed-in person
                signs, and only as the role the record names them in, if their role may sign so
                (`signoff.why_not_sign`), checked here whatever the screen showed.
        """
        if self.person.on_a_team:
            named = (self.form.supervisor if role == "supervisor" else self.form.worker).value.strip()
            if why := why_not_sign(self.person, role, named):
                self.sign_message.value = say(f"Not signed: {why}.", alert=True)
                return None
            who = self.reader
        elif who is None:
            who = self.signing.name.value if self.signing.name is not None else ""
        if self.stored is None or self.save() is None:
            self.sign_message.value = say("Save the record before signing it.", alert=True) \
                if self.stored is None else self.sign_message.value
            return None
        assert self.stored is not None
        stored = self.stored
        signer = who.strip()
        signed = self._write(lambda: sign(records.with_wellbeing(self.store, stored, self.reader), signer, role,
                                          datetime.now(UTC)),
                             f"signed by the {role}", self.sign_message, "Not signed")
        if signed is None:
            return None
        done = f"Signed by {signer} as {role} (version {self.stored.version})."
        if signed.is_locked and self.evidence.data is not None:  # last time's actions took their outcomes
            self.evidence.show_actions(self.case_id, self.today)
            done += " Both have signed: the record is locked. Changes now need an amendment."
        self.message.value = self.action_message.value = ""
        self.sign_message.value = say(done)
        if self.signing.name is not None:
            self.signing.name.value = ""
        self._refresh_picker()
        self._show_lock()
        return signed

    def amend(self, field: str, new_value: str, reason: str) -> SupervisionSession | None:
        """Change a signed record by amendment: the original, the author, the time and the reason are kept."""
        if not (self.stored and self.stored.model.is_locked):
            self.amend_message.value = say("Only a signed record is amended; a draft is simply edited.", alert=True)
            return None
        stored = self.stored
        # with its wellbeing notes (for those who may read them), or saving would clear them
        changed = self._write(lambda: amend(records.with_wellbeing(self.store, stored, self.reader),
                                            self.reader, datetime.now(UTC), field, new_value.strip(),
                                            reason.strip()),
                              f"amended: {reason.strip()}", self.amend_message, "Not amended")
        if changed is None:
            return None
        self.form.fill(changed, {k: a.model for k, a in self._actions().items()}, self.today)
        self._show_lock()  # filling rebuilt the rows: lock them again
        self.amend_message.value = say("Amended. The original words are kept in the record's amendments.")
        self.amend_text.value = self.amend_reason.value = ""
        return changed

    def prepare_record(self) -> dict[str, bytes]:
        """The printable record as a page and a PDF (never the wellbeing notes)."""
        if self.stored is None:
            self.links.value = say("Save the record first.", alert=True)
            return {}
        session = self.stored.model
        held = self._actions()
        agreed = [held[i].model for i in session.new_actions if i in held]
        titles = {c["id"]: c["title"] for c in self.store.cases()}
        raised = {e.record_id: e.model for e in records.escalations(self.store, self.case_id)}
        doc = session_document(session, case_titles=titles, actions=agreed, child_labels=self.labels,
                               today=self.today, escalations=[raised[i] for i in session.escalations_raised
                                                              if i in raised])
        self.links.value, self.files = record_links(doc, f"supervision-{self.case_id}-{session.held_on}")
        return self.files

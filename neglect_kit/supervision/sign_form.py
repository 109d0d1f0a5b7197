"""Signing the supervision record on screen: the buttons, built only for those who may use them.

On one person's own database the one user signs for either person, typing the name the record gives (as
the kit always has; `signoff.sign` checks the name). On a team's database nobody types a name: the signer
is the signed-in person, and a "Sign as supervisor" button is built only for the person the record names
as its supervisor when their role signs as one (the same for the worker); everyone else reads, in words,
who can sign. The app's handler checks again when it runs (`signoff.why_not_sign`): ipywidgets runs a
click handler even for a disabled button, and a browser can send any widget message.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from ..store.identity import Person
from ..ui.fields import button, text
from ..ui.guard import guard
from ..ui.panels import esc
from ..wording import day_text
from .session import Signature
from .signoff import ROLES, why_not_sign


class SignForm:
    """The record's sign-off: a button per role the person may sign in, and who can sign in the others.

    Attributes:
        name: the name typed to sign, on one person's own database only (None on a team's).
        buttons: the Sign buttons on screen now, by role ("supervisor", "worker").
        message: where the signing's outcome, or its refusal, is said.
    """

    def __init__(self, person: Person, on_sign: Callable[[str], object]):
        """Args:
            person: who is using the app.
            on_sign: signs the record in the role given; run through the guard.
        """
        self.person = person
        self.message = w.HTML()
        self.name = None if person.on_a_team else text("Your name, to sign")
        self.buttons: dict[str, w.Button] = {}
        self._made: dict[str, w.Button] = {}
        self._on_sign = on_sign
        self._locked = False
        self.row = w.HBox()
        self.who = w.HTML()
        self.widget = w.VBox([*([self.name] if self.name else []), self.row, self.who, self.message])
        if not person.on_a_team:
            self._place({role: self._button(role) for role in ROLES}, [])

    def _button(self, role: str) -> w.Button:
        if role not in self._made:  # made once, when first someone may use it
            made = self._made[role] = button(f"Sign as {role}")
            made.on_click(guard("sign the record", self.message, lambda _, r=role: self._on_sign(r), writes=True,
                                whole=False))
        return self._made[role]

    def show(self, supervisor: str, worker: str, signatures: list[Signature]) -> None:
        """The sign-off for a record naming `supervisor` and `worker` and holding `signatures`. On one
        person's own database both buttons stay as they are."""
        if not self.person.on_a_team:
            return
        named = {"supervisor": supervisor, "worker": worker}
        done = {s.role: s for s in signatures}
        buttons, lines = {}, []
        for role in ROLES:
            if role in done:
                lines.append(f"Signed as {role} by {done[role].who} on {day_text(done[role].signed_at)}.")
            elif why := why_not_sign(self.person, role, named[role].strip()):
                lines.append(f"{why[:1].upper()}{why[1:]}.")
            else:
                buttons[role] = self._button(role)
        self._place(buttons, lines)

    def _place(self, buttons: dict[str, w.Button], lines: list[str]) -> None:
        self.buttons = buttons
        self.row.children = tuple(buttons.values())
        self.who.value = "".join(f'<p class="nk-note">{esc(line)}</p>' for line in lines)
        self.lock(self._locked)

    def lock(self, locked: bool) -> None:
        """A record both have signed takes no more signatures."""
        self._locked = locked
        for control in (*self.buttons.values(), *([self.name] if self.name else [])):
            control.disabled = locked

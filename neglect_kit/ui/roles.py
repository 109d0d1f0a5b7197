"""What the apps say about the person using them: who they are, what their role may do, and why a case
or a control is not there for them.

On a team's database each app is built for the person the store names (`Store.person()`): a role that
may not read named case records (researcher, administrator) gets `RoleApp`, a plain statement of what the
role may do, in place of the app, so no case control is ever built for it; a caseload with no case in it
says so in words. PostgreSQL refuses the same things again whatever the browser sends.
"""

from __future__ import annotations

import ipywidgets as w

from ..store import Store
from ..store.identity import (
    ADMINISTRATOR,
    APPROVE_EXTRACTS,
    EXTRACTOR,
    MANAGE_PEOPLE,
    READ_CASES,
    READ_REVIEWS,
    REMOVE_CASES,
    REQUEST_EXTRACTS,
    RESEARCHER,
    SIGN_AS_SUPERVISOR,
    SIGN_AS_WORKER,
    SUPERVISOR,
    TAKE_EXTRACTS,
    WRITE_CASES,
    Person,
)
from .panels import esc, style_block

# every action a role may be given, in the order a person reads them
ACTIONS = (READ_CASES, WRITE_CASES, SIGN_AS_SUPERVISOR, SIGN_AS_WORKER, MANAGE_PEOPLE, REMOVE_CASES, READ_REVIEWS,
           APPROVE_EXTRACTS, REQUEST_EXTRACTS, TAKE_EXTRACTS)
# what each role that reads no named case records is for, and where its work is done instead
_ELSEWHERE = {
    RESEARCHER: "Named case records are never shown to a researcher: your work is the anonymised review corpus "
                "and the pseudonymised extracts, which are not in the practitioners' apps.",
    ADMINISTRATOR: "An administrator keeps the team's people, teams and case assignments (`neglect-kit users`, "
                   "`neglect-kit assign`), approves the cases of a researcher's extracts (`neglect-kit approvals`), "
                   "and does not read a case's content.",
    EXTRACTOR: "The extractor role is the extract service's own login (`neglect-kit extract-service`), which takes "
               "the extracts researchers requested; no person signs in with it and it has no app.",
}
# the same for the research apps (the review corpus), for each role that may not read it
_REVIEWS_ELSEWHERE = {
    ADMINISTRATOR: "An administrator assigns reviews to coders (`neglect-kit reviews assign`) and reads no coding.",
}
_PRACTICE = "Your work is in the case apps listed on the start page."
# what each guarded kind of app shows, in the sentence "This app shows ..."
_SHOWS = {READ_CASES: "named case records",
          READ_REVIEWS: "the review corpus, which is for researchers (the anonymised reviews and their coding)"}


def who(person: Person) -> str:
    """The person as the header names them: "Nadia Brook (supervisor)", or the one user's name alone."""
    return f"{person.display_name} ({person.role})" if person.on_a_team else person.display_name


def allowed(person: Person) -> list[str]:
    """What the person's role may do, in words, in `ACTIONS`' order."""
    return [action for action in ACTIONS if person.may(action)]


def no_cases(person: Person) -> str:
    """What an app says when the database gives the person no case (a one-person kit not yet loaded, or a
    caseload with nothing assigned)."""
    if not person.on_a_team:
        return "No cases yet. Load the sample cases with `neglect-kit demo`."
    held = f"assigned to you or held by your team ({person.team})" if person.role == SUPERVISOR and person.team \
        else "assigned to you"
    return (f"No case is {held} yet, so there is nothing to show. Cases are assigned by your administrator "
            "(`neglect-kit assign`).")


class RoleApp:
    """In place of a case app, for a role that may not read named case records: what the role may do.

    Attributes:
        widget: the statement, as the notebook shows it.
        store, person: for the header (`navigation.attach`).
    """

    def __init__(self, store: Store, person: Person, app_name: str, needs: str = READ_CASES):
        """`needs` is what the app is built on: READ_CASES for the case apps, READ_REVIEWS for the research apps."""
        self.store = store
        self.person = person
        self.needs = needs  # the header links the apps of the same kind (`navigation.attach`)
        may = "".join(f"<li>{esc(action)}</li>" for action in allowed(person)) or "<li>nothing in the kit yet</li>"
        elsewhere = _ELSEWHERE.get(person.role, "") if needs == READ_CASES else \
            _REVIEWS_ELSEWHERE.get(person.role, _PRACTICE if person.may(READ_CASES) else "")
        self.widget = w.VBox([w.HTML(style_block()), w.HTML(
            f'<div class="nk-role" role="status"><h2>{esc(app_name)} is not open to your role</h2>'
            f"<p>You are signed in as {esc(person.display_name)}, {esc(article(person.role))} {esc(person.role)}. "
            f"This app shows {esc(_SHOWS[needs])}, and {esc(person.why_not(needs))}.</p>"
            f"<p>Your role may:</p><ul>{may}</ul>"
            + (f"<p>{esc(elsewhere)}</p>" if elsewhere else "")
            + "<p>If your role is wrong, ask your administrator to change it.</p></div>")])


def article(word: str) -> str:
    """ "a" or "an" before `word`."""
    return "an" if word[:1].lower() in "aeiou" else "a"

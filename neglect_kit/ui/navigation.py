"""Moving between the apps without losing the case: the header every app shows, the case and child carried
in the page's address, and each user's last choice remembered.

Under Voila each page runs in a kernel of its own, started with the request's address in its environment
(`SCRIPT_NAME`, `QUERY_STRING`, `VOILA_BASE_URL`, as CGI names them), so the kernel reads
`?case=...&child=...` from there. The header's links carry the case and child on screen, and change when
the user chooses another, so following one opens the next app on the same child and a link can be sent
to a colleague. An app opened without them opens on the case and child this user last chose (a small
file per user in the kit's data folder), else on the first case.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import ipywidgets as w
from markupsafe import escape

from ..anonymise import ANONYMISED
from ..config import data_dir
from ..store.identity import READ_CASES, READ_REVIEWS, Person
from .guard import guard
from .roles import who

log = logging.getLogger("neglect_kit")

KIT = "neglect-kit"
START = "index.ipynb"
# every app, as the start page lists them: its notebook (under notebooks/) and its name; each
# notebook's tab title is its name and the kit's (a test holds them together)
APPS = (
    ("toolkits/chronology.ipynb", "Chronology"),
    ("toolkits/neglect_assessment.ipynb", "Neglect assessment"),
    ("toolkits/screening.ipynb", "Neglect screening"),
    ("toolkits/day_in_the_life.ipynb", "A day in the child's life"),
    ("toolkits/child_summary.ipynb", "What is life like for this child?"),
    ("supervision/reflective_session.ipynb", "Reflective supervision"),
    ("supervision/actions_and_escalation.ipynb", "Actions and escalation"),
)
# the research apps (the review corpus): their own header links, which carry no case
RESEARCH_APPS = (
    ("research/coding.ipynb", "Coding reviews"),
    ("research/reconcile.ipynb", "Reconciling two codings"),
)
MAIN_ID = "nk-main"  # the skip link's target, put just before each app's main form
_RENDER = "voila/render/"
_ID = re.compile(r"^[A-Za-z0-9_.-]{1,120}$")  # what a case or person id can be (casefolders' pattern and the store's)


def tab_title(name: str) -> str:
    """What the browser's tab says for an app."""
    return f"{name} \u00b7 {KIT}"


@dataclass(frozen=True)
class Choice:
    """A case and one of its children ("" where none is chosen)."""

    case: str = ""
    child: str = ""


def address() -> Choice:
    """The case and child the page's address names (`?case=...&child=...`); blank outside Voila."""
    query = parse_qs(os.environ.get("QUERY_STRING", ""))
    return Choice(query.get("case", [""])[0].strip(), query.get("child", [""])[0].strip())


def this_notebook() -> str:
    """The notebook this page shows, under notebooks/ ("toolkits/chronology.ipynb"); blank outside Voila."""
    path = os.environ.get("SCRIPT_NAME", "")
    return path.split(_RENDER, 1)[1] if _RENDER in path else ""


def page_url(notebook: str, choice: Choice | None = None) -> str:
    """The address of a notebook's page as Voila serves it, carrying the case and child when given."""
    choice = choice or Choice()
    base = os.environ.get("VOILA_BASE_URL", "/") or "/"
    query = urlencode({k: v for k, v in (("case", choice.case), ("child", choice.child)) if v})
    return f"{base.rstrip('/')}/{_RENDER}{notebook}" + (f"?{query}" if query else "")


# each user's last choice -------------------------------------------------------------------------

def _memory_file(user: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", user)[:100] or "_"
    return data_dir() / "last-chosen" / f"{safe}.json"


def remembered(user: str) -> Choice:
    """The case and child this user last chose in any app (blank when none, or the file cannot be read)."""
    try:
        held = json.loads(_memory_file(user).read_text(encoding="utf-8"))
        return Choice(str(held.get("case", "")), str(held.get("child", "")))
    except FileNotFoundError:
        return Choice()
    except (OSError, ValueError, AttributeError):  # a damaged file is not worth stopping the app for
        log.warning("the last case chosen by %s could not be read", user, exc_info=True)
        return Choice()


def remember(user: str, choice: Choice) -> None:
    """Keep this user's choice for the next app they open; a failure is logged, never shown."""
    path = _memory_file(user)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(f".{os.getpid()}.part")
        part.write_text(json.dumps({"case": choice.case, "child": choice.child}), encoding="utf-8")
        part.replace(path)  # whole or not at all: two apps saving at once never leave half a file
    except OSError:
        log.warning("the case chosen by %s could not be remembered", user, exc_info=True)


def starting_choice(user: str, case_ids: list[str]) -> Choice:
    """The case (and child) an app opens on: the page address's case when the kit holds it, else the one
    this user last chose, else the first. The child is the one named with that case, checked by the app."""
    for wanted in (address(), remembered(user)):
        if wanted.case in case_ids:
            return wanted
    return Choice(case_ids[0] if case_ids else "")


# the header ---------------------------------------------------------------------------------------

def sign_out_url() -> str:
    """The hub's sign-out page when the kit is served under JupyterHub (`JUPYTERHUB_SERVICE_PREFIX` is set in
    each person's server), else "": a kit on one person's own machine has no sign-in to leave."""
    if not os.environ.get("JUPYTERHUB_SERVICE_PREFIX"):
        return ""
    return f"{os.environ.get('JUPYTERHUB_BASE_URL', '/').rstrip('/')}/hub/logout"


class Header:
    """The kit's name (back to the start page), the other apps, who is using the kit (their role on a team's
    database, and the hub's sign-out link when served under it), and the skip link.

    `show(choice)` puts the case and child on screen into every app link; `note` says in words when the
    address named a case or child the kit does not hold.
    """

    def __init__(self, person: Person, notebook: str = "", links: bool = True, research: bool = False):
        self.person = person
        self.notebook = notebook
        self.links = links
        self.research = research  # a research app's header links the research apps, carrying no case
        self.choice = Choice()
        self.note = ""
        self.widget = w.HTML()
        self.widget.add_class("nk-header-box")
        self.message = w.HTML()  # where a failure of the header's own work is told (the guard's place)
        self.box = w.VBox([self.widget, self.message])
        self._draw()

    def show(self, choice: Choice, note: str = "") -> None:
        """Carry `choice` in the app links from now on."""
        self.choice, self.note = choice, note
        self._draw()

    def href(self, notebook: str) -> str:
        return page_url(notebook, Choice() if notebook in dict(RESEARCH_APPS) else self.choice)  # no case to research

    def _apps(self) -> tuple[tuple[str, str], ...]:
        """The apps the header links: a research page's, the research apps; a case page's, the case apps for a
        role that reads cases, else the research apps for one that reads reviews (a researcher), else none
        (an administrator: links to pages each saying "not open to your role" help no one)."""
        if self.research:
            return RESEARCH_APPS
        if self.person.may(READ_CASES):
            return APPS
        return RESEARCH_APPS if self.person.may(READ_REVIEWS) else ()

    def _draw(self) -> None:
        items = []
        if self.links:
            # this app by name, not a link: one Tab stop fewer on every page
            for notebook, name in self._apps():
                items.append(f'<li><span aria-current="page">{escape(name)}</span></li>' if notebook == self.notebook
                             else f'<li><a href="{escape(self.href(notebook))}">{escape(name)}</a></li>')
        apps = f'<ul class="nk-apps">{"".join(items)}</ul>' if items else ""
        note = f'<p class="nk-header-note" role="status">{escape(self.note)}</p>' if self.note else ""
        leave = sign_out_url()
        sign_out = f' <a class="nk-sign-out" href="{escape(leave)}">Sign out</a>' if leave else ""
        using = "Signed in as" if self.person.on_a_team else "Using the kit:"
        self.widget.value = (
            f'<a class="nk-skip" href="#{MAIN_ID}">Skip to the main form</a>'
            f'<nav class="nk-header" aria-label="The kit\'s apps">'
            f'<a class="nk-home" href="{escape(page_url(START))}">{KIT}</a>{apps}'
            f'<span class="nk-user">{using} <strong>{escape(who(self.person))}</strong>{sign_out}</span></nav>{note}')


def _pickers(app: Any) -> tuple[w.Dropdown | None, w.Dropdown | None]:
    """The app's case and child dropdowns: its `ChildPicker`'s, or its own `case_picker`/`child_picker`."""
    picker = getattr(app, "picker", None)
    if picker is not None and hasattr(picker, "case"):
        return picker.case, picker.child
    return getattr(app, "case_picker", None), getattr(app, "child_picker", None)


def _chosen(case: w.Dropdown | None, child: w.Dropdown | None) -> Choice:
    return Choice(str(case.value or "") if case else "", str(child.value or "") if child else "")


def _note(asked: Choice, shown: Choice, case: w.Dropdown | None, child: w.Dropdown | None) -> str:
    """What to say when the address named a case or child that is not what the app could show."""
    if case is None:  # an app across cases (the start page, actions and escalation): carried, not shown
        return ""
    if asked.case and asked.case != shown.case:
        named = asked.case if _ID.match(asked.case) else "given"
        showing = f": showing {case.label} instead" if case is not None and case.label else ""
        return f"The page address names a case ({named}) the kit does not hold{showing}."
    if asked.child and child is not None and asked.child != shown.child:
        named = asked.child if _ID.match(asked.child) else "given"
        showing = f": showing {child.label} instead" if child.label else ""
        return f"The page address names a child ({named}) who is not in this case{showing}."
    return ""


def _choose(case: w.Dropdown, child: w.Dropdown | None, wanted: list[Choice]) -> None:
    """Choose the first wanted case the dropdown holds (the app's own observers then open it), and its child."""
    ids = [v for _, v in case.options]
    found = next((c for c in wanted if c.case and c.case in ids), None)
    if found is None:
        return
    case.value = found.case
    if child is not None and found.child in [v for _, v in child.options]:
        child.value = found.child


def _insert_before(box: w.Widget, target: w.Widget, new: w.Widget) -> bool:
    """Put `new` just before `target` wherever it lies in `box`'s tree; False when it is not there."""
    children = list(getattr(box, "children", ()))
    if target in children:
        children.insert(children.index(target), new)
        box.children = tuple(children)
        return True
    return any(_insert_before(c, target, new) for c in children)


def attach(app: Any, notebook: str | None = None) -> Header:
    """Give a built app the header, the skip link's target and the case carried between apps.

    The header goes first in `app.widget`; the skip link's target goes just before `app.main_form` when
    the app names one (its main form lies far down the page), else just after the header. From then on
    every change of the app's case or child dropdown is carried in the header's links and remembered
    for this user.
    """
    notebook = this_notebook() if notebook is None else notebook
    person = getattr(app, "person", None) or app.store.person()
    user = person.username
    case, child = _pickers(app)
    header = Header(person, notebook, links=notebook != START, research=getattr(app, "needs", "") == READ_REVIEWS)
    asked = address()
    if case is not None and not case.value:  # an app that waits for a case to be chosen: take the carried one
        _choose(case, child, [asked, remembered(user)])
    # an app across cases passes on the case it was given, so the next app opens on it
    shown = _chosen(case, child) if case is not None else (asked if asked.case else remembered(user))
    header.show(shown, _note(asked, shown, case, child))
    target = w.HTML(f'<span id="{MAIN_ID}" tabindex="-1" class="nk-skip-target"></span>')
    main = getattr(app, "main_form", None)
    if main is None or not _insert_before(app.widget, main, target):
        app.widget.children = (target, *app.widget.children)
    app.widget.children = (header.box, *app.widget.children)

    view = getattr(app, "view", None)  # an app with a named and an anonymised view

    def changed(_change: dict[str, Any]) -> None:
        now = _chosen(case, child)
        # an anonymised screen carries no ids in its links (ids may be names); the memory still carries them
        header.show(Choice() if view is not None and view.value == ANONYMISED else now)
        if now.case:
            remember(user, now)

    for control in (case, child, view):
        if control is not None:
            control.observe(guard("carry the case to the other apps", header.message, changed), names="value")
    app.header = header
    return header

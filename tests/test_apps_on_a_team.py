"""The apps on a real team's PostgreSQL database (issue 14, item 4): each person is who the database says
(`Store.person()` from the staff row of the login connected), the supervision record is signed in the app
by the supervisor it names and refused to a practitioner, a role that reads no case gets none, an empty
caseload says so, and a write the database refuses is said in words beside its button.

One team's database for the module: the sample cases loaded with `neglect-kit demo`, made a team's with
`server init`; the north team's Anita Marsh (supervisor) and Jo Kemp (practitioner, the Fenwick case's
worker), Ben Ward (practitioner, the Dunmore case), Sid Hart (supervisor, north), Rex Hale (researcher).
Each test writes only records of its own, so they share it.
"""

from __future__ import annotations

import contextlib
import html
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from neglect_kit.apps.chronology import ChronologyApp
from neglect_kit.apps.reflective_session import NEW, ReflectiveSessionApp
from neglect_kit.chronology.records import stored_entries
from neglect_kit.cli import main
from neglect_kit.store import Forbidden, Store, team
from neglect_kit.store.identity import PRACTITIONER, RESEARCHER, SUPERVISOR
from neglect_kit.supervision import records
from neglect_kit.ui.guard import failure_message
from neglect_kit.ui.roles import RoleApp

PEOPLE = (("anita", SUPERVISOR, "Anita Marsh"), ("jo", PRACTITIONER, "Jo Kemp"), ("ben", PRACTITIONER, "Ben Ward"),
          ("sid", SUPERVISOR, "Sid Hart"), ("rex", RESEARCHER, "Rex Hale"))
WELLBEING = "Jo is carrying too many cases this month."
STAGES = {
    "experience": "Maisie was seen at home; the fridge was empty and the heating off in November.",
    "reflection": "Jo felt reassured by the mother's promises, though nothing had changed since the last visit.",
    "analysis": "Food and warmth have not improved over three visits; the plan names neither as a risk.",
    "action_plan": "Ask the conference chair to add food and warmth to the plan; a health visit this month.",
}


@dataclass
class Team:
    url: str
    prefix: str

    def login(self, short: str) -> str:
        return f"{self.prefix}{short}"

    def store(self, short: str) -> Store:
        return Store.open(self.url.replace("postgres@", f"{self.login(short)}@", 1))


@pytest.fixture(scope="module")
def kit(pg_server) -> Iterator[Team]:
    url = pg_server.new_database()
    prefix = sa.make_url(url).database + "_"
    try:
        with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(io.StringIO()):
            mp.setenv("NEGLECT_KIT_DB", url)
            assert main(["demo"]) == 0
        team.server_init(url)
        t = Team(url, prefix)
        for short, role, name in PEOPLE:
            team.add_user(url, t.login(short), role, team="" if role == RESEARCHER else "north", display_name=name)
        for case_id in ("fenwick", "dunmore"):
            team.set_case_team(url, case_id, "north")
        team.assign(url, "fenwick", t.login("jo"))
        team.assign(url, "dunmore", t.login("ben"))
        yield t
    finally:
        pg_server.drop_with_logins(url, prefix)


def session_app(t: Team, short: str, record_id: str = NEW) -> ReflectiveSessionApp:
    app = ReflectiveSessionApp.open(t.store(short))
    assert isinstance(app, ReflectiveSessionApp), html.unescape(getattr(app.widget, "value", ""))
    app.select_case("fenwick")
    app.session_picker.value = record_id
    return app


def new_session(t: Team) -> str:
    """A session naming Anita Marsh and Jo Kemp, ready to sign, saved by Anita; its record id."""
    app = session_app(t, "anita")
    app.form.worker.value = "Jo Kemp"
    app.form.wellbeing.value = WELLBEING
    make_ready(app)
    return app.stored.record_id


def make_ready(app: ReflectiveSessionApp) -> None:
    f = app.form
    for code, words in STAGES.items():
        f.stages[code].value = words
    f.decisions[0].decision.value = "Ask for food and warmth to be named in the plan"
    f.decisions[0].reason.value = "Three visits found the same empty fridge and cold house, and no plan names them."
    f.held_on.value, f.next_on.value = date.today(), date.today() + timedelta(days=28)
    for row in f.reviews:
        row.outcome.value, row.note.value = "carried_over", "Not done: the family missed two appointments."
        row.new_by.value = max(date.today(), row.was_due or date.today()) + timedelta(days=14)
    for prompt in app.check_challenges():
        app.answers[prompt.rule].value = f"Answered in the session: {prompt.title.lower()} was discussed."
    assert app.save() is not None, app.message.value


def test_the_named_supervisor_signs_in_the_app_and_a_practitioner_cannot(kit):
    rid = new_session(kit)
    anita = session_app(kit, "anita", rid)
    assert (anita.person.display_name, anita.person.role) == ("Anita Marsh", SUPERVISOR)
    assert "Signed in as <strong>Anita Marsh (supervisor)</strong>" in anita.header.widget.value
    assert anita.signing.name is None and list(anita.signing.buttons) == ["supervisor"]

    jo = session_app(kit, "jo", rid)
    assert (jo.person.display_name, jo.person.role) == ("Jo Kemp", PRACTITIONER)
    assert list(jo.signing.buttons) == ["worker"]
    assert "Only Anita Marsh, the session&#39;s supervisor, can sign as supervisor." in jo.signing.who.value
    assert jo.sign("supervisor", "Anita Marsh") is None  # the handler called directly, as a forged message would
    assert "Not signed: only Anita Marsh" in jo.sign_message.value
    assert next(s for s in records.sessions(jo.store, "fenwick") if s.record_id == rid).model.signatures == []

    anita.signing.buttons["supervisor"].click()
    assert "Signed by Anita Marsh as supervisor" in anita.sign_message.value, anita.sign_message.value
    jo = session_app(kit, "jo", rid)
    jo.signing.buttons["worker"].click()
    assert "Both have signed" in jo.sign_message.value, jo.sign_message.value
    held = next(s for s in records.sessions(jo.store, "fenwick") if s.record_id == rid)
    assert held.model.is_locked and [(s.who, s.role) for s in held.model.signatures] == [
        ("Anita Marsh", "supervisor"), ("Jo Kemp", "worker")]
    # the authors as the database recorded them: each person's own login
    history = jo.store.history(rid)
    first_signed = next(v for v in history if v.body["signatures"])
    assert (first_signed.created_by, history[-1].created_by) == (kit.login("anita"), kit.login("jo"))


def test_the_wellbeing_notes_are_for_the_sessions_two_people_and_others_are_told_so(kit):
    rid = new_session(kit)
    assert session_app(kit, "jo", rid).form.wellbeing.value == WELLBEING
    sid = session_app(kit, "sid", rid)  # a supervisor of the team, not the session's
    assert sid.form.wellbeing.value == "" and sid.form.wellbeing.layout.display == "none"
    assert "Only the session&#39;s supervisor and worker can read this" in sid.form.wellbeing_note.value
    assert sid.signing.buttons == {}
    sid.form.stages["analysis"].value = "Sid's reading of the analysis, saved without the notes."
    assert sid.save() is not None, sid.message.value
    assert session_app(kit, "anita", rid).form.wellbeing.value == WELLBEING


def test_each_person_sees_the_cases_the_database_gives_them_and_a_researcher_none(kit):
    assert [v for _, v in ChronologyApp.open(kit.store("jo")).case_picker.options] == ["fenwick"]
    assert [v for _, v in ChronologyApp.open(kit.store("ben")).case_picker.options] == ["dunmore"]
    assert sorted(v for _, v in ChronologyApp.open(kit.store("sid")).case_picker.options) == ["dunmore", "fenwick"]
    rex = ChronologyApp.open(kit.store("rex"))
    assert isinstance(rex, RoleApp) and "Rex Hale, a researcher" in rex.widget.children[-1].value

    team.add_user(kit.url, kit.login("nia"), PRACTITIONER, team="east", display_name="Nia Cole")
    nia = ChronologyApp.open(kit.store("nia"))
    assert "No case is assigned to you yet" in nia.status.value and not nia.case_picker.options


def test_a_write_the_database_refuses_is_said_beside_the_button_and_the_text_kept(kit):
    team.assign(kit.url, "dunmore", kit.login("jo"))
    jo = ChronologyApp.open(kit.store("jo"))
    jo.select_case("dunmore")
    before = len(stored_entries(jo.store, "dunmore"))
    jo.form.fill({"event_date": "03/11/2025", "recorded_date": "04/11/2025", "agency": "school",
                  "category": "attendance", "description": "Not in school all week; no call from home."}, ["riley"])
    team.assign(kit.url, "dunmore", kit.login("jo"), remove=True)  # taken off the case meanwhile
    jo.save_button.click()
    assert ("Could not save the entry: the case or record is no longer there for you (removed, or taken off your "
            "caseload). Nothing was saved; your text is kept. If your role should allow it, ask your administrator."
            ) in html.unescape(jo.form_message.value), jo.form_message.value
    assert jo.form.fields["description"].value == "Not in school all week; no call from home."
    assert len(stored_entries(kit.store("ben"), "dunmore")) == before

    # a write PostgreSQL itself refuses (below the app, which builds no removal for a practitioner): its words
    with pytest.raises(Forbidden) as refused:
        kit.store("jo").remove_case("fenwick", "loaded twice")
    assert failure_message("remove the case", refused.value, writes=True) == (
        "Could not remove the case: your role does not allow you to remove a case. Nothing was saved; your text is "
        "kept. If your role should allow it, ask your administrator.")

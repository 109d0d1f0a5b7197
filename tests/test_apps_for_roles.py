"""The apps built for the person using them (issue 14, item 4): the header names them, a role that reads
no case records sees what it may do instead of a case, an empty caseload says so, and on a team's
database the supervision record is signed by the signed-in person alone, the Sign buttons built only
for the people the record names, and the handler refusing again whatever the browser sends.

The person is given through the apps' own `person` argument (what `Store.person()` returns on a team's
database); the database is the sample cases' SQLite file, where `Store.person()` is the one user.
"""

import html
import shutil
from datetime import date, timedelta

import ipywidgets as w
import pytest
from test_session_app import STAGES, SUPERVISOR, WELLBEING, WORKER

from neglect_kit.apps.actions_escalation import ActionsEscalationApp
from neglect_kit.apps.assessment import AssessmentApp
from neglect_kit.apps.case_list import CaseListApp
from neglect_kit.apps.child_summary import ChildSummaryApp
from neglect_kit.apps.chronology import ChronologyApp
from neglect_kit.apps.day_in_the_life import DayApp
from neglect_kit.apps.reflective_session import ReflectiveSessionApp
from neglect_kit.apps.screening import ScreeningApp
from neglect_kit.chronology.remove_panel import RemoveCasePanel
from neglect_kit.store import Store
from neglect_kit.store.identity import ADMINISTRATOR, ONE_PERSON, PRACTITIONER, RESEARCHER, Person
from neglect_kit.store.identity import SUPERVISOR as SUP
from neglect_kit.supervision import records
from neglect_kit.ui.roles import RoleApp

APPS = [CaseListApp, ChronologyApp, AssessmentApp, DayApp, ScreeningApp, ChildSummaryApp, ReflectiveSessionApp,
        ActionsEscalationApp]
NADIA = Person("nadia.brook", SUPERVISOR, SUP, "north")  # the sessions' supervisor
SAM = Person("sam.okafor", WORKER, PRACTITIONER, "north")  # the sessions' worker
JO = Person("jo.kemp", "Jo Kemp", PRACTITIONER, "north")  # a practitioner the sessions do not name
ANITA = Person("anita.marsh", "Anita Marsh", SUP, "north")  # a supervisor the sessions do not name
RHEA = Person("rhea.patel", "Rhea Patel", RESEARCHER)
OMAR = Person("omar.said", "Omar Said", ADMINISTRATOR)
CONTROLS = (w.Button, w.Dropdown, w.Text, w.Textarea, w.Checkbox, w.ToggleButtons, w.RadioButtons, w.DatePicker)


@pytest.fixture
def db(demo_file, tmp_path):
    copy = tmp_path / "kit.sqlite"
    shutil.copy(demo_file, copy)
    return f"sqlite:///{copy}"


def widgets(widget: w.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from widgets(child)


def session_app(db: str, person: Person) -> ReflectiveSessionApp:
    app = ReflectiveSessionApp(Store.open(db, user=person.username), person=person)
    app.select_case("fenwick")
    return app


def write_ready_session(app: ReflectiveSessionApp) -> str:
    """A session naming Nadia Brook and Sam Okafor, ready to sign, saved; its record id."""
    f = app.form
    f.supervisor.value, f.worker.value = SUPERVISOR, WORKER
    f.held_on.value, f.next_on.value = date.today(), date.today() + timedelta(days=28)
    for code, words in STAGES.items():
        f.stages[code].value = words
    for row in f.reviews:
        row.outcome.value, row.note.value = "carried_over", "Not done: the family missed two appointments."
        row.new_by.value = date.today() + timedelta(days=14)
    f.decisions[0].decision.value = "Ask for a review of the plan to name parental alcohol use"
    f.decisions[0].reason.value = "Nine agencies recorded drinking over six years and no plan addresses it."
    f.wellbeing.value = WELLBEING
    for prompt in app.check_challenges():
        app.answers[prompt.rule].value = f"Answered in the session: {prompt.title.lower()} was discussed."
    assert app.save() is not None, app.message.value
    return app.stored.record_id


def opened(db: str, person: Person, record_id: str) -> ReflectiveSessionApp:
    app = session_app(db, person)
    app.session_picker.value = record_id
    return app


# the header -------------------------------------------------------------------------------------

def test_the_header_names_the_person_and_role_and_signs_out_through_the_hub(db, monkeypatch):
    for name in ("JUPYTERHUB_SERVICE_PREFIX", "JUPYTERHUB_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    store = Store.open(db, user="nadia.brook")
    app = ChronologyApp.open(store, NADIA)
    header = app.header.widget.value
    assert "Signed in as <strong>Nadia Brook (supervisor)</strong>" in header and "Sign out" not in header
    assert app.person is NADIA and app.header.person is NADIA

    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/nadia.brook/")  # served by the hub
    header = ChronologyApp.open(store, NADIA).header.widget.value
    assert '<a class="nk-sign-out" href="/hub/logout">Sign out</a>' in header
    monkeypatch.setenv("JUPYTERHUB_BASE_URL", "/team/")  # a hub served under a path of its own
    assert 'href="/team/hub/logout">Sign out</a>' in ChronologyApp.open(store, NADIA).header.widget.value

    # one person's own kit: their name alone, as before, and the store says who they are
    one = ChronologyApp.open(Store.open(db, user="Anita Marsh"))
    assert one.person == Person("Anita Marsh", "Anita Marsh", ONE_PERSON)
    assert "Using the kit: <strong>Anita Marsh</strong>" in one.header.widget.value


# roles that read no case records --------------------------------------------------------------------

@pytest.mark.parametrize("person", [RHEA, OMAR], ids=lambda p: p.role)
@pytest.mark.parametrize("app_class", APPS, ids=lambda c: c.__name__)
def test_a_role_that_reads_no_case_records_is_told_what_it_may_do_and_given_no_case_control(
        app_class, person, db):
    app = app_class.open(Store.open(db, user=person.username), person)
    assert isinstance(app, RoleApp)
    text = html.unescape(" ".join(x.value for x in widgets(app.widget) if isinstance(x, w.HTML)))
    assert "is not open to your role" in text
    assert f"your role ({person.role}) does not allow you to read named case records" in text
    may = "read anonymised reviews and extracts" if person.role == RESEARCHER else \
        "manage people, teams and assignments"
    assert may in text and "Fenwick" not in text and "Dunmore" not in text
    assert f"Signed in as <strong>{person.display_name} ({person.role})</strong>" in app.header.widget.value
    assert not [x for x in widgets(app.widget) if isinstance(x, CONTROLS)]


def test_a_practitioner_and_a_supervisor_get_the_case_apps(db):
    for person in (SAM, NADIA):
        app = ScreeningApp.open(Store.open(db, user=person.username), person)
        assert isinstance(app, ScreeningApp) and app.screened_by.value == person.display_name


@pytest.mark.parametrize("app_class", APPS, ids=lambda c: c.__name__)
def test_an_empty_caseload_says_so_in_words(app_class, tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'empty.sqlite'}", user="sam.okafor", create=True)
    for person, held in ((SAM, "No case is assigned to you yet"),
                         (NADIA, "No case is assigned to you or held by your team (north) yet")):
        app = app_class.open(store, person)
        assert isinstance(app, app_class), getattr(app.widget, "value", "")
        text = html.unescape(" ".join(x.value for x in widgets(app.widget) if isinstance(x, w.HTML)))
        assert held in text and "`neglect-kit assign`" in text, app_class.__name__
        assert "neglect-kit demo" not in text


def test_only_a_role_that_removes_cases_gets_the_removal(db):
    store = Store.open(db, user="sam.okafor")
    for person in (SAM, NADIA):
        app = ChronologyApp(store, person=person)
        assert app.removal_section not in app.sections
        assert not [x for x in widgets(app.widget) if x is app.removal_section.widget]
    one = ChronologyApp(Store.open(db, user="Anita Marsh"))
    assert one.removal_section in one.sections and one.removal_section.widget in widgets(one.widget)
    assert one.removal.button.description == "Remove this case"
    # the panel's own handler refuses a role that may not remove, whatever reaches it
    panel = RemoveCasePanel(store, lambda _: None, SAM)
    panel.set_case("fenwick")
    panel.confirm.value, panel.reason.value = "fenwick", "loaded twice"
    panel.button.click()
    assert "does not allow you to remove a case" in panel.message.value
    assert "fenwick" in [c["id"] for c in store.cases()]


# signing on a team's database --------------------------------------------------------------------

def test_on_a_team_the_sign_buttons_are_built_only_for_the_named_people_whose_role_signs(db):
    rid = write_ready_session(session_app(db, NADIA))

    nadia = opened(db, NADIA, rid)
    assert nadia.signing.name is None  # nobody types a name on a team's database
    assert list(nadia.signing.buttons) == ["supervisor"]
    assert "Only Sam Okafor, the session&#39;s worker, can sign as worker." in nadia.signing.who.value

    sam = opened(db, SAM, rid)
    assert list(sam.signing.buttons) == ["worker"]
    assert "Only Nadia Brook, the session&#39;s supervisor, can sign as supervisor." in sam.signing.who.value

    for other in (JO, ANITA):  # named in neither role: no button, the two names said
        app = opened(db, other, rid)
        assert app.signing.buttons == {} and not [x for x in widgets(app.widget) if isinstance(x, w.Button)
                                                  and x.description.startswith("Sign as")]
        assert "Only Nadia Brook" in app.signing.who.value and "Only Sam Okafor" in app.signing.who.value

    # a practitioner named as the supervisor still may not sign as one: the role does not sign so
    jo = session_app(db, JO)
    jo.form.supervisor.value, jo.form.worker.value = "Jo Kemp", WORKER
    assert jo.signing.buttons == {}
    assert "Your role (practitioner) does not allow you to sign as a session&#39;s supervisor." in jo.signing.who.value
    assert jo.sign("supervisor") is None and "Not signed: your role (practitioner) does not allow" in \
        jo.sign_message.value


def test_on_a_team_a_forged_signing_is_refused_and_the_named_people_sign_as_themselves(db):
    rid = write_ready_session(session_app(db, NADIA))

    # the handler called directly, as a widget message sent by hand would call it
    sam = opened(db, SAM, rid)
    assert sam.sign("supervisor", SUPERVISOR) is None
    assert "Not signed: only Nadia Brook, the session&#39;s supervisor, can sign as supervisor." in \
        sam.sign_message.value
    anita = opened(db, ANITA, rid)
    assert anita.sign("supervisor", SUPERVISOR) is None  # a typed name counts for nothing on a team's database
    assert "Not signed: only Nadia Brook, the session&#39;s supervisor, can sign as supervisor" in \
        anita.sign_message.value
    jo = opened(db, JO, rid)
    assert jo.sign("worker") is None and "only Sam Okafor" in jo.sign_message.value
    assert records.sessions(jo.store, "fenwick")[-1].model.signatures == []  # nothing was signed

    nadia = opened(db, NADIA, rid)
    nadia.signing.buttons["supervisor"].click()
    assert "Signed by Nadia Brook as supervisor" in nadia.sign_message.value, nadia.sign_message.value
    assert list(nadia.signing.buttons) == [] and "Signed as supervisor by Nadia Brook" in nadia.signing.who.value

    sam = opened(db, SAM, rid)
    button = sam.signing.buttons["worker"]
    button.click()
    signed = records.sessions(sam.store, "fenwick")[-1].model
    assert signed.is_locked and [(s.who, s.role) for s in signed.signatures] == [
        (SUPERVISOR, "supervisor"), (WORKER, "worker")]
    # a click on a disabled button still runs its handler (ipywidgets): the locked record takes nothing
    button.disabled = True
    button.click()
    assert records.sessions(sam.store, "fenwick")[-1].model.signatures == signed.signatures
    assert sam.store.history(rid)[-1].created_by == "sam.okafor"  # the author as the database recorded it


def test_on_a_team_the_wellbeing_notes_are_read_by_the_two_people_only(db):
    rid = write_ready_session(session_app(db, NADIA))
    for person in (NADIA, SAM):
        app = opened(db, person, rid)
        assert app.form.wellbeing.value == WELLBEING and app.form.wellbeing.layout.display is None
    for person in (JO, ANITA):
        app = opened(db, person, rid)
        assert app.form.wellbeing.value == "" and app.form.wellbeing.layout.display == "none"
        assert html.unescape(app.form.wellbeing_note.value) == (
            "<p>Only the session's supervisor and worker can read this (Nadia Brook and Sam Okafor).</p>")
        app.form.stages["analysis"].value = "Anita's note on the analysis, saved without the notes."
        assert app.save() is not None
    assert records.wellbeing(Store.open(db), records.sessions(Store.open(db), "fenwick")[-1], WORKER) == WELLBEING
    sam = opened(db, SAM, rid)  # the worker, signed in as a username the notes do not name, may change them
    sam.form.wellbeing.value = "Better this month."
    assert sam.save() is not None
    assert records.wellbeing(sam.store, records.sessions(sam.store, "fenwick")[-1], SUPERVISOR) == "Better this month."


def test_one_person_still_signs_for_either_by_typing_the_name(db):
    app = session_app(db, Person(SUPERVISOR, SUPERVISOR, ONE_PERSON))
    assert app.signing.name is not None and list(app.signing.buttons) == ["supervisor", "worker"]
    write_ready_session(app)
    app.signing.name.value = WORKER
    app.signing.buttons["worker"].click()
    assert "Signed by Sam Okafor as worker" in app.sign_message.value

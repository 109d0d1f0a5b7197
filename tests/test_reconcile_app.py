"""The reconciliation app (issue 15, items 4 and 5): nothing of anyone's coding until every coder has finished,
then the two codings side by side with the disagreements marked (and only those, when asked), the agreed coding
recorded with its required reason and both originals kept, and the review's agreement with the rare-code warning."""

import html
import re

import ipywidgets as w
import pytest
from research_fixtures import TEXT, two_coder_database
from test_coding_app import code, opened, shown_text, widgets

from neglect_kit.apps.reconcile import DIFFER, ReconcileApp
from neglect_kit.research import coding_records
from neglect_kit.research.passages import passages
from neglect_kit.store import Store
from neglect_kit.store.identity import PRACTITIONER, Person
from neglect_kit.ui.roles import RoleApp


@pytest.fixture
def db(tmp_path):
    return two_coder_database(tmp_path)


def coded_by_both(db: str, finish_b: bool = True) -> None:
    """coder_a and coder_b code R90: the same on P3.S2, differently on P4.S2 and P2.S1, one rare code (P5.S4, by
    coder_a alone; `unknown-man` used on no other passage)."""
    a = opened(db, "coder_a")
    code(a, "P3.S2", "child-unseen")
    code(a, "P4.S2", "optimism")
    code(a, "P2.S1", "neglect-nutritional")
    code(a, "P6.S4", "unknown-man")
    a.finish_button.click()
    a.confirm_button.click()
    b = opened(db, "coder_b")
    code(b, "P3.S2", "child-unseen")
    code(b, "P4.S2", "optimism", "disguised-compliance")
    code(b, "P2.S1", "neglect-nutritional", "cumulative-harm")
    if finish_b:
        b.finish_button.click()
        b.confirm_button.click()


def reconcile_app(db: str, user: str = "coder_a") -> ReconcileApp:
    app = ReconcileApp.open(Store.open(db, user=user))
    assert isinstance(app, ReconcileApp), shown_text(app)
    app.review_picker.value = "R90"
    return app


def test_before_every_coder_finishes_it_says_who_has_not_and_shows_no_coding(db):
    coded_by_both(db, finish_b=False)
    for user in ("coder_a", "coder_b"):
        app = reconcile_app(db, user)
        assert "R90: The Quill children (waiting for coder_b)" in [label for label, _ in app.review_picker.options]
        said = re.sub(r"<[^>]+>", "", shown_text(app))
        assert "Not ready to reconcile. coder_b has not finished coding R90." in said
        assert "Nothing of anyone's coding of it is shown until every coder has finished." in said
        assert app.work.layout.display == "none" and app.table.value == "" and app.agreement.value == ""
        for words in ("Professional optimism", "Disguised compliance", "Cumulative harm", "Coded by"):
            assert words not in said
    # coder_a, finished, still sees nothing of coder_b's work in the coding app either
    a = opened(db, "coder_a")
    assert "Disguised compliance" not in html.unescape(a.text.value)
    assert {c.coder for c in coding_records.codings(a.store, "R90")} == {"coder_a"}


def test_once_both_finish_the_codings_are_side_by_side_with_the_disagreements_marked(db):
    coded_by_both(db)
    app = reconcile_app(db)
    table = html.unescape(app.table.value)
    assert '<th scope="col">Coded by coder_a</th><th scope="col">Coded by coder_b</th>' in table
    assert table.count('class="nk-differ"') == 3  # P2.S1, P4.S2, P6.S4: "Differ" in words as well
    assert "<td>P4.S2</td><td>Differ</td>" in table and "<td>P3.S2</td><td>Same</td>" in table
    assert "<td>Professional optimism</td><td>Disguised compliance; Professional optimism</td>" in table or \
        "<td>Professional optimism</td><td>Professional optimism; Disguised compliance</td>" in table
    assert f"Every passage ({len(passages(TEXT))}); 3 coded differently" in table
    app.show.value = DIFFER
    only = html.unescape(app.table.value)
    assert only.count("<tr") - 1 == 3 and "P3.S2" not in only and "3 passages coded differently" in only
    # the passages to reconcile: the disagreements first
    assert [v for _, v in app.passage_picker.options][:3] == ["P2.S1", "P4.S2", "P6.S4"]
    assert "3 passages of" in app.readiness.value


def test_the_agreed_coding_needs_a_reason_and_keeps_both_originals(db):
    coded_by_both(db)
    app = reconcile_app(db, "lead")  # anyone who reads the corpus may record it
    app.passage_picker.value = "P4.S2"
    assert app.checklist.chosen == ("optimism",)  # what both applied, to start from
    app.checklist.boxes["disguised-compliance"].value = True
    app.save_button.click()
    assert "Not recorded: the reason is required." in app.save_message.value
    assert "say why this is the agreed coding" in app.reason_error.value
    assert coding_records.reconciliations(app.store, "R90") == []
    app.reason.value = "The father's account was accepted and the plan closed: both codes apply."
    app.save_button.click()
    assert "Recorded the agreed coding of P4.S2" in html.unescape(app.save_message.value)
    [agreed] = coding_records.reconciliations(app.store, "R90")
    assert (agreed.passage_id, agreed.codes, agreed.created_by) == ("P4.S2", ("disguised-compliance", "optimism"),
                                                                    "lead")
    kept = {(c.coder, c.passage_id): c.codes for c in coding_records.codings(app.store, "R90")}
    assert kept[("coder_a", "P4.S2")] == ("optimism",)
    assert kept[("coder_b", "P4.S2")] == ("disguised-compliance", "optimism")
    table = html.unescape(app.table.value)
    assert "(reason: The father's account was accepted and the plan closed: both codes apply.)" in table
    assert "P4.S2 (reconciled)" in [label.split(":")[0] for label, _ in app.passage_picker.options]
    # a second page, opened before, does not overwrite it silently
    other = reconcile_app(db, "coder_b")
    app.passage_picker.value = "P4.S2"
    app.checklist.boxes["disguised-compliance"].value = False
    app.reason.value = "On reflection, optimism alone."
    app.save_button.click()
    other.passage_picker.value = "P4.S2"
    other.reason.value = "Both, as agreed at the meeting."
    other.save_button.click()
    assert "was reconciled by lead since this page read it" in html.unescape(other.save_message.value)
    assert coding_records.reconciliations(app.store, "R90")[0].codes == ("optimism",)


def test_the_agreement_table_warns_in_words_where_a_rare_code_misleads(db):
    coded_by_both(db)
    app = reconcile_app(db)
    shown = html.unescape(app.agreement.value)
    assert "<h2>Agreement on this review</h2>" in shown
    assert ('<th scope="col">Code</th><th scope="col">Passages</th><th scope="col">Agreement</th>'
            '<th scope="col">Kappa</th><th scope="col">Alpha</th>') in shown
    total = len(passages(TEXT))
    row = shown.split("<td>The man in the household unknown to services</td>", 1)[1].split("</tr>", 1)[0]
    assert f"<td>{total}</td>" in row and "yes, see below" in row
    assert "The man in the household unknown to services:</strong> Rare code:" in shown
    assert "not defined (no coder used it)" in shown  # a code neither used: never 0 or 1
    assert "<td>Drift and delay</td>" in shown


def test_a_practitioner_is_told_the_corpus_is_for_researchers(db):
    person = Person("sam.okafor", "Sam Okafor", PRACTITIONER, "north")
    app = ReconcileApp.open(Store.open(db, user=person.username), person)
    assert isinstance(app, RoleApp)
    said = shown_text(app)
    assert "Reconciling two codings is not open to your role" in said and "for researchers" in said
    assert "Your work is in the case apps listed on the start page." in said
    assert not [x for x in widgets(app.widget) if isinstance(x, (w.Button, w.Dropdown, w.Textarea, w.Checkbox))]


def test_every_control_of_both_apps_can_be_read(db):
    from ipywidgets.widgets.widget_description import DescriptionWidget

    coded_by_both(db)
    for app in (opened(db, "coder_a"), reconcile_app(db)):
        found = list(widgets(app.widget))
        assert not [b.description for b in found if isinstance(b, w.Button) and b.button_style in
                    ("warning", "success", "info")]
        cut = [c.description for c in found if isinstance(c, DescriptionWidget) and c.description
               and not isinstance(c, (w.Button, w.Checkbox, w.ToggleButtons))
               and getattr(c.style, "description_width", "initial") not in ("initial", "") and len(c.description) > 22]
        assert not cut, f"labels cut short: {cut}"
        assert not [c.description for c in found if isinstance(c, (w.Dropdown, w.Select)) and c.options
                    and c.index is None]
        assert all(c.description for c in found if isinstance(c, (w.Dropdown, w.Select, w.Textarea, w.Checkbox)))

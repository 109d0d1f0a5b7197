"""The coding app driven as a coder drives it (issue 15, items 3 and 4): choose a review, code a sentence or a
whole paragraph, write memos, finish after a confirmation; every save a versioned coding with its coder; each
coder blind to the other's work; a role that may not read the reviews told so, with no control built."""

import html

import ipywidgets as w
import pytest
from research_fixtures import TEXT, two_coder_database

from neglect_kit.apps.coding import PARAGRAPH, CodingApp
from neglect_kit.research import coding_records, review_records
from neglect_kit.research.passages import passages
from neglect_kit.store import Store
from neglect_kit.store.identity import ADMINISTRATOR, PRACTITIONER, RESEARCHER, SUPERVISOR, Person
from neglect_kit.ui.guard import GUARDED
from neglect_kit.ui.roles import RoleApp

CONTROLS = (w.Button, w.Dropdown, w.Text, w.Textarea, w.Checkbox, w.ToggleButtons, w.RadioButtons, w.Select)


@pytest.fixture
def db(tmp_path):
    return two_coder_database(tmp_path)


def widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from widgets(child)


def shown_text(app) -> str:
    return html.unescape(" ".join(x.value for x in widgets(app.widget) if isinstance(x, w.HTML)))


def opened(db: str, coder: str, review_id: str = "R90") -> CodingApp:
    app = CodingApp.open(Store.open(db, user=coder))
    assert isinstance(app, CodingApp), shown_text(app)
    app.review_picker.value = review_id
    return app


def code(app: CodingApp, passage_id: str, *codes: str, paragraph: bool = False) -> None:
    """Choose a passage, tick exactly `codes`, click Save, as a coder does."""
    app.unit.value = PARAGRAPH if paragraph else "sentence"
    app.passage_picker.value = passage_id
    for box in app.codes.boxes.values():
        box.value = False
    for c in codes:
        app.codes.boxes[c].value = True
    app.save_button.click()


def finished_by(store: Store, review_id: str, coder: str) -> bool:
    assigned = review_records.review(store, review_id).coder(coder)
    return assigned is not None and assigned.finished_at is not None


def test_the_reviews_are_listed_the_coders_own_first_with_progress(db, tmp_path):
    from research_fixtures import review

    lead = Store.open(db, user="lead")
    # before R90 by id, assigned to nobody
    review_records.load_reviews(lead, [review("R05", title="An earlier review")])
    app = CodingApp(Store.open(db, user="coder_a"))
    values = [v for _, v in app.review_picker.options if v]
    assert values == ["R90", "R05", "R91"]  # coder_a's review first, then the rest in order
    total = len(passages(TEXT))
    assert app.review_picker.options[1][0] == f"R90: The Quill children (assigned to you, 0 of {total} passages coded)"
    table = html.unescape(app.progress_table.value)
    assert f"<td>R90</td><td>The Quill children</td><td>yes</td><td>0 of {total}</td><td>not yet</td>" in table
    assert "<td>R91</td><td>The Rook family</td><td>no</td>" in table
    assert app.work.layout.display == "none" and not app.work.children  # built when a review is chosen


def test_the_text_is_shown_in_paragraphs_and_sentences_with_offsets_kept(db):
    app = opened(db, "coder_a")
    found = passages(TEXT)
    assert [v for _, v in app.passage_picker.options] == [p.id for p in found]
    assert app.passage_picker.options[2][0].startswith("P2.S2 (not coded): Her brother Bo was six.")
    text = html.unescape(app.text.value)
    assert text.count('<p class="nk-paragraph">') == len({p.paragraph for p in found})
    for p in found:
        assert p.text in text and TEXT[p.start:p.end] == p.text
    app.passage_picker.value = "P3.S2"
    assert app.unit_passages() == [next(p for p in found if p.id == "P3.S2")]
    assert "Chosen: P3.S2" in app.chosen.value and "[chosen] " in app.text.value
    app.unit.value = PARAGRAPH
    assert [p.id for p in app.unit_passages()] == ["P3.S1", "P3.S2", "P3.S3"]
    assert "Chosen: paragraph 3 (3 sentences)" in app.chosen.value


def test_each_save_is_a_new_version_with_its_coder_and_the_passage_is_marked_in_words(db):
    app = opened(db, "coder_a")
    code(app, "P3.S2", "child-unseen")
    assert "Saved The child not seen or heard for P3.S2." in html.unescape(app.save_message.value)
    code(app, "P3.S2", "child-unseen", "drift")
    mine = [c for c in coding_records.codings(app.store, "R90", all_versions=True) if c.passage_id == "P3.S2"]
    assert [(c.coder, c.version, tuple(c.codes)) for c in mine] == [
        ("coder_a", 1, ("child-unseen",)), ("coder_a", 2, ("child-unseen", "drift"))]
    p = next(p for p in passages(TEXT) if p.id == "P3.S2")
    assert (mine[-1].start, mine[-1].end) == (p.start, p.end)
    # coded: marked in words beside the passage as well as by colour, and in the passage list
    text = html.unescape(app.text.value)
    assert 'class="nk-passage nk-coded' in text and "[coded: The child not seen or heard; Drift and delay]" in text
    assert {v: k for k, v in app.passage_picker.options}["P3.S2"].startswith("P3.S2 (coded)")
    # the same codes again make no new version
    code(app, "P3.S2", "child-unseen", "drift")
    assert "Nothing changed for P3.S2." in app.save_message.value
    assert len([c for c in coding_records.codings(app.store, "R90", all_versions=True) if c.passage_id == "P3.S2"]) == 2
    # progress, on this page and on the next
    total = len(passages(TEXT))
    assert f"<td>1 of {total}</td>" in app.progress_table.value
    assert f"1 of {total} passages coded" in CodingApp(Store.open(db, user="coder_a")).review_picker.options[1][0]
    # cleared: a new version with no code, the passage no longer marked
    code(app, "P3.S2")
    assert coding_records.codings(app.store, "R90")[-1].codes == ()
    assert "nk-coded" not in app.text.value


def test_a_whole_paragraph_gives_its_codes_to_each_of_its_sentences(db):
    app = opened(db, "coder_a")
    code(app, "P4.S2", "optimism", "parental-alcohol", paragraph=True)
    assert "for the 3 sentences of paragraph 4" in html.unescape(app.save_message.value)
    current = {c.passage_id: tuple(c.codes) for c in coding_records.codings(app.store, "R90")}
    assert current == dict.fromkeys(("P4.S1", "P4.S2", "P4.S3"), ("optimism", "parental-alcohol"))
    # one sentence changed: the paragraph's ticks are what every sentence has, and it says they differ
    code(app, "P4.S1", "parental-alcohol")
    app.unit.value = PARAGRAPH
    assert app.codes.chosen == ("parental-alcohol",) and "coded differently now" in app.chosen.value


def test_each_coder_sees_only_their_own_coding(db):
    a = opened(db, "coder_a")
    code(a, "P3.S2", "child-unseen")
    b = opened(db, "coder_b")
    assert "nk-coded" not in b.text.value and "not seen or heard]" not in html.unescape(b.text.value)
    assert all("(not coded)" in label for label, _ in b.passage_picker.options)
    b.passage_picker.value = "P3.S2"
    assert b.codes.chosen == ()
    assert f"<td>0 of {len(passages(TEXT))}</td>" in b.progress_table.value
    assert [c.coder for c in coding_records.codings(b.store, "R90")] == []  # the records refuse them too


def test_two_windows_of_one_coder_never_overwrite_each_other(db):
    first, second = opened(db, "coder_a"), opened(db, "coder_a")
    code(first, "P2.S1", "neglect-nutritional")
    code(second, "P2.S1", "cumulative-harm")
    said = html.unescape(second.save_message.value)
    assert "P2.S1 was coded in another window since this page read it" in said and 'role="alert"' in said
    assert [tuple(c.codes) for c in coding_records.codings(second.store, "R90")] == [("neglect-nutritional",)]
    assert second.codes.chosen == ("neglect-nutritional",)  # the other window's coding is shown now


def test_memos_on_the_review_a_passage_and_a_code_are_versioned(db):
    app = opened(db, "coder_a")
    app.memo.value = "Optimism runs through the whole review."
    app.memo_button.click()
    assert "Memo saved (version 1)." in app.memo_message.value
    app.passage_picker.value = "P4.S2"
    app.memo_target.value = "passage:"
    assert app.memo.value == ""
    app.memo.value = "Accepted without checking: optimism, or disguised compliance?"
    app.memo_button.click()
    app.memo_target.value = "code:optimism"
    app.memo.value = "Use only where a professional's belief is stated."
    app.memo_button.click()
    assert "Memo saved (version 1)." in app.memo_message.value, app.memo_message.value
    again = opened(db, "coder_a")
    assert again.memo.value == "Optimism runs through the whole review."  # the review's memo, shown first
    again.memo.value += " Also drift."
    again.memo_button.click()
    assert "version 2" in again.memo_message.value
    again.memo_target.value = "code:optimism"
    assert again.memo.value == "Use only where a professional's belief is stated."
    again.memo.value = "  "
    again.memo_button.click()
    assert "The memo is empty" in again.memo_message.value
    assert opened(db, "coder_b").memo.value == ""  # a coder's memos are their own


def test_finishing_asks_first_and_then_nothing_more_can_be_coded(db):
    app = opened(db, "coder_a")
    code(app, "P3.S2", "child-unseen")
    app.finish_button.click()
    assert app.confirm_box.layout.display is None
    assert f"{len(passages(TEXT)) - 1} passages of {len(passages(TEXT))} carry no code" in html.unescape(
        app.confirm_text.value)
    app.cancel_button.click()  # not yet
    assert app.confirm_box.layout.display == "none" and not finished_by(app.store, "R90", "coder_a")
    app.finish_button.click()
    app.confirm_button.click()
    assert finished_by(app.store, "R90", "coder_a")
    assert "You have finished R90" in app.finish_message.value
    assert app.save_button.disabled and all(b.disabled for b in app.codes.boxes.values())
    assert app.save() == [] and "not finished" in app.save_message.value
    again = opened(db, "coder_a")
    assert "You have finished it" in again.about.value and again.save_button.disabled
    assert "finished" in again.review_picker.options[1][0]


def test_the_definitions_are_one_click_away_beside_the_codes(db):
    app = opened(db, "coder_a")
    book = coding_records.codebook(app.store)
    defs = html.unescape(app.definitions.value)
    for c in book.leaves():
        assert f"<summary>{c.name}</summary>" in defs and c.definition in defs
        assert app.codes.boxes[c.id].description == c.name
    assert set(app.codes.boxes) == {c.id for c in book.leaves()}  # a group is a heading, never a box
    row = next(x for x in widgets(app.widget) if isinstance(x, w.HBox) and app.definitions in x.children)
    assert row.children[1] is app.definitions  # beside the codes, after them and their Save in the Tab order
    assert row.children[0].children == (app.codes.widget, app.save_button, app.save_message)


def test_every_action_runs_through_the_guard(db):
    app = opened(db, "coder_a")
    for button in (x for x in widgets(app.widget) if isinstance(x, w.Button)):
        handlers = button._click_handlers.callbacks
        assert handlers and all(hasattr(h, GUARDED) for h in handlers), button.description


@pytest.mark.parametrize("person", [Person("sam.okafor", "Sam Okafor", PRACTITIONER, "north"),
                                    Person("nadia.brook", "Nadia Brook", SUPERVISOR, "north"),
                                    Person("omar.said", "Omar Said", ADMINISTRATOR)], ids=lambda p: p.role)
def test_a_role_that_may_not_read_the_reviews_gets_a_statement_and_no_control(db, person):
    app = CodingApp.open(Store.open(db, user=person.username), person)
    assert isinstance(app, RoleApp)
    text = shown_text(app)
    assert "Coding reviews is not open to your role" in text
    assert "This app shows the review corpus, which is for researchers" in text
    assert f"your role ({person.role}) does not allow you to read anonymised reviews and extracts" in text
    assert "Quill" not in text and not [x for x in widgets(app.widget) if isinstance(x, CONTROLS)]
    assert "Coding reviews" in app.header.widget.value and "Chronology" not in app.header.widget.value
    researcher = Person("rhea.patel", "Rhea Patel", RESEARCHER)
    assert isinstance(CodingApp.open(Store.open(db, user="rhea.patel"), researcher), CodingApp)


def test_the_research_apps_name_themselves_and_link_each_other(db):
    import nbformat

    from neglect_kit.ui import navigation as nav

    notebooks = nav.Path(__file__).resolve().parents[1] / "notebooks"
    for notebook, name in nav.RESEARCH_APPS:
        assert nbformat.read(notebooks / notebook, as_version=4).metadata["title"] == f"{name} \u00b7 neglect-kit"
    app = CodingApp.open(Store.open(db, user="coder_a"))
    header = app.header.widget.value
    assert 'href="/voila/render/research/reconcile.ipynb">Reconciling two codings</a>' in header
    assert "Chronology" not in header and "?case=" not in header  # a research page carries no case
    index = nbformat.read(notebooks / "index.ipynb", as_version=4).cells[0].source
    for notebook, name in nav.RESEARCH_APPS:
        assert f"[{name}]({notebook})" in index


def test_on_ones_own_kit_a_review_not_assigned_is_taken_to_code_and_on_a_team_it_is_only_read(db):
    app = opened(db, "coder_a", "R91")
    assert "It is not assigned to you: take it to code it" in app.about.value
    assert app.save_button.disabled and app.take_button.layout.display is None
    app.take_button.click()
    assert "R91 is assigned to you" in app.status.value and app.take_button.layout.display == "none"
    assert [c.coder for c in review_records.review(app.store, "R91").coders] == ["coder_a"]
    code(app, "P2.S1", "neglect-nutritional")
    assert "Saved Nutritional neglect for P2.S1." in app.save_message.value
    # a researcher on a team's server is given reviews by an administrator: no button, said why
    rhea = CodingApp(Store.open(db, user="rhea"), person=Person("rhea", "Rhea Patel", RESEARCHER))
    rhea.review_picker.value = "R91"
    assert "so you may read it but not code it" in html.unescape(rhea.about.value)
    assert rhea.take_button.layout.display == "none" and rhea.save_button.disabled

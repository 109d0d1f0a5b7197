"""The research store through `research.review_records`, `coding_records` and `finished_codings`, on SQLite and on
PostgreSQL (one person's own database, where the store keeps the rules itself): loading reviews, blind double coding,
finishing, stale saves, memos, reconciliation, the codebook and importing finished codings. A team's PostgreSQL keeps
the same rules again: test_research_db.py."""

from __future__ import annotations

import pytest
from research_corpus import TEXTS, corpus

from neglect_kit.research import coding_records, finished_codings, review_records
from neglect_kit.research.codebook import Codebook
from neglect_kit.research.passages import passages
from neglect_kit.store import Forbidden, NotFound, Store, StoreError

pytestmark = pytest.mark.both_databases


@pytest.fixture
def lead(db_url, tmp_path) -> Store:
    """The database's one user, who loads the corpus and assigns coder_a and coder_b to T01."""
    store = Store.open(db_url, user="lead", create=True)
    assert review_records.load_reviews(store, corpus(tmp_path / "reviews")) == ["T01: loaded", "T02: loaded"]
    for coder in ("coder_a", "coder_b"):
        assert review_records.assign(store, "T01", coder)
    yield store
    store.engine.dispose()


def coder(db_url: str, name: str) -> Store:
    return Store.open(db_url, user=name)


def passage(review: str, pid: str):
    return next(p for p in passages(TEXTS[review]) if p.id == pid)


def seen(store: Store, review: str = "T01") -> set[tuple[str, str, tuple[str, ...]]]:
    return {(c.coder, c.passage_id, c.codes) for c in coding_records.codings(store, review)}


def test_reviews_load_once_and_a_changed_document_under_a_loaded_id_is_refused(lead, tmp_path):
    again = corpus(tmp_path / "again")
    assert review_records.load_reviews(lead, again) == ["T01: already loaded", "T02: already loaded"]
    changed = corpus(tmp_path / "changed", {"T03": "A new review.\n", "T02": "Another text altogether.\n"})
    with pytest.raises(StoreError, match=r"^review T02: T02.md differs from the document loaded as T02"):
        review_records.load_reviews(lead, changed)
    assert [r.id for r in review_records.reviews(lead)] == ["T01", "T02"]  # all or none: T03 not loaded either
    stored = review_records.review(lead, "T01")
    assert stored.text == TEXTS["T01"] and stored.meta["parental_alcohol"] == "yes"
    assert [c.coder for c in stored.coders] == ["coder_a", "coder_b"] and not stored.unblinded
    with pytest.raises(NotFound, match=r"no review 'T09' \(reviews: T01, T02\)"):
        review_records.review(lead, "T09")


def test_each_coder_sees_only_their_own_codings_and_memos_until_every_coder_has_finished(lead, db_url):
    a, b = coder(db_url, "coder_a"), coder(db_url, "coder_b")
    coding_records.save_coding(a, "T01", passage("T01", "P2.S1"), ["child-unseen"], 0)
    coding_records.save_coding(b, "T01", passage("T01", "P2.S1"), ["child-unseen", "disguised-compliance"], 0)
    coding_records.save_memo(a, "passage", "P2.S1", "Seen through the door only?", 0, review_id="T01")
    coding_records.save_memo(b, "review", "T01", "Mother's account taken at face value.", 0)
    assert seen(a) == {("coder_a", "P2.S1", ("child-unseen",))}
    assert seen(b) == {("coder_b", "P2.S1", ("child-unseen", "disguised-compliance"))}
    assert [m.coder for m in coding_records.memos(a, "T01")] == ["coder_a"]
    assert [m.coder for m in coding_records.memos(b, "T01")] == ["coder_b"]
    assert seen(lead) == set()  # not a coder of it: nothing until it is finished
    review_records.finish(a, "T01")
    assert seen(a) == {("coder_a", "P2.S1", ("child-unseen",))}  # coder_b has not finished
    assert len(seen(b)) == 1 and len(coding_records.memos(a, "T01")) == 1
    review_records.finish(b, "T01")
    both = {("coder_a", "P2.S1", ("child-unseen",)), ("coder_b", "P2.S1", ("child-unseen", "disguised-compliance"))}
    assert seen(a) == seen(b) == seen(lead) == both
    assert {m.coder for m in coding_records.memos(a, "T01")} == {"coder_a", "coder_b"}
    assert review_records.review(a, "T01").unblinded


def test_only_an_assigned_coder_codes_or_finishes_and_a_finished_coding_is_closed(lead, db_url):
    a, c = coder(db_url, "coder_a"), coder(db_url, "coder_c")
    for attempt in (lambda: coding_records.save_coding(c, "T01", passage("T01", "P2.S1"), ["drift"], 0),
                    lambda: review_records.finish(c, "T01")):
        with pytest.raises(Forbidden, match=r"^you are not assigned to code review T01"):
            attempt()
    coding_records.save_coding(a, "T01", passage("T01", "P3.S2"), ["escalation"], 0)
    review_records.finish(a, "T01")
    with pytest.raises(Forbidden, match=r"^you marked review T01 finished on .*: your coding of it is closed$"):
        coding_records.save_coding(a, "T01", passage("T01", "P3.S2"), ["escalation", "optimism"], 1)
    with pytest.raises(Forbidden, match="finished"):
        review_records.finish(a, "T01")
    assert seen(a) == {("coder_a", "P3.S2", ("escalation",))}
    # a memo may still be written after finishing
    assert coding_records.save_memo(a, "passage", "P3.S2", "Escalation was discussed but not made.", 0,
                                    review_id="T01") == 1
    assert [r.id for r in review_records.my_reviews(a)] == ["T01"] and review_records.my_reviews(c) == []


def test_a_save_from_a_version_no_longer_current_is_refused_and_both_kept(lead, db_url):
    a = coder(db_url, "coder_a")
    here = passage("T01", "P3.S1")
    assert coding_records.save_coding(a, "T01", here, ["optimism"], 0) == 1
    with pytest.raises(coding_records.StaleSave, match=r"^your coding of passage P3.S1 of review T01 was saved by "
                       r"coder_a at .* \(now version 1\) after you opened version 0") as err:
        coding_records.save_coding(a, "T01", here, ["drift"], 0)  # a second tab, opened before the first saved
    assert err.value.current.codes == ("optimism",) and err.value.yours == ["drift"]
    assert coding_records.save_coding(a, "T01", here, [], 1) == 2  # cleared
    assert seen(a) == {("coder_a", "P3.S1", ())}
    assert [c.version for c in coding_records.codings(a, "T01", all_versions=True)] == [1, 2]
    assert coding_records.save_memo(a, "code", "optimism", "Hope stood in for evidence.", 0) == 1
    with pytest.raises(coding_records.StaleSave, match="your memo on code optimism"):
        coding_records.save_memo(a, "code", "optimism", "Other words", 0)
    assert [m.text for m in coding_records.memos(a)] == ["Hope stood in for evidence."]
    assert coding_records.memos(coder(db_url, "coder_b")) == []  # a code's memo is its writer's


@pytest.mark.parametrize(("codes", "passage_id", "says"), [
    (["no-such-code"], "P2.S1", "'no-such-code' is not in the codebook"),
    (["practice"], "P2.S1", "'practice' is a group of codes: apply the codes under it"),
    (["drift"], "P9.S1", "review T01 has no passage P9.S1"),
])
def test_codes_and_passages_are_checked(lead, db_url, codes, passage_id, says):
    a = coder(db_url, "coder_a")
    wanted = passage("T02", "P1.S1") if passage_id == "P9.S1" else passage("T01", passage_id)
    if passage_id == "P9.S1":
        wanted = type(wanted)("P9.S1", 9, 1, wanted.start, wanted.end, wanted.text)
    with pytest.raises(StoreError, match=says):
        coding_records.save_coding(a, "T01", wanted, codes, 0)
    assert seen(a) == set()


def test_a_reconciliation_waits_for_every_coder_needs_a_reason_and_keeps_both_originals(lead, db_url):
    a, b = coder(db_url, "coder_a"), coder(db_url, "coder_b")
    coding_records.save_coding(a, "T01", passage("T01", "P3.S1"), ["optimism"], 0)
    coding_records.save_coding(b, "T01", passage("T01", "P3.S1"), ["drift"], 0)
    review_records.finish(a, "T01")
    with pytest.raises(Forbidden, match=r"^review T01 is reconciled once every coder has finished it: coder_b has "
                                        "not$"):
        coding_records.reconcile(a, "T01", "P3.S1", ["optimism"], "hope without evidence", 0)
    review_records.finish(b, "T01")
    with pytest.raises(StoreError, match="say why"):
        coding_records.reconcile(a, "T01", "P3.S1", ["optimism"], "  ", 0)
    assert coding_records.reconcile(a, "T01", "P3.S1", ["optimism", "drift"], "both: hope, then months of delay",
                                    0) == 1
    with pytest.raises(coding_records.StaleSave, match=r"the reconciliation of passage P3\.S1"):
        coding_records.reconcile(b, "T01", "P3.S1", ["drift"], "delay only", 0)
    [agreed] = coding_records.reconciliations(lead, "T01")
    assert (agreed.codes, agreed.reason, agreed.created_by) == (("drift", "optimism"),
                                                                "both: hope, then months of delay", "coder_a")
    assert seen(lead) == {("coder_a", "P3.S1", ("optimism",)), ("coder_b", "P3.S1", ("drift",))}
    with pytest.raises(Forbidden, match="review T02 has no coders yet"):
        coding_records.reconcile(a, "T02", "P1.S1", ["start-again"], "clear", 0)


def test_a_finished_coder_stays_assigned(lead, db_url):
    review_records.finish(coder(db_url, "coder_a"), "T01")
    with pytest.raises(StoreError, match=r"coder_a finished review T01 on .*: a finished coding stands"):
        review_records.unassign(lead, "T01", "coder_a")
    review_records.unassign(lead, "T01", "coder_b")
    assert [c.coder for c in review_records.review(lead, "T01").coders] == ["coder_a"]
    with pytest.raises(NotFound, match=r"coder_b is not assigned to review 'T01'"):
        review_records.unassign(lead, "T01", "coder_b")
    assert not review_records.assign(lead, "T01", "coder_a")  # assigned already
    with pytest.raises(NotFound, match="no review 'T09'"):
        review_records.assign(lead, "T09", "coder_a")


def test_the_codebook_is_the_default_until_one_is_saved_and_keeps_codes_in_use(lead, db_url):
    default = coding_records.codebook(lead)
    assert "child-unseen" in default and "neglect-medical" in default
    a = coder(db_url, "coder_a")
    coding_records.save_coding(a, "T01", passage("T01", "P2.S1"), ["child-unseen"], 0)
    fewer = Codebook(tuple(c for c in default.codes if c.id != "no-chronology"))
    assert coding_records.save_codebook(a, fewer) == 1
    assert "no-chronology" not in coding_records.codebook(lead)
    without = Codebook(tuple(c for c in fewer.codes if c.id != "child-unseen"))
    with pytest.raises(StoreError, match="the codebook leaves out child-unseen, already applied to passages"):
        coding_records.save_codebook(a, without)
    assert coding_records.codebook(lead) == fewer


def _rows(*lines: str) -> list[dict[str, str]]:
    keys = ("review_id", "passage_id", "start", "end", "coder", "code")
    return [dict(zip(keys, line.split(","), strict=True)) for line in lines]


def test_finished_codings_are_imported_whole_with_their_coders(lead):
    p, q = passage("T02", "P1.S1"), passage("T02", "P1.S2")
    good = _rows(f"T02,P1.S1,{p.start},{p.end},coder_a,drift", f"T02,P1.S1,{p.start},{p.end},coder_a,start-again",
                 f"T02,P1.S2,{q.start},{q.end},coder_b,start-again")
    bad = [*good, *_rows(f"T02,P1.S2,{q.start},{q.end + 1},coder_b,drift")]
    with pytest.raises(StoreError, match=r"^sample.csv line 5: passage P1.S2 of review T02 is at \d+-\d+, not"):
        finished_codings.import_codings(lead, bad, "sample.csv")
    assert coding_records.codings(lead, "T02") == []  # nothing of it imported
    assert finished_codings.import_codings(lead, good, "sample.csv") == [
        "T02: coder_a's codings of 1 passages imported (finished)",
        "T02: coder_b's codings of 1 passages imported (finished)"]
    assert seen(lead, "T02") == {("coder_a", "P1.S1", ("drift", "start-again")), ("coder_b", "P1.S2", ("start-again",))}
    assert review_records.review(lead, "T02").unblinded
    assert finished_codings.import_codings(lead, good, "sample.csv")[0] == ("T02: coder_a's codings already there; "
                                                                            "left as they are")
    r = passage("T01", "P2.S1")
    with pytest.raises(StoreError, match=r"sample\.csv line 2: 'nope' is not in the codebook"):
        finished_codings.import_codings(lead, _rows(f"T01,P2.S1,{r.start},{r.end},coder_a,nope"), "sample.csv")

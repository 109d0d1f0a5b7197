"""The one reader of stored records as models: the current version of each record of a kind, validated."""

from dataclasses import dataclass

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from neglect_kit.store import Stored, current_models

pytestmark = pytest.mark.both_databases


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str


@dataclass(frozen=True)
class StoredNote(Stored[Note]):
    @property
    def note(self) -> Note:
        return self.model


def test_the_current_version_of_each_record_of_the_kind_in_the_order_saved(store, case):
    first = store.create("note", case, {"text": "Ruby was late to school."})
    second = store.create("note", case, {"text": "Ruby's coat was wet through."})
    store.create("other", case, {"text": "not a note"})
    store.update(first.record_id, 1, {"text": "Ruby was late to school (third time this week)."})
    store.withdraw(second.record_id, 1, "written on the wrong case")
    [kept] = current_models(store, "note", case, Note)
    assert (kept.record_id, kept.version, kept.model) == (first.record_id, 2,
                                                         Note(text="Ruby was late to school (third time this week)."))
    every = current_models(store, "note", case, Note, include_withdrawn=True)
    assert [(s.record.status, s.model.text) for s in every] == [
        ("active", "Ruby was late to school (third time this week)."), ("withdrawn", "Ruby's coat was wet through.")]
    with store.transaction() as conn:  # inside a write, the transaction's own view
        store.create("note", case, {"text": "Seen by the school nurse."}, conn=conn)
        assert len(current_models(store, "note", case, Note, conn=conn)) == 2
    assert current_models(store, "note", "nowhere", Note) == []


def test_a_holder_names_the_model_its_own_way_and_a_record_that_is_not_the_model_is_refused(store, case):
    store.create("note", case, {"text": "Ruby said she had no breakfast."})
    [held] = current_models(store, "note", case, Note, holder=StoredNote)
    assert isinstance(held, StoredNote) and held.note.text == "Ruby said she had no breakfast."
    store.create("note", case, {"words": "not a note's shape"})
    with pytest.raises(ValidationError):
        current_models(store, "note", case, Note)

"""A review's facts (research/review_schema.py): each field checked, each refusal one line naming file and field."""

from datetime import date
from pathlib import Path

import pytest

from neglect_kit.research.review_schema import (
    PARENTAL_FACTORS,
    ReviewError,
    ReviewMeta,
    load_meta,
    meta_from_dict,
)
from neglect_kit.validators import Strict

GOOD = {
    "review_id": "R07", "title": "Rapid review: Baby Ada", "review_type": "rapid review", "year_published": 2020,
    "region": "London", "year_of_incident": 2019, "outcome": "died", "cause_group": "neglect", "age_band": "1-5",
    "sex": "male", "number_of_children": 2, "harm_types": ["neglect"], "neglect_presentation": [],
    "status_at_time": "child in need", "ever_known_to_social_care": True, "agencies_involved": ["police"],
    "parental_alcohol": "yes", "parental_drugs": "no", "parental_mental_health": "not stated", "domestic_abuse": "no",
    "document": "R07.md",
}
META = Path("reviews/R07.toml")


def refusal(**change):
    body = {k: v for k, v in {**GOOD, **change}.items() if v is not ...}
    with pytest.raises(ReviewError) as caught:
        meta_from_dict(body, META, today=date(2026, 6, 1))
    return str(caught.value)


def test_a_good_review_is_read_whole_and_the_model_is_strict():
    meta = meta_from_dict(GOOD, META, today=date(2026, 6, 1))
    assert meta.review_id == "R07" and meta.harm_types == ["neglect"] and meta.citation is None
    assert issubclass(ReviewMeta, Strict)


@pytest.mark.parametrize(("change", "message"), [
    ({"year_of_incident": 2021}, "R07.toml: year_of_incident: 2021 is after year_published 2020"),
    ({"year_of_incident": 2031, "year_published": 2031},
     "R07.toml: year_published: must be a year from 1990 to 2026 (not 2031)"),
    ({"year_published": "2020"}, "R07.toml: year_published: must be a year from 1990 to 2026 (not '2020')"),
    ({"outcome": "dead"}, "R07.toml: outcome: 'dead' is not one of: died, serious harm"),
    ({"review_type": "case review"}, "R07.toml: review_type: 'case review' is not one of: serious case review, "
     "local child safeguarding practice review, rapid review, national review"),
    ({"harm_types": []}, "R07.toml: harm_types: names no harm type: give at least one"),
    ({"harm_types": ["neglect", "bullying"]}, "R07.toml: harm_types: item 2: 'bullying' is not one of: neglect, "
     "physical abuse, emotional abuse, sexual abuse, criminal exploitation"),
    ({"neglect_presentation": ["dental"]}, "R07.toml: neglect_presentation: item 1: 'dental' is not one of: medical, "
     "nutritional, emotional, educational, physical, lack of supervision"),
    ({"harm_types": ["neglect", "neglect"]}, "R07.toml: harm_types: names neglect more than once"),
    ({"number_of_children": 0}, "R07.toml: number_of_children: must be a whole number of children, 1 or more (not 0)"),
    ({"ever_known_to_social_care": "yes"}, "R07.toml: ever_known_to_social_care: must be true or false (not 'yes')"),
    ({"status_at_time": "never known"},
     "R07.toml: ever_known_to_social_care: is true, but status_at_time is 'never known'"),
    ({"parental_alcohol": True}, "R07.toml: parental_alcohol: 'True' is not one of: yes, no, not stated"),
    ({"domestic_abuse": "unknown"}, "R07.toml: domestic_abuse: 'unknown' is not one of: yes, no, not stated"),
    ({"agencies_involved": []}, "R07.toml: agencies_involved: must be a list of agencies' names"),
    ({"title": "  "}, "R07.toml: title: must be text, not blank"),
    ({"document": "../R07.md"},
     "R07.toml: document: must be the name of a file beside the metadata file, not a path (not '../R07.md')"),
    ({"document": "R07.rtf"}, "R07.toml: document: 'R07.rtf' is not a document the kit reads: .md, .txt, .docx, .pdf"),
    ({"review_id": "R08"}, "R07.toml: review_id: 'R08' is not the file's name 'R07' (a review's id is the stem of "
     "its metadata file)"),
    ({"review_id": "R 07"}, "R07.toml: review_id: 'R 07' is not a review id: letters, digits, '-' and '_', up to 64, "
     "starting with a letter or digit"),
    ({"outcome": ..., "sex": ...}, "R07.toml: outcome: missing: every review gives it (also missing: sex)"),
])
def test_each_wrong_field_is_named_in_one_line(change, message):
    assert refusal(**change) == message


def test_an_unknown_field_is_named_with_the_one_it_was_likely_meant_to_be():
    message = refusal(yer_published=2020)
    assert message.startswith("R07.toml: yer_published: not a field of a review (did you mean year_published?); "
                              "the fields are review_id, title,")
    assert "\n" not in message


def test_the_four_parental_factors_are_four_fields_never_one():
    assert set(PARENTAL_FACTORS) <= set(ReviewMeta.model_fields)
    assert not {"toxic_trio", "parental_factors"} & set(ReviewMeta.model_fields)
    message = refusal(toxic_trio="yes")
    assert message.startswith("R07.toml: toxic_trio: not a field of a review")


def test_a_toml_syntax_error_names_its_line(tmp_path):
    path = tmp_path / "R07.toml"
    path.write_text('review_id = "R07"\ntitle = "A review\n', encoding="utf-8")
    with pytest.raises(ReviewError) as caught:
        load_meta(path)
    assert str(caught.value).startswith("R07.toml: not readable TOML: ")
    assert "line 2" in str(caught.value)


def test_a_metadata_file_not_in_utf8_is_refused_in_one_line(tmp_path):
    path = tmp_path / "R07.toml"
    path.write_bytes('title = "Caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(ReviewError, match=r"^R07\.toml: not UTF-8 text \(byte 0xe9 at position 12\): save it as UTF-8"):
        load_meta(path)

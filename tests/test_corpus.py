"""The review corpus (research/corpus.py) and the shipped sample corpus with its two coders' codings."""

import csv
import hashlib
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from neglect_kit.research import review_schema as schema
from neglect_kit.research.corpus import CorpusError, read_corpus, read_review, scan_corpus
from neglect_kit.research.passages import passages
from neglect_kit.research.review_schema import ReviewError

REVIEWS = Path(__file__).resolve().parent.parent / "sample_cases" / "reviews"
DATA = Path(__file__).resolve().parent / "data"
# the default codebook's ids, as the design fixes them (the sample codings use exactly these)
CODE_IDS = {
    "child-unseen", "adult-focus", "optimism", "disguised-compliance", "start-again", "drift", "escalation",
    "information-sharing", "supervision", "no-chronology", "parental-alcohol", "parental-drugs",
    "parental-mental-health", "domestic-abuse", "unknown-man", "cumulative-harm", "neglect-medical",
    "neglect-nutritional", "neglect-emotional", "neglect-educational", "neglect-physical", "neglect-supervision",
}


@pytest.fixture(scope="module")
def corpus():
    return read_corpus(REVIEWS)


@pytest.fixture(scope="module")
def codings():
    with (REVIEWS / "sample_codings.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_shipped_corpus_loads_whole_in_every_format(corpus):
    assert len(corpus) >= 24
    assert [r.meta.review_id for r in corpus] == sorted(r.meta.review_id for r in corpus)
    formats = Counter(Path(r.source_name).suffix for r in corpus)
    assert formats[".docx"] >= 2 and formats[".pdf"] >= 2 and formats[".md"] + formats[".txt"] >= 18
    for review in corpus:
        assert 500 <= len(review.text.replace("#", " ").split()) <= 1200, review.meta.review_id
        assert review.sha256 == hashlib.sha256((REVIEWS / review.source_name).read_bytes()).hexdigest()
        assert "fictional" in (review.meta.citation or "").lower()


def test_the_corpus_uses_every_value_of_the_schema(corpus):
    metas = [r.meta for r in corpus]
    for field, values in [("review_type", schema.REVIEW_TYPES), ("region", schema.REGIONS),
                          ("outcome", schema.OUTCOMES), ("cause_group", schema.CAUSE_GROUPS),
                          ("age_band", schema.AGE_BANDS), ("sex", schema.SEXES),
                          ("status_at_time", schema.STATUSES)]:
        assert {getattr(m, field) for m in metas} == set(values), field
    for factor in schema.PARENTAL_FACTORS:
        assert {getattr(m, factor) for m in metas} == set(schema.FACTOR_ANSWERS), factor
    assert {h for m in metas for h in m.harm_types} == set(schema.HARM_TYPES)
    assert {n for m in metas for n in m.neglect_presentation} == set(schema.NEGLECT_PRESENTATIONS)
    assert any(not m.neglect_presentation for m in metas) and {m.ever_known_to_social_care for m in metas} == {
        True, False}
    years = {m.year_published for m in metas}
    assert min(years) <= 2012 and max(years) >= 2025 and len(years) >= 10


def test_one_review_follows_the_founding_reviews_themes(corpus):
    (founding,) = [r for r in corpus if r.meta.review_id == "R24"]
    meta, text = founding.meta, founding.text
    assert (meta.number_of_children, meta.parental_alcohol, meta.status_at_time, meta.cause_group) == (
        2, "yes", "child protection plan", "neglect")
    for theme in ("never named as a risk", "plainly loved the children", "escalation policy was never used",
                  "drifted to the adults' needs"):
        assert theme in text


def test_the_sample_codings_name_passages_as_the_passages_cut_them(corpus, codings):
    by_id = {r.meta.review_id: {p.id: p for p in passages(r.text)} for r in corpus}
    assert list(codings[0]) == ["review_id", "passage_id", "start", "end", "coder", "code", "passage_text"]
    for row in codings:
        passage = by_id[row["review_id"]][row["passage_id"]]
        assert (passage.start, passage.end, passage.text) == (int(row["start"]), int(row["end"]), row["passage_text"])
        assert row["code"] in CODE_IDS
    assert {row["code"] for row in codings} == CODE_IDS  # every branch of the codebook is used


def test_two_coders_code_every_review_but_one_and_disagree_as_real_coders_do(corpus, codings):
    coded = defaultdict(set)
    sets = defaultdict(set)
    for row in codings:
        coded[row["review_id"]].add(row["coder"])
        sets[(row["review_id"], row["passage_id"], row["coder"])].add(row["code"])
    ids = {r.meta.review_id for r in corpus}
    assert set(coded) == ids - {"R01"} and all(c == {"coder_a", "coder_b"} for c in coded.values())
    keys = {(r, p) for r, p, _ in sets}
    differ = sum(sets[(r, p, "coder_a")] != sets[(r, p, "coder_b")] for r, p in keys)
    assert 0.10 <= differ / len(keys) <= 0.20
    rare = {(r, p, c) for (r, p, c), codes in sets.items() if "unknown-man" in codes}
    both = {(r, p) for r, p, c in rare if (r, p, "coder_a") in rare and (r, p, "coder_b") in rare}
    assert len(rare) <= 8 and len(both) == 1  # a rare code with little overlap: high agreement, low kappa


def copy_of(tmp_path, *ids):
    for review_id in ids:
        for path in REVIEWS.glob(f"{review_id}.*"):
            shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_a_review_is_read_with_its_document_beside_it(tmp_path):
    review = read_review(copy_of(tmp_path, "R04") / "R04.toml")
    assert review.source_name == "R04.docx" and review.text.startswith("Serious case review: the Marsh children\n\n")


def test_every_bad_file_is_reported_and_the_good_ones_still_read(tmp_path):
    folder = copy_of(tmp_path, "R02", "R03", "R05", "R06", "R07")
    (folder / "R03.txt").unlink()  # a TOML naming a missing document
    (folder / "R05.pdf").write_bytes((DATA / "scanned_review.pdf").read_bytes())  # a scanned document
    (folder / "R06.toml").write_text((folder / "R06.toml").read_text().replace("2019", "2024"))
    (folder / "R30.md").write_text("A review nobody described.")  # a document with no TOML
    (folder / "r07.toml").write_text((folder / "R07.toml").read_text().replace('"R07"', '"r07"'))
    scan = scan_corpus(folder, today=None)
    assert [r.meta.review_id for r in scan.reviews] == ["R02", "R07"]
    assert [str(p) for p in scan.problems] == [
        f"R03.toml: document: R03.txt is not in {folder}: put the document beside the metadata file, "
        "or correct its name",
        "R05.pdf: looks scanned: its 1 page(s) are images with no text layer; run it through OCR first and load the "
        "PDF that gives text",
        "R06.toml: year_of_incident: 2024 is after year_published 2020",
        "r07.toml: document: R07.md is already the document of R07.toml: each review has its own",
        "R30.md: no metadata file names it: add R30.toml beside it with the review's facts",
    ]
    with pytest.raises(CorpusError) as caught:
        read_corpus(folder)
    assert str(caught.value).splitlines() == [str(p) for p in scan.problems]


def test_ids_differing_only_in_case_are_refused(tmp_path):
    folder = copy_of(tmp_path, "R07")
    shutil.copy(folder / "R07.md", folder / "copy.md")
    (folder / "r07.toml").write_text((folder / "R07.toml").read_text().replace('"R07"', '"r07"').replace(
        "R07.md", "copy.md"))
    with pytest.raises(CorpusError, match=r"^r07\.toml: review_id: 'r07' is the id of R07 apart from case"):
        read_corpus(folder)


def test_a_folder_that_is_not_there_is_named(tmp_path):
    with pytest.raises(CorpusError, match=r"^nowhere: no such folder of reviews$"):
        read_corpus(tmp_path / "nowhere")


def test_a_bad_review_alone_raises_its_own_one_line_error(tmp_path):
    folder = copy_of(tmp_path, "R02")
    (folder / "R02.toml").write_text((folder / "R02.toml").read_text() + 'colour = "red"\n')
    with pytest.raises(ReviewError, match=r"^R02\.toml: colour: not a field of a review"):
        read_review(folder / "R02.toml")

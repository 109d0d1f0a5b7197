"""A folder of case reviews read whole: each `<id>.toml` of facts with the document it names beside it.

`scan_corpus` reads every review it can and collects a one-line problem for each it cannot, so a
researcher sees every bad file at once; `read_corpus` is the strict door (the command line's `reviews
load`): the reviews, or a `CorpusError` listing every problem, so a corpus is never loaded half.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .documents import read_document
from .review_schema import DOCUMENT_SUFFIXES, Review, ReviewError, load_meta

__all__ = ["CorpusError", "CorpusScan", "Review", "ReviewError", "read_corpus", "read_review", "scan_corpus"]


class CorpusError(ValueError):
    """A corpus with problems: `problems` holds each as a `ReviewError`; `str()` is one line per problem."""

    def __init__(self, folder: Path, problems: list[ReviewError]) -> None:
        self.folder = folder
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class CorpusScan:
    """What a folder gave: the reviews read whole, and a problem for each file that could not be."""

    reviews: list[Review] = field(default_factory=list)
    problems: list[ReviewError] = field(default_factory=list)


def read_review(meta_path: Path, *, today: date | None = None) -> Review:
    """The review whose facts are in `meta_path`, with the text of the document it names beside it.

    Raises:
        ReviewError: a field is wrong (naming it), the document is missing (naming both files) or
            cannot be read (naming the document).
    """
    meta_path = Path(meta_path)
    meta = load_meta(meta_path, today=today)
    document = meta_path.parent / meta.document
    if not document.is_file():
        raise ReviewError(meta_path, "document", f"{meta.document} is not in {meta_path.parent}: put the document "
                          "beside the metadata file, or correct its name")
    text = read_document(document)
    return Review(meta=meta, text=text, source_name=document.name,
                  sha256=hashlib.sha256(document.read_bytes()).hexdigest())


def scan_corpus(folder: Path, *, today: date | None = None) -> CorpusScan:
    """Every review in `folder` (each `*.toml` there, in name order) and every problem found.

    Besides each review's own problems: a document no metadata file names, two metadata files naming
    one document, and two review ids that differ only in case (one file on some file systems) are each
    a problem; in a pair, the later file is the one refused.
    """
    folder = Path(folder)
    scan = CorpusScan()
    if not folder.is_dir():
        scan.problems.append(ReviewError(folder, None, "no such folder of reviews"))
        return scan
    claimed: dict[str, Path] = {}  # a document's name (lower case) -> the metadata file naming it
    ids: dict[str, str] = {}
    for meta_path in sorted(folder.glob("*.toml")):
        try:
            review = read_review(meta_path, today=today)
        except ReviewError as problem:
            scan.problems.append(problem)
            if problem.field == "document":
                continue
            claimed.setdefault(_named_document(meta_path), meta_path)  # not reported again as unnamed
            continue
        key = review.source_name.lower()
        if key in claimed:
            scan.problems.append(ReviewError(meta_path, "document", f"{review.source_name} is already the document "
                                             f"of {claimed[key].name}: each review has its own"))
            continue
        if (same := ids.get(review.meta.review_id.lower())) is not None:
            scan.problems.append(ReviewError(meta_path, "review_id", f"'{review.meta.review_id}' is the id of "
                                             f"{same} apart from case: each review needs its own id"))
            continue
        claimed[key] = meta_path
        ids[review.meta.review_id.lower()] = review.meta.review_id
        scan.reviews.append(review)
    for document in sorted(folder.iterdir()):
        if document.suffix.lower() in DOCUMENT_SUFFIXES and document.name.lower() not in claimed:
            scan.problems.append(ReviewError(document, None, f"no metadata file names it: add {document.stem}.toml "
                                             "beside it with the review's facts"))
    return scan


def read_corpus(folder: Path, *, today: date | None = None) -> list[Review]:
    """Every review in `folder`, in id order, or nothing.

    Raises:
        CorpusError: one or more files are wrong; it lists every problem, one line each.
    """
    scan = scan_corpus(folder, today=today)
    if scan.problems:
        raise CorpusError(Path(folder), scan.problems)
    return scan.reviews


def _named_document(meta_path: Path) -> str:
    """The document a metadata file that failed its checks names, if that much can be read (lower case)."""
    try:
        named = tomllib.loads(meta_path.read_text(encoding="utf-8")).get("document")
    except (OSError, ValueError):
        named = None
    return named.lower() if isinstance(named, str) else f"{meta_path.stem}.?"

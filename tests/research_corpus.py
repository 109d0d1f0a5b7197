"""A small fictional corpus for the research store's tests: two reviews written in a temporary folder and read as a
researcher's folder is (`corpus.read_corpus`)."""

from __future__ import annotations

from pathlib import Path

from neglect_kit.research.corpus import Review, read_corpus

FACTS = """review_id = "{id}"
title = "Fictional review {id}"
review_type = "rapid review"
year_published = {year}
region = "North West"
year_of_incident = 2019
outcome = "{outcome}"
cause_group = "neglect"
age_band = "1-5"
sex = "female"
number_of_children = 1
harm_types = ["neglect"]
neglect_presentation = ["nutritional"]
status_at_time = "child in need"
ever_known_to_social_care = true
agencies_involved = ["Health visiting"]
parental_alcohol = "yes"
parental_drugs = "no"
parental_mental_health = "not stated"
domestic_abuse = "no"
document = "{id}.md"
citation = "Fictional review written for neglect-kit"
"""

TEXTS = {
    "T01": "# Learning\n\nThe child was not seen at the last three visits. Her mother said she was asleep.\n\n"
           "Workers hoped things would improve. No one escalated the concern.\n",
    "T02": "The family moved twice in a year. Each new worker started again.\n",
}


def write_corpus(folder: Path, texts: dict[str, str] = TEXTS,
                 facts: dict[str, dict[str, object]] | None = None) -> Path:
    """Write the reviews' facts and documents into `folder`; returns it.

    `facts` gives a review its own year published and outcome (`{"T01": {"year": 2020, "outcome": "died"}}`);
    the others are published in 2022 after serious harm.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for rid, text in texts.items():
        given = {"year": 2022, "outcome": "serious harm", **(facts or {}).get(rid, {})}
        (folder / f"{rid}.toml").write_text(FACTS.format(id=rid, **given), encoding="utf-8")
        (folder / f"{rid}.md").write_text(text, encoding="utf-8")
    return folder


def corpus(folder: Path, texts: dict[str, str] = TEXTS) -> list[Review]:
    return read_corpus(write_corpus(folder, texts))

"""A small fictional review and a database where two coders are assigned to it, for the research apps' tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

from neglect_kit.research import review_records
from neglect_kit.research.review_schema import Review, meta_from_dict
from neglect_kit.store import Store

# written for these tests; every person in it is invented
TEXT = """# Learning review of the Quill children (fictional)

Ada Quill was four when she was admitted to hospital with severe malnutrition. Her brother Bo was six.

The health visitor called at the home twice in the spring. On neither visit were the children seen. Nobody asked why.

Mr Quill told the social worker that his drinking had stopped. The worker accepted this without checking. The plan \
was closed in June.

A new worker started in July. She did not read the file. The school reported that Bo came in hungry. The report was \
not passed on.

No professional escalated the concerns. Supervision did not discuss the children. The children's weight was not \
recorded after March. The man living in the home was not known to any agency.
"""

META = {"title": "The Quill children", "review_type": "local child safeguarding practice review",
        "year_published": 2024, "region": "North West", "year_of_incident": 2023, "outcome": "serious harm",
        "cause_group": "neglect", "age_band": "1-5", "sex": "female", "number_of_children": 2,
        "harm_types": ["neglect"], "neglect_presentation": ["nutritional"], "status_at_time": "child in need",
        "ever_known_to_social_care": True, "agencies_involved": ["health visiting", "school"],
        "parental_alcohol": "yes", "parental_drugs": "not stated", "parental_mental_health": "no",
        "domestic_abuse": "not stated", "document": "R90.md",
        "citation": "Fictional review written for neglect-kit"}


def review(review_id: str = "R90", text: str = TEXT, title: str = "The Quill children") -> Review:
    meta = meta_from_dict({**META, "review_id": review_id, "title": title, "document": f"{review_id}.md"},
                          Path(f"{review_id}.toml"))
    return Review(meta=meta, text=text, source_name=f"{review_id}.md",
                  sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())


def two_coder_database(tmp_path: Path) -> str:
    """An SQLite database holding R90 (coders `coder_a` and `coder_b`) and R91 (assigned to no one); its URL."""
    url = f"sqlite:///{tmp_path / 'research.sqlite'}"
    lead = Store.open(url, user="lead", create=True)
    review_records.load_reviews(lead, [review("R90"), review("R91", title="The Rook family")])
    for coder in ("coder_a", "coder_b"):
        review_records.assign(lead, "R90", coder)
    lead.engine.dispose()
    return url

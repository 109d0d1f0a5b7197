"""Every finding for a 10,000-entry case, against pandas loading the same entries into a DataFrame."""

from __future__ import annotations

import json
import random
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from _common import CASE_ID, CHILDREN, SLOW, best_of, result_line
from bench_store import _sqlite, entry_bodies

from neglect_kit.analysis.analyse import case_findings
from neglect_kit.analysis.case_data import load_case
from neglect_kit.chronology.model import ENTRY_KIND
from neglect_kit.config import Settings
from neglect_kit.store import NewRecord, Store

ENTRIES = 10_000
GOAL = 5.0
TODAY = date(2023, 1, 1)  # fixed, so the findings (and the work behind them) are the same every run
MOTHER = ("mum", "Donna Hale")
# `_common.agency_return` writes alcohol words ("mum sounded intoxicated", "dad had been drinking")
# but none for drugs, mental health or domestic abuse; one entry in four gets one of these
# sentences as well, present, ruled out, denied, about someone else or misspelt, so that every
# factor's term list and every reading of the matcher has work.
EXTRA = ["Donna said she has stopped drinking.", "Dad admitted using cannabis at the weekends.",
         "Mum's low mood and anxiety continue; the GP is reviewing her antidepressants.",
         "Police attended a domestic incident overnight and a DASH was completed.",
         "No drugs or alcohol were seen in the home.", "Donna denies any drug use.",
         "The neighbour's boyfriend is known to deal heroin.", "Mum has been depresed since the winter.",
         "Mum was worried about the alchohol her partner keeps in the house.",
         "Donna told the worker she doesn't drink any more.", "A needle was found on the stairs.",
         "Dad threw a mug at mum in front of the children."]


def case_bodies(n: int, seed: int = 5) -> list[dict[str, Any]]:
    """`bench_store.entry_bodies(n)`, one description in four with a sentence of `EXTRA` added."""
    rng = random.Random(seed)
    bodies = entry_bodies(n)
    for body in bodies:
        if rng.random() < 0.25:
            body["description"] = f"{body['description']} {rng.choice(EXTRA)}"
    return bodies


def build_case(url: str, n: int) -> Store:
    """A store holding the benchmark case: Ruby, Jack and their mother, three plans each, `n` entries."""
    store = Store.open(url, user="bench", create=True)
    store.create_case(CASE_ID, "Benchmark case")
    for c in CHILDREN:
        store.add_person(CASE_ID, c.id, kind="child", name=c.name, date_of_birth=c.date_of_birth)
    store.add_person(CASE_ID, MOTHER[0], kind="adult", name=MOTHER[1], relationships={c.id: "mother" for c in CHILDREN})
    for c in CHILDREN:
        # a long child-in-need plan, a protection plan within a year of its end (re-referral) and a
        # second one still open (repeat plan, long plan); none names parental alcohol use, and
        # mental health is named only in the last, years after the records first show it
        store.add_plan(CASE_ID, c.id, type="child_in_need", start=date(2014, 3, 1), end=date(2016, 6, 1),
                       risk_factors=["home_conditions", "health_neglect"])
        store.add_plan(CASE_ID, c.id, type="child_protection", category="neglect", start=date(2017, 1, 9),
                       end=date(2018, 7, 2), risk_factors=["home_conditions", "supervision"])
        store.add_plan(CASE_ID, c.id, type="child_protection", category="neglect", start=date(2020, 5, 4),
                       risk_factors=["home_conditions", "parental_mental_health", "education"])
    store.create_many(ENTRY_KIND, CASE_ID, [NewRecord(b) for b in case_bodies(n)])
    return store


def main(n: int = ENTRIES) -> list[str]:
    """Time case_findings(load_case(...)) and load_case alone against read_sql + json_normalize."""
    cfg = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        store = build_case(f"sqlite:///{Path(tmp)}/analysis.sqlite", n)
        raw = _sqlite(Path(store.engine.url.database or ""))

        def floor() -> pd.DataFrame:
            # the least any analysis must do: the current entries' JSON out of the same file, into a frame
            bodies = pd.read_sql(
                "SELECT r.body FROM records r JOIN record_heads h "
                "ON h.record_id = r.record_id AND h.version = r.version "
                "WHERE h.kind = ? AND h.case_id = ? AND h.status = 'active' ORDER BY r.row_id",
                raw, params=(ENTRY_KIND, CASE_ID))
            frame = pd.json_normalize([json.loads(b) for b in bodies["body"]])
            assert len(frame) == n
            return frame

        def loaded() -> None:
            assert len(load_case(store, CASE_ID, cfg, TODAY).entries) == n

        def findings() -> None:
            assert sum(len(c.findings) for c in case_findings(load_case(store, CASE_ID, cfg, TODAY)))

        floor_time, load_time, took = best_of(floor, loaded, findings, repeat=SLOW)
        raw.close()
        store.engine.dispose()
    return [result_line(f"case_findings(load_case), {n:,} entries, 2 children", took, floor_time, GOAL),
            result_line(f"load_case alone, {n:,} entries", load_time, floor_time, None)]


if __name__ == "__main__":
    main()

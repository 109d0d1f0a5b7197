"""Checking and importing a 100,000-row agency return, against pandas reading the same CSV."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from _common import CASE_ID, CHILDREN, FAST, SLOW, agency_return, bench_context, best_of, result_line

from neglect_kit.chronology.importer import check_return
from neglect_kit.chronology.intake import ReturnFile, import_returns
from neglect_kit.chronology.merge import find_duplicates
from neglect_kit.config import Settings
from neglect_kit.store import Store

ROWS = 100_000
CHECK_GOAL = 3.0


def _fresh_store(folder: Path, n: int) -> Store:
    """A new SQLite store holding the benchmark case and its two children."""
    store = Store.open(f"sqlite:///{folder}/b{n}.sqlite", user="bench", create=True)
    store.create_case(CASE_ID, "Benchmark case")
    for c in CHILDREN:
        store.add_person(CASE_ID, c.id, kind="child", name=c.name, date_of_birth=c.date_of_birth)
    return store


def main(rows: int = ROWS) -> list[str]:
    """Time check_return and import_returns on a generated return; print and return the lines."""
    settings = Settings()
    ctx = bench_context(settings)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "return.csv"
        agency_return(rows).to_csv(path, index=False)

        def check() -> None:
            result = check_return(path.read_bytes(), path.name, ctx)
            assert len(result.entries) == rows, "the generated return should be all valid"

        def check_and_build() -> None:  # what an import goes on to do: every row's body, each one looked at
            result = check_return(path.read_bytes(), path.name, ctx)
            assert all(row.body for row in result.entries)

        floor, checked, built = best_of(lambda: pd.read_csv(path), check, check_and_build, repeat=FAST)
        # the goal is for the whole pipeline, bodies built at its end; the check alone is informative
        lines = [result_line(f"check_return, {rows:,} rows (bodies not yet built)", checked, floor, None),
                 result_line(f"check_return and every row's body, {rows:,} rows", built, floor, CHECK_GOAL)]

        pairs = [(f"r{i}", row.entry) for i, row in enumerate(check_return(path.read_bytes(), path.name, ctx).entries)]
        found: list[int] = []
        [linking] = best_of(lambda: found.append(len(find_duplicates(pairs, [], settings))), repeat=1)
        lines.append(result_line(f"find_duplicates, {rows:,} rows ({found[0]:,} linked)", linking, floor, None))

        stores = iter(range(SLOW))
        links: list[int] = []

        def imported(store: Store) -> None:
            report = import_returns(store, CASE_ID, [ReturnFile.from_path(path)], settings=settings)
            assert report.written == rows, report.text()[:500]
            links.append(len(report.links))
            store.engine.dispose()

        # a fresh store each round; past a minute one round is enough for an informative line
        [full] = best_of((lambda: _fresh_store(folder, next(stores)), imported), repeat=SLOW, budget=60)
        lines.append(result_line(f"import_returns into SQLite, {rows:,} rows ({links[0]:,} linked as "
                                 "duplicates)", full, floor, None))
    return lines


if __name__ == "__main__":
    main()

"""The chronology app's anonymised view of a 10,000-entry case, against its named view, in the same run.

Two lines, each timed cold (the case's scrubber dropped before each round, so every text is scrubbed again
and the Presidio analyzer built again; Presidio itself is imported before the rounds, as a kernel imports
it once):

- the app redrawn in the anonymised view (table, every text of the case scrubbed, timeline drawn) against
  the same redraw in the named view (the goal: the anonymised view must not make the app slow);
- `views.present` of all 10,000 entries, anonymised against named: the scrubbing alone, informative (the
  named view only relabels the children, so this ratio is large by nature).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _common import CASE_ID, SLOW, best_of, result_line
from bench_analysis import build_case

from neglect_kit.anonymise import ANONYMISED, NAMED
from neglect_kit.apps.chronology import ChronologyApp
from neglect_kit.chronology.views import present
from neglect_kit.pseudonymise import engine

ENTRIES = 10_000
GOAL = 1.5


def main(n: int = ENTRIES) -> list[str]:
    """Time the anonymised view's redraw and `present` against the named view's; print and return the lines."""
    with tempfile.TemporaryDirectory() as tmp:
        store = build_case(f"sqlite:///{Path(tmp)}/view.sqlite", n)
        app = ChronologyApp(store)
        app.select_case(CASE_ID)
        assert len(app.frame) == n
        app.view.value = ANONYMISED  # imports Presidio once, as a kernel does on the first anonymised view

        def view(value: str) -> tuple:
            def setup() -> None:
                app.view.value = value
                engine._CACHE.clear()  # cold: the scrubber is built and every text scrubbed again

            return setup, lambda _: app.refresh_view()

        def presented(value: str) -> tuple:
            return (engine._CACHE.clear,
                    lambda _: present(app.frame, app.people, value, whole=app.frame, places=app.places))

        named, anonymised, named_present, anonymised_present = best_of(
            view(NAMED), view(ANONYMISED), presented(NAMED), presented(ANONYMISED), repeat=SLOW)
        store.engine.dispose()
    return [result_line(f"chronology app redrawn in the anonymised view, {n:,} entries (vs the named view)",
                        anonymised, named, GOAL),
            result_line(f"views.present anonymised, {n:,} entries (vs named; the scrubbing alone)",
                        anonymised_present, named_present, None)]


if __name__ == "__main__":
    main()

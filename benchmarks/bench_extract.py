"""A pseudonymised extract of a 10,000-entry case, against Presidio's own analyzer and anonymizer run over the
same texts with the same recognizers.

The measured job is the whole `research.extract.take` plus building its files in memory (`Extract.files`):
reading the case, its findings, labels, every free-text cell scrubbed by the engine, dates moved, the
residual-risk report, the log, the CSV and JSON. The floor is the least the scrubbing alone needs: the same
texts (captured from a run of the extract; each distinct text once, as the least any scrubbing must do),
each through `AnalyzerEngine.analyze` then `AnonymizerEngine.anonymize`: the very engines and operators
of the scrubber the extract built (Presidio's no-op NLP engine, no language model), one call per text as
Presidio's documentation does it.
The engine's cache of scrubbers is emptied before each round, so every round builds its scrubber again.

The extract also works out every finding of the case (as `neglect-kit analyse` does), which the floor does
not: a third line times `case_findings(load_case(...))` alone against the same floor, so the share of the
extract that is scrubbing, and the share that is the analysis (whose own goal is in `bench_analysis`), can
be read off the same run.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _common import CASE_ID, SLOW, best_of, result_line
from bench_analysis import ENTRIES, TODAY, build_case

from neglect_kit.analysis.analyse import case_findings
from neglect_kit.analysis.case_data import load_case
from neglect_kit.pseudonymise import engine
from neglect_kit.research.extract import take

GOAL = 1.5
KEY = b"the benchmark's own fictional key"


def _extract(store) -> int:
    extract = take(store, [CASE_ID], min_k=1, reason="benchmark", key=KEY, today=TODAY)
    return sum(len(data) for data in extract.files().values())


def main(n: int = ENTRIES) -> list[str]:
    """Time the extract and the Presidio floor; print and return the lines."""
    with tempfile.TemporaryDirectory() as tmp:
        store = build_case(f"sqlite:///{Path(tmp)}/extract.sqlite", n)
        texts: list[str] = []
        scrubbers: list[engine.Scrubber] = []
        real_warm, real_for_case = engine.Scrubber.warm, engine.Scrubber.for_case.__func__

        def capture(self, values):  # every text the engine is given goes through `warm`
            texts.extend(v for v in values if v and v.strip())
            return real_warm(self, values)

        def built(cls, *args, **kwargs):
            scrubbers.append(real_for_case(cls, *args, **kwargs))
            return scrubbers[-1]

        engine._CACHE.clear()
        engine.Scrubber.warm, engine.Scrubber.for_case = capture, classmethod(built)
        try:
            _extract(store)
        finally:
            engine.Scrubber.warm, engine.Scrubber.for_case = real_warm, classmethod(real_for_case)
        # the very Presidio engines the extract's scrubber built: its AnalyzerEngine (registry, no-op NLP
        # engine, context enhancer) and AnonymizerEngine, with its operators
        scrubber = scrubbers[0]
        analyzer, anonymizer, operators = scrubber._analyzer, scrubber._anonymizer, scrubber._operators
        unique = list(dict.fromkeys(texts))

        def floor() -> None:
            for text in unique:
                anonymizer.anonymize(text, analyzer.analyze(text, language="en"), operators)

        def measured() -> None:
            engine._CACHE.clear()
            assert _extract(store)

        def findings() -> None:
            assert case_findings(load_case(store, CASE_ID, today=TODAY))

        floor_time, took, analysis = best_of(floor, measured, findings, repeat=SLOW, budget=600)
        store.engine.dispose()
    return [result_line(f"extract of a {n:,}-entry case, findings included ({len(unique):,} distinct texts)",
                        took, floor_time, GOAL),
            result_line(f"its findings alone (case_findings(load_case)), {n:,} entries", analysis, floor_time, None)]


if __name__ == "__main__":
    main()

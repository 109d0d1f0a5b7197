"""Run every benchmark (each `bench_*.py` here) in turn and print its result lines (`make bench`).

Each line is a ratio against a floor timed in the same run; a ratio over its goal is
reported as OVER but does not fail the run, since a noisy machine can push one over.
"""

from __future__ import annotations

import importlib
import time
from pathlib import Path


def main() -> int:
    """Import each benchmark module and call its `main()`; return the exit status (always 0)."""
    start = time.perf_counter()
    # found rather than listed, so a new benchmark runs without anyone editing this file
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        print(f"# {path.stem}", flush=True)
        importlib.import_module(path.stem).main()
    print(f"# all benchmarks ran in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

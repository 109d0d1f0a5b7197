"""Run every benchmark in turn and print its result lines (`make bench`).

Each line is a ratio against a floor timed in the same run; a ratio over its goal is
reported as OVER but does not fail the run, since a noisy machine can push one over.
"""

from __future__ import annotations

import time

import bench_import
import bench_store

BENCHMARKS = (bench_import, bench_store)


def main() -> int:
    """Run the benchmarks; return the exit status (always 0)."""
    start = time.perf_counter()
    for module in BENCHMARKS:
        print(f"# {module.__name__}", flush=True)
        module.main()
    print(f"# all benchmarks ran in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Ten people saving chronology entries at once on a team's PostgreSQL database, against one person saving alone.

Each person is a login role of their own (a practitioner assigned to a case of their own, row-level security and the
triggers of `neglect-kit server init` in force) in a process of their own, as each person's kernel is on a team's
server. All ten wait at a barrier, then each saves ENTRIES entries one at a time (`Store.create`: one transaction,
the record and its head, read back after commit). The floor is one of them saving the same entries alone on the same
database. Every time is one save's; the line compares the 95th percentiles. Then every save is counted in the
database: a save that said "saved" and is not there fails the benchmark.

The PostgreSQL server is the tests' throwaway one (`tests/pg_server.py`): a unix socket, no fsync.
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from _common import result_line
from bench_store import entry_bodies

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from pg_server import PostgresServer, find_bindir, unavailable

from neglect_kit.chronology.model import ENTRY_KIND
from neglect_kit.store import Store, team

PEOPLE, ENTRIES, GOAL = 10, 40, 3.0


def _saver(url: str, case_id: str, bodies: list[dict[str, Any]], start: Any, results: Any) -> None:
    """One person's kernel: open the store as their login, wait for the others, save each entry, time each save."""
    store = Store.open(url)
    store.create(ENTRY_KIND, case_id, bodies[0])  # the first save opens the connection; not timed
    start.wait()
    times, ids = [], []
    for body in bodies[1:]:
        began = time.perf_counter()
        ids.append(store.create(ENTRY_KIND, case_id, body).record_id)
        times.append(time.perf_counter() - began)
    store.engine.dispose()
    results.put((store.user, times, ids))


def _burst(urls: list[str], cases: list[str], bodies: list[dict[str, Any]]) -> list[tuple[str, list[float], list[str]]]:
    ctx = mp.get_context("spawn")
    start, results = ctx.Barrier(len(urls)), ctx.Queue()
    procs = [ctx.Process(target=_saver, args=(url, case, bodies, start, results))
             for url, case in zip(urls, cases, strict=True)]
    for p in procs:
        p.start()
    out = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(60)
    return out


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[18]


def main(people: int = PEOPLE, entries: int = ENTRIES) -> list[str]:
    """Run the burst and the floor; print and return the lines."""
    if problem := unavailable():
        print(f"bench_team_saves skipped: {problem[0]}")
        return []
    bodies = entry_bodies(entries + 1)
    server = PostgresServer(find_bindir()).start()
    try:
        url = server.new_database()
        team.server_init(url)
        logins = [f"bench_worker_{i}" for i in range(people)]
        boss = Store.open(url)
        for login in logins:
            team.add_user(url, login, "practitioner", team="bench", display_name=f"Bench Worker {login[-1]}")
            boss.create_case(f"case_{login}", "Benchmark case")
            team.assign(url, f"case_{login}", login)
        urls = [url.replace("postgres@", f"{login}@", 1) for login in logins]
        cases = [f"case_{login}" for login in logins]

        [(_, alone, alone_ids)] = _burst(urls[:1], cases[:1], bodies)
        together = _burst(urls, cases, bodies)

        with boss.engine.connect() as c:
            saved = dict(c.exec_driver_sql("SELECT created_by, count(*) FROM records WHERE kind = %(kind)s "
                                           "GROUP BY created_by", {"kind": ENTRY_KIND}).all())
        expected = dict.fromkeys(logins, 0)
        expected[logins[0]] += len(alone_ids) + 1
        for login, _, ids in together:
            expected[login] += len(ids) + 1
        lost = {login: expected[login] - saved.get(login, 0) for login in logins if saved.get(login) != expected[login]}
        if lost:
            raise SystemExit(f"saves lost on the team's database: {lost}")
        boss.engine.dispose()
        times = [t for _, ts, _ in together for t in ts]
        print(f"{people} people x {entries} saves at once = {len(times)} saves (and {len(alone_ids)} saved alone), "
              f"every one in the database", flush=True)
        return [result_line(f"p95 of one save, {people} people saving at once vs one alone (team PostgreSQL)",
                            _p95(times), _p95(alone), GOAL)]
    finally:
        server.stop()


if __name__ == "__main__":
    main()

"""Ten people saving chronology entries at once on a team's PostgreSQL database, against one person saving alone.

Each person is a login role of their own (a practitioner assigned to a case of their own, row-level security and the
triggers of `neglect-kit server init` in force) in a process of their own, as each person's kernel is on a team's
server. All ten wait at a barrier, then each saves ENTRIES entries one at a time (`Store.create`: one transaction,
the record and its head, read back after commit). The floor is one of them saving the same entries alone on the same
database. Every time is one save's; the line compares the 95th percentiles, each the best of ROUNDS rounds in which
the floor and the burst take turns (so a burst of noise from other work on the machine is shared out). Then every
save is counted in the database: a save that said "saved" and is not there fails the benchmark. An informative line
runs the same burst on a PostgreSQL database of one person's own (no roles, no row-level security, one login for
all), to tell what the team's rules cost from what ten processes sharing the machine's cores cost; a last one runs
the same burst of pure Python work, each piece as long as a save alone, with no database at all: the least that
ten processes sharing this machine's cores cost.

The PostgreSQL server is the tests' throwaway one (`tests/pg_server.py`, a unix socket) with PostgreSQL's own
settings for writing, as a team's server keeps them: every commit flushed to disk before "saved" is said. (The tests
skip the flush; a save burst measured without it is ten processes sharing two cores and nothing else.)
"""

from __future__ import annotations

import multiprocessing as mp
import os
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

PEOPLE, ENTRIES, ROUNDS, GOAL = 10, 40, 3, 3.0


def _saver(url: str, user: str, case_id: str, bodies: list[dict[str, Any]], start: Any, results: Any) -> None:
    """One person's kernel: open the store as their login, wait for the others, save each entry, time each save."""
    store = Store.open(url, user=user)  # on a team's database the user is the login's, whatever is given
    store.create(ENTRY_KIND, case_id, bodies[0])  # the first save opens the connection; not timed
    start.wait()
    times, ids = [], []
    for body in bodies[1:]:
        began = time.perf_counter()
        ids.append(store.create(ENTRY_KIND, case_id, body).record_id)
        times.append(time.perf_counter() - began)
    store.engine.dispose()
    results.put((store.user, times, ids))


def _worker(loops: int, saves: int, start: Any, results: Any) -> None:
    """The machine's own floor: a save's worth of pure Python work, no database, timed `saves` times."""
    start.wait()
    times = []
    for _ in range(saves):
        began = time.perf_counter()
        sum(i * i for i in range(loops))
        times.append(time.perf_counter() - began)
    results.put(("", times, []))


def _loops_like(seconds: float) -> int:
    """How many loops of `_worker`'s work take `seconds` in this process."""
    began, loops = time.perf_counter(), 100_000
    sum(i * i for i in range(loops))
    return max(1, int(loops * seconds / (time.perf_counter() - began)))


def _burst(urls: list[str], users: list[str], bodies: list[dict[str, Any]],
           work: int = 0) -> list[tuple[str, list[float], list[str]]]:
    """Each user saves every body into their own case (`case_<user>`), all at once; their times and record ids.
    With `work`, each process does that many loops of pure work per save instead, touching no database."""
    ctx = mp.get_context("spawn")
    start, results = ctx.Barrier(len(urls)), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(work, len(bodies) - 1, start, results)) if work else
             ctx.Process(target=_saver, args=(url, user, f"case_{user}", bodies, start, results))
             for url, user in zip(urls, users, strict=True)]
    for p in procs:
        p.start()
    out = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(60)
    return out


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[18]


def main(people: int = PEOPLE, entries: int = ENTRIES, rounds: int = ROUNDS) -> list[str]:
    """Run the burst and the floor; print and return the lines."""
    if problem := unavailable():
        print(f"bench_team_saves skipped: {problem[0]}")
        return []
    bodies = entry_bodies(entries + 1)
    server = PostgresServer(find_bindir(), durable=True).start()
    try:
        logins = [f"bench_worker_{i}" for i in range(people)]
        lines = []
        for team_db in (True, False):
            url = server.new_database()
            if team_db:
                team.server_init(url)
            boss = Store.open(url)
            for login in logins:
                boss.create_case(f"case_{login}", "Benchmark case")
                if team_db:
                    team.add_user(url, login, "practitioner", team="bench", display_name=f"Bench Worker {login[-1]}")
                    team.assign(url, f"case_{login}", login)
            urls = [url.replace("postgres@", f"{login}@", 1) if team_db else url for login in logins]
            floor, burst, said = float("inf"), float("inf"), dict.fromkeys(logins, 0)
            for _ in range(rounds):
                alone = _burst(urls[:1], logins[:1], bodies)
                together = _burst(urls, logins, bodies)
                for login, _, ids in alone + together:
                    said[login] += len(ids) + 1  # each run's first save is not timed, but counted
                floor = min(floor, _p95([t for _, ts, _ in alone for t in ts]))
                burst = min(burst, _p95([t for _, ts, _ in together for t in ts]))
            _count(boss, said)
            boss.engine.dispose()
            where = "a team's PostgreSQL" if team_db else "PostgreSQL of one person's own"
            print(f"{where}: {rounds} rounds of {people} people x {entries} saves at once and one person's {entries} "
                  f"alone: all {sum(said.values())} saves in the database", flush=True)
            lines.append(result_line(f"p95 of one save, {people} people saving at once vs one alone, {where}",
                                     burst, floor, GOAL if team_db else None))
            if team_db:
                alone_p95 = floor
        # what sharing this machine's cores alone costs: the same burst of pure work, each piece as long as a
        # save alone, no database at all
        loops = _loops_like(alone_p95)
        alone = min(_p95(_burst(logins[:1], logins[:1], bodies, loops)[0][1]) for _ in range(rounds))
        together = min(_p95([t for _, ts, _ in _burst(logins, logins, bodies, loops) for t in ts])
                       for _ in range(rounds))
        lines.append(result_line(f"p95 of a save's worth of pure Python work (no database), {people} processes at "
                                 f"once vs one alone, on this machine's {os.cpu_count()} cores", together, alone, None))
        return lines
    finally:
        server.stop()


def _count(boss: Store, said: dict[str, int]) -> None:
    """Every save that said "saved" is in the database, under its author."""
    with boss.engine.connect() as c:
        saved = dict(c.exec_driver_sql("SELECT created_by, count(*) FROM records WHERE kind = %(kind)s "
                                       "GROUP BY created_by", {"kind": ENTRY_KIND}).all())
    lost = {login: n - saved.get(login, 0) for login, n in said.items() if saved.get(login) != n}
    if lost:
        raise SystemExit(f"saves lost: {lost}")


if __name__ == "__main__":
    main()

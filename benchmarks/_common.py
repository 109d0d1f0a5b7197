"""Shared pieces of the benchmarks: best-of-N timing, result lines, and a generated agency return.

Every figure is a ratio against a floor timed in the same run, because the machines the
kit runs on (and CI) are too noisy for absolute seconds to mean anything.
"""

from __future__ import annotations

import gc
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pandas as pd

from neglect_kit.chronology.model import Child, EntryContext
from neglect_kit.config import Settings
from neglect_kit.vocab import Vocabulary

FAST, SLOW = 5, 3  # default repeats for quick and for slow benchmarks
CASE_ID = "bench"
CHILDREN = (Child("ruby", "Ruby Hale", date(2011, 5, 1)), Child("jack", "Jack Hale", date(2013, 2, 1)))

Job = Callable[[], Any] | tuple[Callable[[], Any], Callable[[Any], Any]]


def best_of(*jobs: Job, repeat: int = FAST, budget: float | None = None) -> list[float]:
    """Best wall time of each job over `repeat` rounds, the jobs taking turns in each round.

    Taking turns (rather than all rounds of one job, then the next) means a burst of noise
    from other processes is shared out instead of landing on one job only.

    Args:
        *jobs: a callable to time, or a (setup, run) pair: setup() is not timed and its
            result is passed to run().
        repeat: rounds; the best (least disturbed) time of each job is kept.
        budget: seconds after which no further round is started (at least one always runs),
            so a job that takes minutes is not repeated into a run that takes many more.

    Returns:
        The best time of each job, in seconds, in the order given.
    """
    best = [float("inf")] * len(jobs)
    spent = 0.0
    for _ in range(repeat):
        if budget is not None and spent > budget:
            break
        for i, job in enumerate(jobs):
            setup, run = job if isinstance(job, tuple) else (lambda: None, lambda _, j=job: j())
            arg = setup()
            gc.collect()  # garbage left by the previous job is not this job's cost
            start = time.perf_counter()
            run(arg)
            took = time.perf_counter() - start
            best[i] = min(best[i], took)
            spent += took
    return best


def result_line(name: str, measured: float, floor: float, goal: float | None) -> str:
    """Print and return one result line: the measured time as a ratio of the floor's.

    Args:
        name: what was measured.
        measured: its best time, in seconds.
        floor: the best time of the floor it is compared with, in seconds.
        goal: the highest acceptable ratio, or None for a line that is only informative.
    """
    ratio = measured / floor
    verdict = "(no goal, informative)" if goal is None else \
        f"(goal <= {goal:g} x) {'OK' if ratio <= goal else 'OVER'}"
    line = f"{name}: {measured:.3f} s vs floor {floor:.3f} s = ratio {ratio:.2f}x {verdict}"
    print(line, flush=True)
    return line


def bench_context(settings: Settings | None = None) -> EntryContext:
    """The benchmark case: Ruby (born 1 May 2011) and Jack (born 1 February 2013)."""
    return EntryContext(CASE_ID, CHILDREN, settings or Settings())


# Descriptions are put together from parts so that nearly every row's text differs, as in a
# real return; two findings per row keep rows that share one from looking like the same
# incident to the duplicate linking (which compares the share of words in common).
_WHO = ["Mum", "Dad", "Mum's partner", "Maternal grandmother", "The class teacher", "The health visitor",
        "A neighbour", "Ruby", "Jack", "The duty worker", "The school nurse", "The officer"]
_SAID = ["reported that", "said that", "noted that", "observed that", "explained that", "confirmed that",
         "was worried that", "mentioned that"]
_WHAT = ["the home was cold", "there was little food in the kitchen", "the children were unwashed",
         "the bedroom carpet was soiled", "Ruby arrived at school hungry", "Jack had a nappy rash",
         "Jack missed his hearing test", "Ruby was late four days running", "bins were overflowing",
         "the dog had fouled the landing", "mum sounded intoxicated", "an argument was heard at night",
         "the boiler was broken", "the children wore summer clothes in snow", "Ruby had head lice again",
         "Jack was not brought to his dental check", "dad had been drinking since lunchtime",
         "the front door was left open", "Ruby was collected two hours late",
         "medication had run out", "the fridge was empty apart from milk", "Jack was weighed and had lost weight",
         "the children were left with a teenage cousin", "a window was smashed", "mum was tearful and low",
         "Ruby said she was looking after Jack", "the family moved without telling school",
         "rent arrears had built up", "Ruby was proud of her reading certificate",
         "the home was tidy and warm"]
_WHEN = ["during a home visit", "at the school gate", "on the phone", "at the surgery", "after school",
         "at nursery drop-off", "at the core group", "late in the evening", "at the weekend",
         "during a joint visit", "at the clinic", "in a text message"]
_NEXT = ["", "", "Follow-up visit planned.", "Worker to check again next week.", "Shared with the social worker.",
         "Manager informed.", "Parents were given advice.", "Further concerns to be logged."]
_ACTIONS = ["", "Letter sent", "Home visit arranged", "Referral to children's social care", "Advice given",
            "Discussed with DSL", "Strategy discussion", "Appointment rebooked", "Food bank voucher given",
            "Information shared with school", "Police informed", "Core group brought forward"]
_OUTCOMES = ["", "", "No further action", "Seen and well", "Attended rebooked appointment",
             "Concerns continue", "Improvement noted", "Family did not engage", "Plan reviewed"]
_IMPACTS = ["Negative", "negative - she was hungry and tired", "Negative: missed learning", "Positive",
            "positive - he was proud", "Neutral", "Unknown", "", "not known"]
_SIGNIFICANCE = ["Low", "Medium", "High", "", "med", "Serious"]
_CHILDREN = ["Ruby", "Jack", "Both"]
_SEASONS = {3: "spring", 4: "spring", 5: "spring", 6: "summer", 7: "summer", 8: "summer",
            9: "autumn", 10: "autumn", 11: "autumn", 12: "winter", 1: "winter", 2: "winter"}
_FIRST_DAY, _DAYS = date(2012, 1, 1), (date(2022, 12, 31) - date(2012, 1, 1)).days


def _terms(vocab: Vocabulary) -> list[str]:
    """What agencies write for a vocabulary's terms: labels and synonyms."""
    return [word for t in vocab.terms for word in (t.label, *t.synonyms)]


def _event_text(day: date, style: int) -> str:
    """The day an event happened, written in one of the styles agencies use."""
    if style == 0:
        return day.isoformat()
    if style == 1:
        return f"{day:%d/%m/%Y}"
    if style == 2:
        return f"{day:%B %Y}"
    if style == 3:  # January and February are the winter that began the December before
        return f"{_SEASONS[day.month]} {day.year - (day.month < 3)}"
    return f"?{day.day} {day:%B %Y}"


def agency_return(rows: int, seed: int = 0) -> pd.DataFrame:
    """A realistic (fictional) agency return for the benchmark case, every row valid.

    Dates run over 2012-2022 in mixed styles (ISO, dd/mm/yyyy, "April 2019", "spring 2018",
    "?22 May 2016"), each row recorded on or after its event; agencies and categories are
    written as the kit's labels and synonyms; descriptions, impacts and actions vary.

    Args:
        rows: how many rows.
        seed: the same seed gives the same return.
    """
    rng = random.Random(seed)
    settings = Settings()
    agencies, categories = _terms(settings.agencies), _terms(settings.categories)
    records = []
    for _ in range(rows):
        day = _FIRST_DAY + timedelta(days=rng.randrange(_DAYS + 1))
        recorded = day + timedelta(days=rng.choice((0, 0, 1, 2, 7, 30)))
        first, second = rng.sample(_WHAT, 2)
        description = " ".join(filter(None, [
            rng.choice(_WHO), rng.choice(_SAID), first, "and", second, rng.choice(_WHEN) + ".",
            rng.choice(_NEXT)]))
        records.append({
            "Date of event": _event_text(day, rng.randrange(5)),
            "Date recorded": recorded.isoformat() if rng.random() < 0.5 else f"{recorded:%d/%m/%Y}",
            "Agency": rng.choice(agencies),
            "Child": rng.choice(_CHILDREN),
            "Category": rng.choice(categories),
            "What happened": description,
            "Impact on child": rng.choice(_IMPACTS),
            "Significance": rng.choice(_SIGNIFICANCE),
            "Action taken": rng.choice(_ACTIONS),
            "Outcome": rng.choice(_OUTCOMES),
        })
    return pd.DataFrame(records)

"""Finished codings of the corpus as a whole: codings made elsewhere imported (each coder assigned and marked
finished), and the two coders' agreement over the reviews both have finished.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..store import Forbidden, Store, StoreError, fit_row, schema
from .coding_records import _checked_codes, _passage, _passage_index, codebook, codings
from .passages import Passage
from .review_records import _now, _reader, _writing, review, reviews

if TYPE_CHECKING:
    from .agreement import Agreement


# sample codings ---------------------------------------------------------------------------------------------------

CODING_COLUMNS = ("review_id", "passage_id", "start", "end", "coder", "code")


def import_codings(store: Store, rows: Iterable[Mapping[str, str]], source: str = "codings", *,
                   conn: sa.Connection | None = None) -> list[str]:
    """Import finished codings made elsewhere (the sample codings of two fictional coders), one row per passage and
    code as `coded_tables` writes them; each coder is assigned to each review they coded and marked finished. A
    review a coder has codings of already is left as it is. One person's own database only: on a team's, each
    coder's work is their own (only its PostgreSQL superuser, whom nothing there binds, may, as `demo` does).

    Args:
        source: the file's name, for messages ("sample_codings.csv line 14: ...").

    Returns:
        One line per review and coder: imported, or already there.

    Raises:
        Forbidden: a team's database; StoreError: a row naming an unknown review, passage or code, or offsets
            that are not the passage's (the message names the line); nothing is then imported.
    """
    if _reader(store).on_a_team:  # (the server's superuser, whom a team's rules do not bind, may: `demo`)
        raise Forbidden("codings are not imported into a team's database: each coder's work is their own, coded "
                        "under their own sign-in")
    book = codebook(store)
    grouped: dict[tuple[str, str], dict[str, tuple[Passage, set[str]]]] = {}
    texts: dict[str, str] = {}
    with _writing(store, conn) as c:
        for line, row in enumerate(rows, start=2):
            where = f"{source} line {line}"
            if missing := [col for col in CODING_COLUMNS if not (row.get(col) or "").strip()]:
                raise StoreError(f"{where}: no {', '.join(missing)}")
            rid, pid, coder = row["review_id"].strip(), row["passage_id"].strip(), row["coder"].strip()
            try:
                if rid not in texts:
                    texts[rid] = review(store, rid, conn=c).text
                found = _passage(texts[rid], rid, pid)
                if (str(found.start), str(found.end)) != (row["start"].strip(), row["end"].strip()):
                    raise StoreError(f"passage {pid} of review {rid} is at {found.start}-{found.end}, not "
                                     f"{row['start']}-{row['end']}")
                code = _checked_codes(book, [row["code"].strip()])[0]
            except StoreError as exc:
                raise StoreError(f"{where}: {exc}") from None
            grouped.setdefault((rid, coder), {}).setdefault(pid, (found, set()))[1].add(code)
        said = []
        t, rc = schema.codings, schema.review_coders
        for (rid, coder), coded in sorted(grouped.items()):
            if c.execute(sa.select(t.c.row_id).where(t.c.review_id == rid, t.c.coder == coder).limit(1)).first():
                said.append(f"{rid}: {coder}'s codings already there; left as they are")
                continue
            now = _now()
            c.execute(rc.delete().where(rc.c.review_id == rid, rc.c.coder == coder))
            c.execute(rc.insert().values(**fit_row(rc, f"coder of review {rid}", {
                "review_id": rid, "coder": coder, "assigned_at": now, "assigned_by": store.user, "finished_at": now})))
            c.execute(t.insert(), [fit_row(t, f"{source}: {coder}'s codings of review {rid}", {
                "review_id": rid, "passage_id": p.id, "start": p.start, "end": p.end, "coder": coder, "version": 1,
                "codes": sorted(codes), "created_at": now}) for p, codes in coded.values()])
            said.append(f"{rid}: {coder}'s codings of {len(coded)} passages imported (finished)")
    return said


# agreement --------------------------------------------------------------------------------------------------------

def double_coded_agreement(store: Store) -> tuple[list[str], Agreement] | None:
    """The two coders' agreement, passage by passage, over every review that has two coders who have both finished
    it (every passage of those reviews; one a coder left uncoded counts as no code). On each review the coders are
    taken in the order of their names; the coders are named where every review has the same two.

    Returns:
        The reviews compared and the agreement (`agreement.Agreement`), or None where no review is double-coded and
        finished.
    """
    from .agreement import agreement  # scikit-learn is slow to import: only where agreement is measured

    done = [r for r in reviews(store) if r.unblinded and len(r.coders) == 2]
    if not done:
        return None
    pairs = {r.id: tuple(sorted(c.coder for c in r.coders)) for r in done}
    keys: list[tuple[str, str]] = []
    for r in done:
        keys += [(r.id, pid) for pid in _passage_index(review(store, r.id).text)]
    first: dict[tuple[str, str], frozenset[str]] = {}
    second: dict[tuple[str, str], frozenset[str]] = {}
    for coding in codings(store):
        pair = pairs.get(coding.review_id)
        if pair is not None:
            (first if coding.coder == pair[0] else second)[(coding.review_id, coding.passage_id)] = frozenset(
                coding.codes)
    names = set(pairs.values())
    coders = names.pop() if len(names) == 1 else ("first coder", "second coder")
    return [r.id for r in done], agreement(keys, first, second, codebook(store), coders=coders)

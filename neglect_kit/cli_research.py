"""The `neglect-kit` commands of research: the review corpus (`reviews`), pseudonymised extracts (`extract`), and
on a team's database the administrator's approvals of extracts (`approvals`) and the extract service that takes
them (`extract-service`). `cli.py` wires them into the one command and says their errors (exit code 2).
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from pathlib import Path
from typing import Any

from .research import codebook as codebooks
from .research import (
    coded_tables,
    coding_records,
    finished_codings,
    refiqda_codebook,
    refiqda_project,
    refiqda_qdpx,
    review_records,
)
from .research import extract_requests as requests
from .research.corpus import CorpusError, read_corpus
from .research.extract_files import check_folder, check_places, default_mapping_path
from .store import Store


class CommandError(Exception):
    """The command cannot run; the message says why (exit code 2)."""


def open_store(create: bool = False) -> Store:
    """The database named by NEGLECT_KIT_DB."""
    return Store.open(create=create)


# research: the review corpus ------------------------------------------------------------------------------------

def _read_codings_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a coded-passages CSV (`reviews export --format csv`, or the sample codings)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in finished_codings.CODING_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise CommandError(f"{path}: no column {', '.join(missing)} (a coded-passages CSV has "
                                   f"{', '.join(finished_codings.CODING_COLUMNS)})")
            return list(reader)
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: a folder, not a CSV file") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path}: not UTF-8 text (save it as CSV UTF-8)") from None


def load_reviews_folder(store: Store, folder: Path, codings: Path | None, *, brief: bool = False) -> str:
    """Load a corpus folder (and finished codings), all in one transaction; what was done, in words."""
    try:
        corpus = read_corpus(folder)
    except CorpusError as exc:
        problems = [str(p) for p in exc.problems]
        raise CommandError(problems[0] if len(problems) == 1 else
                           f"{len(problems)} problems, nothing loaded: {'; '.join(problems)}") from None
    rows = _read_codings_csv(codings) if codings else []
    with store.transaction() as conn:
        said = review_records.load_reviews(store, corpus, conn=conn)
        imported = finished_codings.import_codings(store, rows, codings.name, conn=conn) if codings else []
    new = sum(line.endswith(": loaded") for line in said)
    lines = [f"Reviews from {folder}: {new} loaded, {len(said) - new} already loaded."]
    if codings:
        coders = sorted({line.split(": ", 1)[1].split("'s ", 1)[0] for line in imported})
        done = sum("imported" in line for line in imported)
        lines.append(f"Codings from {codings.name}: {done} review codings by {', '.join(coders) or 'no one'} imported "
                     f"and marked finished, {len(imported) - done} already there.")
    if not brief:
        lines += said + imported
    return "\n".join(lines)


def cmd_reviews_load(args: argparse.Namespace) -> int:
    folder = Path(args.path)
    if not folder.is_dir():
        raise CommandError(f"{folder}: no folder here (a corpus is a folder of <id>.toml files and their documents)")
    print(load_reviews_folder(open_store(create=True), folder, Path(args.codings) if args.codings else None))
    return 0


def cmd_reviews_list(args: argparse.Namespace) -> int:
    listed = review_records.reviews(open_store())
    if args.json:
        print(json.dumps([{"id": r.id, "meta": r.meta, "source_name": r.source_name, "sha256": r.sha256,
                           "coders": [{"coder": c.coder, "finished": c.finished_at is not None} for c in r.coders]}
                          for r in listed], indent=2, ensure_ascii=False))
        return 0
    if not listed:
        print("No reviews loaded yet: `neglect-kit reviews load FOLDER` loads a corpus.")
    for r in listed:
        coders = ", ".join(f"{c.coder} ({'finished' if c.finished_at else 'coding'})" for c in r.coders)
        print(f"{r.id}: {r.meta.get('title', '')} ({r.meta.get('review_type', '')}, {r.meta.get('year_published', '')})"
              f"; coders: {coders or 'none assigned'}")
    return 0


def cmd_reviews_assign(args: argparse.Namespace) -> int:
    store = open_store()
    if args.remove:
        review_records.unassign(store, args.review, args.coder)
        print(f"Took {args.coder} off review {args.review}.")
    elif review_records.assign(store, args.review, args.coder):
        print(f"Assigned {args.coder} to code review {args.review}.")
    else:
        print(f"{args.coder} was assigned to review {args.review} already.")
    return 0


def cmd_reviews_finish(args: argparse.Namespace) -> int:
    store = open_store()
    review_records.finish(store, args.review)
    stored = review_records.review(store, args.review)
    waiting = [c.coder for c in stored.coders if c.finished_at is None]
    print(f"Your coding of review {args.review} is finished. " + (
        f"Waiting for {', '.join(waiting)}: until then each coder sees only their own coding." if waiting else
        "Every coder has finished it: the codings are open to compare and reconcile."))
    return 0


def cmd_reviews_agreement(args: argparse.Namespace) -> int:
    found = finished_codings.double_coded_agreement(open_store())
    if found is None:
        if args.json:
            print(json.dumps(None))
        else:
            print("No review has two coders who have both finished it yet: agreement is measured on those.")
        return 0
    compared, result = found
    if args.json:
        print(json.dumps(dict(result.to_dict(), reviews=compared), indent=2, ensure_ascii=False))
        return 0
    print(f"Agreement between {result.coders[0]} and {result.coders[1]}, passage by passage, over {result.passages} "
          f"passages of {len(compared)} reviews:")
    table = result.frame().drop(columns=["Warning"])
    print(table.to_string(index=False))
    mean = "not defined" if result.kappa_codes == 0 else f"{result.mean_kappa:.2f}"
    print(f"Mean of the codes' kappas: {mean} (over {result.kappa_codes} codes).")
    for figures in result.codes:
        if figures.warning:
            print(f"- {result.names.get(figures.code, figures.code)}: {figures.warning}")
    return 0


def cmd_reviews_export(args: argparse.Namespace) -> int:
    store = open_store()
    book = coding_records.codebook(store)
    if args.format == "qdc":
        refiqda_codebook.write_qdc(book, args.output)
        print(f"Wrote the codebook ({len(book.codes)} codes) to {args.output}")
        return 0
    stored = [review_records.review(store, r.id) for r in review_records.reviews(store)]
    coded = coding_records.codings(store)
    if args.format in ("csv", "xlsx"):
        texts, meta = {r.id: r.text for r in stored}, {r.id: r.meta for r in stored}
        frame = coded_tables.coded_passages(coded, texts, book, meta)
        (coded_tables.write_csv if args.format == "csv" else coded_tables.write_xlsx)(frame, args.output)
        print(f"Wrote {len(frame)} coded passages (a row per passage, coder and code) to {args.output}")
        return 0
    notes = [m for r in stored for m in coding_records.memos(store, r.id)] + coding_records.memos(store)
    sources = tuple(refiqda_project.Source(r.id, r.text, r.meta.get("title", "")) for r in stored)
    project = refiqda_project.Project(
        name="neglect-kit reviews", sources=sources, codebook=book, codings=refiqda_project.project_codings(coded),
        memos=tuple(refiqda_project.Memo(m.target, m.target_id, m.coder, m.text, m.review_id) for m in notes if m.text))
    refiqda_qdpx.write_qdpx(project, args.output)
    print(f"Wrote {len(stored)} reviews, {len(project.codings)} codings and {len(project.memos)} memos of "
          f"{len(project.users)} coders to {args.output}")
    return 0


def cmd_reviews_codebook_import(args: argparse.Namespace) -> int:
    path = Path(args.path)
    readers = {".csv": codebooks.read_csv, ".qdc": refiqda_codebook.read_qdc}
    if path.suffix.lower() not in readers:
        raise CommandError(f"{path}: a codebook is a .csv or a REFI-QDA .qdc file")
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    book = readers[path.suffix.lower()](path)
    version = coding_records.save_codebook(open_store(), book)
    print(f"Codebook version {version} saved from {path.name}: {len(book.codes)} codes, {len(book.leaves())} to apply.")
    return 0


def _reviews_commands(sub: Any) -> None:
    p = sub.add_parser("reviews", help="the review corpus: load, list, assign coders, finish, agreement, export")
    reviews = p.add_subparsers(dest="action", required=True)
    p = reviews.add_parser("load", help="load a folder of reviews (<id>.toml and its document), all or none")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--codings", metavar="CSV", help="finished codings to import with them (a coded-passages CSV; one "
                   "person's own database only), each coder assigned and marked finished")
    p.set_defaults(run=cmd_reviews_load)
    p = reviews.add_parser("list", help="the reviews loaded, with their coders")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_reviews_list)
    p = reviews.add_parser("assign", help="assign a coder to a review (or --remove them); an administrator's work")
    p.add_argument("--review", required=True, metavar="ID")
    p.add_argument("--coder", required=True, metavar="NAME", help="their sign-in name")
    p.add_argument("--remove", action="store_true", help="take the coder off the review (not once they finished)")
    p.set_defaults(run=cmd_reviews_assign)
    p = reviews.add_parser("finish", help="mark your coding of a review finished (you code it no more)")
    p.add_argument("--review", required=True, metavar="ID")
    p.set_defaults(run=cmd_reviews_finish)
    p = reviews.add_parser("agreement", help="the two coders' agreement per code and overall, over the reviews both "
                           "finished")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_reviews_agreement)
    p = reviews.add_parser("export", help="coded passages as CSV or XLSX, the codebook as REFI-QDA .qdc, or the whole "
                           "project as REFI-QDA .qdpx")
    p.add_argument("--format", required=True, choices=("csv", "xlsx", "qdc", "qdpx"))
    p.add_argument("-o", "--output", required=True, metavar="PATH")
    p.set_defaults(run=cmd_reviews_export)
    p = reviews.add_parser("codebook", help="the codebook in use")
    codebook = p.add_subparsers(dest="codebook_action", required=True)
    p = codebook.add_parser("import", help="use a codebook from a .csv or REFI-QDA .qdc file (a new version)")
    p.add_argument("path", metavar="PATH")
    p.set_defaults(run=cmd_reviews_codebook_import)


# extracts ---------------------------------------------------------------------------------------------------------

ON_A_TEAM = ("--case takes an extract on one person's own database; on a team's database an administrator approves "
             "the cases for you and you request the extract of the approval: `neglect-kit approvals list`, then "
             "`neglect-kit extract --approval N -o DIR`")


def cmd_extract(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if not args.case:
        if args.mapping:
            raise CommandError("--mapping is for --case: the mapping of a requested extract stays with the extract "
                               "service")
        check_folder(out)  # before anything is asked of the service: a wrong place costs nothing
        db = open_store()
        if args.approval is not None:
            number = requests.request(db, args.approval, min_k=args.min_k, reason=args.reason or "")
            print(f"Requested the extract of approval {args.approval}: request {number}. Waiting for the extract "
                  "service...", flush=True)
        else:
            number = args.request
        return _receive(db, number, out, args.wait)
    mapping = Path(args.mapping) if args.mapping else default_mapping_path(out)
    check_places(out, mapping)  # before any case is read: a wrong place costs nothing
    db = open_store()
    if db.on_a_team:
        raise CommandError(ON_A_TEAM)
    from .research import extract as research_extract  # here: the engine (Presidio) loads only for an extract
    extract = research_extract.take(db, args.case, min_k=args.min_k, reason=args.reason or "")
    research_extract.write(extract, out, mapping)
    print(f"{extract.summary()} Written to {out}; the keyed mapping to {mapping}: keep it apart from the extract.")
    return 0


def _receive(db: Store, number: int, out: Path, wait: float) -> int:
    """Wait for a request, then write its extract into `out`; 1 if it is not finished in time, 2 if refused."""
    found = requests.wait_for(db, number, max(0.0, wait))
    later = f"`neglect-kit extract --request {number} -o DIR` fetches it later"
    if found.status == "waiting":
        print(f"neglect-kit extract: request {number} is waiting: no extract service has taken it in {wait:g} s; ask "
              f"your administrator whether `neglect-kit extract-service` runs ({later})", file=sys.stderr)
        return 1
    if found.status == "taking":
        print(f"neglect-kit extract: request {number} is being taken and not finished in {wait:g} s ({later})",
              file=sys.stderr)
        return 1
    if found.status != "done":
        print(f"neglect-kit extract: request {number} is {found.words()}", file=sys.stderr)
        return 2
    files = requests.write_received(requests.archive(db, number), out)
    print(f"Request {number}: {found.message} Written to {out} ({len(files)} files); the keyed mapping stays with "
          "the extract service.")
    return 0


def cmd_approvals_add(args: argparse.Namespace) -> int:
    cases = list(dict.fromkeys(args.case))
    number = requests.approve(open_store(), args.researcher, cases, args.purpose)
    print(f"Approval {number}: {len(cases)} case{'s' if len(cases) != 1 else ''} for {args.researcher}, for "
          f"{' '.join(args.purpose.split())}. They request the extract with `neglect-kit extract --approval {number} "
          "-o DIR`; `neglect-kit extract-service` takes it.")
    return 0


def cmd_approvals_withdraw(args: argparse.Namespace) -> int:
    requests.withdraw(open_store(), args.number)
    print(f"Approval {args.number} withdrawn: no request of it is taken from now on.")
    return 0


def cmd_approvals_list(args: argparse.Namespace) -> int:
    listed = requests.approvals(open_store())
    if args.json:
        print(json.dumps([{"id": a.id, "researcher": a.researcher, "purpose": a.purpose, "cases": a.size,
                           "approved_by": a.approved_by, "approved_at": a.approved_at.isoformat(),
                           "withdrawn": a.withdrawn_at is not None,
                           **({"case_ids": list(a.cases)} if a.cases is not None else {})} for a in listed],
                         indent=2, ensure_ascii=False))
        return 0
    if not listed:
        print("No approvals: an administrator approves cases for a researcher with `neglect-kit approvals add`.")
    for a in listed:
        extra = f"; for {a.researcher}: {', '.join(a.cases)}" if a.cases is not None else ""
        print(a.words() + extra)
    return 0


def cmd_extract_service(args: argparse.Namespace) -> int:
    from .research import extract_service  # here: the engine (Presidio) loads only for the service

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.poll <= 0:
        raise CommandError(f"--poll {args.poll:g}: give a number of seconds above 0")
    taken = extract_service.run(open_store(), poll=args.poll, once=args.once, said=lambda line: print(line, flush=True))
    if args.once:
        print(f"Took {taken} request{'s' if taken != 1 else ''}.")
    return 0


def _extract_commands(sub: Any) -> None:
    p = sub.add_parser("extract", help="a pseudonymised extract of cases for research: role labels, scrubbed text, "
                       "dates moved, a k-anonymity gate (docs/guides/researchers.md)")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", action="append", metavar="ID",
                       help="a case to take (give it once per case); one person's own database")
    which.add_argument("--approval", type=int, metavar="N", help="on a team's database: request the extract of "
                       "your approval N (`neglect-kit approvals list`) and wait for it")
    which.add_argument("--request", type=int, metavar="N", help="on a team's database: fetch the extract of your "
                       "earlier request N")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="a new (or empty) folder for the extract")
    p.add_argument("--min-k", type=int, metavar="N", help="hold the groups to N children instead of the settings' "
                   "research.min_k (lower only with --reason)")
    p.add_argument("--reason", metavar="TEXT", help="why the threshold is lowered (the extract's log keeps it)")
    p.add_argument("--mapping", metavar="PATH", help="with --case: where the keyed mapping goes (default "
                   "DIR.mapping.json beside the folder; never inside it)")
    p.add_argument("--wait", type=float, default=120, metavar="SECONDS", help="with --approval or --request: how "
                   "long to wait for the extract service (default 120)")
    p.set_defaults(run=cmd_extract)

    p = sub.add_parser("approvals", help="on a team's database: an administrator approves cases for a researcher's "
                       "extracts; a researcher lists their approvals")
    approvals = p.add_subparsers(dest="action", required=True)
    p = approvals.add_parser("add", help="approve cases for one researcher, with a purpose (an administrator's work)")
    p.add_argument("--researcher", required=True, metavar="NAME", help="their sign-in name")
    p.add_argument("--case", action="append", required=True, metavar="ID", help="a case (give it once per case)")
    p.add_argument("--purpose", required=True, metavar="TEXT", help="what the extract is for (write no names)")
    p.set_defaults(run=cmd_approvals_add)
    p = approvals.add_parser("withdraw", help="withdraw an approval (an administrator's work)")
    p.add_argument("number", type=int, metavar="N")
    p.set_defaults(run=cmd_approvals_withdraw)
    p = approvals.add_parser("list", help="every approval with its cases (an administrator), or your own live "
                             "approvals (a researcher: how many cases, never which)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_approvals_list)

    p = sub.add_parser("extract-service", help="on a team's database: take the extracts researchers requested (run "
                       "as the service's own account, role extractor; docs/deployment-hub.md)")
    p.add_argument("--once", action="store_true", help="take the requests waiting now, then stop (cron, tests)")
    p.add_argument("--poll", type=float, default=5.0, metavar="SECONDS", help="how often to look for a request "
                   "(default 5)")
    p.set_defaults(run=cmd_extract_service)


def research_commands(sub: Any) -> None:
    """Add the research commands to the `neglect-kit` parser's subcommands."""
    _reviews_commands(sub)
    _extract_commands(sub)

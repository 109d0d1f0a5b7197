"""The `neglect-kit` command: load cases, import and export chronologies, analyse, serve the apps.

Every command uses the database named by `NEGLECT_KIT_DB` (see `config.database_url`).
Exit codes: 0 done (with --valid-only: the valid rows saved, the errors still printed), 1 the
data had errors and nothing was saved, 2 the command itself could not run (unknown case,
missing file, bad arguments, a removal not confirmed, a database or settings file that cannot be
used, an export that cannot be written), each said in one line naming what and where. Output cut
short by its reader (`| head`) ends the command quietly with 141, as a shell reports a broken pipe.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .analysis.analyse import case_findings
from .analysis.case_data import as_at_date, load_case
from .anonymise import NAMED
from .casefolders.case_folder import CaseFolderError, load_case_folder, read_case_folder
from .chronology.case_summaries import case_summaries
from .chronology.columns import FIELD_SYNONYMS
from .chronology.dates import DateError
from .chronology.export import FORMATS, write_export
from .chronology.intake import ImportReport, ReturnFile, import_returns, undo_import
from .chronology.records import counts_by_agency, entries_frame, stored_entries
from .chronology.views import present
from .cli_research import CommandError, load_reviews_folder, research_commands
from .cli_research import open_store as _store
from .config import SettingsError, database_url, settings
from .findings import PROMPT_LINE
from .hub import HubOptions, run_hub
from .serve import serve
from .shipped import shipped_folder
from .store import DatabaseFailure, NotFound, StoreError, database_said, team
from .store.backup import backup, restore
from .store.engine import shown
from .store.identity import READ_CASES, ROLES
from .supervision import records
from .wording import day_text


def cmd_init(args: argparse.Namespace) -> int:
    store = _store(create=True)
    cases = len(store.cases())
    print(f"The database is ready{f': it holds {cases} case' + ('s' if cases != 1 else '') if cases else ', empty'}.")
    return 0


def _print_report(report: ImportReport, notes: bool = False) -> int:
    print(report.text(notes=notes))
    return 1 if report.blocked else 0


def cmd_load(args: argparse.Namespace) -> int:
    report = load_case_folder(_store(create=True), args.path, valid_only=args.valid_only)
    return _print_report(report, args.notes)


def cmd_demo(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    if not folder.is_dir():
        raise CommandError(f"{folder}: no sample case folder here (use --folder)")
    store = _store(create=True)
    have = {c["id"] for c in store.cases()}
    for case_dir in sorted(p.parent for p in folder.glob("*/case.toml")):
        info, _ = read_case_folder(case_dir)
        if info.case.id in have:
            print(f"Case {info.case.id} is already loaded; left as it is.")
            continue
        # the samples hold the messy rows agencies send: load the valid rows and name the rest
        report = load_case_folder(store, case_dir, valid_only=True)
        print(report.text())
    reviews = folder / "reviews"
    if reviews.is_dir():  # the sample review corpus, with two fictional coders' finished codings
        codings = reviews / "sample_codings.csv"
        print(load_reviews_folder(store, reviews, codings if codings.is_file() else None, brief=True))
    return 0


def cmd_cases(args: argparse.Namespace) -> int:
    summaries = case_summaries(_store())
    if args.json:
        print(json.dumps(summaries, indent=2, default=str))
        return 0
    if not summaries:
        print("No cases yet: `neglect-kit demo` loads the sample cases.")
    for s in summaries:
        children = ", ".join(f"{c['name']} ({c['id']})" for c in s["children"])
        print(f"{s['id']}: {s['title']}; children: {children}; {s['entries']} entries")
        for p in s["plans"]:
            print(f"    plan: {p['label']}")
        for agency, n in s["entries_by_agency"].items():
            print(f"    {agency}: {n}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    mapping = {}
    for item in args.map or []:
        header, sep, field = item.rpartition("=")
        if not sep or not header:
            raise CommandError(f"--map '{item}' should be HEADER=FIELD")
        if field not in FIELD_SYNONYMS:
            raise CommandError(f"--map '{item}': '{field}' is not a field (fields: {', '.join(FIELD_SYNONYMS)})")
        mapping[header] = field
    children = tuple(c.strip() for c in (args.children or "").split(",") if c.strip())
    files = [ReturnFile.from_path(f, agency=args.agency, mapping=mapping or None, sheet=args.sheet,
                                  children=children, category=args.category) for f in args.files]
    report = import_returns(_store(), args.case, files, valid_only=args.valid_only, replace=args.replace)
    return _print_report(report, args.notes)


def cmd_undo_import(args: argparse.Namespace) -> int:
    info, withdrawn = undo_import(_store(), args.case, args.import_id, args.reason)
    print(f"Import {args.import_id} ({info['filename']}) of case {args.case} undone: {withdrawn} "
          f"entr{'y' if withdrawn == 1 else 'ies'} withdrawn with your reason (kept in their history).")
    return 0


def _ask(question: str) -> str:
    """A typed answer; with no one to answer (no terminal, a script), a refusal that says how to confirm."""
    try:
        return input(question)
    except EOFError:
        print()
        raise CommandError("no answer was typed: nothing was removed (give --yes and --reason to remove "
                           "without being asked)") from None


def cmd_remove(args: argparse.Namespace) -> int:
    store = _store()
    if store.person().may(READ_CASES):  # an administrator, who may not read a case, is told by the removal itself
        store.case(args.case)  # a clear message for an unknown case, before any question
    if not args.yes:
        typed = _ask(f"This removes case {args.case} and everything held for it. Type the case id to confirm: ")
        if typed.strip() != args.case:
            raise CommandError(f"'{typed.strip()}' is not '{args.case}': nothing was removed")
    reason = args.reason or ("" if args.yes else _ask("Why is it removed (kept in the audit record; no names): "))
    if not reason.strip():
        raise CommandError("say why the case is removed (--reason): nothing was removed")
    counts = store.remove_case(args.case, reason)
    # people, plans and imports by name; every other count is of records of a kind ("chronology entry")
    held = ", ".join(f"{what} {n}" if what in ("people", "plans", "imports") else
                     f"{what.replace('_', ' ')} records {n}" for what, n in counts.items())
    print(f"Case {args.case} removed ({held}). The audit record keeps who, when, why and these counts.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    store = _store()
    case = store.case(args.case)
    frame = entries_frame(stored_entries(store, args.case))
    if args.format == "csv" and not args.codes:  # in words: the children by name
        frame = present(frame, store.people(args.case), NAMED)
    meta = {"case": case["id"], "title": case["title"], "exported_by": store.user,
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "entries_by_agency": counts_by_agency(stored_entries(store, args.case))}
    n = write_export(frame, args.format, args.output, meta, settings(), codes=args.codes)
    print(f"Wrote {n} entries of case {args.case} to {args.output}")
    return 0


def cmd_analyse(args: argparse.Namespace) -> int:
    try:
        as_at = as_at_date(args.as_at) if args.as_at else None
    except DateError as e:
        raise CommandError(f"--as-at: {e}") from None  # the message quotes the value as typed
    store = _store()
    data = load_case(store, args.case, today=as_at, actions=records.carried(store, args.case))
    if args.child and args.child not in data.children:
        raise CommandError(f"no child '{args.child}' in case '{args.case}' (children: {', '.join(data.children)})")
    results = case_findings(data, args.child)
    if args.json:
        print(json.dumps([dict(f.to_dict(), case=data.case_id, as_at=data.today.isoformat())
                          for r in results for f in r.findings], indent=2))
        return 0
    print(f"Findings as at {day_text(data.today)}")
    for r in results:
        print(f"{data.child_name(r.child)} ({r.child}): {len(r.findings)} findings")
        for f in r.findings:
            print(f"  - [{f.kind}] {f.message}")
    print(PROMPT_LINE)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    done = backup(args.file, args.db)
    print(f"Backed up to {done.path} (schema {done.schema_revision}, kit {done.kit_version}): {done.counts()}.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    done = restore(args.file, args.db)
    print(f"Restored {done.path} (made by kit {done.kit_version}, schema {done.schema_revision}): {done.counts()}.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    return serve(Path(args.notebooks), args.port, args.allow_host or ())


def cmd_hub(args: argparse.Namespace) -> int:
    users = tuple(name for item in args.users or () for name in item.split(","))
    return run_hub(HubOptions(Path(args.notebooks), args.port, args.db or "", users, args.base_url,
                              tuple(args.allow_host or ()), args.state or "", args.config or ""))


def cmd_server_init(args: argparse.Namespace) -> int:
    url = args.db or database_url()
    tables = team.server_init(url)
    print(f"The team's database {shown(url)} is ready: roles {', '.join(team.team_sql.GROUPS.values())}; "
          f"row-level security on {len(tables)} tables. Add people with `neglect-kit users add NAME --role ROLE`.")
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    person = team.add_user(args.db or database_url(), args.name, args.role, team=args.team or "",
                           display_name=args.display_name)
    print(f"Added {person.username} ({person.display_name}), {person.role}"
          f"{f', team {person.team}' if person.team else ''}: they sign in as the operating-system account "
          f"{person.username}.")
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    people = team.list_users(args.db or database_url())
    if not people:
        print("No one is on the team's staff yet: `neglect-kit users add NAME --role ROLE` adds them.")
    for p in people:
        cases = f"; cases: {', '.join(p['cases'])}" if p["cases"] else ""
        print(f"{p['username']}: {p['display_name']}, {p['role']}{', team ' + p['team'] if p['team'] else ''}"
              f"{cases}{'' if p['active'] else ' (removed)'}")
    return 0


def cmd_users_remove(args: argparse.Namespace) -> int:
    row = team.remove_user(args.db or database_url(), args.name)
    print(f"Removed {row['username']} ({row['display_name']}) from the team: they can no longer sign in, their case "
          "assignments are gone, and what they wrote stays.")
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    url = args.db or database_url()
    if args.team is not None:
        if args.user or args.remove:
            raise CommandError("give --team to set the case's team, or --user to assign a person, not both")
        team.set_case_team(url, args.case, args.team)
        print(f"Case {args.case} is now team {args.team.strip()}'s: its supervisors see it." if args.team.strip()
              else f"Case {args.case} belongs to no team now.")
        return 0
    if not args.user:
        raise CommandError("name the person (--user NAME), or the case's team (--team T)")
    changed = team.assign(url, args.case, args.user, remove=args.remove)
    print(f"Took {args.user} off case {args.case}." if args.remove else
          f"Assigned {args.user} to case {args.case}." if changed else
          f"{args.user} was assigned to case {args.case} already.")
    return 0


def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="URL", help="the team's PostgreSQL database (default NEGLECT_KIT_DB), e.g. "
                   "postgresql+psycopg:///neglect_kit for its unix socket")


def _team_commands(sub: Any) -> None:
    p = sub.add_parser("server", help="a team's PostgreSQL database (see docs/roles.md)")
    server = p.add_subparsers(dest="action", required=True)
    p = server.add_parser("init", help="make the database a team's: schema, roles, row-level security, "
                          "grants, triggers (idempotent; run as the PostgreSQL superuser, and again after an upgrade)")
    _db_option(p)
    p.set_defaults(run=cmd_server_init)

    p = sub.add_parser("users", help="the team's people (run as the PostgreSQL superuser to add or remove)")
    users = p.add_subparsers(dest="action", required=True)
    p = users.add_parser("add", help="add a person: a database login named as their operating-system account")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--role", required=True, help=f"one of {', '.join(ROLES)}")
    p.add_argument("--team", help="their team (a supervisor sees the team's cases)")
    p.add_argument("--display-name", metavar="N", help="their name as records show it (default NAME)")
    _db_option(p)
    p.set_defaults(run=cmd_users_add)
    p = users.add_parser("list", help="the team's people, their roles, teams and cases")
    _db_option(p)
    p.set_defaults(run=cmd_users_list)
    p = users.add_parser("remove", help="take a person off the team (they can no longer sign in; their records stay)")
    p.add_argument("name", metavar="NAME")
    _db_option(p)
    p.set_defaults(run=cmd_users_remove)

    p = sub.add_parser("assign", help="assign a person to a case (or --remove them), or set a case's team; "
                       "an administrator's work")
    p.add_argument("--case", required=True)
    p.add_argument("--user", metavar="NAME")
    p.add_argument("--remove", action="store_true", help="take the person off the case")
    p.add_argument("--team", metavar="T", help="give the case to a team, whose supervisors then see it")
    _db_option(p)
    p.set_defaults(run=cmd_assign)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="neglect-kit", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="make the database named by NEGLECT_KIT_DB (nothing else creates one but "
                       "demo and load)")
    p.set_defaults(run=cmd_init)

    p = sub.add_parser("load", help="load a case folder (case.toml and its returns)")
    p.add_argument("path")
    p.add_argument("--valid-only", action="store_true", help="save the valid rows despite errors")
    p.add_argument("--notes", action="store_true", help="list every note (default: counted by kind)")
    p.set_defaults(run=cmd_load)

    p = sub.add_parser("demo", help="load every sample case")
    p.add_argument("--folder", default=str(shipped_folder("sample_cases")))
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser("cases", help="list the cases with children, plans and entry counts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_cases)

    p = sub.add_parser("import", help="import agency returns into a case")
    p.add_argument("--case", required=True)
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--valid-only", action="store_true", help="save the valid rows despite errors")
    p.add_argument("--agency", help="the agency of every row, for a return without an agency column")
    p.add_argument("--map", action="append", metavar="HEADER=FIELD",
                   help="read a column the kit does not recognise as a field")
    p.add_argument("--sheet", help="the workbook sheet (default the first)")
    p.add_argument("--children", metavar="A,B",
                   help="the child ids of every row, for a return without a child column")
    p.add_argument("--category", help="the category of every row, for a return of one kind")
    p.add_argument("--replace", action="store_true",
                   help="a return sent again replaces the previous one: rows no longer in it are withdrawn "
                        "(changed rows are saved as new versions either way)")
    p.add_argument("--notes", action="store_true", help="list every note (default: counted by kind)")
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("undo-import", help="withdraw every entry one import saved, with a reason")
    p.add_argument("--case", required=True)
    p.add_argument("--import", dest="import_id", type=int, required=True, metavar="N",
                   help="the import's number, as the import's report gave it")
    p.add_argument("--reason", required=True)
    p.set_defaults(run=cmd_undo_import)

    p = sub.add_parser("remove", help="remove a case loaded by mistake (asks for the case id; audited)")
    p.add_argument("--case", required=True)
    p.add_argument("--reason", help="why (kept in the audit record: write no names)")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(run=cmd_remove)

    p = sub.add_parser("export", help="write a case's chronology as CSV or JSON")
    p.add_argument("--case", required=True)
    p.add_argument("--format", choices=FORMATS, default="csv")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--codes", action="store_true", help="a CSV in the kit's field names and codes, which "
                   "`neglect-kit import` reads back to the same entries (default: headed and labelled in words)")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("analyse", help="what the records show: patterns, risks never named, drift, gaps")
    p.add_argument("--case", required=True)
    p.add_argument("--child", help="one child's findings (default every child of the case)")
    p.add_argument("--json", action="store_true", help="kind, child, period, counts, entry ids and message")
    p.add_argument("--as-at", metavar="DATE", help="measure the findings to this day (default today): records after "
                   "it are not counted, e.g. 2021-03-14 for a closed case")
    p.set_defaults(run=cmd_analyse)

    p = sub.add_parser("backup", help="write every row of the database to one file (checksummed; .gz to compress)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--db", metavar="URL", help="the database (default NEGLECT_KIT_DB)")
    p.set_defaults(run=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup into an empty database made by `neglect-kit init`")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--db", metavar="URL", help="the database (default NEGLECT_KIT_DB)")
    p.set_defaults(run=cmd_restore)

    p = sub.add_parser("serve", help="serve the apps with Voila on 127.0.0.1")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--allow-host", action="append", metavar="NAME",
                   help="answer to this host name too, as a proxy passes it on (settings: [server] allowed_hosts)")
    p.add_argument("--notebooks", default=str(shipped_folder("notebooks")))
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("hub", help="a team's server: JupyterHub on 127.0.0.1, each person's apps behind its sign-in "
                       "(run as root; docs/deployment-hub.md)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--db", metavar="URL", help="the team's PostgreSQL, reached over its unix socket with no user or "
                   "password (default NEGLECT_KIT_DB), e.g. postgresql+psycopg:///neglect_kit?host=/var/run/postgresql")
    p.add_argument("--users", action="append", metavar="NAME[,NAME...]",
                   help="who may sign in: their operating-system accounts")
    p.add_argument("--base-url", default="/", metavar="PATH", help="the path a TLS proxy in front serves the hub at")
    p.add_argument("--allow-host", action="append", metavar="NAME",
                   help="the host name the TLS proxy passes on (settings: [server] allowed_hosts)")
    p.add_argument("--state", metavar="FOLDER", help="the hub's own files (default: hub/ in the data folder)")
    p.add_argument("--config", metavar="FILE", help="a JupyterHub config file loaded last: the council's sign-in")
    p.add_argument("--notebooks", default=str(shipped_folder("notebooks")))
    p.set_defaults(run=cmd_hub)

    _team_commands(sub)
    research_commands(sub)
    return parser


BROKEN_PIPE = 141  # what a shell reports for a command whose reader closed (128 + SIGPIPE)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = int(args.run(args))
        sys.stdout.flush()  # a reader that closed early is found here, not at exit after main returned
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return BROKEN_PIPE
    except (CommandError, NotFound, StoreError, CaseFolderError, SettingsError, FileNotFoundError,
            ValueError) as exc:
        print(f"neglect-kit {_command(args)}: {exc}", file=sys.stderr)
        return 2
    except DatabaseFailure as exc:  # the write was rolled back whole: nothing saved
        print(f"neglect-kit {_command(args)}: the database refused ({database_said(exc)}): nothing was saved",
              file=sys.stderr)
        return 2
    except OSError as exc:  # a file or folder the system refused: named, never a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"neglect-kit {_command(args)}: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2


def _command(args: argparse.Namespace) -> str:
    """The command as typed, with its action for those that have one (`users add`)."""
    return " ".join(filter(None, (args.command, getattr(args, "action", None), getattr(args, "codebook_action", None))))


def _quiet_stdout() -> None:
    """Point stdout at the null device, so Python's flush at exit finds no closed pipe to complain of."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (under a test's capture): nothing to flush at exit
        pass


if __name__ == "__main__":
    sys.exit(main())

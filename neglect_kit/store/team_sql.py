"""The SQL that makes a PostgreSQL database a team's: roles, ownership, row-level security, grants, triggers.

Run by `team.server_init` as a superuser, each statement idempotent (roles made only when missing, policies and
triggers dropped and made again, grants revoked and given again), so `neglect-kit server init` can run at every
upgrade. `@schema@` stands for the kit's schema, quoted. The SECURITY DEFINER functions are `team_functions.py`'s.

Who may do what (docs/roles.md says it in words):
- The tables and the SECURITY DEFINER functions belong to `nk_owner`, a role nobody logs in as; `FORCE ROW LEVEL
  SECURITY` binds even it, through a policy of its own that the functions use.
- Practitioners and supervisors (`nk_practitioner`, `nk_supervisor`) read and add case rows by caseload
  (`nk_my_cases`); a record's versions are only inserted, and its head only moves on to the next version.
- A supervision session's signatures change only by one signature added by the person connected, as the person
  the record names in that role (`nk_check_signatures`); wellbeing notes are read and written only by the
  session's named supervisor and worker (`nk_named_in`).
- Researchers (`nk_researcher`) and administrators (`nk_admin`) get no grant on case content; an administrator
  assigns cases, sets a case's team and removes a case through functions that record who did it.
- Researchers load reviews, code, write memos, reconcile and save codebooks (append-only); each reads another's
  codings and memos on a review only once every coder assigned to it has finished (`nk_review_unblinded`), codes
  only a review assigned to them and not yet finished (`nk_may_code`), and marks it finished only through
  `nk_finish_review`. An administrator assigns a review's coders (researchers only) and reads no coding;
  practitioners and supervisors get nothing of the research tables.
- Extracts (`research/extract_requests.py`): an administrator approves cases for one researcher with a purpose, and
  withdraws an approval, only through `nk_approve_extract` and `nk_withdraw_approval`. A researcher reads their own
  approvals without their cases (`nk_approval_size` counts them), requests an extract only of their own live
  approval (a request's status, author and results are the database's to set, `nk_new_request`), and reads only
  their own requests. The extract service (`nk_extractor`) claims a waiting request and reads the named rows of the
  cases of the requests it is taking, and of no other case (`nk_taking_cases`), never a wellbeing note; a request
  finished (done, refused, failed) never changes again (`nk_request_moves_on`). Practitioners and supervisors get
  nothing of the three tables.
- The author of every row (`created_by`, `undone_by`, `added_by`, `assigned_by`) is `session_user`, whatever was
  sent. A superuser (the server's administrator, who can switch any of this off) is not held by the triggers, so a
  restore keeps its authors.
"""

from __future__ import annotations

from .team_functions import CASE_STAFF, EXTRACTOR, FUNCTIONS, OWNER, RESEARCHER, function_rights

# The group role of each role (`identity.ROLES`).
GROUPS = {"practitioner": "nk_practitioner", "supervisor": "nk_supervisor", "researcher": "nk_researcher",
          "administrator": "nk_admin", "extractor": "nk_extractor"}
ALL_GROUPS = ", ".join(GROUPS.values())

# column of each table naming who wrote the row (set to session_user on insert).
AUTHOR_COLUMNS = {"cases": "created_by", "people": "created_by", "plans": "created_by", "records": "created_by",
                  "imports": "created_by", "case_removals": "created_by", "staff": "added_by",
                  "case_assignments": "assigned_by", "reviews": "created_by", "review_coders": "assigned_by",
                  "codings": "coder", "memos": "coder", "reconciliations": "created_by", "codebooks": "created_by",
                  "extract_approvals": "approved_by"}
WELLBEING_KIND = "supervision_wellbeing"


def roles() -> list[str]:
    """Make the owner and the group roles when missing; none logs in."""
    statements = []
    for role in (OWNER, *GROUPS.values()):
        statements.append(f"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} NOLOGIN; END IF;
END $$""")
        statements.append(f"ALTER ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB")
    statements.append(f"GRANT USAGE ON SCHEMA @schema@ TO {OWNER}, {ALL_GROUPS}")
    # no one but the superuser makes objects beside the kit's (PostgreSQL 15 already keeps PUBLIC out)
    statements.append("REVOKE CREATE ON SCHEMA @schema@ FROM PUBLIC")
    return statements


def ownership(tables: list[str]) -> list[str]:
    """The kit's tables (and their sequences) owned by nk_owner, with row-level security that binds it too."""
    statements = []
    for table in tables:
        statements += [f"ALTER TABLE {table} OWNER TO {OWNER}",
                       f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
                       f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
                       f"REVOKE ALL ON {table} FROM PUBLIC, {ALL_GROUPS}"]
    statements += ["REVOKE ALL ON alembic_version FROM PUBLIC",
                   f"GRANT SELECT ON alembic_version TO {ALL_GROUPS}"]  # opening the store reads the revision
    return statements


_MINE = "case_id IN (SELECT nk_my_cases())"
# wellbeing notes: only the session's named supervisor and worker
# the group's grants are the server's (a login may be in a group for another database): the role here is the staff row's
_ADMIN = "nk_my_role() = 'administrator'"
_RECORD = f"{_MINE} AND (kind <> '{WELLBEING_KIND}' OR nk_named_in(body))"
_RESEARCH = "nk_my_role() = 'researcher'"
# the blind rule: a coder's own codings and memos, and everyone's on a review every assigned coder has finished
_BLIND = f"{_RESEARCH} AND (coder = session_user OR nk_review_unblinded(review_id))"
RESEARCH_TABLES = ("reviews", "review_coders", "codings", "memos", "reconciliations", "codebooks")
_EXTRACTOR = "nk_my_role() = 'extractor'"
_TAKING = "case_id IN (SELECT nk_taking_cases())"


def policies(tables: list[str]) -> list[str]:
    """Row-level security: nk_owner (the functions) everything; case staff by caseload; the rest by role."""
    wanted = {table: [f"CREATE POLICY nk_owner_all ON {table} FOR ALL TO {OWNER} USING (true) WITH CHECK (true)"]
              for table in tables}
    for table in ("people", "plans", "imports", "record_heads"):
        wanted[table] += [f"CREATE POLICY nk_read ON {table} FOR SELECT TO {CASE_STAFF} USING ({_MINE})",
                          f"CREATE POLICY nk_add ON {table} FOR INSERT TO {CASE_STAFF} WITH CHECK ({_MINE})"]
    for table in ("imports", "record_heads"):
        wanted[table].append(f"CREATE POLICY nk_change ON {table} FOR UPDATE TO {CASE_STAFF} "
                             f"USING ({_MINE}) WITH CHECK ({_MINE})")
    wanted["records"] += [f"CREATE POLICY nk_read ON records FOR SELECT TO {CASE_STAFF} USING ({_RECORD})",
                          f"CREATE POLICY nk_add ON records FOR INSERT TO {CASE_STAFF} WITH CHECK ({_RECORD})"]
    wanted["cases"] += [
        f"CREATE POLICY nk_read ON cases FOR SELECT TO {CASE_STAFF} USING (id IN (SELECT nk_my_cases()))",
        # a new case is its maker's (nk_case_assign_maker assigns it to them)
        f"CREATE POLICY nk_add ON cases FOR INSERT TO {CASE_STAFF} WITH CHECK (true)"]
    wanted["staff"].append(f"CREATE POLICY nk_read ON staff FOR SELECT TO {ALL_GROUPS} USING (true)")
    wanted["case_assignments"] += [
        f"CREATE POLICY nk_read ON case_assignments FOR SELECT TO {CASE_STAFF} "
        f"USING (username = session_user OR {_MINE})",
        f"CREATE POLICY nk_admin_all ON case_assignments FOR ALL TO nk_admin USING ({_ADMIN}) WITH CHECK ({_ADMIN})"]
    wanted["case_removals"].append(f"CREATE POLICY nk_read ON case_removals FOR SELECT TO nk_admin USING ({_ADMIN})")
    for table in RESEARCH_TABLES:
        seen = _BLIND if table in ("codings", "memos") else _RESEARCH
        wanted[table].append(f"CREATE POLICY nk_read ON {table} FOR SELECT TO {RESEARCHER} USING ({seen})")
    for table, check in (("reviews", _RESEARCH), ("codebooks", _RESEARCH),
                         ("reconciliations", f"{_RESEARCH} AND nk_review_unblinded(review_id)"),
                         ("codings", f"{_RESEARCH} AND coder = session_user AND nk_may_code(review_id)"),
                         ("memos", f"{_RESEARCH} AND coder = session_user")):
        wanted[table].append(f"CREATE POLICY nk_add ON {table} FOR INSERT TO {RESEARCHER} WITH CHECK ({check})")
    wanted["reviews"].append(f"CREATE POLICY nk_admin_read ON reviews FOR SELECT TO nk_admin USING ({_ADMIN})")
    wanted["review_coders"] += [
        f"CREATE POLICY nk_admin_read ON review_coders FOR SELECT TO nk_admin USING ({_ADMIN})",
        f"CREATE POLICY nk_admin_add ON review_coders FOR INSERT TO nk_admin WITH CHECK ({_ADMIN})",
        # a finished coding stands, and its coder with it
        f"CREATE POLICY nk_admin_remove ON review_coders FOR DELETE TO nk_admin "
        f"USING ({_ADMIN} AND finished_at IS NULL)"]
    # the extract service: the rows of the cases it is taking now, never a wellbeing note
    for table in ("people", "plans", "imports"):
        wanted[table].append(f"CREATE POLICY nk_extract ON {table} FOR SELECT TO {EXTRACTOR} USING ({_TAKING})")
    for table in ("records", "record_heads"):
        wanted[table].append(f"CREATE POLICY nk_extract ON {table} FOR SELECT TO {EXTRACTOR} "
                             f"USING ({_TAKING} AND kind <> '{WELLBEING_KIND}')")
    wanted["cases"].append(f"CREATE POLICY nk_extract ON cases FOR SELECT TO {EXTRACTOR} "
                           "USING (id IN (SELECT nk_taking_cases()))")
    for table in ("extract_approvals", "extract_approval_cases"):
        wanted[table] += [f"CREATE POLICY nk_admin_read ON {table} FOR SELECT TO nk_admin USING ({_ADMIN})",
                          f"CREATE POLICY nk_extract ON {table} FOR SELECT TO {EXTRACTOR} USING ({_EXTRACTOR})"]
    wanted["extract_approvals"].append(f"CREATE POLICY nk_read ON extract_approvals FOR SELECT TO {RESEARCHER} "
                                       f"USING ({_RESEARCH} AND researcher = session_user)")
    wanted["extract_requests"] += [
        f"CREATE POLICY nk_read ON extract_requests FOR SELECT TO {RESEARCHER} "
        f"USING ({_RESEARCH} AND requested_by = session_user)",
        f"CREATE POLICY nk_add ON extract_requests FOR INSERT TO {RESEARCHER} "
        "WITH CHECK (requested_by = session_user AND nk_may_request(approval_id))",
        f"CREATE POLICY nk_admin_read ON extract_requests FOR SELECT TO nk_admin USING ({_ADMIN})",
        f"CREATE POLICY nk_extract ON extract_requests FOR SELECT TO {EXTRACTOR} USING ({_EXTRACTOR})",
        f"CREATE POLICY nk_take ON extract_requests FOR UPDATE TO {EXTRACTOR} "
        f"USING ({_EXTRACTOR}) WITH CHECK ({_EXTRACTOR})"]  # how a request may change: nk_request_moves_on
    statements = [f"""
DO $$ DECLARE p record; BEGIN
  FOR p IN SELECT policyname FROM pg_policies WHERE schemaname = current_schema() AND tablename = '{table}' LOOP
    EXECUTE format('DROP POLICY %I ON {table}', p.policyname);
  END LOOP;
END $$""" for table in tables]
    return statements + [s for table in tables for s in wanted[table]]


def grants() -> list[str]:
    """Table grants by group: records append-only, a head's version and status the only columns that change."""
    statements = [
        f"GRANT SELECT, INSERT ON cases, people, plans, records, record_heads, imports TO {CASE_STAFF}",
        f"GRANT UPDATE (version, status) ON record_heads TO {CASE_STAFF}",
        f"GRANT UPDATE (undone_id, undone_at, undone_by, undo_reason) ON imports TO {CASE_STAFF}",
        f"GRANT SELECT ON staff TO {ALL_GROUPS}",
        f"GRANT SELECT ON case_assignments TO {CASE_STAFF}",
        "GRANT SELECT, INSERT, DELETE ON case_assignments TO nk_admin",
        "GRANT SELECT ON case_removals TO nk_admin",
        f"GRANT SELECT, INSERT ON reviews, codings, memos, reconciliations, codebooks TO {RESEARCHER}",
        f"GRANT SELECT ON review_coders TO {RESEARCHER}",
        # an administrator assigns coders: the reviews' facts, never their text, and no coding
        "GRANT SELECT (id, meta, source_name, sha256, created_at, created_by) ON reviews TO nk_admin",
        "GRANT SELECT, INSERT, DELETE ON review_coders TO nk_admin",
        # extracts: approvals only through the functions; a researcher never reads an approval's cases
        "GRANT SELECT ON extract_approvals, extract_approval_cases TO nk_admin",
        "GRANT SELECT (id, approval_id, requested_by, min_k, reason, requested_at, status, message, taken_by, "
        "finished_at, residual) ON extract_requests TO nk_admin",
        f"GRANT SELECT (id, researcher, purpose, approved_by, approved_at, withdrawn_at) ON extract_approvals "
        f"TO {RESEARCHER}",
        f"GRANT SELECT, INSERT ON extract_requests TO {RESEARCHER}",
        f"GRANT SELECT ON cases, people, plans, records, record_heads, imports TO {EXTRACTOR}",
        f"GRANT SELECT ON extract_approvals, extract_approval_cases, extract_requests TO {EXTRACTOR}",
        f"GRANT UPDATE (status, message, taken_by, finished_at, residual, archive) ON extract_requests TO {EXTRACTOR}",
    ]
    statements.append(f"""
DO $$ DECLARE s text; BEGIN
  FOREACH s IN ARRAY ARRAY[pg_get_serial_sequence('plans', 'id'), pg_get_serial_sequence('records', 'row_id'),
                           pg_get_serial_sequence('imports', 'id')] LOOP
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO {CASE_STAFF}', s);
  END LOOP;
  FOREACH s IN ARRAY ARRAY[pg_get_serial_sequence('codings', 'row_id'), pg_get_serial_sequence('memos', 'row_id'),
                           pg_get_serial_sequence('reconciliations', 'row_id'),
                           pg_get_serial_sequence('extract_requests', 'id')] LOOP
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO {RESEARCHER}', s);
  END LOOP;
END $$""")
    return statements


def triggers() -> list[str]:
    """Authors set by the database; heads only forward; versions in order; signatures checked."""
    wanted = [(f"nk_author_{table}", table, f"BEFORE INSERT ON {table} FOR EACH ROW "
               f"EXECUTE FUNCTION nk_set_author('{column}')") for table, column in AUTHOR_COLUMNS.items()]
    wanted += [
        ("nk_undone_by", "imports", "BEFORE UPDATE ON imports FOR EACH ROW EXECUTE FUNCTION nk_set_undone_by()"),
        ("nk_case_team", "cases", "BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION nk_case_team()"),
        ("nk_case_assign_maker", "cases", "AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION nk_case_assign_maker()"),
        ("nk_head_forward", "record_heads",
         "BEFORE UPDATE ON record_heads FOR EACH ROW EXECUTE FUNCTION nk_head_forward()"),
        ("nk_signatures", "records", "BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION nk_check_signatures()"),
        ("nk_coder_is_researcher", "review_coders",
         "BEFORE INSERT ON review_coders FOR EACH ROW EXECUTE FUNCTION nk_coder_is_researcher()"),
        ("nk_new_request", "extract_requests",
         "BEFORE INSERT ON extract_requests FOR EACH ROW EXECUTE FUNCTION nk_new_request()"),
        ("nk_request_moves_on", "extract_requests",
         "BEFORE UPDATE ON extract_requests FOR EACH ROW EXECUTE FUNCTION nk_request_moves_on()"),
    ]
    statements = []
    for name, table, rest in wanted:
        statements += [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"CREATE TRIGGER {name} {rest}"]
    # checked at commit, once the save has written both its version and its head
    for name, table, rest in (
            ("nk_head_has_version", "record_heads", "AFTER INSERT OR UPDATE ON record_heads DEFERRABLE INITIALLY "
             "DEFERRED FOR EACH ROW EXECUTE FUNCTION nk_head_has_version()"),
            ("nk_version_in_order", "records", "AFTER INSERT ON records DEFERRABLE INITIALLY DEFERRED "
             "FOR EACH ROW EXECUTE FUNCTION nk_version_in_order()")):
        statements += [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"CREATE CONSTRAINT TRIGGER {name} {rest}"]
    return statements


def setup(tables: list[str]) -> list[str]:
    """Every statement of `server init`, in order."""
    return [*roles(), *ownership(tables), *FUNCTIONS, *function_rights(), *policies(tables), *grants(),
            *triggers()]

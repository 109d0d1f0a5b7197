"""The SQL that makes a PostgreSQL database a team's: roles, ownership, row-level security, grants, triggers.

Run by `team.server_init` as a superuser, each statement idempotent (roles made only when missing, policies and
triggers dropped and made again, grants revoked and given again), so `neglect-kit server init` can run at every
upgrade. `@schema@` stands for the kit's schema, quoted.

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

OWNER = "nk_owner"
# The group role of each role (`identity.ROLES`).
GROUPS = {"practitioner": "nk_practitioner", "supervisor": "nk_supervisor", "researcher": "nk_researcher",
          "administrator": "nk_admin", "extractor": "nk_extractor"}
CASE_STAFF = "nk_practitioner, nk_supervisor"
RESEARCHER = "nk_researcher"
EXTRACTOR = "nk_extractor"
ALL_GROUPS = ", ".join(GROUPS.values())
# SQLSTATEs of the kit's own refusals, told in their own words (`team.refusal`): not allowed, and no such thing.
REFUSED, MISSING = "NK403", "NK404"

# Tables holding a case's rows, read and added to by caseload.
CASE_TABLES = ("cases", "people", "plans", "records", "record_heads", "imports")
# column of each table naming who wrote the row (set to session_user on insert).
AUTHOR_COLUMNS = {"cases": "created_by", "people": "created_by", "plans": "created_by", "records": "created_by",
                  "imports": "created_by", "case_removals": "created_by", "staff": "added_by",
                  "case_assignments": "assigned_by", "reviews": "created_by", "review_coders": "assigned_by",
                  "codings": "coder", "memos": "coder", "reconciliations": "created_by", "codebooks": "created_by",
                  "extract_approvals": "approved_by"}
SESSION_KIND, WELLBEING_KIND = "supervision_session", "supervision_wellbeing"


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


# Every function runs with the kit's schema first, so no one's own objects can stand in for the kit's.
_DEFINER = "SECURITY DEFINER SET search_path = @schema@, pg_temp"

FUNCTIONS = [
    # names compared as `vocab.normalise` compares them: lower case, runs of anything else one space
    """CREATE OR REPLACE FUNCTION nk_norm(name text) RETURNS text LANGUAGE sql IMMUTABLE
       SET search_path = @schema@, pg_temp
       AS $$ SELECT btrim(regexp_replace(lower(coalesce(name, '')), '[^0-9a-z]+', ' ', 'g')) $$""",
    f"""CREATE OR REPLACE FUNCTION nk_is_superuser() RETURNS boolean LANGUAGE sql STABLE {_DEFINER}
       AS $$ SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false) $$""",
    # the person connected, as the team knows them (no row: not one of the team's staff)
    f"""CREATE OR REPLACE FUNCTION nk_whoami()
       RETURNS TABLE (username text, display_name text, role text, team text) LANGUAGE sql STABLE {_DEFINER}
       AS $$ SELECT s.username, s.display_name, s.role, s.team FROM staff s
             WHERE s.username = session_user AND s.active $$""",
    f"""CREATE OR REPLACE FUNCTION nk_my_role() RETURNS text LANGUAGE sql STABLE {_DEFINER}
       AS $$ SELECT s.role FROM staff s WHERE s.username = session_user AND s.active $$""",
    # the caseload: cases assigned to the person; a supervisor's team's cases as well. PL/pgSQL, not SQL: a
    # SQL function's query is planned again at every call, and every policy check calls this once
    f"""CREATE OR REPLACE FUNCTION nk_my_cases() RETURNS SETOF text LANGUAGE plpgsql STABLE {_DEFINER}
       AS $$ BEGIN
         RETURN QUERY
         SELECT a.case_id::text FROM case_assignments a JOIN staff s ON s.username = a.username
          WHERE a.username = session_user AND s.active AND s.role IN ('practitioner', 'supervisor')
         UNION
         SELECT c.id::text FROM cases c JOIN staff s ON s.team = c.team
          WHERE s.username = session_user AND s.active AND s.role = 'supervisor' AND c.team <> '';
       END $$""",
    # whether the person connected is the supervisor or the worker a record's body names
    f"""CREATE OR REPLACE FUNCTION nk_named_in(body text) RETURNS boolean LANGUAGE sql STABLE {_DEFINER}
       AS $$
         SELECT coalesce((SELECT nk_norm(s.display_name) <> '' AND nk_norm(s.display_name) IN
                                 (nk_norm(body::jsonb ->> 'supervisor'), nk_norm(body::jsonb ->> 'worker'))
                            FROM staff s WHERE s.username = session_user AND s.active), false)
       $$""",
    # the author of a row is the person connected, whatever was sent (TG_ARGV[0] names the column)
    f"""CREATE OR REPLACE FUNCTION nk_set_author() RETURNS trigger LANGUAGE plpgsql {_DEFINER}
       AS $$ BEGIN
         IF NOT nk_is_superuser() THEN
           NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], session_user));
         END IF;
         RETURN NEW;
       END $$""",
    f"""CREATE OR REPLACE FUNCTION nk_set_undone_by() RETURNS trigger LANGUAGE plpgsql {_DEFINER}
       AS $$ BEGIN
         IF NOT nk_is_superuser() AND NEW.undone_id IS DISTINCT FROM OLD.undone_id THEN
           NEW.undone_by := session_user;
         END IF;
         RETURN NEW;
       END $$""",
    # a case made by one of the team's staff is theirs: their team's, and assigned to them
    f"""CREATE OR REPLACE FUNCTION nk_case_team() RETURNS trigger LANGUAGE plpgsql {_DEFINER}
       AS $$ BEGIN
         IF NEW.team = '' THEN NEW.team := coalesce((SELECT team FROM nk_whoami()), ''); END IF;
         RETURN NEW;
       END $$""",
    f"""CREATE OR REPLACE FUNCTION nk_case_assign_maker() RETURNS trigger LANGUAGE plpgsql {_DEFINER}
       AS $$ BEGIN
         IF nk_my_role() IN ('practitioner', 'supervisor') THEN
           INSERT INTO case_assignments (case_id, username, assigned_at, assigned_by)
           VALUES (NEW.id, session_user, now(), session_user) ON CONFLICT DO NOTHING;
         END IF;
         RETURN NULL;
       END $$""",
    # a record's head moves only on, to the next version, and stays with its record and case
    f"""CREATE OR REPLACE FUNCTION nk_head_forward() RETURNS trigger LANGUAGE plpgsql {_DEFINER}
       AS $$ BEGIN
         IF nk_is_superuser() THEN RETURN NEW; END IF;
         IF NEW.record_id IS DISTINCT FROM OLD.record_id OR NEW.kind IS DISTINCT FROM OLD.kind
            OR NEW.case_id IS DISTINCT FROM OLD.case_id THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = 'a record stays the record of its kind and case: it cannot be moved';
         END IF;
         IF NEW.version IS DISTINCT FROM OLD.version + 1 THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = format('a record''s current version only moves on to its next one (from %s to %s, not %s): '
                              'saved versions are never undone or skipped', OLD.version, OLD.version + 1,
                              NEW.version);
         END IF;
         RETURN NEW;
       END $$""",
    # at commit: a head points at a version that was written, with that version's status
    f"""CREATE OR REPLACE FUNCTION nk_head_has_version() RETURNS trigger LANGUAGE plpgsql {_DEFINER}
       AS $$ BEGIN
         IF NOT nk_is_superuser() AND NOT EXISTS (
             SELECT FROM records r WHERE r.record_id = NEW.record_id AND r.version = NEW.version
                                     AND r.status = NEW.status AND r.kind = NEW.kind AND r.case_id = NEW.case_id) THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = format('record %s''s current version %s was never written: a save writes the version '
                              'with the head', NEW.record_id, NEW.version);
         END IF;
         RETURN NULL;
       END $$""",
    # at commit: a version written follows the one before it and is the record's current version or older
    f"""CREATE OR REPLACE FUNCTION nk_version_in_order() RETURNS trigger LANGUAGE plpgsql {_DEFINER}
       AS $$ BEGIN
         IF nk_is_superuser() THEN RETURN NULL; END IF;
         IF NOT EXISTS (SELECT FROM record_heads h WHERE h.record_id = NEW.record_id AND h.version >= NEW.version
                                                    AND h.kind = NEW.kind AND h.case_id = NEW.case_id)
            OR (NEW.version > 1 AND NOT EXISTS (
                SELECT FROM records r WHERE r.record_id = NEW.record_id AND r.version = NEW.version - 1)) THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = format('version %s of record %s is not the next version of the record: a save moves the '
                              'record on one version at a time', NEW.version, NEW.record_id);
         END IF;
         RETURN NULL;
       END $$""",
    # a supervision session's signatures: kept as they are, or one added by the person connected as the
    # person the record names in that role; a draft signed by one may lose that signature when edited
    f"""CREATE OR REPLACE FUNCTION nk_check_signatures() RETURNS trigger LANGUAGE plpgsql {_DEFINER}
       AS $$
       DECLARE
         before jsonb; after jsonb; old_sigs jsonb; new_sigs jsonb; added jsonb; me record; named text;
       BEGIN
         IF NEW.kind <> '{SESSION_KIND}' OR nk_is_superuser() THEN RETURN NEW; END IF;
         after := NEW.body::jsonb;  -- read only for a session: other records' bodies are not parsed
         SELECT r.body::jsonb INTO before FROM records r
          WHERE r.record_id = NEW.record_id AND r.version = NEW.version - 1;
         old_sigs := coalesce(before -> 'signatures', '[]'::jsonb);
         new_sigs := coalesce(after -> 'signatures', '[]'::jsonb);
         IF new_sigs = old_sigs THEN RETURN NEW; END IF;
         IF new_sigs = '[]'::jsonb AND jsonb_array_length(old_sigs) = 1
            AND (after - 'signatures' - 'amendments') IS DISTINCT FROM (before - 'signatures' - 'amendments') THEN
           RETURN NEW;  -- a draft edited: its one signature goes, and that person signs again
         END IF;
         added := new_sigs -> -1;
         IF jsonb_array_length(new_sigs) <> jsonb_array_length(old_sigs) + 1
            OR new_sigs <> old_sigs || jsonb_build_array(added) THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = 'a signature on a supervision record is never changed or removed: each person adds '
                       'only their own';
         END IF;
         SELECT * INTO me FROM nk_whoami();
         named := CASE added ->> 'role' WHEN 'supervisor' THEN after ->> 'supervisor'
                                        WHEN 'worker' THEN after ->> 'worker' END;
         IF me IS NULL OR named IS NULL OR nk_norm(me.display_name) <> nk_norm(named)
            OR nk_norm(added ->> 'who') <> nk_norm(named) THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = format('only %s, the %s this record names, may sign it as %s', coalesce(named, 'the person'),
                              coalesce(added ->> 'role', 'signer'), coalesce(added ->> 'role', 'that'));
         END IF;
         IF added ->> 'role' = 'supervisor' AND me.role <> 'supervisor'
            OR added ->> 'role' = 'worker' AND me.role NOT IN ('practitioner', 'supervisor') THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = format('your role (%s) does not allow you to sign as a session''s %s', me.role,
                              added ->> 'role');
         END IF;
         RETURN NEW;
       END $$""",
    # the administrator's work: a case's team, and removing a case loaded by mistake (an audit row kept)
    f"""CREATE OR REPLACE FUNCTION nk_set_case_team(the_case text, the_team text) RETURNS void
       LANGUAGE plpgsql {_DEFINER}
       AS $$ BEGIN
         IF NOT nk_is_superuser() AND nk_my_role() IS DISTINCT FROM 'administrator' THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = 'your role does not allow you to set a case''s team (an administrator''s work)';
         END IF;
         UPDATE cases SET team = the_team WHERE id = the_case;
         IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = '{MISSING}',
           MESSAGE = format('no case %L', the_case); END IF;
       END $$""",
    f"""CREATE OR REPLACE FUNCTION nk_remove_case(the_case text, why text) RETURNS jsonb
       LANGUAGE plpgsql {_DEFINER}
       AS $$
       DECLARE counts jsonb;
       BEGIN
         IF NOT nk_is_superuser() AND nk_my_role() IS DISTINCT FROM 'administrator' THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = 'your role does not allow you to remove a case (an administrator''s work)';
         END IF;
         IF NOT EXISTS (SELECT FROM cases WHERE id = the_case) THEN
           RAISE EXCEPTION USING ERRCODE = '{MISSING}', MESSAGE = format('no case %L', the_case);
         END IF;
         -- the same counts as `Store.remove_case` keeps on a database of one person's own
         counts := jsonb_build_object(
             'people', (SELECT count(*) FROM people WHERE case_id = the_case),
             'plans', (SELECT count(*) FROM plans WHERE case_id = the_case),
             'imports', (SELECT count(*) FROM imports WHERE case_id = the_case))
           || coalesce((SELECT jsonb_object_agg(kind, n) FROM
                        (SELECT kind, count(*) AS n FROM record_heads WHERE case_id = the_case GROUP BY kind) k),
                       '{{}}'::jsonb);
         DELETE FROM case_assignments WHERE case_id = the_case;
         DELETE FROM extract_approval_cases WHERE case_id = the_case;  -- an approval names no case gone
         DELETE FROM record_heads WHERE case_id = the_case;
         DELETE FROM records WHERE case_id = the_case;
         DELETE FROM imports WHERE case_id = the_case;
         DELETE FROM plans WHERE case_id = the_case;
         DELETE FROM people WHERE case_id = the_case;
         DELETE FROM cases WHERE id = the_case;
         INSERT INTO case_removals (case_id, reason, counts, created_at, created_by)
         VALUES (the_case, why, counts::json, now(), session_user);
         RETURN counts;
       END $$""",
    # research: the blind rule (every coder assigned to a review has finished it), who may still code a review,
    # and finishing (a coder's own row, once)
    f"""CREATE OR REPLACE FUNCTION nk_review_unblinded(the_review text) RETURNS boolean LANGUAGE plpgsql STABLE
       {_DEFINER}
       AS $$ BEGIN
         RETURN EXISTS (SELECT FROM review_coders WHERE review_id = the_review)
            AND NOT EXISTS (SELECT FROM review_coders WHERE review_id = the_review AND finished_at IS NULL);
       END $$""",
    f"""CREATE OR REPLACE FUNCTION nk_may_code(the_review text) RETURNS boolean LANGUAGE plpgsql STABLE {_DEFINER}
       AS $$ BEGIN
         RETURN EXISTS (SELECT FROM review_coders WHERE review_id = the_review AND coder = session_user
                                                    AND finished_at IS NULL);
       END $$""",
    f"""CREATE OR REPLACE FUNCTION nk_finish_review(the_review text) RETURNS void LANGUAGE plpgsql {_DEFINER}
       AS $$ BEGIN
         IF nk_my_role() IS DISTINCT FROM 'researcher' THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = 'your role does not allow you to mark a review finished (a coder''s own work)';
         END IF;
         UPDATE review_coders SET finished_at = now()
          WHERE review_id = the_review AND coder = session_user AND finished_at IS NULL;
         IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
           MESSAGE = format('you are not coding review %s: not assigned to it, or finished it already', the_review);
         END IF;
       END $$""",
    # a review's coder is one of the team's researchers, assigned unfinished
    f"""CREATE OR REPLACE FUNCTION nk_coder_is_researcher() RETURNS trigger LANGUAGE plpgsql {_DEFINER}
       AS $$ BEGIN
         IF nk_is_superuser() THEN RETURN NEW; END IF;
         IF NOT EXISTS (SELECT FROM staff WHERE username = NEW.coder AND active AND role = 'researcher') THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = format('%s is not one of the team''s researchers: only researchers code reviews', NEW.coder);
         END IF;
         NEW.finished_at := NULL;
         RETURN NEW;
       END $$""",
]

# extracts: approving and withdrawing (an administrator's), requesting (a researcher's own live approval), the
# service's cases (those of the requests it is taking now), and a request that only moves on
FUNCTIONS += [
    f"""CREATE OR REPLACE FUNCTION nk_approve_extract(the_researcher text, the_cases text[], the_purpose text)
       RETURNS integer LANGUAGE plpgsql {_DEFINER}
       AS $$
       DECLARE new_id integer; missing text; who text;
       BEGIN
         IF NOT nk_is_superuser() AND nk_my_role() IS DISTINCT FROM 'administrator' THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = 'your role does not allow you to approve an extract (an administrator''s work)';
         END IF;
         SELECT role INTO who FROM staff WHERE username = the_researcher AND active;
         IF who IS NULL THEN
           RAISE EXCEPTION USING ERRCODE = '{MISSING}',
             MESSAGE = format('no one called %L is on the team''s staff', the_researcher);
         END IF;
         IF who <> 'researcher' THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = format('%s is a %s: extracts are approved for researchers only', the_researcher, who);
         END IF;
         IF btrim(coalesce(the_purpose, '')) = '' THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = 'give the purpose of the extract: the approval keeps it';
         END IF;
         IF coalesce(cardinality(the_cases), 0) = 0 THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}', MESSAGE = 'name at least one case';
         END IF;
         SELECT c INTO missing FROM unnest(the_cases) AS c WHERE NOT EXISTS (SELECT FROM cases WHERE id = c) LIMIT 1;
         IF missing IS NOT NULL THEN
           RAISE EXCEPTION USING ERRCODE = '{MISSING}', MESSAGE = format('no case %L', missing);
         END IF;
         INSERT INTO extract_approvals (researcher, purpose, approved_by, approved_at)
         VALUES (the_researcher, btrim(the_purpose), session_user, now()) RETURNING id INTO new_id;
         INSERT INTO extract_approval_cases (approval_id, case_id)
         SELECT DISTINCT new_id, c FROM unnest(the_cases) AS c;
         RETURN new_id;
       END $$""",
    f"""CREATE OR REPLACE FUNCTION nk_withdraw_approval(the_id integer) RETURNS void LANGUAGE plpgsql {_DEFINER}
       AS $$ BEGIN
         IF NOT nk_is_superuser() AND nk_my_role() IS DISTINCT FROM 'administrator' THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = 'your role does not allow you to withdraw an approval (an administrator''s work)';
         END IF;
         UPDATE extract_approvals SET withdrawn_by = session_user, withdrawn_at = now()
          WHERE id = the_id AND withdrawn_at IS NULL;
         IF NOT FOUND THEN RAISE EXCEPTION USING ERRCODE = '{MISSING}',
           MESSAGE = format('no approval %s, or it is withdrawn already', the_id);
         END IF;
       END $$""",
    # how many cases a researcher's own approval holds (they never read which)
    f"""CREATE OR REPLACE FUNCTION nk_approval_size(the_id integer) RETURNS integer LANGUAGE sql STABLE {_DEFINER}
       AS $$ SELECT count(*)::integer FROM extract_approval_cases c JOIN extract_approvals a ON a.id = c.approval_id
             WHERE a.id = the_id AND a.researcher = session_user $$""",
    f"""CREATE OR REPLACE FUNCTION nk_may_request(the_id integer) RETURNS boolean LANGUAGE plpgsql STABLE {_DEFINER}
       AS $$ BEGIN
         RETURN nk_my_role() = 'researcher' AND EXISTS (
           SELECT FROM extract_approvals WHERE id = the_id AND researcher = session_user AND withdrawn_at IS NULL);
       END $$""",
    f"""CREATE OR REPLACE FUNCTION nk_taking_cases() RETURNS SETOF text LANGUAGE plpgsql STABLE {_DEFINER}
       AS $$ BEGIN
         IF nk_my_role() IS DISTINCT FROM 'extractor' THEN RETURN; END IF;
         RETURN QUERY
         SELECT c.case_id::text FROM extract_approval_cases c
           JOIN extract_requests r ON r.approval_id = c.approval_id
           JOIN extract_approvals a ON a.id = c.approval_id
          WHERE r.status = 'taking' AND r.taken_by = session_user AND a.withdrawn_at IS NULL;
       END $$""",
    # a new request: its author is the person connected, it waits, and its results are the service's to give
    f"""CREATE OR REPLACE FUNCTION nk_new_request() RETURNS trigger LANGUAGE plpgsql {_DEFINER}
       AS $$ BEGIN
         IF nk_is_superuser() THEN RETURN NEW; END IF;
         NEW.requested_by := session_user; NEW.requested_at := now(); NEW.status := 'waiting'; NEW.message := '';
         NEW.taken_by := NULL; NEW.finished_at := NULL; NEW.residual := NULL; NEW.archive := NULL;
         NEW.reason := coalesce(NEW.reason, '');
         RETURN NEW;
       END $$""",
    # waiting -> taking (by the service connected) -> done, refused or failed (by the same), and then never again
    f"""CREATE OR REPLACE FUNCTION nk_request_moves_on() RETURNS trigger LANGUAGE plpgsql {_DEFINER}
       AS $$ BEGIN
         IF nk_is_superuser() THEN RETURN NEW; END IF;
         IF OLD.status IN ('done', 'refused', 'failed') THEN
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = format('request %s is %s: a finished request never changes again', OLD.id, OLD.status);
         END IF;
         IF OLD.status = 'waiting' AND NEW.status = 'taking' THEN
           NEW.taken_by := session_user; NEW.finished_at := NULL; NEW.archive := NULL; NEW.residual := NULL;
         ELSIF OLD.status = 'taking' AND NEW.status IN ('done', 'refused', 'failed')
               AND OLD.taken_by = session_user THEN
           NEW.taken_by := OLD.taken_by; NEW.finished_at := now();
         ELSE
           RAISE EXCEPTION USING ERRCODE = '{REFUSED}',
             MESSAGE = format('request %s cannot go from %s to %s: a request is taken, then finished, by one '
                              'extract service', OLD.id, OLD.status, NEW.status);
         END IF;
         RETURN NEW;
       END $$""",
]

FUNCTION_NAMES = ("nk_norm(text)", "nk_is_superuser()", "nk_whoami()", "nk_my_role()", "nk_my_cases()",
                  "nk_named_in(text)", "nk_set_author()", "nk_set_undone_by()", "nk_case_team()",
                  "nk_case_assign_maker()", "nk_head_forward()", "nk_head_has_version()", "nk_version_in_order()",
                  "nk_check_signatures()", "nk_set_case_team(text,text)", "nk_remove_case(text,text)",
                  "nk_review_unblinded(text)", "nk_may_code(text)", "nk_finish_review(text)",
                  "nk_coder_is_researcher()", "nk_approve_extract(text,text[],text)",
                  "nk_withdraw_approval(integer)", "nk_approval_size(integer)", "nk_may_request(integer)",
                  "nk_taking_cases()", "nk_new_request()", "nk_request_moves_on()")


def function_rights() -> list[str]:
    """nk_owner owns the functions; only the ones a person calls may be called."""
    statements = [f"ALTER FUNCTION {f} OWNER TO {OWNER}" for f in FUNCTION_NAMES]
    statements += [f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC" for f in FUNCTION_NAMES]
    # anyone connected may ask who they are (a login not on the staff is told so); the policies call the rest
    statements += ["GRANT EXECUTE ON FUNCTION nk_whoami() TO PUBLIC",
                   f"GRANT EXECUTE ON FUNCTION nk_my_cases(), nk_named_in(text), nk_norm(text) TO {CASE_STAFF}",
                   "GRANT EXECUTE ON FUNCTION nk_my_role() TO nk_admin",
                   "GRANT EXECUTE ON FUNCTION nk_set_case_team(text,text), nk_remove_case(text,text) TO nk_admin",
                   f"GRANT EXECUTE ON FUNCTION nk_my_role(), nk_review_unblinded(text), nk_may_code(text), "
                   f"nk_finish_review(text) TO {RESEARCHER}",
                   "GRANT EXECUTE ON FUNCTION nk_approve_extract(text,text[],text), nk_withdraw_approval(integer) "
                   "TO nk_admin",
                   f"GRANT EXECUTE ON FUNCTION nk_approval_size(integer), nk_may_request(integer) TO {RESEARCHER}",
                   f"GRANT EXECUTE ON FUNCTION nk_my_role(), nk_taking_cases() TO {EXTRACTOR}"]
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
EXTRACT_TABLES = ("extract_approvals", "extract_approval_cases", "extract_requests")
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

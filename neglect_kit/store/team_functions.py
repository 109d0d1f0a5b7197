"""The SECURITY DEFINER functions of a team's database, and who may call them.

Made again at every `server init` (`team_sql.setup`, each `CREATE OR REPLACE`); `team_sql`'s policies and triggers
call them, and its docstring says in words what they keep. `@schema@` stands for the kit's schema, quoted.
"""

from __future__ import annotations

OWNER = "nk_owner"
CASE_STAFF = "nk_practitioner, nk_supervisor"
RESEARCHER = "nk_researcher"
EXTRACTOR = "nk_extractor"
# SQLSTATEs of the kit's own refusals, told in their own words (`team.refusal`): not allowed, and no such thing.
REFUSED, MISSING = "NK403", "NK404"
SESSION_KIND = "supervision_session"

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

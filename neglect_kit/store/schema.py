"""The tables. Few and generic: cases, people, plans, versioned records, imports, case removals, a team's
staff and case assignments (used on a team's PostgreSQL database, `store/team.py`; empty elsewhere), and the
research tables (reviews, their coders, codings, memos, reconciliations, codebooks).

A record's versions are never updated or deleted; `record_heads` points at the current
version and is how a stale edit is caught (see `api.Store.update`).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

cases = sa.Table(
    "cases", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("local_authority", sa.String(200), nullable=False, server_default=""),
    sa.Column("opened", sa.Date, nullable=True),
    sa.Column("summary", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(120), nullable=False),
    # the team whose supervisors see the case (a team's database; "" for none)
    sa.Column("team", sa.String(120), nullable=False, server_default=""),
)

people = sa.Table(
    "people", metadata,
    sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id"), primary_key=True),
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # child | adult
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("known_as", sa.JSON, nullable=False),
    sa.Column("sex", sa.String(32), nullable=False, server_default=""),
    sa.Column("date_of_birth", sa.Date, nullable=True),
    sa.Column("expected_date_of_birth", sa.Date, nullable=True),
    sa.Column("relationships", sa.JSON, nullable=False),  # child id -> relationship code
    sa.Column("address", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(120), nullable=False),
)

plans = sa.Table(
    "plans", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id"), nullable=False, index=True),
    sa.Column("child_id", sa.String(64), nullable=False),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("category", sa.String(32), nullable=False, server_default=""),
    sa.Column("start", sa.Date, nullable=False),
    sa.Column("end", sa.Date, nullable=True),
    sa.Column("risk_factors", sa.JSON, nullable=False),
    sa.Column("needs", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(120), nullable=False),
)

records = sa.Table(
    "records", metadata,
    sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("record_id", sa.String(40), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id"), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # active | withdrawn
    sa.Column("body", sa.Text, nullable=False),  # JSON validated by the capability's model
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(120), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.UniqueConstraint("record_id", "version", name="uq_record_version"),
)

record_heads = sa.Table(
    "record_heads", metadata,
    sa.Column("record_id", sa.String(40), primary_key=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id"), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Index("ix_heads_kind_case", "kind", "case_id"),
)

imports = sa.Table(
    "imports", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id"), nullable=False, index=True),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("agency", sa.String(64), nullable=False, server_default=""),
    sa.Column("rows_written", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(120), nullable=False),
    # 0 while the import stands; its own id once undone, so the same file can be imported again
    sa.Column("undone_id", sa.Integer, nullable=False, server_default="0"),
    sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("undone_by", sa.String(120), nullable=False, server_default=""),
    sa.Column("undo_reason", sa.Text, nullable=False, server_default=""),
    # the same file is recorded once per case: two imports racing cannot both save it
    sa.UniqueConstraint("case_id", "sha256", "undone_id", name="uq_import_case_file"),
)

# A case removed (loaded by mistake): who, when, why and how much, never what it held (no personal data).
case_removals = sa.Table(
    "case_removals", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.String(64), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("counts", sa.JSON, nullable=False),  # {"people": n, "plans": n, "<record kind>": n, "imports": n}
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(120), nullable=False),
)

# A team's people: one row per database login (the operating-system account of the same name). A person
# removed stays here, not active, so the records they wrote still name someone known.
staff = sa.Table(
    "staff", metadata,
    sa.Column("username", sa.String(63), primary_key=True),  # 63: PostgreSQL's longest role name
    sa.Column("display_name", sa.String(120), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),  # practitioner | supervisor | researcher | administrator
    sa.Column("team", sa.String(120), nullable=False, server_default=""),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("added_by", sa.String(120), nullable=False),
)

# Who works a case: a practitioner sees the cases assigned to them (a supervisor their team's as well).
case_assignments = sa.Table(
    "case_assignments", metadata,
    sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id"), primary_key=True),
    sa.Column("username", sa.String(63), sa.ForeignKey("staff.username"), primary_key=True),
    sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("assigned_by", sa.String(120), nullable=False),
    sa.Index("ix_assignments_username", "username"),
)

# Research (migration 0004): the review corpus, who codes each review, their codings and memos, reconciliations and
# the codebook (`research/review_records.py`, `coding_records.py` and `finished_codings.py` are the door to them).
# Codings, memos and reconciliations are only inserted: the current one is the highest version. On a team's
# database a coder reads another's codings and memos on a review only once every coder assigned to it has finished
# (`store/team_sql.py`).
reviews = sa.Table(
    "reviews", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("meta", sa.JSON, nullable=False),  # research.review_schema.ReviewMeta, as JSON
    sa.Column("text", sa.Text, nullable=False),  # the document's text, which passages' offsets point into
    sa.Column("source_name", sa.String(255), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),  # of the document's bytes: a review's text never changes
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(120), nullable=False),
)

review_coders = sa.Table(
    "review_coders", metadata,
    sa.Column("review_id", sa.String(64), sa.ForeignKey("reviews.id"), primary_key=True),
    sa.Column("coder", sa.String(120), primary_key=True),
    sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("assigned_by", sa.String(120), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),  # set once, by the coder
)

codings = sa.Table(
    "codings", metadata,
    sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("review_id", sa.String(64), sa.ForeignKey("reviews.id"), nullable=False),
    sa.Column("passage_id", sa.String(16), nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("coder", sa.String(120), nullable=False),  # its author
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("codes", sa.JSON, nullable=False),  # sorted code ids; [] clears the passage
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("review_id", "passage_id", "coder", "version", name="uq_coding_version"),
    sa.Index("ix_codings_review_coder", "review_id", "coder"),
)

memos = sa.Table(
    "memos", metadata,
    sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("review_id", sa.String(64), sa.ForeignKey("reviews.id"), nullable=True),  # none for a code's memo
    sa.Column("target", sa.String(16), nullable=False),  # review | passage | code
    sa.Column("target_id", sa.String(64), nullable=False),  # the review's, passage's or code's id
    sa.Column("coder", sa.String(120), nullable=False),  # its author
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),  # "" clears it
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # NULLS NOT DISTINCT on PostgreSQL (a code's memo has no review): see `postgresql_options`
    sa.UniqueConstraint("review_id", "target", "target_id", "coder", "version", name="uq_memo_version"),
)

reconciliations = sa.Table(
    "reconciliations", metadata,
    sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("review_id", sa.String(64), sa.ForeignKey("reviews.id"), nullable=False),
    sa.Column("passage_id", sa.String(16), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("codes", sa.JSON, nullable=False),  # the agreed code ids, sorted
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(120), nullable=False),
    sa.UniqueConstraint("review_id", "passage_id", "version", name="uq_reconciliation_version"),
)

codebooks = sa.Table(
    "codebooks", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("codes", sa.JSON, nullable=False),  # research.codebook.Code fields, one dict per code
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(120), nullable=False),
)

# Extracts on a team's database (migration 0005; `research/extract_requests.py` is the door to them): an
# administrator approves cases for one researcher with a purpose, the researcher requests an extract of an approval,
# and the extract service (`research/extract_service.py`) takes it and leaves the zipped extract in the request.
# Who reads and writes what is PostgreSQL's to say (`store/team_sql.py`); on SQLite the tables stay empty.
extract_approvals = sa.Table(
    "extract_approvals", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("researcher", sa.String(63), nullable=False),  # a staff username
    sa.Column("purpose", sa.Text, nullable=False),
    sa.Column("approved_by", sa.String(120), nullable=False),
    sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("withdrawn_by", sa.String(120), nullable=True),
    sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
)

extract_approval_cases = sa.Table(
    "extract_approval_cases", metadata,
    sa.Column("approval_id", sa.Integer, sa.ForeignKey("extract_approvals.id"), primary_key=True),
    sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id"), primary_key=True),
)

REQUEST_STATUSES = ("waiting", "taking", "done", "refused", "failed")
extract_requests = sa.Table(
    "extract_requests", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("approval_id", sa.Integer, sa.ForeignKey("extract_approvals.id"), nullable=False),
    sa.Column("requested_by", sa.String(63), nullable=False),
    sa.Column("min_k", sa.Integer, nullable=True),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("status", sa.String(16), nullable=False, server_default="waiting"),
    sa.Column("message", sa.Text, nullable=False, server_default=""),
    sa.Column("taken_by", sa.String(63), nullable=True),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("residual", sa.Integer, nullable=True),
    sa.Column("archive", sa.LargeBinary, nullable=True),  # the extract's files, zipped; never the mapping
    sa.CheckConstraint("status IN ('waiting', 'taking', 'done', 'refused', 'failed')", name="ck_request_status"),
    sa.Index("ix_extract_requests_status", "status", "id"),
)


def postgresql_options() -> None:
    """The PostgreSQL-only options of the tables, set once a PostgreSQL engine is made (`engine.make_engine`).

    Given in a table's definition, a dialect's keyword imports that dialect at once: every kernel, SQLite's
    too, would pay a tenth of a second for it. Migration 0004 creates the constraint with the option.
    """
    constraint = next(c for c in memos.constraints if c.name == "uq_memo_version")
    constraint.dialect_kwargs["postgresql_nulls_not_distinct"] = True

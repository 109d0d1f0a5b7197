"""A whole database in one file, and back: `neglect-kit backup FILE` and `neglect-kit restore FILE`.

The file is JSON lines, the same from SQLite and from PostgreSQL, so a backup of either restores into
either (gzip-compressed when its name ends in `.gz`):

- line 1, the header: `{"format": "neglect-kit backup", "format_version": 1, "kit_version": ...,
  "schema_revision": ..., "database": "sqlite" | "postgresql", "made_at": ..., "tables": [...]}`;
- one line per row, tables in the order of their foreign keys: `{"table": "records", "row": {column: value}}`,
  dates and times as ISO 8601 text (times in UTC), JSON columns as JSON;
- the last line, the trailer: `{"end": "neglect-kit backup", "rows": {table: n}, "sha256": ...}`, the SHA-256
  of every byte before it, so a file cut short or changed is refused before anything is restored.

Every table of `schema.metadata` is written, so tables added by a later migration are kept with no change
here. A backup is read in one snapshot of the database (apps may go on saving) and written to a temporary
file renamed over FILE only once complete: a failed backup never leaves a half-written file under its name.
A restore goes only into an empty database at the same schema revision, in one transaction: a failure
leaves the database as empty as it was.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import json
import os
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa

from ..config import database_url
from . import schema
from .api import Store
from .engine import _MIGRATIONS, HEAD_REVISION, make_engine, shown, sqlite_path, stored_revision, writing
from .errors import DatabaseFailure, StoreError, database_said

FORMAT = "neglect-kit backup"
FORMAT_VERSION = 1
_BATCH = 1000  # rows inserted per statement on restore
_GZIP_MAGIC = b"\x1f\x8b"
_HEADER_BYTES = 1 << 20  # a header is a few hundred bytes
# the column types a backup holds, by how their values are written (anything else is refused, never guessed)
_PLAIN = (sa.String, sa.Integer, sa.Boolean, sa.Float, sa.JSON)


class BackupError(StoreError):
    """A backup that cannot be made, or a file that cannot be restored; the message names the file and why."""


@dataclass(frozen=True)
class Summary:
    """What a backup holds: its file, the rows of each table, the schema revision and the kit that made it."""

    path: Path
    rows: dict[str, int]
    schema_revision: str
    kit_version: str

    def counts(self) -> str:
        """The rows of each table, in words: "cases 2, people 8, ..."."""
        return ", ".join(f"{table} {n}" for table, n in self.rows.items())


def kit_version() -> str:
    """The installed kit's version."""
    try:
        return version("neglect-kit")
    except PackageNotFoundError:  # run from a source folder that was never installed
        return "unknown"


# writing ------------------------------------------------------------------------------------------------

def backup(path: str | os.PathLike[str], url: str | None = None) -> Summary:
    """Write every row of every table of the database at `url` (default NEGLECT_KIT_DB) to `path`.

    Raises:
        BackupError: the database is at another schema revision than this kit's, row-level security would
            hide rows from the connected user, the database refused, or the file cannot be written.
        StoreError: there is no kit database at `url`.
    """
    path = Path(path)
    url = url or database_url()
    if path.is_dir():
        raise BackupError(f"{path}: a folder; name the backup file to write")
    store = _open_at_head(url, path)
    try:
        with _snapshot(store.engine) as conn:
            _check_sees_everything(conn, path, "backup")
            return _write_atomically(path, conn, store.engine.dialect.name)
    except DatabaseFailure as exc:
        raise BackupError(f"{path} not written: the database refused ({database_said(exc)})") from None
    finally:
        store.engine.dispose()


def _open_at_head(url: str, path: Path) -> Store:
    """The store at `url`, refused (never migrated: a backup writes nothing to the database) when its schema
    is not this kit's."""
    if (file := sqlite_path(url)) is None or file.exists():
        probe = None
        try:
            probe = make_engine(url)
            held = stored_revision(probe)
        except (sa.exc.SQLAlchemyError, ImportError, OSError):
            held = None  # Store.open says why in words
        finally:
            if probe is not None:
                probe.dispose()
        if held is not None and held != HEAD_REVISION:
            raise BackupError(f"{path} not written: the database {shown(url)} is at schema revision {held}, this "
                              f"kit's is {HEAD_REVISION}: back it up with the kit that last opened it")
    return Store.open(url)


@contextmanager
def _snapshot(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One read transaction, so every table is read as of one moment while others save."""
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as conn, conn.begin():
        yield conn


def _check_sees_everything(conn: sa.Connection, path: Path, command: str) -> None:
    """Refuse where PostgreSQL's row-level security (a team's database) would hide rows from the connected
    user: a backup would silently lack the rows, a restore be refused half way."""
    if conn.dialect.name != "postgresql":
        return
    if conn.exec_driver_sql("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user").scalar():
        return
    guarded = [t.name for t in schema.metadata.sorted_tables if conn.execute(
        sa.text("SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass(:t)"), {"t": t.name}).scalar()]
    if guarded:
        who = conn.exec_driver_sql("SELECT current_user").scalar()
        raise BackupError(f"{path}: row-level security lets {who} see only some rows of {', '.join(guarded)}: "
                          f"run it as the PostgreSQL superuser (runuser -u postgres -- neglect-kit {command} ...)")


def _write_atomically(path: Path, conn: sa.Connection, database: str) -> Summary:
    """Write the backup to a temporary file beside `path`, then rename it to `path` (never half-written)."""
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")  # mode 0600
    except OSError as exc:
        raise BackupError(f"{path} not written: its folder {path.parent} cannot be written to "
                          f"({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as raw:
            if path.name.endswith(".gz"):
                with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
                    summary = _write(out, conn, database, path)
            else:
                summary = _write(raw, conn, database, path)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temp, path)
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):  # the disk full, the folder gone: said with the file's name
            raise BackupError(f"{path} not written ({exc.strerror or exc}); an earlier backup of that name is "
                              "as it was") from None
        raise
    _sync_folder(path.parent)
    return summary


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a crash just after must not bring back the old file)."""
    with suppress(OSError):  # a system that cannot open a folder for syncing
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write(out: IO[bytes], conn: sa.Connection, database: str, path: Path) -> Summary:
    tables = schema.metadata.sorted_tables
    for table in tables:
        _check_types(table)
    digest = hashlib.sha256()

    def line(obj: dict[str, Any]) -> None:
        data = (json.dumps(obj, ensure_ascii=False, default=_encode) + "\n").encode()
        digest.update(data)
        out.write(data)

    revision, kit = HEAD_REVISION, kit_version()
    line({"format": FORMAT, "format_version": FORMAT_VERSION, "kit_version": kit, "schema_revision": revision,
          "database": database, "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
          "tables": [t.name for t in tables]})
    rows: dict[str, int] = {}
    for table in tables:
        rows[table.name] = 0
        order = list(table.primary_key.columns) or list(table.columns)
        for row in conn.execution_options(yield_per=_BATCH).execute(sa.select(table).order_by(*order)):
            line({"table": table.name, "row": dict(row._mapping)})
            rows[table.name] += 1
    out.write((json.dumps({"end": FORMAT, "rows": rows, "sha256": digest.hexdigest()}) + "\n").encode())
    return Summary(path, rows, revision, kit)


def _check_types(table: sa.Table) -> None:
    for column in table.columns:
        if not isinstance(column.type, (*_PLAIN, sa.Date, sa.DateTime, sa.LargeBinary)):
            raise BackupError(f"column {table.name}.{column.name} is of type {column.type}, which a backup cannot "
                              "hold yet: nothing was written")


def _encode(value: object) -> str:
    """Dates and times as ISO 8601; a time in UTC (SQLite keeps none: the store writes UTC); bytes (an extract
    request's zip) as base64."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} in a backup")


# reading and restoring ----------------------------------------------------------------------------------

@contextmanager
def _lines(path: Path) -> Iterator[IO[bytes]]:
    """The file, to read line by line as bytes, gunzipped if it is gzip (told by its first bytes, not its name)."""
    try:
        raw = path.open("rb")
    except IsADirectoryError:
        raise BackupError(f"{path}: a folder, not a backup file") from None
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file") from None
    with raw:
        stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if raw.read(2) == _GZIP_MAGIC else raw
        raw.seek(0)
        try:
            yield stream
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise BackupError(f"{path}: damaged: its compressed data cannot be read ({exc})") from None


def _json_line(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (UnicodeDecodeError, ValueError):
        return None


def check(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The header of the backup at `path`, once its checksum shows the file whole.

    Raises:
        BackupError: no such file, not a backup, made by a newer kit's format, cut short or damaged.
    """
    path = Path(path)
    digest = hashlib.sha256()
    with _lines(path) as lines:
        first = lines.readline(_HEADER_BYTES)  # bounded: a large file of another kind may hold no line break
        header = _json_line(first) if first.endswith(b"\n") else None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise BackupError(f"{path}: not a neglect-kit backup (its first line is not a backup's header)")
        if not isinstance(header.get("format_version"), int) or header["format_version"] > FORMAT_VERSION:
            raise BackupError(f"{path}: written in backup format {header.get('format_version')} by kit "
                              f"{header.get('kit_version')}; this kit reads format {FORMAT_VERSION}: restore it "
                              "with that kit or a newer one")
        digest.update(first)
        last, count = None, 0
        for data in lines:
            if last is not None:
                digest.update(last)
                count += 1
            last = data
    trailer = _json_line(last) if last is not None else None
    if not isinstance(trailer, dict) or trailer.get("end") != FORMAT:
        raise BackupError(f"{path}: damaged: it ends before its checksum line (cut short, or changed)")
    if trailer.get("sha256") != digest.hexdigest():
        raise BackupError(f"{path}: damaged: its contents do not match its checksum (changed since it was made)")
    counted = trailer.get("rows")
    if not isinstance(counted, dict) or not all(isinstance(n, int) for n in counted.values()) \
            or sum(counted.values()) != count:
        raise BackupError(f"{path}: damaged: it holds {count} rows, its trailer counts otherwise")
    header["rows"] = trailer["rows"]
    return header


def restore(path: str | os.PathLike[str], url: str | None = None) -> Summary:
    """Restore the backup at `path` into the empty database at `url` (default NEGLECT_KIT_DB), in one transaction.

    Raises:
        BackupError: the file is missing, not a backup, damaged, or of another schema revision; the database
            is not empty; a row cannot be restored (then nothing is: the database stays empty).
        StoreError: there is no kit database at `url`.
    """
    path = Path(path)
    url = url or database_url()
    header = check(path)
    _same_revision(path, header)
    tables = schema.metadata.tables
    if set(header["tables"]) != set(tables):
        differ = sorted(set(header["tables"]) ^ set(tables))
        raise BackupError(f"{path}: its tables differ from this schema's ({', '.join(differ)}) at the same revision: "
                          "not a backup this kit can restore")
    store = Store.open(url)
    try:
        with writing(store.engine) as conn:
            _check_sees_everything(conn, path, "restore")
            _check_empty(conn, url)
            with _triggers_off(conn):
                rows = _insert_rows(conn, path)
            if rows != header["rows"]:
                raise BackupError(f"{path}: damaged: its rows per table differ from its trailer's count: "
                                  "nothing was restored")
            _reset_sequences(conn)
    except DatabaseFailure as exc:
        raise BackupError(f"{path}: could not be restored ({database_said(exc)}): nothing was restored") from None
    finally:
        store.engine.dispose()
    return Summary(path, rows, header["schema_revision"], header["kit_version"])


def _same_revision(path: Path, header: dict[str, Any]) -> None:
    held = header.get("schema_revision")
    if held == HEAD_REVISION:
        return
    made_by = f"kit {header.get('kit_version')}"
    if held not in _known_revisions():
        raise BackupError(f"{path}: made by {made_by} at schema revision {held}, newer than this kit's "
                          f"({HEAD_REVISION}): restore it with that kit or a newer one")
    raise BackupError(f"{path}: made by {made_by} at schema revision {held}, older than this kit's ({HEAD_REVISION}): "
                      f"restore it with {made_by} into a database that kit made, then upgrade the kit (its "
                      "`neglect-kit init` or `server init` migrates the database)")


def _known_revisions() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return {s.revision for s in ScriptDirectory.from_config(cfg).walk_revisions()}


def _check_empty(conn: sa.Connection, url: str) -> None:
    for table in [schema.cases] + [t for t in schema.metadata.sorted_tables if t is not schema.cases]:
        n = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        if n:
            held = f"{n} case{'s' if n != 1 else ''}" if table is schema.cases else f"{n} rows in {table.name}"
            raise BackupError(f"the database {shown(url)} already holds {held}: restore only into an empty one "
                              "(`neglect-kit init` makes one, `neglect-kit server init` a team's); "
                              "nothing was restored")


@contextmanager
def _triggers_off(conn: sa.Connection) -> Iterator[None]:
    """Switch off the tables' own triggers (a team's database sets each row's author to whoever is connected)
    while the rows go in, so every row keeps the author and signatures it was saved with; switched back on in
    the same transaction. Foreign keys and unique keys still hold."""
    if conn.dialect.name != "postgresql":
        yield
        return
    quote = conn.dialect.identifier_preparer.quote
    found = [(t.name, name, state) for t in schema.metadata.sorted_tables for name, state in conn.execute(sa.text(
        "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = to_regclass(:t) AND NOT tgisinternal "
        "AND tgenabled <> 'D'"), {"t": t.name})]
    for table, name, _ in found:
        conn.exec_driver_sql(f"ALTER TABLE {quote(table)} DISABLE TRIGGER {quote(name)}")
    yield
    again = {"O": "ENABLE", "A": "ENABLE ALWAYS", "R": "ENABLE REPLICA"}
    for table, name, state in found:
        conn.exec_driver_sql(f"ALTER TABLE {quote(table)} {again[state]} TRIGGER {quote(name)}")


def _insert_rows(conn: sa.Connection, path: Path) -> dict[str, int]:
    tables = schema.metadata.tables
    rows = dict.fromkeys(tables, 0)
    batch: list[dict[str, Any]] = []
    table: sa.Table | None = None
    first = 0

    def flush(last: int) -> None:
        if not batch:
            return
        try:
            conn.execute(table.insert(), batch)
        except DatabaseFailure as exc:
            raise BackupError(f"{path}: lines {first}-{last} (table {table.name}) could not be restored "
                              f"({database_said(exc)}): nothing was restored") from None
        batch.clear()

    with _lines(path) as lines:
        lines.readline(_HEADER_BYTES)  # the header, read by check()
        number = 1
        for number, data in enumerate(lines, start=2):
            item = _json_line(data)
            if isinstance(item, dict) and item.get("end") == FORMAT:
                break
            name, row = _row(item, path, number)
            if table is None or name != table.name or len(batch) >= _BATCH:
                flush(number - 1)
                table, first = tables[name], number
            batch.append(_decode(table, row, path, number))
            rows[name] += 1
        flush(number - 1)
    return {name: rows[name] for name in (t.name for t in schema.metadata.sorted_tables)}


def _row(item: Any, path: Path, number: int) -> tuple[str, dict[str, Any]]:
    if not isinstance(item, dict) or not isinstance(item.get("row"), dict):
        raise BackupError(f"{path} line {number}: not a row of a backup: nothing was restored")
    name = item.get("table")
    if name not in schema.metadata.tables:
        raise BackupError(f"{path} line {number}: '{name}' is not a table of this schema: nothing was restored")
    columns = set(schema.metadata.tables[name].columns.keys())
    if set(item["row"]) != columns:
        odd = sorted(set(item["row"]) ^ columns)
        raise BackupError(f"{path} line {number}: a row of {name} whose columns differ from the table's "
                          f"({', '.join(odd)}): nothing was restored")
    return name, item["row"]


def _decode(table: sa.Table, row: dict[str, Any], path: Path, number: int) -> dict[str, Any]:
    out = dict(row)
    for column in table.columns:
        value = row[column.name]
        if value is None or not isinstance(column.type, (sa.Date, sa.DateTime, sa.LargeBinary)):
            continue
        try:
            if isinstance(column.type, sa.LargeBinary):
                out[column.name] = base64.b64decode(value, validate=True)
            elif isinstance(column.type, sa.DateTime):
                out[column.name] = datetime.fromisoformat(value).astimezone(UTC)
            else:
                out[column.name] = date.fromisoformat(value)
        except (TypeError, ValueError, binascii.Error):
            kind = ("base64 bytes" if isinstance(column.type, sa.LargeBinary) else
                    "a date and time" if isinstance(column.type, sa.DateTime) else "a date")
            raise BackupError(f"{path} line {number}: {table.name}.{column.name} is not {kind} ({str(value)[:40]}): "
                              "nothing was restored") from None
    return out


def _reset_sequences(conn: sa.Connection) -> None:
    """Point PostgreSQL's id sequences past the restored ids, so new rows do not collide with them."""
    if conn.dialect.name != "postgresql":
        return  # SQLite gives a new row the largest id + 1
    quote = conn.dialect.identifier_preparer.quote
    for table in schema.metadata.sorted_tables:
        column = table.autoincrement_column
        if column is None:
            continue
        conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence(:t, :c), "
                             f"COALESCE((SELECT MAX({quote(column.name)}) FROM {quote(table.name)}), 0) + 1, false)"),
                     {"t": table.name, "c": column.name})

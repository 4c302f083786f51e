"""The case file's SQLite schema, its migrations, and opening a file safely.

A case file is an SQLite database marked with our ``application_id`` and versioned by
``PRAGMA user_version``: version N is what ``MIGRATIONS[:N]`` make, so a file of any earlier version
is brought up to date step by step when it is opened (an old file that cannot be written is
refused with a message, never half-read). WAL lets a ``build`` read while an ``add`` writes; foreign keys are on
so a source's stored content goes with it.

Every way a file can be wrong (not SQLite, corrupt, another application's database, a newer schema,
locked, read-only) becomes a ``CaseError`` with one line saying so.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path

APPLICATION_ID = 0x6F74_6C63  # "otlc": outagetl case
BUSY_SECONDS = 30.0
"""How long to wait for another process's write to finish before calling the file locked."""

V1 = """
CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE source (
    id       INTEGER PRIMARY KEY,
    origin   TEXT NOT NULL UNIQUE,            -- the file's absolute path when added: re-adding it replaces it
    path     TEXT NOT NULL UNIQUE,            -- the name outputs give it (as it was given to add)
    relative TEXT NOT NULL,                   -- its name inside the folder it came from, for globs
    digest   TEXT NOT NULL UNIQUE CHECK (length(digest) = 64),  -- SHA-256 of its bytes
    size     INTEGER NOT NULL CHECK (size >= 0),
    reader   TEXT NOT NULL,
    type     TEXT NOT NULL,
    hints    TEXT NOT NULL,                   -- JSON: the folder manifest's hints (sources.toml)
    limits   TEXT NOT NULL,                   -- JSON: the input limits it was read within
    added_at TEXT NOT NULL,
    added_by TEXT NOT NULL
);
CREATE TABLE content (
    source_id   INTEGER PRIMARY KEY REFERENCES source(id) ON DELETE CASCADE,
    compression TEXT NOT NULL CHECK (compression IN ('zlib')),
    data        BLOB NOT NULL
);
CREATE TABLE decision (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,  -- D1, D2…: a number is never reused, even after undo
    action   TEXT NOT NULL,
    made_at  TEXT NOT NULL,
    made_by  TEXT NOT NULL,
    why      TEXT,
    body     TEXT NOT NULL                       -- JSON: what the decision is about and says
);
"""

V2 = """
CREATE TABLE log_series (
    source_id INTEGER PRIMARY KEY REFERENCES source(id) ON DELETE CASCADE,
    meta      TEXT NOT NULL,   -- JSON: the LogSeries' fields but its per-minute rows and record times
    columns   TEXT NOT NULL,   -- JSON: the per-minute columns and their dtypes
    doc       TEXT NOT NULL    -- JSON: the reader's Source, its skips, the minute index's name and zone
);
CREATE TABLE log_minute (
    source_id        INTEGER NOT NULL REFERENCES log_series(source_id) ON DELETE CASCADE,
    n                INTEGER NOT NULL,   -- row order
    minute           TEXT NOT NULL,      -- as the log wrote it: UTC if log_series says so, else local
    total            NUMERIC,
    errors           NUMERIC,
    first_line       INTEGER,
    first_error_line INTEGER,
    ts_text          TEXT,               -- the minute's first timestamp as written
    extra            TEXT,               -- JSON: any other per-minute column
    PRIMARY KEY (source_id, n)
) WITHOUT ROWID;
CREATE TABLE log_record (                -- the notable lines: first and last error, changes
    source_id  INTEGER NOT NULL REFERENCES log_series(source_id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    line       INTEGER,
    text       TEXT NOT NULL,
    flags      TEXT NOT NULL,            -- JSON: [[code, detail, separator], ...]
    written_at TEXT,                     -- when the line says it was written, as parsed
    data       TEXT NOT NULL,            -- JSON: the record's other fields
    PRIMARY KEY (source_id, idx)
) WITHOUT ROWID;
"""
"""v2: logs and metrics, stored as their per-minute counts and notable lines (never every line)."""

MIGRATIONS: tuple[str, ...] = (V1, V2)
VERSION = len(MIGRATIONS)


class CaseError(Exception):
    """A case file that cannot be used, or a request it cannot answer; one line naming the file."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def explain_sqlite(path: str | Path, exc: sqlite3.Error) -> CaseError:
    """The one line a user needs for what SQLite said."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name == "SQLITE_NOTADB" or "file is not a database" in text:
        return CaseError(path, "not a case file (not an SQLite database)")
    if name.startswith("SQLITE_CORRUPT") or "malformed" in text:
        return CaseError(path, f"the case file is corrupt ({text})")
    if name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED") or "locked" in text:
        return CaseError(path, f"locked by another process (waited {BUSY_SECONDS:g} s); try again when it has finished")
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return CaseError(path, "read-only: this command writes to the case file, which cannot be written")
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return CaseError(path, "cannot be opened (check that it exists and its folder is readable)")
    if name == "SQLITE_FULL" or "disk is full" in text:
        return CaseError(path, "the disk is full")
    return CaseError(path, f"SQLite error: {text}")


@contextmanager
def sqlite_errors(path: str | Path):
    """Turn any SQLite error raised inside into a CaseError for ``path``."""
    try:
        yield
    except sqlite3.Error as exc:
        raise explain_sqlite(path, exc) from None


def connect(path: Path, create: bool = False) -> sqlite3.Connection:
    """Open (or with ``create``, make) a case file, checked and migrated to ``VERSION``.

    A file the OS will not let us write is opened read-only (SQLite does so by itself): building it
    works, a command that writes says it cannot."""
    if create and path.exists():
        raise CaseError(path, "already exists; a new case needs a new file")
    if not create and not path.exists():
        raise CaseError(path, "no such case file (make one with: outagetl case init FILE)")
    if not create and path.is_dir():
        raise CaseError(path, "is a folder, not a case file")
    with sqlite_errors(path):
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode={'rwc' if create else 'rw'}", uri=True,
                               timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    try:
        with sqlite_errors(path):
            conn.execute("PRAGMA foreign_keys = ON")
            if create:
                _initialise(conn)
            else:
                _check(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _initialise(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrate(conn)


def _check(conn: sqlite3.Connection, path: Path) -> None:
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app != APPLICATION_ID:
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        what = "an empty SQLite database" if not tables else "an SQLite database of another application"
        raise CaseError(path, f"not an outagetl case file ({what})")
    if version > VERSION:
        raise CaseError(path, f"made by a newer outagetl (case schema v{version}; this one reads up to v{VERSION})")
    if version < VERSION:
        try:
            migrate(conn)
        except sqlite3.OperationalError as exc:
            if explain_sqlite(path, exc).reason.startswith("read-only"):
                raise CaseError(path, f"case schema v{version} must be upgraded to v{VERSION} before use, "
                                      "and the file cannot be written") from None
            raise


def migrate(conn: sqlite3.Connection, upto: int = VERSION) -> int:
    """Apply the migrations the file lacks, each in its own transaction; returns the version reached.

    Two processes opening an old file at once both try: the second finds the work done."""
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= upto:
                conn.execute("COMMIT")
                return version
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """A migration script as single statements (``executescript`` would commit on its own)."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return out


@contextmanager
def writing(conn: sqlite3.Connection):
    """One write transaction, taken at once (BEGIN IMMEDIATE) so that its reads see what it will change."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")

"""A case file: the sources of one incident, stored once, and the analysts' decisions about them.

``add`` ingests a file once, keyed by its content's SHA-256: the same file again adds nothing, a
changed file at the same path replaces its stored content, and the same content under another name is
not stored twice. A text source is kept as its bytes (zlib-compressed) and read by the same readers
as ``outagetl build`` on every build, so a case built today reads exactly as the files would, with
the readers of the installed version. ``build`` hands those sources and the decisions to the one
pipeline (``outagetl.pipeline.build_docs``); nothing else about building differs.
"""
from __future__ import annotations

import getpass
import hashlib
import os
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import StrEnum
from pathlib import Path, PurePath

from .. import __version__
from ..decisions import Decision, EventRef, SourceRef
from ..keys import file_digest, find_event
from ..model import SourceDoc, Timeline
from ..pipeline import LOG_TYPES, Build, Input, Options, build_docs, hinted, inputs, read_input
from ..sources.base import Limits, SourceError
from ..sources.manifest import source_tz_hints, wanted_type
from ..sources.registry import read_path
from . import codec
from .logstore import load_log, store_log
from .schema import CaseError, connect, sqlite_errors, writing

DIGEST_PREFIX = 6
"""The shortest digest prefix accepted to name a source."""
BATCH_FILES = 100
BATCH_BYTES = 32 * 1024 * 1024
"""Files read before one write transaction stores them (a batch is held in memory)."""


class NotInCase(LookupError):
    """A source or event the user named is not in the case (a usage error, not a broken file)."""


class AddStatus(StrEnum):
    ADDED = "added"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Added:
    """What ``add`` did with one file; ``other`` is the source already holding the same content
    (duplicate) or the digest the replaced content had (replaced)."""

    path: str
    status: AddStatus
    digest: str
    type: str = ""
    other: str | None = None


@dataclass(frozen=True)
class StoredSource:
    id: int
    path: str
    origin: str
    relative: str
    digest: str
    size: int
    reader: str
    type: str
    added_at: datetime
    added_by: str


def _stat(item: Input) -> tuple[int, int]:
    try:
        st = item.path.stat()
    except OSError as exc:
        raise SourceError(item.display, f"cannot read: {exc.strerror or exc}") from None
    return st.st_size, st.st_mtime_ns


def _damaged(path: str, exc: Exception) -> SourceError:
    return SourceError(path, f"what the case stored for it cannot be read back ({type(exc).__name__}: {exc}); "
                             "add the file again")


def who(by: str | None = None) -> str:
    """The analyst: ``--by``, else the login name."""
    if by and by.strip():
        return by.strip()
    try:
        return os.environ.get("USER") or getpass.getuser() or "unknown"
    except (OSError, KeyError):
        return "unknown"


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


@dataclass(frozen=True)
class _Prepared:
    """A file read and checked, waiting for the write transaction that stores it."""

    item: Input
    origin: str
    digest: str
    data: bytes | None
    """A text source's bytes; None for a log, kept as ``log``."""
    reader: str
    type: str
    limits: Limits
    log: SourceDoc | None
    size: int


_SOURCE_COLUMNS = "id, path, origin, relative, digest, size, reader, type, added_at, added_by"


class Case:
    """An open case file. Use as a context manager, or call ``close``."""

    def __init__(self, path: Path, conn):
        self.path = path
        self._conn = conn

    @classmethod
    def create(cls, path: str | Path, title: str | None = None, by: str | None = None) -> Case:
        path = Path(path)
        conn = connect(path, create=True)
        case = cls(path, conn)
        with case._errors(), writing(conn):
            rows = {"title": title or "", "created_at": codec.iso(now()), "created_by": who(by),
                    "created_with": f"outagetl {__version__}"}
            conn.executemany("INSERT INTO meta (name, value) VALUES (?, ?)", rows.items())
        return case

    @classmethod
    def open(cls, path: str | Path) -> Case:
        path = Path(path)
        return cls(path, connect(path))

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _errors(self):
        return sqlite_errors(self.path)

    # -- what the case holds ----------------------------------------------------------------------

    def meta(self, name: str) -> str | None:
        with self._errors():
            row = self._conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    @property
    def title(self) -> str:
        return self.meta("title") or ""

    def stored(self) -> list[StoredSource]:
        with self._errors():
            rows = self._conn.execute(f"SELECT {_SOURCE_COLUMNS} FROM source ORDER BY path").fetchall()
        return [StoredSource(*row[:8], codec.parse_iso(row[8]), row[9]) for row in rows]

    def decisions(self) -> list[Decision]:
        with self._errors():
            rows = self._conn.execute(
                "SELECT id, action, made_at, made_by, why, body FROM decision ORDER BY id").fetchall()
        out = []
        for row in rows:
            try:
                out.append(codec.decision_from_row(*row))
            except (ValueError, KeyError, TypeError) as exc:
                raise CaseError(self.path, f"decision D{row[0]} cannot be read ({type(exc).__name__}: {exc})") from None
        return out

    # -- adding sources ---------------------------------------------------------------------------

    def add(self, paths: Iterable[str], limits: Limits | None = None, by: str | None = None
            ) -> tuple[list[Added], list[SourceError]]:
        """Ingest files (a folder means its files, with its ``sources.toml``); unreadable ones are
        returned as errors and not stored.

        Files are read outside any transaction and written in batches, each batch one short
        transaction, so another process adding to the same case waits little and never long."""
        limits = limits or Limits()
        by = who(by)
        items, errors = inputs(list(paths), limits)
        own = {str(self.path.resolve()) + suffix for suffix in ("", "-wal", "-shm", "-journal")}
        errors += [SourceError(i.display, "is this case file itself; not added") for i in items
                   if str(i.path.resolve()) in own]
        items = [i for i in items if str(i.path.resolve()) not in own]
        done: list[Added] = []
        batch: list[_Prepared] = []
        size = 0
        for item in items:
            try:
                ready = self._prepare(item, limits)
            except SourceError as exc:
                errors.append(exc)
                continue
            if isinstance(ready, Added):
                done.append(ready)
                continue
            batch.append(ready)
            size += len(ready.data) if ready.data is not None else 64 * len(ready.log.series or ())
            if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
                done += self._store(batch, by)
                batch, size = [], 0
        done += self._store(batch, by)
        return done, errors

    def _prepare(self, item: Input, limits: Limits) -> Added | _Prepared:
        """Read one file (unless the case holds it unchanged) and check that a reader takes it."""
        origin = str(item.path.resolve())
        try:
            digest = file_digest(item.path)
        except OSError as exc:
            raise SourceError(item.display, f"cannot read: {exc.strerror or exc}") from None
        if digest is None:
            raise SourceError(item.display, "not a regular file (a FIFO, a device or a socket); not added")
        with self._errors():
            row = self._conn.execute("SELECT path, type FROM source WHERE origin = ? AND digest = ?",
                                     (origin, digest)).fetchone()
        if row:
            return Added(row[0], AddStatus.UNCHANGED, digest, row[1])
        before = _stat(item)
        docs = read_path(item.path, item.display, limits, wanted_type(item.relative, item.hints))
        first = docs[0].source
        if first.type in LOG_TYPES:
            # A log is kept as what it was read into (per-minute counts, notable lines), not its lines.
            if _stat(item) != before:
                raise SourceError(item.display, "changed while it was being added (still being written?); "
                                                "add it again")
            return _Prepared(item, origin, digest, None, first.reader, first.type, limits, docs[0], before[0])
        try:
            data = item.path.read_bytes()
        except OSError as exc:
            raise SourceError(item.display, f"cannot read: {exc.strerror or exc}") from None
        if hashlib.sha256(data).hexdigest() != digest:
            raise SourceError(item.display, "changed while it was being added; add it again")
        return _Prepared(item, origin, digest, data, first.reader, first.type, limits, None, len(data))

    def _store(self, batch: list[_Prepared], by: str) -> list[Added]:
        """Write prepared files in one transaction, deciding inside it what each one is: new,
        a replacement, unchanged (another process stored it meanwhile) or a duplicate."""
        if not batch:
            return []
        out = []
        with self._errors(), writing(self._conn) as conn:
            for p in batch:
                same = conn.execute("SELECT id, path, digest FROM source WHERE origin = ?", (p.origin,)).fetchone()
                if same and same[2] == p.digest:
                    out.append(Added(same[1], AddStatus.UNCHANGED, p.digest, p.type))
                    continue
                twin = conn.execute("SELECT path FROM source WHERE digest = ?", (p.digest,)).fetchone()
                if twin:
                    out.append(Added(p.item.display, AddStatus.DUPLICATE, p.digest, p.type, twin[0]))
                    continue
                path = same[1] if same else p.item.display
                if same:
                    conn.execute("DELETE FROM source WHERE id = ?", (same[0],))
                elif conn.execute("SELECT 1 FROM source WHERE path = ?", (path,)).fetchone():
                    path = p.origin
                cur = conn.execute(
                    "INSERT INTO source (origin, path, relative, digest, size, reader, type, hints, limits, "
                    "added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (p.origin, path, p.item.relative, p.digest, p.size, p.reader, p.type,
                     codec.hints_json(p.item.hints), codec.limits_json(p.limits), codec.iso(now()), by))
                if p.log is not None:
                    store_log(conn, cur.lastrowid, p.log)
                else:
                    conn.execute("INSERT INTO content (source_id, compression, data) VALUES (?, 'zlib', ?)",
                                 (cur.lastrowid, zlib.compress(p.data, 6)))
                out.append(Added(path, AddStatus.REPLACED, p.digest, p.type, same[2]) if same
                           else Added(path, AddStatus.ADDED, p.digest, p.type))
        return out

    # -- building ---------------------------------------------------------------------------------

    def docs(self, options: Options | None = None):
        """The stored sources as ``build`` would read their files, with the same hints: a text source
        read from its stored bytes by the same readers, a log rebuilt from its stored series. A stored
        source that cannot be read back is reported as unreadable, like a damaged file."""
        options = options or Options()
        cli_hints = source_tz_hints(options.source_tz)
        docs, errors = [], []
        with tempfile.TemporaryDirectory(prefix="outagetl-case-") as tmp, self._errors():
            logs = self._conn.execute("SELECT s.id, s.path, s.relative, s.digest, s.hints FROM source s "
                                      "JOIN log_series l ON l.source_id = s.id ORDER BY s.path").fetchall()
            for ident, path, relative, digest, hints in logs:
                try:
                    item = Input(Path(path), path, relative, codec.hints_from(hints))
                    docs += hinted([load_log(self._conn, ident, path)], item, cli_hints, digest)
                except (KeyError, ValueError, TypeError) as exc:
                    errors.append(_damaged(path, exc))
            texts = self._conn.execute(
                "SELECT s.id, s.path, s.relative, s.digest, s.hints, s.limits, c.data FROM source s "
                "JOIN content c ON c.source_id = s.id ORDER BY s.path")
            for ident, path, relative, digest, hints, limits, data in texts:
                file = Path(tmp) / str(ident) / (PurePath(path).name or "source")
                file.parent.mkdir()
                try:
                    file.write_bytes(zlib.decompress(data))
                    item = Input(file, path, relative, codec.hints_from(hints))
                    docs += read_input(item, codec.limits_from(limits), cli_hints, digest)
                except SourceError as exc:
                    errors.append(exc)
                except (zlib.error, KeyError, ValueError, TypeError) as exc:
                    errors.append(_damaged(path, exc))
                file.unlink(missing_ok=True)
        return docs, errors

    def build(self, options: Options | None = None) -> Build:
        options = options or Options()
        docs, errors = self.docs(options)
        return build_docs(docs, errors, options, tuple(self.decisions()))

    # -- decisions --------------------------------------------------------------------------------

    def record(self, decision: Decision) -> Decision:
        """Store a decision; it comes back with its number."""
        action, made_at, made_by, why, body = codec.decision_row(decision)
        with self._errors(), writing(self._conn) as conn:
            cur = conn.execute("INSERT INTO decision (action, made_at, made_by, why, body) VALUES (?, ?, ?, ?, ?)",
                               (action, made_at, made_by, why, body))
            number = cur.lastrowid
        return self.decisions_by_number()[number]

    def decisions_by_number(self) -> dict[int, Decision]:
        return {d.made.number: d for d in self.decisions()}

    def undo(self) -> Decision | None:
        """Remove the last decision made, and return it."""
        with self._errors(), writing(self._conn) as conn:
            row = conn.execute("SELECT id, action, made_at, made_by, why, body FROM decision "
                               "ORDER BY id DESC LIMIT 1").fetchone()
            if row is None:
                return None
            conn.execute("DELETE FROM decision WHERE id = ?", (row[0],))
        return codec.decision_from_row(*row)

    # -- naming sources and events the way a user does ----------------------------------------------

    def source_ref(self, text: str, authors: bool = False) -> tuple[SourceRef, str | None]:
        """The source ``text`` names (its path, file name, the end of its path, or a digest prefix;
        ``file#id`` for one export of several in a file) and, with ``authors``, ``SOURCE@handle``."""
        stored = self.stored()
        hit = self._match(text, stored)
        if hit is not None:
            return hit, None
        if authors and "@" in text:
            left, _, handle = text.rpartition("@")
            hit = self._match(left, stored) if left and handle.strip("@") else None
            if hit is not None:
                return hit, "@" + handle.lstrip("@")
        names = ", ".join(s.path for s in stored) or "none yet"
        raise NotInCase(f"no source {text!r} in this case (sources: {names})")

    def _match(self, text: str, stored: list[StoredSource]) -> SourceRef | None:
        base, hash_, fragment = text.partition("#")
        for candidate, tail in ((text, ""), (base, hash_ + fragment)) if hash_ else ((text, ""),):
            found = self._match_file(candidate, stored)
            if found is not None:
                return SourceRef(found.path + tail, found.digest + tail)
        return None

    def _match_file(self, text: str, stored: list[StoredSource]) -> StoredSource | None:
        try:
            resolved = str(Path(text).resolve())
        except (OSError, RuntimeError):
            resolved = None
        low = text.lower()
        tests = (
            lambda s: s.path == text or s.origin == resolved,
            lambda s: PurePath(s.path).name == text,
            lambda s: s.path.endswith("/" + text),
            lambda s: len(low) >= DIGEST_PREFIX and s.digest.startswith(low),
        )
        for test in tests:
            hits = [s for s in stored if test(s)]
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                raise NotInCase(f"{text!r} names several sources: {', '.join(s.path for s in hits)}")
        return None

    def event_ref(self, text: str, timeline: Timeline) -> EventRef:
        """The event ``text`` names in ``timeline`` (id, key, or a citation's key), anchored to that
        citation (the primary one unless a citation's key was given)."""
        event = find_event(timeline.events, text)
        if event is None:
            gone = find_event(timeline.rejected, text)
            if gone is not None:
                by = ", ".join(c.label for c in gone.corrections)
                raise NotInCase(f"event {gone.key} is rejected ({by}); undo that decision to change it")
            ids = f"{timeline.events[0].id}–{timeline.events[-1].id}" if timeline.events else "none"
            raise NotInCase(f"no event {text!r} in this case's timeline (events {ids}; "
                            "the key shown beside an id works too)")
        return EventRef.to(event, text.strip().lower())

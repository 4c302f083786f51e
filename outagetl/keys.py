"""Stable event keys: what a decision, a note or an ``explain`` call can point at across re-runs.

An event's short id (E4) is its position in time order, so adding one source renumbers the rest.
Its key is derived from content instead: the SHA-256 of the file its primary citation comes from and
where in that file the time is written (record and character span), so the same statement read from
the same bytes has the same key whatever else is in the folder, in ``build`` and in a case file alike.
Every citation has such a key; an event's is its primary citation's, and an event can be found by
the key of any of its citations (a post that joins a story's event later does not lose the story's key).
"""
from __future__ import annotations

import hashlib
import os
import stat
import threading
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from .model import Claim, Event, Timeline

KEY_CHARS = 8
_SEP = "\x1f"


CHUNK = 1024 * 1024


def file_digest(path: Path, stop: threading.Event | None = None) -> str | None:
    """SHA-256 of a file's bytes as stored on disk (a ``.gz`` is hashed compressed); None for what
    is not a regular file (a FIFO or a device would block or never end) or when ``stop`` is set."""
    if not is_regular(path):
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            if stop is not None and stop.is_set():
                return None
            digest.update(chunk)
    return digest.hexdigest()


def is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


class Digests:
    """File digests computed on a worker thread while the main thread reads and parses: hashing
    releases the GIL, so on a multi-core machine a big log costs no extra wall time. A file the
    readers refuse is not hashed to the end (``skip``), and ``close`` stops whatever is left.
    One plain thread hashes the files in turn (``concurrent.futures`` and the ``logging`` it
    imports would add 10 ms to every run's start-up)."""

    def __init__(self, paths: Iterable[Path]):
        self._paths = list(dict.fromkeys(paths))
        self._stops = {path: threading.Event() for path in self._paths}
        self._done = {path: threading.Event() for path in self._paths}
        self._digests: dict[Path, str | None] = {}
        self._thread = threading.Thread(target=self._run, name="outagetl-digest", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for path in self._paths:
            try:
                if not self._stops[path].is_set():
                    self._digests[path] = file_digest(path, self._stops[path])
            except OSError:
                pass
            finally:
                self._done[path].set()

    def get(self, path: Path) -> str | None:
        done = self._done.get(path)
        if done is None:
            return None
        done.wait()
        return self._digests.get(path)

    def skip(self, path: Path) -> None:
        if path in self._stops:
            self._stops[path].set()

    def close(self) -> None:
        """Stop what is left and wait for the thread to end (no thread may outlive reading: the
        per-source stages may fork worker processes next)."""
        for stop in self._stops.values():
            stop.set()
        self._thread.join()


def source_digest(digest: str | None, display: str, doc_path: str) -> str | None:
    """One export among several in a file (a Statuspage file's ``#incident``) gets its own identity."""
    if digest is None:
        return None
    return digest if doc_path == display or not doc_path.startswith(display) else digest + doc_path[len(display):]


def _hash(*parts: object) -> str:
    return hashlib.sha256(_SEP.join(str(p) for p in parts).encode("utf-8", "surrogatepass")).hexdigest()


def citation_key(claim: Claim, digest: str | None) -> str:
    """The key of one citation: its source's content and the span of the time in it.

    Log evidence has no written span (a burst's onset is a minute, several notable-line claims can
    share a line), so its milestone and summary take part too.
    """
    parts: list[object] = [digest or f"path:{claim.source}", claim.record, claim.start, claim.end]
    if claim.evidence:
        parts += [claim.kind, claim.summary]
    return _hash(*parts)[:KEY_CHARS]


def assign(events: Iterable[Event], digests: dict[str, str | None]) -> tuple[Event, ...]:
    """Key every citation and every event (its primary citation's key). Keys are unique in a
    timeline: a clash, which would take two identical citations, is broken by order."""
    seen: set[str] = set()
    out = []
    for event in events:
        claims = []
        for claim in event.claims:
            key = citation_key(claim, digests.get(claim.source))
            n = 1
            while key in seen:
                n += 1
                key = _hash(key, n)[:KEY_CHARS]
            seen.add(key)
            claims.append(replace(claim, key=key))
        out.append(replace(event, claims=tuple(claims), key=claims[0].key if claims else ""))
    return tuple(out)


def find_event(events: Iterable[Event], ref: str) -> Event | None:
    """The event a user means by ``ref``: its short id (``E4``, ``e4``), its key, or any of its citations' keys."""
    wanted = ref.strip()
    events = list(events)
    for event in events:
        if event.id == wanted or event.id == wanted.upper():
            return event
    low = wanted.lower()
    for event in events:
        if event.key == low:
            return event
    for event in events:
        if any(c.key == low for c in event.claims):
            return event
    return None


def event_label(event: Event) -> str:
    """'E4 (3fa9c01b)': the short id for reading, the key for pointing at it later."""
    return f"{event.id} ({event.key})" if event.key else event.id


def label_in(timeline: Timeline, key: str) -> str:
    """How to name the event a key belongs to in this timeline: 'E4 (key)', or 'rejected (key)'."""
    event = find_event(timeline.events, key)
    if event is not None:
        return event_label(event)
    if find_event(timeline.rejected, key) is not None:
        return f"rejected ({key})"
    return key

"""Pick the reader for each file by sniffing its content, and expand folders into files."""
from __future__ import annotations

import errno
import gzip
import os
import stat
import zlib
from dataclasses import replace
from importlib import import_module
from pathlib import Path

from ..invisible import INVISIBLE
from ..model import Skip, SourceDoc
from .base import (
    Decoded,
    Limits,
    SourceError,
    check_columns,
    check_html_depth,
    check_json_depth,
    check_lines,
    decode_text,
    gzip_refusal,
    read_bytes,
)
from .manifest import MANIFEST

# Order breaks ties between equally confident readers; add a reader by adding its module here.
READER_MODULES = ("outagetl.logs.reader", "metrics", "twitter", "mastodon", "bluesky", "statuspage", "feed", "jsonlines",
                  "statustext", "article")
SNIFF_MAX = {"outagetl.logs.reader": 90, "metrics": 90, "twitter": 90, "mastodon": 85, "bluesky": 85, "statuspage": 90,
             "feed": 85, "jsonlines": 92, "statustext": 70, "article": 50}
"""The highest score each reader's ``sniff`` gives (``tests/test_registry_lazy.py`` holds every reader
to it). A reader that cannot beat the best score found so far is not imported: a log (90) never
loads the feed reader's XML parser or the article reader's sentence splitter."""


def _reader(name: str):
    """A reader module by name, imported on first use and kept here after (``import_module`` asks
    the import machinery each time: ten readers per file were a tenth of reading 2,000 stories)."""
    module = _LOADED.get(name)
    if module is None:
        module = _LOADED[name] = import_module(name if name.startswith("outagetl.") else f"{__package__}.{name}")
    return module


_LOADED: dict[str, object] = {}


def __getattr__(name: str):
    """``READERS``, every reader module in order, imported on first use."""
    if name == "READERS":
        return tuple(_reader(n) for n in READER_MODULES)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_ASKED = tuple(sorted(enumerate(READER_MODULES), key=lambda t: (-SNIFF_MAX[t[1]], t[0])))
"""(position, reader) in the order the readers are asked: the highest possible score first."""


def _scored(path: Path, head: str, every: bool = False) -> list[tuple[int, int, object]]:
    """(score, -order, reader) of the readers that may win, best first: readers are asked in
    order of their highest possible score, and those that could not beat (or, earlier in
    ``READER_MODULES``, tie) the best so far are left out, unless ``every``."""
    found: list[tuple[int, int, object]] = []
    best = (0, -len(READER_MODULES))
    for i, name in _ASKED:
        if not every and (SNIFF_MAX[name], -i) < best:
            continue
        module = _reader(name)
        found.append((module.sniff(path, head), -i, module))
        best = max(best, found[-1][:2])
    return sorted(found, key=lambda t: (t[0], t[1]), reverse=True)

_IGNORED_NAMES = {MANIFEST, "README.md", "README", ".DS_Store"}


def collect(paths: list[str], unreadable: list[SourceError] | None = None) -> list[tuple[Path, str, Path | None]]:
    """Every file to read as (path, display name, folder it came from); a folder means its regular
    files, walked without following links out of it. What a folder holds that cannot be read (a
    FIFO, a device, a link that leaves the folder or loops, a folder that cannot be listed) is added
    to ``unreadable`` with the reason, never silently left out. A path given by name is the user's
    choice and is followed wherever it points, but only a regular file is read (a FIFO would block)."""
    unreadable = [] if unreadable is None else unreadable
    out = []
    for raw in paths:
        path = Path(raw)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise SourceError(raw, "no such file or directory") from None
        except OSError as exc:
            unreadable.append(SourceError(raw, f"cannot read: {exc.strerror or exc}"))
            continue
        if stat.S_ISDIR(mode):
            _walk(path, path, os.path.realpath(path), out, unreadable)
        elif stat.S_ISREG(mode):
            out.append((path, str(path), None))
        else:
            unreadable.append(SourceError(raw, f"not a regular file ({_kind(mode)}): not read"))
    return out


def _walk(root: Path, folder: Path, real_root: str, out: list, unreadable: list[SourceError]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        unreadable.append(SourceError(str(folder), f"folder cannot be read: {exc.strerror or exc}"))
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_symlink():
                target = os.path.realpath(path)
                if os.path.commonpath([real_root, target]) != real_root:
                    unreadable.append(SourceError(str(path), f"symbolic link to {target}, outside {root}: not followed"))
                    continue
            mode = path.stat().st_mode
        except OSError as exc:
            reason = "symbolic link loop" if exc.errno == errno.ELOOP else \
                "broken symbolic link" if exc.errno == errno.ENOENT else f"cannot read: {exc.strerror or exc}"
            unreadable.append(SourceError(str(path), f"{reason}: not read"))
            continue
        if stat.S_ISDIR(mode):
            if entry.is_symlink():  # inside the folder: its files are reached by their own path
                continue
            _walk(root, path, real_root, out, unreadable)
        elif stat.S_ISREG(mode):
            if entry.name not in _IGNORED_NAMES:
                out.append((path, str(path), root))
        else:
            unreadable.append(SourceError(str(path), f"not a regular file ({_kind(mode)}): not read"))


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"))
    return next((name for test, name in kinds if test(mode)), "not a file or folder")


DEFAULT_LIMITS = Limits()


# The source type each reader gives, so that a manifest's ``type`` chooses among the readers of that type.
READER_TYPES = {"log": "log", "metrics": "metrics", "twitter": "post", "mastodon": "post", "bluesky": "post",
                "jsonlines": "post", "statuspage": "status", "feed": "status", "statustext": "status", "article": "article"}


def read_path(path: Path, display: str, limits: Limits = DEFAULT_LIMITS, want: str | None = None,
              leave: tuple[str, ...] = ()) -> list[SourceDoc] | None:
    """Sniff from the head only; a reader with ``STREAMS = True`` then reads the file itself
    (``read_stream``), so big and gzipped logs are never decoded whole into memory. ``want`` (a
    manifest's ``type``) limits the choice to the readers of that type: a story is never relabelled
    a log, it is read as one or refused with the reason. A file whose reader gives a type in
    ``leave`` is not read (None): a worker process that reads stories leaves the logs to the
    process that merges, which reads them with its own threads and helper.

    Whatever a reader raises becomes a SourceError naming the file: one input never stops the run.
    """
    gz, head_bytes, whole = _opening(path, display)
    head = decode_text(display, head_bytes)
    scored = _scored(path, head.text[:4096])
    score, _, reader = scored[0]
    if score <= 0:
        raise SourceError(display, "no reader recognises this file")
    forced = None
    if want and READER_TYPES.get(reader.NAME) != want:
        # The best reader of that type, even one that would not have claimed the file (a log with
        # many foreign lines): it reads what it can, or says why not.
        forced = f"{MANIFEST} gives type {want!r}, but it reads as {READER_TYPES.get(reader.NAME, reader.NAME)}"
        scored = _scored(path, head.text[:4096], every=True)
        reader = next(r for _, _, r in scored if READER_TYPES.get(r.NAME) == want)
    if READER_TYPES.get(reader.NAME) in leave:
        return None
    try:
        if getattr(reader, "STREAMS", False):
            if gz:
                _check_gzip_size(path, display, limits)
            docs, decoded = reader.read_stream(path, display, limits), head
        else:
            # a file shorter than its head was read whole (most stories): not opened again
            data = _gunzip(path, display, limits) if gz else \
                head_bytes if whole and len(head_bytes) <= limits.max_bytes else read_bytes(path, limits.max_bytes)
            check_lines(display, data, limits.max_line_bytes)
            if reader.NAME in ("metrics", "twitter"):  # the readers that build a table from a CSV header
                check_columns(display, data, limits.max_csv_columns)
            decoded = head if data == head_bytes else decode_text(display, data)  # a short file is its head
            del data  # the text is what is read now: the bytes need not be held beside it (40 MB of posts are 40 MB)
            if reader.NAME != "jsonlines":
                check_json_depth(display, decoded.text, limits.max_json_depth)
            check_html_depth(display, decoded.text, limits.max_html_depth)
            docs = reader.read(path, decoded.text, display)
    except SourceError as exc:
        if forced:
            raise SourceError(display, f"{forced} and the {reader.NAME} reader refuses it: {exc.reason}", exc.line) from None
        if exc.path == str(path) and display != str(path):
            raise SourceError(display, exc.reason, exc.line) from None
        raise
    except RecursionError:
        raise SourceError(display, f"nested too deeply for the {reader.NAME} reader") from None
    except Exception as exc:  # noqa: BLE001 - a reader's defect must cost one file, not the run
        raise SourceError(display, f"could not be read by the {reader.NAME} reader "
                                   f"({type(exc).__name__}: {exc}); please report this") from None
    docs = list(docs) if isinstance(docs, (list, tuple)) else [docs]
    if forced and all(_empty(doc) for doc in docs):
        why = next((f" ({skip.reason})" for doc in docs for skip in doc.skipped), "")
        raise SourceError(display, f"{forced} and the {reader.NAME} reader finds nothing in it{why}")
    hidden = _invisible(decoded.text) if any(doc.text or doc.records for doc in docs) else None
    return [_account(doc, decoded, hidden) for doc in docs]


def _empty(doc: SourceDoc) -> bool:
    """A doc with nothing to use: no records, and for a log or metrics no line parsed."""
    return not doc.records and (doc.series is None or not getattr(doc.series, "parsed", 0))


def _invisible(text: str) -> tuple[int, str, int] | None:
    """The invisible or control characters of a file's text: (how many, the first six codes, the
    line of the first), None when there are none. Read once per file: a status page's file is a
    doc per incident, and reading the whole file again for each of 1,000 incidents took 6 s."""
    hidden = INVISIBLE.findall(text)
    if not hidden:
        return None
    first = INVISIBLE.search(text)
    codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(set(hidden))[:6])
    return len(hidden), codes, text.count("\n", 0, first.start()) + 1


def _account(doc: SourceDoc, decoded: Decoded, hidden: tuple[int, str, int] | None) -> SourceDoc:
    """Record the encoding the file was read in, the NUL bytes removed from it and the invisible
    characters it holds (``_invisible``; not for a doc with no text, a log's) as skips."""
    source = replace(doc.source, encoding=decoded.encoding)
    skipped = doc.skipped
    if decoded.nuls:
        skipped += (Skip(doc.source.path, f"{decoded.nuls} NUL bytes", "removed: NUL bytes are not text",
                         decoded.nul_line),)
    if hidden and (doc.text or doc.records):
        count, codes, line = hidden
        skipped += (Skip(doc.source.path, f"{count} invisible or control characters",
                         f"{codes}: shown as <U+XXXX> in every text output, never passed to a terminal", line),)
    return replace(doc, source=source, skipped=skipped)


_GZIP_MAGIC = b"\x1f\x8b"
HEAD_BYTES = 65536


def _opening(path: Path, display: str) -> tuple[bool, bytes, bool]:
    """(gzipped, the head ``_head_bytes`` gives, whether that head is the whole file), the file
    opened once when it is not gzipped."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(HEAD_BYTES)
    except OSError as exc:
        raise SourceError(display, f"cannot read: {exc.strerror or exc}") from None
    if data[:2] == _GZIP_MAGIC:
        return True, _head_bytes(path, display, True), False
    return False, _cut(data, HEAD_BYTES), len(data) < HEAD_BYTES


def _head_bytes(path: Path, display: str, gz: bool, size: int = HEAD_BYTES) -> bytes:
    """The first bytes (decompressed for .gz), cut at the last full line so UTF-8 is not split."""
    try:
        with (gzip.open(path, "rb") if gz else open(path, "rb")) as handle:
            data = handle.read(size)
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(display, f"cannot read: {exc}") from None
    return _cut(data, size)


def _cut(data: bytes, size: int) -> bytes:
    """A head of ``size`` bytes read: whole when the file was shorter, else cut at its last full line."""
    if len(data) < size:
        return data
    if data.count(0) > size // 4:
        return data[: size - 2]
    cut = data.rfind(b"\n")
    return data[: cut + 1] if cut > 0 else data


def _check_gzip_size(path: Path, display: str, limits: Limits) -> None:
    """For streamed logs, the size the gzip trailer claims (mod 4 GiB): cheap, and catches plain bombs."""
    try:
        with open(path, "rb") as handle:
            compressed = handle.seek(0, 2)
            handle.seek(max(compressed - 4, 0))
            claimed = int.from_bytes(handle.read(4), "little")
    except OSError as exc:
        raise SourceError(display, f"cannot read: {exc.strerror or exc}") from None
    reason = gzip_refusal(compressed, claimed, limits)
    if reason:
        raise SourceError(display, reason)


def _gunzip(path: Path, display: str, limits: Limits) -> bytes:
    """Decompress in chunks and stop as soon as the output passes a limit, so a bomb never expands."""
    cap = min(limits.max_bytes, limits.max_gzip_bytes)
    try:
        compressed = path.stat().st_size
        chunks, total = [], 0
        with gzip.open(path, "rb") as handle:
            while chunk := handle.read(1024 * 1024):
                total += len(chunk)
                reason = gzip_refusal(compressed, total, limits)
                if reason:
                    raise SourceError(display, reason)
                if total > cap:
                    raise SourceError(display, f"decompressed file is over the {cap}-byte limit (--max-bytes)")
                chunks.append(chunk)
    except (OSError, EOFError, zlib.error) as exc:
        raise SourceError(display, f"cannot read: {exc}") from None
    return b"".join(chunks)

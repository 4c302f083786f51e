"""Stream a regex-format log file through the Arrow fast path in ``logfast``, batch by batch.

Batches hold exactly ``BATCH`` lines, like the text path's, so every per-batch decision in
``Tally`` (which lines decide UTC or local, year roll-over) is taken on the same lines.
"""
from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

from ..model import SourceDoc

BATCH = 100_000


def available() -> bool:
    try:
        import pyarrow.compute  # noqa: F401
    except ImportError:
        return False
    return True


def read_fast(path: Path, parser, tally, bom: bool) -> SourceDoc:
    from . import logfast

    with open(path, "rb") as probe:
        gz = probe.read(2) == b"\x1f\x8b"
    with (gzip.open(path, "rb") if gz else open(path, "rb")) as raw:
        if bom:
            raw.read(3)
        start = 1
        for batch in _batches(logfast, raw):
            tally.add(logfast.parse(parser.fmt, batch, start))
            start += len(batch)
    return tally.finish()


def _batches(logfast, raw) -> Iterator:
    import pyarrow as pa

    pending, size = [], 0
    for block in logfast.byte_chunks(raw):
        lines = logfast.to_lines(block)
        pending.append(lines)
        size += len(lines)
        while size >= BATCH:
            joined = pa.concat_arrays(pending) if len(pending) > 1 else pending[0]
            yield joined.slice(0, BATCH)
            pending, size = [joined.slice(BATCH)], size - BATCH
    if size:
        yield pa.concat_arrays(pending) if len(pending) > 1 else pending[0]

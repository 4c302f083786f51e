"""What an input may ask for and the error a reader raises when it cannot be used: apart from
``base`` (decoding, its patterns) because the command line needs both before it reads anything:
``--help`` shows every limit's default, and a usage error is reported with ``SourceError``."""
from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024
MAX_BYTES = 50 * MB


class SourceError(Exception):
    """An input that cannot be used at all; the message names the file (and line)."""

    def __init__(self, path: str, reason: str, line: int | None = None):
        self.path = path
        self.reason = reason
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):
        # A worker process sends one back (``parallel``): rebuilt from its fields, not its message.
        return SourceError, (self.path, self.reason, self.line)


@dataclass(frozen=True)
class Limits:
    """How much one input may ask for; inputs come from strangers, and each limit has an option."""

    max_bytes: int = MAX_BYTES
    max_line_bytes: int = 10 * MB
    max_json_depth: int = 200
    max_html_depth: int = 1000
    max_gzip_ratio: int = 100
    max_gzip_bytes: int = 1024 * MB
    max_manifest_chars: int = 1000
    """Longest value a ``sources.toml`` key may hold (a title, a zone): it is copied into every source."""
    max_csv_columns: int = 10_000
    """Widest CSV header a metrics or post export may have: a table is built with one column each."""
    gzip_ratio_floor: int = 10 * MB
    """Small files may compress far beyond the ratio (a repeated line); only big expansions are bombs."""

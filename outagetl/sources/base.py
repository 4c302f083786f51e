"""What every reader shares: the error it raises, the limits an input must stay within, and safe
decoding of bytes saved from the web or a production host (any encoding, NULs, binary)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model import quick_state
from .limits import MAX_BYTES, MB, Limits, SourceError  # noqa: F401  (re-exported: readers take them from base)

_MAGIC = (
    (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF8", "GIF image"),
    (b"%PDF", "PDF document"), (b"PK\x03\x04", "ZIP archive"), (b"\x7fELF", "executable"),
    (b"RIFF", "RIFF media"), (b"\x00\x00\x00", "binary data"), (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ", "xz archive"), (b"SQLite format 3", "SQLite database"),
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
"""Bytes below 32 that text does not hold (tab, newline, form feed and carriage return aside)."""
_JSON_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_ASSIGNMENT = re.compile(r"^\s*[\w.$]+\s*=\s*")
_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^<>]*?(/?)>")
_UNNESTED = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp", "caption"])


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    nuls: int = 0
    nul_line: int | None = None


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(str(path), f"file is {size} bytes, over the {max_bytes}-byte limit (--max-bytes)")
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {exc.strerror or exc}") from None


def decode(path: str, data: bytes) -> str:
    return decode_text(path, data).text


def decode_text(path: str, data: bytes) -> Decoded:
    """Decode the way a browser would for the common cases; refuse binary input; count NULs removed."""
    if not data.strip():
        raise SourceError(path, "file is empty")
    if not data.strip(b" \t\r\n\x00\x0b\x0c"):
        raise SourceError(path, "binary file (only NUL bytes), not text")
    encoding = _utf16(data)
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise SourceError(path, f"not valid {encoding.upper()} despite its byte-order mark or NUL pattern") from None
        return _clean(text.lstrip("\ufeff"), encoding + ("" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else " (no BOM)"))
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "utf-8-sig"
    _refuse_binary(path, data[:8192])
    try:
        return _clean(data.decode("utf-8"), encoding or "utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    declared = _declared(data)
    for candidate in (declared, "cp1252"):
        if candidate:
            try:
                return _clean(data.decode(candidate), candidate)
            except (UnicodeDecodeError, LookupError):
                continue
    raise SourceError(path, f"not UTF-8 text (invalid byte at offset {bad}) and not cp1252")


def _utf16(data: bytes) -> str | None:
    """UTF-16 by its BOM, or without one when every other byte of ASCII-heavy text is NUL."""
    if data.startswith(b"\xff\xfe"):
        return "utf-16"
    if data.startswith(b"\xfe\xff"):
        return "utf-16"
    head = data[:4096]
    if len(head) < 8 or len(data) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd > half * 0.6 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.6 and odd < half * 0.05:
        return "utf-16-be"
    return None


def _refuse_binary(path: str, head: bytes) -> None:
    magic = next((name for sig, name in _MAGIC if head.startswith(sig)), None)
    if magic:
        raise SourceError(path, f"binary file ({magic}), not text")
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # counted in C, not byte by byte
    if controls > len(head) // 20:
        raise SourceError(path, f"binary file ({controls} control bytes in the first {len(head)}), not text")


def _declared(data: bytes) -> str | None:
    """The charset an HTML or XML page declares for itself (``<meta charset>``, ``<?xml encoding>``)."""
    from bs4.dammit import EncodingDetector

    found = EncodingDetector.find_declared_encoding(data[:8192], is_html=True)
    return found if found and found.lower().replace("_", "-") not in ("utf-8", "utf8") else None


def _clean(text: str, encoding: str) -> Decoded:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    nuls = text.count("\x00")
    if not nuls:
        return Decoded(text, encoding)
    line = text.count("\n", 0, text.index("\x00")) + 1
    return Decoded(text.replace("\x00", ""), encoding, nuls, line)


def gzip_refusal(compressed: int, expanded: int, limits: Limits) -> str | None:
    """Why ``expanded`` bytes inflated so far from a ``compressed``-byte .gz are too many, or None.
    Counted on the bytes actually inflated, across every member: a gzip trailer names only the
    last member's size, so a file of many members can claim 10 MB and inflate to gigabytes."""
    if expanded > limits.max_gzip_bytes:
        return f"refused: gzip expands beyond {limits.max_gzip_bytes} bytes (--max-gzip-bytes)"
    if expanded > limits.gzip_ratio_floor and expanded > compressed * limits.max_gzip_ratio:
        return (f"refused: gzip expands beyond {limits.max_gzip_ratio}x its {compressed} bytes "
                f"(possible gzip bomb; --max-gzip-ratio)")
    return None


def check_lines(path: str, data: bytes, limit: int) -> None:
    """Refuse a line longer than ``limit`` bytes: no prose has one, and regexes over it are slow."""
    if len(data) <= limit:
        return
    start, line = 0, 1
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        if end - start > limit:
            raise SourceError(path, f"line is {end - start} bytes, over the {limit}-byte limit (--max-line-bytes)", line)
        start, line = end + 1, line + 1


def check_json_depth(path: str, text: str, limit: int) -> None:
    """Refuse JSON nested deeper than ``limit`` before a parser recurses into it."""
    body = _ASSIGNMENT.sub("", text[:256], count=1).lstrip()
    if body[:1] not in ("[", "{") or text.count("[") + text.count("{") <= limit:
        return
    if _too_deep(text.encode("utf-8", "surrogatepass"), limit) is None:
        return
    line = _too_deep(_JSON_STRING.sub('""', text).encode("utf-8", "surrogatepass"), limit)
    if line:
        raise SourceError(path, f"JSON nested deeper than {limit} levels (--max-json-depth)", line)


def _too_deep(data: bytes, limit: int) -> int | None:
    """The line where bracket depth first passes ``limit``; brackets in strings count, so confirm without them."""
    import numpy as np

    codes = np.frombuffer(data, dtype=np.uint8)
    steps = np.zeros(len(codes), dtype=np.int8)
    steps[(codes == 0x5B) | (codes == 0x7B)] = 1
    steps[(codes == 0x5D) | (codes == 0x7D)] = -1
    deep = np.flatnonzero(np.cumsum(steps, dtype=np.int32) > limit)
    return data.count(b"\n", 0, int(deep[0])) + 1 if len(deep) else None


_UNITS = {"article": "sentence", "twitter": "post", "mastodon": "post", "bluesky": "post",
          "jsonlines": "post", "statuspage": "update", "feed": "entry", "log": "line", "metrics": "row"}


NOT_UNITS = (" NUL bytes", " invisible or control characters")
"""Skips about characters (NULs removed, invisible ones shown), not units: "2 NUL bytes", "3
invisible or control characters"."""


@dataclass(frozen=True, slots=True)
class Units:
    """A source's units (sentences, posts, updates, lines) as its report counts them, told from
    its records once: the report is written after merge, which need not hold the records."""

    kind: str
    read: int
    skipped: int
    parsed: int | None = None
    """A log's parsed lines: its units used, whatever merge made of them."""

    def counts(self, used: int) -> dict:
        """Units read, used and skipped, ``used`` being the records some event cites."""
        return {"kind": self.kind, "read": self.read, "used": used if self.parsed is None else self.parsed,
                "skipped": self.skipped}


quick_state(Units)


def units(doc) -> Units:
    """Records plus the reader's skips, or a log's line counts."""
    kind = _UNITS.get(doc.source.reader, "unit")
    if doc.series is not None:
        read, parsed = doc.series.lines, doc.series.parsed
        return Units(kind, read, read - parsed, parsed)
    skipped = sum(1 for s in doc.skipped if not s.what.endswith(NOT_UNITS))
    return Units(kind, len(doc.records) + skipped, skipped)


def check_columns(path: str, data: bytes, limit: int) -> None:
    """Refuse a CSV whose header has more than ``limit`` columns (a million columns took gigabytes)."""
    first = data[: data.find(b"\n") if b"\n" in data else len(data)]
    if first.lstrip()[:1] in (b"{", b"["):
        return  # JSON, not a CSV
    columns = max(first.count(b","), first.count(b"\t"), first.count(b";")) + 1
    if columns > limit:
        raise SourceError(path, f"CSV header has {columns} columns, over the {limit}-column limit (--max-csv-columns)", 1)


def check_html_depth(path: str, text: str, limit: int) -> None:
    """Refuse markup nested deeper than ``limit``: the HTML tree walks take time quadratic in depth.

    Void elements and those HTML closes by itself (``p``, ``li``, ``td``…) do not count, so sloppy
    pages are not mistaken for deep ones.
    """
    if text.count("<") <= limit:
        return
    depth = 0
    for m in _TAG.finditer(text):
        if m.group(3) or m.group(2).lower() in _UNNESTED:
            continue
        depth = max(depth - 1, 0) if m.group(1) else depth + 1
        if depth > limit:
            raise SourceError(path, f"markup nested deeper than {limit} elements (--max-html-depth)",
                              text.count("\n", 0, m.start()) + 1)


def end_block(tag, mark: str = "") -> None:
    """End a block of a parsed HTML page with a paragraph break (``mark`` before it: the full stop
    that ends a heading or list item), so that the page's text keeps its blocks apart. The break
    is the block's last child, which reads exactly as a string placed after the block does, but
    costs the depth of the tree: placing it after the block (``insert_after``) looks the block up
    among its parent's children, so a page of 12,000 paragraphs in one article took 6.6 s and one
    of 30,000 over a minute."""
    if mark:
        tag.append(mark)
    tag.append("\n\n")


def drop_tags(tags) -> None:
    """Take these tags of a parsed HTML page out of it, with all they hold (what ``decompose``
    does to each). Those that share a parent are found among its children in one pass over them:
    ``decompose`` looks each tag up among its siblings one by one, so 8,000 share buttons beside
    the paragraphs of one article took 1.24 s, and four times as long at twice as many. A tag inside
    another one dropped goes with it."""
    chosen = {id(tag) for tag in tags}
    siblings: dict[int, tuple[object, set[int]]] = {}
    for tag in tags:
        if any(id(holder) in chosen for holder in tag.parents):
            continue
        if tag.parent is None:
            tag.decompose()
            continue
        siblings.setdefault(id(tag.parent), (tag.parent, set()))[1].add(id(tag))
    for parent, dropped in siblings.values():
        for at in reversed([i for i, child in enumerate(parent.contents) if id(child) in dropped]):
            child = parent.contents[at]
            child.extract(_self_index=at)  # bs4's own shortcut for a child whose place is known
            child.decompose()


def release_tree(soup) -> None:
    """Take a parsed HTML page apart once what it says is read. Each node of a BeautifulSoup tree
    points to its parent, its siblings and its neighbours in the page's order, so a tree dropped
    whole waits for the cycle collector's next pass over old objects, which a build makes
    seldom (``collector.seldom``): four 2 MB pages once held 420 MB that way (262 MB with the
    collector's passes as Python makes them); taken apart, each node goes when the tree does
    (130 MB either way). ``decompose`` on the root leaves the nodes linked: each of its children
    is taken apart."""
    for child in list(soup.contents):
        child.decompose()

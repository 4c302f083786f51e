"""Shared helpers for the post/status reader tests (tests/test_sources_{twitter,…}.py)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from hypothesis import strategies as st

from outagetl.sources import registry
from outagetl.sources.base import SourceError, decode

DATA = Path(__file__).parent / "data"
UTC = timezone.utc


def Z(text: str) -> datetime:
    """'2019-07-03 13:18:00' → aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def read(relative: str, tmp_path: Path | None = None, rename: str | None = None):
    """Through the registry, as the CLI reads it; ``rename`` copies it under another name first."""
    path = DATA / relative
    if rename:
        copy = tmp_path / rename
        copy.write_bytes(path.read_bytes())
        path = copy
    docs = registry.read_path(path, relative)
    return docs


def only(relative: str, tmp_path: Path | None = None, rename: str | None = None):
    docs = read(relative, tmp_path, rename)
    assert len(docs) == 1
    return docs[0]


def line_of(relative: str, n: int) -> str:
    return (DATA / relative).read_text(encoding="utf-8").split("\n")[n - 1]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
    | st.sampled_from(["Wed Jul 03 13:18:00 +0000 2019", "2019-07-03T13:18:00Z", "app.bsky.feed.post",
                       "2019-07-03T09:18:00.000-04:00", "Wed, 03 Jul 2019 13:18:00 GMT", "<p>x</p>"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["created_at", "createdAt", "indexedAt", "text", "full_text", "content", "account",
                         "acct", "user", "screen_name", "id", "id_str", "data", "includes", "users",
                         "author_id", "tweet", "statuses", "feed", "post", "record", "$type", "uri",
                         "incidents", "incident", "incident_updates", "name", "shortlink", "started_at",
                         "status", "body", "reblog", "value", "records", "posts", "username", "display_at"]),
        children, max_size=6),
    max_leaves=20,
)

# Arbitrary text, JSON made of the keys the readers look for, and JSON Lines of those.
INPUTS = (
    st.text(max_size=400)
    | _json.map(json.dumps)
    | st.lists(_json.map(json.dumps), min_size=1, max_size=5).map("\n".join)
    | st.binary(max_size=300).map(lambda b: b.decode("latin-1"))
    | st.sampled_from(["window.YTD.tweets.part0 = ", "<rss><channel><item>", "created_at,text\n,",
                       "<feed xmlns='http://www.w3.org/2005/Atom'><entry><updated>x</updated></entry></feed>"])
    .flatmap(lambda prefix: st.text(max_size=100).map(lambda rest: prefix + rest))
)


def only_source_errors(reader, text: str) -> None:
    """Sniffing never fails; reading either succeeds or raises SourceError, nothing else."""
    score = reader.sniff(Path("input.txt"), text[:4096])
    assert isinstance(score, int) and score >= 0
    try:
        docs = reader.read(Path("input.txt"), text, "input.txt")
    except SourceError as exc:
        assert exc.reason and "\n" not in str(exc)
        return
    for doc in docs if isinstance(docs, list) else [docs]:
        for record in doc.records:
            assert record.timestamp is None or record.timestamp.utcoffset().total_seconds() == 0


def bytes_only_source_errors(reader, data: bytes) -> None:
    try:
        text = decode("input.bin", data)
    except SourceError:
        return
    only_source_errors(reader, text)

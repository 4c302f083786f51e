"""Compiled patterns and parsed tables kept from one run to the next, in the user's cache folder.

A language's grammar is some sixty regular expressions whose alternations hold every zone name
and every word of its lexicon, and its milestone words are hundreds more. Python's ``re`` parses
and compiles a pattern in Python, which costs more (0.1–0.2 s a language) than reading a few
stories' times. What the compiler makes of a pattern depends only on the pattern, its flags and
the Python that compiles it; so the program it makes is kept, keyed by those, and handed back to
``_sre`` (which checks it) the next time. A pattern that changes (a word added to a lexicon) is
simply another key. The same goes for a data file's TOML, kept as what ``tomllib`` makes of it,
keyed by the file's bytes themselves: an edited file is another key.

Anything wrong with the cache (absent, unreadable, unwritable, written by another Python,
damaged) only means compiling or parsing as before. The folder (``folder()``) is the one every
cache of the program uses: ``OUTAGETL_CACHE`` names another, or ``off`` keeps nothing.
"""
from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
from array import array

try:
    import _sre
    from re import _compiler, _parser

    # the program is kept as bytes (a list of ints is ten times slower to read back)
    _CODE = next(t for t in "IHL" if array(t).itemsize == _sre.CODESIZE)
except (ImportError, StopIteration):  # another Python: compile as re does
    _sre = None

MAX_ENTRIES = 20_000
"""More patterns than every language's grammar and milestone words hold; past it, a run keeps
only the patterns it used."""

_store: dict | None = None
_compiled: dict = {}
"""This run's compiled patterns: a pattern asked for twice (every spaced language's zone pattern) is compiled once."""
_used: set = set()
_dirty = False


def compile(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``, from the cache when this Python compiled the same pattern before."""
    flags = int(flags)
    key = (pattern, flags)
    compiled = _compiled.get(key)
    if compiled is not None:
        return compiled
    compiled = _compiled[key] = _compile(pattern, flags, key)
    return compiled


def _compile(pattern: str, flags: int, key: tuple) -> re.Pattern:
    global _dirty
    store = _load()
    entry = store.get(key)
    if entry is not None:
        try:
            final, code, groups, groupindex, indexgroup = entry
            compiled = _sre.compile(pattern, final, array(_CODE, code).tolist(), groups, groupindex, indexgroup)
            _used.add(key)
            return compiled
        except Exception:  # noqa: BLE001 - a damaged entry: compile it again
            pass
    if _sre is None or flags & re.DEBUG or not isinstance(pattern, str):
        return re.compile(pattern, flags)
    try:
        final, code, groups, groupindex, indexgroup = _program(pattern, flags)
        compiled = _sre.compile(pattern, final, code, groups, groupindex, indexgroup)
        entry = final, array(_CODE, code).tobytes(), groups, groupindex, indexgroup
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - the compiler's internals differ here: compile as re does
        return re.compile(pattern, flags)
    store[key] = entry
    _used.add(key)
    if not _dirty:
        _dirty = True
        atexit.register(_save)
    return compiled


def toml(raw: bytes) -> dict:
    """``tomllib.loads`` of a data file's bytes, from the cache when the same bytes were read
    before; a new dict every time (callers may change what they are given)."""
    global _dirty
    store = _load()
    key = ("toml", raw)
    entry = store.get(key)
    if isinstance(entry, bytes):
        try:
            data = marshal.loads(entry)
            _used.add(key)
            return data
        except Exception:  # noqa: BLE001 - a damaged entry: parse the file again
            pass
    import tomllib

    data = tomllib.loads(raw.decode("utf-8"))
    try:
        store[key] = marshal.dumps(data)  # a table holding a TOML date is not kept
    except ValueError:
        return data
    _used.add(key)
    if not _dirty:
        _dirty = True
        atexit.register(_save)
    return data


def _program(pattern: str, flags: int) -> tuple:
    """What ``re._compiler.compile`` hands to ``_sre.compile`` for the pattern, in plain values."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return flags | parsed.state.flags, [int(c) for c in code], parsed.state.groups - 1, groupindex, tuple(indexgroup)


CACHE_VARIABLE = "OUTAGETL_CACHE"
"""Names the cache folder (default ``$XDG_CACHE_HOME/outagetl``, else ``~/.cache/outagetl``); ``off`` keeps none."""


def folder() -> str | None:
    """The folder where the program keeps what it compiled, for every cache it has (None: keep nothing)."""
    where = os.environ.get(CACHE_VARIABLE)
    if where == "off":
        return None
    return where or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
                                 "outagetl")


def write_whole(path: str, data: bytes, prefix: str) -> None:
    """``data`` into ``path`` whole or not at all (a temporary file in the same folder, renamed: runs at
    once may share the folder), never an error: a cache is optional."""
    import tempfile

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=prefix)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        os.unlink(tmp)


def _path() -> str | None:
    where = folder()
    if not where or _sre is None:
        return None
    return os.path.join(where, f"kept-{sys.version_info[0]}.{sys.version_info[1]}-{_sre.MAGIC}.marshal")


def _version() -> str:
    """The Python that compiled: another build's programs are never read (the file says which)."""
    return f"{sys.version} {_sre.MAGIC} {_sre.CODESIZE} {sys.maxunicode}"


def _load() -> dict:
    global _store
    if _store is None:
        _store = {}
        path = _path()
        if path:
            try:
                with open(path, "rb") as fh:
                    data = marshal.load(fh)
                if isinstance(data, dict) and data.get("version") == _version() and isinstance(data.get("entries"), dict):
                    _store = data["entries"]
            except Exception:  # noqa: BLE001 - no cache, or a damaged one: start a new one
                _store = {}
    return _store


def _save() -> None:
    """Write the cache once, at exit."""
    path = _path()
    if not path or _store is None:
        return
    store = _store if len(_store) <= MAX_ENTRIES else {k: v for k, v in _store.items() if k in _used}
    try:
        data = marshal.dumps({"version": _version(), "entries": store})
    except ValueError:  # a value marshal cannot write: nothing is kept this time
        return
    write_whole(path, data, ".kept-")

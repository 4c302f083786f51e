"""Arrow ↔ numpy by buffers, never through pyarrow's Python-object conversions.

``pa.array(...)``, a Python scalar argument to a compute function and ``Array.to_numpy()`` all
make pyarrow import pandas (0.3 s) to check for pandas objects; the fast engine reads a log
without pandas, so it moves columns through these helpers instead.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa


def ints(values: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    """int64 values as an Arrow column; null where ``missing``."""
    values = np.ascontiguousarray(values, np.int64)
    validity = None if missing is None else pa.py_buffer(np.packbits(~missing, bitorder="little"))
    return pa.Array.from_buffers(pa.int64(), len(values), [validity, pa.py_buffer(values)])


def bools(mask: np.ndarray) -> pa.Array:
    return pa.Array.from_buffers(pa.bool_(), len(mask), [None, pa.py_buffer(np.packbits(mask, bitorder="little"))])


def strings(values: list[str]) -> pa.StringArray:
    """Python strings (no None) as an Arrow string column."""
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, np.int32)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return pa.StringArray.from_buffers(len(encoded), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded)))


def _bits(buffer, offset: int, n: int) -> np.ndarray:
    return np.unpackbits(np.frombuffer(buffer, np.uint8), bitorder="little")[offset:offset + n].astype(bool)


def valid(arr: pa.Array) -> np.ndarray:
    """True where ``arr`` has a value."""
    validity = arr.buffers()[0]
    if validity is None or arr.null_count == 0:
        return np.ones(len(arr), bool)
    return _bits(validity, arr.offset, len(arr))


def to_bools(arr: pa.Array) -> np.ndarray:
    """A boolean column as numpy; null is False."""
    out = _bits(arr.buffers()[1], arr.offset, len(arr))
    return out & valid(arr) if arr.null_count else out


def to_numbers(arr: pa.Array, missing=np.nan) -> np.ndarray:
    """An integer or float column as numpy float64; null is ``missing``."""
    kind = "uint" if pa.types.is_unsigned_integer(arr.type) else "int" if pa.types.is_integer(arr.type) else "float"
    dtype = np.dtype(f"{kind}{arr.type.bit_width}")
    data = np.frombuffer(arr.buffers()[1], dtype)[arr.offset:arr.offset + len(arr)].astype("float64")
    if arr.null_count:
        data[~valid(arr)] = missing
    return data


# Compute kernels by name: ``pyarrow.compute`` builds a Python wrapper for each of its hundreds of
# functions when imported (0.1 s of every run); the fast path needs six, called directly.
def call(name: str, *args, options=None):
    from pyarrow import _compute

    return _compute.call_function(name, list(args), options)


def match(arr: pa.Array, pattern: str) -> np.ndarray:
    """Where RE2 finds ``pattern`` in each string (null is False), as numpy."""
    from pyarrow import _compute

    return to_bools(call("match_substring_regex", arr, options=_compute.MatchSubstringOptions(pattern)))


def extract(arr: pa.Array, pattern: str) -> pa.StructArray:
    from pyarrow import _compute

    return call("extract_regex", arr, options=_compute.ExtractRegexOptions(pattern))


def split(arr: pa.StringArray, pattern: str) -> pa.ListArray:
    """Each string cut at every ``pattern`` (a literal), the pieces without it."""
    from pyarrow import _compute

    return call("split_pattern", arr, options=_compute.SplitPatternOptions(pattern))


def take(arr: pa.Array, rows: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return call("take", arr, ints(rows, missing))


def byte_slice(arr: pa.StringArray, start: int, stop: int) -> pa.StringArray:
    """Byte ``start``..``stop`` of each string (ASCII, or cut at a newline: never mid-character)."""
    from pyarrow import _compute

    return call("binary_slice", arr.view(pa.binary()), options=_compute.SliceOptions(start, stop)).view(pa.string())


def encode(arr: pa.Array) -> pa.DictionaryArray:
    """``arr`` dictionary-encoded; Arrow numbers the values in order of first appearance."""
    return call("dictionary_encode", arr)


def ascii_rows(arr: pa.StringArray) -> np.ndarray:
    """True for each string that is pure ASCII (one pass over the bytes when all of them are)."""
    n = len(arr)
    if n == 0:
        return np.zeros(0, bool)
    offsets = np.frombuffer(arr.buffers()[1], np.int32)[arr.offset:arr.offset + n + 1]
    buffer = arr.buffers()[2]
    data = np.frombuffer(buffer, np.uint8)[offsets[0]:offsets[-1]] if buffer is not None else np.zeros(0, np.uint8)
    if data.size == 0 or int(data.max()) < 128:
        return np.ones(n, bool)
    return to_bools(call("string_is_ascii", arr))

"""The JSON output is written by orjson, byte for byte what the standard library's indenting
encoder writes (the contract's bytes must not depend on which wrote them)."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from outagetl.render.json import dumps

scalars = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
           | st.floats(allow_nan=False, allow_infinity=False) | st.text())
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                      max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(values)
def test_the_bytes_are_the_standard_librarys(data):
    assert dumps(data) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def test_what_orjson_writes_otherwise_is_written_by_the_standard_library():
    # exponents (1e+16, 1e-05), a lone surrogate, an integer wider than 64 bits, a key that is not text
    for data in ({"n": 1e16}, [1e-05, "x"], {"s": "\udcff"}, {"big": 2**80}, {1: "one"}, []):
        assert dumps(data) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"

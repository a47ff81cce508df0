"""The batch API's JSON, written from the rows, is byte for byte what orjson writes."""

from __future__ import annotations

import random
import sys

import orjson
import pytest

from tangkal.check.encode import json_float, json_string


def test_json_string_writes_every_character_as_orjson_does() -> None:
    """Each code point alone, then in company of the characters that must be escaped."""
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:  # lone surrogates: orjson refuses them, and so do we
            continue
        char = chr(code)
        for text in (char, f'a"{char}\\b'):
            assert json_string(text) == orjson.dumps(text).decode(), hex(code)


def test_json_string_refuses_lone_surrogates_as_orjson_does() -> None:
    with pytest.raises(orjson.JSONEncodeError):
        json_string("a\ud800b")


def test_json_float_writes_what_orjson_writes() -> None:
    edges = [0.0, -0.0, 1e-4, 9.999e-5, 1e15, 1e15 - 0.5, 1e16, 2.0**53, 5e-324, -1.5,
             1.7976931348623157e308, 0.1 + 0.2, 123456789012345.67, 99999999.99]  # fmt: skip
    rng = random.Random(3)
    spread = [rng.uniform(-1, 1) * 10 ** rng.uniform(-8, 18) for _ in range(100_000)]
    rounded = [round(rng.uniform(0, 1e13), 2) for _ in range(100_000)]
    for value in edges + spread + rounded:
        assert json_float(value) == orjson.dumps(value).decode(), repr(value)

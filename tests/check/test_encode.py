"""The batch API's JSON, written from the rows, is byte for byte what orjson writes."""

from __future__ import annotations

import datetime as dt
import random
import sys

import orjson
import pytest

from tangkal.check.encode import _date_json, _loss_json, json_float, json_string
from tangkal.check.lookup import _cents, _stored_iso


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


@pytest.mark.parametrize(
    "raw",
    ["2026-11-01 00:00:00.000000", "2026-10-31 23:57:56.543211", "2026-11-01 00:00:00",
     "2026-11-01T07:00:00+07:00", "2026-11-01 00:00:00.5", "2026-11-01 00:00:00.12 456",
     dt.datetime(2026, 11, 1, 7, tzinfo=dt.timezone(dt.timedelta(hours=7))), None],
)  # fmt: skip
def test_stored_timestamps_are_written_as_the_answers_dates(raw: object) -> None:
    assert _date_json(raw) == orjson.dumps(_stored_iso(raw)).decode()


@pytest.mark.parametrize("stored", [0, 300, -7, 10**15, 2**53 + 1, 123.45, 2.675, None, "12.5"])
def test_stored_losses_are_written_as_the_answers_losses(stored: object) -> None:
    assert _loss_json(stored) == orjson.dumps(_cents(stored)).decode()

"""The pull path's bookkeeping: import results built on reading, the collector threshold."""

from __future__ import annotations

import gc

from tangkal.share.importer import ImportResult
from tangkal.share.sync import fewer_collections


def test_successes_are_built_on_reading_and_follow_later_additions() -> None:
    result = ImportResult()
    a = {"id": "indicator--a", "modified": "2026-01-01T00:00:00Z"}
    b = {"id": "sighting--b", "created": "2026-01-02T00:00:00Z"}
    result.ok(a, "imported")
    assert result.successes == [
        {"id": "indicator--a", "message": "imported", "version": "2026-01-01T00:00:00Z"}
    ]
    result.ok(b, "accepted; not stored as evidence")
    result.ok({"id": "indicator--c"}, "revoked")
    assert [s["id"] for s in result.successes] == ["indicator--a", "sighting--b", "indicator--c"]
    assert result.successes[1]["version"] == "2026-01-02T00:00:00Z"
    assert "version" not in result.successes[2]
    assert result.taken == 3
    assert result.count("imported", "revoked") == 2
    assert result.count("already imported") == 0


def test_pulls_raise_the_collector_threshold_and_the_last_one_out_restores_it() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == 1_000_000
        assert gc.get_threshold()[1:] == before[1:]
        with fewer_collections():  # a second pull in the same process
            assert gc.get_threshold()[0] == 1_000_000
        assert gc.get_threshold()[0] == 1_000_000  # the first is still running
    assert gc.get_threshold() == before

"""ImportResult keeps successes as (object, message) until they are read."""

from __future__ import annotations

from tangkal.share.importer import ImportResult


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

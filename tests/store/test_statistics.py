"""Planner statistics are refreshed when a bulk load has outgrown them, and only then."""

from __future__ import annotations

from sqlalchemy import text

from tangkal.store import Store
from tangkal.store.statistics import BULK, keep_statistics


def test_a_table_that_outgrew_its_statistics_is_analysed_once(store: Store) -> None:
    with store.begin() as session:
        if store.dialect != "postgresql":
            # SQLite plans these queries without statistics: nothing to keep.
            assert keep_statistics(session, ["reports"], adding=10 * BULK) == []
            return
        session.execute(text("CREATE TEMPORARY TABLE loaded (x integer) ON COMMIT DROP"))
        session.execute(text("INSERT INTO loaded SELECT generate_series(1, :n)"), {"n": 3 * BULK})
        planned = "SELECT reltuples FROM pg_class WHERE oid = to_regclass('loaded')"
        assert session.scalar(text(planned)) < 0  # never analysed
        assert keep_statistics(session, ["loaded"], adding=BULK - 1) == []  # not a bulk load
        assert keep_statistics(session, ["loaded"], adding=3 * BULK) == ["loaded"]
        assert session.scalar(text(planned)) == 3 * BULK  # the uncommitted rows were seen
        assert keep_statistics(session, ["loaded"], adding=3 * BULK) == []  # not doubled since
        assert keep_statistics(session, ["loaded", "no_such_table"], adding=7 * BULK) == ["loaded"]

"""Planner statistics that keep up with bulk loads on PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import Text

__all__ = ["keep_statistics"]

# Fewer rows than this at once is an ordinary filing, not a bulk load: it never waits for
# an ANALYZE, and never takes the ANALYZE lock that concurrent filings would queue on.
BULK = 200

_SIZES = text(
    "SELECT t, c.reltuples, pg_stat_get_live_tuples(c.oid) "
    "FROM unnest(:tables) AS t JOIN pg_class c ON c.oid = to_regclass(t)"
).bindparams(bindparam("tables", type_=ARRAY(Text)))


def keep_statistics(session: Session, tables: Sequence[str], adding: int) -> list[str]:
    """ANALYZE those of ``tables`` that have more than doubled since the planner last looked.

    A new database's statistics say its tables are empty, and autovacuum may be off or run
    behind a load, so while `tangkal demo` or an import grows the store the planner keeps
    planning for empty tables: linking the first 1,000 demo reports hashed every phone and
    account indicator once per report (over a minute a batch, and quadratic from there).
    ``adding`` counts rows this transaction has written but not committed, which the live
    count does not show yet. ANALYZE inside the transaction sees them. Refreshing only on
    doubling keeps the cost logarithmic in the load. SQLite's planner reads no statistics
    for these plans, so nothing is done there.
    """
    if adding < BULK or session.get_bind().dialect.name != "postgresql":
        return []
    stale = [
        name
        for name, planned, live in session.execute(_SIZES, {"tables": list(tables)})
        if live + adding > 2 * max(planned, 0)
    ]
    for name in stale:
        session.execute(text(f'ANALYZE "{name}"'))
    return stale

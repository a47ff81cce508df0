"""The public check's hot path: indexed lookups on a raw connection kept per thread.

A single public check is the busiest request a node serves, and a bank's batch screen the
biggest; both skip the ORM session and the pool and run ``lookup.decide_all`` (the same
queries and verdicts as the library's ``check_many``) through a DBAPI cursor held by each
worker thread.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine

from tangkal.check.lookup import CheckResult, LinkScorer, check_values, decide_all
from tangkal.report.normalize import normalize

__all__ = ["PointReader"]


class PointReader:
    """Reads one value's evidence; safe to share between threads (one connection each)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._mark = "?" if engine.dialect.name == "sqlite" else "%s"
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()

    def _cursor(self) -> Any:
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            raw = self.engine.raw_connection()
            driver = raw.driver_connection
            if self.engine.dialect.name == "postgresql":
                driver.autocommit = True  # type: ignore[union-attr]
            cur = driver.cursor()  # type: ignore[union-attr]
            self._local.cursor = cur
            with self._lock:
                self._all.append(raw)
        return cur

    def close(self) -> None:
        with self._lock:
            for raw in self._all:
                raw.invalidate()
            self._all.clear()
        self._local = threading.local()

    def _run(self, sql: str, params: Sequence[Any]) -> list[Sequence[Any]]:
        cur = self._cursor()
        cur.execute(sql, params)
        return cur.fetchall()  # type: ignore[no-any-return]

    def check(
        self,
        query: str,
        country: str | None = None,
        *,
        link_scorer: LinkScorer | None = None,
        now: dt.datetime | None = None,
    ) -> CheckResult:
        """One value's verdict (with its network); raises InvalidInput (field ``q``)."""
        found = normalize(query, None, country)
        return decide_all(
            self._run, self._mark, [(query, found)], link_scorer=link_scorer, now=now
        )[0]

    def check_many(
        self,
        queries: Sequence[str],
        country: str | None = None,
        *,
        link_scorer: LinkScorer | None = None,
        now: dt.datetime | None = None,
    ) -> list[CheckResult]:
        """A batch; a value that is no indicator gets an ``error`` entry, not a failure."""
        return check_values(
            self._run, self._mark, queries, country, link_scorer=link_scorer, now=now
        )

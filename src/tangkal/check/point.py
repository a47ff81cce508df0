"""The public check's hot path: indexed lookups on a raw connection kept per thread.

A single public check is the busiest request a node serves, and a bank's batch screen the
biggest; both skip the ORM session and the pool and run ``lookup.decide_all`` (the same
queries and verdicts as the library's ``check_many``) through a DBAPI cursor held by each
worker thread.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Engine

from tangkal.check.encode import answer_text, answers_text
from tangkal.check.lookup import (
    CheckResult,
    LinkScorer,
    answer_one,
    check_values,
    decide_all,
)  # fmt: skip
from tangkal.report.normalize import canonical, normalize

__all__ = ["SCREEN_CHUNK", "PointReader"]

SCREEN_CHUNK = 500
"""Values a batch screen answers before it lets its server do other work (~10 ms of CPU)."""


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

    def _snapshot(self) -> _Snapshot:
        """One read transaction around a check's statements (SQLite).

        The evidence, allowlist and network statements then see the same state of the
        store, and SQLite takes its WAL read lock once instead of once per statement
        (~5 µs each: a third of a single check's time in SQLite). PostgreSQL stays in
        autocommit: two more round trips would cost more than they save.
        """
        return _Snapshot(self._cursor() if self._mark == "?" else None)

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
        with self._snapshot():
            return decide_all(
                self._run, self._mark, [(query, found)], link_scorer=link_scorer, now=now
            )[0]

    def answer(
        self,
        query: str,
        country: str | None = None,
        *,
        link_scorer: LinkScorer | None = None,
        now: dt.datetime | None = None,
    ) -> dict[str, Any]:
        """``check(…).as_dict()`` without the objects: the public API's busiest path.

        No read transaction around it: one statement answers most values (``lookup._ONE_SQL``),
        and ``BEGIN`` and ``COMMIT`` cost a tenth of the check. The second statement of a
        value in a network, or of a URL without its own allowlist entry, reads the store a
        moment later, as every check's statements do on PostgreSQL.
        """
        found = canonical(query, None, country)
        return answer_one(self._run, self._mark, query, found, link_scorer, now)

    def answer_text(
        self,
        query: str,
        country: str | None = None,
        *,
        link_scorer: LinkScorer | None = None,
        now: dt.datetime | None = None,
    ) -> str:
        """``orjson.dumps(answer(…))`` as text, written without the dicts (``encode``):
        ``GET /api/v1/check``'s path. Read as ``answer`` reads."""
        found = canonical(query, None, country)
        return answer_text(self._run, self._mark, query, found, link_scorer, now)

    def check_many(
        self,
        queries: Sequence[str],
        country: str | None = None,
        *,
        link_scorer: LinkScorer | None = None,
        now: dt.datetime | None = None,
    ) -> list[CheckResult]:
        """A batch; a value that is no indicator gets an ``error`` entry, not a failure."""
        with self._snapshot():
            return check_values(
                self._run, self._mark, queries, country, link_scorer=link_scorer, now=now
            )

    def answer_texts(
        self,
        queries: Sequence[str],
        country: str | None = None,
        *,
        link_scorer: LinkScorer | None = None,
        now: dt.datetime | None = None,
        size: int = SCREEN_CHUNK,
    ) -> Iterator[str]:
        """``check_many``'s answers as JSON, ``size`` values at a time: the batch API's path.

        Each chunk's answers, comma-separated (``encode.answers_text``); ``"[" +
        ",".join(chunks) + "]"`` is what ``orjson.dumps`` writes for ``CheckResult.as_dict``
        of every value. A server answers a bank's 10,000-value screen in its event loop, one
        chunk at a time, instead of in a thread. Run in a thread, the batch left the loop free
        to accept every connection that arrived, so a second bank's screen often landed on
        the same busy worker while the other sat idle (half the pairs, measured in session
        3). Between chunks the loop answers waiting single checks: they wait for one chunk,
        not for the whole batch. Each chunk reads its own snapshot of the store.
        """
        for start in range(0, len(queries), size):
            chunk = queries[start : start + size]
            with self._snapshot():
                text = answers_text(
                    self._run, self._mark, chunk, country, link_scorer=link_scorer, now=now
                )
            yield text  # outside the snapshot: the caller may wait before the next chunk


class _Snapshot:
    """``BEGIN`` … ``COMMIT`` on a cursor, or nothing without one.

    A class rather than ``@contextmanager``: the generator machinery cost the single check
    ~1% of its instructions. ``COMMIT`` also ends a failed check's transaction: it only read.
    """

    __slots__ = ("cursor",)

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor

    def __enter__(self) -> None:
        if self.cursor is not None:
            self.cursor.execute("BEGIN")

    def __exit__(self, *exc: object) -> None:
        if self.cursor is not None:
            self.cursor.execute("COMMIT")

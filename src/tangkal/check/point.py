"""The public check's hot path: one indexed lookup per value on a connection kept per thread.

``lookup.check_many`` (ORM, batched) serves batches, the CLI and the pages; a single public
check is the busiest request a node serves, so it skips the ORM and the pool and reads the
evidence row and the allowlist through a raw DBAPI connection held by each worker thread.
Both paths build the same ``Evidence`` and call the same ``verdict.decide``.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from sqlalchemy import Engine

from tangkal.check.allowlist import candidates
from tangkal.check.lookup import CheckResult, LinkScorer
from tangkal.check.verdict import Evidence, decide
from tangkal.link.hubs import HubRules
from tangkal.link.profile import public_summary
from tangkal.report.normalize import normalize
from tangkal.store.base import utcnow

__all__ = ["PointReader"]

_EVIDENCE_SQL = (
    "SELECT id, report_count, reporter_count, trusted_reporter_count, countries, typologies, "
    "first_seen, last_seen, loss_usd, delisted_at FROM indicators WHERE kind = {p} AND value = {p}"
)
_ALLOW_SQL = "SELECT label, category FROM allowlist WHERE kind = {p} AND value = {p}"
# The network most of the value's reports belong to (as link.profile decides it).
_NETWORK_SQL = (
    "SELECT n.id, n.report_count, n.country_count, count(*) AS c FROM report_indicators ri "
    "JOIN network_members m ON m.report_id = ri.report_id JOIN networks n ON n.id = m.network_id "
    "WHERE ri.indicator_id = {p} GROUP BY n.id, n.report_count, n.country_count "
    "ORDER BY c DESC, n.id DESC LIMIT 1"
)


def _when(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)  # type: ignore[no-any-return]


class PointReader:
    """Reads one value's evidence; safe to share between threads (one connection each)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        mark = "?" if engine.dialect.name == "sqlite" else "%s"
        self._evidence_sql = _EVIDENCE_SQL.format(p=mark)
        self._allow_sql = _ALLOW_SQL.format(p=mark)
        self._network_sql = _NETWORK_SQL.format(p=mark)
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

    def check(
        self,
        query: str,
        country: str | None = None,
        *,
        link_scorer: LinkScorer | None = None,
        now: dt.datetime | None = None,
    ) -> tuple[CheckResult, dict[str, Any] | None]:
        """The verdict, and the public summary of the value's network when it has one."""
        found = normalize(query, None, country)
        cur = self._cursor()
        label = None
        for kind, value, scoped in candidates(found.kind, found.value, found.attributes):
            cur.execute(self._allow_sql, (kind, value))
            hit = cur.fetchone()
            if hit is not None and (not scoped or hit[1] == "official"):
                label = hit[0]
                break
        cur.execute(self._evidence_sql, (found.kind, found.value))
        row = cur.fetchone()
        evidence = (
            Evidence()
            if row is None
            else Evidence(
                reports=row[1],
                reporters=row[2],
                trusted_reporters=row[3],
                countries=tuple(c for c in row[4].split(",") if c),
                typologies=tuple(t for t in row[5].split(",") if t),
                first_seen=_when(row[6]),
                last_seen=_when(row[7]),
                loss_usd=float(row[8] or 0),
                delisted=row[9] is not None,
            )
        )
        network = None
        linkable = row is not None and evidence.reports and not evidence.delisted
        if linkable and HubRules.shipped().reason(found.kind, found.value) is None:
            assert row is not None
            cur.execute(self._network_sql, (row[0],))
            net = cur.fetchone()
            network = public_summary(net[0], net[1], net[2]) if net else None
        risk = None
        if link_scorer is not None and found.kind in ("url", "domain"):
            risk = float(link_scorer([found.value])[0])
        v = decide(evidence, now or utcnow(), allowlisted=label is not None, model_risk=risk)
        result = CheckResult(
            query, found.kind, found.value, v.verdict, v.score, evidence, label, risk
        )
        return result, network

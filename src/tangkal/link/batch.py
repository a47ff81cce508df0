"""``tangkal link``: recompute every network from the whole report–indicator graph.

The edges are read with a raw cursor straight into numpy arrays (PostgreSQL: binary
COPY), labelled by ``linking.components`` and written back as a diff against the stored
membership, so a recompute that changes little writes little. Ids survive by overlap
(``linking.assign_ids``); merges, splits and dissolutions go to the history table.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from tangkal.audit.log import record
from tangkal.link.hubs import HubRules
from tangkal.link.linking import IntArray, assign_ids, components
from tangkal.link.models import Network, NetworkEvent, NetworkMember
from tangkal.link.summary import refresh_summaries
from tangkal.report.models import Indicator
from tangkal.store.base import utcnow

__all__ = ["BatchResult", "read_edges", "recompute"]

_FETCH = 200_000
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class BatchResult:
    networks: int
    members: int
    created: int
    changed_members: int
    merges: int
    splits: int
    dissolved: int
    hubs: int
    degree_cap: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__slots__}
        if self.degree_cap <= 0:
            out["note"] = "degree cap is 0: no value links reports, so there are no networks"
        return out


def _pg_copy_pairs(dbapi: Any, sql: str) -> IntArray:
    # Binary COPY rows of two int4 columns are fixed-width: 2 + (4 + 4) * 2 bytes.
    buf = bytearray()
    with dbapi.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT BINARY)") as copy:
        for block in copy:
            buf += block
    row = np.dtype([("n", ">i2"), ("l1", ">i4"), ("a", ">i4"), ("l2", ">i4"), ("b", ">i4")])
    body = bytes(buf[19:-2]) if len(buf) >= 21 else b""
    rows = np.frombuffer(body, dtype=row)
    out = np.empty((rows.size, 2), dtype=np.int64)
    out[:, 0], out[:, 1] = rows["a"], rows["b"]
    return out


def _cursor_pairs(dbapi: Any, sql: str) -> IntArray:
    cur = dbapi.cursor()
    try:
        cur.execute(sql)
        parts = []
        while batch := cur.fetchmany(_FETCH):
            parts.append(np.array(batch, dtype=np.int64))
    finally:
        cur.close()
    return np.concatenate(parts) if parts else np.zeros((0, 2), dtype=np.int64)


def read_edges(session: Session, sql: str = "") -> IntArray:
    """(report_id, indicator_id) rows as an (n, 2) int64 array, without ORM objects."""
    sql = sql or "SELECT report_id, indicator_id FROM report_indicators"
    dbapi: Any = session.connection().connection.dbapi_connection
    if session.get_bind().dialect.name == "postgresql":
        return _pg_copy_pairs(dbapi, sql)
    return _cursor_pairs(dbapi, sql)


def hub_indicator_ids(session: Session, rules: HubRules) -> list[int]:
    """Indicators that may never link: by the rules, or delisted after a dispute.

    Only values reported at least twice can link anything, so only those are read.
    """
    rows = session.execute(
        select(Indicator.id, Indicator.kind, Indicator.value, Indicator.delisted_at).where(
            Indicator.report_count >= 2
        )
    )
    return [
        iid
        for iid, kind, value, delisted in rows
        if delisted is not None or rules.reason(kind, value) is not None
    ]


def _old_membership(session: Session) -> tuple[IntArray, IntArray, list[str]]:
    # Precedence for keeping an id: larger networks, then older ones, then id order.
    nets = session.execute(
        select(Network.id).order_by(Network.report_count.desc(), Network.created_at, Network.id)
    ).scalars()
    old_ids = list(nets)
    code = {nid: i for i, nid in enumerate(old_ids)}
    reports: list[int] = []
    codes: list[int] = []
    for rid, nid in session.execute(select(NetworkMember.report_id, NetworkMember.network_id)):
        reports.append(rid)
        codes.append(code.get(nid, -1))
    r, c = np.array(reports, dtype=np.int64), np.array(codes, dtype=np.int64)
    known = c >= 0
    return r[known], c[known], old_ids


def _chunks(values: list[int]) -> Iterator[list[int]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def _write_members(session: Session, rows: list[tuple[int, str]]) -> None:
    if not rows:
        return
    dbapi: Any = session.connection().connection.dbapi_connection
    if session.get_bind().dialect.name == "postgresql":
        with (
            dbapi.cursor() as cur,
            cur.copy("COPY network_members (report_id, network_id) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    cur = dbapi.cursor()
    try:
        cur.executemany("INSERT INTO network_members (report_id, network_id) VALUES (?, ?)", rows)
    finally:
        cur.close()


def recompute(
    session: Session, *, degree_cap: int, actor: str = "cli", rules: HubRules | None = None
) -> BatchResult:
    """Relink every report in the caller's transaction; see the module docstring."""
    started = time.perf_counter()
    rules = rules or HubRules.load(session)
    edges = read_edges(session)
    hubs = hub_indicator_ids(session, rules) if degree_cap > 0 else []
    reports, labels = components(edges[:, 0], edges[:, 1], cap=degree_cap, hubs=hubs)
    del edges
    old_reports, old_codes, old_ids = _old_membership(session)
    plan = assign_ids(reports, labels, old_reports, old_codes, old_ids)
    new_net = np.array(plan.ids, dtype=object)[labels] if labels.size else np.zeros(0, object)

    # Diff against the stored membership: only moved, added and removed reports are written.
    old_net = np.array(old_ids, dtype=object)[old_codes] if old_codes.size else np.zeros(0, object)
    old_map = dict(zip(old_reports.tolist(), old_net.tolist(), strict=True))
    new_map = dict(zip(reports.tolist(), new_net.tolist(), strict=True))
    gone = [r for r in old_map if r not in new_map]
    moved = [r for r, n in new_map.items() if r in old_map and old_map[r] != n]
    added = [r for r in new_map if r not in old_map]
    for chunk in _chunks(gone + moved):
        session.execute(delete(NetworkMember).where(NetworkMember.report_id.in_(chunk)))
    _write_members(session, [(r, new_map[r]) for r in moved + added])

    touched = {new_map[r] for r in moved + added} | {old_map[r] for r in gone + moved}
    refresh_summaries(session, touched - set(plan.created), created=plan.created)
    retired = [nid for nid in plan.retired if nid not in touched]
    for i in range(0, len(retired), _CHUNK):
        session.execute(delete(Network).where(Network.id.in_(retired[i : i + _CHUNK])))
    if plan.events:
        now = utcnow()
        session.execute(
            insert(NetworkEvent),
            [
                {"at": now, "kind": e.kind, "network_id": e.network_id,
                 "others": list(e.others[:1000]),
                 "details": {"mode": "batch", "others_total": len(e.others)}}
                for e in plan.events
            ],
        )  # fmt: skip
    count = {k: sum(e.kind == k for e in plan.events) for k in ("merge", "split", "dissolve")}
    result = BatchResult(
        networks=len(plan.ids),
        members=int(reports.size),
        created=len(plan.created),
        changed_members=len(gone) + len(moved) + len(added),
        merges=count["merge"],
        splits=count["split"],
        dissolved=count["dissolve"],
        hubs=len(hubs),
        degree_cap=degree_cap,
        seconds=round(time.perf_counter() - started, 3),
    )
    record(session, actor, "network.recompute", "network", "*", details=result.as_dict())
    return result

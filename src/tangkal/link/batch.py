"""``tangkal link``: recompute every network from the whole report–indicator graph.

The edges are read with a raw cursor straight into numpy arrays (the store aggregates
them into one string that numpy parses in C), labelled by ``linking.components`` and written back as a diff against the stored
membership, so a recompute that changes little writes little. Ids survive by overlap
(``linking.assign_ids``); merges, splits and dissolutions go to the history table.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from sqlalchemy import Table, delete, insert, select, text
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateIndex

from tangkal.audit.log import record
from tangkal.check.models import AllowlistEntry
from tangkal.link.hubs import LINK_KINDS, HubRules
from tangkal.link.linking import IntArray, _distinct, assign_ids, components
from tangkal.link.models import Network, NetworkEvent, NetworkMember
from tangkal.link.summary import INFRA_KINDS, refresh_summaries
from tangkal.report.models import Indicator
from tangkal.store.base import utcnow

__all__ = ["BatchResult", "read_edges", "recompute"]

_CHUNK = 500
# Rows to insert above which (and above the table's size) SQLite's network index is rebuilt.
_REBUILD_MIN = 50_000
_MEMBER_INDEXES = sorted(cast(Table, NetworkMember.__table__).indexes, key=lambda i: str(i.name))


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
    # Seconds per phase (read, hubs, components, ids, members, summaries, rest), for
    # benchmarks; not part of ``as_dict``.
    phases: dict[str, float] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__slots__ if k != "phases"}
        if self.degree_cap <= 0:
            out["note"] = "degree cap is 0: no value links reports, so there are no networks"
        return out


def _text_pairs(dbapi: Any, sql: str, postgresql: bool, columns: str = "ab") -> IntArray:
    # The store builds one "a,b,a,b…" string and numpy parses it in C: no Python object
    # per row, which is what makes a 3-million-row fetch slow (COPY too: one message a row).
    sep = " || ',' || "
    pair = sep.join(f"{c}::text" if postgresql else c for c in columns)
    agg = f"string_agg({pair}, ',')" if postgresql else f"group_concat({pair})"
    cur = dbapi.cursor()
    try:
        cur.execute(f"SELECT {agg} FROM ({sql}) AS pairs")
        (joined,) = cur.fetchone()
    finally:
        cur.close()
    if not joined:
        return np.zeros((0, len(columns)), dtype=np.int64)
    return np.fromstring(joined, dtype=np.int64, sep=",").reshape(-1, len(columns))


def read_pairs(session: Session, sql: str, columns: str = "ab") -> IntArray:
    """Rows of integer columns named ``a``, ``b``… as an (n, k) int64 array."""
    dbapi: Any = session.connection().connection.dbapi_connection
    return _text_pairs(dbapi, sql, session.get_bind().dialect.name == "postgresql", columns)


def read_edges(session: Session) -> IntArray:
    """Every (report_id, indicator_id) link, without ORM objects."""
    return read_pairs(session, "SELECT report_id AS a, indicator_id AS b FROM report_indicators")


def hub_indicator_ids(session: Session, rules: HubRules) -> list[int]:
    """Indicators that may never link: by the rules, or delisted after a dispute.

    Each rule is one indexed query rather than a pass over every indicator; only URLs
    reported twice or more are tested one by one (an official site's pages, a bare host).
    """
    conn = session.connection()
    kinds = sorted(LINK_KINDS)
    hubs: set[int] = set(
        conn.execute(
            select(Indicator.id).where(
                Indicator.delisted_at.is_not(None) | Indicator.kind.not_in(kinds)
            )
        ).scalars()
    )
    allowed = (
        select(Indicator.id)
        .join(AllowlistEntry, (AllowlistEntry.kind == Indicator.kind)
              & (AllowlistEntry.value == Indicator.value))
    )  # fmt: skip
    hubs.update(conn.execute(allowed).scalars())
    hosts = sorted({*rules.hosts, *rules.official_domains})
    for i in range(0, len(hosts), _CHUNK):
        hubs.update(
            conn.execute(
                select(Indicator.id).where(
                    Indicator.kind == "domain", Indicator.value.in_(hosts[i : i + _CHUNK])
                )
            ).scalars()
        )
    urls = conn.execute(
        select(Indicator.id, Indicator.value).where(
            Indicator.kind == "url", Indicator.report_count >= 2
        )
    )
    hubs.update(iid for iid, url in urls if rules.reason("url", url) is not None)
    return sorted(hubs)


# Precedence for keeping an id: larger networks, then older ones, then id order.
_RANKED = (
    "SELECT id, CAST(row_number() OVER (ORDER BY report_count DESC, created_at, id) - 1 "
    "AS INTEGER) AS rank FROM networks"
)


def _old_membership(session: Session) -> tuple[IntArray, IntArray, list[str]]:
    old_ids = [
        nid
        for (nid,) in session.connection().execute(
            select(Network.id).order_by(Network.report_count.desc(), Network.created_at, Network.id)
        )
    ]
    pairs = read_pairs(
        session,
        f"SELECT m.report_id AS a, n.rank AS b FROM network_members m "
        f"JOIN ({_RANKED}) n ON n.id = m.network_id",
    )
    return pairs[:, 0].copy(), pairs[:, 1].copy(), old_ids


def _write_members(
    session: Session, leaving: IntArray, reports: IntArray, networks: list[str]
) -> None:
    """Delete the rows of ``leaving`` reports, then add (report, network) rows.

    PostgreSQL: one DELETE over an array and one COPY of a text buffer built in a pass.
    SQLite: executemany, which loops in C.
    """
    dbapi: Any = session.connection().connection.dbapi_connection
    if session.get_bind().dialect.name == "postgresql":
        with dbapi.cursor() as cur:
            if leaving.size:
                cur.execute(
                    "DELETE FROM network_members WHERE report_id = ANY(%s::integer[])",
                    [leaving.tolist()],
                )
            if reports.size:
                rows = "".join(
                    f"{r}\t{n}\n" for r, n in zip(reports.tolist(), networks, strict=True)
                )
                with cur.copy("COPY network_members (report_id, network_id) FROM STDIN") as copy:
                    copy.write(rows.encode("ascii"))
        return
    cur = dbapi.cursor()
    try:
        if leaving.size:
            cur.executemany(
                "DELETE FROM network_members WHERE report_id = ?", ((r,) for r in leaving.tolist())
            )
        if reports.size:
            # Most of the table rewritten (a first link, a rebuild): building the network
            # index once afterwards beats keeping it in order row by row. SQLite DDL is
            # transactional and WAL readers keep their snapshot, so nothing is lost if we
            # fail, and nobody sees the table without its index.
            total = cur.execute("SELECT count(*) FROM network_members").fetchone()[0]
            rebuild = reports.size > max(total, _REBUILD_MIN)
            if rebuild:
                for index in _MEMBER_INDEXES:
                    cur.execute(f"DROP INDEX {index.name}")
            cur.executemany(
                "INSERT INTO network_members (report_id, network_id) VALUES (?, ?)",
                zip(reports.tolist(), networks, strict=True),
            )
            if rebuild:
                for index in _MEMBER_INDEXES:
                    cur.execute(str(CreateIndex(index).compile(dialect=session.get_bind().dialect)))
    finally:
        cur.close()


def _infra_codes(session: Session) -> IntArray:
    """(indicator id, country) of every infrastructure value with a two-letter country.

    Grouped by the attributes' text, so each distinct JSON document is parsed once here
    rather than once per indicator in the store (a million phones share a few dozen).
    The country travels as an integer (two code points) so it fits the id arrays.
    """
    kinds = ", ".join(f"'{k}'" for k in INFRA_KINDS)
    postgresql = session.get_bind().dialect.name == "postgresql"
    doc, ids = ("attributes::text", "string_agg(id::text, ',')") if postgresql else (
        "attributes", "group_concat(id)")  # fmt: skip
    dbapi: Any = session.connection().connection.dbapi_connection
    cur = dbapi.cursor()
    try:
        cur.execute(
            f"SELECT {doc}, {ids} FROM indicators WHERE kind IN ({kinds}) "
            f"AND attributes IS NOT NULL GROUP BY {doc}"
        )
        groups = cur.fetchall()
    finally:
        cur.close()
    parts = []
    for document, joined in groups:
        try:
            country = json.loads(document).get("country") if document else None
        except (ValueError, AttributeError):
            country = None
        if not isinstance(country, str) or len(country) != 2 or not joined:
            continue
        found = np.fromstring(joined, dtype=np.int64, sep=",")
        code = ord(country[0]) * _PLANE + ord(country[1])
        parts.append(np.stack([found, np.full(found.size, code, dtype=np.int64)], axis=1))
    return np.concatenate(parts) if parts else np.zeros((0, 2), dtype=np.int64)


_PLANE = 0x110000  # code points; a country is two of them


def _infra_by_label(
    session: Session, edges: IntArray, reports: IntArray, labels: IntArray, wanted: IntArray
) -> dict[int, set[str]]:
    """Infrastructure countries of the ``wanted`` labels, from the edges already in memory."""
    if not wanted.size or not edges.size:
        return {}
    codes = _infra_codes(session)
    if not codes.size:
        return {}
    # Dense lookups: report -> label (-1: not wanted), indicator -> country code (0: none).
    label_of = np.full(int(max(edges[:, 0].max(), reports.max())) + 1, -1, dtype=np.int64)
    want = np.zeros(int(labels.max()) + 1, dtype=bool)
    want[wanted] = True
    label_of[reports] = np.where(want[labels], labels, -1)
    country_of = np.zeros(int(max(edges[:, 1].max(), codes[:, 0].max())) + 1, dtype=np.int64)
    country_of[codes[:, 0]] = codes[:, 1]
    lab = label_of[edges[:, 0]]
    code = country_of[edges[:, 1]]
    hit = (lab >= 0) & (code > 0)
    keys = _distinct((lab[hit] << 42) | code[hit])
    names = {c: _country(c) for c in np.unique(keys & ((1 << 42) - 1)).tolist()}
    out: dict[int, set[str]] = {}
    for lab_, c in zip((keys >> 42).tolist(), (keys & ((1 << 42) - 1)).tolist(), strict=True):
        out.setdefault(lab_, set()).add(names[c])
    return out


def _country(code: int) -> str:
    return "".join(chr(c) for c in divmod(code, _PLANE) if c)


def recompute(
    session: Session, *, degree_cap: int, actor: str = "cli", rules: HubRules | None = None
) -> BatchResult:
    """Relink every report in the caller's transaction; see the module docstring."""
    started = time.perf_counter()
    phases: dict[str, float] = {}
    clock = [started]

    def lap(name: str) -> None:
        now = time.perf_counter()
        phases[name] = round(phases.get(name, 0.0) + now - clock[0], 3)
        clock[0] = now

    if session.get_bind().dialect.name == "postgresql":
        # The summaries sort and hash 600k member rows per million reports: in memory, not
        # spilled to disk. Transaction-scoped.
        session.execute(text("SET LOCAL work_mem = '64MB'"))
    rules = rules or HubRules.load(session)
    edges = read_edges(session)
    lap("read_edges")
    hubs = hub_indicator_ids(session, rules) if degree_cap > 0 else []
    lap("hubs")
    reports, labels = components(edges[:, 0], edges[:, 1], cap=degree_cap, hubs=hubs)
    lap("components")
    old_reports, old_codes, old_ids = _old_membership(session)
    lap("read_membership")
    plan = assign_ids(reports, labels, old_reports, old_codes, old_ids)
    lap("ids")

    # Diff against the stored membership, in numpy: a report is unchanged when it was in
    # the old network whose id its new component kept. Only the rest is written.
    order = np.argsort(old_reports, kind="stable")
    old_sorted, codes_sorted = old_reports[order], old_codes[order]
    pos = np.clip(np.searchsorted(old_sorted, reports), 0, max(old_sorted.size - 1, 0))
    was_member = (old_sorted[pos] == reports) if old_sorted.size else np.zeros(reports.size, bool)
    kept_by = np.array([*plan.kept_by, -1], dtype=np.int64)  # index -1 for non-members
    old_label = kept_by[np.where(was_member, codes_sorted[pos] if old_sorted.size else 0, -1)]
    changed = old_label != labels
    stays = np.zeros(old_sorted.size, dtype=bool)
    stays[pos[was_member & ~changed]] = True
    leaving = old_sorted[~stays]  # gone or moved: their old rows are deleted
    ids = np.array(plan.ids, dtype=object)
    lap("diff")
    _write_members(session, leaving, reports[changed], ids[labels[changed]].tolist())
    lap("write_members")

    old_names = np.array(old_ids, dtype=object)
    touched = set(ids[np.unique(labels[changed])].tolist())
    if leaving.size:
        touched |= set(old_names[np.unique(codes_sorted[~stays])].tolist())
    label_of_id = {nid: lab for lab, nid in enumerate(plan.ids)}

    def infra(wanted: list[str]) -> dict[str, set[str]]:
        labs = np.array(
            sorted({label_of_id[n] for n in wanted if n in label_of_id}), dtype=np.int64
        )
        t = time.perf_counter()
        by_label = _infra_by_label(session, edges, reports, labels, labs)
        phases["of_which_infra"] = round(time.perf_counter() - t, 3)
        return {plan.ids[lab]: codes for lab, codes in by_label.items()}

    refresh_summaries(session, touched - set(plan.created), created=plan.created, infra=infra)
    lap("summaries")
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
    lap("rest")
    result = BatchResult(
        networks=len(plan.ids),
        members=int(reports.size),
        created=len(plan.created),
        changed_members=int(leaving.size + (changed & ~was_member).sum()),
        merges=count["merge"],
        splits=count["split"],
        dissolved=count["dissolve"],
        hubs=len(hubs),
        degree_cap=degree_cap,
        seconds=round(time.perf_counter() - started, 3),
        phases=phases,
    )
    record(session, actor, "network.recompute", "network", "*", details=result.as_dict())
    return result

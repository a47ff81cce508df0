"""Linking as reports arrive: the same rules as the batch, applied to the new reports only.

Called by the web and CLI layers right after ``report.intake.file_reports``, in the same
transaction (report must not import link). Work is bounded by the new reports' linking
indicators, each shared by at most ``degree_cap`` reports; merging any number of
networks is one UPDATE per 500 of them.

Arrival only ever joins networks. What can split one — a value crossing the degree cap,
a delisting, a new allowlist entry, a deleted report — is settled by ``tangkal link``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    BindParameter,
    bindparam,
    case,
    delete,
    exists,
    func,
    literal_column,
    select,
    update,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Executable

from tangkal.audit.log import record
from tangkal.check.models import AllowlistEntry
from tangkal.config import Settings
from tangkal.link.hubs import HubRules, shipped_hubs
from tangkal.link.linking import network_id_for
from tangkal.link.models import Network, NetworkEvent, NetworkMember
from tangkal.link.summary import (
    INFRA_KINDS,
    Current,
    Newcomer,
    grown_rows,
    refresh_summaries,
    write_rows,
)
from tangkal.report.models import Indicator, Report, ReportIndicator
from tangkal.store.base import as_utc, utcnow
from tangkal.store.statistics import keep_statistics

__all__ = ["DEFAULT_DEGREE_CAP", "LinkResult", "link_reports"]

DEFAULT_DEGREE_CAP: int = Settings().link_degree_cap
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class LinkResult:
    # Network of each given report that is in one now.
    networks: dict[int, str] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)
    # survivor -> the networks it absorbed
    merged: dict[str, list[str]] = field(default_factory=dict)


def _chunks(values: list[int] | list[str]) -> Iterator[list[int] | list[str]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


_IDS: BindParameter[list[Any]] = bindparam("ids", expanding=True)
_OFFICIAL = select(AllowlistEntry.value).where(
    AllowlistEntry.kind == "domain",
    AllowlistEntry.category == "official",
    AllowlistEntry.value.in_(_IDS),
)
# Two queries. First the new reports' candidate values (not delisted, within the cap;
# whether allowlisted), which the hub test then sorts in Python. Then, for the values that
# may link, every report naming each of them, whether that report is in a network and the
# network's summary, and for reports in none the facts they bring (their infrastructure
# countries folded into one string). Fetching neighbours only after the hub test matters:
# a hub value is named by up to `degree_cap` reports, and one query for both fetched and
# summarised all of them only to drop them (demo data on PostgreSQL: 88,000 rows and 3 s
# for 500 new reports, of which a few thousand were used).
_CANDIDATES = (
    select(Indicator.id, Indicator.kind, Indicator.value, AllowlistEntry.id.is_not(None))
    .select_from(ReportIndicator)
    .join(Indicator, Indicator.id == ReportIndicator.indicator_id)
    .outerjoin(AllowlistEntry, (AllowlistEntry.kind == Indicator.kind)
               & (AllowlistEntry.value == Indicator.value))
    .where(
        ReportIndicator.report_id.in_(_IDS),
        Indicator.delisted_at.is_(None),
        Indicator.report_count.between(2, bindparam("cap")),
    )
    .distinct()
)  # fmt: skip
_N = aliased(Network)
_RN = aliased(ReportIndicator)
_I3 = aliased(Indicator)
_RI3 = aliased(ReportIndicator)
_COUNTRY3 = _I3.attributes["country"].as_string()


def _neighbourhood(dialect: str) -> Executable:
    agg = (
        func.string_agg(_COUNTRY3.distinct(), literal_column("','"))
        if dialect == "postgresql"
        else func.group_concat(_COUNTRY3.distinct())
    )
    infra = (
        select(agg)
        .select_from(_RI3)
        .join(_I3, _I3.id == _RI3.indicator_id)
        .where(_RI3.report_id == _RN.report_id, _I3.kind.in_(INFRA_KINDS), _COUNTRY3.is_not(None))
        .scalar_subquery()
    )
    lone = NetworkMember.report_id.is_(None)
    return (
        select(
            _RN.indicator_id, _RN.report_id, NetworkMember.network_id,
            _N.report_count, _N.created_at, _N.countries, _N.infra_countries,
            _N.first_seen, _N.last_seen, _N.loss_usd,
            case((lone, Report.victim_country)), case((lone, Report.received_at)),
            case((lone, Report.loss_usd)), case((lone, infra)),
        )
        .select_from(_RN)
        .outerjoin(NetworkMember, NetworkMember.report_id == _RN.report_id)
        .outerjoin(_N, _N.id == NetworkMember.network_id)
        .outerjoin(Report, lone & (Report.id == _RN.report_id))
        .where(_RN.indicator_id.in_(_IDS))
    )  # fmt: skip


_NEIGHBOURHOOD = {d: _neighbourhood(d) for d in ("postgresql", "sqlite")}
# The tables the neighbourhood query plans over, and that a bulk load grows.
_PLANNED = ("reports", "report_indicators", "indicators", "network_members", "networks")


def _suffixes(kind: str, value: str) -> list[str]:
    host = value.partition("://")[2].partition("/")[0] if kind == "url" else value
    parts = host.rpartition("@")[2].split(":")[0].split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


def _linking(session: Session, rows: list[Any], rules: HubRules | None) -> set[int]:
    """Of the fetched candidate values, those that may link (not hubs).

    Only the allowlist entries these values could match are read, not the whole list.
    """
    values = {(r[0], r[1], r[2], bool(r[3])) for r in rows}
    if rules is None:
        names = sorted(
            {n for _i, k, v, _a in values if k in ("url", "domain") for n in _suffixes(k, v)}
        )
        official = (
            set(session.connection().execute(_OFFICIAL, {"ids": names}).scalars())
            if names
            else set()
        )
        allowed = frozenset((k, v) for _i, k, v, a in values if a)
        rules = HubRules(shipped_hubs(), allowed, frozenset(official))
    return {iid for iid, kind, value, _a in values if rules.reason(kind, value) is None}


class _Forest:
    """Union–find over report ids, enough for the few hundred reports one arrival touches."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        root = self.parent.setdefault(x, x)
        while root != self.parent[root]:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for x in list(self.parent):
            out.setdefault(self.find(x), []).append(x)
        return out


def _new_id(session: Session, first_report: int) -> str:
    taken: set[str] = set()
    while True:
        candidate = network_id_for(first_report, taken)
        used = session.scalar(
            select(
                exists().where(Network.id == candidate)
                | exists().where(NetworkEvent.network_id == candidate)
            )
        )
        if not used:
            return candidate
        taken.add(candidate)


def link_reports(
    session: Session,
    report_ids: Iterable[int],
    *,
    degree_cap: int = DEFAULT_DEGREE_CAP,
    rules: HubRules | None = None,
    actor: str = "system",
) -> LinkResult:
    """Put newly filed reports into networks, creating and merging networks as needed.

    The common case — a report joining one network — is two reads and one write.

    >>> # after file_reports(...) in the same transaction:
    >>> # link_reports(session, [f.report_id for f in filed], degree_cap=settings.link_degree_cap)
    """
    given = sorted(set(report_ids))
    if not given or degree_cap <= 0:
        return LinkResult()
    keep_statistics(session, _PLANNED, len(given))
    conn = session.connection()
    stmt = _NEIGHBOURHOOD["postgresql" if conn.dialect.name == "postgresql" else "sqlite"]
    candidates: list[Any] = []
    for chunk in _chunks(given):
        candidates.extend(conn.execute(_CANDIDATES, {"ids": chunk, "cap": degree_cap}))
    linking = sorted(_linking(session, candidates, rules)) if candidates else []
    rows: list[Any] = []
    for chunk in _chunks(linking):
        rows.extend(conn.execute(stmt, {"ids": chunk}))
    forest = _Forest()
    member: dict[int, str] = {}
    current: dict[str, Current] = {}
    ranks: dict[str, tuple[int, Any]] = {}
    facts: dict[int, Newcomer] = {}
    first: dict[int, int] = {}
    for row in rows:
        iid, rid, nid = row[0], row[1], row[2]
        forest.union(first.setdefault(iid, rid), rid)
        if nid is not None:
            member[rid] = nid
            if row[3] is not None and nid not in current:
                ranks[nid] = (row[3], row[4])
                current[nid] = Current(row[3], row[5], row[6], row[7], row[8], row[9])
        elif rid not in facts:
            codes = frozenset(c for c in (row[13] or "").split(",") if len(c) == 2)
            facts[rid] = Newcomer(row[10], as_utc(row[11]), row[12], codes)
    if not forest.parent:
        return LinkResult()
    created: list[str] = []
    merged: dict[str, list[str]] = {}
    joining: dict[str, list[int]] = {}
    new_rows: list[tuple[int, str]] = []
    for root, reports in sorted(forest.groups().items()):
        nets = sorted({member[r] for r in reports if r in member})
        if nets:
            survivor = _survivor(ranks, nets)
            absorbed = [n for n in nets if n != survivor]
            if absorbed:
                _merge(session, survivor, absorbed, actor)
                merged[survivor] = absorbed
        else:
            survivor = _new_id(session, root)
            created.append(survivor)
        fresh = [r for r in reports if r not in member]
        joining.setdefault(survivor, []).extend(fresh)
        new_rows.extend((r, survivor) for r in fresh)
        for r in reports:
            member[r] = survivor
    # A merge recomputes its survivor (after the new rows are in); growth and creation add
    # the newcomers to the row, written with the members in one go.
    grown = {n: r for n, r in joining.items() if n not in merged and r}
    fresh_rows, changed_rows = grown_rows(grown, facts, current, created)
    write_rows(session, fresh_rows, changed_rows, new_rows)
    refresh_summaries(session, set(merged))
    return LinkResult({r: member[r] for r in given if r in member}, created, merged)


def _survivor(ranks: dict[str, tuple[int, Any]], nets: list[str]) -> str:
    """The network that keeps its id: the largest, then the oldest (as in the batch)."""
    if len(nets) == 1:
        return nets[0]
    known = [(-ranks[n][0], ranks[n][1], n) for n in nets if n in ranks]
    return min(known)[2] if known else nets[0]


def _merge(session: Session, survivor: str, absorbed: list[str], actor: str) -> None:
    for chunk in _chunks(absorbed):
        session.execute(
            update(NetworkMember)
            .where(NetworkMember.network_id.in_(chunk))
            .values(network_id=survivor)
        )
        session.execute(delete(Network).where(Network.id.in_(chunk)))
    session.add(
        NetworkEvent(
            at=utcnow(),
            kind="merge",
            network_id=survivor,
            others=absorbed[:1000],
            details={"mode": "incremental", "others_total": len(absorbed)},
        )
    )
    record(
        session, actor, "network.merge", "network", survivor,
        details={"absorbed": absorbed[:100], "absorbed_total": len(absorbed)},
    )  # fmt: skip

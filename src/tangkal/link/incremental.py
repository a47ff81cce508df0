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

from sqlalchemy import BindParameter, bindparam, delete, exists, insert, select, update
from sqlalchemy.orm import Session

from tangkal.audit.log import record
from tangkal.check.models import AllowlistEntry
from tangkal.config import Settings
from tangkal.link.hubs import HubRules, shipped_hubs
from tangkal.link.linking import network_id_for
from tangkal.link.models import Network, NetworkEvent, NetworkMember
from tangkal.link.summary import add_to_summaries, refresh_summaries
from tangkal.report.models import Indicator, ReportIndicator
from tangkal.store.base import utcnow

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
_CANDIDATES = (
    select(Indicator.id, Indicator.kind, Indicator.value, AllowlistEntry.id.is_not(None))
    .join(ReportIndicator, ReportIndicator.indicator_id == Indicator.id)
    .outerjoin(AllowlistEntry, (AllowlistEntry.kind == Indicator.kind)
               & (AllowlistEntry.value == Indicator.value))
    .where(
        ReportIndicator.report_id.in_(_IDS),
        Indicator.delisted_at.is_(None),
        Indicator.report_count.between(2, bindparam("cap")),
    )
)  # fmt: skip
_OFFICIAL = select(AllowlistEntry.value).where(
    AllowlistEntry.kind == "domain",
    AllowlistEntry.category == "official",
    AllowlistEntry.value.in_(_IDS),
)
_NEIGHBOURS = select(ReportIndicator.report_id, ReportIndicator.indicator_id).where(
    ReportIndicator.indicator_id.in_(_IDS)
)
_MEMBERS = select(NetworkMember.report_id, NetworkMember.network_id).where(
    NetworkMember.report_id.in_(_IDS)
)


def _suffixes(kind: str, value: str) -> list[str]:
    host = value.partition("://")[2].partition("/")[0] if kind == "url" else value
    parts = host.rpartition("@")[2].split(":")[0].split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


def _linking_indicators(
    session: Session, report_ids: list[int], cap: int, rules: HubRules | None
) -> list[int]:
    """The new reports' values that may link: not delisted, within the cap, not hubs.

    Only the allowlist entries these values could match are read, not the whole list.
    """
    conn = session.connection()
    rows: list[tuple[int, str, str, bool]] = []
    for chunk in _chunks(report_ids):
        rows.extend(
            (i, k, v, bool(a))
            for i, k, v, a in conn.execute(_CANDIDATES, {"ids": chunk, "cap": cap})
        )
    if rules is None:
        names = sorted(
            {n for _i, k, v, _a in rows if k in ("url", "domain") for n in _suffixes(k, v)}
        )
        official = set(conn.execute(_OFFICIAL, {"ids": names}).scalars()) if names else set()
        allowed = frozenset((k, v) for _i, k, v, a in rows if a)
        rules = HubRules(shipped_hubs(), allowed, frozenset(official))
    return sorted({iid for iid, kind, value, _a in rows if rules.reason(kind, value) is None})


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

    >>> # after file_reports(...) in the same transaction:
    >>> # link_reports(session, [f.report_id for f in filed], degree_cap=settings.link_degree_cap)
    """
    given = sorted(set(report_ids))
    if not given or degree_cap <= 0:
        return LinkResult()
    indicators = _linking_indicators(session, given, degree_cap, rules)
    conn = session.connection()
    forest = _Forest()
    for chunk in _chunks(indicators):
        first: dict[int, int] = {}
        for rid, iid in conn.execute(_NEIGHBOURS, {"ids": chunk}):
            forest.union(first.setdefault(iid, rid), rid)
    if not forest.parent:
        return LinkResult()
    member: dict[int, str] = {}
    for chunk in _chunks(sorted(forest.parent)):
        member.update((rid, nid) for rid, nid in conn.execute(_MEMBERS, {"ids": chunk}))
    created: list[str] = []
    merged: dict[str, list[str]] = {}
    joining: dict[str, list[int]] = {}
    new_rows: list[dict[str, object]] = []
    for root, reports in sorted(forest.groups().items()):
        nets = sorted({member[r] for r in reports if r in member})
        if nets:
            survivor = _survivor(session, nets)
            absorbed = [n for n in nets if n != survivor]
            if absorbed:
                _merge(session, survivor, absorbed, actor)
                merged[survivor] = absorbed
        else:
            survivor = _new_id(session, root)
            created.append(survivor)
        fresh = [r for r in reports if r not in member]
        joining.setdefault(survivor, []).extend(fresh)
        new_rows.extend({"report_id": r, "network_id": survivor} for r in fresh)
        for r in reports:
            member[r] = survivor
    if new_rows:
        conn.execute(insert(NetworkMember), new_rows)
    # A merge recomputes its survivor; growth and creation add the newcomers to the row.
    refresh_summaries(session, set(merged))
    add_to_summaries(session, {n: r for n, r in joining.items() if n not in merged}, created)
    return LinkResult({r: member[r] for r in given if r in member}, created, merged)


def _survivor(session: Session, nets: list[str]) -> str:
    """The network that keeps its id: the largest, then the oldest (as in the batch)."""
    if len(nets) == 1:
        return nets[0]
    best: tuple[int, object, str] | None = None
    for chunk in _chunks(nets):
        for nid, count, created in session.execute(
            select(Network.id, Network.report_count, Network.created_at).where(
                Network.id.in_(chunk)
            )
        ):
            key = (-count, created, nid)
            if best is None or key < best:
                best = key
    return best[2] if best else nets[0]


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

"""The summary row of each network, recomputed from its members; and the filtered list.

Recomputed rather than incremented, like indicator evidence: correct after merges,
splits and deleted reports, and cheap because only touched networks are recomputed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from tangkal.errors import InvalidInput
from tangkal.link.models import Network, NetworkMember
from tangkal.report.models import Indicator, Report, ReportIndicator
from tangkal.store.base import utcnow

__all__ = [
    "INFRA_KINDS",
    "add_to_summaries",
    "list_networks",
    "members_of",
    "network_as_dict",
    "refresh_summaries",
]

_CHUNK = 500
# Above this many touched networks one pass over every member beats chunked lookups.
_WHOLE_TABLE = 2_000
# Indicators whose country says where the network's infrastructure is.
INFRA_KINDS = ("phone", "bank_account", "ewallet")


def network_as_dict(n: Network) -> dict[str, Any]:
    """The list shape of a network: its summary, no report details."""
    return {
        "id": n.id,
        "reports": n.report_count,
        "countries": [c for c in n.countries.split(",") if c],
        "infrastructure_countries": [c for c in n.infra_countries.split(",") if c],
        "cross_border": n.cross_border,
        "first_seen": n.first_seen.isoformat() if n.first_seen else None,
        "last_seen": n.last_seen.isoformat() if n.last_seen else None,
        "loss_usd": float(n.loss_usd),
        "created_at": n.created_at.isoformat(),
        "updated_at": n.updated_at.isoformat(),
    }


def _scope(ids: list[str] | None) -> list[ColumnElement[bool]]:
    return [] if ids is None else [NetworkMember.network_id.in_(ids)]


def _aggregate(session: Session, ids: list[str] | None) -> dict[str, dict[str, Any]]:
    m, r = NetworkMember, Report
    out: dict[str, dict[str, Any]] = {}
    # One pass per (network, victim country); the network's figures are their union.
    base = select(
        m.network_id,
        r.victim_country,
        func.count(),
        func.min(r.received_at),
        func.max(r.received_at),
        func.coalesce(func.sum(r.loss_usd), 0),
    ).join(r, r.id == m.report_id)
    for nid, country, count, first, last, loss in session.execute(
        base.where(*_scope(ids)).group_by(m.network_id, r.victim_country)
    ):
        s = out.setdefault(
            nid,
            {"count": 0, "first": None, "last": None, "loss": Decimal(0),
             "countries": set(), "infra": set()},
        )  # fmt: skip
        s["count"] += count
        s["countries"].add(country)
        s["loss"] += Decimal(loss or 0)
        lo, hi = _as_utc(first), _as_utc(last)
        if lo is not None and (s["first"] is None or lo < s["first"]):
            s["first"] = lo
        if hi is not None and (s["last"] is None or hi > s["last"]):
            s["last"] = hi
    country_attr = Indicator.attributes["country"].as_string()
    infra = (
        select(m.network_id, country_attr)
        .join(ReportIndicator, ReportIndicator.report_id == m.report_id)
        .join(Indicator, Indicator.id == ReportIndicator.indicator_id)
        .where(Indicator.kind.in_(INFRA_KINDS), country_attr.is_not(None))
        .distinct()
    )
    for nid, country in session.execute(infra.where(*_scope(ids))):
        if country and len(country) == 2:
            out[nid]["infra"].add(country)
    return out


def _as_utc(value: Any) -> dt.datetime | None:
    # Aggregates bypass the column type: SQLite hands back text, PostgreSQL aware values.
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def refresh_summaries(
    session: Session, ids: Iterable[str], *, created: Collection[str] = ()
) -> None:
    """Recompute (or create, for ``created``) the rows of these networks; drop empty ones."""
    wanted = sorted(set(ids) | set(created))
    if not wanted:
        return
    stats: dict[str, dict[str, Any]] = {}
    if len(wanted) > _WHOLE_TABLE:
        stats = _aggregate(session, None)
    else:
        for i in range(0, len(wanted), _CHUNK):
            stats.update(_aggregate(session, wanted[i : i + _CHUNK]))
    now = utcnow()
    rows = []
    for nid in wanted:
        s = stats.get(nid)
        if s is None:
            continue
        victims, infra = s["countries"], s["infra"]
        rows.append(
            {
                "b_id": nid,
                "b_report_count": s["count"],
                "b_countries": _joined(victims),
                "b_country_count": len(victims),
                "b_infra_countries": _joined(infra),
                "b_cross_border": len(victims) >= 2 or bool(infra - victims),
                "b_first_seen": s["first"],
                "b_last_seen": s["last"],
                "b_loss_usd": s["loss"],
                "b_updated_at": now,
            }
        )
    new = set(created)
    fresh = [
        {k[2:]: v for k, v in row.items()} | {"created_at": now}
        for row in rows
        if row["b_id"] in new
    ]
    if fresh:
        session.connection().execute(insert(Network), fresh)
    changed = [row for row in rows if row["b_id"] not in new]
    if changed:
        session.connection().execute(_UPDATE, changed)
    empty = [nid for nid in wanted if nid not in stats]
    for i in range(0, len(empty), _CHUNK):
        session.execute(delete(Network).where(Network.id.in_(empty[i : i + _CHUNK])))


def _joined(codes: set[str]) -> str:
    return "," + ",".join(sorted(codes)) + "," if codes else ""


_COLUMNS = (
    "report_count",
    "countries",
    "country_count",
    "infra_countries",
    "cross_border",
    "first_seen",
    "last_seen",
    "loss_usd",
    "updated_at",
)
_UPDATE = (
    update(Network)
    .where(Network.id == bindparam("b_id"))
    .values({c: bindparam("b_" + c) for c in _COLUMNS})
)


def list_networks(
    session: Session,
    *,
    cross_border: bool = False,
    country: str | None = None,
    min_reports: int = 2,
    limit: int | None = None,
    after: str | None = None,
) -> list[Network]:
    """Networks matching the filters, largest first; ``after`` pages by the last id seen.

    Paging is by (report count desc, id) so a page boundary is stable while networks
    that are not on the page grow.
    """
    stmt = select(Network).where(Network.report_count >= min_reports)
    if cross_border:
        stmt = stmt.where(Network.cross_border.is_(True))
    if country:
        stmt = stmt.where(Network.countries.like(f"%,{country},%"))
    if after:
        last = session.get(Network, after)
        if last is None:
            raise InvalidInput(f"no network {after!r} to page after", field="after")
        stmt = stmt.where(
            (Network.report_count < last.report_count)
            | ((Network.report_count == last.report_count) & (Network.id > last.id))
        )
    stmt = stmt.order_by(Network.report_count.desc(), Network.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def members_of(
    session: Session, ids: list[str], *, limit: int | None = None
) -> dict[str, list[int]]:
    """Report ids of each network, ascending (at most ``limit`` per network)."""
    out: dict[str, list[int]] = {nid: [] for nid in ids}
    for i in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(NetworkMember.network_id, NetworkMember.report_id)
            .where(NetworkMember.network_id.in_(ids[i : i + _CHUNK]))
            .order_by(NetworkMember.report_id)
        )
        for nid, rid in rows:
            if limit is None or len(out[nid]) < limit:
                out[nid].append(rid)
    return out


_RIDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_NEWCOMERS = select(Report.id, Report.victim_country, Report.received_at, Report.loss_usd).where(
    Report.id.in_(_RIDS)
)
_COUNTRY = Indicator.attributes["country"].as_string()
_NEWCOMER_INFRA = (
    select(_COUNTRY)
    .join(ReportIndicator, ReportIndicator.indicator_id == Indicator.id)
    .where(
        ReportIndicator.report_id.in_(_RIDS),
        Indicator.kind.in_(INFRA_KINDS),
        _COUNTRY.is_not(None),
    )
    .distinct()
)
_ROWS = select(Network).where(Network.id.in_(_RIDS))


def add_to_summaries(
    session: Session, joining: dict[str, list[int]], created: Collection[str] = ()
) -> None:
    """Add newly joined reports to their networks' rows (creating the ``created`` ones).

    The summary is a union of its reports' facts — counts add, country sets join, dates
    take min and max — so growth needs only the newcomers, never the whole network.
    """
    joining = {nid: rids for nid, rids in joining.items() if rids}
    if not joining:
        return
    conn = session.connection()
    new = set(created)
    current = {n.id: n for n in session.scalars(_ROWS, {"ids": sorted(set(joining) - new)})}
    now = utcnow()
    inserts, updates = [], []
    for nid, rids in sorted(joining.items()):
        facts = conn.execute(_NEWCOMERS, {"ids": rids}).all()
        infra = {c for (c,) in conn.execute(_NEWCOMER_INFRA, {"ids": rids}) if c and len(c) == 2}
        old = current.get(nid)
        victims = {c for c in (old.countries if old else "").split(",") if c}
        victims |= {f[1] for f in facts}
        infra |= {c for c in (old.infra_countries if old else "").split(",") if c}
        seen = [f[2] for f in facts] + ([old.first_seen, old.last_seen] if old else [])
        dates = [d for d in seen if d is not None]
        row = {
            "b_id": nid,
            "b_report_count": (old.report_count if old else 0) + len(facts),
            "b_countries": _joined(victims),
            "b_country_count": len(victims),
            "b_infra_countries": _joined(infra),
            "b_cross_border": len(victims) >= 2 or bool(infra - victims),
            "b_first_seen": min(dates) if dates else None,
            "b_last_seen": max(dates) if dates else None,
            "b_loss_usd": (old.loss_usd if old else Decimal(0))
            + sum((f[3] for f in facts if f[3] is not None), Decimal(0)),
            "b_updated_at": now,
        }
        if nid in new:
            inserts.append({k[2:]: v for k, v in row.items()} | {"created_at": now})
        elif old is not None:
            updates.append(row)
    if inserts:
        conn.execute(insert(Network), inserts)
    if updates:
        conn.execute(_UPDATE, updates)

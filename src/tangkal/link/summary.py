"""The summary row of each network, recomputed from its members; and the filtered list.

Recomputed rather than incremented, like indicator evidence: correct after merges,
splits and deleted reports, and cheap because only touched networks are recomputed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from tangkal.errors import InvalidInput
from tangkal.link.models import Network, NetworkMember
from tangkal.report.models import Indicator, Report, ReportIndicator
from tangkal.store.base import as_utc, utcnow

__all__ = [
    "INFRA_KINDS",
    "Current",
    "Newcomer",
    "grown_rows",
    "list_networks",
    "members_of",
    "network_as_dict",
    "refresh_summaries",
    "write_rows",
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


def _victims(session: Session, ids: list[str] | None) -> dict[str, dict[str, Any]]:
    """Count, dates, loss and victim countries of each network: one row per network."""
    m, r = NetworkMember, Report
    postgresql = session.get_bind().dialect.name == "postgresql"
    countries = (
        func.string_agg(r.victim_country.distinct(), ",")
        if postgresql
        else func.group_concat(r.victim_country.distinct())
    )
    stmt = (
        select(
            m.network_id,
            func.count(),
            func.min(r.received_at),
            func.max(r.received_at),
            func.sum(r.loss_usd),
            countries,
        )
        .join(r, r.id == m.report_id)
        .where(*_scope(ids))
        .group_by(m.network_id)
    )
    out: dict[str, dict[str, Any]] = {}
    for nid, count, first, last, loss, codes in session.connection().execute(stmt):
        out[nid] = {
            "count": count,
            "first": as_utc(first),
            "last": as_utc(last),
            "loss": _decimal(loss),
            "countries": set(codes.split(",")) if codes else set(),
        }
    return out


def _infra(session: Session, ids: list[str] | None) -> dict[str, set[str]]:
    m = NetworkMember
    country_attr = Indicator.attributes["country"].as_string()
    infra = (
        select(m.network_id, country_attr)
        .join(ReportIndicator, ReportIndicator.report_id == m.report_id)
        .join(Indicator, Indicator.id == ReportIndicator.indicator_id)
        .where(Indicator.kind.in_(INFRA_KINDS), country_attr.is_not(None), *_scope(ids))
        .distinct()
    )
    out: dict[str, set[str]] = {}
    for nid, country in session.connection().execute(infra):
        if country and len(country) == 2:
            out.setdefault(nid, set()).add(country)
    return out


def _decimal(value: Any) -> Decimal:
    # SQLite sums REAL values into a float: go through its shortest repr, not its binary value.
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


# wanted network ids -> their infrastructure countries
InfraSource = Callable[[list[str]], dict[str, set[str]]]


def refresh_summaries(
    session: Session,
    ids: Iterable[str],
    *,
    created: Collection[str] = (),
    infra: InfraSource | None = None,
) -> None:
    """Recompute (or create, for ``created``) the rows of these networks; drop empty ones.

    ``infra`` gives the infrastructure countries of many networks at once when the caller
    already holds the membership and the graph in memory (the batch does); otherwise, and
    for a few networks, the store joins them.
    """
    wanted = sorted(set(ids) | set(created))
    if not wanted:
        return
    stats: dict[str, dict[str, Any]] = {}
    countries: dict[str, set[str]] = {}
    if len(wanted) > _WHOLE_TABLE:
        keep = set(wanted)
        stats = {k: v for k, v in _victims(session, None).items() if k in keep}
        countries = infra(wanted) if infra is not None else _infra(session, None)
    else:
        for i in range(0, len(wanted), _CHUNK):
            stats.update(_victims(session, wanted[i : i + _CHUNK]))
            countries.update(_infra(session, wanted[i : i + _CHUNK]))
    now = utcnow()
    new = set(created)
    fresh: list[tuple[Any, ...]] = []
    changed: list[tuple[Any, ...]] = []
    for nid in wanted:
        s = stats.get(nid)
        if s is None:
            continue
        victims, infra_set = s["countries"], countries.get(nid, set())
        row = (
            s["count"],
            _joined(victims),
            len(victims),
            _joined(infra_set),
            len(victims) >= 2 or bool(infra_set - victims),
            s["first"],
            s["last"],
            s["loss"],
            now,
        )
        if nid in new:
            fresh.append((nid, now, *row))
        else:
            changed.append((nid, *row))
    write_rows(session, fresh, changed)
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
_DATES = frozenset({"created_at", "first_seen", "last_seen", "updated_at"})


def write_rows(
    session: Session,
    fresh: Sequence[tuple[Any, ...]],
    changed: Sequence[tuple[Any, ...]],
    members: Sequence[tuple[int, str]] = (),
) -> None:
    """Insert ``fresh`` rows (id, created_at, *_COLUMNS) and update ``changed`` ones (id, *_COLUMNS).

    Straight through the driver: tens of thousands of rows, no per-value type processing.
    On PostgreSQL the updates are one statement over arrays.
    """
    if not fresh and not changed and not members:
        return
    dbapi: Any = session.connection().connection.dbapi_connection
    if session.get_bind().dialect.name == "postgresql":
        if len(fresh) + len(changed) + len(members) <= _FEW:
            _write_pg_few(dbapi, fresh, changed, members)
        else:
            _write_pg(dbapi, fresh, changed, members)
        return
    fresh = [_sqlite_row(("id", "created_at", *_COLUMNS), row) for row in fresh]
    changed = [_sqlite_row(("id", *_COLUMNS), row) for row in changed]
    cur = dbapi.cursor()
    try:
        if members:
            cur.executemany(
                "INSERT INTO network_members (report_id, network_id) VALUES (?, ?)", members
            )
        if fresh:
            names = ", ".join(("id", "created_at", *_COLUMNS))
            marks = ", ".join("?" * (len(_COLUMNS) + 2))
            cur.executemany(f"INSERT INTO networks ({names}) VALUES ({marks})", fresh)
        if changed:
            sets = ", ".join(f"{c} = ?" for c in _COLUMNS)
            cur.executemany(
                f"UPDATE networks SET {sets} WHERE id = ?", [(*r[1:], r[0]) for r in changed]
            )
    finally:
        cur.close()


def _sqlite_row(names: Sequence[str], row: tuple[Any, ...]) -> tuple[Any, ...]:
    # The store's own format for SQLite (naive UTC, always with microseconds; REAL money).
    out: list[Any] = []
    for name, v in zip(names, row, strict=True):
        if name in _DATES and v is not None:
            v = _sqlite_date(v)
        elif isinstance(v, Decimal):
            v = float(v)
        out.append(v)
    return tuple(out)


@lru_cache(maxsize=4096)
def _sqlite_date(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


# Up to this many rows, PostgreSQL writes are plain statements sent in one pipeline (one
# round trip); above, COPY.
_FEW = 200


def _write_pg_few(
    dbapi: Any,
    fresh: Sequence[tuple[Any, ...]],
    changed: Sequence[tuple[Any, ...]],
    members: Sequence[tuple[int, str]],
) -> None:
    names = ", ".join(("id", "created_at", *_COLUMNS))
    sets = ", ".join(f"{c} = %s" for c in _COLUMNS)
    with dbapi.pipeline(), dbapi.cursor() as cur:
        if members:
            cur.executemany(
                "INSERT INTO network_members (report_id, network_id) VALUES (%s, %s)", members
            )
        if fresh:
            marks = ", ".join(["%s"] * (len(_COLUMNS) + 2))
            cur.executemany(f"INSERT INTO networks ({names}) VALUES ({marks})", fresh)
        if changed:
            cur.executemany(
                f"UPDATE networks SET {sets} WHERE id = %s", [(*r[1:], r[0]) for r in changed]
            )


def _write_pg(
    dbapi: Any,
    fresh: Sequence[tuple[Any, ...]],
    changed: Sequence[tuple[Any, ...]],
    members: Sequence[tuple[int, str]],
) -> None:
    # COPY, for new rows straight into the table and for changes into a scratch table
    # that one UPDATE joins: no per-row statement, no per-value parameter.
    names = ", ".join(_COLUMNS)
    with dbapi.cursor() as cur:
        if members:
            with cur.copy("COPY network_members (report_id, network_id) FROM STDIN") as copy:
                for member in members:
                    copy.write_row(member)
        if fresh:
            with cur.copy(f"COPY networks (id, created_at, {names}) FROM STDIN") as copy:
                for row in fresh:
                    copy.write_row(row)
        if changed:
            # Only the columns a change carries, and none of the table's NOT NULLs:
            # `LIKE networks` kept created_at NOT NULL, which a change does not send.
            cur.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS network_changes ON COMMIT DELETE ROWS "
                f"AS SELECT id, {names} FROM networks WITH NO DATA"
            )
            cur.execute("DELETE FROM network_changes")
            with cur.copy(f"COPY network_changes (id, {names}) FROM STDIN") as copy:
                for row in changed:
                    copy.write_row(row)
            sets = ", ".join(f"{c} = v.{c}" for c in _COLUMNS)
            cur.execute(f"UPDATE networks n SET {sets} FROM network_changes v WHERE n.id = v.id")
            cur.execute("DELETE FROM network_changes")


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


@dataclass(frozen=True, slots=True)
class Newcomer:
    """What a report adds to its network's summary."""

    victim_country: str
    received_at: dt.datetime | None
    loss_usd: Decimal | None
    infra: frozenset[str]


@dataclass(frozen=True, slots=True)
class Current:
    """A network's stored summary, as far as growth needs it."""

    report_count: int
    countries: str
    infra_countries: str
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None
    loss_usd: Decimal


def grown_rows(
    joining: dict[str, list[int]],
    facts: dict[int, Newcomer],
    current: dict[str, Current],
    created: Collection[str] = (),
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """New and updated rows (see ``write_rows``) for networks that newly joined reports grew.

    The summary is a union of its reports' facts — counts add, country sets join, dates
    take min and max — so growth needs only the newcomers, never the whole network.
    """
    new = set(created)
    now = utcnow()
    fresh: list[tuple[Any, ...]] = []
    changed: list[tuple[Any, ...]] = []
    for nid, rids in sorted(joining.items()):
        came = [facts[r] for r in rids if r in facts]
        if not came:
            continue
        old = current.get(nid)
        if nid not in new and old is None:
            continue
        victims = {c for c in (old.countries if old else "").split(",") if c}
        victims |= {f.victim_country for f in came}
        infra = {c for c in (old.infra_countries if old else "").split(",") if c}
        for f in came:
            infra |= f.infra
        seen = [f.received_at for f in came] + ([old.first_seen, old.last_seen] if old else [])
        dates = [d for d in seen if d is not None]
        loss = (old.loss_usd if old else Decimal(0)) + sum(
            (Decimal(f.loss_usd) for f in came if f.loss_usd is not None), Decimal(0)
        )
        row = (
            (old.report_count if old else 0) + len(came),
            _joined(victims),
            len(victims),
            _joined(infra),
            len(victims) >= 2 or bool(infra - victims),
            min(dates) if dates else None,
            max(dates) if dates else None,
            loss,
            now,
        )
        if nid in new:
            fresh.append((nid, now, *row))
        else:
            changed.append((nid, *row))
    return fresh, changed

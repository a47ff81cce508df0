"""Daily summaries of reports and flows: rebuilt or extended by ``refresh``, read with the
reports filed since the last refresh added live.

The summaries cover every report whose id is at most ``MeasureState.last_report_id``;
anything newer (including reports back-dated by an import) is aggregated from the reports
table on each read, through its primary key. ``tangkal measure refresh`` run every hour or
night keeps that tail short; a figure is therefore exact at every moment, and fast once
the tail is folded in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, String, cast, delete, func, literal, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from tangkal.measure.filters import Filters, bucket
from tangkal.measure.models import DailyFlow, DailyVolume, MeasureState
from tangkal.report.models import Indicator, Report, ReportIndicator
from tangkal.store.base import utcnow

__all__ = [
    "DIMENSIONS",
    "TAIL_LIMIT",
    "FlowRow",
    "VolumeRow",
    "flow_rows",
    "refresh",
    "tail_size",
    "volume_rows",
]

DIMENSIONS = ("all", "typology", "channel", "payment_method")
# (period label, country, key, reports, loss_reports, unconverted, loss_usd)
VolumeRow = tuple[str, str, str, int, int, int, Decimal]
# (victim country, infrastructure country, kind, reports, loss_usd)
FlowRow = tuple[str, str, str, int, Decimal]


def _day(session: Session, column: Any) -> ColumnElement[Any]:
    """The UTC day of a timestamp column, in SQL, on either store."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone("UTC", column), Date)
    # SQLite keeps UTC timestamps as "YYYY-MM-DD HH:MM:SS.ffffff" text.
    return func.substr(column, 1, 10, type_=String)


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _key(dimension: str) -> ColumnElement[Any]:
    if dimension == "all":
        return literal("all", String)
    return func.coalesce(getattr(Report, dimension), "unknown")


def _volume_select(session: Session, dimension: str, where: Sequence[Any]) -> Any:
    day = _day(session, Report.received_at)
    key = _key(dimension)
    return (
        select(
            literal(dimension, String).label("dimension"),
            day.label("day"),
            Report.victim_country,
            key.label("key"),
            func.count().label("reports"),
            func.count(Report.loss_usd).label("loss_reports"),
            func.count(Report.loss_amount).label("with_amount"),
            func.coalesce(func.sum(Report.loss_usd), 0).label("loss_usd"),
        )
        .where(*where)
        .group_by(day, Report.victim_country, key)
    )


def _infra_pairs(any_kind: bool, after_id: int, upto_id: int | None) -> Any:
    """Distinct (report, infrastructure country, kind) from indicators that name a country,
    for reports with ids in (after_id, upto_id]: the range keeps the live tail cheap."""
    infra = Indicator.attributes["country"].as_string()
    kind = literal("any", String) if any_kind else Indicator.kind
    q = (
        select(ReportIndicator.report_id, infra.label("infra"), kind.label("kind"))
        .join(Indicator, Indicator.id == ReportIndicator.indicator_id)
        .where(
            infra.is_not(None),
            func.length(infra) == 2,
            Indicator.delisted_at.is_(None),
            ReportIndicator.report_id > after_id,
        )
    )
    if upto_id is not None:
        q = q.where(ReportIndicator.report_id <= upto_id)
    return q.distinct().subquery()


def _flow_select(
    session: Session,
    any_kind: bool,
    where: Sequence[Any],
    after_id: int,
    upto_id: int | None = None,
) -> Any:
    pairs = _infra_pairs(any_kind, after_id, upto_id)
    day = _day(session, Report.received_at)
    return (
        select(
            day.label("day"),
            Report.victim_country,
            func.upper(pairs.c.infra).label("infra"),
            pairs.c.kind,
            func.count().label("reports"),
            func.coalesce(func.sum(Report.loss_usd), 0).label("loss_usd"),
        )
        .join(pairs, pairs.c.report_id == Report.id)
        .where(*where)
        .group_by(day, Report.victim_country, func.upper(pairs.c.infra), pairs.c.kind)
    )


# A live tail longer than this is folded into the summaries before a figure is read.
TAIL_LIMIT = 20_000


def _state(session: Session, *, lock: bool = False) -> MeasureState | None:
    # FOR UPDATE: a second refresh waits, then sees the first one's watermark (no double fold).
    return session.get(MeasureState, 1, with_for_update=lock)


def tail_size(session: Session) -> int:
    """How many report ids lie beyond the summaries (what every figure adds live)."""
    top = session.scalar(select(func.max(Report.id))) or 0
    return max(0, top - _watermark(session))


def _upsert(
    session: Session, model: Any, rows: list[dict[str, Any]], keys: list[str], adds: list[str]
) -> None:
    if not rows:
        return
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(model)
    table = model.__table__
    stmt = stmt.on_conflict_do_update(
        index_elements=keys, set_={c: table.c[c] + stmt.excluded[c] for c in adds}
    )
    session.execute(stmt, rows)


def refresh(session: Session, *, full: bool = False) -> dict[str, Any]:
    """Fold the reports filed since the last refresh into the summaries (all of them with
    ``full``, or on the first run); return what was done."""
    if session.get_bind().dialect.name == "postgresql":
        # Ids are handed out before commit: wait for filings in flight and hold new ones
        # back, or a report with an id below the new watermark could commit after it and
        # never be counted. (SQLite writers are already serialised by BEGIN IMMEDIATE.)
        session.execute(text("LOCK TABLE reports IN SHARE MODE"))
    state = _state(session, lock=True)
    last = 0 if state is None or full else state.last_report_id
    top = session.scalar(select(func.max(Report.id))) or 0
    where = [Report.id > last, Report.id <= top]
    if last == 0:
        session.execute(delete(DailyVolume))
        session.execute(delete(DailyFlow))
        vol_cols = [
            "dimension",
            "day",
            "country",
            "key",
            "reports",
            "loss_reports",
            "unconverted",
            "loss_usd",
        ]
        for dim in DIMENSIONS:
            q = _volume_select(session, dim, where)
            sub = q.subquery()
            session.execute(
                DailyVolume.__table__.insert().from_select(  # type: ignore[attr-defined]
                    vol_cols,
                    select(
                        sub.c.dimension,
                        sub.c.day,
                        sub.c.victim_country,
                        sub.c.key,
                        sub.c.reports,
                        sub.c.loss_reports,
                        sub.c.with_amount - sub.c.loss_reports,
                        sub.c.loss_usd,
                    ),
                )
            )
        for any_kind in (True, False):
            session.execute(
                DailyFlow.__table__.insert().from_select(  # type: ignore[attr-defined]
                    ["day", "victim_country", "infra_country", "kind", "reports", "loss_usd"],
                    _flow_select(session, any_kind, where, last, top),
                )
            )
    elif top > last:
        vols = [
            {
                "dimension": r.dimension,
                "day": _as_date(r.day),
                "country": r.victim_country,
                "key": r.key,
                "reports": r.reports,
                "loss_reports": r.loss_reports,
                "unconverted": r.with_amount - r.loss_reports,
                "loss_usd": r.loss_usd,
            }
            for dim in DIMENSIONS
            for r in session.execute(_volume_select(session, dim, where))
        ]
        _upsert(
            session,
            DailyVolume,
            vols,
            ["dimension", "day", "country", "key"],
            ["reports", "loss_reports", "unconverted", "loss_usd"],
        )
        flows = [
            {
                "day": _as_date(r.day),
                "victim_country": r.victim_country,
                "infra_country": r.infra,
                "kind": r.kind,
                "reports": r.reports,
                "loss_usd": r.loss_usd,
            }
            for any_kind in (True, False)
            for r in session.execute(_flow_select(session, any_kind, where, last, top))
        ]
        _upsert(
            session,
            DailyFlow,
            flows,
            ["day", "victim_country", "infra_country", "kind"],
            ["reports", "loss_usd"],
        )
    if state is None:
        state = MeasureState(id=1)
        session.add(state)
    state.last_report_id = top
    state.refreshed_at = utcnow()
    session.flush()
    return {
        "full": last == 0,
        "from_report_id": last,
        "to_report_id": top,
        "refreshed_at": state.refreshed_at.isoformat(),
    }


def _watermark(session: Session) -> int:
    state = _state(session)
    return state.last_report_id if state is not None else 0


def _live_where(session: Session, filters: Filters) -> list[Any]:
    start = dt.datetime.combine(filters.since, dt.time(), dt.UTC)
    end = dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time(), dt.UTC)
    return [Report.id > _watermark(session), Report.received_at >= start, Report.received_at < end]


def _bucket(session: Session, day: Any, granularity: str) -> ColumnElement[Any]:
    """The period label of a summary day, in SQL, so only periods × keys leave the store."""
    pg = session.get_bind().dialect.name == "postgresql"
    if granularity == "month":
        return func.to_char(day, "YYYY-MM") if pg else func.substr(day, 1, 7, type_=String)
    if granularity == "week":  # ISO weeks start on Monday
        if pg:
            return cast(func.date_trunc("week", day), Date)
        return func.date(day, "weekday 0", "-6 days", type_=String)
    column: ColumnElement[Any] = day
    return column


def _label(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def volume_rows(session: Session, filters: Filters, dimension: str) -> list[VolumeRow]:
    """Per (period, country, key) of ``dimension`` in the range: summary rows grouped in
    SQL, plus the live tail grouped here."""
    period = _bucket(session, DailyVolume.day, filters.granularity)
    q = (
        select(
            period,
            DailyVolume.country,
            DailyVolume.key,
            func.sum(DailyVolume.reports),
            func.sum(DailyVolume.loss_reports),
            func.sum(DailyVolume.unconverted),
            func.sum(DailyVolume.loss_usd),
        )
        .where(
            DailyVolume.dimension == dimension,
            DailyVolume.day >= filters.since,
            DailyVolume.day <= filters.until,
        )
        .group_by(period, DailyVolume.country, DailyVolume.key)
    )
    live_where = _live_where(session, filters)
    if filters.country:
        q = q.where(DailyVolume.country == filters.country)
        live_where.append(Report.victim_country == filters.country)
    out: list[VolumeRow] = [
        (_label(p), c, k, int(n), int(lr), int(u), Decimal(loss or 0))
        for p, c, k, n, lr, u, loss in session.execute(q)
    ]
    for r in session.execute(_volume_select(session, dimension, live_where)):
        out.append(
            (
                bucket(_as_date(r.day), filters.granularity),
                r.victim_country,
                r.key,
                r.reports,
                r.loss_reports,
                r.with_amount - r.loss_reports,
                Decimal(r.loss_usd),
            )
        )
    return out


def flow_rows(session: Session, filters: Filters, *, by_kind: bool = False) -> list[FlowRow]:
    """Per (victim country, infrastructure country, kind) in the range ("any", or one row
    per kind): summary rows grouped in SQL, plus the live tail."""
    kind_is = DailyFlow.kind != "any" if by_kind else DailyFlow.kind == "any"
    q = (
        select(
            DailyFlow.victim_country,
            DailyFlow.infra_country,
            DailyFlow.kind,
            func.sum(DailyFlow.reports),
            func.sum(DailyFlow.loss_usd),
        )
        .where(
            kind_is,
            DailyFlow.day >= filters.since,
            DailyFlow.day <= filters.until,
        )
        .group_by(DailyFlow.victim_country, DailyFlow.infra_country, DailyFlow.kind)
    )
    out: list[FlowRow] = [
        (v, i, k, int(n), Decimal(loss or 0)) for v, i, k, n, loss in session.execute(q)
    ]
    live = _flow_select(session, not by_kind, _live_where(session, filters), _watermark(session))
    out.extend(
        (r.victim_country, r.infra, r.kind, r.reports, Decimal(r.loss_usd))
        for r in session.execute(live)
    )
    if filters.country:
        out = [r for r in out if filters.country in (r[0], r[1])]
    return out

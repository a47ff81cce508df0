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
from tangkal.measure.models import DailyFlow, DailyVolume, MeasureState, MonthlyFlow, MonthlyVolume
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


def _day(session: Session, column: Any, *, month: bool = False) -> ColumnElement[Any]:
    """The UTC day of a timestamp column (or the first day of its month), in SQL."""
    if session.get_bind().dialect.name == "postgresql":
        day = func.timezone("UTC", column)
        return cast(func.date_trunc("month", day) if month else day, Date)
    # SQLite keeps UTC timestamps as "YYYY-MM-DD HH:MM:SS.ffffff" text.
    if month:
        return func.substr(column, 1, 8, type_=String).concat("01")
    return func.substr(column, 1, 10, type_=String)


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _key(dimension: str) -> ColumnElement[Any]:
    if dimension == "all":
        return literal("all", String)
    return func.coalesce(getattr(Report, dimension), "unknown")


def _volume_select(
    session: Session, dimension: str, where: Sequence[Any], *, month: bool = False
) -> Any:
    day = _day(session, Report.received_at, month=month)
    key = _key(dimension)
    return (
        select(  # in the order of the summary's columns, for INSERT … SELECT
            day.label("day"),
            literal(dimension, String).label("dimension"),
            Report.victim_country,
            key.label("key"),
            func.count().label("reports"),
            func.count(Report.loss_usd).label("loss_reports"),
            (func.count(Report.loss_amount) - func.count(Report.loss_usd)).label("unconverted"),
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
    *,
    month: bool = False,
) -> Any:
    pairs = _infra_pairs(any_kind, after_id, upto_id)
    day = _day(session, Report.received_at, month=month)
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


_VOLUME_SUMS = ("reports", "loss_reports", "unconverted", "loss_usd")
_FLOW_SUMS = ("reports", "loss_usd")


def _add_from(session: Session, model: Any, period: str, keys: list[str], sums: Sequence[str],
              rows: Any) -> None:  # fmt: skip
    """INSERT … SELECT … ON CONFLICT DO UPDATE: add the grouped ``rows`` (a select whose
    columns are ``period``, ``keys``, ``sums`` in order) to ``model``, all in SQL."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(model).from_select([period, *keys, *sums], rows)
    table = model.__table__
    stmt = stmt.on_conflict_do_update(
        index_elements=[period, *keys], set_={c: table.c[c] + stmt.excluded[c] for c in sums}
    )
    session.execute(stmt)


def _month_of(session: Session, day: Any) -> ColumnElement[Any]:
    """The first day of ``day``'s month, in SQL, as a date (SQLite: its ISO text)."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.date_trunc("month", day), Date)
    return func.date(day, "start of month", type_=String)


def _rollup_all(session: Session) -> None:
    """Rebuild the monthly rollups from the daily summaries, in SQL: after a full build,
    cheaper than grouping a million reports by month once more."""
    session.execute(delete(MonthlyVolume))
    session.execute(delete(MonthlyFlow))
    month = _month_of(session, DailyVolume.day)
    session.execute(
        MonthlyVolume.__table__.insert().from_select(  # type: ignore[attr-defined]
            ["dimension", "month", "country", "key", *_VOLUME_SUMS],
            select(
                DailyVolume.dimension,
                month,
                DailyVolume.country,
                DailyVolume.key,
                *(func.sum(getattr(DailyVolume, c)) for c in _VOLUME_SUMS),
            ).group_by(DailyVolume.dimension, month, DailyVolume.country, DailyVolume.key),
        )
    )
    month = _month_of(session, DailyFlow.day)
    session.execute(
        MonthlyFlow.__table__.insert().from_select(  # type: ignore[attr-defined]
            ["month", "victim_country", "infra_country", "kind", *_FLOW_SUMS],
            select(
                month,
                DailyFlow.victim_country,
                DailyFlow.infra_country,
                DailyFlow.kind,
                *(func.sum(getattr(DailyFlow, c)) for c in _FLOW_SUMS),
            ).group_by(month, DailyFlow.victim_country, DailyFlow.infra_country, DailyFlow.kind),
        )
    )


def _fold(session: Session, after: int, upto: int, *, months: bool = True) -> None:
    """Add the reports with ids in (after, upto] to the daily summaries, and unless told
    otherwise to the monthly ones."""
    where = [Report.id > after, Report.id <= upto]
    periods: list[tuple[bool, Any, Any, str]] = [(False, DailyVolume, DailyFlow, "day")]
    if months:
        periods.append((True, MonthlyVolume, MonthlyFlow, "month"))
    for month, volumes, flows, period in periods:
        for dim in DIMENSIONS:
            # Each SELECT has a WHERE, which SQLite needs to read ON CONFLICT as the upsert.
            _add_from(
                session,
                volumes,
                period,
                ["dimension", "country", "key"],
                _VOLUME_SUMS,
                _volume_select(session, dim, where, month=month),
            )
        for any_kind in (True, False):
            _add_from(
                session,
                flows,
                period,
                ["victim_country", "infra_country", "kind"],
                _FLOW_SUMS,
                _flow_select(session, any_kind, where, after, upto, month=month),
            )


# Report ids folded per transaction by ``refresh(limit=…)``: a first build of a million
# reports holds the write lock (SQLite) or holds filings back (PostgreSQL) a few seconds
# at a time instead of a minute.
CHUNK = 100_000


def refresh(session: Session, *, full: bool = False, limit: int | None = None) -> dict[str, Any]:
    """Fold the reports filed since the last refresh into the summaries (all of them with
    ``full``, or on the first run), at most ``limit`` report ids of them; return what was
    done, with ``remaining``: the ids still beyond the summaries (another call folds them)."""
    if session.get_bind().dialect.name == "postgresql":
        # Ids are handed out before commit: wait for filings in flight and hold new ones
        # back, or a report with an id below the new watermark could commit after it and
        # never be counted. (SQLite writers are already serialised by BEGIN IMMEDIATE.)
        session.execute(text("LOCK TABLE reports IN SHARE MODE"))
    state = _state(session, lock=True)
    last = 0 if state is None or full else state.last_report_id
    newest = session.scalar(select(func.max(Report.id))) or 0
    top = newest if limit is None else min(newest, last + limit)
    if last == 0:
        for model in (DailyVolume, DailyFlow, MonthlyVolume, MonthlyFlow):
            session.execute(delete(model))
    if last == 0 and top == newest:  # everything in one go: the months from the days
        _fold(session, 0, top, months=False)
        _rollup_all(session)
    elif top > last:
        _fold(session, last, top)
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
        "remaining": max(0, newest - top),
        "refreshed_at": state.refreshed_at.isoformat(),
    }


def _watermark(session: Session) -> int:
    state = _state(session)
    return state.last_report_id if state is not None else 0


def _tail(session: Session) -> tuple[int, int] | None:
    """The ids (after, upto] of reports beyond the summaries, or None when there are none."""
    after = _watermark(session)
    top = session.scalar(select(func.max(Report.id))) or 0
    return (after, top) if top > after else None


def _unindexed(column: Any) -> ColumnElement[Any]:
    """``column`` as an expression no index can serve: the live tail must be found through
    the primary key (a few new ids), never through the date index (half the table)."""
    return func.coalesce(column, column)


def _live_where(filters: Filters, tail: tuple[int, int]) -> list[Any]:
    start = dt.datetime.combine(filters.since, dt.time(), dt.UTC)
    end = dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time(), dt.UTC)
    received = _unindexed(Report.received_at)
    return [Report.id > tail[0], Report.id <= tail[1], received >= start, received < end]


def _split(
    filters: Filters,
) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """The whole months of the range (first day of the first, first day after the last) for
    the monthly rollups, and the day ranges left over at either end for the daily tables."""
    since, until = filters.since, filters.until
    first = (
        since if since.day == 1 else (since.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    )
    end = (until + dt.timedelta(days=1)).replace(day=1)  # months before this one are whole
    if first >= end:
        return None, [(since, until)]
    days = []
    if since < first:
        days.append((since, first - dt.timedelta(days=1)))
    if end <= until:
        days.append((end, until))
    return (first, end), days


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
    SQL (whole months from the monthly rollup when counting by month), plus the live tail.
    A (period, country, key) may come back more than once: callers add them up."""
    months, days = _split(filters) if filters.granularity == "month" else (None, [])
    if months is None:
        days = [(filters.since, filters.until)]
    out: list[VolumeRow] = []
    if months is not None:
        label = func.substr(MonthlyVolume.month, 1, 7, type_=String)
        if session.get_bind().dialect.name == "postgresql":
            label = func.to_char(MonthlyVolume.month, "YYYY-MM")
        q = select(
            label,
            MonthlyVolume.country,
            MonthlyVolume.key,
            *(func.sum(getattr(MonthlyVolume, c)) for c in _VOLUME_SUMS),
        ).where(
            MonthlyVolume.dimension == dimension,
            MonthlyVolume.month >= months[0],
            MonthlyVolume.month < months[1],
        )
        if filters.country:
            q = q.where(MonthlyVolume.country == filters.country)
        q = q.group_by(label, MonthlyVolume.country, MonthlyVolume.key)
        out.extend(
            (str(p), c, k, int(n), int(lr), int(u), Decimal(loss or 0))
            for p, c, k, n, lr, u, loss in session.execute(q)
        )
    for since, until in days:
        period = _bucket(session, DailyVolume.day, filters.granularity)
        q = select(
            period,
            DailyVolume.country,
            DailyVolume.key,
            *(func.sum(getattr(DailyVolume, c)) for c in _VOLUME_SUMS),
        ).where(
            DailyVolume.dimension == dimension,
            DailyVolume.day >= since,
            DailyVolume.day <= until,
        )
        if filters.country:
            q = q.where(DailyVolume.country == filters.country)
        q = q.group_by(period, DailyVolume.country, DailyVolume.key)
        out.extend(
            (_label(p), c, k, int(n), int(lr), int(u), Decimal(loss or 0))
            for p, c, k, n, lr, u, loss in session.execute(q)
        )
    tail = _tail(session)
    if tail is None:
        return out
    live_where = _live_where(filters, tail)
    if filters.country:
        live_where.append(_unindexed(Report.victim_country) == filters.country)
    for r in session.execute(_volume_select(session, dimension, live_where)):
        out.append(
            (
                bucket(_as_date(r.day), filters.granularity),
                r.victim_country,
                r.key,
                r.reports,
                r.loss_reports,
                r.unconverted,
                Decimal(r.loss_usd),
            )
        )
    return out


def flow_rows(session: Session, filters: Filters, *, by_kind: bool = False) -> list[FlowRow]:
    """Per (victim country, infrastructure country, kind) in the range ("any", or one row
    per kind): whole months from the monthly rollup, the days at either end from the daily
    table, plus the live tail. A key may come back more than once: callers add them up."""
    months, days = _split(filters)
    out: list[FlowRow] = []
    parts: list[tuple[Any, Any, Any]] = [
        (DailyFlow, DailyFlow.day >= since, DailyFlow.day <= until) for since, until in days
    ]
    if months is not None:
        parts.append((MonthlyFlow, MonthlyFlow.month >= months[0], MonthlyFlow.month < months[1]))
    for table, *range_ in parts:
        kind_is = table.kind != "any" if by_kind else table.kind == "any"
        keys = (table.victim_country, table.infra_country, table.kind)
        q = select(*keys, func.sum(table.reports), func.sum(table.loss_usd)).where(kind_is, *range_)
        if filters.country:
            q = q.where(
                (table.victim_country == filters.country) | (table.infra_country == filters.country)
            )
        out.extend(
            (v, i, k, int(n), Decimal(loss or 0))
            for v, i, k, n, loss in session.execute(q.group_by(*keys))
        )
    tail = _tail(session)
    if tail is not None:
        live = _flow_select(session, not by_kind, _live_where(filters, tail), *tail)
        out.extend(
            (r.victim_country, r.infra, r.kind, r.reports, Decimal(r.loss_usd))
            for r in session.execute(live)
        )
    if filters.country:
        out = [r for r in out if filters.country in (r[0], r[1])]
    return out

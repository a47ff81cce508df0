"""How fast countries act, and what it yields: time to act per request type and country
pair; freezes, amounts frozen and returned; disputes filed and how they ended.

Read from Act's tables (requests carry one timestamp per transition). Requests are few
next to reports, so they are read whole within the range and aggregated here.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from tangkal.access.models import Organisation
from tangkal.act.models import CaseReport, CrossBorderRequest, Dispute
from tangkal.errors import InvalidInput
from tangkal.measure.filters import Filters, bucket, periods
from tangkal.measure.summaries import _as_date, _day, volume_rows
from tangkal.measure.table import Figure
from tangkal.report.models import Report
from tangkal.report.money import RateTable, default_rates

__all__ = ["SPANS", "action", "outcomes"]

SPANS = (
    ("report_to_request", "first_report_at", "submitted_at"),
    ("request_to_acknowledgement", "submitted_at", "acknowledged_at"),
    ("acknowledgement_to_execution", "acknowledged_at", "executed_at"),
    ("request_to_execution", "submitted_at", "executed_at"),
)
_TYPES = ("freeze", "takedown", "block_number", "information", "mla", "extradition")


def _bounds(filters: Filters) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(filters.since, dt.time(), dt.UTC)
    return start, dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time(), dt.UTC)


def _requests(session: Session, filters: Filters, column: Any, *columns: Any) -> list[Any]:
    """The ``columns`` of requests whose ``column`` falls in the range (only the columns a
    figure needs: no ORM objects), with both organisations' countries as src and dst."""
    src, dst = aliased(Organisation), aliased(Organisation)
    start, end = _bounds(filters)
    q = (
        select(*columns, src.country.label("src"), dst.country.label("dst"))
        .join(src, src.id == CrossBorderRequest.requesting_org_id)
        .join(dst, dst.id == CrossBorderRequest.requested_org_id)
        .where(column >= start, column < end)
    )
    if filters.country:
        q = q.where(or_(src.country == filters.country, dst.country == filters.country))
    return list(session.execute(q))


def _hours(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    return None if start is None or end is None else (end - start).total_seconds() / 3600


def action(session: Session, filters: Filters, params: Mapping[str, str | None]) -> Figure:
    """Median hours of each step per (type, requesting country, requested country), for
    requests submitted in the range."""
    kind = (params.get("type") or "").strip() or None
    if kind is not None and kind not in _TYPES:
        raise InvalidInput(f"must be one of: {', '.join(_TYPES)}", field="type")
    groups: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    cbr = CrossBorderRequest
    for req in _requests(
        session,
        filters,
        cbr.submitted_at,
        cbr.type,
        cbr.first_report_at,
        cbr.submitted_at,
        cbr.acknowledged_at,
        cbr.executed_at,
        cbr.refused_at,
    ):
        if kind is None or req.type == kind:
            groups[(req.type, req.src, req.dst)].append(req)
    rows = []
    for (rtype, src, dst), reqs in sorted(groups.items()):
        row: dict[str, Any] = {
            "type": rtype,
            "from_country": src,
            "to_country": dst,
            "requests": len(reqs),
            "acknowledged": sum(r.acknowledged_at is not None for r in reqs),
            "executed": sum(r.executed_at is not None for r in reqs),
            "refused": sum(r.refused_at is not None for r in reqs),
        }
        for name, start, end in SPANS:
            spans = [
                h for r in reqs if (h := _hours(getattr(r, start), getattr(r, end))) is not None
            ]
            row[f"median_{name}_hours"] = round(statistics.median(spans), 2) if spans else None
        rows.append(row)
    notes = list(filters.notes)
    if not rows:
        notes.append("no cross-border request was submitted in this range")
    medians = tuple(f"median_{name}_hours" for name, _s, _e in SPANS)
    return Figure(
        name="action",
        title="Time to act: report → request → acknowledgement → execution",
        filters=filters,
        columns=(
            "type",
            "from_country",
            "to_country",
            "requests",
            "acknowledged",
            "executed",
            "refused",
            *medians,
        ),
        rows=rows,
        notes=tuple(notes),
        totals={
            "requests": sum(r["requests"] for r in rows),
            "executed": sum(r["executed"] for r in rows),
        },
        # Requests are acts of authorities, not victims: their counts are not suppressed.
        counts=(),
        extra={"type": kind},
    )


def _usd(rates: RateTable, amount: Decimal, currency: str | None, on: dt.date) -> Decimal | None:
    if not amount:
        return Decimal(0)
    if currency is None or currency == "USD":
        return amount if currency == "USD" else None
    try:
        return rates.to_usd(amount, currency, on)
    except InvalidInput:
        return None


def _freeze_reports(session: Session, filters: Filters) -> dict[str, int]:
    """Reports received per period that sit in a case where a freeze froze something.

    Cases hold thousands of reports at most: the reports are reached through the case
    links and the primary key, counted per day and country in SQL (the date and country
    are compared unindexed, so no plan walks a million reports by date); only days ×
    countries come back.
    """
    frozen_cases = select(CrossBorderRequest.case_id).where(
        CrossBorderRequest.type == "freeze", CrossBorderRequest.amount_frozen > 0
    )
    in_cases = select(CaseReport.report_id).where(CaseReport.case_id.in_(frozen_cases))
    start, end = _bounds(filters)
    received = func.coalesce(Report.received_at, Report.received_at)
    day = _day(session, Report.received_at)
    q = (
        select(day, Report.victim_country, func.count())
        .where(Report.id.in_(in_cases), received >= start, received < end)
        .group_by(day, Report.victim_country)
    )
    out: dict[str, int] = defaultdict(int)
    for when, country, n in session.execute(q):
        if filters.country in (None, country):
            out[bucket(_as_date(when), filters.granularity)] += n
    return out


def outcomes(session: Session, filters: Filters, params: Mapping[str, str | None]) -> Figure:
    """Per period: reports, reports with a freeze and their share, amounts frozen and
    returned (USD at the execution date), disputes filed, upheld and granted."""
    rates = default_rates()
    labels = periods(filters)
    cells: dict[str, dict[str, Any]] = {
        p: {
            "period": p,
            "reports": 0,
            "reports_with_freeze": 0,
            "freeze_requests": 0,
            "frozen_usd": Decimal(0),
            "returned_usd": Decimal(0),
            "disputes_filed": 0,
            "disputes_upheld": 0,
            "disputes_granted": 0,
        }
        for p in labels
    }
    for period, _c, _k, n, _l, _u, _loss in volume_rows(session, filters, "all"):
        cells[period]["reports"] += n
    for label, n in _freeze_reports(session, filters).items():
        cells[label]["reports_with_freeze"] += n
    unconverted = 0
    when = func.coalesce(CrossBorderRequest.executed_at, CrossBorderRequest.created_at)
    cbr = CrossBorderRequest
    for req in _requests(
        session,
        filters,
        when,
        cbr.type,
        cbr.amount_frozen,
        cbr.amount_returned,
        cbr.currency,
        cbr.executed_at,
        cbr.created_at,
    ):
        if req.type != "freeze" or not (req.amount_frozen or req.amount_returned):
            continue
        at = req.executed_at or req.created_at
        cell = cells[bucket(at.date(), filters.granularity)]
        cell["freeze_requests"] += 1
        frozen = _usd(rates, Decimal(req.amount_frozen), req.currency, at.date())
        returned = _usd(rates, Decimal(req.amount_returned), req.currency, at.date())
        if frozen is None or returned is None:
            unconverted += 1
            continue
        cell["frozen_usd"] += frozen
        cell["returned_usd"] += returned
    start, end = _bounds(filters)
    disputes = select(Dispute.created_at, Dispute.status).where(
        and_(Dispute.created_at >= start, Dispute.created_at < end)
    )
    for created, status in session.execute(disputes):
        cell = cells[bucket(created.date(), filters.granularity)]
        cell["disputes_filed"] += 1
        cell["disputes_upheld"] += status == "upheld"
        cell["disputes_granted"] += status in ("delisted", "allowlisted")
    rows = list(cells.values())
    for row in rows:
        row["freeze_share"] = (
            round(row["reports_with_freeze"] / row["reports"], 4) if row["reports"] else None
        )
    sums = {k: sum(r[k] for r in rows) for k in rows[0] if k not in ("period", "freeze_share")}
    sums["freeze_share"] = (
        round(sums["reports_with_freeze"] / sums["reports"], 4) if sums["reports"] else None
    )
    notes = list(filters.notes)
    if not any(sums[k] for k in ("reports", "freeze_requests", "disputes_filed")):
        notes.append("no reports, freezes or disputes in this range")
    if unconverted:
        notes.append(
            f"{unconverted} freeze requests are in a currency without a USD rate; "
            "their amounts are not in frozen_usd or returned_usd"
        )
    if filters.country:
        notes.append(
            "disputes are counted for the whole node: a dispute names a value, not a country"
        )
    return Figure(
        name="outcomes",
        title="Freezes, returns and disputes",
        filters=filters,
        columns=(
            "period",
            "reports",
            "reports_with_freeze",
            "freeze_share",
            "freeze_requests",
            "frozen_usd",
            "returned_usd",
            "disputes_filed",
            "disputes_upheld",
            "disputes_granted",
        ),
        rows=rows,
        totals=sums,
        notes=tuple(notes),
        counts=("reports", "reports_with_freeze", "freeze_requests"),
        amounts={
            "freeze_share": "reports_with_freeze",
            "frozen_usd": "freeze_requests",
            "returned_usd": "freeze_requests",
        },
        extra={"periods": labels},
    )

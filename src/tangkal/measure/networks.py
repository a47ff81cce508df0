"""Top scam networks by victims and by loss, from Link's network summaries.

Link keeps each network's report count, countries and loss current whenever membership
changes, so ranking reads one small table through its index instead of a million
reports. A network counts when its activity (first to last report) overlaps the range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tangkal.errors import InvalidInput
from tangkal.link.models import Network
from tangkal.measure.filters import Filters
from tangkal.measure.table import Figure

__all__ = ["ORDERS", "networks"]

ORDERS = ("victims", "loss")
MAX_LIMIT = 100


def _countries(packed: str) -> list[str]:
    return [c for c in packed.split(",") if c]


def _limit(raw: str | None) -> int:
    if raw is None or raw.strip() == "":
        return 10
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput("must be an integer", field="limit") from None
    if not 1 <= value <= MAX_LIMIT:
        raise InvalidInput(f"must be between 1 and {MAX_LIMIT}", field="limit")
    return value


def networks(session: Session, filters: Filters, params: Mapping[str, str | None]) -> Figure:
    """The largest networks active in the range, by reports (``victims``) or ``loss``."""
    order = (params.get("order") or "victims").strip()
    if order not in ORDERS:
        raise InvalidInput(f"must be one of: {', '.join(ORDERS)}", field="order")
    limit = _limit(params.get("limit"))
    start = dt.datetime.combine(filters.since, dt.time(), dt.UTC)
    end = dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time(), dt.UTC)
    q = select(Network).where(Network.first_seen < end, Network.last_seen >= start)
    if filters.country:
        like = f"%,{filters.country},%"
        q = q.where(or_(Network.countries.like(like), Network.infra_countries.like(like)))
    ranked = Network.report_count if order == "victims" else Network.loss_usd
    rows = [
        {
            "network": n.id,
            "reports": n.report_count,
            "loss_usd": Decimal(n.loss_usd),
            "victim_countries": _countries(n.countries),
            "infra_countries": _countries(n.infra_countries),
            "cross_border": n.cross_border,
            "first_seen": n.first_seen.date().isoformat() if n.first_seen else None,
            "last_seen": n.last_seen.date().isoformat() if n.last_seen else None,
        }
        for n in session.scalars(q.order_by(ranked.desc(), Network.id).limit(limit))
    ]
    notes = list(filters.notes)
    if not rows:
        notes.append("no network is active in this range (run `tangkal link` to recompute)")
    return Figure(
        name="networks",
        title=f"Top networks by {order}",
        filters=filters,
        columns=(
            "network",
            "reports",
            "loss_usd",
            "victim_countries",
            "infra_countries",
            "cross_border",
            "first_seen",
            "last_seen",
        ),
        rows=rows,
        notes=tuple(notes),
        counts=("reports",),
        amounts={"loss_usd": "reports"},
        extra={"order": order, "limit": limit},
    )

"""The monthly brief: the key figures of one month for one country or the region, with
the month before for comparison, suppressed as everything that leaves the node."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from tangkal.errors import InvalidInput
from tangkal.measure.figures import compute
from tangkal.measure.filters import Filters, parse_filters
from tangkal.measure.privacy import hidden

__all__ = ["monthly_brief", "parse_period"]


def parse_period(period: str, today: dt.date) -> dt.date:
    """The first day of month ``period`` ("2026-10"), which must have begun."""
    try:
        first = dt.date.fromisoformat(period.strip() + "-01")
    except (ValueError, AttributeError):
        raise InvalidInput("a month looks like 2026-10", field="period") from None
    if first > today:
        raise InvalidInput("that month has not begun", field="period")
    return first


def _month(first: dt.date, country: str | None, granularity: str, today: dt.date) -> Filters:
    label = first.strftime("%Y-%m")
    return parse_filters(
        {"since": label, "until": label, "country": country, "granularity": granularity}, today
    )


def _change(
    session: Session, this: Filters, before: Filters, by: str, k: int
) -> list[dict[str, Any]]:
    """Per value of ``by``: reports this month and the month before, and the change."""
    this, before = replace(this, granularity="month"), replace(before, granularity="month")
    now = {r["key"]: r["reports"] for r in compute(session, "volumes", this, {"by": by}).rows}
    then = {r["key"]: r["reports"] for r in compute(session, "volumes", before, {"by": by}).rows}
    rows = []
    for key in sorted(set(now) | set(then), key=lambda x: (-now.get(x, 0), x)):
        n, p = now.get(key, 0), then.get(key, 0)
        secret = hidden(n, k) or hidden(p, k)
        rows.append(
            {
                "key": key,
                "reports": f"<{k}" if hidden(n, k) else n,
                "previous": f"<{k}" if hidden(p, k) else p,
                "change": None if secret or not p else round((n - p) / p, 4),
            }
        )
    return rows


def monthly_brief(
    session: Session, period: str, country: str | None, today: dt.date, *, min_count: int
) -> dict[str, Any]:
    """Everything the brief shows, as plain data (rendered by ``measure.render``)."""
    first = parse_period(period, today)
    this = _month(first, country, "day", today)
    before = _month((first - dt.timedelta(days=1)).replace(day=1), country, "day", today)
    k = min_count

    def fig(name: str, filters: Filters = this, **params: str) -> dict[str, Any]:
        return compute(session, name, filters, params, min_count=k).as_dict()

    total = fig("volumes")
    previous = fig("volumes", before)
    flows = fig("flows")
    return {
        "period": first.strftime("%Y-%m"),
        "country": this.country,
        "since": this.since.isoformat(),
        "until": this.until.isoformat(),
        "generated": today.isoformat(),
        "min_count": k,
        "notes": [*this.notes, *total["notes"]],
        "reports": total["totals"]["reports"],
        "previous_reports": previous["totals"]["reports"],
        "loss_usd": total["totals"]["loss_usd"],
        "previous_loss_usd": previous["totals"]["loss_usd"],
        "daily": [(r["period"], r["reports"]) for r in total["rows"]],
        "typologies": _change(session, this, before, "typology", k),
        "channels": _change(session, this, before, "channel", k),
        "payment_methods": _change(session, this, before, "payment_method", k),
        "flows": [r for r in flows["rows"] if r["cross_border"]][:10],
        "cross_border_share": flows["totals"]["cross_border_share"],
        "networks": fig("networks", limit="5")["rows"],
        "action": fig("action")["rows"],
        "outcomes": fig("outcomes")["totals"],
    }

"""Reports and losses over time, by victim country, typology, channel or payment method.

Losses are the ``loss_usd`` each report got at intake from the dated rate table, so a
figure never converts twice; a loss whose currency had no rate is counted apart
(``unconverted``) and said in a note rather than silently read as zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from tangkal.errors import InvalidInput
from tangkal.measure.filters import Filters, periods
from tangkal.measure.summaries import volume_rows
from tangkal.measure.table import Figure

__all__ = ["BY", "volumes"]

BY = ("total", "country", "typology", "channel", "payment_method")


def volumes(session: Session, filters: Filters, params: Mapping[str, str | None]) -> Figure:
    """Reports, reports with a loss and the loss in USD per period and ``by`` value."""
    by = (params.get("by") or "total").strip()
    if by not in BY:
        raise InvalidInput(f"must be one of: {', '.join(BY)}", field="by")
    dimension = by if by in ("typology", "channel", "payment_method") else "all"
    cells: dict[tuple[str, str], list[int | Decimal]] = defaultdict(lambda: [0, 0, 0, Decimal(0)])
    for period, country, key, n, loss_n, unconverted, loss in volume_rows(
        session, filters, dimension
    ):
        label = {"total": "all", "country": country}.get(by, key)
        cell = cells[(period, label)]
        cell[0] += n
        cell[1] += loss_n
        cell[2] += unconverted
        cell[3] += loss
    labels = periods(filters)
    if by == "total":  # every period, so a line chart shows the quiet weeks as zero
        for label in labels:
            cells.setdefault((label, "all"), [0, 0, 0, Decimal(0)])
    rows: list[dict[str, Any]] = [
        {
            "period": p,
            "key": k,
            "reports": int(c[0]),
            "loss_reports": int(c[1]),
            "unconverted": int(c[2]),
            "loss_usd": Decimal(c[3]).quantize(Decimal("0.01")),
        }
        for (p, k), c in sorted(cells.items())
    ]
    totals = {
        "reports": sum(r["reports"] for r in rows),
        "loss_reports": sum(r["loss_reports"] for r in rows),
        "unconverted": sum(r["unconverted"] for r in rows),
        "loss_usd": sum((r["loss_usd"] for r in rows), Decimal("0.00")),
    }
    keys = sorted(
        {r["key"] for r in rows}, key=lambda k: -sum(r["reports"] for r in rows if r["key"] == k)
    )
    notes = list(filters.notes)
    if not totals["reports"]:
        notes.append("no reports in this range")
    if totals["unconverted"]:
        notes.append(
            f"{totals['unconverted']} reports name a loss in a currency without a USD "
            "rate; those losses are not in loss_usd"
        )
    return Figure(
        name="volumes",
        filters=filters,
        title="Reports and losses" + ("" if by == "total" else f" by {by.replace('_', ' ')}"),
        columns=("period", "key", "reports", "loss_reports", "unconverted", "loss_usd"),
        rows=rows,
        totals=totals,
        notes=tuple(notes),
        counts=("reports", "loss_reports", "unconverted"),
        amounts={"loss_usd": "loss_reports"},
        extra={"by": by, "periods": labels, "keys": keys},
    )

"""Cross-border flows: where the victims are × where the infrastructure is.

The infrastructure country of a report comes from its indicators that carry one: a
phone number's country code (``attributes["country"]``, from phonenumbers), a bank
account's bank country, a host's country where enrichment recorded it. A report with a
Cambodian phone and a Thai bank counts once under each; kind "any" counts it once per
country. Delisted indicators are no evidence and are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from tangkal.errors import InvalidInput
from tangkal.measure.filters import Filters
from tangkal.measure.summaries import flow_rows
from tangkal.measure.table import Figure

__all__ = ["KINDS", "flows"]

KINDS = (
    "any",
    "phone",
    "bank_account",
    "ewallet",
    "url",
    "domain",
    "email",
    "crypto_wallet",
    "social_handle",
)


def flows(session: Session, filters: Filters, params: Mapping[str, str | None]) -> Figure:
    """One row per (victim country, infrastructure country) with reports and loss."""
    kind = (params.get("kind") or "any").strip()
    if kind not in KINDS:
        raise InvalidInput(f"must be one of: {', '.join(KINDS)}", field="kind")
    cells: dict[tuple[str, str], list[int | Decimal]] = defaultdict(lambda: [0, Decimal(0)])
    for victim, infra, row_kind, n, loss in flow_rows(session, filters, by_kind=kind != "any"):
        if row_kind == kind:
            cell = cells[(victim, infra)]
            cell[0] += n
            cell[1] += loss
    rows: list[dict[str, Any]] = [
        {
            "victim_country": v,
            "infra_country": i,
            "kind": kind,
            "reports": int(c[0]),
            "loss_usd": Decimal(c[1]).quantize(Decimal("0.01")),
            "cross_border": v != i,
        }
        for (v, i), c in sorted(cells.items(), key=lambda item: (-int(item[1][0]), item[0]))
    ]
    cross = sum(r["reports"] for r in rows if r["cross_border"])
    total = sum(r["reports"] for r in rows)
    notes = list(filters.notes)
    if not rows:
        notes.append("no report in this range names infrastructure with a known country")
    return Figure(
        name="flows",
        title="Cross-border flows: victim country × infrastructure country",
        filters=filters,
        columns=("victim_country", "infra_country", "kind", "reports", "loss_usd", "cross_border"),
        rows=rows,
        notes=tuple(notes),
        totals={
            "reports": total,
            "cross_border_reports": cross,
            "cross_border_share": round(cross / total, 4) if total else None,
        },
        counts=("reports", "cross_border_reports"),
        amounts={"loss_usd": "reports", "cross_border_share": "cross_border_reports"},
        extra={
            "kind": kind,
            "victim_countries": sorted({r["victim_country"] for r in rows}),
            "infra_countries": sorted({r["infra_country"] for r in rows}),
        },
    )

"""Time to act: how long each step of a cross-border request takes, as medians.

Per request type and country pair (requesting → requested): from the first report behind
the case to the request, from the request to its acknowledgement, from the
acknowledgement to execution, and from the request to execution. Hours, rounded to 0.01.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from tangkal.access.models import Organisation
from tangkal.act.models import CrossBorderRequest

__all__ = ["response_times"]

_SPANS = (
    ("report_to_request", "first_report_at", "submitted_at"),
    ("request_to_acknowledgement", "submitted_at", "acknowledged_at"),
    ("acknowledgement_to_execution", "acknowledged_at", "executed_at"),
    ("request_to_execution", "submitted_at", "executed_at"),
)


def _hours(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / 3600


def response_times(session: Session) -> list[dict[str, Any]]:
    """One row per (type, from country, to country) with the median of every span."""
    src, dst = aliased(Organisation), aliased(Organisation)
    rows = session.execute(
        select(CrossBorderRequest, src.country, dst.country)
        .join(src, src.id == CrossBorderRequest.requesting_org_id)
        .join(dst, dst.id == CrossBorderRequest.requested_org_id)
        .where(CrossBorderRequest.submitted_at.is_not(None))
    )
    groups: dict[tuple[str, str, str], list[CrossBorderRequest]] = defaultdict(list)
    for req, from_country, to_country in rows:
        groups[(req.type, from_country, to_country)].append(req)
    out = []
    for (kind, from_country, to_country), reqs in sorted(groups.items()):
        row: dict[str, Any] = {
            "type": kind, "from_country": from_country, "to_country": to_country,
            "requests": len(reqs),
            "executed": sum(r.executed_at is not None for r in reqs),
        }  # fmt: skip
        for name, start, end in _SPANS:
            spans = [
                h for r in reqs if (h := _hours(getattr(r, start), getattr(r, end))) is not None
            ]
            row[f"median_{name}_hours"] = round(statistics.median(spans), 2) if spans else None
            row[f"{name}_count"] = len(spans)
        out.append(row)
    return out

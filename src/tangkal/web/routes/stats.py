"""Measure's API: ``GET /api/v1/stats/{figure}`` in JSON or CSV, for staff with stats:read.

What leaves the node is suppressed: counts below ``TANGKAL_MEASURE_MIN_COUNT`` read
``"<N"``. The node's own staff (an organisation of the node's country) may ask for exact
JSON with ``exact=1``; that read is audited. CSV is an export, so it is always suppressed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tangkal.access.roles import Principal
from tangkal.audit.log import record
from tangkal.errors import InvalidInput, PermissionDenied
from tangkal.measure import FIGURES, Figure, Filters, compute, parse_filters
from tangkal.measure.refresher import refresh_if_due
from tangkal.measure.summaries import TAIL_LIMIT
from tangkal.measure.table import as_csv
from tangkal.store import Store
from tangkal.store.base import utcnow
from tangkal.web.auth import client_ip, require_permission
from tangkal.web.openapi import Operation
from tangkal.web.responses import json

__all__ = [
    "audit_read",
    "figure_for",
    "operations",
    "request_filters",
    "routes",
    "today",
    "wants_exact",
]

_TRUE = ("1", "true", "yes", "on")
_OPTIONS = ("by", "kind", "order", "limit", "type")


def today() -> dt.date:
    return utcnow().date()


def wants_exact(request: Request, who: Principal) -> bool:
    """``exact=1`` from the node's own staff; anyone else asking for it is refused."""
    if request.query_params.get("exact", "").lower() not in _TRUE:
        return False
    if who.org_country != request.app.state.settings.node_country:
        raise PermissionDenied(
            "exact figures are for this node's own organisations; shared figures are "
            "suppressed below the threshold",
            field="exact",
        )
    return True


def request_filters(request: Request) -> Filters:
    qp = request.query_params
    return parse_filters(
        {k: qp.get(k) for k in ("since", "until", "country", "granularity")}, today()
    )


def audit_read(request: Request, who: Principal, action: str, name: str, filters: Filters) -> None:
    with request.app.state.store.begin() as session:
        record(
            session,
            who.actor,
            action,
            "figure",
            name,
            remote=client_ip(request),
            details=filters.as_dict(),
        )


def fold_long_tail(store: Store) -> None:
    """Fold the reports filed since the last refresh into the summaries when they are many
    (a node that never ran ``tangkal measure refresh``), so that reads stay fast."""
    # IntegrityError: another request created the state row first, and folded the tail.
    with contextlib.suppress(IntegrityError):
        refresh_if_due(store, min_tail=TAIL_LIMIT + 1)


def figure_for(
    request: Request,
    who: Principal,
    name: str,
    *,
    exact: bool,
    export: bool = False,
    options: dict[str, str | None] | None = None,
    audit: bool = True,
) -> Figure:
    """Parse the filters, compute figure ``name`` in one read, audit the exact and export
    reads; raise InvalidInput naming the bad field."""
    if name not in FIGURES:
        raise InvalidInput(f"unknown figure; one of: {', '.join(FIGURES)}", field="figure")
    filters = request_filters(request)
    opts = {k: request.query_params.get(k) for k in _OPTIONS}
    opts.update(options or {})
    min_count = 0 if exact else request.app.state.settings.measure_min_count
    fold_long_tail(request.app.state.store)
    with request.app.state.store.read() as session:
        figure = compute(session, name, filters, opts, min_count=min_count)
    if audit and (exact or export):
        audit_read(request, who, "stats.exact" if exact else "stats.export", name, filters)
    return figure


def _format(request: Request) -> str:
    fmt = request.query_params.get("format")
    if fmt is None:
        accept = request.headers.get("accept", "")
        return "csv" if "text/csv" in accept and "json" not in accept else "json"
    if fmt not in ("csv", "json"):
        raise InvalidInput("must be csv or json", field="format")
    return fmt


async def figure_api(request: Request) -> Response:
    who = require_permission(request, "stats:read")
    name = request.path_params["figure"]
    fmt = _format(request)
    exact = wants_exact(request, who) and fmt == "json"
    figure = await run_in_threadpool(
        figure_for, request, who, name, exact=exact, export=fmt == "csv"
    )
    if fmt == "csv":
        f = figure.filters
        filename = f"tangkal-{name}-{f.country or 'region'}-{f.since}-{f.until}.csv"
        return Response(
            as_csv(figure),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return json(figure.as_dict())


async def index_api(request: Request) -> Response:
    require_permission(request, "stats:read")
    body: dict[str, Any] = {
        "figures": sorted(FIGURES),
        "min_count": request.app.state.settings.measure_min_count,
    }
    return json(body)


routes = [
    Route("/api/v1/stats", index_api, methods=["GET"]),
    Route("/api/v1/stats/{figure}", figure_api, methods=["GET"]),
]

_PARAMS = (
    ("figure", "path", True, "volumes, flows, networks, action or outcomes"),
    ("since", "query", False, "First day, 2026-10-01 or 2026-10 (default: a year before until)"),
    ("until", "query", False, "Last day, inclusive, or a month (default: today; never later)"),
    (
        "country",
        "query",
        False,
        "ISO country: victims there (flows, networks, action: "
        "either side); empty or ASEAN: the region",
    ),
    ("granularity", "query", False, "day, week (ISO, Monday) or month (default)"),
    ("format", "query", False, "json (default) or csv; Accept: text/csv works too"),
    ("exact", "query", False, "1: exact counts (this node's own organisations; audited)"),
    ("by", "query", False, "volumes: total, country, typology, channel or payment_method"),
    ("kind", "query", False, "flows: any (default), phone, bank_account, url, …"),
    ("order", "query", False, "networks: victims (default) or loss"),
    ("limit", "query", False, "networks: 1–100 (default 10)"),
    ("type", "query", False, "action: one request type (freeze, takedown, …)"),
)
operations = [
    Operation(
        "GET",
        "/api/v1/stats",
        "The figures this node answers, and its suppression threshold",
        "stats",
        permission="stats:read",
    ),
    Operation(
        "GET",
        "/api/v1/stats/{figure}",
        "One regional figure, small counts suppressed",
        "stats",
        permission="stats:read",
        params=_PARAMS,
        responses={
            "200": "The figure (JSON or CSV)",
            "401": "No token",
            "403": "Role or exact refused",
            "422": "A filter is wrong (the problem names it)",
        },
    ),
]

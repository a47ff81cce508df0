"""The Measure dashboard: the regional picture for analysts and ministries, in one page.

Staff sign in once on the Act sign-in page (``/act/login``): its HttpOnly, SameSite=Strict
cookie carries their API token to every staff page, this one included, and is checked
exactly as the API checks the Authorization header. Filters are plain GET parameters,
so a view is shared by sharing its address. Charts are drawn by the vendored Chart.js
from JSON embedded in the page; every chart has its table next to it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tangkal.access.roles import Principal, require
from tangkal.access.tokens import authenticate
from tangkal.errors import AuthenticationRequired, InvalidInput, PermissionDenied
from tangkal.measure.flows import KINDS
from tangkal.measure.privacy import hidden
from tangkal.measure.table import Figure, as_csv
from tangkal.measure.volumes import BY
from tangkal.vocabulary import ASEAN
from tangkal.web.auth import require_permission
from tangkal.web.forms import CHANNEL_LABELS
from tangkal.web.pages import render, render_error
from tangkal.web.routes.act_pages import TOKEN_COOKIE
from tangkal.web.routes.stats import audit_read, figure_for, wants_exact

__all__ = ["operations", "routes"]

HEAT_LEVELS = 5
FIGURE_NAMES = ("volumes", "flows", "networks", "action", "outcomes")


def _principal(request: Request) -> Principal:
    token = request.cookies.get(TOKEN_COOKIE)
    if not token:
        return require_permission(request, "stats:read")
    with request.app.state.store.read() as session:
        who = authenticate(session, token)
    require(who, "stats:read")
    return who


def _matrix(flows: Figure) -> dict[str, Any]:
    """Victim countries as rows, infrastructure countries as columns, with a heat level."""
    victims = flows.extra["victim_countries"]
    infra = flows.extra["infra_countries"]
    numeric = [r["reports"] for r in flows.rows if isinstance(r["reports"], int)]
    top = max(numeric, default=0)
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for r in flows.rows:
        n = r["reports"]
        level = (
            "s"
            if isinstance(n, str)
            else str(0 if not top else max(1, round(HEAT_LEVELS * n / top)))
        )
        cells[(r["victim_country"], r["infra_country"])] = {"n": n, "level": level}
    return {
        "infra": infra,
        "rows": [(v, [cells.get((v, i)) for i in infra]) for v in victims],
    }


def _series(volumes: Figure, limit: int = 6) -> dict[str, Any]:
    """Chart data: the largest ``limit`` keys over every period, suppressed cells as gaps."""
    keys = volumes.extra["keys"][:limit]
    periods = volumes.extra["periods"]
    index = {(r["period"], r["key"]): r for r in volumes.rows}

    def value(p: str, k: str, column: str) -> Any:
        row = index.get((p, k))
        if row is None:
            return 0
        v = row[column]
        return None if isinstance(v, str) or v is None else float(v)

    return {
        "periods": periods,
        "reports": [{"key": k, "data": [value(p, k, "reports") for p in periods]} for k in keys],
        "losses": [{"key": k, "data": [value(p, k, "loss_usd") for p in periods]} for k in keys],
    }


def _build(request: Request, who: Principal, exact: bool) -> dict[str, Any]:
    qp = request.query_params
    by = qp.get("by") or "typology"
    figures = {
        name: figure_for(
            request,
            who,
            name,
            exact=exact,
            audit=False,
            options={"by": by} if name == "volumes" else None,
        )
        for name in FIGURE_NAMES
    }
    totals = figure_for(request, who, "volumes", exact=exact, audit=False, options={"by": "total"})
    if exact:
        audit_read(request, who, "stats.exact", "dashboard", figures["volumes"].filters)
    return {
        "who": who,
        "f": figures,
        "totals": totals,
        "filters": figures["volumes"].filters,
        "by": by,
        "kind": qp.get("kind") or "any",
        "order": qp.get("order") or "victims",
        "exact": exact,
        "may_exact": who.org_country == request.app.state.settings.node_country,
        "min_count": request.app.state.settings.measure_min_count,
        "matrix": _matrix(figures["flows"]),
        "chart": _series(figures["volumes"]),
        "countries": ASEAN,
        "BY": BY,
        "KINDS": KINDS,
        "CHANNEL_LABELS": CHANNEL_LABELS,
        "query": request.url.query,
        # The CSV links carry the same filters; never ``exact``: a CSV is an export.
        "csv_query": urlencode([(k, v) for k, v in qp.multi_items() if k not in ("exact", "lang")]),
        "hidden": hidden,
    }


async def dashboard(request: Request) -> Response:
    try:
        who = _principal(request)
        exact = wants_exact(request, who)
    except AuthenticationRequired:
        return RedirectResponse("/act/login", status_code=303)
    except PermissionDenied:
        return render_error(request, 403, "You may not see this page.")
    try:
        context = await run_in_threadpool(_build, request, who, exact)
    except InvalidInput as exc:
        filters_error = {"field": exc.field, "detail": exc.detail}
        return render(
            request,
            "measure/dashboard.html",
            {
                "error": filters_error,
                "who": who,
                "countries": ASEAN,
                "BY": BY,
                "KINDS": KINDS,
                "by": "typology",
                "CHANNEL_LABELS": CHANNEL_LABELS,
                "query": "",
                "filters": None,
            },
            status=422,
        )
    return render(request, "measure/dashboard.html", context)


async def export_csv(request: Request) -> Response:
    """A figure as CSV from the dashboard (cookie sign-in); always suppressed: an export."""
    try:
        who = _principal(request)
    except AuthenticationRequired:
        return RedirectResponse("/act/login", status_code=303)
    except PermissionDenied:
        return render_error(request, 403, "You may not see this page.")
    name = request.path_params["figure"]
    try:
        figure = await run_in_threadpool(
            lambda: figure_for(request, who, name, exact=False, export=True)
        )
    except InvalidInput as exc:
        return render_error(request, 422, f"{exc.field}: {exc.detail}")
    return Response(
        as_csv(figure),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="tangkal-{name}.csv"'},
    )


routes = [
    Route("/dashboard", dashboard, methods=["GET"]),
    Route("/dashboard/{figure}.csv", export_csv, methods=["GET"]),
]
operations: list[Any] = []  # pages are for people; the API is /api/v1/stats

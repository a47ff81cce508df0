"""Networks: the API (list, one network with its graph, STIX) and the analyst pages.

Pages authenticate with the same API tokens as the API: an analyst pastes a token into
the sign-in form once, and it is kept in an HttpOnly, SameSite=Strict cookie scoped to
``/networks`` (Secure over HTTPS). The graph data is embedded in the page as JSON and
drawn by the vendored cytoscape.js, so the page fetches nothing and runs no inline script.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from tangkal.access.roles import Principal, require
from tangkal.access.tokens import authenticate
from tangkal.audit.log import record
from tangkal.errors import AuthenticationRequired, InvalidInput, NotFound, PermissionDenied
from tangkal.link.graph import MAX_NODES, network_graph
from tangkal.link.profile import network_profile
from tangkal.link.stix import network_to_stix
from tangkal.link.summary import list_networks, members_of, network_as_dict
from tangkal.vocabulary import check_country
from tangkal.web.auth import client_ip, require_permission
from tangkal.web.openapi import Operation
from tangkal.web.responses import json

__all__ = ["COOKIE", "operations", "routes"]

COOKIE = "tangkal_analyst"
MAX_LIMIT = 500
MAX_MEMBERS = 10_000
_TRUE = ("1", "true", "yes", "on")


def _int(request: Request, name: str, default: int, lo: int, hi: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput("must be an integer", field=name) from None
    if not lo <= value <= hi:
        raise InvalidInput(f"must be between {lo} and {hi}", field=name)
    return value


def _filters(request: Request) -> dict[str, Any]:
    qp = request.query_params
    country = qp.get("country")
    after = qp.get("after") or None
    if after is not None and not after.startswith("N-"):
        raise InvalidInput("a network id looks like N-ABCD2345", field="after")
    return {
        "cross_border": qp.get("cross_border", "").lower() in _TRUE,
        "country": check_country(country) if country else None,
        "min_reports": _int(request, "min_reports", 2, 1, 10**9),
        "limit": _int(request, "limit", 50, 1, MAX_LIMIT),
        "after": after,
    }


async def list_api(request: Request) -> Response:
    require_permission(request, "network:read")
    filters = _filters(request)
    with_members = request.query_params.get("members", "").lower() in _TRUE
    store = request.app.state.store
    cap = request.app.state.settings.link_degree_cap

    def run() -> dict[str, Any]:
        with store.read() as session:
            nets = list_networks(session, **filters)
            items = [network_as_dict(n) for n in nets]
            if with_members:
                members = members_of(session, [n["id"] for n in items], limit=MAX_MEMBERS)
                for item in items:
                    item["members"] = members[item["id"]]
        out: dict[str, Any] = {
            "items": items,
            "next_after": items[-1]["id"] if len(items) == filters["limit"] else None,
            "degree_cap": cap,
        }
        if cap <= 0:
            out["note"] = "TANGKAL_LINK_DEGREE_CAP is 0: no value links reports, so no networks"
        return out

    return json(await run_in_threadpool(run))


def _detail(request: Request, who: Principal, network_id: str, max_nodes: int) -> dict[str, Any]:
    with request.app.state.store.begin() as session:
        out = network_profile(session, network_id)
        out["graph"] = network_graph(session, network_id, max_nodes=max_nodes)
        # The graph names reports: reading it is a sensitive read, so it is audited.
        record(session, who.actor, "network.read", "network", network_id, remote=client_ip(request))
    return out


async def get_api(request: Request) -> Response:
    who = require_permission(request, "network:read")
    max_nodes = _int(request, "max_nodes", MAX_NODES, 1, MAX_NODES)
    nid = request.path_params["id"]
    return json(await run_in_threadpool(_detail, request, who, nid, max_nodes))


async def stix_api(request: Request) -> Response:
    who = require_permission(request, "network:read")
    nid = request.path_params["id"]
    settings = request.app.state.settings

    def run() -> dict[str, Any]:
        with request.app.state.store.begin() as session:
            out = network_to_stix(
                session, nid, node=settings.node_name, country=settings.node_country
            )
            record(session, who.actor, "network.export", "network", nid, remote=client_ip(request))
        return out

    return json(await run_in_threadpool(run))


# ---- analyst pages -------------------------------------------------------------------


def _page_principal(request: Request) -> Principal:
    token = request.cookies.get(COOKIE)
    if not token:
        return require_permission(request, "network:read")
    with request.app.state.store.read() as session:
        who = authenticate(session, token)
    require(who, "network:read")
    return who


def _render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    from tangkal.web.pages import render  # the pages module owns templates and headers

    return render(request, name, context, status=status)


async def _guarded(request: Request, build: Callable[[Principal], Awaitable[Response]]) -> Response:
    try:
        who = _page_principal(request)
    except AuthenticationRequired:
        target = quote(request.url.path, safe="/")
        return RedirectResponse(f"/networks/login?next={target}", status_code=303)
    except PermissionDenied:
        return _render(request, "link/denied.html", {}, status=403)
    try:
        return await build(who)
    except (InvalidInput, NotFound) as exc:
        return _render(request, "link/denied.html", {"message": exc.detail}, status=exc.status)


async def list_page(request: Request) -> Response:
    async def build(who: Principal) -> Response:
        filters = _filters(request)

        def run() -> list[dict[str, Any]]:
            with request.app.state.store.read() as session:
                return [network_as_dict(n) for n in list_networks(session, **filters)]

        items = await run_in_threadpool(run)
        return _render(request, "link/list.html", {"items": items, "filters": filters, "who": who})

    return await _guarded(request, build)


async def detail_page(request: Request) -> Response:
    async def build(who: Principal) -> Response:
        nid = request.path_params["id"]
        data = await run_in_threadpool(_detail, request, who, nid, MAX_NODES)
        return _render(request, "link/network.html", {"net": data, "who": who})

    return await _guarded(request, build)


def _safe_next(raw: str | None) -> str:
    # Only back to a network page of this node: never an open redirect.
    if raw and raw.startswith("/networks") and "//" not in raw and "\\" not in raw:
        return raw
    return "/networks"


async def login_form(request: Request) -> Response:
    nxt = _safe_next(request.query_params.get("next"))
    return _render(request, "link/login.html", {"next": nxt, "error": None})


async def login_submit(request: Request) -> Response:
    body = (await request.body())[:4096].decode("utf-8", "replace")
    form = dict(parse_qsl(body))
    token = form.get("token", "").strip()
    nxt = _safe_next(form.get("next"))
    try:
        if not token:
            raise AuthenticationRequired("paste your API token")
        with request.app.state.store.read() as session:
            who = authenticate(session, token)
        require(who, "network:read")
    except (AuthenticationRequired, PermissionDenied) as exc:
        return _render(request, "link/login.html", {"next": nxt, "error": exc.detail}, status=401)
    with request.app.state.store.begin() as session:
        record(
            session, who.actor, "network.login", "token", who.token_id, remote=client_ip(request)
        )
    response = RedirectResponse(nxt, status_code=303)
    response.set_cookie(
        COOKIE, token, max_age=8 * 3600, path="/networks", httponly=True, samesite="strict",
        secure=request.url.scheme == "https",
    )  # fmt: skip
    return response


async def logout(request: Request) -> Response:
    response = RedirectResponse("/networks/login", status_code=303)
    response.delete_cookie(COOKIE, path="/networks", httponly=True, samesite="strict")
    return response


routes = [
    Route("/api/v1/networks", list_api, methods=["GET"]),
    Route("/api/v1/networks/{id}", get_api, methods=["GET"]),
    Route("/api/v1/networks/{id}/stix", stix_api, methods=["GET"]),
    Route("/networks", list_page, methods=["GET"]),
    Route("/networks/login", login_form, methods=["GET"]),
    Route("/networks/login", login_submit, methods=["POST"]),
    Route("/networks/logout", logout, methods=["POST"]),
    Route("/networks/{id}", detail_page, methods=["GET"]),
]

_FILTERS = (
    (
        "cross_border",
        "query",
        False,
        "1: only networks with victims or infrastructure in ≥2 countries",
    ),
    ("country", "query", False, "Only networks with victims in this ISO country"),
    ("min_reports", "query", False, "Smallest network size (default 2)"),
    ("limit", "query", False, "1–500 (default 50)"),
    ("after", "query", False, "Paging cursor: next_after of the previous page"),
    ("members", "query", False, "1: add the report ids of each network (at most 10,000)"),
)
operations = [
    Operation(
        "GET", "/api/v1/networks", "Scam networks, largest first", "networks",
        permission="network:read", params=_FILTERS,
    ),
    Operation(
        "GET", "/api/v1/networks/{id}", "One network: profile and graph (audited)", "networks",
        permission="network:read",
        params=(("id", "path", True, "Network id, N-…"),
                ("max_nodes", "query", False, f"Graph node cap, 1–{MAX_NODES}")),
        responses={"200": "OK", "404": "No such network"},
    ),
    Operation(
        "GET", "/api/v1/networks/{id}/stix", "One network as a STIX 2.1 bundle (grouping)",
        "networks", permission="network:read", params=(("id", "path", True, "Network id"),),
        responses={"200": "OK", "404": "No such network"},
    ),
]  # fmt: skip

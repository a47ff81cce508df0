"""Act pages: the case board and request inbox/outbox of an organisation, the public dispute
form and the victim's status page. Server-rendered, no script.

Staff sign in by pasting their API token once; it is kept in an HttpOnly, SameSite=Strict
cookie and checked on every page exactly as the API checks the Authorization header.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from tangkal.access.models import Organisation
from tangkal.access.roles import Principal
from tangkal.access.tokens import authenticate
from tangkal.act import cases, disputes, requests, victim_status
from tangkal.act.casefile import case_dict, case_file, request_dict
from tangkal.errors import (
    AuthenticationRequired,
    InvalidInput,
    NotFound,
    PermissionDenied,
    RateLimited,
)
from tangkal.web.auth import client_ip
from tangkal.web.forms import CsrfSigner, node_secret
from tangkal.web.pages import render, render_error
from tangkal.web.routes.act._shared import _clock, _write

__all__ = ["operations", "routes"]

TOKEN_COOKIE = "tangkal_act_token"
CSRF_COOKIE = "tangkal_act_csrf"
FORM_LIMIT = 64 * 1024


def _who(session: Any, request: Request) -> Principal:
    token = request.cookies.get(TOKEN_COOKIE)
    if not token:
        raise AuthenticationRequired("sign in first")
    return authenticate(session, token)


def _csrf(request: Request) -> CsrfSigner:
    return CsrfSigner(node_secret(request.app.state.settings))


def _with_csrf(request: Request, build: Callable[[str], Response]) -> Response:
    cookie = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    response = build(_csrf(request).issue(cookie))
    response.set_cookie(CSRF_COOKIE, cookie, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")  # fmt: skip
    return response


async def _form(request: Request) -> dict[str, str]:
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > FORM_LIMIT:
            raise InvalidInput("form too large", field="body")
    try:
        form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=30))
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput("the form could not be read", field="body") from None
    if not _csrf(request).valid(form.get("csrf", ""), request.cookies.get(CSRF_COOKIE, "")):
        raise PermissionDenied("the form expired; reload the page")
    return form


def _org_names(session: Any) -> dict[int, str]:
    return dict(session.execute(select(Organisation.id, Organisation.name)).all())


def _staff_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, AuthenticationRequired):
        return RedirectResponse("/act/login", status_code=303)
    if isinstance(exc, NotFound):
        return render_error(request, 404, "Not found.")
    return render_error(request, 403, "You may not see this page.")


# ---- staff -----------------------------------------------------------------------------


async def login_form(request: Request) -> Response:
    return _with_csrf(request, lambda csrf: render(request, "act/login.html",
                                                   {"csrf": csrf, "error": None}))  # fmt: skip


async def login(request: Request) -> Response:
    try:
        form = await _form(request)
        token = form.get("token", "").strip()
        await _write(request, lambda s: authenticate(s, token))
    except (InvalidInput, PermissionDenied, AuthenticationRequired):
        return _with_csrf(request, lambda csrf: render(
            request, "act/login.html", {"csrf": csrf, "error": "That token was not accepted."},
            status=401))  # fmt: skip
    response = RedirectResponse("/act/cases", status_code=303)
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")  # fmt: skip
    return response


async def board(request: Request) -> Response:
    """The case board: every case the organisation was invited to, with its requests."""
    clock = _clock(request)

    def build(s: Any) -> dict[str, Any]:
        who = _who(s, request)
        rows = []
        for case in cases.list_cases(s, who):
            reqs = [request_dict(r, clock) for r in requests.visible_requests(s, who, case.id)]
            rows.append({**case_dict(s, case), "requests": reqs,
                         "overdue": sum(r["acknowledge_overdue"] or r["execute_overdue"]
                                        for r in reqs)})  # fmt: skip
        return {"who": who, "cases": rows}

    try:
        context = await _write(request, build)
    except (AuthenticationRequired, PermissionDenied) as exc:
        return _staff_error(request, exc)
    return render(request, "act/board.html", context)


async def case_page(request: Request) -> Response:
    clock = _clock(request)
    try:
        case_id = int(request.path_params["id"])
    except ValueError:
        return render_error(request, 404, "Not found.")

    def build(s: Any) -> dict[str, Any]:
        who = _who(s, request)
        case = cases.get_case(s, who, case_id, remote=client_ip(request))
        data = case_file(s, case, requests.visible_requests(s, who, case_id), clock)
        return {"who": who, "file": data, "orgs": _org_names(s)}

    try:
        context = await _write(request, build)
    except (AuthenticationRequired, PermissionDenied, NotFound) as exc:
        return _staff_error(request, exc)
    return render(request, "act/case.html", context)


async def inbox(request: Request) -> Response:
    """Requests addressed to the organisation (inbox) and sent by it (outbox)."""
    clock = _clock(request)

    def build(s: Any) -> dict[str, Any]:
        who = _who(s, request)
        return {
            "who": who, "orgs": _org_names(s),
            "inbox": [request_dict(r, clock) for r in requests.list_requests(s, who, "inbox")],
            "outbox": [request_dict(r, clock) for r in requests.list_requests(s, who, "outbox")],
        }  # fmt: skip

    try:
        context = await _write(request, build)
    except (AuthenticationRequired, PermissionDenied) as exc:
        return _staff_error(request, exc)
    return render(request, "act/requests.html", context)


# ---- public ------------------------------------------------------------------------------

_DISPUTE_FIELDS = ("value", "claimant_name", "claimant_contact", "statement")


async def dispute_form(request: Request) -> Response:
    return _with_csrf(request, lambda csrf: render(
        request, "act/dispute.html", {"csrf": csrf, "values": {}, "error": None}))  # fmt: skip


async def dispute_submit(request: Request) -> Response:
    try:
        request.app.state.limiter.hit(client_ip(request))
        form = await _form(request)
    except RateLimited:
        return render_error(request, 429, "Too many requests; try again in a minute.")
    except (InvalidInput, PermissionDenied):
        return render_error(request, 400, "The form expired or could not be read; reload it.")
    values = {k: form.get(k, "") for k in _DISPUTE_FIELDS}
    try:
        dispute = await _write(request, lambda s: disputes.file_dispute(
            s, values["value"], claimant_name=values["claimant_name"],
            claimant_contact=values["claimant_contact"], statement=values["statement"],
            remote=client_ip(request)))  # fmt: skip
    except InvalidInput as exc:
        error = {"field": exc.field, "detail": exc.detail}
        return _with_csrf(request, lambda csrf: render(
            request, "act/dispute.html", {"csrf": csrf, "values": values, "error": error},
            status=422))  # fmt: skip
    return render(request, "act/dispute_done.html", {"reference": dispute.reference}, status=201)


def _status_language(request: Request) -> str | None:
    for lang in (request.query_params.get("lang"), request.cookies.get("tangkal_lang")):
        if lang in victim_status.LANGUAGES:
            return lang
    return None


async def status_page(request: Request) -> Response:
    """The victim's private page: milestones of their own report, in their language."""
    try:
        request.app.state.limiter.hit(client_ip(request))
    except RateLimited:
        return render_error(request, 429, "Too many requests; try again in a minute.")
    reference = request.path_params["reference"]
    try:
        lang, steps = await _write(request, lambda s: victim_status.victim_status(
            s, reference, request.query_params.get("k", ""), _status_language(request),
            remote=client_ip(request)))  # fmt: skip
    except NotFound:
        return render_error(request, 404, "No report with this reference and key.")
    return render(request, "act/status.html",
                  {"reference": reference.upper(), "steps": steps, "status_lang": lang})  # fmt: skip


routes: list[BaseRoute] = [
    Route("/act/login", login_form, methods=["GET"]),
    Route("/act/login", login, methods=["POST"]),
    Route("/act/cases", board, methods=["GET"]),
    Route("/act/cases/{id}", case_page, methods=["GET"]),
    Route("/act/requests", inbox, methods=["GET"]),
    Route("/dispute", dispute_form, methods=["GET"]),
    Route("/dispute", dispute_submit, methods=["POST"]),
    Route("/status/{reference}", status_page, methods=["GET"]),
]
operations: list[Any] = []  # pages are for people; the API description lists none of them

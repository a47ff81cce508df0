"""Act API, cross-border requests: list, create, show, move, record a return, the document."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from tangkal.act import documents, requests
from tangkal.act.casefile import request_dict
from tangkal.act.models import RequestEvent
from tangkal.audit.log import record
from tangkal.errors import InvalidInput
from tangkal.web.auth import client_ip, require_permission
from tangkal.web.responses import json
from tangkal.web.routes.act._shared import (
    Endpoint,
    _clock,
    _courier,
    _endpoints,
    _id,
    _int,
    _object,
    _write,
)

__all__ = ["operations", "routes"]

_REQUEST_FIELDS = {
    "case_id",
    "type",
    "requested_org_id",
    "legal_basis",
    "facts",
    "subjects",
    "currency",
    "amount_requested",
    "language",
}


async def list_requests(request: Request) -> Response:
    who = require_permission(request, "request:read")
    box = request.query_params.get("box", "all")
    clock = _clock(request)
    items = await _write(
        request, lambda s: [request_dict(r, clock) for r in requests.list_requests(s, who, box)]
    )
    return json({"items": items})


async def create_request(request: Request) -> Response:
    who = require_permission(request, "request:create")
    body = await _object(request, _REQUEST_FIELDS, {"case_id", "type", "requested_org_id"})
    case_id = _int(body["case_id"], "case_id")
    org_id = _int(body["requested_org_id"], "requested_org_id")
    for name in ("legal_basis", "facts", "currency", "language"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise InvalidInput("must be a string", field=name)
    clock = _clock(request)

    def run(s: Any) -> dict[str, Any]:
        req = requests.create_request(
            s,
            who,
            case_id,
            str(body["type"]),
            org_id,
            legal_basis=body.get("legal_basis") or "",
            facts=body.get("facts") or "",
            subjects=body.get("subjects") or [],
            currency=body.get("currency"),
            amount_requested=body.get("amount_requested"),
            language=body.get("language") or "en",
            clock=clock,
            remote=client_ip(request),
        )
        return request_dict(req, clock)

    return json(await _write(request, run), status=201)


async def show_request(request: Request) -> Response:
    who = require_permission(request, "request:read")
    request_id = _id(request, "id")
    clock = _clock(request)

    def run(s: Any) -> dict[str, Any]:
        req = requests.get_request(s, who, request_id, remote=client_ip(request))
        history = [
            {
                "from": e.from_status,
                "to": e.to_status,
                "actor": e.actor,
                "reason": e.reason,
                "details": e.details,
                "at": e.at.isoformat(),
            }
            for e in s.scalars(
                select(RequestEvent)
                .where(RequestEvent.request_id == request_id)
                .order_by(RequestEvent.id)
            )
        ]
        return {**request_dict(req, clock), "history": history}

    return json(await _write(request, run))


async def move_request(request: Request) -> Response:
    who = require_permission(request, "request:read")
    request_id = _id(request, "id")
    body = await _object(request, {"action", "reason", "amount_frozen"}, {"action"})
    if body.get("reason") is not None and not isinstance(body["reason"], str):
        raise InvalidInput("must be a string", field="reason")
    clock = _clock(request)
    deadlines = requests.load_deadlines(request.app.state.settings.data_dir)

    def run(s: Any) -> dict[str, Any]:
        req = requests.transition(
            s,
            who,
            request_id,
            str(body["action"]),
            reason=body.get("reason"),
            amount_frozen=body.get("amount_frozen"),
            clock=clock,
            deadlines=deadlines,
            remote=client_ip(request),
            courier=_courier(request),
        )
        return request_dict(req, clock)

    return json(await _write(request, run))


async def record_return(request: Request) -> Response:
    who = require_permission(request, "request:act")
    request_id = _id(request, "id")
    body = await _object(request, {"amount"}, {"amount"})
    clock, courier = _clock(request), _courier(request)

    def run(s: Any) -> dict[str, Any]:
        req = requests.record_return(s, who, request_id, body["amount"], clock=clock,
                                     remote=client_ip(request), courier=courier)  # fmt: skip
        return request_dict(req, clock)

    return json(await _write(request, run))


async def request_document(request: Request) -> Response:
    who = require_permission(request, "request:read")
    request_id = _id(request, "id")
    lang = request.query_params.get("lang")
    if lang is not None and lang not in documents.LANGUAGES:
        raise InvalidInput(f"must be one of: {', '.join(documents.LANGUAGES)}", field="lang")
    fmt = request.query_params.get("format", "html")
    if fmt not in ("html", "pdf"):
        raise InvalidInput("must be html or pdf", field="format")

    def run(s: Any) -> documents.Document:
        req = requests.get_request(s, who, request_id, audit=False)
        record(
            s,
            who.actor,
            "request.document",
            "request",
            request_id,
            remote=client_ip(request),
            details={"lang": lang, "format": fmt},
        )
        return documents.render(s, req, lang)

    doc = await _write(request, run)
    if fmt == "pdf":
        return Response(
            doc.pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{doc.name}.pdf"'},
        )
    return Response(doc.html, media_type="text/html; charset=utf-8")


# (method, path, handler, summary, permission or None for public)
_ENDPOINTS: list[Endpoint] = [
    ("GET", "/api/v1/requests", list_requests, "Request inbox / outbox (?box=)", "request:read"),
    ("POST", "/api/v1/requests", create_request, "Draft a cross-border request", "request:create"),
    ("GET", "/api/v1/requests/{id}", show_request, "A request and its history", "request:read"),
    ("POST", "/api/v1/requests/{id}/transitions", move_request, "Move a request {action}", "request:read"),
    ("POST", "/api/v1/requests/{id}/returns", record_return, "Record funds returned {amount}", "request:act"),
    ("GET", "/api/v1/requests/{id}/document", request_document, "Formal document (?lang, ?format)", "request:read"),
]  # fmt: skip
routes, operations = _endpoints(_ENDPOINTS, created={"POST /api/v1/requests"})

"""Act API: cases, cross-border requests, documents, evidence packages, disputes, metrics.

Thin by design: each handler checks the body's shape, opens one transaction, calls the act
domain and renders JSON. Every rule (who sees what, which step is legal) lives in the domain.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tangkal.act import cases, disputes, documents, evidence, metrics, requests, victim_status
from tangkal.act.casefile import case_dict, case_file, dispute_dict, request_dict
from tangkal.act.clock import Clock, SystemClock
from tangkal.act.federation import Courier, HttpCourier, apply_step, receive_request
from tangkal.act.models import RequestEvent
from tangkal.audit.log import record
from tangkal.errors import InvalidInput, PayloadTooLarge
from tangkal.share.peers import node_key
from tangkal.store import Store
from tangkal.web.auth import client_ip, require_permission
from tangkal.web.body import json_body
from tangkal.web.openapi import Operation
from tangkal.web.responses import json

__all__ = ["operations", "routes"]

T = TypeVar("T")


async def _write(request: Request, fn: Callable[[Any], T]) -> T:
    store: Store = request.app.state.store

    def run() -> T:
        with store.begin() as session:
            return fn(session)

    return await run_in_threadpool(run)


def _clock(request: Request) -> Clock:
    clock: Clock = getattr(request.app.state, "clock", None) or SystemClock()
    return clock


def _courier(request: Request) -> Courier:
    """The app's courier (tests may set one), else HTTP with the node's peer key."""
    state = request.app.state
    courier: Courier | None = getattr(state, "courier", None)
    if courier is None:
        courier = state.courier = HttpCourier(lambda: node_key(state.settings))
    return courier


def _id(request: Request, name: str) -> int:
    try:
        return int(request.path_params[name])
    except ValueError:
        raise InvalidInput("must be an integer", field=name) from None


async def _object(request: Request, allowed: set[str], required: set[str]) -> dict[str, Any]:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise InvalidInput("expected a JSON object", field="body")
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r}", field=unknown[0])
    for name in sorted(required):
        if body.get(name) in (None, ""):
            raise InvalidInput("is required", field=name)
    return body


def _int(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("must be an integer", field=field)
    return value


# ---- cases -----------------------------------------------------------------------------


async def list_cases(request: Request) -> Response:
    who = require_permission(request, "case:read")
    items = await _write(request, lambda s: [case_dict(s, c) for c in cases.list_cases(s, who)])
    return json({"items": items})


async def open_case(request: Request) -> Response:
    who = require_permission(request, "case:open")
    body = await _object(request, {"title", "summary", "network_id", "report_ids"}, {"title"})
    report_ids = body.get("report_ids") or []
    if not isinstance(report_ids, list):
        raise InvalidInput("must be a list of report ids", field="report_ids")
    ids = [_int(i, "report_ids") for i in report_ids]

    def run(s: Any) -> dict[str, Any]:
        case = cases.open_case(
            s,
            who,
            body["title"],
            summary=body.get("summary") or "",
            network_id=body.get("network_id"),
            report_ids=ids,
            remote=client_ip(request),
        )
        return case_dict(s, case)

    return json(await _write(request, run), status=201)


async def show_case(request: Request) -> Response:
    who = require_permission(request, "case:read")
    case_id = _id(request, "id")
    clock = _clock(request)

    def run(s: Any) -> dict[str, Any]:
        case = cases.get_case(s, who, case_id, remote=client_ip(request))
        return case_file(s, case, requests.visible_requests(s, who, case_id), clock)

    return json(await _write(request, run))


async def invite(request: Request) -> Response:
    who = require_permission(request, "case:write")
    case_id = _id(request, "id")
    body = await _object(request, {"org_id"}, {"org_id"})
    org_id = _int(body["org_id"], "org_id")
    await _write(
        request, lambda s: cases.invite(s, who, case_id, org_id, remote=client_ip(request))
    )
    return json({"case_id": case_id, "org_id": org_id}, status=201)


async def add_note(request: Request) -> Response:
    who = require_permission(request, "case:write")
    case_id = _id(request, "id")
    body = await _object(request, {"body"}, {"body"})
    note = await _write(
        request, lambda s: cases.add_note(s, who, case_id, body["body"], remote=client_ip(request))
    )
    return json({"id": note.id, "case_id": case_id}, status=201)


async def add_task(request: Request) -> Response:
    who = require_permission(request, "case:write")
    case_id = _id(request, "id")
    body = await _object(request, {"title", "assignee_org_id", "due_at"}, {"title"})
    assignee = body.get("assignee_org_id")
    assignee = None if assignee is None else _int(assignee, "assignee_org_id")
    due = None
    if body.get("due_at") is not None:
        try:
            due = dt.datetime.fromisoformat(str(body["due_at"]))
        except ValueError:
            raise InvalidInput("must be an ISO 8601 date-time", field="due_at") from None
        due = due if due.tzinfo else due.replace(tzinfo=dt.UTC)
    task = await _write(
        request,
        lambda s: cases.add_task(
            s,
            who,
            case_id,
            body["title"],
            assignee_org_id=assignee,
            due_at=due,
            remote=client_ip(request),
        ),
    )
    return json({"id": task.id, "case_id": case_id, "status": task.status}, status=201)


async def complete_task(request: Request) -> Response:
    who = require_permission(request, "case:write")
    case_id, task_id = _id(request, "id"), _id(request, "task_id")
    task = await _write(
        request, lambda s: cases.complete_task(s, who, case_id, task_id, remote=client_ip(request))
    )
    return json({"id": task.id, "status": task.status})


async def upload_evidence(request: Request) -> Response:
    """Raw body upload (``?filename=``), refused with 413 as soon as it passes the limit."""
    who = require_permission(request, "case:write")
    case_id = _id(request, "id")
    settings = request.app.state.settings
    limit = min(cases.MAX_ATTACHMENT_BYTES, settings.max_body_bytes)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"attachment over the {limit}-byte limit", field="file")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"attachment over the {limit}-byte limit", field="file")
        chunks.append(chunk)
    filename = request.query_params.get("filename", "")
    ctype = request.headers.get("content-type", "application/octet-stream")
    row = await _write(
        request,
        lambda s: cases.add_evidence(
            s,
            who,
            case_id,
            filename,
            b"".join(chunks),
            data_dir=settings.data_dir,
            content_type=ctype,
            max_bytes=limit,
            remote=client_ip(request),
        ),
    )
    return json(
        {"id": row.id, "filename": row.filename, "size": row.size, "sha256": row.sha256}, status=201
    )


async def download_evidence(request: Request) -> Response:
    who = require_permission(request, "case:read")
    case_id, ev_id = _id(request, "id"), _id(request, "evidence_id")
    data_dir = request.app.state.settings.data_dir

    def run(s: Any) -> tuple[bytes, str, str]:
        row, content = cases.read_evidence(s, who, case_id, ev_id, data_dir=data_dir,
                                           remote=client_ip(request))  # fmt: skip
        return content, row.content_type, row.filename

    content, ctype, name = await _write(request, run)
    return Response(
        content, media_type=ctype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


async def export_case(request: Request) -> Response:
    who = require_permission(request, "case:read")
    case_id = _id(request, "id")
    settings = request.app.state.settings
    pkg = await _write(
        request,
        lambda s: evidence.export_case(
            s,
            who,
            case_id,
            data_dir=settings.data_dir,
            node=settings.node_name,
            country=settings.node_country,
            remote=client_ip(request),
        ),
    )
    return Response(
        pkg.data,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="case-{case_id}.zip"',
            "X-Tangkal-Key-Fingerprint": pkg.fingerprint,
        },
    )


async def network_amounts(request: Request) -> Response:
    require_permission(request, "network:read")
    network_id = request.path_params["network_id"]
    sums = await _write(request, lambda s: cases.network_amounts(s, network_id))
    return json(
        {
            "network_id": network_id,
            "amounts": {c: {k: str(v) for k, v in a.items()} for c, a in sums.items()},
        }
    )


# ---- requests --------------------------------------------------------------------------

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


# ---- disputes, victim status, metrics ----------------------------------------------------

_DISPUTE_FIELDS = {
    "value",
    "kind",
    "country",
    "claimant_name",
    "claimant_contact",
    "statement",
    "type",
    "request_id",
    "language",
}


async def file_dispute(request: Request) -> Response:
    """Public: the owner of a flagged value asks for it to be reviewed."""
    request.app.state.limiter.hit(client_ip(request))
    body = await _object(
        request, _DISPUTE_FIELDS, {"value", "claimant_name", "claimant_contact", "statement"}
    )
    request_id = body.get("request_id")
    request_id = None if request_id is None else _int(request_id, "request_id")

    def run(s: Any) -> dict[str, Any]:
        d = disputes.file_dispute(
            s,
            body["value"],
            kind=body.get("kind"),
            country=body.get("country"),
            claimant_name=body["claimant_name"],
            claimant_contact=body["claimant_contact"],
            statement=body["statement"],
            type=body.get("type") or "delisting",
            request_id=request_id,
            language=str(body.get("language") or "en"),
            remote=client_ip(request),
        )
        return {"reference": d.reference, "status": d.status}

    return json(await _write(request, run), status=201)


async def list_disputes(request: Request) -> Response:
    who = require_permission(request, "dispute:resolve")
    status = request.query_params.get("status", "open")
    items = await _write(
        request,
        lambda s: [
            dispute_dict(d)
            for d in disputes.list_disputes(s, who, None if status == "all" else status)
        ],
    )
    return json({"items": items})


async def resolve_dispute(request: Request) -> Response:
    who = require_permission(request, "dispute:resolve")
    dispute_id = _id(request, "id")
    body = await _object(request, {"outcome", "reason"}, {"outcome", "reason"})
    d = await _write(
        request,
        lambda s: dispute_dict(
            disputes.resolve_dispute(
                s, who, dispute_id, str(body["outcome"]), body["reason"], remote=client_ip(request)
            )
        ),
    )
    return json(d)


async def status(request: Request) -> Response:
    """Public JSON twin of the victim's status page."""
    request.app.state.limiter.hit(client_ip(request))
    reference = request.path_params["reference"]
    secret = request.query_params.get("k", "")
    lang = request.query_params.get("lang")
    language, steps = await _write(
        request,
        lambda s: victim_status.victim_status(
            s, reference, secret, lang, remote=client_ip(request)
        ),
    )
    return json(
        {
            "reference": reference.upper(),
            "language": language,
            "steps": [
                {
                    "step": st.step,
                    "done": st.done,
                    "at": st.at.isoformat() if st.at else None,
                    "text": st.text,
                }
                for st in steps
            ],
        }
    )


async def response_times(request: Request) -> Response:
    require_permission(request, "stats:read")

    def run(s: Any) -> dict[str, Any]:
        return {
            "items": metrics.response_times(s),
            "disputes_upheld_share": disputes.upheld_share(s),
        }

    store: Store = request.app.state.store

    def read() -> dict[str, Any]:
        with store.read() as session:
            return run(session)

    return json(await run_in_threadpool(read))


# ---- federation: peers deliver requests and steps ----------------------------------------


async def federation_receive(request: Request) -> Response:
    who = require_permission(request, "request:federate")
    body = await json_body(request)
    if not isinstance(body, dict):
        raise InvalidInput("expected a JSON object", field="body")
    deadlines = requests.load_deadlines(request.app.state.settings.data_dir)
    clock = _clock(request)
    req = await _write(request, lambda s: request_dict(receive_request(
        s, who, body, deadlines=deadlines, clock=clock, remote=client_ip(request)), clock))  # fmt: skip
    return json(req, status=201)


async def federation_step(request: Request) -> Response:
    who = require_permission(request, "request:federate")
    request_id = _id(request, "id")
    body = await json_body(request)
    if not isinstance(body, dict):
        raise InvalidInput("expected a JSON object", field="body")
    clock = _clock(request)
    req = await _write(request, lambda s: request_dict(apply_step(
        s, who, request_id, body, clock=clock, remote=client_ip(request)), clock))  # fmt: skip
    return json(req)


routes = [
    Route("/api/v1/cases", list_cases, methods=["GET"]),
    Route("/api/v1/cases", open_case, methods=["POST"]),
    Route("/api/v1/cases/{id}", show_case, methods=["GET"]),
    Route("/api/v1/cases/{id}/members", invite, methods=["POST"]),
    Route("/api/v1/cases/{id}/notes", add_note, methods=["POST"]),
    Route("/api/v1/cases/{id}/tasks", add_task, methods=["POST"]),
    Route("/api/v1/cases/{id}/tasks/{task_id}/done", complete_task, methods=["POST"]),
    Route("/api/v1/cases/{id}/evidence", upload_evidence, methods=["POST"]),
    Route("/api/v1/cases/{id}/evidence/{evidence_id}", download_evidence, methods=["GET"]),
    Route("/api/v1/cases/{id}/export", export_case, methods=["GET"]),
    Route("/api/v1/networks/{network_id}/amounts", network_amounts, methods=["GET"]),
    Route("/api/v1/requests", list_requests, methods=["GET"]),
    Route("/api/v1/requests", create_request, methods=["POST"]),
    Route("/api/v1/requests/{id}", show_request, methods=["GET"]),
    Route("/api/v1/requests/{id}/transitions", move_request, methods=["POST"]),
    Route("/api/v1/requests/{id}/returns", record_return, methods=["POST"]),
    Route("/api/v1/requests/{id}/document", request_document, methods=["GET"]),
    Route("/api/v1/disputes", file_dispute, methods=["POST"]),
    Route("/api/v1/disputes", list_disputes, methods=["GET"]),
    Route("/api/v1/disputes/{id}/resolution", resolve_dispute, methods=["POST"]),
    Route("/api/v1/status/{reference}", status, methods=["GET"]),
    Route("/api/v1/metrics/response-times", response_times, methods=["GET"]),
    Route("/api/v1/federation/requests", federation_receive, methods=["POST"]),
    Route("/api/v1/federation/requests/{id}/steps", federation_step, methods=["POST"]),
]

# (method, path, summary, permission or None for public)
_OPERATIONS = [
    ("GET", "/api/v1/cases", "Cases your organisation was invited to", "case:read"),
    ("POST", "/api/v1/cases", "Open a case from a network or reports", "case:open"),
    ("GET", "/api/v1/cases/{id}", "A case file (404 unless invited)", "case:read"),
    ("POST", "/api/v1/cases/{id}/members", "Invite an organisation {org_id}", "case:write"),
    ("POST", "/api/v1/cases/{id}/notes", "Add a note {body}", "case:write"),
    ("POST", "/api/v1/cases/{id}/tasks", "Add a task {title, assignee_org_id?}", "case:write"),
    ("POST", "/api/v1/cases/{id}/tasks/{task_id}/done", "Complete a task", "case:write"),
    ("POST", "/api/v1/cases/{id}/evidence", "Upload an attachment (?filename=)", "case:write"),
    ("GET", "/api/v1/cases/{id}/evidence/{evidence_id}", "Download an attachment", "case:read"),
    ("GET", "/api/v1/cases/{id}/export", "Signed evidence package (zip)", "case:read"),
    ("GET", "/api/v1/networks/{network_id}/amounts", "Amounts over a network", "network:read"),
    ("GET", "/api/v1/requests", "Request inbox / outbox (?box=)", "request:read"),
    ("POST", "/api/v1/requests", "Draft a cross-border request", "request:create"),
    ("GET", "/api/v1/requests/{id}", "A request and its history", "request:read"),
    ("POST", "/api/v1/requests/{id}/transitions", "Move a request {action}", "request:read"),
    ("POST", "/api/v1/requests/{id}/returns", "Record funds returned {amount}", "request:act"),
    ("GET", "/api/v1/requests/{id}/document", "Formal document (?lang, ?format)", "request:read"),
    ("POST", "/api/v1/disputes", "Dispute a flagged value", None),
    ("GET", "/api/v1/disputes", "Disputes to resolve (?status=)", "dispute:resolve"),
    ("POST", "/api/v1/disputes/{id}/resolution", "Uphold, delist or allowlist", "dispute:resolve"),
    ("GET", "/api/v1/status/{reference}", "A victim's report status (?k=secret)", None),
    ("GET", "/api/v1/metrics/response-times", "Median time to act", "stats:read"),
    ("POST", "/api/v1/federation/requests", "A peer delivers a request", "request:federate"),
    ("POST", "/api/v1/federation/requests/{id}/steps", "A peer reports a step", "request:federate"),
]
_CREATED = {
    "POST /api/v1/cases", "POST /api/v1/requests", "POST /api/v1/disputes",
    "POST /api/v1/federation/requests",
}  # fmt: skip
operations = [
    Operation(
        method, path, summary, "act", perm,
        params=tuple((name, "path", True, name) for name in re.findall(r"{(\w+)}", path)),
        responses={"201": "Created"} if f"{method} {path}" in _CREATED else {"200": "OK"},
    )
    for method, path, summary, perm in _OPERATIONS
]  # fmt: skip

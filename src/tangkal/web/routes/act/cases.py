"""Act API, cases: list, open, show, invite, notes, tasks, evidence, export, network amounts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from tangkal.act import cases, evidence, requests
from tangkal.act.casefile import case_dict, case_file
from tangkal.errors import InvalidInput, PayloadTooLarge
from tangkal.web.auth import client_ip, require_permission
from tangkal.web.responses import json
from tangkal.web.routes.act._shared import Endpoint, _clock, _endpoints, _id, _int, _object, _write

__all__ = ["operations", "routes"]


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


# (method, path, handler, summary, permission or None for public)
_ENDPOINTS: list[Endpoint] = [
    ("GET", "/api/v1/cases", list_cases, "Cases your organisation was invited to", "case:read"),
    ("POST", "/api/v1/cases", open_case, "Open a case from a network or reports", "case:open"),
    ("GET", "/api/v1/cases/{id}", show_case, "A case file (404 unless invited)", "case:read"),
    ("POST", "/api/v1/cases/{id}/members", invite, "Invite an organisation {org_id}", "case:write"),
    ("POST", "/api/v1/cases/{id}/notes", add_note, "Add a note {body}", "case:write"),
    ("POST", "/api/v1/cases/{id}/tasks", add_task, "Add a task {title, assignee_org_id?}", "case:write"),
    ("POST", "/api/v1/cases/{id}/tasks/{task_id}/done", complete_task, "Complete a task", "case:write"),
    ("POST", "/api/v1/cases/{id}/evidence", upload_evidence, "Upload an attachment (?filename=)", "case:write"),
    ("GET", "/api/v1/cases/{id}/evidence/{evidence_id}", download_evidence, "Download an attachment", "case:read"),
    ("GET", "/api/v1/cases/{id}/export", export_case, "Signed evidence package (zip)", "case:read"),
    ("GET", "/api/v1/networks/{network_id}/amounts", network_amounts, "Amounts over a network", "network:read"),
]  # fmt: skip
routes, operations = _endpoints(_ENDPOINTS, created={"POST /api/v1/cases"})

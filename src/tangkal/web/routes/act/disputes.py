"""Act API, disputes (public filing, resolution), the victim's status and response-time metrics."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from tangkal.act import disputes, metrics, victim_status
from tangkal.act.casefile import dispute_dict
from tangkal.store import Store
from tangkal.web.auth import client_ip, require_permission
from tangkal.web.responses import json
from tangkal.web.routes.act._shared import Endpoint, _endpoints, _id, _int, _object, _write

__all__ = ["operations", "routes"]

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


# (method, path, handler, summary, permission or None for public)
_ENDPOINTS: list[Endpoint] = [
    ("POST", "/api/v1/disputes", file_dispute, "Dispute a flagged value", None),
    ("GET", "/api/v1/disputes", list_disputes, "Disputes to resolve (?status=)", "dispute:resolve"),
    ("POST", "/api/v1/disputes/{id}/resolution", resolve_dispute, "Uphold, delist or allowlist", "dispute:resolve"),
    ("GET", "/api/v1/status/{reference}", status, "A victim's report status (?k=secret)", None),
    ("GET", "/api/v1/metrics/response-times", response_times, "Median time to act", "stats:read"),
]  # fmt: skip
routes, operations = _endpoints(_ENDPOINTS, created={"POST /api/v1/disputes"})

"""Federation read endpoints: "seen elsewhere?" for peers, provenance of a value for staff."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tangkal.audit.log import record
from tangkal.errors import InvalidInput
from tangkal.report.normalize import normalize
from tangkal.share.seen import MAX_TOKENS, answer, check_question
from tangkal.share.sync import provenance
from tangkal.vocabulary import check_country
from tangkal.web.auth import client_ip, require_permission
from tangkal.web.body import json_body
from tangkal.web.openapi import Operation
from tangkal.web.responses import json

__all__ = ["operations", "routes"]


async def seen_post(request: Request) -> Response:
    who = require_permission(request, "seen:query")
    body = await json_body(request)
    if not isinstance(body, dict):
        raise InvalidInput('expected a JSON object {"epoch", "tokens"}', field="body")
    unknown = sorted(set(body) - {"epoch", "tokens"})
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r}", field=unknown[0])
    epoch, tokens = check_question(body.get("epoch"), body.get("tokens"))
    state = request.app.state
    settings = state.settings

    def run() -> dict[str, Any]:
        with state.store.begin() as session:
            found = answer(
                session, who, epoch, tokens, regional_secret=settings.regional_secret,
                home_country=settings.node_country, store_key=state.store.url,
                remote=client_ip(request),
            )  # fmt: skip
        return {"epoch": epoch, "answers": [a.as_dict() for a in found]}

    return json(await run_in_threadpool(run))


async def provenance_get(request: Request) -> Response:
    """Which nodes, organisations and countries stand behind a value held here."""
    who = require_permission(request, "report:read")
    q = request.query_params.get("q", "")
    if not q.strip() or len(q) > 2048:
        raise InvalidInput("give the value as ?q= (at most 2048 characters)", field="q")
    raw_country = request.query_params.get("country")
    country = check_country(raw_country) if raw_country else None
    found = normalize(q, None, country)
    store = request.app.state.store

    def run() -> dict[str, Any]:
        with store.begin() as session:
            sources = provenance(session, found.kind, found.value)
            # It names reporting organisations: a sensitive read, so it is audited.
            record(
                session, who.actor, "provenance.read", "indicator", f"{found.kind}:{found.value}",
                remote=client_ip(request),
            )  # fmt: skip
        return {"kind": found.kind, "value": found.value, "sources": sources}

    return json(await run_in_threadpool(run))


routes = [
    Route("/api/v1/seen", seen_post, methods=["POST"]),
    Route("/api/v1/provenance", provenance_get, methods=["GET"]),
]

operations = [
    Operation(
        "POST", "/api/v1/seen",
        "Seen elsewhere? Which of these keyed hashes (HMAC under this month's regional key) "
        "does this node hold reports on", "share", permission="seen:query",
        body={
            "type": "object",
            "required": ["epoch", "tokens"],
            "additionalProperties": False,
            "properties": {
                "epoch": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                "tokens": {
                    "type": "array", "maxItems": MAX_TOKENS,
                    "items": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                },
            },
        },
    ),
    Operation(
        "GET", "/api/v1/provenance",
        "Which peer nodes, organisations and countries reported a value (audited)", "share",
        permission="report:read",
        params=(
            ("q", "query", True, "The value in any usual form"),
            ("country", "query", False, "ISO country hint for national formats"),
        ),
    ),
]  # fmt: skip

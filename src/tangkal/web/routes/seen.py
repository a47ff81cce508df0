"""The answering side of "seen elsewhere?": peers send keyed hashes, never values."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tangkal.errors import InvalidInput
from tangkal.share.seen import MAX_TOKENS, answer, check_question
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


routes = [Route("/api/v1/seen", seen_post, methods=["POST"])]

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
]  # fmt: skip

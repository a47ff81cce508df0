"""Allowlist management for analysts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tangkal.check import allowlist
from tangkal.check.models import AllowlistEntry
from tangkal.errors import InvalidInput
from tangkal.web.auth import require_permission
from tangkal.web.body import json_body
from tangkal.web.openapi import Operation
from tangkal.web.responses import json

__all__ = ["operations", "routes"]


def _entry(e: AllowlistEntry) -> dict[str, Any]:
    return {
        "id": e.id, "kind": e.kind, "value": e.value, "label": e.label,
        "category": e.category, "country": e.country, "source": e.source,
    }  # fmt: skip


async def list_entries(request: Request) -> Response:
    require_permission(request, "allowlist:manage")
    store = request.app.state.store

    def run() -> list[dict[str, Any]]:
        with store.read() as session:
            return [
                _entry(e)
                for e in session.scalars(select(AllowlistEntry).order_by(AllowlistEntry.id))
            ]

    return json({"items": await run_in_threadpool(run)})


async def add_entry(request: Request) -> Response:
    who = require_permission(request, "allowlist:manage")
    body = await json_body(request)
    if not isinstance(body, dict):
        raise InvalidInput("expected a JSON object", field="body")
    unknown = set(body) - {"value", "kind", "label", "category", "country"}
    if unknown:
        raise InvalidInput(f"unknown field {sorted(unknown)[0]!r}", field=sorted(unknown)[0])
    for name in ("value", "label"):
        if not isinstance(body.get(name), str) or not body[name].strip():
            raise InvalidInput("must be a non-empty string", field=name)
    store = request.app.state.store

    def run() -> dict[str, Any]:
        with store.begin() as session:
            return _entry(
                allowlist.add(
                    session, body["value"], kind=body.get("kind"), label=body["label"],
                    category=body.get("category", "official"), country=body.get("country"),
                    actor=who.actor,
                )
            )  # fmt: skip

    return json(await run_in_threadpool(run), status=201)


async def delete_entry(request: Request) -> Response:
    who = require_permission(request, "allowlist:manage")
    try:
        entry_id = int(request.path_params["id"])
    except ValueError:
        raise InvalidInput("must be an integer", field="id") from None
    store = request.app.state.store

    def run() -> None:
        with store.begin() as session:
            allowlist.remove(session, entry_id, actor=who.actor)

    await run_in_threadpool(run)
    return Response(status_code=204)


routes = [
    Route("/api/v1/allowlist", list_entries, methods=["GET"]),
    Route("/api/v1/allowlist", add_entry, methods=["POST"]),
    Route("/api/v1/allowlist/{id}", delete_entry, methods=["DELETE"]),
]
operations = [
    Operation("GET", "/api/v1/allowlist", "List allowlist entries", "allowlist", "allowlist:manage"),
    Operation(
        "POST", "/api/v1/allowlist", "Add an entity that is never labelled scam", "allowlist",
        "allowlist:manage",
        body={
            "type": "object", "required": ["value", "label"], "additionalProperties": False,
            "properties": {
                "value": {"type": "string"}, "kind": {"type": "string"},
                "label": {"type": "string"},
                "category": {"type": "string", "enum": ["official", "platform"]},
                "country": {"type": "string"},
            },
        },
        responses={"201": "Created"},
    ),
    Operation(
        "DELETE", "/api/v1/allowlist/{id}", "Remove an entry", "allowlist", "allowlist:manage",
        params=(("id", "path", True, "Entry id"),), responses={"204": "Removed"},
    ),
]  # fmt: skip

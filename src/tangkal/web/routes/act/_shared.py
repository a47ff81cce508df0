"""Helpers every act route module shares: one transaction, the clock, the courier, body checks.

Also builds the OpenAPI operations from each module's table, so every act endpoint is described
the same way (tag ``act``, its path parameters, 201 for the calls that create something).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from tangkal.act.clock import Clock, SystemClock
from tangkal.act.federation import Courier, HttpCourier
from tangkal.errors import InvalidInput
from tangkal.share.peers import node_key
from tangkal.store import Store
from tangkal.web.body import json_body
from tangkal.web.openapi import Operation

__all__ = ["Endpoint", "_clock", "_courier", "_endpoints", "_id", "_int", "_object", "_write"]

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


Endpoint = tuple[str, str, Callable[[Request], Awaitable[Response]], str, str | None]
"""(method, path, handler, summary, permission or None for public): one row per endpoint."""


def _endpoints(rows: list[Endpoint], created: set[str]) -> tuple[list[BaseRoute], list[Operation]]:
    """The routes and their OpenAPI operations from one table, so the two cannot drift.

    ``created`` holds the ``"METHOD path"`` of the rows that answer 201 rather than 200.
    """
    routes: list[BaseRoute] = [
        Route(path, handler, methods=[method]) for method, path, handler, _s, _p in rows
    ]
    operations = [
        Operation(
            method, path, summary, "act", perm,
            params=tuple((name, "path", True, name) for name in re.findall(r"{(\w+)}", path)),
            responses={"201": "Created"} if f"{method} {path}" in created else {"200": "OK"},
        )
        for method, path, _h, summary, perm in rows
    ]  # fmt: skip
    return routes, operations

"""RFC 9457 problem responses: the one place where errors become HTTP."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match

from tangkal.errors import InvalidInput, RateLimited, TangkalError

__all__ = ["exception_handlers", "problem"]

PROBLEM_TYPE = "https://tangkal.asean.example/problems/"


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    type_slug: str = "about:blank",
    instance: str | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + type_slug if type_slug != "about:blank" else type_slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extra.items() if v is not None})
    headers = {"WWW-Authenticate": 'Bearer realm="tangkal"'} if status == 401 else None
    return Response(
        orjson.dumps(body), status_code=status, media_type="application/problem+json",
        headers=headers,
    )  # fmt: skip


async def _tangkal_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TangkalError)
    extra: dict[str, Any] = {"field": exc.field}
    if isinstance(exc, InvalidInput) and exc.errors:
        extra["errors"] = exc.errors
    resp = problem(
        exc.status, exc.title, exc.detail, type_slug=exc.type_slug,
        instance=request.url.path, **extra,
    )  # fmt: skip
    if isinstance(exc, RateLimited):
        resp.headers["Retry-After"] = "60"
    return resp


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    resp = problem(exc.status_code, str(exc.detail), str(exc.detail), instance=request.url.path)
    for name, value in (exc.headers or {}).items():
        resp.headers[name] = value
    if exc.status_code == 405:
        # Allow names every method of the path (RFC 9110 §15.5.6); Starlette names only
        # those of the first route of that path, and GET and POST are often two routes.
        allowed: set[str] = set()
        for route in request.app.router.routes:
            methods = getattr(route, "methods", None)
            if methods and route.matches(request.scope)[0] is not Match.NONE:
                allowed |= methods
        if allowed:
            resp.headers["Allow"] = ", ".join(sorted(allowed))
    return resp


async def _unexpected(request: Request, exc: Exception) -> Response:
    return problem(500, "Internal error", "an unexpected error occurred; it was logged")


exception_handlers: dict[Any, Any] = {
    TangkalError: _tangkal_error,
    HTTPException: _http_error,
    Exception: _unexpected,
}

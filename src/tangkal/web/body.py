"""Reading request bodies: bounded in size, JSON only, errors that name the problem."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request

from tangkal.errors import InvalidInput, PayloadTooLarge

__all__ = ["json_body"]


async def json_body(request: Request) -> Any:
    """Parse the JSON body, refusing it once it passes ``max_body_bytes``."""
    limit: int = request.app.state.settings.max_body_bytes
    ctype = request.headers.get("content-type", "application/json").split(";")[0].strip()
    if ctype not in ("application/json", "application/problem+json") and not ctype.endswith(
        "+json"
    ):
        raise InvalidInput(f"expected application/json, got {ctype}", field="content-type")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"body over the {limit}-byte limit", field="body")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"body over the {limit}-byte limit", field="body")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw:
        raise InvalidInput("the request body is empty; send a JSON object", field="body")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"invalid JSON: {exc}", field="body") from None

"""Reading request bodies: bounded in size, JSON only, errors that name the problem."""

from __future__ import annotations

import json
import math
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
        bad = _bad_number(raw)
        if bad:
            field, text = bad
            raise InvalidInput(f"not a finite number: {text}", field=field) from None
        raise InvalidInput(f"invalid JSON: {exc}", field="body") from None


class _BadNumber:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _finite(text: str) -> float | _BadNumber:
    value = float(text)
    return value if math.isfinite(value) else _BadNumber(text)


def _bad_number(raw: bytes) -> tuple[str, str] | None:
    """The field holding a number no double can hold (``1e999``, ``NaN``), and its text.

    orjson refuses the whole body at such a number; read again (only on that error path) to
    name the field, as every other wrong value is named.
    """
    try:
        doc = json.loads(raw, parse_float=_finite, parse_constant=_BadNumber)
    except (ValueError, RecursionError):
        return None
    stack: list[tuple[str, Any]] = [("", doc)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _BadNumber):
            return path or "body", value.text
        if isinstance(value, dict):
            items = [(f"{path}.{k}" if path else str(k), v) for k, v in value.items()]
        elif isinstance(value, list):
            items = [(f"{path}.{i}" if path else str(i), v) for i, v in enumerate(value)]
        else:
            continue
        stack.extend(reversed(items))  # the first in the document is found first
    return None

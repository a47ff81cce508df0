"""JSON responses encoded with orjson (dates, decimals) — fast on the hot check path."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from starlette.responses import Response

__all__ = ["json"]


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return float(obj)
    raise TypeError


def json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(data, default=_default),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )

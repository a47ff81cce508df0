"""Public check and analyze endpoints."""

from __future__ import annotations

from typing import Any

import anyio.lowlevel
import anyio.to_thread
from babel.support import NullTranslations
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tangkal.check.analyze import MAX_TEXT, analyze
from tangkal.check.point import PointReader
from tangkal.errors import InvalidInput, PayloadTooLarge
from tangkal.vocabulary import check_country
from tangkal.web.auth import client_ip
from tangkal.web.body import json_body
from tangkal.web.i18n import reason_text
from tangkal.web.openapi import Operation
from tangkal.web.rendering import page_state
from tangkal.web.responses import json

__all__ = ["operations", "routes"]


def _country(value: Any, field: str = "country") -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InvalidInput("must be a string", field=field)
    return check_country(value, field)


async def check_get(request: Request) -> Response:
    app = request.app.state
    app.limiter.hit(client_ip(request))
    q = request.query_params.get("q")
    if not q or not q.strip():
        raise InvalidInput("give the value to check as ?q=", field="q")
    if len(q) > 2048:
        raise InvalidInput("value longer than 2048 characters", field="q")
    country = _country(request.query_params.get("country"))
    # The answer comes as JSON text (check.encode): what json(reader.answer(…)) would write.
    text = app.point_reader.answer_text(q, country, link_scorer=app.link_scorer)
    return Response(text.encode(), media_type="application/json")


async def check_post(request: Request) -> Response:
    app = request.app.state
    # Counted before the body is read, like every public request: refused batches too.
    app.limiter.hit(client_ip(request))
    body = await json_body(request)
    if not isinstance(body, dict):
        raise InvalidInput('expected a JSON object {"values": [...]}', field="body")
    unknown = set(body) - {"values", "country"}
    if unknown:
        raise InvalidInput(f"unknown field {sorted(unknown)[0]!r}", field=sorted(unknown)[0])
    values = body.get("values")
    if not isinstance(values, list) or not values:
        raise InvalidInput("must be a non-empty list of strings", field="values")
    limit = request.app.state.settings.max_batch
    if len(values) > limit:
        raise PayloadTooLarge(f"at most {limit} values per request", field="values")
    # Checked by C loops (map) first, a tenth of the per-value cost; the Python loop finds
    # the first bad value's index only when there is one.
    if not (
        all(map(str.__instancecheck__, values))
        and all(map(str.strip, values))
        and max(map(len, values)) <= 2048
    ):
        for i, v in enumerate(values):
            if not isinstance(v, str) or not v.strip() or len(v) > 2048:
                raise InvalidInput(
                    "must be a non-empty string of ≤ 2048 characters", field=f"values.{i}"
                )
    country = _country(body.get("country"))
    # A batch costs its size (one unit per 1,000 values, the first already counted), so one
    # client cannot screen unbounded volumes anonymously.
    app.limiter.hit(client_ip(request), cost=max(0.0, len(values) / 1000 - 1))

    reader: PointReader = app.point_reader
    texts: list[str] = []
    for text in reader.answer_texts(values, country, link_scorer=app.link_scorer):
        texts.append(text)
        await anyio.lowlevel.checkpoint()  # single checks waiting on this worker go now
    # The answers come as JSON text (check.encode): what json({"results": …}) would write.
    body = f'{{"results":[{",".join(texts)}]}}'.encode()
    return Response(body, media_type="application/json")


async def analyze_post(request: Request) -> Response:
    app = request.app.state
    app.limiter.hit(client_ip(request))
    body = await json_body(request)
    if not isinstance(body, dict):
        raise InvalidInput('expected a JSON object {"text": ...}', field="body")
    unknown = set(body) - {"text", "country", "lang"}
    if unknown:
        raise InvalidInput(f"unknown field {sorted(unknown)[0]!r}", field=sorted(unknown)[0])
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("must be a non-empty string", field="text")
    if len(text) > MAX_TEXT:
        raise PayloadTooLarge(f"text over {MAX_TEXT} characters", field="text")
    country = _country(body.get("country"))
    translations = _translations(request, body.get("lang"))
    result = await anyio.to_thread.run_sync(analyze, text, country, limiter=app.cpu_limiter)
    if translations is not None:
        _translate(result, translations)
    return json(result)


def _translations(request: Request, lang: Any) -> NullTranslations | None:
    """The catalogue of ``lang``, so that a bank's app shows the reasons in its user's words."""
    if lang is None:
        return None
    catalogues = page_state(request).catalogues
    if not isinstance(lang, str) or lang not in catalogues:
        raise InvalidInput(f"must be one of: {', '.join(catalogues)}", field="lang")
    return catalogues.get(lang)


def _translate(result: dict[str, Any], translations: NullTranslations) -> None:
    """Every reason's ``text`` in the asked language (codes and params stay as they are)."""
    reasons = [*result["reasons"]]
    for indicator in result["indicators"]:
        reasons += indicator.get("reasons", [])
    for reason in reasons:
        reason["text"] = reason_text(translations, reason)


routes = [
    Route("/api/v1/check", check_get, methods=["GET"]),
    Route("/api/v1/check", check_post, methods=["POST"]),
    Route("/api/v1/analyze", analyze_post, methods=["POST"]),
]

operations = [
    Operation(
        "GET", "/api/v1/check", "Is this number, account, link or wallet a scam?", "check",
        params=(
            ("q", "query", True, "The value in any usual form"),
            ("country", "query", False, "ISO country hint for national formats"),
        ),
    ),
    Operation(
        "POST", "/api/v1/check", "Screen up to 10,000 values at once (banks screening payees)",
        "check",
        body={
            "type": "object",
            "required": ["values"],
            "additionalProperties": False,
            "properties": {
                "values": {"type": "array", "items": {"type": "string"}, "maxItems": 10000},
                "country": {"type": "string"},
            },
        },
    ),
    Operation(
        "POST", "/api/v1/analyze", "Language and indicators of a message", "check",
        body={
            "type": "object",
            "required": ["text"],
            "additionalProperties": False,
            "properties": {
                "text": {"type": "string"}, "country": {"type": "string"},
                "lang": {"type": "string", "description": "Language of the reasons' text "
                         "(en, id, ms, th, vi, tl, km, my, lo); English when absent"},
            },
        },
    ),
]  # fmt: skip

"""The OpenAPI document, built from the operations each route module declares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Operation", "build_spec"]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    tag: str
    permission: str | None = None  # None: public
    params: tuple[tuple[str, str, bool, str], ...] = ()  # (name, in, required, description)
    body: dict[str, Any] | None = None
    responses: dict[str, str] = field(default_factory=lambda: {"200": "OK"})
    media: str = "application/json"  # of the body and of success responses (TAXII has its own)


def _usual_errors(op: Operation) -> dict[str, str]:
    """The 4xx answers every operation of its shape can give, so clients expect them."""
    codes = {
        "400": "Bad request (problem+json)",
        "422": "Invalid input: the problem names the field",
    }
    if "{" in op.path:
        codes["404"] = "No such resource"
    if op.method in ("POST", "PUT", "PATCH"):
        codes["413"] = "Body, text or batch over its documented size"
        if op.media != "application/json":
            codes["415"] = f"Body not sent as {op.media}"
    if op.permission:
        codes.update({"401": "No or bad token", "403": "Role not allowed"})
    else:
        codes["429"] = "Too many requests from this client; retry later"
    return codes


def _hoisted(schema: Any, shared: dict[str, Any]) -> Any:
    """``schema`` with pydantic's ``$defs`` moved into the document's shared schemas.

    A ``$ref`` of ``#/$defs/X`` resolves against the whole OpenAPI document, where there is
    no ``$defs``: clients and generators failed to read the report body's ``VictimContact``.
    """
    if isinstance(schema, list):
        return [_hoisted(item, shared) for item in schema]
    if not isinstance(schema, dict):
        return schema
    for name, sub in schema.get("$defs", {}).items():
        shared[name] = _hoisted(sub, shared)
    return {
        key: (
            value.replace("#/$defs/", "#/components/schemas/", 1)
            if key == "$ref" and isinstance(value, str)
            else _hoisted(value, shared)
        )
        for key, value in schema.items()
        if key != "$defs"
    }


def build_spec(operations: list[Operation], version: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    shared: dict[str, Any] = {}
    for op in operations:
        entry: dict[str, Any] = {
            "summary": op.summary,
            "tags": [op.tag],
            "parameters": [
                {
                    "name": n,
                    "in": where,
                    "required": req,
                    "description": d,
                    "schema": {"type": "string"},
                }
                for n, where, req, d in op.params
            ],
            "responses": {
                code: {
                    "description": text,
                    "content": {"application/problem+json" if code[0] in "45" else op.media: {}},
                }
                for code, text in {**op.responses, **_usual_errors(op)}.items()
            },
        }
        if op.permission:
            entry["security"] = [{"bearer": []}, {"basic": []}]
            entry["description"] = f"Needs a token whose role holds `{op.permission}`."
        else:
            entry["security"] = []
            entry["description"] = "Public; rate-limited per client."
        if op.body is not None:
            entry["requestBody"] = {
                "required": True,
                "content": {op.media: {"schema": _hoisted(op.body, shared)}},
            }
        paths.setdefault(op.path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "Tangkal API", "version": version},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": shared,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "basic": {"type": "http", "scheme": "basic"},
            },
        },
    }

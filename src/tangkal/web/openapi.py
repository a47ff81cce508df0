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


def build_spec(operations: list[Operation], version: str) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
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
                    "content": {
                        "application/problem+json" if code[0] in "45" else "application/json": {}
                    },
                }
                for code, text in {
                    **op.responses,
                    "400": "Bad request (problem+json)",
                    "422": "Invalid input: the problem names the field",
                    **(
                        {"401": "No or bad token", "403": "Role not allowed"}
                        if op.permission
                        else {}
                    ),
                }.items()
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
                "content": {"application/json": {"schema": op.body}},
            }
        paths.setdefault(op.path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "Tangkal API", "version": version},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "basic": {"type": "http", "scheme": "basic"},
            }
        },
    }

"""Roles are enforced on every endpoint the app declares, including ones added later.

The OpenAPI operations are the inventory: an operation with a permission must answer 401
without a token and 403 to every role that lacks the permission; public ones need none.
"""

from __future__ import annotations

import re

import httpx
import pytest

from tangkal.access.roles import PERMISSIONS
from tangkal.store import Store
from tangkal.vocabulary import ROLES
from tangkal.web.openapi import Operation
from tests.conftest import LiveServer
from tests.factories import org_with_token


def _operations(server: LiveServer) -> list[Operation]:
    app = server.server.config.app
    return list(app.state.operations)  # type: ignore[attr-defined]


def _path(op: Operation) -> str:
    return re.sub(r"\{[^}]+\}", "1", op.path)


def test_every_protected_operation_refuses_anonymous_callers(
    server: LiveServer, client: httpx.Client
) -> None:
    protected = [op for op in _operations(server) if op.permission]
    assert protected, "no protected operations found"
    for op in protected:
        resp = client.request(op.method, _path(op))
        assert resp.status_code == 401, f"{op.method} {op.path}: {resp.status_code}"
        assert resp.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("role", ROLES)
def test_every_protected_operation_refuses_roles_without_permission(
    store: Store, server: LiveServer, client: httpx.Client, role: str
) -> None:
    _, token = org_with_token(store, f"Org {role}", role)
    headers = {"Authorization": f"Bearer {token}"}
    for op in _operations(server):
        if op.permission is None or role in PERMISSIONS[op.permission]:
            continue
        resp = client.request(op.method, _path(op), headers=headers)
        assert resp.status_code == 403, f"{role} {op.method} {op.path}: {resp.status_code}"


def test_openapi_document_lists_the_operations(client: httpx.Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/check" in spec["paths"]
    assert set(spec["paths"]["/api/v1/check"]) == {"get", "post"}

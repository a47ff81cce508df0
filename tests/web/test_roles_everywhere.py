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


def test_every_reference_in_the_openapi_document_resolves(client: httpx.Client) -> None:
    """A ``$ref`` that points nowhere breaks client generators (it did for VictimContact)."""
    spec = client.get("/api/v1/openapi.json").json()
    refs: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            refs.extend(v for k, v in node.items() if k == "$ref")
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    assert "#/components/schemas/VictimContact" in refs
    for ref in refs:
        target: object = spec
        for part in ref.removeprefix("#/").split("/"):
            assert isinstance(target, dict) and part in target, f"{ref} does not resolve"
            target = target[part]


def test_the_openapi_document_names_the_errors_and_media_each_operation_can_give(
    client: httpx.Client,
) -> None:
    """Found by schemathesis: 404, 413, 415 and 429 were answered but not documented."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "404" in paths["/api/v1/reports/{id}"]["get"]["responses"]
    assert {"413", "429"} <= set(paths["/api/v1/analyze"]["post"]["responses"])
    push = paths["/taxii2/api/collections/{cid}/objects/"]["post"]
    assert "415" in push["responses"]
    assert list(push["requestBody"]["content"]) == ["application/taxii+json;version=2.1"]
    assert list(push["responses"]["202"]["content"]) == ["application/taxii+json;version=2.1"]

"""Allowlist over the API: analysts manage it, bad entries get a problem naming the field."""

from __future__ import annotations

import httpx
import pytest

from tangkal.store import Store
from tests.factories import org_with_token


@pytest.fixture
def analyst(store: Store) -> dict[str, str]:
    _, token = org_with_token(store, "CSA Singapore", "analyst", country="SG", type="cert")
    return {"Authorization": f"Bearer {token}"}


def test_an_analyst_adds_lists_and_removes_an_entry(
    client: httpx.Client, analyst: dict[str, str]
) -> None:
    entry = {"value": "https://www.ipi-singapore.org/", "label": "IPI", "country": "SG"}
    resp = client.post("/api/v1/allowlist", json=entry, headers=analyst)
    assert resp.status_code == 201, resp.text
    added = resp.json()
    assert (added["kind"], added["value"], added["country"]) == (
        "domain",
        "ipi-singapore.org",
        "SG",
    )
    check = client.get("/api/v1/check", params={"q": "ipi-singapore.org"}).json()
    assert check["verdict"] == "allowlisted"
    listed = client.get("/api/v1/allowlist", headers=analyst).json()["items"]
    assert added["id"] in [i["id"] for i in listed]
    assert client.delete(f"/api/v1/allowlist/{added['id']}", headers=analyst).status_code == 204
    assert (
        client.get("/api/v1/check", params={"q": "ipi-singapore.org"}).json()["verdict"]
        != "allowlisted"
    )


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"value": "ipi-singapore.org", "label": "x", "country": "Singapore"}, "country"),
        ({"value": "ipi-singapore.org", "label": "x", "country": 65}, "country"),
        ({"value": "sites.google.com/view/bca-promo", "label": "x"}, "value"),
        ({"value": "0812", "label": "x"}, "value"),
        ({"value": "ipi-singapore.org", "label": "x", "category": "friend"}, "category"),
        ({"value": "ipi-singapore.org", "label": "x", "kind": ["domain"]}, "kind"),
        ({"value": "ipi-singapore.org", "label": "x", "category": {"a": 1}}, "category"),
    ],
)
def test_a_bad_entry_is_a_problem_naming_its_field(
    client: httpx.Client, analyst: dict[str, str], entry: dict[str, object], field: str
) -> None:
    before = client.get("/api/v1/allowlist", headers=analyst).json()["items"]
    resp = client.post("/api/v1/allowlist", json=entry, headers=analyst)
    assert 400 <= resp.status_code < 500
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert field in {e["field"] for e in resp.json()["errors"]}
    assert client.get("/api/v1/allowlist", headers=analyst).json()["items"] == before

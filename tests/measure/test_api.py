"""``GET /api/v1/stats/{figure}`` over a real server: roles, JSON, CSV, exact, bad input."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from sqlalchemy import select

from tangkal.audit.models import AuditEvent
from tangkal.store import Store
from tests.factories import org_with_token
from tests.measure.dataset import build

RANGE = {"since": "2026-09", "until": "2026-10"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def analyst(store: Store) -> str:
    build(store)
    return org_with_token(store, "Cyber ID", "analyst", country="ID")[1]


def test_anonymous_is_401_and_reporter_403(client: httpx.Client, store: Store) -> None:
    assert client.get("/api/v1/stats/volumes").status_code == 401
    reporter = org_with_token(store, "Bank ID", "reporter")[1]
    answer = client.get("/api/v1/stats/volumes", headers=bearer(reporter))
    assert answer.status_code == 403
    assert answer.headers["content-type"] == "application/problem+json"
    assert client.get("/api/v1/stats", headers=bearer(reporter)).status_code == 403


def test_json_is_suppressed_by_default(client: httpx.Client, analyst: str) -> None:
    body = client.get(
        "/api/v1/stats/volumes", params={**RANGE, "by": "country"}, headers=bearer(analyst)
    ).json()
    got = {(r["period"], r["key"]): r["reports"] for r in body["rows"]}
    assert got == {("2026-09", "ID"): "<5", ("2026-10", "ID"): 6, ("2026-10", "MY"): "<5"}
    assert body["suppressed_below"] == 5
    assert body["filters"] == {
        "since": "2026-09-01",
        "until": "2026-10-31",
        "country": None,
        "granularity": "month",
    }
    index = client.get("/api/v1/stats", headers=bearer(analyst)).json()
    assert index == {
        "figures": ["action", "flows", "networks", "outcomes", "volumes"],
        "min_count": 5,
    }


def test_exact_numbers_for_the_nodes_own_staff_are_audited(
    client: httpx.Client, analyst: str, store: Store
) -> None:
    body = client.get(
        "/api/v1/stats/flows", params={**RANGE, "exact": "1"}, headers=bearer(analyst)
    ).json()
    assert {(r["victim_country"], r["infra_country"]): r["reports"] for r in body["rows"]} == {
        ("ID", "KH"): 6,
        ("MY", "TH"): 2,
        ("ID", "ID"): 1,
    }
    assert body["suppressed_below"] is None
    with store.read() as s:
        actions = s.scalars(select(AuditEvent.action)).all()
    assert "stats.exact" in actions
    foreign = org_with_token(store, "Ministry TH", "analyst", country="TH")[1]
    refused = client.get("/api/v1/stats/flows", params={"exact": "1"}, headers=bearer(foreign))
    assert refused.status_code == 403 and refused.json()["field"] == "exact"
    shared = client.get("/api/v1/stats/flows", params=RANGE, headers=bearer(foreign)).json()
    assert {r["reports"] for r in shared["rows"]} == {6, "<5"}


def test_csv_by_parameter_or_accept_header_is_always_suppressed(
    client: httpx.Client, analyst: str
) -> None:
    by_param = client.get(
        "/api/v1/stats/flows",
        params={**RANGE, "format": "csv", "exact": "1"},
        headers=bearer(analyst),
    )
    assert by_param.status_code == 200
    assert by_param.headers["content-type"].startswith("text/csv")
    assert "attachment" in by_param.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(by_param.text)))
    assert rows[0] == {
        "victim_country": "ID",
        "infra_country": "KH",
        "kind": "any",
        "reports": "6",
        "loss_usd": "600.00",
        "cross_border": "True",
    }
    assert {r["reports"] for r in rows[1:]} == {"<5"}
    assert all(r["loss_usd"] == "" for r in rows[1:])
    by_accept = client.get(
        "/api/v1/stats/flows", params=RANGE, headers={**bearer(analyst), "Accept": "text/csv"}
    )
    assert by_accept.text == by_param.text


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "2026-10-31", "until": "2026-10-01"}, "since"),
        ({"since": "2999-01-01"}, "since"),
        ({"country": "ZZ"}, "country"),
        ({"granularity": "fortnight"}, "granularity"),
        ({"format": "xml"}, "format"),
        ({"by": "colour"}, "by"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(
    client: httpx.Client, analyst: str, params: dict[str, str], field: str
) -> None:
    answer = client.get("/api/v1/stats/volumes", params=params, headers=bearer(analyst))
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["field"] == field


def test_unknown_figure_and_future_until(client: httpx.Client, analyst: str) -> None:
    unknown = client.get("/api/v1/stats/happiness", headers=bearer(analyst))
    assert unknown.status_code == 422 and unknown.json()["field"] == "figure"
    future = client.get(
        "/api/v1/stats/volumes",
        params={"since": "2026-10", "until": "2999-12"},
        headers=bearer(analyst),
    ).json()
    assert any("future" in n for n in future["notes"])


def test_openapi_describes_the_stats_endpoints(client: httpx.Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/stats/{figure}" in spec["paths"]

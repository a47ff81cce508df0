"""The networks API and the check answer's network, over a real server."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import func, select

from tangkal.audit.models import AuditEvent
from tangkal.store import Store
from tests.factories import org_with_token

PHONE = "+62 812-5555-0101"


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _report(client: httpx.Client, token: str, country: str, *values: str) -> int:
    body = {
        "victim_country": country,
        "typology": "investment",
        "loss_amount": "100.00",
        "loss_currency": "USD",
        "indicators": [{"value": v} for v in values],
        "external_id": uuid.uuid4().hex,
    }
    resp = client.post("/api/v1/reports", json=body, headers=_auth(token))
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])


def test_filed_reports_form_a_network_that_the_api_lists_and_shows(
    store: Store, client: httpx.Client
) -> None:
    _, reporter = org_with_token(store, "Bank", "reporter", type="bank")
    _, analyst = org_with_token(store, "Police", "analyst")
    a = _report(client, reporter, "ID", PHONE)
    b = _report(client, reporter, "MY", PHONE, "111122223333")
    c = _report(client, reporter, "TH", "111122223333", "https://t.me/")
    _report(client, reporter, "TH", "https://t.me/")  # a hub: no link

    listing = client.get("/api/v1/networks", headers=_auth(analyst))
    assert listing.status_code == 200, listing.text
    (net,) = listing.json()["items"]
    assert net["reports"] == 3 and net["countries"] == ["ID", "MY", "TH"] and net["cross_border"]

    members = client.get("/api/v1/networks?members=1", headers=_auth(analyst)).json()
    assert members["items"][0]["members"] == [a, b, c]
    for params, count in [({"country": "MY"}, 1), ({"country": "VN"}, 0),
                          ({"cross_border": "1"}, 1), ({"min_reports": "4"}, 0)]:  # fmt: skip
        got = client.get("/api/v1/networks", params=params, headers=_auth(analyst)).json()
        assert len(got["items"]) == count, params

    one = client.get(f"/api/v1/networks/{net['id']}", headers=_auth(analyst))
    assert one.status_code == 200
    body = one.json()
    assert body["victims"] == {"ID": 1, "MY": 1, "TH": 1}
    assert body["loss"]["usd_total"] == 300.0
    graph = body["graph"]
    assert {n["id"] for n in graph["nodes"]} >= {f"r{a}", f"r{b}", f"r{c}"}
    assert len(graph["edges"]) == 4 and graph["truncated"] is False
    small = client.get(f"/api/v1/networks/{net['id']}?max_nodes=2", headers=_auth(analyst))
    assert small.json()["graph"]["truncated"] is True
    assert len(small.json()["graph"]["nodes"]) == 2
    with store.read() as s:
        reads = s.scalar(select(func.count()).where(AuditEvent.action == "network.read"))
    assert reads == 2

    stix = client.get(f"/api/v1/networks/{net['id']}/stix", headers=_auth(analyst)).json()
    (grouping,) = [o for o in stix["objects"] if o["type"] == "grouping"]
    indicators = [o for o in stix["objects"] if o["type"] == "indicator"]
    assert len(indicators) == 2 and set(grouping["object_refs"]) >= {i["id"] for i in indicators}

    # The public check names the network with counts only.
    check = client.get("/api/v1/check", params={"q": PHONE, "country": "ID"}).json()
    assert check["network"] == {
        "id": net["id"], "reports": 3, "countries": 3,
        "text": f"part of network {net['id']}: 3 reports in 3 countries",
    }  # fmt: skip
    batch = client.post("/api/v1/check", json={"values": [PHONE, "+62 812-9999-0000"]}).json()
    assert batch["results"][0]["network"]["id"] == net["id"]
    assert "network" not in batch["results"][1]


def test_paging_is_stable_and_bad_input_names_the_field(store: Store, client: httpx.Client) -> None:
    _, reporter = org_with_token(store, "Bank", "reporter", type="bank")
    _, analyst = org_with_token(store, "Police", "analyst")
    for k in range(3):
        for _ in range(k + 2):
            _report(client, reporter, "ID", f"+62 812-5555-01{k:02d}")
    first = client.get("/api/v1/networks?limit=2", headers=_auth(analyst)).json()
    assert [n["reports"] for n in first["items"]] == [4, 3]
    rest = client.get(f"/api/v1/networks?limit=2&after={first['next_after']}",
                      headers=_auth(analyst)).json()  # fmt: skip
    assert [n["reports"] for n in rest["items"]] == [2] and rest["next_after"] is None
    for query, field in [("limit=0", "limit"), ("country=XX", "country"),
                         ("min_reports=abc", "min_reports"), ("after=zzz", "after"),
                         ("after=N-AAAAAAAA", "after")]:  # fmt: skip
        resp = client.get(f"/api/v1/networks?{query}", headers=_auth(analyst))
        assert resp.status_code == 422, query
        assert resp.headers["content-type"] == "application/problem+json"
        assert resp.json()["field"] == field


def test_unknown_network_is_a_404_problem_and_roles_are_enforced(
    store: Store, client: httpx.Client
) -> None:
    _, analyst = org_with_token(store, "Police", "analyst")
    _, reporter = org_with_token(store, "Bank", "reporter", type="bank")
    missing = client.get("/api/v1/networks/N-AAAAAAAA", headers=_auth(analyst))
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["field"] == "id"
    assert client.get("/api/v1/networks/nonsense", headers=_auth(analyst)).status_code == 422
    assert client.get("/api/v1/networks/N-AAAAAAAA/stix", headers=_auth(analyst)).status_code == 404
    assert client.get("/api/v1/networks").status_code == 401
    assert client.get("/api/v1/networks", headers=_auth(reporter)).status_code == 403
    empty = client.get("/api/v1/networks", headers=_auth(analyst)).json()
    assert empty["items"] == [] and empty["next_after"] is None

"""The act API against a live server, on both stores."""

from __future__ import annotations

import httpx
import pytest

from tangkal.act.evidence import verify_package
from tangkal.store import Store
from tests.act.conftest import Actor
from tests.factories import file_report

PROBLEM = "https://tangkal.asean.example/problems/"


def _open(client: httpx.Client, actor: Actor, **body: object) -> int:
    resp = client.post("/api/v1/cases", json={"title": "Syndicate", **body}, headers=actor.headers)
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])


def _freeze(client: httpx.Client, cast: dict[str, Actor], case_id: int) -> int:
    resp = client.post("/api/v1/requests", headers=cast["police_id"].headers, json={
        "case_id": case_id, "type": "freeze", "requested_org_id": cast["bank_th"].org_id,
        "subjects": ["https://scam-shop.example.com/pay"], "currency": "THB",
        "amount_requested": "5000", "facts": "Victims paid into the account below.",
    })  # fmt: skip
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])


def _move(
    client: httpx.Client, actor: Actor, req_id: int, action: str, **kw: object
) -> httpx.Response:
    return client.post(f"/api/v1/requests/{req_id}/transitions", headers=actor.headers,
                       json={"action": action, **kw})  # fmt: skip


def test_a_freeze_end_to_end(client: httpx.Client, cast: dict[str, Actor], store: Store) -> None:
    police, bank = cast["police_id"], cast["bank_th"]
    filed = file_report(store, narrative="I paid https://scam-shop.example.com/pay")
    case_id = _open(client, police, report_ids=[filed.report_id], network_id="NET-A")
    req_id = _freeze(client, cast, case_id)
    assert _move(client, police, req_id, "submit").json()["status"] == "submitted"
    inbox = client.get("/api/v1/requests?box=inbox", headers=bank.headers).json()["items"]
    assert [r["id"] for r in inbox] == [req_id]
    for action in ("acknowledge", "start"):
        assert _move(client, bank, req_id, action).status_code == 200
    done = _move(client, bank, req_id, "execute", amount_frozen="4200.75").json()
    assert (done["status"], done["amount_frozen"]) == ("executed", "4200.75")
    ret = client.post(f"/api/v1/requests/{req_id}/returns", json={"amount": "1000"},
                      headers=bank.headers)  # fmt: skip
    assert ret.json()["amount_returned"] == "1000.00"
    case = client.get(f"/api/v1/cases/{case_id}", headers=police.headers).json()
    assert case["case"]["amounts"] == {"THB": {"frozen": "4200.75", "returned": "1000.00"}}
    assert [h["to"] for h in case["requests"][0]["history"]][-1] == "executed"
    net = client.get("/api/v1/networks/NET-A/amounts", headers=police.headers).json()
    assert net["amounts"]["THB"]["frozen"] == "4200.75"
    # The bank sees its request but not the case it belongs to.
    assert client.get(f"/api/v1/requests/{req_id}", headers=bank.headers).status_code == 200
    assert client.get(f"/api/v1/cases/{case_id}", headers=bank.headers).status_code == 404
    # Time to act.
    times = client.get("/api/v1/metrics/response-times", headers=police.headers).json()
    row = times["items"][0]
    assert (row["type"], row["from_country"], row["to_country"], row["executed"]) == (
        "freeze",
        "ID",
        "TH",
        1,
    )
    assert row["median_request_to_execution_hours"] is not None


def test_errors_are_problems_naming_the_field(client: httpx.Client, cast: dict[str, Actor]) -> None:
    police, bank = cast["police_id"], cast["bank_th"]
    case_id = _open(client, police)
    req_id = _freeze(client, cast, case_id)
    illegal = _move(client, bank, req_id, "execute")
    assert illegal.status_code == 404  # a draft is not shown to the requested organisation
    _move(client, police, req_id, "submit")
    illegal = _move(client, bank, req_id, "execute")
    assert illegal.status_code == 409
    assert illegal.headers["content-type"] == "application/problem+json"
    assert illegal.json()["type"] == PROBLEM + "illegal-transition"
    refuse = _move(client, bank, req_id, "refuse")
    assert (refuse.status_code, refuse.json()["field"]) == (422, "reason")
    unknown = client.post("/api/v1/requests", headers=police.headers, json={
        "case_id": case_id, "type": "freeze", "requested_org_id": 987654})  # fmt: skip
    assert (unknown.status_code, unknown.json()["field"]) == (404, "requested_org_id")
    extra = client.post("/api/v1/cases", headers=police.headers, json={"title": "x", "colour": 1})
    assert (extra.status_code, extra.json()["field"]) == (422, "colour")
    assert client.get("/api/v1/cases", headers={}).status_code == 401


def test_only_invited_organisations_see_a_case(
    client: httpx.Client, cast: dict[str, Actor]
) -> None:
    police, thai, outsider = cast["police_id"], cast["police_th"], cast["police_my"]
    case_id = _open(client, police)
    for path in (f"/api/v1/cases/{case_id}", f"/api/v1/cases/{case_id}/export"):
        resp = client.get(path, headers=outsider.headers)
        assert resp.status_code == 404 and resp.json()["type"] == PROBLEM + "not-found"
    note = client.post(f"/api/v1/cases/{case_id}/notes", json={"body": "hi"},
                       headers=outsider.headers)  # fmt: skip
    assert note.status_code == 404
    assert client.get("/api/v1/cases", headers=outsider.headers).json()["items"] == []
    invited = client.post(f"/api/v1/cases/{case_id}/members", json={"org_id": thai.org_id},
                          headers=police.headers)  # fmt: skip
    assert invited.status_code == 201
    assert client.get(f"/api/v1/cases/{case_id}", headers=thai.headers).status_code == 200
    again = client.post(f"/api/v1/cases/{case_id}/members", json={"org_id": thai.org_id},
                        headers=police.headers)  # fmt: skip
    assert again.status_code == 409
    task = client.post(
        f"/api/v1/cases/{case_id}/tasks",
        headers=thai.headers,
        json={"title": "Trace the mule accounts", "assignee_org_id": thai.org_id},
    )
    assert task.status_code == 201
    done = client.post(f"/api/v1/cases/{case_id}/tasks/{task.json()['id']}/done",
                       headers=thai.headers)  # fmt: skip
    assert done.json()["status"] == "done"


def test_evidence_upload_limits_and_export(client: httpx.Client, cast: dict[str, Actor]) -> None:
    police = cast["police_id"]
    case_id = _open(client, police)
    up = client.post(f"/api/v1/cases/{case_id}/evidence?filename=chat%20log.txt",
                     content=b"scammer: send 5000 now", headers=police.headers)  # fmt: skip
    assert up.status_code == 201, up.text
    got = client.get(f"/api/v1/cases/{case_id}/evidence/{up.json()['id']}", headers=police.headers)
    assert got.content == b"scammer: send 5000 now"
    big = client.post(f"/api/v1/cases/{case_id}/evidence?filename=big.bin",
                      content=b"x" * (10 * 1024 * 1024 + 1), headers=police.headers)  # fmt: skip
    assert big.status_code == 413 and big.json()["field"] == "file"
    listed = client.get(f"/api/v1/cases/{case_id}", headers=police.headers).json()
    assert [a["filename"] for a in listed["attachments"]] == ["chat_log.txt"]
    _freeze(client, cast, case_id)
    pkg = client.get(f"/api/v1/cases/{case_id}/export", headers=police.headers)
    assert pkg.headers["content-type"] == "application/zip"
    result = verify_package(pkg.content)
    assert result.case_id == case_id
    assert result.fingerprint == pkg.headers["x-tangkal-key-fingerprint"]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_documents_in_html_and_pdf(client: httpx.Client, cast: dict[str, Actor], lang: str) -> None:
    police = cast["police_id"]
    req_id = _freeze(client, cast, _open(client, police))
    html = client.get(f"/api/v1/requests/{req_id}/document?lang={lang}", headers=police.headers)
    assert html.status_code == 200 and "scam-shop.example.com" in html.text
    assert (
        "Request to freeze funds" if lang == "en" else "Permintaan pemblokiran dana"
    ) in html.text
    pdf = client.get(f"/api/v1/requests/{req_id}/document?lang={lang}&format=pdf",
                     headers=police.headers)  # fmt: skip
    assert pdf.content.startswith(b"%PDF-")
    bad = client.get(f"/api/v1/requests/{req_id}/document?lang=xx", headers=police.headers)
    assert (bad.status_code, bad.json()["field"]) == (422, "lang")


def test_disputes_and_victim_status(
    client: httpx.Client, cast: dict[str, Actor], store: Store
) -> None:
    filed = file_report(store, narrative="They called from https://fake-bank-login.example.net")
    body = {"value": "https://fake-bank-login.example.net", "claimant_name": "Owner",
            "claimant_contact": "owner@example.net", "statement": "This is my shop."}  # fmt: skip
    filed_dispute = client.post("/api/v1/disputes", json=body)
    assert filed_dispute.status_code == 201, filed_dispute.text
    unknown = client.post("/api/v1/disputes", json={**body, "value": "https://never-seen.example"})
    assert (unknown.status_code, unknown.json()["field"]) == (422, "value")
    analyst = cast["bank_id"]  # any analyst may resolve
    items = client.get("/api/v1/disputes", headers=analyst.headers).json()["items"]
    assert [d["reference"] for d in items] == [filed_dispute.json()["reference"]]
    resolved = client.post(
        f"/api/v1/disputes/{items[0]['id']}/resolution",
        headers=analyst.headers,
        json={"outcome": "uphold", "reason": "Confirmed by three banks."},
    )
    assert resolved.json()["status"] == "upheld"
    again = client.post(
        f"/api/v1/disputes/{items[0]['id']}/resolution",
        headers=analyst.headers,
        json={"outcome": "delist", "reason": "changed my mind"},
    )
    assert again.status_code == 409
    assert client.get("/api/v1/disputes", headers=cast["police_id"].headers).status_code == 403
    status = client.get(f"/api/v1/status/{filed.reference}?k={filed.status_secret}&lang=id")
    assert status.status_code == 200
    steps = {s["step"]: s for s in status.json()["steps"]}
    assert steps["received"]["done"] and steps["received"]["text"] == "Laporan Anda telah diterima."
    assert client.get(f"/api/v1/status/{filed.reference}?k=wrong").status_code == 404

"""Filing and reading reports over the API: roles, validation, idempotency, privacy."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from tangkal.audit.models import AuditEvent
from tangkal.report.models import Indicator, Report
from tangkal.store import Store
from tests.factories import org_with_token

GOOD = {
    "victim_country": "MY",
    "narrative": "Scammer asked me to bank in RM5000 to Maybank 5140 1234 5678 and WhatsApp +60 12-345 6789",
    "channel": "whatsapp",
    "typology": "investment",
    "loss_amount": "5000.00",
    "loss_currency": "MYR",
    "payment_method": "bank_transfer",
    "victim_contact": {"name": "Ali", "email": "ali@example.my"},
    "external_id": "case-1",
}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _count(store: Store, model: type) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_reporter_files_and_analyst_reads(store: Store, client: httpx.Client) -> None:
    _, reporter = org_with_token(store, "Maybank Fraud", "reporter", country="MY", type="bank")
    _, analyst = org_with_token(store, "PDRM CCID", "analyst", country="MY")
    resp = client.post("/api/v1/reports", json=GOOD, headers=_auth(reporter))
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert created["reference"] and created["status_secret"]
    kinds = {i["kind"] for i in created["indicators"]}
    assert {"phone", "bank_account"} <= kinds

    again = client.post("/api/v1/reports", json=GOOD, headers=_auth(reporter))
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["id"] == created["id"]
    assert _count(store, Report) == 1

    listing = client.get("/api/v1/reports", params={"country": "MY"}, headers=_auth(analyst))
    assert listing.json()["total"] == 1
    one = client.get(f"/api/v1/reports/{created['id']}", headers=_auth(analyst)).json()
    assert "victim_contact" not in one
    assert "Ali" not in str(listing.json())
    with store.read() as s:
        reads = s.scalar(select(func.count()).where(AuditEvent.action == "report.read"))
    assert reads == 1


def test_reporter_cannot_read_reports(store: Store, client: httpx.Client) -> None:
    _, reporter = org_with_token(store, "Telco", "reporter", type="telco")
    assert client.get("/api/v1/reports", headers=_auth(reporter)).status_code == 403


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"victim_country": "XX"}, "victim_country"),
        ({"loss_currency": "ABC"}, "loss_currency"),
        ({"loss_amount": "lots"}, "loss_amount"),
        ({"typology": "alien"}, "typology"),
        ({"surprise": True}, "surprise"),
        ({"credibility": 9}, "credibility"),
        ({"indicators": [{"value": "12"}]}, "indicators.0.value"),
        ({"indicators": [{"value": "0812", "kind": "phone"}]}, "indicators.0.value"),
    ],
)
def test_bad_reports_name_the_field_and_store_nothing(
    store: Store, client: httpx.Client, patch: dict[str, object], field: str
) -> None:
    _, reporter = org_with_token(store, "Bank", "reporter", type="bank")
    before = (_count(store, Report), _count(store, Indicator), _count(store, AuditEvent))
    resp = client.post("/api/v1/reports", json={**GOOD, **patch}, headers=_auth(reporter))
    assert resp.status_code == 422, resp.text
    assert resp.headers["content-type"] == "application/problem+json"
    problem = resp.json()
    assert field in [e["field"] for e in problem["errors"]] or problem["field"] == field
    assert (_count(store, Report), _count(store, Indicator), _count(store, AuditEvent)) == before


@pytest.mark.parametrize(
    ("number", "field"),
    [
        (b'"loss_amount": 1e999', "loss_amount"),
        (b'"credibility": NaN', "credibility"),
        (b'"indicators": [{"value": "0812-3456-7890", "kind": "phone", "role": Infinity}]',
         "indicators.0.role"),
    ],
)  # fmt: skip
def test_a_number_no_double_holds_names_its_field_and_stores_nothing(
    store: Store, client: httpx.Client, number: bytes, field: str
) -> None:
    """QA session 10: the problem named ``body``, not the field, for ``1e999`` or ``NaN``."""
    _, reporter = org_with_token(store, "Bank", "reporter", type="bank")
    body = b'{"victim_country": "ID", "loss_currency": "IDR", ' + number + b"}"
    resp = client.post(
        "/api/v1/reports", content=body,
        headers={**_auth(reporter), "content-type": "application/json"},
    )  # fmt: skip
    assert resp.status_code == 422, resp.text
    assert resp.json()["field"] == field
    assert _count(store, Report) == 0


def test_oversized_body_is_refused(store: Store, client: httpx.Client) -> None:
    _, reporter = org_with_token(store, "Bank", "reporter", type="bank")
    huge = {**GOOD, "narrative": "x" * 6_000_000}
    resp = client.post("/api/v1/reports", json=huge, headers=_auth(reporter))
    assert resp.status_code == 413
    assert _count(store, Report) == 0


def test_unknown_report_is_404(store: Store, client: httpx.Client) -> None:
    _, analyst = org_with_token(store, "Polis", "analyst")
    resp = client.get("/api/v1/reports/99999", headers=_auth(analyst))
    assert resp.status_code == 404
    assert resp.json()["status"] == 404


def test_source_defaults_to_the_filing_organisation(store: Store, client: httpx.Client) -> None:
    """A bank's desk filing without a source files as the bank; a source given is kept."""
    _, bank = org_with_token(store, "BCA Fraud", "reporter", country="ID", type="bank")
    _, ministry = org_with_token(store, "Komdigi", "reporter", country="ID", type="ministry")
    _, analyst = org_with_token(store, "Bareskrim", "analyst", country="ID")
    body = {"victim_country": "ID", "narrative": "transfer ke rek BCA 5550001111"}
    ids = [
        client.post("/api/v1/reports", json={**body, "external_id": "a"}, headers=_auth(bank)),
        client.post("/api/v1/reports", json={**body, "external_id": "b", "source": "hotline"},
                    headers=_auth(bank)),
        client.post("/api/v1/reports", json={**body, "external_id": "c"}, headers=_auth(ministry)),
    ]  # fmt: skip
    sources = [
        client.get(f"/api/v1/reports/{r.json()['id']}", headers=_auth(analyst)).json()["source"]
        for r in ids
    ]
    assert sources == ["bank", "hotline", "web_form"]


def test_a_mistyped_filter_is_refused_not_ignored(store: Store, client: httpx.Client) -> None:
    """``?countyr=ID`` listed every country's reports as if filtered (QA, session 10)."""
    _, analyst = org_with_token(store, "Bareskrim", "analyst", country="ID")
    resp = client.get("/api/v1/reports", params={"countyr": "ID"}, headers=_auth(analyst))
    assert resp.status_code == 422, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert "countyr" in resp.text
    ok = client.get(
        "/api/v1/reports", params={"country": "ID", "limit": "5"}, headers=_auth(analyst)
    )
    assert ok.status_code == 200

"""The public check API over a real server and store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tangkal.config import Settings
from tangkal.store import Store
from tangkal.web.app import create_app
from tests.conftest import LiveServer
from tests.factories import file_report

PHONE_LOCAL = "0812-3456-7890"
PHONE_E164 = "+6281234567890"


def test_unknown_number_has_no_reports(client: httpx.Client) -> None:
    body = client.get("/api/v1/check", params={"q": PHONE_LOCAL, "country": "ID"}).json()
    assert body["kind"] == "phone"
    assert body["value"] == PHONE_E164
    assert body["verdict"] == "no_reports"
    assert body["evidence"]["reports"] == 0


def test_corroborated_number_is_scam_with_evidence_and_no_identities(
    store: Store, client: httpx.Client
) -> None:
    for i, country in enumerate(["ID", "MY"]):
        file_report(
            store, f"citizen:{i}", victim_country=country, typology="investment",
            narrative=f"Dia minta transfer, hubungi +62 812 3456 7890 (#{i})",
            loss_amount="150.00", loss_currency="USD",
            victim_contact={"name": "Siti Victim", "phone": "+6281111111111"},
        )  # fmt: skip
    resp = client.get("/api/v1/check", params={"q": PHONE_LOCAL, "country": "ID"})
    assert resp.status_code == 200
    body = resp.json()
    assert body["verdict"] == "scam"
    ev = body["evidence"]
    assert (ev["reports"], ev["reporters"]) == (2, 2)
    assert ev["countries"] == ["ID", "MY"]
    assert ev["typologies"] == ["investment"]
    assert ev["total_loss_usd"] == 300.0
    assert "Siti" not in resp.text and "6281111111111" not in resp.text
    assert "citizen:" not in resp.text


def test_single_report_is_only_suspicious(store: Store, client: httpx.Client) -> None:
    file_report(store, "citizen:9", indicators=[{"value": PHONE_E164}])
    body = client.get("/api/v1/check", params={"q": PHONE_E164}).json()
    assert body["verdict"] == "suspicious"


def test_allowlisted_domain_is_never_scam(store: Store, client: httpx.Client) -> None:
    for i in range(3):
        file_report(store, f"citizen:{i}", indicators=[{"value": "https://www.bca.co.id/login"}])
    body = client.get("/api/v1/check", params={"q": "https://www.bca.co.id/login"}).json()
    assert body["verdict"] == "allowlisted"


def test_batch_check_screens_many_values_in_order(store: Store, client: httpx.Client) -> None:
    for i in range(2):
        file_report(store, f"citizen:{i}", indicators=[{"value": PHONE_E164}])
    values = [PHONE_LOCAL, "not a value at all ###", "+60123456789"]
    resp = client.post("/api/v1/check", json={"values": values, "country": "ID"})
    assert resp.status_code == 200
    results = resp.json()["results"]
    assert [r["query"] for r in results] == values
    assert results[0]["verdict"] == "scam"
    assert "error" in results[1]
    assert results[2]["verdict"] == "no_reports"


def test_a_batch_of_several_chunks_keeps_its_order(store: Store, client: httpx.Client) -> None:
    """The server answers a batch 500 values at a time; the answers still line up."""
    for i in range(2):
        file_report(store, f"citizen:{i}", indicators=[{"value": PHONE_E164}])
    values = [f"+6281299{i:06d}" for i in range(1_234)]
    values[0] = values[700] = values[1_233] = PHONE_LOCAL
    values[501] = "not a value at all ###"
    resp = client.post("/api/v1/check", json={"values": values, "country": "ID"})
    assert resp.status_code == 200
    results = resp.json()["results"]
    assert [r["query"] for r in results] == values
    assert [i for i, r in enumerate(results) if r.get("verdict") == "scam"] == [0, 700, 1_233]
    assert [i for i, r in enumerate(results) if "error" in r] == [501]
    assert all(r["verdict"] == "no_reports" for r in results[1:500])


@pytest.mark.parametrize(
    ("params", "field"),
    [({}, "q"), ({"q": "   "}, "q"), ({"q": "+6281234567890", "country": "ZZ"}, "country"),
     ({"q": "hello there"}, "q")],
)  # fmt: skip
def test_bad_check_queries_get_problems_naming_the_field(
    client: httpx.Client, params: dict[str, str], field: str
) -> None:
    resp = client.get("/api/v1/check", params=params)
    assert 400 <= resp.status_code < 500
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.json()["field"] == field


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"values": []}, "values", 422),
        ({"values": ["x"] * 10_001}, "values", 413),
        ({"values": [1, 2]}, "values.0", 422),
        ({"values": ["+6281234567890", "ok", None]}, "values.2", 422),
        ({"values": ["+6281234567890", " \t "]}, "values.1", 422),
        ({"values": ["+6281234567890", "x" * 2049, ""]}, "values.1", 422),
        ({"values": ["a"], "extra": 1}, "extra", 422),
        ([1, 2], "body", 422),
    ],
)
def test_bad_batches_are_refused(
    client: httpx.Client, body: object, field: str, status: int
) -> None:
    resp = client.post("/api/v1/check", json=body)
    assert resp.status_code == status
    assert resp.json()["field"] == field


def test_invalid_json_is_a_problem(client: httpx.Client) -> None:
    resp = client.post(
        "/api/v1/check", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert resp.status_code == 422
    assert resp.json()["field"] == "body"


@pytest.mark.parametrize(
    ("path", "content", "field", "text"),
    [
        ("/api/v1/analyze", b'{"text": "hi", "country": 1e999}', "country", "1e999"),
        ("/api/v1/check", b'{"values": ["a", NaN]}', "values.1", "NaN"),
        ("/api/v1/check", b'{"values": ["a"], "country": -Infinity}', "country", "-Infinity"),
    ],
)
def test_numbers_no_double_holds_name_their_field(
    client: httpx.Client, path: str, content: bytes, field: str, text: str
) -> None:
    """QA session 10: ``1e999`` or ``NaN`` failed the whole body as field ``body``."""
    resp = client.post(path, content=content, headers={"content-type": "application/json"})
    assert resp.status_code == 422
    assert resp.headers["content-type"] == "application/problem+json"
    assert resp.json()["field"] == field
    assert resp.json()["detail"] == f"not a finite number: {text}"


def test_a_wrong_method_names_the_methods_allowed(client: httpx.Client) -> None:
    """QA session 10: the 405 problem dropped Starlette's Allow header (RFC 9110 §15.5.6)."""
    resp = client.delete("/api/v1/check")
    assert resp.status_code == 405
    assert resp.headers["content-type"] == "application/problem+json"
    assert sorted(m.strip() for m in resp.headers["allow"].split(",")) == ["GET", "HEAD", "POST"]


def test_analyze_returns_language_and_indicators(client: httpx.Client) -> None:
    text = "Selamat! Anda menang hadiah. Transfer ke rekening BCA 1234567890 atau hubungi 0812-3456-7890"
    body = client.post("/api/v1/analyze", json={"text": text, "country": "ID"}).json()
    assert body["language"] == "id"
    kinds = {(i["kind"], i["value"]) for i in body["indicators"]}
    assert ("phone", PHONE_E164) in kinds
    assert ("bank_account", "1234567890") in kinds


def test_analyze_scores_the_message_and_its_links(client: httpx.Client) -> None:
    text = (
        "Akun BCA Anda diblokir! Verifikasi sekarang di bca.co.id.verify-login.top "
        "atau transfer biaya Rp 250.000 ke rek 1234567890"
    )
    body = client.post("/api/v1/analyze", json={"text": text, "country": "ID"}).json()
    assert body["scam_probability"] > 0.5
    assert body["reasons"] and {"code", "text", "params"} <= set(body["reasons"][0])
    link = next(i for i in body["indicators"] if i["kind"] == "url")
    assert link["risk"] > 0.8
    assert any(r["code"] == "brand_in_subdomain" for r in link["reasons"])


def test_unreported_lookalike_link_is_suspicious_never_scam(client: httpx.Client) -> None:
    body = client.get("/api/v1/check", params={"q": "http://bca.co.id.verify-login.top/"}).json()
    assert body["verdict"] == "suspicious"
    assert body["model_risk"] > 0.8
    assert body["evidence"]["reports"] == 0


def test_unreported_ordinary_bank_site_is_not_flagged(client: httpx.Client) -> None:
    body = client.get("/api/v1/check", params={"q": "https://www.klikbca.com/"}).json()
    assert body["verdict"] == "allowlisted"


def test_analyze_gives_the_reasons_in_the_asked_language(client: httpx.Client) -> None:
    """A bank's app shows the reasons to its user: in Thai when asked, English otherwise."""
    text = "Selamat! Anda menang hadiah Rp50 juta. Transfer biaya admin ke rek BCA 1234567890"
    english = client.post("/api/v1/analyze", json={"text": text, "country": "ID"}).json()
    thai = client.post("/api/v1/analyze", json={"text": text, "country": "ID", "lang": "th"}).json()
    first = english["reasons"][0]
    assert first["code"] == "asks_transfer_money"
    assert first["text"] == "Asks you to send, transfer or deposit money"
    assert thai["reasons"][0]["code"] == first["code"]
    assert thai["reasons"][0]["text"] == "ขอให้คุณโอน ส่ง หรือฝากเงิน"
    assert thai["indicators"] == english["indicators"]  # only reasons' text changes


@pytest.mark.parametrize("lang", ["xx", "", 7, ["th"]])
def test_analyze_refuses_an_unknown_language(client: httpx.Client, lang: object) -> None:
    resp = client.post("/api/v1/analyze", json={"text": "hello", "lang": lang})
    assert resp.status_code == 422
    assert resp.json()["field"] == "lang"


def test_analyze_gives_link_reasons_in_the_asked_language_too(client: httpx.Client) -> None:
    text = "Akun BCA Anda diblokir! Verifikasi di bca.co.id.verify-login.top sekarang"
    body = client.post("/api/v1/analyze", json={"text": text, "country": "ID", "lang": "vi"}).json()
    link = next(i for i in body["indicators"] if i["kind"] == "url")
    reason = next(r for r in link["reasons"] if r["code"] == "brand_in_subdomain")
    assert reason["text"] == "Liên kết đặt bca.co.id phía trước một tên miền không liên quan"
    assert reason["params"] == {"brand": "bca.co.id"}


@pytest.fixture
def strict_server(store: Store, tmp_path: Path) -> Iterator[LiveServer]:
    settings = Settings(database_url=store.url, public_rate_limit=3, data_dir=str(tmp_path / "var"))
    with LiveServer(create_app(settings, store)) as server:
        yield server


def test_refused_batches_count_against_the_rate_limit(strict_server: LiveServer) -> None:
    """QA session 10: a batch was counted only once valid, so a client could send
    5 MB bodies of bad JSON without end."""
    with httpx.Client(base_url=strict_server.url, timeout=30) as client:
        headers = {"content-type": "application/json"}
        statuses = [
            client.post("/api/v1/check", content=b"{not json", headers=headers).status_code
            for _ in range(4)
        ]
    assert statuses == [422, 422, 422, 429]


def test_a_batch_still_costs_one_unit_per_thousand_values(strict_server: LiveServer) -> None:
    with httpx.Client(base_url=strict_server.url, timeout=30) as client:
        big = client.post("/api/v1/check", json={"values": ["0812-3456-7890"] * 2500})
        assert big.status_code == 200  # 2.5 of the 3 units
        assert client.post("/api/v1/check", json={"values": ["x"]}).status_code == 429

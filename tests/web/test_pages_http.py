"""The public pages over plain HTTP: CSRF, size limits, not-found, rate limits, headers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from tangkal.config import Settings
from tangkal.report.models import Indicator, Report
from tangkal.store import Store
from tangkal.web.app import create_app
from tangkal.web.pages import FORM_LIMIT
from tests.conftest import LiveServer

HTML = {"accept": "text/html"}
GOOD_FORM = {
    "country": "ID",
    "typology": "investment",
    "channel": "telegram",
    "phone": "0812-7777-0001",
    "story": "Disuruh deposit ke aplikasi trading, uang tidak bisa ditarik.",
    "amount": "2.000.000",
    "currency": "",
    "contact_phone": "0812 1111 2222",
    "consent": "yes",
}


def _reports(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Report)) or 0)


def _token(client: httpx.Client) -> str:
    page = client.get("/report")
    assert page.status_code == 200
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match, "no CSRF token in the form"
    return match.group(1)


def test_pages_carry_the_security_headers(client: httpx.Client) -> None:
    for path in ("/", "/check?q=0812-3456-7890&country=ID", "/report"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert resp.headers["content-type"].startswith("text/html")
        csp = resp.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "http" not in csp  # no other origin is ever allowed
        assert resp.headers["x-content-type-options"] == "nosniff"
        assert resp.headers["referrer-policy"] == "no-referrer"
    css = client.get("/static/tangkal.css")
    assert css.status_code == 200 and css.headers["x-content-type-options"] == "nosniff"


def test_pages_reference_no_outside_asset(client: httpx.Client) -> None:
    for path in ("/", "/report", "/check?q=hello+0812-3456-7890+bit.ly/x"):
        html = client.get(path).text
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert url.startswith(("/", "#")), f"{path} links outside the node: {url}"
        assert "<script" not in html  # the pages work without JavaScript


def test_a_form_post_without_a_valid_token_is_refused(store: Store, client: httpx.Client) -> None:
    no_token = client.post("/report", data=GOOD_FORM)
    assert no_token.status_code == 403
    assert "expired or was sent from another site" in no_token.text
    token = _token(client)
    # A token served to another browser does not match this browser's cookie.
    with httpx.Client(base_url=str(client.base_url)) as other:
        other.get("/report")
        stolen = other.post("/report", data={**GOOD_FORM, "csrf": token})
    assert stolen.status_code == 403
    # A token with its end changed (never to itself: a token may already end in "00").
    ending = "00" if token[-2:] != "00" else "11"
    forged = client.post("/report", data={**GOOD_FORM, "csrf": token[:-2] + ending})
    assert forged.status_code == 403
    assert _reports(store) == 0
    ok = client.post("/report", data={**GOOD_FORM, "csrf": token})
    assert ok.status_code == 201
    assert _reports(store) == 1


def test_a_filed_report_shows_its_reference_and_private_status_link(
    store: Store, client: httpx.Client
) -> None:
    resp = client.post("/report", data={**GOOD_FORM, "csrf": _token(client)})
    assert resp.status_code == 201
    reference = re.search(r'id="reference">([A-Z2-9]{10})<', resp.text)
    assert reference
    assert re.search(rf'href="/status/{reference.group(1)}\?k=[\w-]+"', resp.text)
    with store.read() as session:
        report = session.scalars(select(Report)).one()
    assert report.reference == reference.group(1)
    assert (report.loss_amount, report.loss_currency) == (2_000_000, "IDR")
    assert report.victim_contact == {"phone": "0812 1111 2222"}
    assert report.language == "en"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Rp 1.500.000,-", 1_500_000),
        ("500.000đ", 500_000),
        ("IDR 75.000", 75_000),  # on the English page: it was read as 75
        ("5 juta", None),  # five million: it was stored as Rp 5
        ("50 ribu", None),
        ("10k", None),
        ("2 triệu", None),
        ("-5", None),
    ],
)
def test_an_amount_is_read_whole_or_refused_never_cut_short(
    store: Store, client: httpx.Client, typed: str, stored: int | None
) -> None:
    """QA session 10: trailing words were dropped, so "5 juta" (5 million) became 5, and the
    page's language outranked the country's digit grouping, so "75.000" became 75."""
    resp = client.post("/report", data={**GOOD_FORM, "amount": typed, "csrf": _token(client)})
    if stored is None:
        assert resp.status_code == 422
        assert 'id="amount-error"' in resp.text and "digits only" in resp.text
        assert _reports(store) == 0
    else:
        assert resp.status_code == 201, resp.text
        with store.read() as session:
            assert session.scalars(select(Report.loss_amount)).one() == stored


def test_an_amount_follows_the_country_not_the_page_language(
    store: Store, client: httpx.Client
) -> None:
    """A Singaporean on the Indonesian page: "S$ 1,200" is 1,200 dollars, not 1.20."""
    form = {**GOOD_FORM, "country": "SG", "phone": "+65 8123 4567", "amount": "S$ 1,200"}
    resp = client.post(
        "/report", data={**form, "csrf": _token(client)}, headers={"accept-language": "id"}
    )
    assert resp.status_code == 201, resp.text
    with store.read() as session:
        report = session.scalars(select(Report)).one()
    assert (report.loss_amount, report.loss_currency, report.language) == (1200, "SGD", "id")


def test_one_person_filing_many_reports_counts_as_one_reporter(
    store: Store, client: httpx.Client
) -> None:
    for i in range(3):
        form = {
            **GOOD_FORM,
            "story": f"Report number {i} of the same scam.",
            "csrf": _token(client),
        }
        assert client.post("/report", data=form).status_code == 201
    with store.read() as session:
        ind = session.scalars(select(Indicator).where(Indicator.value == "+6281277770001")).one()
    assert (ind.report_count, ind.reporter_count) == (3, 1)


def test_sending_the_same_report_twice_stores_it_once(store: Store, client: httpx.Client) -> None:
    form = {**GOOD_FORM, "csrf": _token(client)}
    assert client.post("/report", data=form).status_code == 201
    again = client.post("/report", data=form)
    assert again.status_code == 200
    assert "We already have this report" in again.text and "/status/" not in again.text
    assert _reports(store) == 1


def test_an_oversized_form_is_refused_and_nothing_is_stored(
    store: Store, client: httpx.Client
) -> None:
    form = {**GOOD_FORM, "csrf": _token(client), "story": "x" * (FORM_LIMIT + 10)}
    resp = client.post("/report", data=form)
    assert resp.status_code == 413
    assert "too long to send" in resp.text
    assert _reports(store) == 0


def test_a_story_over_the_limit_is_an_error_next_to_the_story(
    store: Store, client: httpx.Client
) -> None:
    form = {**GOOD_FORM, "csrf": _token(client), "story": "y" * 20_001}
    resp = client.post("/report", data=form)
    assert resp.status_code == 422
    assert 'id="story-error"' in resp.text and "under 20,000 characters" in resp.text
    assert _reports(store) == 0


def test_other_bodies_are_refused(store: Store, client: httpx.Client) -> None:
    token = _token(client)
    as_json = client.post("/report", json={**GOOD_FORM, "csrf": token})
    assert as_json.status_code == 400
    assert _reports(store) == 0


def test_a_text_too_long_for_the_check_page_is_explained(client: httpx.Client) -> None:
    resp = client.get("/check", params={"q": "a " * 800})
    assert resp.status_code == 422
    assert 'id="q-error"' in resp.text and "too long" in resp.text


def test_the_check_box_says_how_much_it_reads(client: httpx.Client) -> None:
    """The box stops at 1,500 characters; it used to cut a long paste without a word (QA)."""
    assert "Up to 1,500 characters are checked." in client.get("/check").text
    indonesian = client.get("/check", headers={"accept-language": "id"}).text
    assert "Maksimal 1.500 karakter yang diperiksa." in indonesian
    assert 'maxlength="1500"' in indonesian


def test_an_unrecognisable_value_is_explained_next_to_the_box(client: httpx.Client) -> None:
    resp = client.get("/check", params={"q": "hello"})
    assert resp.status_code == 422
    assert 'aria-invalid="true"' in resp.text and "could not read this" in resp.text


def test_an_allowlisted_domain_is_shown_as_known(client: httpx.Client) -> None:
    resp = client.get("/check", params={"q": "https://www.bca.co.id/", "country": "ID"})
    assert resp.status_code == 200
    assert "verdict-allowlisted" in resp.text and "Known legitimate" in resp.text
    assert "Bank Central Asia" in resp.text


def test_an_unknown_page_is_a_404_page_for_browsers_and_json_for_api_clients(
    client: httpx.Client,
) -> None:
    page = client.get("/no-such-page", headers=HTML)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "This page does not exist" in page.text
    assert page.headers["x-content-type-options"] == "nosniff"
    api = client.get("/no-such-page", headers={"accept": "application/json"})
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"
    under_api = client.get("/api/v1/nothing-here", headers=HTML)
    assert under_api.headers["content-type"] == "application/problem+json"
    # Routes of other domains still win: the fallback never hides them.
    assert client.get("/healthz", headers=HTML).json()["status"] == "ok"
    slash = client.get("/report/", headers=HTML)
    assert slash.status_code == 308 and slash.headers["location"] == "/report"


@pytest.fixture
def strict_server(store: Store, tmp_path: Path) -> Iterator[LiveServer]:
    settings = Settings(database_url=store.url, public_rate_limit=3, data_dir=str(tmp_path / "var"))
    with LiveServer(create_app(settings, store)) as server:
        yield server


def test_checks_and_reports_are_rate_limited_per_client(
    store: Store, strict_server: LiveServer
) -> None:
    with httpx.Client(base_url=strict_server.url, timeout=30) as client:
        token = _token(client)  # showing the form costs nothing
        statuses = [
            client.get("/check", params={"q": "0812-3456-7890", "country": "ID"}).status_code
            for _ in range(3)
        ]
        assert statuses == [200, 200, 200]
        limited = client.get("/check", params={"q": "0812-3456-7890"})
        assert limited.status_code == 429
        assert limited.headers["retry-after"] == "60"
        assert "Too many requests" in limited.text
        post = client.post("/report", data={**GOOD_FORM, "csrf": token})
        assert post.status_code == 429
    assert _reports(store) == 0

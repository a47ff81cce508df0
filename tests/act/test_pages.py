"""The act pages in real headless Chromium: case board, inbox/outbox, dispute form, status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tangkal.act import cases, requests
from tangkal.act.clock import FixedClock
from tangkal.store import Store
from tests.act.conftest import Actor
from tests.conftest import LiveServer
from tests.factories import file_report

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(locale="en-GB")
    yield context.new_page()
    context.close()


def sign_in(page: Page, server: LiveServer, actor: Actor) -> None:
    page.goto(f"{server.url}/act/login")
    page.fill("#token", actor.token)
    page.click("#sign-in")
    page.wait_for_url(f"{server.url}/act/cases")


def test_case_board_and_request_boxes(
    page: Page, server: LiveServer, store: Store, cast: dict[str, Actor]
) -> None:
    police, bank = cast["police_id"], cast["bank_th"]
    past = FixedClock(dt.datetime.now(dt.UTC) - dt.timedelta(hours=3))
    with store.begin() as s:
        case = cases.open_case(s, police.who, "Mule accounts in Bangkok", network_id="NET-9")
        req = requests.create_request(s, police.who, case.id, "freeze", bank.org_id,
                                      currency="THB", clock=past)  # fmt: skip
        requests.transition(s, police.who, req.id, "submit", clock=past)  # an hour to acknowledge
        cases.add_note(s, police.who, case.id, "Bank confirmed the holder.")
    sign_in(page, server, police)
    board = page.locator(f'#cases li.case[data-id="{case.id}"]')
    assert "Mule accounts in Bangkok" in board.inner_text()
    assert "1 overdue" in board.inner_text()
    board.locator("a").first.click()
    page.wait_for_url(f"{server.url}/act/cases/{case.id}")
    assert page.inner_text("#case-title") == "Mule accounts in Bangkok"
    assert "Bank confirmed the holder." in page.inner_text("#notes")
    page.goto(f"{server.url}/act/requests")
    row = page.locator(f'#outbox tr[data-id="{req.id}"]')
    assert "overdue" in (row.get_attribute("class") or "")
    assert "Acknowledgement overdue" in row.inner_text()
    assert page.locator("#inbox").count() == 0

    page.context.clear_cookies()
    sign_in(page, server, bank)
    assert page.locator("#no-cases").is_visible()  # the bank is not invited to the case
    page.goto(f"{server.url}/act/requests")
    assert page.locator(f'#inbox tr[data-id="{req.id}"] .status').inner_text() == "submitted"
    response = page.goto(f"{server.url}/act/cases/{case.id}")
    assert response is not None and response.status == 404


def test_staff_pages_need_a_token(page: Page, server: LiveServer, store: Store) -> None:
    page.goto(f"{server.url}/act/cases")
    assert page.url == f"{server.url}/act/login"
    page.fill("#token", "tgk_not-a-token")
    page.click("#sign-in")
    assert page.locator("#login-error").is_visible()


def test_victim_status_page(page: Page, server: LiveServer, store: Store) -> None:
    filed = file_report(store, narrative="Paid to https://fake-invest.example.net")
    response = page.goto(f"{server.url}/status/{filed.reference}?k={filed.status_secret}&lang=id")
    assert response is not None and response.status == 200
    steps = page.locator("#steps li")
    assert steps.count() == 1
    assert steps.first.get_attribute("data-step") == "received"
    assert "Laporan Anda telah diterima." in steps.first.inner_text()
    response = page.goto(f"{server.url}/status/{filed.reference}?k=wrong")
    assert response is not None and response.status == 404


def test_dispute_form(page: Page, server: LiveServer, store: Store) -> None:
    for i in range(2):
        file_report(
            store, f"citizen:{i}", narrative=f"Scam shop https://cheap-deals.example.com #{i}"
        )
    page.goto(f"{server.url}/dispute")
    page.fill("#value", "https://never-flagged.example.org")
    page.fill("#claimant_name", "Owner")
    page.fill("#claimant_contact", "owner@example.com")
    page.fill("#statement", "This is my shop.")
    page.click("#send-dispute")
    assert "not flagged" in page.inner_text("#dispute-error")
    page.fill("#value", "https://cheap-deals.example.com")
    page.click("#send-dispute")
    assert len(page.inner_text("#reference").strip()) == 10

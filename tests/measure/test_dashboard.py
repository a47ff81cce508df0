"""The dashboard in real headless Chromium: sign-in, charts, flow matrix, URL filters,
Bahasa Indonesia, a laptop and a phone; screenshots kept under test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tangkal.link.batch import recompute
from tangkal.store import Store
from tests.conftest import LiveServer
from tests.factories import org_with_token
from tests.measure.dataset import act, build

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEW = "/dashboard?since=2026-09-01&until=2026-11-27&granularity=week&by=typology"


@pytest.fixture
def region(store: Store) -> str:
    """The hand-built region, linked and acted on; returns an Indonesian police token."""
    invest = build(store)
    with store.begin() as s:
        recompute(s, degree_cap=1000, actor="test")
    return act(store, invest).police_token


def open_page(chromium: Browser, server: LiveServer, width: int, height: int) -> Page:
    context = chromium.new_context(
        viewport={"width": width, "height": height}, locale="en-GB", base_url=server.url
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    outside: list[str] = []
    local = re.compile(rf"^(http://127\.0\.0\.1:{server.port}/|data:|about:blank)")
    page.on("request", lambda r: None if local.match(r.url) else outside.append(r.url))
    page.outside = outside  # type: ignore[attr-defined]
    return page


def sign_in(page: Page, token: str) -> None:
    page.goto("/act/login")
    page.fill("#token", token)
    page.click("#sign-in")
    page.wait_for_url("**/act/cases")


def charts_drawn(page: Page) -> bool:
    return bool(
        page.evaluate(
            "['chart-reports', 'chart-losses'].every(id => "
            "Chart.getChart(document.getElementById(id)) !== undefined)"
        )
    )


def test_the_dashboard_on_a_laptop_in_bahasa_indonesia(
    chromium: Browser, server: LiveServer, region: str
) -> None:
    page = open_page(chromium, server, 1280, 900)
    sign_in(page, region)
    response = page.goto(VIEW.replace("week", "month") + "&lang=id")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "Gambaran regional penipuan daring"
    assert charts_drawn(page)
    assert page.locator("#kpi-reports").inner_text() == "10"  # 9, rounded: a cell was < 5
    matrix = page.locator("#flow-matrix")
    assert matrix.locator("td.heat-5").first.inner_text() == "6"  # Indonesia × Cambodia
    assert matrix.locator("td.heat-s").count() == 2  # MY×TH and ID×ID: fewer than 5
    assert page.locator("#table-networks tbody tr").count() == 2
    assert "freeze" in page.locator("#table-action").inner_text()
    assert "tidak ada korban" in page.locator("#privacy-note").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "measure-dashboard.png"), full_page=True)
    # Filters are GET parameters: choosing a country yields a shareable address.
    page.select_option("#country", "MY")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(r".*country=MY.*"))
    assert "since=2026-09-01" in page.url and "by=typology" in page.url
    assert page.locator("#kpi-reports").inner_text() == "<5"
    assert page.outside == []  # type: ignore[attr-defined]
    page.context.close()


def test_the_dashboard_on_a_phone_with_exact_numbers(
    chromium: Browser, server: LiveServer, region: str
) -> None:
    page = open_page(chromium, server, 360, 740)
    sign_in(page, region)
    page.goto(VIEW + "&exact=1&lang=en")
    assert page.locator("#kpi-reports").inner_text() == "9"
    assert page.locator("#flow-matrix td.heat-s").count() == 0
    assert charts_drawn(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width}px wide on a 360px phone"
    page.screenshot(path=str(ARTIFACTS / "measure-dashboard-phone.png"), full_page=True)
    csv = page.request.get("/dashboard/flows.csv?since=2026-09-01&until=2026-10-31")
    assert csv.ok and "ID,KH,any,6" in csv.text() and "<5" in csv.text()
    page.context.close()


def test_the_dashboard_needs_a_staff_sign_in(
    chromium: Browser, server: LiveServer, store: Store
) -> None:
    page = open_page(chromium, server, 1024, 768)
    page.goto("/dashboard")
    assert page.url.endswith("/act/login")
    reporter = org_with_token(store, "Bank ID", "reporter")[1]
    sign_in(page, reporter)
    assert page.goto("/dashboard").status == 403  # type: ignore[union-attr]
    bad = page.goto("/dashboard?since=2026-10-31&until=2026-10-01")
    assert bad is not None and bad.status == 403  # still a reporter
    page.context.close()


def test_bad_filters_show_the_form_again(client: httpx.Client, store: Store) -> None:
    token = org_with_token(store, "Cyber ID", "analyst")[1]
    page = client.get(
        "/dashboard",
        params={"since": "2026-10-31", "until": "2026-10-01"},
        headers={"Authorization": f"Bearer {token}", "Accept": "text/html"},
    )
    assert page.status_code == 422
    assert 'id="filter-error"' in page.text and "since" in page.text
    assert 'id="filters"' in page.text

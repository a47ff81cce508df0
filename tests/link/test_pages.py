"""The analyst pages in real headless Chromium: sign-in, list, profile and graph."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tangkal.link.batch import recompute
from tangkal.report.intake import file_reports
from tangkal.store import Store
from tests.conftest import LiveServer
from tests.factories import org_with_token
from tests.link.build import account, file, phone, prepared

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def desk(browser: Browser, server: LiveServer) -> Iterator[tuple[Page, list[str], list[str]]]:
    """A desktop page on the test server, with the URLs it fetched and console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server.url)
    page = context.new_page()
    page.set_default_timeout(30_000)
    fetched: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: fetched.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, fetched, errors
    context.close()
    outside = [u for u in fetched if not u.startswith(server.url)]
    assert not outside, f"the page fetched from outside the node: {outside}"


def _sign_in(page: Page, token: str, target: str) -> None:
    page.goto(target)
    assert "/networks/login" in page.url
    page.fill("#token", token)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(target) + "$"))


def test_analyst_signs_in_and_sees_the_network_and_its_graph(
    store: Store, desk: tuple[Page, list[str], list[str]]
) -> None:
    page, _fetched, errors = desk
    _, token = org_with_token(store, "Police", "analyst")
    with store.begin() as session:
        file(session, [phone(1)], country="ID")
        file(session, [phone(1), account(9)], country="MY")
        file(session, [account(9)], country="TH")
    _sign_in(page, token, "/networks")
    link = page.locator("#networks a").first
    nid = link.inner_text()
    assert re.fullmatch(r"N-[A-Z2-7]{8}", nid)
    cookie = next(c for c in page.context.cookies() if c["name"] == "tangkal_analyst")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    link.click()
    page.wait_for_url(re.compile(f"/networks/{nid}$"))
    page.wait_for_selector("#graph[data-ready]")
    assert page.get_attribute("#graph", "data-ready") == "5"  # 3 reports, 2 shared values
    assert page.locator("#graph canvas").count() >= 1
    assert page.inner_text("#report-count") == "3"
    assert "+6281200000001" in page.inner_text("#key-indicators")
    assert not [e for e in errors if "cytoscape" in e.lower() or "TypeError" in e], errors

    page.click("text=Sign out")
    page.wait_for_url(re.compile("/networks/login"))
    page.goto(f"/networks/{nid}")
    assert "/networks/login" in page.url


def test_reporters_cannot_sign_in_and_bad_tokens_are_refused(
    store: Store, desk: tuple[Page, list[str], list[str]]
) -> None:
    page, _fetched, _errors = desk
    _, reporter = org_with_token(store, "Bank", "reporter", type="bank")
    for token in (reporter, "tgk_not-a-token"):
        page.goto("/networks/login")
        page.fill("#token", token)
        page.click("button[type=submit]")
        assert page.locator("#login-error").is_visible()
        assert not [c for c in page.context.cookies() if c["name"] == "tangkal_analyst"]


def test_a_network_of_thousands_of_nodes_draws(
    store: Store, desk: tuple[Page, list[str], list[str]]
) -> None:
    page, _fetched, _errors = desk
    _, token = org_with_token(store, "Police", "analyst")
    # 1,500 reports in one network: a chain of 500 shared numbers, three reports each.
    batch = [prepared([phone(k // 3), phone(k // 3 + 1)]) for k in range(1500)]
    with store.begin() as session:
        file_reports(session, batch, reporter_key="test")
        recompute(session, degree_cap=1000)
    _sign_in(page, token, "/networks")
    started = time.perf_counter()
    page.click("#networks a")
    page.wait_for_selector("#graph[data-ready]", timeout=60_000)
    elapsed = time.perf_counter() - started
    drawn = int(page.get_attribute("#graph", "data-ready") or 0)
    assert drawn >= 2000
    assert elapsed < 45, elapsed
    page.mouse.wheel(0, 300)  # zooming a big graph must not break the page
    assert page.evaluate("window.tangkalGraph.nodes().length") == drawn

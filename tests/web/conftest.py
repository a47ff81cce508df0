"""Real headless Chromium for the page tests, driven through Playwright.

Debian's ``chromium`` is used (never a downloaded browser). When it cannot start, the
browser tests fail, loudly: a skipped browser test would hide a broken public page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.conftest import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}  # a cheap Android phone
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


# Module scope, not session: other test modules start their own Playwright, and two sync
# drivers cannot be alive in one thread. Modules run one after another, so they never overlap.
@pytest.fixture(scope="module")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    try:
        chromium = playwright_driver.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
    except Exception as exc:  # any launch failure must fail the run, not skip it
        pytest.fail(f"headless Chromium ({CHROMIUM}) could not start: {exc}", pytrace=False)
    yield chromium
    chromium.close()


class RecordingPage:
    """A phone-sized page that remembers every URL it requested."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.context = context
        self.page = page
        self.requests: list[str] = []
        context.on("request", lambda request: self.requests.append(request.url))

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def fits_the_screen(self) -> bool:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        return bool(width <= PHONE["width"])


@pytest.fixture
def phone(browser: Browser, server: LiveServer) -> Iterator[RecordingPage]:
    """A fresh 360×740 browser context on the test server; no request may leave it."""
    context = browser.new_context(
        viewport=PHONE, base_url=server.url, locale="en-US", device_scale_factor=1
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    recorder = RecordingPage(context, page)
    yield recorder
    context.close()
    local = re.compile(rf"^(http://127\.0\.0\.1:{server.port}/|data:|about:blank)")
    outside = [url for url in recorder.requests if not local.match(url)]
    assert not outside, f"the page fetched from outside the node: {outside}"

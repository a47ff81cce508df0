"""Headless Chromium for the analyst pages: the web tests' fixtures (fail, never skip)."""

from tests.web.conftest import browser, playwright_driver

__all__ = ["browser", "playwright_driver"]

"""Headless Chromium for the dashboard: the web tests' fixtures (fail, never skip)."""

from tests.web.conftest import browser as chromium
from tests.web.conftest import playwright_driver

__all__ = ["chromium", "playwright_driver"]

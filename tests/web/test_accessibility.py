"""axe-core in real headless Chromium: the pages a victim, an analyst and a ministry use.

A screen-reader user, a phone zoomed to 200% or a keyboard must reach the same verdict as
everyone else. axe-core (bundled by axe-playwright-python; nothing is fetched) checks the
WCAG rules a machine can check; any violation fails, with the rule and the element named.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tangkal.link.batch import recompute
from tangkal.store import Store
from tests.factories import file_report
from tests.measure.dataset import act, build
from tests.web.conftest import RecordingPage

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SCAM_MESSAGE = (
    "Selamat! Anda menang hadiah Rp50 juta. Transfer biaya admin ke BCA 1234567890 a.n. Budi, "
    "konfirmasi di bit.ly/hadiah-bca atau WA 0812-3456-7890"
)


def _violations(page: Page) -> list[str]:
    found = Axe().run(page).response["violations"]
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/check",
        "/check?q=%2B6281234567890&country=ID",
        "/check?q=" + SCAM_MESSAGE.replace(" ", "+") + "&country=ID",
        "/check?q=%2B6281234567890&country=ID&lang=th",
        "/report",
        "/report?lang=km",
        "/dispute",
        "/status/NO-SUCH-REFERENCE",
    ],
)
def test_public_pages_have_no_accessibility_violations(
    store: Store, phone: RecordingPage, path: str
) -> None:
    for i in range(2):
        file_report(store, f"citizen:{i}", indicators=[{"value": "+6281234567890"}])
    phone.page.goto(path)
    assert _violations(phone.page) == []


def test_a_report_form_with_errors_has_no_accessibility_violations(
    store: Store, phone: RecordingPage
) -> None:
    phone.page.goto("/report")
    phone.page.click("button[type=submit]")
    phone.page.wait_for_load_state()
    assert _violations(phone.page) == []


def test_staff_pages_have_no_accessibility_violations(store: Store, phone: RecordingPage) -> None:
    """Found by this test: a white number on the darkest heat cell (3.96:1), and table
    regions a keyboard could not scroll."""
    invest = build(store)
    with store.begin() as session:
        recompute(session, degree_cap=1000, actor="test")
    token = act(store, invest).police_token
    page = phone.page
    page.goto("/act/login")
    assert _violations(page) == []
    page.fill("#token", token)
    page.click("#sign-in")
    page.wait_for_url("**/act/cases")
    for path in ("/act/cases", "/act/requests", "/dashboard?since=2026-09-01&until=2026-11-27"):
        page.goto(path)
        assert _violations(page) == [], path
    assert page.locator("td.heat-5").count() > 0  # the darkest heat cell was among them

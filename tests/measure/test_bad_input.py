"""Bad input over the API and the dashboard: a 4xx problem naming the field, or an empty
answer with a note — never a 500 — on an empty store and a filled one, on both stores."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import update

from tangkal.measure import refresh
from tangkal.report.models import Report
from tangkal.store import Store
from tests.factories import file_report, org_with_token
from tests.measure.dataset import build

FIGURES = ("volumes", "flows", "networks", "action", "outcomes")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def analyst(store: Store) -> str:
    return org_with_token(store, "Cyber ID", "analyst", country="ID")[1]


@pytest.mark.parametrize("refreshed", [False, True])
def test_an_empty_store_gives_empty_figures_with_notes(
    client: httpx.Client, store: Store, analyst: str, refreshed: bool
) -> None:
    if refreshed:  # the summaries exist and are empty, as after `tangkal measure refresh`
        with store.begin() as s:
            refresh(s)
    for name in FIGURES:
        for granularity in ("day", "week", "month"):
            params = {"granularity": granularity, "since": "2026-10-01"}
            body = client.get(f"/api/v1/stats/{name}", params=params, headers=bearer(analyst))
            assert body.status_code == 200, (name, body.text)
            fig = body.json()
            assert fig["notes"], name
            assert all(not r.get("reports") for r in fig["rows"]), name
        csv = client.get(f"/api/v1/stats/{name}", params={"format": "csv"}, headers=bearer(analyst))
        assert csv.status_code == 200 and csv.text.count("\n") >= 1, name
    page = client.get("/dashboard", headers={**bearer(analyst), "Accept": "text/html"})
    assert page.status_code == 200


BAD = [
    ({"since": "2026-10-31", "until": "2026-10-01"}, "since"),  # reversed
    ({"since": "2999-01-01"}, "since"),  # starts in the future
    ({"since": "2027-01", "until": "2027-02"}, "since"),  # a whole future range
    ({"since": "2026-02-30"}, "since"),
    ({"since": "2026-1"}, "since"),
    ({"until": "10000-01-01"}, "until"),
    ({"until": "2026-13"}, "until"),
    ({"country": "ZZ"}, "country"),
    ({"country": "IDN"}, "country"),
    ({"country": "<script>"}, "country"),
    ({"granularity": "year"}, "granularity"),
    ({"since": "0001-01-01"}, "granularity"),  # two thousand years of months
    ({"since": "2020-01-01", "granularity": "day"}, "granularity"),
    ({"format": "xml"}, "format"),
]


@pytest.mark.parametrize("name", FIGURES)
def test_bad_filters_are_a_problem_naming_the_field(
    client: httpx.Client, store: Store, analyst: str, name: str
) -> None:
    build(store)
    for params, field in BAD:
        answer = client.get(f"/api/v1/stats/{name}", params=params, headers=bearer(analyst))
        assert answer.status_code == 422, (name, params, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["field"] == field, (name, params)


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("volumes", {"by": "colour"}, "by"),
        ("flows", {"kind": "pigeon"}, "kind"),
        ("networks", {"order": "size"}, "order"),
        ("networks", {"limit": "-1"}, "limit"),
        ("networks", {"limit": "101"}, "limit"),
        ("networks", {"limit": "1e3"}, "limit"),
        ("action", {"type": "bribe"}, "type"),
    ],
)
def test_bad_options_are_a_problem_naming_the_field(
    client: httpx.Client, analyst: str, name: str, params: dict[str, str], field: str
) -> None:
    answer = client.get(f"/api/v1/stats/{name}", params=params, headers=bearer(analyst))
    assert answer.status_code == 422 and answer.json()["field"] == field
    csv = client.get(f"/dashboard/{name}.csv", params=params, headers=bearer(analyst))
    assert csv.status_code == 422


def test_quiet_countries_and_old_ranges_are_empty_with_a_note(
    client: httpx.Client, store: Store, analyst: str
) -> None:
    build(store)
    for params in (
        {"country": "BN", "since": "2026-09", "until": "2026-10"},  # ASEAN, no reports
        {"country": "us", "since": "2026-09", "until": "2026-10"},  # ISO, outside the region
        {"since": "1900-01-01", "until": "1900-12-31"},
        {"since": "2026-11-28", "until": "2999-12-31"},  # today only: the rest is cut
    ):
        for name in FIGURES:
            body = client.get(f"/api/v1/stats/{name}", params=params, headers=bearer(analyst))
            assert body.status_code == 200, (name, params, body.text)
            fig = body.json()
            assert fig["notes"] and not any(r.get("reports") for r in fig["rows"]), (name, params)


@pytest.mark.parametrize("refreshed", [False, True])
def test_a_loss_without_a_usd_rate_is_counted_apart(
    client: httpx.Client, store: Store, analyst: str, refreshed: bool
) -> None:
    """A loss in a currency the rate table lacks (e.g. a report shared by a peer before its
    rate was added) is counted, kept out of loss_usd, and said in a note."""
    kept = file_report(
        store,
        "citizen:1",
        received_at="2026-10-02T09:00:00Z",
        loss_amount="50",
        loss_currency="USD",
    )
    odd = file_report(
        store,
        "citizen:2",
        received_at="2026-10-03T09:00:00Z",
        loss_amount="70",
        loss_currency="USD",
    )
    with store.begin() as s:
        s.execute(
            update(Report)
            .where(Report.id == odd.report_id)
            .values(loss_currency="XAF", loss_amount=70, loss_usd=None)
        )
    if refreshed:
        with store.begin() as s:
            refresh(s)
    assert kept.report_id != odd.report_id
    params = {"since": "2026-10", "until": "2026-10", "exact": "1"}
    fig = client.get("/api/v1/stats/volumes", params=params, headers=bearer(analyst)).json()
    assert fig["totals"]["reports"] == 2 and fig["totals"]["unconverted"] == 1
    assert fig["totals"]["loss_reports"] == 1
    assert any("without a USD rate" in n for n in fig["notes"])
    for name in FIGURES:
        answer = client.get(f"/api/v1/stats/{name}", params=params, headers=bearer(analyst))
        assert answer.status_code == 200, name

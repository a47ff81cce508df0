"""Each figure on a hand-built region with known answers, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tangkal.link.batch import recompute
from tangkal.measure import compute, parse_filters, refresh
from tangkal.measure.filters import Filters
from tangkal.measure.summaries import tail_size
from tangkal.store import Store
from tests.factories import file_report
from tests.measure.dataset import KH_PHONE, MYR_LOSS, act, build

TODAY = dt.date(2026, 11, 28)


def filters(**params: str) -> Filters:
    return parse_filters({"since": "2026-09", "until": "2026-10", **params}, TODAY)


def figure(store: Store, name: str, f: Filters | None = None, /, **params: str) -> dict[str, Any]:
    with store.read() as s:
        return compute(s, name, f or filters(), params).as_dict()


def cells(fig: dict[str, Any], *keys: str) -> dict[tuple[Any, ...], Any]:
    return {tuple(r[k] for k in keys[:-1]): r[keys[-1]] for r in fig["rows"]}


def test_volumes_by_month_country_typology_and_payment(store: Store) -> None:
    build(store)
    total = figure(store, "volumes")
    assert cells(total, "period", "reports") == {("2026-09",): 1, ("2026-10",): 8}
    assert cells(total, "period", "loss_usd") == {
        ("2026-09",): Decimal("0.00"),
        ("2026-10",): Decimal("600.00") + 2 * MYR_LOSS,
    }
    assert total["totals"]["reports"] == 9 and total["totals"]["loss_reports"] == 8
    by_country = figure(store, "volumes", by="country")
    assert cells(by_country, "period", "key", "reports") == {
        ("2026-09", "ID"): 1,
        ("2026-10", "ID"): 6,
        ("2026-10", "MY"): 2,
    }
    assert by_country["keys"] == ["ID", "MY"]  # largest first
    by_typology = figure(store, "volumes", by="typology")
    assert cells(by_typology, "period", "key", "reports") == {
        ("2026-09", "job_task"): 1,
        ("2026-10", "investment"): 6,
        ("2026-10", "romance"): 2,
    }
    by_payment = figure(store, "volumes", by="payment_method")
    assert cells(by_payment, "period", "key", "reports")[("2026-09", "unknown")] == 1
    by_channel = figure(store, "volumes", filters(country="MY"), by="channel")
    assert cells(by_channel, "period", "key", "reports") == {("2026-10", "facebook"): 2}


def test_weeks_start_on_monday_and_days_show_quiet_days(store: Store) -> None:
    build(store)
    weeks = figure(
        store, "volumes", filters(granularity="week", since="2026-10-01", until="2026-10-11")
    )
    # 1 October 2026 is a Thursday: its ISO week began on Monday 28 September.
    assert [r["period"] for r in weeks["rows"]] == ["2026-09-28", "2026-10-05"]
    assert [r["reports"] for r in weeks["rows"]] == [4, 4]
    days = figure(
        store, "volumes", filters(granularity="day", since="2026-10-05", until="2026-10-09")
    )
    assert [r["reports"] for r in days["rows"]] == [1, 1, 0, 0, 0]


def test_refreshed_summaries_give_the_same_answers(store: Store) -> None:
    build(store)
    names = [
        ("volumes", {"by": "country"}),
        ("volumes", {"by": "typology"}),
        ("flows", {}),
        ("flows", {"kind": "phone"}),
    ]
    weekly, daily = filters(granularity="week"), filters(granularity="day", since="2026-10-01")
    live = [figure(store, n, **p) for n, p in names]
    live_weeks = [figure(store, "volumes", weekly), figure(store, "volumes", daily)]
    with store.read() as s:
        assert tail_size(s) == 9
    with store.begin() as s:
        assert refresh(s)["full"] is True
        assert tail_size(s) == 0
    assert [figure(store, n, **p) for n, p in names] == live
    assert [figure(store, "volumes", weekly), figure(store, "volumes", daily)] == live_weeks
    # A report filed after the refresh, back-dated to September, is counted live…
    file_report(
        store,
        "citizen:late",
        victim_country="ID",
        received_at="2026-09-20T10:00:00Z",
        typology="job_task",
        indicators=[{"value": KH_PHONE}],
    )
    late = figure(store, "volumes", by="country")
    assert cells(late, "period", "key", "reports")[("2026-09", "ID")] == 2
    # …and folding it in (incrementally, then fully) changes nothing.
    with store.begin() as s:
        step = refresh(s)
        assert step["full"] is False and step["to_report_id"] == step["from_report_id"] + 1
    assert figure(store, "volumes", by="country") == late
    with store.begin() as s:
        refresh(s, full=True)
    assert figure(store, "volumes", by="country") == late
    assert (
        cells(figure(store, "flows"), "victim_country", "infra_country", "reports")[("ID", "KH")]
        == 7
    )


def test_flows_victim_country_by_infrastructure_country(store: Store) -> None:
    build(store)
    flows = figure(store, "flows")
    assert cells(flows, "victim_country", "infra_country", "reports") == {
        ("ID", "KH"): 6,
        ("MY", "TH"): 2,
        ("ID", "ID"): 1,
    }
    assert cells(flows, "victim_country", "infra_country", "loss_usd")[("MY", "TH")] == 2 * MYR_LOSS
    assert flows["totals"] == {
        "reports": 9,
        "cross_border_reports": 8,
        "cross_border_share": round(8 / 9, 4),
    }
    assert flows["victim_countries"] == ["ID", "MY"]
    phone = figure(store, "flows", kind="phone")
    assert {r["kind"] for r in phone["rows"]} == {"phone"}
    assert figure(store, "flows", kind="bank_account")["rows"] == []
    # A country filter keeps the flows with that country on either side.
    thai = figure(store, "flows", filters(country="TH"))
    assert cells(thai, "victim_country", "infra_country", "reports") == {("MY", "TH"): 2}


def test_small_counts_are_suppressed_and_totals_rounded(store: Store) -> None:
    build(store)
    with store.read() as s:
        fig = compute(s, "volumes", filters(), {"by": "country"}, min_count=5).as_dict()
    got = cells(fig, "period", "key", "reports")
    assert got == {("2026-09", "ID"): "<5", ("2026-10", "ID"): 6, ("2026-10", "MY"): "<5"}
    assert cells(fig, "period", "key", "loss_usd")[("2026-10", "MY")] is None
    assert cells(fig, "period", "key", "loss_usd")[("2026-10", "ID")] == Decimal("600.00")
    assert fig["totals"]["reports"] == 10  # 9, rounded to a multiple of 5
    assert fig["totals"]["loss_usd"] == Decimal(1000)
    assert fig["suppressed_below"] == 5 and any("below 5" in n for n in fig["notes"])
    with store.read() as s:
        flows = compute(s, "flows", filters(), {}, min_count=5).as_dict()
        exact = compute(s, "flows", filters(), {}, min_count=0).as_dict()
        loose = compute(s, "flows", filters(), {}, min_count=2).as_dict()
    assert cells(flows, "victim_country", "infra_country", "reports")[("MY", "TH")] == "<5"
    assert exact["suppressed_below"] is None and exact["notes"] == []
    assert cells(loose, "victim_country", "infra_country", "reports") == {
        ("ID", "KH"): 6,
        ("MY", "TH"): 2,
        ("ID", "ID"): "<2",
    }


def test_top_networks_by_victims_and_loss(store: Store) -> None:
    build(store)
    with store.begin() as s:
        recompute(s, degree_cap=1000, actor="test")
    nets = figure(store, "networks")
    assert [(r["reports"], r["victim_countries"], r["infra_countries"]) for r in nets["rows"]] == [
        (6, ["ID"], ["KH"]),
        (2, ["MY"], ["TH"]),
    ]
    by_loss = figure(store, "networks", order="loss", limit="1")
    assert [r["loss_usd"] for r in by_loss["rows"]] == [Decimal("600.00")]
    assert figure(store, "networks", filters(country="TH"))["rows"][0]["reports"] == 2
    empty = figure(store, "networks", filters(since="2026-01", until="2026-02"))
    assert empty["rows"] == [] and empty["notes"]


def test_time_to_act_and_outcomes(store: Store) -> None:
    invest = build(store)
    act(store, invest)
    action = figure(store, "action", filters(since="2026-10", until="2026-11-28"))
    rows = {(r["type"], r["from_country"], r["to_country"]): r for r in action["rows"]}
    freeze = rows[("freeze", "ID", "TH")]
    assert freeze["requests"] == 2 and freeze["executed"] == 2
    # first report 1 Oct 09:00 → requests 20 Oct 08:00 and 20:00 (the clock moved 2 + 10
    # hours with the first): 455 and 467 hours
    assert freeze["median_report_to_request_hours"] == 461
    assert freeze["median_request_to_acknowledgement_hours"] == 3  # median of 2 and 4
    assert freeze["median_acknowledgement_to_execution_hours"] == 15
    assert rows[("takedown", "ID", "SG")]["median_request_to_acknowledgement_hours"] is None
    assert figure(store, "action", filters(since="2026-10", until="2026-11-28"), type="takedown")[
        "totals"
    ] == {"requests": 1, "executed": 0}
    out = figure(store, "outcomes", filters(since="2026-10", until="2026-11-28"))
    t = out["totals"]
    assert t["reports"] == 8 and t["reports_with_freeze"] == 3
    assert t["freeze_share"] == round(3 / 8, 4)
    assert t["freeze_requests"] == 2
    assert (t["frozen_usd"], t["returned_usd"]) == (Decimal(300), Decimal(100))
    assert any("without a USD rate" in n for n in out["notes"])  # the XAF freeze
    assert (t["disputes_filed"], t["disputes_upheld"], t["disputes_granted"]) == (1, 1, 0)
    october = next(r for r in out["rows"] if r["period"] == "2026-10")
    assert october["reports_with_freeze"] == 3 and october["freeze_requests"] == 2


def test_an_empty_store_answers_with_notes(store: Store) -> None:
    for name in ("volumes", "flows", "networks", "action", "outcomes"):
        fig = figure(store, name)
        assert fig["notes"], name
        assert all(not r.get("reports") for r in fig["rows"])
    assert figure(store, "volumes")["notes"] == ["no reports in this range"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "2026-10-31", "until": "2026-10-01"}, "since"),
        ({"since": "2027-01-01", "until": ""}, "since"),
        ({"since": "yesterday"}, "since"),
        ({"until": "2026-13"}, "until"),
        ({"country": "XX"}, "country"),
        ({"granularity": "year"}, "granularity"),
        ({"since": "2020-01-01", "granularity": "day"}, "granularity"),
    ],
)
def test_bad_filters_name_their_field(params: dict[str, str], field: str) -> None:
    from tangkal.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        parse_filters({"since": "2026-09", "until": "2026-10", **params}, TODAY)
    assert caught.value.field == field


def test_a_future_until_stops_today_with_a_note() -> None:
    f = parse_filters({"since": "2026-11-01", "until": "2027-06-30"}, TODAY)
    assert f.until == TODAY and "future" in f.notes[0]
    assert parse_filters({"country": "asean"}, TODAY).country is None
    assert parse_filters({"until": "2026-02"}, TODAY).until == dt.date(2026, 2, 28)


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [
        ("volumes", {"by": "colour"}, "by"),
        ("flows", {"kind": "pigeon"}, "kind"),
        ("networks", {"order": "size"}, "order"),
        ("networks", {"limit": "0"}, "limit"),
        ("networks", {"limit": "ten"}, "limit"),
        ("action", {"type": "bribe"}, "type"),
        ("nonsense", {}, "figure"),
    ],
)
def test_bad_figure_options_name_their_field(
    store: Store, name: str, params: dict[str, str], field: str
) -> None:
    from tangkal.errors import InvalidInput

    with pytest.raises(InvalidInput) as caught:
        figure(store, name, **params)
    assert caught.value.field == field

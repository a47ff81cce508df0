"""Time to act: medians per request type and country pair, from a fixed clock."""

from __future__ import annotations

import datetime as dt

from tangkal.act import cases, metrics, requests
from tangkal.act.clock import FixedClock
from tangkal.store import Store
from tests.act.conftest import Actor
from tests.factories import file_report

T0 = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)


def test_medians_per_type_and_country_pair(store: Store, cast: dict[str, Actor]) -> None:
    police, bank = cast["police_id"], cast["bank_th"]
    filed = file_report(store, narrative="Paid https://fake-invest.example.net",
                        received_at=(T0 - dt.timedelta(hours=10)).isoformat())  # fmt: skip
    # (hours to acknowledge, hours from acknowledgement to execution)
    for ack, execute in ((1, 5), (3, 7), (2, 30)):
        clock = FixedClock(T0)
        with store.begin() as s:
            case = cases.open_case(s, police.who, "Invest", report_ids=[filed.report_id])
            req = requests.create_request(s, police.who, case.id, "freeze", bank.org_id,
                                          clock=clock)  # fmt: skip
            requests.transition(s, police.who, req.id, "submit", clock=clock)
            requests.transition(s, bank.who, req.id, "acknowledge", clock=clock.advance(hours=ack))
            requests.transition(s, bank.who, req.id, "start", clock=clock)
            requests.transition(s, bank.who, req.id, "execute", clock=clock.advance(hours=execute))
    with store.begin() as s:  # a submitted takedown, not yet acknowledged
        req = requests.create_request(s, police.who, case.id, "takedown",
                                      cast["platform_sg"].org_id)  # fmt: skip
        requests.transition(s, police.who, req.id, "submit")
    with store.read() as s:
        rows = metrics.response_times(s)
    freeze, takedown = rows
    assert (freeze["type"], freeze["from_country"], freeze["to_country"]) == ("freeze", "ID", "TH")
    assert freeze["requests"] == 3 and freeze["executed"] == 3
    assert freeze["median_report_to_request_hours"] == 10
    assert freeze["median_request_to_acknowledgement_hours"] == 2
    assert freeze["median_acknowledgement_to_execution_hours"] == 7
    assert freeze["median_request_to_execution_hours"] == 10
    assert (takedown["type"], takedown["to_country"], takedown["executed"]) == ("takedown", "SG", 0)
    assert takedown["median_request_to_acknowledgement_hours"] is None

"""Linking on real stores: incremental as reports arrive, batch by ``tangkal link``."""

from __future__ import annotations

import random
import time

from sqlalchemy import event, select, text, update

from tangkal.check.allowlist import add as allow
from tangkal.check.lookup import check_one
from tangkal.link.batch import recompute
from tangkal.link.incremental import link_reports
from tangkal.link.models import Network, NetworkEvent, NetworkMember
from tangkal.link.summary import list_networks
from tangkal.report.models import Indicator
from tangkal.store import Store
from tangkal.store.base import utcnow
from tests.link.build import account, file, network_of, partition, phone, value


def test_empty_store_has_no_networks_and_recompute_says_so(store: Store) -> None:
    with store.begin() as session:
        result = recompute(session, degree_cap=1000)
    assert (result.networks, result.members, result.changed_members) == (0, 0, 0)
    with store.read() as session:
        assert list_networks(session) == []


def test_reports_sharing_a_value_become_one_network_that_keeps_its_id(store: Store) -> None:
    with store.begin() as session:
        a = file(session, [phone(1)], country="ID")
        b = file(session, [phone(1), account(7)], country="MY")
    first = network_of(store, a)
    assert first is not None and first == network_of(store, b)
    with store.begin() as session:
        c = file(session, [account(7)], country="TH")
    assert network_of(store, c) == first
    with store.begin() as session:
        result = recompute(session, degree_cap=1000)
    assert result.changed_members == 0 and network_of(store, c) == first
    with store.read() as session:
        (net,) = list_networks(session)
    assert net.id == first and net.report_count == 3
    assert net.countries == ",ID,MY,TH," and net.cross_border
    assert net.infra_countries == ",ID,KH,"


def test_a_lone_report_is_in_no_network(store: Store) -> None:
    with store.begin() as session:
        a = file(session, [phone(1)])
        file(session, [phone(2)])
    assert network_of(store, a) is None and partition(store) == set()


def test_hub_values_never_link_reports(store: Store) -> None:
    with store.begin() as session:
        allow(session, "+62211500655", kind="phone", label="Bank hotline", actor="test")
    hubs = [
        value("url", "https://t.me/"),
        value("domain", "bit.ly"),
        value("domain", "gmail.com"),
        value("domain", "github.io"),
        value("phone", "+62211500655"),
    ]
    with store.begin() as session:
        for n in range(4):
            file(session, [hubs[n % len(hubs)], hubs[(n + 1) % len(hubs)], phone(100 + n)])
    assert partition(store) == set()
    with store.begin() as session:
        assert recompute(session, degree_cap=1000).networks == 0


def test_merge_keeps_the_larger_network_and_is_recorded(store: Store) -> None:
    with store.begin() as session:
        a = [file(session, [phone(1)]) for _ in range(3)]
        b = [file(session, [account(2)]) for _ in range(2)]
    big, small = network_of(store, a[0]), network_of(store, b[0])
    assert big and small and big != small
    with store.begin() as session:
        bridge = file(session, [phone(1), account(2)])
    assert network_of(store, bridge) == big
    assert partition(store) == {frozenset([*a, *b, bridge])}
    with store.read() as session:
        ev = session.scalars(select(NetworkEvent)).one()
        assert (ev.kind, ev.network_id, ev.others) == ("merge", big, [small])
        assert session.get(Network, small) is None
        answer = check_one(session, account(2).value, kind="bank_account").network
    assert answer == {"id": big, "reports": 6, "countries": 1,
                      "text": f"part of network {big}: 6 reports in 1 country"}  # fmt: skip


def test_batch_records_a_split_when_a_value_is_delisted(store: Store) -> None:
    with store.begin() as session:
        left = [file(session, [phone(1)]) for _ in range(2)]
        right = [file(session, [account(3)]) for _ in range(2)]
        bridge = file(session, [phone(1), value("domain", "scam-bridge.xyz")])
        file(session, [account(3), value("domain", "scam-bridge.xyz")])
    (before,) = partition(store)
    assert len(before) == 6
    with store.begin() as session:
        session.execute(update(Indicator).where(Indicator.value == "scam-bridge.xyz")
                        .values(delisted_at=utcnow()))  # fmt: skip
        result = recompute(session, degree_cap=1000)
    assert result.splits == 1
    assert partition(store) == {frozenset([*left, bridge]), frozenset([*right, bridge + 1])}
    with store.read() as session:
        kinds = [e.kind for e in session.scalars(select(NetworkEvent))]
    assert kinds == ["merge", "split"]  # the bridge merged them as it arrived


def test_degree_cap_zero_links_nothing(store: Store) -> None:
    with store.begin() as session:
        a = file(session, [phone(1)], cap=0)
        file(session, [phone(1)], cap=0)
        result = recompute(session, degree_cap=0)
    assert network_of(store, a) is None
    assert result.networks == 0 and "no value links reports" in result.as_dict()["note"]


def test_values_above_the_degree_cap_do_not_link(store: Store) -> None:
    with store.begin() as session:
        for _ in range(4):
            file(session, [phone(1)], link=False)
        assert recompute(session, degree_cap=3).networks == 0
        assert recompute(session, degree_cap=4).networks == 1


def test_incremental_and_batch_agree_on_random_reports(store: Store) -> None:
    rng = random.Random(5)
    with store.begin() as session:
        for _ in range(80):
            found = [phone(k) for k in {rng.randrange(60) for _ in range(rng.randint(1, 2))}]
            if rng.random() < 0.3:
                found.append(account(rng.randrange(40)))
            if rng.random() < 0.3:
                found.append(value("url", "https://t.me/"))  # a hub: must change nothing
            file(session, found)
    incremental = partition(store)
    assert len(incremental) >= 3
    with store.begin() as session:
        again = recompute(session, degree_cap=1000)
    assert again.changed_members == 0 and again.created == 0
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM network_members"))
        conn.execute(text("DELETE FROM networks"))
    with store.begin() as session:
        recompute(session, degree_cap=1000)
    assert partition(store) == incremental


def test_a_report_touching_thousands_of_networks_is_bounded_work(store: Store) -> None:
    n = 1500
    with store.begin() as session:
        for k in range(n):
            file(session, [phone(k)], link=False)
            file(session, [phone(k)], link=False)
        recompute(session, degree_cap=1000)
    assert len(partition(store)) == n
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append("x")

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        started = time.perf_counter()
        with store.begin() as session:
            rid = file(session, [phone(k) for k in range(n)], link=False)
            statements.clear()
            result = link_reports(session, [rid])
        elapsed = time.perf_counter() - started
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    survivor = result.networks[rid]
    assert len(result.merged[survivor]) == n - 1
    assert len(statements) < 80, len(statements)  # chunked, not one query per network
    assert elapsed < 60
    (merged,) = partition(store)
    assert len(merged) == 2 * n + 1
    with store.read() as session:
        ev = session.scalars(select(NetworkEvent)).one()
        assert ev.details == {"mode": "incremental", "others_total": n - 1}
        assert session.scalar(select(Network.report_count)) == 2 * n + 1
        assert len(session.scalars(select(NetworkMember.report_id)).all()) == 2 * n + 1

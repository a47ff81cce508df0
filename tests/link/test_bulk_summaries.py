"""The batch's in-memory summaries and writes agree with the store's own aggregation."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import select, text

import tangkal.link.summary as summary
from tangkal.link.batch import recompute
from tangkal.link.incremental import link_reports
from tangkal.link.models import Network
from tangkal.store import Store
from tests.link.build import account, file, partition, phone, value


def _rows(store: Store) -> dict[str, tuple[object, ...]]:
    with store.read() as session:
        return {
            n.id: (n.report_count, n.countries, n.country_count, n.infra_countries,
                   n.cross_border, n.first_seen, n.last_seen, n.loss_usd)
            for n in session.scalars(select(Network))
        }  # fmt: skip


def _file_some(store: Store, link: bool) -> None:
    rng = random.Random(11)
    base = dt.datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=dt.UTC)
    with store.begin() as session:
        for k in range(60):
            group = 10 * (k % 8)  # eight separate neighbourhoods, some linked, some lone
            found = [phone(group + rng.randrange(4))]
            if rng.random() < 0.5:
                found.append(account(group + rng.randrange(3), country=rng.choice(["KH", "MM"])))
            if rng.random() < 0.2:
                found.append(value("ewallet", f"wallet-{group}", country="PH"))
            file(
                session, found, link=link, country=rng.choice(["ID", "MY", "TH"]),
                received_at=(base + dt.timedelta(days=k, microseconds=k)).isoformat(),
                loss_amount=str(round(rng.uniform(0, 900), 2)), loss_currency="USD",
            )  # fmt: skip


@pytest.mark.parametrize("first_link", ["empty", "incremental"])
def test_in_memory_summaries_equal_the_stores_aggregates(
    store: Store, monkeypatch: pytest.MonkeyPatch, first_link: str
) -> None:
    _file_some(store, link=first_link == "incremental")
    with store.begin() as session:
        recompute(session, degree_cap=1000)  # the store aggregates (few networks)
    expected, groups = _rows(store), partition(store)
    assert len(expected) >= 3 and any(r[3] for r in expected.values())
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM network_members"))
        conn.execute(text("DELETE FROM networks"))
    monkeypatch.setattr(summary, "_WHOLE_TABLE", 0)  # every refresh takes the bulk path
    with store.begin() as session:
        result = recompute(session, degree_cap=1000)
    assert result.created == len(expected) and partition(store) == groups
    # Ids may differ from incremental ones (a fresh link names a network by its first
    # report); the summaries may not.
    assert sorted(map(repr, _rows(store).values())) == sorted(map(repr, expected.values()))


def test_bulk_refresh_after_a_split_matches_a_fresh_link(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(summary, "_WHOLE_TABLE", 0)
    with store.begin() as session:
        a = [file(session, [phone(1)], country="ID") for _ in range(2)]
        b = [file(session, [account(2, country="MM")], country="TH") for _ in range(2)]
        file(session, [phone(1), account(2, country="MM")], country="MY")
    (merged,) = _rows(store).values()
    assert merged[0] == 5
    with store.begin() as session:
        session.execute(text("DELETE FROM reports WHERE id = :r"), {"r": max(a + b) + 1})
        recompute(session, degree_cap=1000)
    rows = sorted(_rows(store).values(), key=lambda r: str(r[1]))
    assert [(r[0], r[1], r[3]) for r in rows] == [(2, ",ID,", ",ID,"), (2, ",TH,", ",MM,")]
    with store.begin() as session:
        assert link_reports(session, []).networks == {}


def test_a_failed_relink_leaves_the_old_networks_and_indexes_intact(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tangkal.link.batch as batch

    _file_some(store, link=True)
    before, groups = _rows(store), partition(store)
    monkeypatch.setattr(batch, "_REBUILD_MIN", 0)  # take the drop-and-rebuild path too
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM network_members"))

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(batch, "refresh_summaries", boom)
    with pytest.raises(RuntimeError), store.begin() as session:
        recompute(session, degree_cap=1000)
    with store.read() as session:
        assert session.scalar(text("SELECT count(*) FROM network_members")) == 0
        if store.dialect == "sqlite":
            names = {r[1] for r in session.execute(text("PRAGMA index_list(network_members)"))}
            assert "ix_network_members_network" in names
    monkeypatch.undo()
    with store.begin() as session:
        recompute(session, degree_cap=1000)
    assert partition(store) == groups and len(_rows(store)) == len(before)


@pytest.mark.parametrize("few", [0, 200])
def test_incremental_links_agree_with_a_fresh_link_on_both_write_paths(
    store: Store, monkeypatch: pytest.MonkeyPatch, few: int
) -> None:
    # 0 sends every PostgreSQL write through COPY and the scratch table of changed
    # networks, the path a large import or `tangkal demo` takes.
    monkeypatch.setattr(summary, "_FEW", few)
    _file_some(store, link=True)  # linked report by report: networks grow and change
    linked, groups = _rows(store), partition(store)
    with store.begin() as session:
        recompute(session, degree_cap=1000)
    assert partition(store) == groups
    assert sorted(map(repr, _rows(store).values())) == sorted(map(repr, linked.values()))

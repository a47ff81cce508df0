"""Four nodes on loopback — ID (SQLite), MY (PostgreSQL), TH (SQLite) and the dialogue
partner JP (SQLite) — sharing by push and by pull under the distribution policy."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlalchemy import func, select

from tangkal.access.tokens import add_organisation, create_token
from tangkal.report.models import Indicator, Report
from tangkal.share.sync import import_ingest, provenance, pull
from tests.share.federation import Node

pytestmark = pytest.mark.xdist_group("three-nodes")


@pytest.fixture(scope="module")
def mesh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Node]]:
    tmp = tmp_path_factory.mktemp("mesh")
    nodes = {
        "ID": Node("ID", "ID", "sqlite", tmp),
        "MY": Node("MY", "MY", "postgresql", tmp),
        "TH": Node("TH", "TH", "sqlite", tmp),
        "JP": Node("JP", "JP", "sqlite", tmp),
    }
    try:
        for node in nodes.values():
            node.start()
        # Each node issues a peer token to every other node, and registers the others.
        # National nodes are run by national authorities: their organisations are trusted.
        tokens = {
            (a, b): nodes[a].peer_token(b, nodes[b].country, trusted=True)
            for a in nodes
            for b in nodes
            if a != b
        }
        for a in nodes:
            for b in nodes:
                if a != b:
                    # MY pushes to ID and JP; TH only ever pulls, so the pull path is tested.
                    push = a == "MY" and b in ("ID", "JP")
                    nodes[a].add_peer(nodes[b], tokens[(b, a)], push=push)
        yield nodes
    finally:
        for node in nodes.values():
            node.close()


def _sync(node: Node, peer: str, **options: object) -> object:
    run = pull(node.store, peer, node_key=node.key, ingest=import_ingest,
               client_options=dict(options))  # fmt: skip
    return run


def _wait(condition: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _push_failures(node: Node) -> list[str]:
    """What the node's pusher gave up on: shown when a pushed value does not arrive."""
    assert node.server is not None
    app = node.server.server.config.app
    return list(app.state.federation.pusher.failures)  # type: ignore[attr-defined]


def _held(node: Node, value: str) -> int:
    """Reports a node holds on ``value`` (0 when it never arrived)."""
    with node.store.read() as session:
        return int(
            session.scalar(
                select(func.count(Indicator.id)).where(
                    Indicator.value == value, Indicator.report_count > 0
                )
            )
            or 0
        )


def test_a_number_reported_in_my_is_scam_in_id_by_push_and_in_th_by_pull(
    mesh: dict[str, Node],
) -> None:
    value = "+60129990001"
    mesh["MY"].report(value, "citizen:a", distribution="asean", tlp="GREEN", typology="investment")
    mesh["MY"].report(value, "citizen:b", distribution="asean", tlp="GREEN", typology="investment")
    assert mesh["MY"].check(value).verdict == "scam"
    # Pushed: ID knows within seconds, without a sync.
    assert _wait(lambda: mesh["ID"].check(value).verdict == "scam"), _push_failures(mesh["MY"])
    result = mesh["ID"].check(value)
    assert "MY" in result.evidence.countries and "investment" in result.evidence.typologies
    with mesh["ID"].store.read() as session:
        origin = provenance(session, "phone", value)
    assert [(p["node"], p["organisation"], p["country"]) for p in origin] == [("MY", "MY", "MY")]
    # Staff see the same through the API; the public check answer never names organisations.
    with mesh["ID"].store.begin() as session:
        analyst = create_token(session, add_organisation(session, "BSSN", "ID", "cert"), "analyst")
    assert mesh["ID"].server is not None
    api = f"{mesh['ID'].server.url}/api/v1/provenance"
    got = httpx.get(api, params={"q": "+60 12-999 0001"},
                    headers={"Authorization": f"Bearer {analyst}"}, timeout=30)  # fmt: skip
    assert got.status_code == 200, got.text
    assert got.json()["sources"] == [
        {"node": "MY", "organisation": "MY", "country": "MY", "reports": 1}
    ]
    assert httpx.get(api, params={"q": value}, timeout=30).status_code == 401
    # TH is not pushed to: it learns at its next pull.
    assert mesh["TH"].check(value).verdict == "no_reports"
    assert _sync(mesh["TH"], "MY").ok  # type: ignore[attr-defined]
    assert mesh["TH"].check(value).verdict == "scam"


@pytest.mark.parametrize(
    ("distribution", "tlp"),
    [("organisation", "GREEN"), ("national", "GREEN"), ("asean", "RED"), ("partners", "RED")],
)
def test_organisation_national_and_red_never_leave_my(
    mesh: dict[str, Node], distribution: str, tlp: str
) -> None:
    value = f"+6012999{['organisation', 'national', 'asean', 'partners'].index(distribution)}{len(tlp):03d}"
    mesh["MY"].report(value, "bank:1", trusted=True, distribution=distribution, tlp=tlp)
    for name in ("ID", "TH", "JP"):
        assert _sync(mesh[name], "MY").ok  # type: ignore[attr-defined]
    time.sleep(0.5)  # room for a push that must not happen
    assert _held(mesh["MY"], value) == 1
    assert [_held(mesh[n], value) for n in ("ID", "TH", "JP")] == [0, 0, 0]


def test_partners_level_reaches_the_dialogue_partner_and_asean_level_does_not(
    mesh: dict[str, Node],
) -> None:
    partners, asean = "+60129990101", "+60129990102"
    mesh["MY"].report(partners, "bank:1", trusted=True, distribution="partners", tlp="GREEN")
    mesh["MY"].report(asean, "bank:1", trusted=True, distribution="asean", tlp="GREEN")
    assert _wait(lambda: _held(mesh["JP"], partners) == 1), _push_failures(mesh["MY"])
    assert _sync(mesh["JP"], "MY").ok  # type: ignore[attr-defined]
    assert _held(mesh["JP"], partners) == 1
    assert _held(mesh["JP"], asean) == 0
    assert mesh["JP"].check(partners).verdict == "scam"
    assert mesh["JP"].check(asean).verdict == "no_reports"
    assert _sync(mesh["TH"], "MY").ok  # type: ignore[attr-defined]
    assert _held(mesh["TH"], asean) == 1 and _held(mesh["TH"], partners) == 1


def test_a_peer_killed_mid_sync_is_resumed_with_nothing_lost_or_doubled(
    mesh: dict[str, Node],
) -> None:
    my, th = mesh["MY"], mesh["TH"]
    values = [f"+6012998{n:04d}" for n in range(40)]
    for v in values:
        my.report(v, "bank:1", trusted=True, distribution="asean", tlp="GREEN")
    assert my.server is not None
    port = my.server.port
    pages: list[int] = []

    def kill_after_two_pages(peer: str, collection: str, objects: int) -> None:
        pages.append(objects)
        if len(pages) == 2:
            my.stop()  # MY dies while TH is paging through its collection

    first = pull(th.store, "MY", node_key=th.key, ingest=import_ingest,
                 progress=kill_after_two_pages, client_options={"page_limit": 10})  # fmt: skip
    assert not first.ok
    assert "ConnectError" in str(first.as_dict()), first.as_dict()
    got = sum(_held(th, v) for v in values)
    assert 0 < got < len(values)

    my.start(port)
    second = _sync(th, "MY", page_limit=10)
    assert second.ok, second.as_dict()  # type: ignore[attr-defined]
    assert [_held(th, v) for v in values] == [1] * len(values)
    with th.store.read() as session:
        per_value = session.execute(
            select(Report.stix_id, func.count(Report.id))
            .where(Report.origin_node == "MY")
            .group_by(Report.stix_id)
            .having(func.count(Report.id) > 1)
        ).all()
    assert per_value == []  # nothing doubled


def test_a_delisting_in_my_clears_the_verdict_in_id(mesh: dict[str, Node]) -> None:
    value = "+60129990201"
    mesh["MY"].report(value, "citizen:a", distribution="asean", tlp="GREEN")
    mesh["MY"].report(value, "citizen:b", distribution="asean", tlp="GREEN")
    assert _wait(lambda: mesh["ID"].check(value).verdict == "scam"), _push_failures(mesh["MY"])
    mesh["MY"].delist(value)
    assert mesh["MY"].check(value).verdict != "scam"
    # Pushed as a revocation; a pull afterwards changes nothing.
    assert _wait(lambda: mesh["ID"].check(value).verdict == "no_reports"), _push_failures(
        mesh["MY"]
    )
    assert _sync(mesh["ID"], "MY").ok  # type: ignore[attr-defined]
    assert mesh["ID"].check(value).verdict == "no_reports"

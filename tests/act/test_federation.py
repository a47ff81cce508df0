"""Requests across two real nodes: Indonesia asks a Thai bank hosted by the Thai node.

Each node is a live server on its own store (of the backend under test); they know each
other as peers with tokens, exactly as ``tangkal peers add`` sets them up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tangkal.access.tokens import add_organisation, create_token
from tangkal.config import Settings
from tangkal.share.peers import add_peer, node_key
from tangkal.store import Store, upgrade
from tangkal.web.app import create_app
from tests.conftest import LiveServer, drop_store_url, new_store_url


@dataclass
class Node:
    name: str
    store: Store
    settings: Settings
    server: LiveServer

    def client(self, token: str) -> httpx.Client:
        return httpx.Client(base_url=self.server.url, timeout=30,
                            headers={"Authorization": f"Bearer {token}"})  # fmt: skip


@pytest.fixture
def nodes(backend: str, tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    made: list[Node] = []
    try:
        for name in ("tangkal-id", "tangkal-th"):
            url = new_store_url(backend, tmp_path)
            store = Store(url)
            upgrade(store.engine)
            settings = Settings(database_url=url, node_name=name, public_rate_limit=100_000,
                                data_dir=str(tmp_path / name))  # fmt: skip
            server = LiveServer(create_app(settings, store)).__enter__()
            made.append(Node(name, store, settings, server))
        yield made[0], made[1]
    finally:
        for node in made:
            node.server.__exit__()
            node.store.close()
            drop_store_url(node.store.url)


def link(a: Node, b: Node) -> None:
    """Make each node a peer of the other, with a token of role ``peer``."""
    tokens = {}
    for here, there in ((a, b), (b, a)):
        with here.store.begin() as s:
            org = add_organisation(s, there.name, "TH" if there is b else "ID", "partner",
                                   node=there.name)  # fmt: skip
            tokens[here.name] = create_token(s, org, "peer")  # what `there` presents to `here`
    for here, there in ((a, b), (b, a)):
        with here.store.begin() as s:
            add_peer(s, there.name, f"{there.server.url}/taxii2/api/", tokens[there.name],
                     key=node_key(here.settings), country="TH" if there is b else "ID",
                     org_name=there.name)  # fmt: skip


def test_a_freeze_travels_and_its_steps_flow_back(nodes: tuple[Node, Node]) -> None:
    id_node, th_node = nodes
    link(id_node, th_node)
    with th_node.store.begin() as s:
        bank = add_organisation(s, "Bangkok Bank", "TH", "bank")
        bank_token = create_token(s, bank, "analyst")
    with id_node.store.begin() as s:
        police = add_organisation(s, "POLRI Siber", "ID", "police")
        police_token = create_token(s, police, "investigator")
        remote_bank = add_organisation(s, "Bangkok Bank", "TH", "bank", node="tangkal-th")
    with id_node.client(police_token) as polri, th_node.client(bank_token) as bkk:
        case = polri.post("/api/v1/cases", json={"title": "Mule accounts"}).json()
        req = polri.post("/api/v1/requests", json={
            "case_id": case["id"], "type": "freeze", "requested_org_id": remote_bank.id,
            "subjects": ["https://fake-invest.example.net"], "currency": "THB",
            "amount_requested": "50000", "facts": "Victims paid into this account.",
        }).json()  # fmt: skip
        assert req["remote_node"] == "tangkal-th"
        sent = polri.post(f"/api/v1/requests/{req['id']}/transitions", json={"action": "submit"})
        assert sent.status_code == 200, sent.text
        inbox = bkk.get("/api/v1/requests?box=inbox").json()["items"]
        assert len(inbox) == 1 and inbox[0]["status"] == "submitted"
        theirs = inbox[0]["id"]
        assert inbox[0]["acknowledge_due_at"] is not None
        for action, extra in (("acknowledge", {}), ("start", {}),
                              ("execute", {"amount_frozen": "42000"})):  # fmt: skip
            moved = bkk.post(f"/api/v1/requests/{theirs}/transitions",
                             json={"action": action, **extra})  # fmt: skip
            assert moved.status_code == 200, moved.text
        back = bkk.post(f"/api/v1/requests/{theirs}/returns", json={"amount": "12000"})
        assert back.status_code == 200, back.text
        mine = polri.get(f"/api/v1/requests/{req['id']}").json()
        assert (mine["status"], mine["amount_frozen"], mine["amount_returned"]) == (
            "executed",
            "42000.00",
            "12000.00",
        )
        assert [h["to"] for h in mine["history"]] == [
            "draft",
            "submitted",
            "acknowledged",
            "in_progress",
            "executed",
            "executed",
        ]
        # The requester closes; the step travels to the Thai node as well.
        assert polri.post(f"/api/v1/requests/{req['id']}/transitions",
                          json={"action": "close"}).json()["status"] == "closed"  # fmt: skip
        assert bkk.get(f"/api/v1/requests/{theirs}").json()["status"] == "closed"


def test_an_unreachable_peer_leaves_nothing_half_done(nodes: tuple[Node, Node]) -> None:
    id_node, th_node = nodes
    link(id_node, th_node)
    with id_node.store.begin() as s:
        police = add_organisation(s, "POLRI Siber", "ID", "police")
        token = create_token(s, police, "investigator")
        nowhere = add_organisation(s, "Bank Nowhere", "TH", "bank", node="tangkal-th")
    th_node.server.__exit__()  # the Thai node goes down
    with id_node.client(token) as polri:
        case = polri.post("/api/v1/cases", json={"title": "Offline"}).json()
        req = polri.post(
            "/api/v1/requests",
            json={"case_id": case["id"], "type": "freeze", "requested_org_id": nowhere.id},
        ).json()
        sent = polri.post(f"/api/v1/requests/{req['id']}/transitions", json={"action": "submit"})
        assert sent.status_code == 409 and sent.json()["field"] == "peer"
        assert polri.get(f"/api/v1/requests/{req['id']}").json()["status"] == "draft"


def test_only_peers_deliver(nodes: tuple[Node, Node]) -> None:
    id_node, _ = nodes
    with id_node.store.begin() as s:
        org = add_organisation(s, "POLRI Siber", "ID", "police")
        token = create_token(s, org, "investigator")
        admin = create_token(s, org, "admin")
    with id_node.client(token) as c:
        assert c.post("/api/v1/federation/requests", json={}).status_code == 403
    with id_node.client(admin) as c:  # an admin, but no peer stands behind this token
        assert c.post("/api/v1/federation/requests", json={}).status_code == 403

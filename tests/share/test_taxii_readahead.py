"""Read-ahead of TAXII pages: served only to the same caller, only while nothing changed."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import select, update
from taxii2client.v21 import Collection, as_pages

from tangkal.access.models import Organisation
from tangkal.access.roles import Principal
from tangkal.report.models import Indicator
from tangkal.share import publish
from tangkal.share import taxii_server as taxii
from tangkal.share.models import StixObject
from tangkal.share.publish import NodeIdentity, materialise
from tangkal.share.readahead import ReadAhead
from tangkal.share.stix import indicator_id
from tangkal.store import Store
from tangkal.store.base import utcnow
from tests.conftest import LiveServer
from tests.factories import file_report, org_with_token

NODE = NodeIdentity("tangkal-local", "ID")  # the live server's default settings
PHONES = [f"+62812777000{i:02d}" for i in range(8)]
OBJECTS = "/taxii2/api/collections/asean/objects/"


def _publish_all(store: Store, phones: list[str]) -> None:
    for phone in phones:
        file_report(store, indicators=[{"value": phone, "kind": "phone"}],
                    distribution="asean", tlp="GREEN")  # fmt: skip
    with store.begin() as session:
        ids = list(session.scalars(select(Indicator.id).where(Indicator.value.in_(phones))))
        materialise(session, ids, node=NODE)


def _ahead(server: LiveServer) -> ReadAhead[Any]:
    app: Any = server.server.config.app
    ahead = getattr(app.state, "taxii_read_ahead", None)
    assert ahead is not None, "no objects page has been served yet"
    return ahead


def _settled(server: LiveServer) -> ReadAhead[Any]:
    """The server's read-ahead once the build a page started has finished."""
    ahead = _ahead(server)
    deadline = time.monotonic() + 10
    while not ahead.idle():
        assert time.monotonic() < deadline, "read-ahead never finished"
        time.sleep(0.01)
    return ahead


def _get(client: httpx.Client, token: str, **params: Any) -> dict[str, Any]:
    h = {"Accept": taxii.MEDIA_TYPE, "Authorization": f"Bearer {token}"}
    r = client.get(OBJECTS, headers=h, params=params)
    assert r.status_code == 200, r.text
    return dict(orjson.loads(r.content))


def test_a_full_read_with_read_ahead_is_byte_for_byte_a_fresh_read(
    store: Store, server: LiveServer, client: httpx.Client
) -> None:
    _publish_all(store, PHONES)
    _, token = org_with_token(store, "PDRM", "peer", country="MY")
    h = {"Accept": taxii.MEDIA_TYPE, "Authorization": f"Bearer {token}"}
    params: dict[str, Any] = {"limit": 3}
    served: list[tuple[bool, str | None, bytes]] = []
    hits: int | None = None
    while True:
        r = client.get(OBJECTS, headers=h, params=params)
        env = orjson.loads(r.content)
        served.append((env["more"], env.get("next"), _objects(r.content)))
        ahead = _settled(server)  # the next page is ready before it is asked for
        hits = ahead.hits if hits is None else hits
        if not env["more"]:
            break
        params = {"limit": 3, "next": env["next"]}
    assert len(served) > 3
    assert _ahead(server).hits - hits == len(served) - 1  # every page after the first
    # The same pages built in-process, without the server or its read-ahead.
    fresh: list[tuple[bool, str | None, bytes]] = []
    f = taxii.parse_filters({"limit": "3"})
    who = _principal(store, "PDRM")
    with store.read() as session:
        while True:
            page = taxii.page(session, "asean", who, "ID", f)
            fresh.append((page.more, page.next, b",".join(page.bodies)))
            if page.next is None:
                break
            f = taxii.parse_filters({"limit": "3", "next": page.next})
    assert served == fresh


def _objects(envelope: bytes) -> bytes:
    """The spliced objects of an envelope, as stored (between '"objects":[' and ']}')."""
    start = envelope.find(b'"objects":[')
    return b"" if start < 0 else envelope[start + len(b'"objects":[') : -2]


def _principal(store: Store, org: str) -> Principal:
    with store.read() as session:
        o = session.scalars(select(Organisation).where(Organisation.name == org)).one()
        return Principal(o.id, o.name, o.country, o.type, "peer")


def test_a_page_prepared_before_a_write_is_not_served(
    store: Store, server: LiveServer, client: httpx.Client
) -> None:
    """A revocation between two pages reaches the reader: the prepared page is dropped."""
    _publish_all(store, PHONES)
    _, token = org_with_token(store, "PDRM", "peer", country="MY")
    who = _principal(store, "PDRM")
    env = _get(client, token, limit=4)
    objects = list(env["objects"])
    while True:  # up to a page whose prepared successor holds an indicator
        ahead = _settled(server)
        f = taxii.parse_filters({"limit": "4", "next": env["next"]})
        with store.read() as session:  # the prepared page, as a fresh read sees it now
            nxt = [orjson.loads(b) for b in taxii.page(session, "asean", who, "ID", f).bodies]
        if any(o["type"] == "indicator" for o in nxt):
            break
        env = _get(client, token, limit=4, next=env["next"])
        objects += env["objects"]
    stale = ahead.stale
    target = next(o["id"] for o in nxt if o["type"] == "indicator")
    phone = next(p for p in PHONES if indicator_id("phone", p, NODE.name) == target)
    with store.begin() as session:
        iid = session.scalar(select(Indicator.id).where(Indicator.value == phone))
        session.execute(
            update(Indicator).where(Indicator.id == iid).values(delisted_at=publish.utcnow())
        )
        materialise(session, [iid], node=NODE)
    while env["more"]:
        env = _get(client, token, limit=4, next=env["next"])
        objects += env.get("objects", [])
    assert ahead.stale == stale + 1
    ids = [o["id"] for o in objects]
    assert len(ids) == len(set(ids))  # nothing repeated: the old version is not served
    assert [o.get("revoked", False) for o in objects if o["id"] == target] == [True]


def test_a_peer_is_never_served_a_page_prepared_for_another(
    store: Store, server: LiveServer, client: httpx.Client
) -> None:
    """Another peer sending the same cursor gets its own page, not the prepared one."""
    _publish_all(store, PHONES[:2])
    with store.begin() as session:
        # An object addressed to PDRM only, after the first page.
        session.add(_addressed_row("indicator--7e1b8e26-4a55-4f31-9c53-000000000001", "to:PDRM"))
    _, pdrm = org_with_token(store, "PDRM", "peer", country="MY")
    _, rtp = org_with_token(store, "RTP", "peer", country="TH")
    with store.read() as session:
        everything = taxii.page(session, "asean", _principal(store, "PDRM"), "ID",
                                taxii.parse_filters({"limit": "10000"}))  # fmt: skip
    last = len(everything.bodies) - 1  # PDRM's prepared second page is the addressed object
    first = _get(client, pdrm, limit=last)
    ahead = _settled(server)
    hits = ahead.hits
    theirs = _get(client, rtp, limit=last, next=first["next"])
    assert theirs == {"more": False}  # RTP is not an addressee: nothing after the cursor
    assert ahead.hits == hits  # and its read missed the page prepared for PDRM
    mine = _get(client, pdrm, limit=last, next=first["next"])
    assert ahead.hits == hits + 1
    assert [o["name"] for o in mine["objects"]] == ["to-pdrm"]


def _addressed_row(sid: str, handling: str) -> StixObject:
    return StixObject(
        collection="asean", stix_id=sid, type="indicator", version="2026-11-28T00:00:00.000Z",
        date_added=utcnow(), latest=True, distribution="asean", tlp="AMBER+STRICT",
        handling=handling,
        body=f'{{"type":"indicator","spec_version":"2.1","id":"{sid}","name":"to-pdrm"}}',
    )  # fmt: skip


def test_read_ahead_misses_rather_than_serves_doubtful_pages(store: Store) -> None:
    """Expired, evicted and failed builds are misses; a caller reads afresh."""
    now = [0.0]
    ahead = ReadAhead[int](store, slots=2, max_age=5.0, clock=lambda: now[0])

    def fails(session: Any) -> int:
        raise RuntimeError("lost the database")

    async def scenario() -> list[Any]:
        ahead.prepare("a", lambda s: 1)
        ahead.prepare("b", lambda s: 2)
        ahead.prepare("c", lambda s: 3)  # two slots: "a" is evicted
        ahead.prepare("e", fails)  # and now "b"
        got = [await ahead.take("a"), await ahead.take("b")]
        c = await ahead.take("c")
        got.append(c.value if c else None)
        got.append(await ahead.take("e"))
        got.append(await ahead.take("c"))  # taken once only
        ahead.prepare("old", lambda s: 4)
        now[0] = 6.0
        got.append(await ahead.take("old"))
        return got

    assert asyncio.run(scenario()) == [None, None, 3, None, None, None]


@pytest.mark.parametrize("per_request", [5, 1000])
def test_taxii2_client_reads_everything_once_through_read_ahead(
    store: Store, server: LiveServer, per_request: int
) -> None:
    _publish_all(store, PHONES)
    _, token = org_with_token(store, "PDRM", "peer", country="MY")
    coll = Collection(f"{server.url}/taxii2/api/collections/asean/", user="PDRM", password=token)
    ids = [o["id"] for env in as_pages(coll.get_objects, per_request=per_request)
           for o in env.get("objects", [])]  # fmt: skip
    with store.read() as session:
        page = taxii.page(session, "asean", _principal(store, "PDRM"), "ID",
                          taxii.parse_filters({"limit": "10000"}))  # fmt: skip
    assert ids == [orjson.loads(b)["id"] for b in page.bodies]

"""The TAXII 2.1 server, read and written by the real taxii2-client over a live server."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import func, select, update
from stix2validator import ValidationOptions, validate_parsed_json
from taxii2client.v21 import Collection, Server, as_pages

from tangkal.report.models import Indicator, ReportIndicator
from tangkal.share import publish
from tangkal.share.models import StixObject
from tangkal.share.publish import NodeIdentity, materialise
from tangkal.share.stix import indicator_id
from tangkal.share.taxii_server import MEDIA_TYPE
from tangkal.store import Store
from tests.conftest import LiveServer
from tests.factories import file_report, org_with_token

NODE = NodeIdentity("tangkal-local", "ID")  # the live server's default settings
TAXII = {"Accept": MEDIA_TYPE}


def _publish(store: Store, **fields: Any) -> str:
    """File a report naming one phone and materialise it; return the phone."""
    phone = fields.pop("phone")
    filed = file_report(store, indicators=[{"value": phone, "kind": "phone"}], **fields)
    with store.begin() as session:
        ids = session.scalars(
            select(ReportIndicator.indicator_id).where(ReportIndicator.report_id == filed.report_id)
        ).all()
        materialise(session, ids, node=NODE)
    return str(filed.indicators[0].value)


def _values(objects: list[dict[str, Any]]) -> set[str]:
    return {
        o["pattern"].split("'")[1]
        for o in objects
        if o["type"] == "indicator" and not o.get("revoked")
    }


def _read_all(coll: Collection, per_request: int = 1000, **kw: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for env in as_pages(coll.get_objects, per_request=per_request, **kw):
        out.extend(env.get("objects", []))
    return out


@pytest.fixture
def published(store: Store) -> dict[str, str]:
    return {
        "asean": _publish(store, phone="+6281200000001", distribution="asean", tlp="GREEN"),
        "national": _publish(store, phone="+6281200000002", distribution="national", tlp="GREEN"),
        "red": _publish(store, phone="+6281200000003", distribution="asean", tlp="RED"),
        "org": _publish(store, phone="+6281200000004", distribution="organisation", tlp="CLEAR"),
        "partners": _publish(store, phone="+6281200000005", distribution="partners", tlp="AMBER"),
        "public": _publish(store, phone="+6281200000006", distribution="public", tlp="CLEAR"),
        "strict": _publish(store, phone="+6281200000007", distribution="asean", tlp="AMBER+STRICT"),
    }


def test_each_peer_sees_only_what_the_policy_allows(
    store: Store, server: LiveServer, published: dict[str, str]
) -> None:
    _, my_token = org_with_token(store, "PDRM", "peer", country="MY")
    _, jp_token = org_with_token(store, "NPA Japan", "peer", country="JP")
    _, xx_token = org_with_token(store, "Stranger", "peer", country="BR")
    # HTTP Basic (user = organisation, password = token), as TAXII recommends.
    my = Server(f"{server.url}/taxii2/", user="PDRM", password=my_token)
    root = my.api_roots[0]
    assert [c.id for c in root.collections] == ["asean", "partners", "public"]
    asean = _read_all(root.collections[0])
    assert _values(asean) == {published["asean"], published["partners"], published["public"]}
    report = validate_parsed_json(
        {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": asean},
        ValidationOptions(version="2.1"),
    )
    assert report.is_valid, [str(e) for e in report.errors]

    jp = Server(f"{server.url}/taxii2/", user="NPA Japan", password=jp_token).api_roots[0]
    assert [c.id for c in jp.collections] == ["partners", "public"]
    assert _values(_read_all(jp.collections[0])) == {published["partners"], published["public"]}
    assert _values(_read_all(jp.collections[1])) == {published["public"]}
    # A Bearer token works too; an unrecognised organisation sees the public collection only.
    with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {xx_token}"}) as c:
        got = c.get("/taxii2/api/collections/", headers=TAXII).json()
        assert [x["id"] for x in got["collections"]] == ["public"]
        assert c.get("/taxii2/api/collections/asean/objects/", headers=TAXII).status_code == 404


def _rows_with_one_date(store: Store, n: int) -> set[str]:
    """n objects sharing one date_added: the case that makes timestamp paging lose data."""
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ids = set()
    with store.begin() as session:
        for i in range(n):
            sid = f"location--{uuid.uuid4()}"
            ids.add(sid)
            body = (
                f'{{"type":"location","spec_version":"2.1","id":"{sid}",'
                f'"created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z",'
                f'"name":"n{i}","country":"ID"}}'
            )
            session.add(
                StixObject(
                    collection="asean", stix_id=sid, type="location", version="2026-01-01",
                    date_added=when, latest=True, distribution="asean", tlp="CLEAR",
                    handling="", body=body,
                )
            )  # fmt: skip
    return ids


def test_paging_with_equal_date_added_neither_drops_nor_repeats(
    store: Store, server: LiveServer
) -> None:
    _, token = org_with_token(store, "PDRM", "peer", country="MY")
    want = _rows_with_one_date(store, 53)
    coll = Collection(f"{server.url}/taxii2/api/collections/asean/", user="PDRM", password=token)
    got = [o["id"] for o in _read_all(coll, per_request=7)]
    assert len(got) == len(set(got)) == 53
    assert set(got) == want
    pages = list(as_pages(coll.get_manifest, per_request=10))
    assert sum(len(p.get("objects", [])) for p in pages) == 53
    assert pages[-1]["more"] is False


def test_filters_headers_object_and_versions(
    store: Store, server: LiveServer, client: httpx.Client, published: dict[str, str]
) -> None:
    _, token = org_with_token(store, "PDRM", "peer", country="MY")
    h = {**TAXII, "Authorization": f"Bearer {token}"}
    base = "/taxii2/api/collections/asean/"
    first = client.get(base + "objects/", headers=h, params={"limit": 3})
    assert first.headers["content-type"] == MEDIA_TYPE
    env = first.json()
    assert env["more"] is True and len(env["objects"]) == 3
    assert first.headers["X-TAXII-Date-Added-First"] <= first.headers["X-TAXII-Date-Added-Last"]
    after = client.get(
        base + "objects/", headers=h,
        params={"added_after": first.headers["X-TAXII-Date-Added-Last"], "limit": 10_000},
    ).json()  # fmt: skip
    ids = [o["id"] for o in env["objects"]] + [o["id"] for o in after["objects"]]
    assert len(ids) == len(set(ids))
    only = client.get(base + "objects/", headers=h, params={"match[type]": "indicator"}).json()
    assert {o["type"] for o in only["objects"]} == {"indicator"}
    iid = indicator_id("phone", published["asean"], NODE.name)
    one = client.get(base + f"objects/{iid}/", headers=h).json()
    assert [o["id"] for o in one["objects"]] == [iid]
    assert (
        client.get(base + "objects/", headers=h, params={"match[id]": iid}).json()["objects"][0][
            "id"
        ]
        == iid
    )
    versions = client.get(base + f"objects/{iid}/versions/", headers=h).json()
    assert versions["versions"] == [one["objects"][0]["modified"]]
    assert client.get(
        base + "objects/", headers=h, params={"match[spec_version]": "2.0"}
    ).json() == {"more": False}
    assert client.get(base + "objects/indicator--00000000-0000-4000-8000-000000000000/",
                      headers=h).status_code == 404  # fmt: skip


def test_bad_requests_are_refused_clearly(
    store: Store, server: LiveServer, client: httpx.Client
) -> None:
    _, token = org_with_token(store, "PDRM", "peer", country="MY")
    auth = {"Authorization": f"Bearer {token}"}
    base = "/taxii2/api/collections/asean/objects/"
    assert client.get(base, headers={**auth, "Accept": "text/html"}).status_code == 406
    assert (
        client.get(base, headers={**auth, "Accept": MEDIA_TYPE.replace("2.1", "2.0")}).status_code
        == 406
    )
    bad = client.get(base, headers={**auth, **TAXII}, params={"limit": "many"})
    assert bad.status_code == 422 and bad.json()["field"] == "limit"
    bad = client.get(base, headers={**auth, **TAXII}, params={"next": "forged"})
    assert bad.status_code == 422 and bad.json()["field"] == "next"
    bad = client.get(base, headers={**auth, **TAXII}, params={"added_after": "yesterday"})
    assert bad.status_code == 422 and bad.json()["field"] == "added_after"
    post = {**auth, **TAXII}
    wrong = client.post(base, headers={**post, "Content-Type": "application/json"}, content=b"{}")
    assert wrong.status_code == 415
    ok_type = {**post, "Content-Type": MEDIA_TYPE}
    assert client.post(base, headers=ok_type, content=b"{not json").status_code == 422
    empty = client.post(base, headers=ok_type, json={"objects": []})
    assert empty.status_code == 422 and empty.json()["field"] == "objects"
    huge = b'{"objects":[' + b",".join([b'{"type":"x"}'] * 600_000) + b"]}"
    assert client.post(base, headers=ok_type, content=huge).status_code == 413
    # Readers without write permission may not push; nobody reads another's status.
    _, analyst = org_with_token(store, "Analysts", "analyst", country="ID")
    denied = client.post(base, headers={**ok_type, "Authorization": f"Bearer {analyst}"},
                         json={"objects": [{"type": "identity"}]})  # fmt: skip
    assert denied.status_code == 403


def _count(store: Store, **where: Any) -> int:
    with store.read() as session:
        q = select(func.count()).select_from(StixObject).filter_by(**where)
        return int(session.scalar(q) or 0)


def test_materialise_is_idempotent_versions_and_revokes(store: Store) -> None:
    calls: list[list[int]] = []
    hooks = list(publish.ON_PUBLISH)
    publish.ON_PUBLISH.append(lambda session, ids: calls.append(ids))
    try:
        phone = _publish(store, phone="+6281233330001", distribution="asean", tlp="GREEN")
        with store.begin() as session:
            iid = session.scalar(select(Indicator.id).where(Indicator.value == phone))
            assert iid is not None
            assert materialise(session, [iid], node=NODE) == 0  # nothing changed: no new rows
        assert len(calls) == 1 and calls[0] == [iid]
        assert _count(store, collection="asean", type="indicator", latest=True) == 1
        assert _count(store, collection="partners", type="indicator") == 0  # asean level only
        # A second report changes the evidence: a new version supersedes the first.
        file_report(store, "citizen:2", indicators=[{"value": phone, "kind": "phone"}],
                    distribution="asean", tlp="GREEN", victim_country="MY")  # fmt: skip
        with store.begin() as session:
            assert materialise(session, [iid], node=NODE) > 0
        assert _count(store, collection="asean", type="indicator") == 2
        assert _count(store, collection="asean", type="indicator", latest=True) == 1
        # Delisting revokes it, and the revocation is what peers now read.
        with store.begin() as session:
            session.execute(
                update(Indicator).where(Indicator.id == iid).values(delisted_at=publish.utcnow())
            )
            materialise(session, [iid], node=NODE)
        with store.read() as session:
            body = session.scalar(
                select(StixObject.body).where(
                    StixObject.indicator_id == iid, StixObject.latest.is_(True),
                    StixObject.type == "indicator", StixObject.collection == "asean",
                )
            )  # fmt: skip
        assert body is not None and '"revoked":true' in body
        assert len(calls) == 3
    finally:
        # Restore, never clear: the push hook registered at import must survive this test.
        publish.ON_PUBLISH[:] = hooks


def test_date_added_strictly_increases(store: Store) -> None:
    for i in range(3):
        _publish(store, phone=f"+628123444000{i}", distribution="public", tlp="CLEAR")
    with store.read() as session:
        added = list(session.scalars(select(StixObject.date_added).order_by(StixObject.seq)))
    assert added == sorted(added) and len(set(added)) == len(added)


def test_rows_materialised_by_mistake_are_never_served(store: Store) -> None:
    """The read path re-applies may_share inside the range scan, including addressees."""
    from tangkal.access.roles import Principal
    from tangkal.share import taxii_server as taxii

    cases = {
        "ok": ("asean", "GREEN", ""),
        "codes": ("asean", "AMBER", "no-court-use,no-onward-sharing"),
        "national": ("national", "GREEN", ""),
        "red": ("asean", "RED", ""),
        "org": ("organisation", "CLEAR", ""),
        "strict": ("asean", "AMBER+STRICT", ""),
        "to-other": ("asean", "GREEN", "to:NPA Japan"),
        "to-me": ("asean", "AMBER+STRICT", "to:PDRM"),
        "unknown": ("galaxy", "GREEN", ""),
    }
    when = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with store.begin() as session:
        for n, (name, (level, tlp, handling)) in enumerate(cases.items()):
            sid = f"indicator--{uuid.uuid5(uuid.NAMESPACE_URL, name)}"
            session.add(
                StixObject(
                    collection="asean", stix_id=sid, type="indicator", version=name,
                    date_added=when + dt.timedelta(microseconds=n), latest=True,
                    distribution=level, tlp=tlp, handling=handling,
                    body=f'{{"id":"{sid}","name":"{name}"}}',
                )
            )  # fmt: skip
    who = Principal(1, "PDRM", "MY", "police", "peer")
    with store.read() as session:
        got = taxii.page(session, "asean", who, "ID", taxii.parse_filters({"limit": "3"}))
        names: list[str] = []
        while True:
            names += [orjson.loads(b)["name"] for b in got.bodies]
            if not got.more:
                break
            params = {"limit": "3", "next": got.next or ""}
            got = taxii.page(session, "asean", who, "ID", taxii.parse_filters(params))
        listed = taxii.manifest(session, "asean", who, "ID", taxii.parse_filters({}))
    assert names == ["ok", "codes", "to-me"]
    assert [r["version"] for r in listed.records] == ["ok", "codes", "to-me"]


def test_a_next_page_is_an_index_seek_not_a_scan_from_the_start(store: Store) -> None:
    """The keyset cursor must bound the index range, or a full read of N objects is O(N²)."""
    from sqlalchemy import event

    from tangkal.access.roles import Principal
    from tangkal.share import taxii_server as taxii

    for i in range(3):
        _publish(store, phone=f"+628123555000{i}", distribution="asean", tlp="GREEN")
    who = Principal(1, "PDRM", "MY", "police", "peer")
    seen: list[tuple[str, Any]] = []

    def keep(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        if "FROM stix_objects" in sql and "ORDER BY" in sql:
            seen.append((sql, params))

    with store.read() as session:
        first = taxii.page(session, "asean", who, "ID", taxii.parse_filters({"limit": "2"}))
        assert first.next
        event.listen(store.engine, "before_cursor_execute", keep)
        try:
            taxii.page(session, "asean", who, "ID", taxii.parse_filters({"next": first.next}))
        finally:
            event.remove(store.engine, "before_cursor_execute", keep)
        sql, params = seen[0]
        conn = session.connection()
        if store.dialect == "sqlite":
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()
        else:  # three rows would be read by a scan anyway: ask for the index's plan
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = conn.exec_driver_sql("EXPLAIN " + sql, params).all()
    detail = " ".join(str(row[-1]) for row in plan)
    if store.dialect == "sqlite":
        expected = "ix_stix_objects_page (collection=? AND latest=? AND date_added>?)"
        assert expected in detail, detail
    else:
        assert "ix_stix_objects_page" in detail, detail
        cond = detail[detail.index("Index Cond:") :]
        assert "date_added >" in cond.split("Filter:")[0], detail

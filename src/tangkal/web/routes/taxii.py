"""TAXII 2.1 endpoints under /taxii2/: thin HTTP around ``tangkal.share.taxii_server``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tangkal.access.models import Organisation
from tangkal.access.roles import Principal
from tangkal.audit.log import record
from tangkal.errors import NotFound
from tangkal.share import taxii_server as taxii
from tangkal.share.importer import parse_bundle
from tangkal.share.readahead import ReadAhead
from tangkal.share.stix import timestamp
from tangkal.web.auth import client_ip, require_permission
from tangkal.web.body import json_body
from tangkal.web.openapi import Operation

__all__ = ["operations", "routes"]

ROOT = "/taxii2/"
BASE = f"{ROOT}{taxii.API_ROOT}/"
_ACCEPTED = ("*/*", "application/*", "application/taxii+json")


def _media(value: str) -> tuple[str, dict[str, str]]:
    main, *params = (p.strip() for p in value.split(";"))
    opts = dict(p.partition("=")[::2] for p in params if "=" in p)
    return main.lower(), {k.strip().lower(): v.strip() for k, v in opts.items()}


def _check_accept(request: Request) -> None:
    """406 unless the client accepts TAXII 2.1 (a missing Accept header accepts anything)."""
    header = request.headers.get("accept")
    if not header:
        return
    for item in header.split(","):
        main, opts = _media(item)
        if main in _ACCEPTED and opts.get("version", "2.1") == "2.1":
            return
    raise HTTPException(406, f"this server answers only {taxii.MEDIA_TYPE}")


def _check_content_type(request: Request) -> None:
    main, opts = _media(request.headers.get("content-type", ""))
    if main != "application/taxii+json" or opts.get("version", "2.1") != "2.1":
        raise HTTPException(415, f"send objects as {taxii.MEDIA_TYPE}")


def _reader(request: Request, permission: str = "taxii:read") -> Principal:
    who = require_permission(request, permission)
    _check_accept(request)
    return who


def _taxii(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status_code=status, media_type=taxii.MEDIA_TYPE, headers=headers)


def _dump(data: Any, status: int = 200) -> Response:
    return _taxii(orjson.dumps(data), status)


def _home(request: Request) -> str:
    return str(request.app.state.settings.node_country)


async def get_discovery(request: Request) -> Response:
    _reader(request)
    root = str(request.base_url).rstrip("/") + ROOT
    return _dump(taxii.discovery(root, request.app.state.settings.node_name))


async def get_api_root(request: Request) -> Response:
    _reader(request)
    return _dump(taxii.api_root(request.app.state.settings.max_body_bytes))


async def get_collections(request: Request) -> Response:
    who = _reader(request)
    items = taxii.collections(who, _home(request), can_write=who.can("taxii:write"))
    return _dump({"collections": items} if items else {})


async def get_collection(request: Request) -> Response:
    who = _reader(request)
    cid = request.path_params["cid"]
    return _dump(taxii.collection(who, _home(request), cid, can_write=who.can("taxii:write")))


def _added_headers(page: taxii.Page) -> dict[str, str]:
    headers = {}
    if page.first_added is not None and page.last_added is not None:
        headers["X-TAXII-Date-Added-First"] = timestamp(page.first_added)
        headers["X-TAXII-Date-Added-Last"] = timestamp(page.last_added)
    return headers


def _envelope(page: taxii.Page) -> bytes:
    head = b'{"more":' + (b"true" if page.more else b"false")
    if page.next:
        head += b',"next":' + orjson.dumps(page.next)
    bodies = page.bodies
    if not bodies:
        return head + b"}"
    # One copy of the page: the stored objects are spliced in, never parsed, and the
    # envelope's head and tail ride on the first and last object instead of a second join.
    if len(bodies) == 1:
        return head + b',"objects":[' + bodies[0] + b"]}"
    return b",".join([head + b',"objects":[' + bodies[0], *bodies[1:-1], bodies[-1] + b"]}"])


@dataclass(frozen=True)
class _Served:
    """An objects page as sent: the envelope, its headers, and what the audit records."""

    body: bytes
    headers: dict[str, str]
    count: int
    filters: taxii.Filters | None  # of the page after this one, when there is one


def _serve(session: Session, cid: str, who: Principal, home: str, f: taxii.Filters) -> _Served:
    page = taxii.page(session, cid, who, home, f)
    return _Served(_envelope(page), _added_headers(page), len(page.bodies),
                   taxii.next_filters(f, page))  # fmt: skip


def _read_ahead(app: Any) -> ReadAhead[_Served]:
    """The worker's read-ahead of objects pages, made on first use."""
    ahead = getattr(app.state, "taxii_read_ahead", None)
    if ahead is None:  # no await since the lookup: the event loop makes this atomic
        ahead = app.state.taxii_read_ahead = ReadAhead[_Served](app.state.store)
    return cast(ReadAhead[_Served], ahead)


async def _read_page(
    request: Request, *, manifest: bool = False, versions: bool = False
) -> Response:
    who = _reader(request)
    params = dict(request.query_params)
    if versions:
        params["match[version]"] = "all"
    filters = taxii.parse_filters(params)
    cid = request.path_params["cid"]
    oid = request.path_params.get("oid")
    store = request.app.state.store
    home = _home(request)

    def run() -> taxii.Page:
        with store.read() as session:
            result = taxii.page(
                session, cid, who, home, filters, object_id=oid, manifest_only=manifest or versions
            )
        if oid is not None and not result.bodies and not result.records:
            raise NotFound(f"no object {oid!r} in this collection", field="oid")
        with store.begin() as session:
            # Data leaving the node is a sensitive read: one audit event per page.
            record(
                session, who.actor, "taxii.read", "collection", cid, remote=client_ip(request),
                details={"objects": len(result.bodies) + len(result.records), "object": oid},
            )  # fmt: skip
        return result

    page = await run_in_threadpool(run)
    headers = _added_headers(page)
    if versions:
        body: dict[str, Any] = {"more": page.more, "versions": [r["version"] for r in page.records]}
        if page.next:
            body["next"] = page.next
        return _taxii(orjson.dumps(body), headers=headers)
    if manifest:
        data: dict[str, Any] = {"more": page.more}
        if page.next:
            data["next"] = page.next
        if page.records:
            data["objects"] = page.records
        return _taxii(orjson.dumps(data), headers=headers)
    return _taxii(_envelope(page), headers=headers)


async def get_objects(request: Request) -> Response:
    """A page of objects; the page its ``next`` names is prepared while the client parses."""
    who = _reader(request)
    filters = taxii.parse_filters(dict(request.query_params))
    cid = request.path_params["cid"]
    store = request.app.state.store
    home = _home(request)
    ahead = _read_ahead(request.app)
    prepared = await ahead.take((cid, who, home, filters))

    def run() -> _Served:
        with store.read() as session:
            if prepared is not None and ahead.unchanged(session, prepared):
                served = prepared.value
            else:
                served = _serve(session, cid, who, home, filters)
        with store.begin() as session:
            # Data leaving the node is a sensitive read: one audit event per page.
            record(
                session, who.actor, "taxii.read", "collection", cid, remote=client_ip(request),
                details={"objects": served.count, "object": None},
            )  # fmt: skip
        return served

    served = await run_in_threadpool(run)
    response = _taxii(served.body, headers=served.headers)
    after = served.filters
    if after is not None:

        async def read_ahead() -> None:
            ahead.prepare((cid, who, home, after), lambda s: _serve(s, cid, who, home, after))

        # Started once the page is sent: building sooner holds the GIL while the event loop
        # is still writing the page, and the client needs the next one only after parsing.
        response.background = BackgroundTask(read_ahead)
    return response


async def get_manifest(request: Request) -> Response:
    return await _read_page(request, manifest=True)


async def get_object(request: Request) -> Response:
    return await _read_page(request)


async def get_versions(request: Request) -> Response:
    return await _read_page(request, versions=True)


async def post_objects(request: Request) -> Response:
    who = require_permission(request, "taxii:write")
    _check_accept(request)
    _check_content_type(request)
    objects = parse_bundle(await json_body(request))
    cid = request.path_params["cid"]
    store = request.app.state.store
    home = _home(request)
    remote = client_ip(request)

    def run() -> dict[str, Any]:
        with store.begin() as session:
            trusted = bool(
                session.scalar(select(Organisation.trusted).where(Organisation.id == who.org_id))
            )
            status, _ = taxii.add_objects(
                session, cid, who, home, objects, trusted=trusted, remote=remote
            )
            return status

    return _dump(await run_in_threadpool(run), status=202)


async def get_status(request: Request) -> Response:
    who = _reader(request)
    store = request.app.state.store
    sid = request.path_params["sid"]

    def run() -> dict[str, Any]:
        with store.read() as session:
            return taxii.get_status(session, sid, who)

    return _dump(await run_in_threadpool(run))


_C = BASE + "collections/{cid}/"
routes = [
    Route(ROOT, get_discovery, methods=["GET"]),
    Route(BASE, get_api_root, methods=["GET"]),
    Route(BASE + "collections/", get_collections, methods=["GET"]),
    Route(_C, get_collection, methods=["GET"]),
    Route(_C + "objects/", get_objects, methods=["GET"]),
    Route(_C + "objects/", post_objects, methods=["POST"]),
    Route(_C + "manifest/", get_manifest, methods=["GET"]),
    Route(_C + "objects/{oid}/", get_object, methods=["GET"]),
    Route(_C + "objects/{oid}/versions/", get_versions, methods=["GET"]),
    Route(BASE + "status/{sid}/", get_status, methods=["GET"]),
]

_PAGING = (
    ("added_after", "query", False, "Only objects added after this timestamp"),
    ("limit", "query", False, f"Page size (at most {taxii.MAX_LIMIT})"),
    ("next", "query", False, "Opaque cursor from the previous page"),
    ("match[id]", "query", False, "Comma-separated STIX ids"),
    ("match[type]", "query", False, "Comma-separated STIX types"),
    ("match[version]", "query", False, "first, last, all or timestamps"),
    ("match[spec_version]", "query", False, "2.1"),
)
_CID = (("cid", "path", True, "Collection id: asean, partners or public"),)
_OID = (("oid", "path", True, "STIX object id"),)


def _op(method: str, path: str, summary: str, permission: str, **extra: Any) -> Operation:
    """A TAXII operation: its bodies and answers are ``application/taxii+json``."""
    return Operation(method, path, summary, "taxii", permission, media=taxii.MEDIA_TYPE, **extra)


_ENVELOPE = {
    "type": "object",
    "required": ["objects"],
    "properties": {"objects": {"type": "array", "items": {"type": "object"}}},
}
operations = [
    _op("GET", ROOT, "TAXII discovery", "taxii:read"),
    _op("GET", BASE, "TAXII API root", "taxii:read"),
    _op("GET", BASE + "collections/", "Readable collections", "taxii:read"),
    _op("GET", _C, "One collection", "taxii:read", params=_CID),
    _op("GET", _C + "objects/", "STIX objects, paged", "taxii:read", params=_CID + _PAGING),
    _op("POST", _C + "objects/", "Push STIX objects (an envelope)", "taxii:write", params=_CID,
        responses={"202": "Status resource"}, body=_ENVELOPE),
    _op("GET", _C + "manifest/", "Manifest of objects, paged", "taxii:read",
        params=_CID + _PAGING),
    _op("GET", _C + "objects/{oid}/", "One object", "taxii:read", params=_CID + _OID + _PAGING),
    _op("GET", _C + "objects/{oid}/versions/", "Versions of one object", "taxii:read",
        params=_CID + _OID),
    _op("GET", BASE + "status/{sid}/", "Status of a push", "taxii:read",
        params=(("sid", "path", True, "Status id"),)),
]  # fmt: skip

"""TAXII 2.1 server, the domain half: collections per audience, paging, status resources.

The web adapter (``tangkal.web.routes.taxii``) parses HTTP and renders; everything that
decides what a peer sees lives here. Pages are keyset-paged on ``(date_added, seq)`` and
returned as the stored JSON text of each object, so a page of 10,000 objects costs one
indexed range scan and a string join.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    cast,
    exists,
    false,
    literal_column,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session, aliased

from tangkal.access.roles import Principal
from tangkal.errors import InvalidInput, NotFound, PermissionDenied
from tangkal.share.importer import ImportResult, Source, import_objects
from tangkal.share.models import StixObject, TaxiiStatus
from tangkal.share.policy import AUDIENCES, LEVELS, TLP, Recipient, may_share, recipient_for
from tangkal.share.stix import timestamp

__all__ = [
    "API_ROOT",
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "MEDIA_TYPE",
    "Filters",
    "Page",
    "add_objects",
    "api_root",
    "change_mark",
    "collection",
    "collections",
    "discovery",
    "get_status",
    "manifest",
    "next_filters",
    "page",
    "parse_filters",
    "recipient_of",
]

MEDIA_TYPE = "application/taxii+json;version=2.1"
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
API_ROOT = "api"
DEFAULT_LIMIT = 1_000
MAX_LIMIT = 10_000
_TITLES = {
    "asean": "ASEAN member nodes",
    "partners": "ASEAN, dialogue partners and international bodies",
    "public": "Public (TLP:CLEAR, public level)",
}
# The narrowest data that may be in each collection: a recipient that may read this may
# read every object in it (audiences nest, see share.policy).
_WIDEST = {
    "asean": ("asean", "AMBER"),
    "partners": ("partners", "AMBER"),
    "public": ("public", "CLEAR"),
}


def recipient_of(who: Principal, home_country: str) -> Recipient:
    """The policy's view of a TAXII caller: a peer token is another node's organisation."""
    node = who.org_name if who.role == "peer" else None
    return recipient_for(who.org_name, who.org_country, node=node, home_country=home_country)


def discovery(root_url: str, node_name: str) -> dict[str, Any]:
    return {
        "title": f"Tangkal node {node_name}",
        "description": "Scam indicators shared between Tangkal nodes (STIX 2.1 over TAXII 2.1).",
        "default": f"{root_url}{API_ROOT}/",
        "api_roots": [f"{root_url}{API_ROOT}/"],
    }


def api_root(max_content_length: int) -> dict[str, Any]:
    return {
        "title": "Tangkal federation",
        "versions": [MEDIA_TYPE],
        "max_content_length": max_content_length,
    }


def _visible(audience: str, r: Recipient, home: str) -> bool:
    level, tlp = _WIDEST[audience]
    return may_share(level, tlp, frozenset(), r, home_country=home)


def collections(who: Principal, home: str, *, can_write: bool) -> list[dict[str, Any]]:
    """The collections this caller may read, widest audience first."""
    r = recipient_of(who, home)
    return [
        {
            "id": a,
            "title": _TITLES[a],
            "can_read": True,
            "can_write": can_write,
            "media_types": [STIX_MEDIA_TYPE],
        }
        for a in AUDIENCES
        if _visible(a, r, home)
    ]


def collection(who: Principal, home: str, collection_id: str, *, can_write: bool) -> dict[str, Any]:
    for c in collections(who, home, can_write=can_write):
        if c["id"] == collection_id:
            return c
    raise NotFound(f"no collection {collection_id!r} for this organisation", field="collection")


@dataclass(frozen=True)
class Filters:
    added_after: dt.datetime | None = None
    ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    versions: tuple[str, ...] = ("last",)
    spec_versions: tuple[str, ...] = ()
    limit: int = DEFAULT_LIMIT
    cursor: tuple[dt.datetime, int] | None = None


def _parse_time(text: str, field: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput("must be an RFC 3339 timestamp", field=field) from None
    if when.tzinfo is None:
        raise InvalidInput("must carry a time zone (use 'Z')", field=field)
    return when.astimezone(dt.UTC)


def _csv(params: Mapping[str, str], name: str) -> tuple[str, ...]:
    raw = params.get(name)
    return tuple(v.strip() for v in raw.split(",") if v.strip()) if raw else ()


def encode_cursor(when: dt.datetime, seq: int) -> str:
    return base64.urlsafe_b64encode(f"{timestamp(when)}|{seq}".encode()).decode().rstrip("=")


def _decode_cursor(token: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        when, _, seq = raw.partition("|")
        return _parse_time(when, "next"), int(seq)
    except (binascii.Error, UnicodeDecodeError, ValueError, InvalidInput):
        raise InvalidInput("not a cursor this server issued", field="next") from None


def parse_filters(params: Mapping[str, str]) -> Filters:
    """TAXII query parameters, validated; InvalidInput names the bad one."""
    limit = DEFAULT_LIMIT
    if "limit" in params:
        try:
            limit = int(params["limit"])
        except ValueError:
            raise InvalidInput("must be a positive integer", field="limit") from None
        if limit < 1:
            raise InvalidInput("must be a positive integer", field="limit")
        limit = min(limit, MAX_LIMIT)  # the spec lets a server return fewer than asked
    versions = _csv(params, "match[version]") or ("last",)
    for v in versions:
        if v not in ("first", "last", "all"):
            _parse_time(v, "match[version]")
    return Filters(
        added_after=_parse_time(params["added_after"], "added_after")
        if params.get("added_after")
        else None,
        ids=_csv(params, "match[id]"),
        types=_csv(params, "match[type]"),
        versions=versions,
        spec_versions=_csv(params, "match[spec_version]"),
        limit=limit,
        cursor=_decode_cursor(params["next"]) if params.get("next") else None,
    )


@dataclass(frozen=True)
class Page:
    """One page of objects (their stored JSON text) or manifest records."""

    bodies: list[bytes]  # each object's stored JSON, UTF-8, ready to splice
    records: list[dict[str, Any]]
    more: bool
    next: str | None
    first_added: dt.datetime | None
    last_added: dt.datetime | None


def _version_clause(versions: Sequence[str]) -> ColumnElement[bool]:
    older = aliased(StixObject)
    clauses: list[ColumnElement[bool]] = []
    for v in versions:
        if v == "all":
            return StixObject.seq.is_not(None)
        if v == "last":
            clauses.append(StixObject.latest.is_(True))
        elif v == "first":
            clauses.append(
                ~exists().where(
                    older.collection == StixObject.collection,
                    older.stix_id == StixObject.stix_id,
                    older.version < StixObject.version,
                )
            )
        else:
            clauses.append(StixObject.version == timestamp(_parse_time(v, "match[version]")))
    return or_(*clauses)


def _allowed_pairs(r: Recipient, home: str) -> list[tuple[str, str]]:
    """The (level, TLP) pairs ``may_share`` gives this recipient when no addressee is named."""
    return [
        (level, tlp)
        for level in LEVELS
        for tlp in TLP
        if may_share(level, tlp, frozenset(), r, home_country=home)
    ]


def _addressed_ok(row: Any, r: Recipient, home: str) -> bool:
    codes = frozenset(h for h in str(row[4]).split(",") if h)
    return may_share(row[2], row[3], codes, r, home_country=home)


def _body_bytes(session: Session) -> ColumnElement[Any]:
    """The stored JSON as bytes, without a decode and re-encode per object."""
    if session.get_bind().dialect.name == "postgresql":
        return literal_column("convert_to(stix_objects.body, 'UTF8')")
    return literal_column("CAST(stix_objects.body AS BLOB)")


def page(
    session: Session,
    collection_id: str,
    who: Principal,
    home: str,
    f: Filters,
    *,
    object_id: str | None = None,
    manifest_only: bool = False,
) -> Page:
    """A page of one collection for this caller, after the keyset cursor."""
    collection(who, home, collection_id, can_write=False)  # NotFound when not visible
    r = recipient_of(who, home)
    s = StixObject
    cond: list[ColumnElement[bool]] = [s.collection == collection_id]
    if f.versions == ("last",):
        cond.append(s.latest.is_(True))  # the common case stays on the page index
    else:
        cond.append(_version_clause(f.versions))
    if object_id is not None:
        cond.append(s.stix_id == object_id)
    if f.ids:
        cond.append(s.stix_id.in_(f.ids))
    if f.types:
        cond.append(s.type.in_(f.types))
    if f.spec_versions and "2.1" not in f.spec_versions:
        cond.append(s.seq.is_(None))  # every object here is STIX 2.1
    if f.added_after is not None:
        cond.append(s.date_added > f.added_after)
    if f.cursor is not None:
        when, seq = f.cursor
        # The bare OR form makes SQLite scan the index from the start of the collection on
        # every page (a full read goes quadratic); the leading range keeps it a seek.
        cond.append(s.date_added >= when)
        cond.append(or_(s.date_added > when, s.seq > seq))
    # The policy runs inside the range scan: the (level, TLP) pairs this caller may receive
    # are worked out once with may_share; only rows naming addressees ("to:…", never
    # materialised into an audience collection) come back to be checked one by one.
    addressed = s.handling.like("%to:%")
    pairs = _allowed_pairs(r, home)
    plain = and_(tuple_(s.distribution, s.tlp).in_(pairs), ~addressed) if pairs else false()
    cond.append(or_(plain, addressed))
    # Core execution, no datetime per row, and bodies as bytes straight from the driver:
    # a page of 10,000 is one indexed range scan and one bytes join, never a JSON parse.
    policy = (s.seq, cast(addressed, Integer), s.distribution, s.tlp, s.handling)
    extra = (s.stix_id, s.version, s.date_added) if manifest_only else (_body_bytes(session),)
    q = select(*policy, *extra).where(*cond).order_by(s.date_added, s.seq).limit(f.limit + 1)
    result = session.connection().execute(q)
    if manifest_only or result.cursor is None:
        rows: Sequence[Any] = result.all()  # date_added goes through its result processor
    else:
        # Every column of an objects page is one the driver returns as is (no result
        # processor), so the DBAPI rows are used directly: no Row object per object served.
        rows = result.cursor.fetchall()
        result.close()
    more = len(rows) > f.limit
    rows = rows[: f.limit]
    bodies: list[bytes] = []
    records: list[dict[str, Any]] = []
    if manifest_only:
        for row in rows:
            if not row[1] or _addressed_ok(row, r, home):
                records.append(
                    {"id": row[5], "date_added": timestamp(row[7]), "version": row[6],
                     "media_type": STIX_MEDIA_TYPE}
                )  # fmt: skip
    elif any(row[1] for row in rows):
        bodies = [row[5] for row in rows if not row[1] or _addressed_ok(row, r, home)]
    else:
        bodies = [row[5] for row in rows]
    first_added = last_added = None
    if rows:
        edge = select(s.seq, s.date_added).where(s.seq.in_({rows[0][0], rows[-1][0]}))
        ends = {seq: when for seq, when in session.execute(edge)}
        first_added, last_added = ends[rows[0][0]], ends[rows[-1][0]]
    return Page(
        bodies=bodies,
        records=records,
        more=more,
        next=encode_cursor(last_added, rows[-1][0]) if more and last_added else None,
        first_added=first_added,
        last_added=last_added,
    )


def next_filters(f: Filters, page: Page) -> Filters | None:
    """The filters of the request for the page after this one (as ``parse_filters`` reads it).

    A client following ``next`` repeats its filters and limit, so this is the key under
    which the following page can be prepared before it is asked for.
    """
    if page.next is None:
        return None
    return replace(f, cursor=_decode_cursor(page.next))


def change_mark(session: Session) -> tuple[Any, ...] | None:
    """Identity of the newest stored object version: it changes whenever objects are written.

    ``stix_objects`` only ever grows under the writer lock (``publish.write_rows``), and a
    version stops being the latest only in the transaction that appends its successor, so
    two reads that see the same newest row (by primary key: one index probe at any size)
    saw the same collection. The row's id, version and date_added are part of the mark so
    that a store emptied and refilled (tests, restores) does not repeat an old mark.
    """
    s = StixObject
    q = select(s.seq, s.date_added, s.stix_id, s.version).order_by(s.seq.desc()).limit(1)
    row = session.execute(q).first()
    return None if row is None else tuple(row)


def manifest(session: Session, collection_id: str, who: Principal, home: str, f: Filters) -> Page:
    return page(session, collection_id, who, home, f, manifest_only=True)


def add_objects(
    session: Session,
    collection_id: str,
    who: Principal,
    home: str,
    objects: Sequence[Mapping[str, Any]],
    *,
    trusted: bool,
    remote: str | None,
) -> tuple[dict[str, Any], ImportResult]:
    """Ingest a peer's POSTed objects as its reports; return the status resource."""
    collection(who, home, collection_id, can_write=True)
    if who.role not in ("peer", "admin"):
        raise PermissionDenied("only peer nodes post objects")
    source = Source(
        principal=who, peer=who.org_name, country=who.org_country, trusted=trusted,
        remote=remote, vouching=who.role == "peer",
    )  # fmt: skip
    result = import_objects(session, objects, source)
    status = TaxiiStatus(
        id=str(uuid.uuid4()),
        collection=collection_id,
        org_id=who.org_id,
        status="complete",
        total_count=len(objects),
        success_count=len(result.successes),
        failure_count=len(result.failures),
        pending_count=0,
        successes=result.successes,
        failures=result.failures,
    )
    session.add(status)
    session.flush()
    return status_resource(status), result


def status_resource(s: TaxiiStatus) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": s.id,
        "status": s.status,
        "request_timestamp": timestamp(s.request_timestamp),
        "total_count": s.total_count,
        "success_count": s.success_count,
        "failure_count": s.failure_count,
        "pending_count": s.pending_count,
    }
    if s.successes:
        out["successes"] = s.successes
    if s.failures:
        out["failures"] = s.failures
    return out


def get_status(session: Session, status_id: str, who: Principal) -> dict[str, Any]:
    """A status resource, visible only to the organisation that posted."""
    s = session.get(TaxiiStatus, status_id)
    if s is None or (s.org_id != who.org_id and who.role != "admin"):
        raise NotFound(f"no status {status_id!r}", field="status_id")
    return status_resource(s)

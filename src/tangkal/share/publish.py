"""Keep the served STIX objects current: re-map indicators after their evidence changed.

``materialise`` is called in the writer's transaction whenever indicators change (intake,
delisting, sync). It writes one serialised row per object version and audience, so the
TAXII server only concatenates stored text. Hooks in ``ON_PUBLISH`` (push to peers) run
after the rows are written, with the ids of the indicators that produced new versions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import bindparam, select, text, update
from sqlalchemy.orm import Session

from tangkal.config import Settings
from tangkal.report.models import Indicator, Report, ReportIndicator
from tangkal.share import stix
from tangkal.share.models import ReportSharing, StixObject
from tangkal.share.policy import AUDIENCES, LEVELS, TLP, audience_recipient, may_share
from tangkal.store.base import utcnow
from tangkal.store.bulk import insert_many

__all__ = [
    "ON_PUBLISH",
    "NodeIdentity",
    "Row",
    "export_rows",
    "materialise",
    "next_date_added",
    "write_rows",
]

# Called as hook(session, indicator_ids) after materialise wrote new versions.
ON_PUBLISH: list[Callable[[Session, list[int]], None]] = []
_PG_LOCK_KEY = 0x7461_7869  # "taxi": one writer of stix_objects at a time
_CHUNK = 500
_STEP = dt.timedelta(microseconds=1)


@dataclass(frozen=True)
class NodeIdentity:
    """This node as STIX sees it."""

    name: str
    country: str

    @property
    def identity_id(self) -> str:
        return str(stix.identity(self.name, node=self.name, country=self.country)["id"])

    @classmethod
    def from_settings(cls, settings: Settings) -> NodeIdentity:
        return cls(settings.node_name, settings.node_country)


@dataclass
class Row:
    """One object version bound for one collection."""

    collection: str
    obj: dict[str, Any]
    distribution: str
    tlp: str
    handling: frozenset[str] = frozenset()
    indicator_id: int | None = None
    version: str = field(default="")

    def __post_init__(self) -> None:
        self.version = str(self.obj.get("modified") or self.obj.get("created") or "static")


@dataclass
class _ReportView:
    distribution: str
    tlp: str
    handling: frozenset[str]
    country: str
    received_at: dt.datetime
    reporter_key: str
    trusted: bool


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})


def next_date_added(session: Session) -> dt.datetime:
    """A date_added later than every stored one (call with the writer lock held)."""
    # The newest row by primary key carries the largest date_added (rows are only ever
    # appended under the writer lock), and finding it costs one index probe at any size.
    last = session.scalar(select(StixObject.date_added).order_by(StixObject.seq.desc()).limit(1))
    now = utcnow()
    return now if last is None or now > last else last + _STEP


def write_rows(session: Session, rows: Iterable[Row]) -> list[Row]:
    """Store rows that are new versions; return those written. Idempotent on id+version."""
    _lock(session)
    pending = list(rows)
    written: list[Row] = []
    superseded: list[dict[str, Any]] = []
    when = next_date_added(session)
    for i in range(0, len(pending), _CHUNK):
        chunk = pending[i : i + _CHUNK]
        ids = {r.obj["id"] for r in chunk}
        have: dict[tuple[str, str], set[str]] = {}
        for coll, sid, ver in session.execute(
            select(StixObject.collection, StixObject.stix_id, StixObject.version).where(
                StixObject.stix_id.in_(ids)
            )
        ):
            have.setdefault((coll, sid), set()).add(ver)
        fresh: dict[tuple[str, str], dict[str, Any]] = {}
        stale: set[tuple[str, str]] = set()
        for r in chunk:
            key = (r.collection, r.obj["id"])
            if r.version in have.get(key, ()):
                continue
            if key in have and key not in fresh:
                stale.add(key)  # stored versions stop being the latest
            have.setdefault(key, set()).add(r.version)
            if key in fresh:  # a newer version later in the same chunk: both are stored
                earlier = fresh.pop(key)
                earlier["latest"] = False
                superseded.append(earlier)
            fresh[key] = {
                "collection": r.collection,
                "stix_id": r.obj["id"],
                "type": r.obj["type"],
                "version": r.version,
                "date_added": when,
                "latest": True,
                "distribution": r.distribution,
                "tlp": r.tlp,
                "handling": ",".join(sorted(r.handling)),
                "indicator_id": r.indicator_id,
                "body": orjson.dumps(r.obj).decode(),
            }
            written.append(r)
            when += _STEP
        if stale:
            # One statement for all: new objects (most of a pull) have nothing to demote.
            session.connection().execute(
                update(StixObject)
                .where(
                    StixObject.collection == bindparam("b_coll"),
                    StixObject.stix_id == bindparam("b_sid"),
                )
                .values(latest=False),
                [{"b_coll": c, "b_sid": sid} for c, sid in sorted(stale)],
            )
        rows_in_order = sorted([*superseded, *fresh.values()], key=lambda x: x["date_added"])
        insert_many(session, StixObject, rows_in_order)
        superseded.clear()
    return written


def _reports(session: Session, ids: list[int]) -> dict[int, list[_ReportView]]:
    out: dict[int, list[_ReportView]] = {}
    r, ri, rs = Report, ReportIndicator, ReportSharing
    for i in range(0, len(ids), _CHUNK):
        q = (
            select(
                ri.indicator_id,
                r.distribution,
                r.tlp,
                rs.handling,
                r.victim_country,
                r.received_at,
                r.reporter_key,
                r.reporter_trusted,
            )
            .join(r, r.id == ri.report_id)
            .outerjoin(rs, rs.report_id == r.id)
            .where(ri.indicator_id.in_(ids[i : i + _CHUNK]))
        )
        for iid, dist, tlp, handling, country, at, key, trusted in session.execute(q):
            codes = frozenset(h for h in (handling or "").split(",") if h)
            view = _ReportView(dist, tlp, codes, country, at, key, bool(trusted))
            out.setdefault(iid, []).append(view)
    return out


def _objects_for(
    ind: Indicator,
    views: list[_ReportView],
    audience: str,
    node: NodeIdentity,
    before: dict[str, Any] | None,
) -> list[Row]:
    """The indicator, observable and sighting an audience may see, or a revocation."""
    who = audience_recipient(audience)
    ok = [
        v
        for v in views
        if may_share(v.distribution, v.tlp, v.handling, who, home_country=node.country)
    ]
    if not ok and (before is None or before.get("revoked")):
        return []  # never served here, or its revocation already is
    if ok:
        distribution = max((v.distribution for v in ok), key=LEVELS.index)
        tlp = min((v.tlp for v in ok), key=TLP.index)
        handling = frozenset().union(*(v.handling for v in ok))
    else:
        # Once served, a value that may no longer be shared is revoked, not silently dropped.
        distribution, tlp, handling = audience, "GREEN" if audience != "public" else "CLEAR", None
    countries = sorted({v.country for v in ok})
    evidence = {
        "report_count": len(ok),
        "reporter_count": len({v.reporter_key for v in ok}),
        # Trusted organisations (police, CERT, bank…) among them: one suffices for "scam",
        # here and at the peer that imports this (share.importer honours it).
        "trusted_reporter_count": len({v.reporter_key for v in ok if v.trusted}),
        "countries": countries,
    }
    obj = stix.indicator_to_stix(
        ind, node_identity_id=node.identity_id, node=node.name, distribution=distribution,
        tlp=tlp, handling=handling or frozenset(), evidence=evidence,
    )  # fmt: skip
    if not ok:
        obj["revoked"] = True
        obj["modified"] = stix.timestamp(utcnow())
    codes = handling or frozenset()
    rows = [Row(audience, obj, distribution, tlp, codes, ind.id)]
    if ok:
        rows.append(
            Row(audience, stix.observable(ind.kind, ind.value, ind.attributes), distribution, tlp)
        )
        seen = [v.received_at for v in ok]
        sighting = stix.sighting_to_stix(
            indicator=obj, count=len(ok), countries=countries, first_seen=min(seen),
            last_seen=max(seen), node_identity_id=node.identity_id,
        )  # fmt: skip
        rows.append(Row(audience, sighting, distribution, tlp, codes, ind.id))
        rows += [Row(audience, stix.location(c), audience, "CLEAR") for c in countries]
    return rows


def _same(new: dict[str, Any], old: dict[str, Any]) -> bool:
    """Whether two versions of an indicator differ only in their timestamps."""
    skip = ("modified", "created", "valid_from")
    return {k: v for k, v in new.items() if k not in skip} == {
        k: v for k, v in old.items() if k not in skip
    }


def _static_rows(node: NodeIdentity) -> list[Row]:
    return [
        Row(audience, obj, audience, "CLEAR")
        for audience in AUDIENCES
        for obj in stix.static_objects(node.name, node.country)
    ]


def materialise(
    session: Session,
    indicator_ids: Iterable[int],
    *,
    node: NodeIdentity | None = None,
) -> int:
    """Re-map these indicators into every audience collection; return rows written.

    ``node`` defaults to the node named by the environment's settings.
    """
    me = node or NodeIdentity.from_settings(Settings.from_env())
    ids = sorted(set(indicator_ids))
    if not ids:
        return 0
    _lock(session)
    rows = _static_rows(me)
    views = _reports(session, ids)
    # (indicator, collection) -> the served indicator object.
    served: dict[tuple[int, str], dict[str, Any]] = {}
    for i in range(0, len(ids), _CHUNK):
        q = select(StixObject.indicator_id, StixObject.collection, StixObject.body).where(
            StixObject.indicator_id.in_(ids[i : i + _CHUNK]),
            StixObject.type == "indicator",
            StixObject.latest.is_(True),
        )
        for iid, coll, body in session.execute(q):
            if iid is not None:
                served[(iid, coll)] = orjson.loads(body)
    for i in range(0, len(ids), _CHUNK):
        for ind in session.scalars(select(Indicator).where(Indicator.id.in_(ids[i : i + _CHUNK]))):
            for audience in AUDIENCES:
                before = served.get((ind.id, audience))
                new = _objects_for(ind, views.get(ind.id, []), audience, me, before)
                if new and before is not None and _same(new[0].obj, before):
                    continue  # only the timestamp moved: no new version, no echo between peers
                rows += new
    written = write_rows(session, rows)
    changed = sorted({r.indicator_id for r in written if r.indicator_id is not None})
    if changed:
        for hook in ON_PUBLISH:
            hook(session, changed)
    return len(written)


def export_rows(session: Session, audience: str, node: NodeIdentity) -> Iterator[Row]:
    """Every object an audience may receive, computed fresh (exports need no materialising).

    Static objects (identities, markings, the extension) come first, then per indicator its
    indicator, observable, sighting and locations; locations are yielded once.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    seen: set[str] = set()
    for obj in stix.static_objects(node.name, node.country):
        seen.add(obj["id"])
        yield Row(audience, obj, audience, "CLEAR")
    last = 0
    while True:
        ids = list(
            session.scalars(
                select(Indicator.id)
                .where(Indicator.id > last, Indicator.report_count > 0)
                .order_by(Indicator.id)
                .limit(_CHUNK)
            )
        )
        if not ids:
            return
        last = ids[-1]
        views = _reports(session, ids)
        for ind in session.scalars(select(Indicator).where(Indicator.id.in_(ids))):
            for row in _objects_for(ind, views.get(ind.id, []), audience, node, None):
                if row.obj["id"] not in seen or row.obj["type"] != "location":
                    seen.add(row.obj["id"])
                    yield row

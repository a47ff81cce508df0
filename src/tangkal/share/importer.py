"""Bring STIX objects from a peer (TAXII push or pull, or a file) into the store.

An incoming indicator becomes a report from source ``partner_node`` filed by the peer's
organisation, one per country it was sighted in, through the same intake as every other
report, so the check verdict and its provenance reflect it. Replays add nothing (the STIX
id and ``modified`` are kept in ``report_sharing``), the newest ``modified`` wins, and a
revocation withdraws the peer's reports. Received reports are stored at the ``national``
level: each node shares only what it holds first-hand, so data never loops between peers.

The caller owns the transaction: one bundle is imported whole or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import orjson
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from tangkal.access.roles import Principal
from tangkal.audit.log import record
from tangkal.errors import InvalidInput
from tangkal.report.intake import file_reports, refresh_evidence
from tangkal.report.models import Report, ReportIndicator
from tangkal.report.prepare import Prepared, prepare
from tangkal.report.schema import parse_report
from tangkal.share.models import ReceivedVersion, ReportSharing
from tangkal.share.policy import TLP
from tangkal.share.stix import EXTENSION_ID, ParsedIndicator, stix_to_indicator
from tangkal.store import bulk
from tangkal.store.base import utcnow
from tangkal.vocabulary import TYPOLOGIES

__all__ = [
    "MAX_OBJECTS",
    "ImportResult",
    "Source",
    "import_objects",
    "parse_bundle",
    "vouched",
]

MAX_OBJECTS = 10_000
MAX_COUNTRIES = 10
# STIX 2.1 types Tangkal accepts without storing (they describe, they are not evidence).
_PASSIVE = frozenset({
    "identity", "location", "marking-definition", "extension-definition", "relationship",
    "sighting",
    "report", "note", "opinion", "grouping", "observed-data", "language-content",
    "attack-pattern", "campaign", "course-of-action", "infrastructure", "intrusion-set",
    "malware", "malware-analysis", "threat-actor", "tool", "vulnerability", "incident",
    "artifact", "autonomous-system", "directory", "domain-name", "email-addr",
    "email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex", "network-traffic",
    "process", "software", "url", "user-account", "windows-registry-key", "x509-certificate",
    "phone-number", "bank-account", "cryptocurrency-wallet",
})  # fmt: skip
_ID_RE = re.compile(
    r"[a-z0-9][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)
_TS_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
_KNOWN = _PASSIVE | {"indicator"}
_ABSENT = object()


@dataclass(frozen=True)
class Source:
    """Who the objects come from: the peer organisation that stands behind them."""

    principal: Principal
    peer: str
    country: str
    trusted: bool = False
    remote: str | None = None
    # Whether an indicator the sending node says is corroborated at home is filed as from a
    # trusted reporter (see ``vouched``): true for peer nodes (pull and push).
    vouching: bool = False


def vouched(obj: Mapping[str, Any]) -> bool:
    """Whether the sending node says the value is corroborated (two reporters or a trusted one).

    A peer's reports arrive as one reporter (the peer organisation), so without this a value
    corroborated in MY — by two reporters, or by one trusted organisation such as the police
    — would only ever be "suspicious" in ID.
    """
    ext = (obj.get("extensions") or {}).get(EXTENSION_ID) or {}
    try:
        return (
            int(ext.get("reporter_count", 0)) >= 2 or int(ext.get("trusted_reporter_count", 0)) >= 1
        )
    except (TypeError, ValueError, AttributeError):
        return False


@dataclass
class ImportResult:
    """Per-object outcome, shaped like a TAXII status resource.

    Successes are kept as (object, message) until someone reads them: a pulled page of
    10,000 objects is only counted (``count``), and a status entry per object was a dict
    built for nothing.
    """

    failures: list[dict[str, str]] = field(default_factory=list)
    indicator_ids: set[int] = field(default_factory=set)
    _ok: list[tuple[Mapping[str, Any], str]] = field(default_factory=list, repr=False)
    _entries: list[dict[str, str]] | None = field(default=None, repr=False)

    @property
    def successes(self) -> list[dict[str, str]]:
        """One status entry (id, version, message) per object taken, in order."""
        if self._entries is None or len(self._entries) != len(self._ok):
            self._entries = [_entry(obj, message) for obj, message in self._ok]
        return self._entries

    def ok(self, obj: Mapping[str, Any], message: str) -> None:
        self._ok.append((obj, message))

    def fail(self, obj: Mapping[str, Any], message: str) -> None:
        self.failures.append(_entry(obj, message))

    @property
    def taken(self) -> int:
        """How many objects were taken (len of ``successes``, without building it)."""
        return len(self._ok)

    def count(self, *messages: str) -> int:
        """How many objects were taken with one of these messages."""
        return sum(1 for _, message in self._ok if message in messages)


def _entry(obj: Mapping[str, Any], message: str) -> dict[str, str]:
    entry = {"id": str(obj.get("id", "")), "message": message}
    version = obj.get("modified") or obj.get("created")
    if isinstance(version, str):
        entry["version"] = version
    return entry


def parse_bundle(data: Any, *, field_name: str = "body") -> list[dict[str, Any]]:
    """The objects of a STIX bundle or TAXII envelope; InvalidInput when it is not one."""
    if not isinstance(data, dict):
        raise InvalidInput("expected a JSON object (a STIX bundle or envelope)", field=field_name)
    if "type" in data and data["type"] != "bundle":
        raise InvalidInput(f"expected a bundle, got type {data['type']!r}", field="type")
    objects = data.get("objects")
    if not isinstance(objects, list) or not objects:
        raise InvalidInput("'objects' must be a non-empty list", field="objects")
    if len(objects) > MAX_OBJECTS:
        raise InvalidInput(f"at most {MAX_OBJECTS} objects per request", field="objects")
    for i, obj in enumerate(objects):
        if not isinstance(obj, dict):
            raise InvalidInput("every object must be a JSON object", field=f"objects.{i}")
    return objects


def _problem(obj: Mapping[str, Any]) -> str | None:
    """What makes an object unacceptable, or None.

    Called once per object of every page pulled: one ``get`` per property, the type's
    verdict looked up once per type, no f-string unless the object is refused.
    """
    type_ = obj.get("type")
    if not isinstance(type_, str):
        return "object without a type"
    oid = obj.get("id")
    if (
        not isinstance(oid, str)
        or not oid.startswith(type_)
        or not oid.startswith("--", len(type_))
        or not _ID_RE.fullmatch(oid)
    ):
        return "id must be '<type>--<uuid>'"
    if type_ not in _KNOWN:
        return f"unknown object type {type_!r}"
    if obj.get("spec_version", "2.1") != "2.1":
        return "only STIX 2.1 objects are accepted"
    for name in ("created", "modified"):
        ts = obj.get(name, _ABSENT)
        if ts is not _ABSENT and not (isinstance(ts, str) and _TS_RE.fullmatch(ts)):
            return f"{name} is not a STIX timestamp"
    return None


def _countries(obj: Mapping[str, Any], sightings: Mapping[str, set[str]]) -> list[str]:
    found = sorted(sightings.get(str(obj["id"]), set()))
    return found[:MAX_COUNTRIES]


def _sighted_countries(objects: Sequence[Mapping[str, Any]]) -> dict[str, set[str]]:
    """indicator id -> countries, read from sightings and their locations in the bundle."""
    where: dict[str, str] = {}
    sightings: list[Mapping[str, Any]] = []
    for o in objects:  # one pass sorts out the two types; a page holds ~1/3 sightings
        type_ = o.get("type")
        if type_ == "sighting":
            sightings.append(o)
        elif type_ == "location" and isinstance(o.get("country"), str):
            where[str(o["id"])] = str(o["country"]).upper()
    out: dict[str, set[str]] = {}
    for o in sightings:
        if isinstance(o.get("sighting_of_ref"), str):
            refs = o.get("where_sighted_refs") or []
            out.setdefault(o["sighting_of_ref"], set()).update(
                where[r] for r in refs if isinstance(r, str) and r in where
            )
    return out


class _Before(NamedTuple):
    """What this peer sent before under one STIX id: its ``received_versions`` row."""

    version: str
    report_ids: list[int]
    row_id: int


_STORED_SQL = (
    "SELECT stix_id, version, report_ids, id FROM received_versions "
    "WHERE peer = {p} AND stix_id IN ({marks})"
)


def _stored(session: Session, ids: Iterable[str], peer: str) -> dict[str, _Before]:
    """stix id -> what this peer sent before (version, report ids, row), on the driver's
    cursor: a pulled page asks for 10,000 ids at a time."""
    cur, mark = bulk.cursor(session)
    out: dict[str, _Before] = {}
    for sid, v, rids, row in bulk.fetch_in(cur, mark, _STORED_SQL, list(set(ids)), before=(peer,)):
        if isinstance(rids, str | bytes):  # SQLite hands JSON back as text
            rids = orjson.loads(rids)
        out[str(sid)] = _Before(str(v), [int(r) for r in rids or ()], int(row))
    return out


_REMEMBERED = ("peer", "stix_id", "version", "revoked", "report_ids", "received_at")


def _remember(
    session: Session,
    peer: str,
    items: list[ParsedIndicator],
    reports: dict[str, list[int]],
    stored: Mapping[str, _Before],
) -> None:
    """Record the newest version seen per STIX id and the reports it produced (executemany).

    ``stored`` is what ``_stored`` read at the start of the import: withdrawing reports
    never removes a ``received_versions`` row, so its row ids still hold.
    """
    now = utcnow()
    fresh: list[tuple[Any, ...]] = []
    changed: list[tuple[Any, ...]] = []
    for p in items:
        rids = reports.get(p.stix_id, [])
        before = stored.get(p.stix_id)
        if before is None:
            fresh.append((peer, p.stix_id, p.modified, p.revoked, rids, now))
        else:
            changed.append((p.modified, p.revoked, rids, before.row_id))
    bulk.insert_rows(session, ReceivedVersion, _REMEMBERED, fresh)
    bulk.update_rows(session, ReceivedVersion, ("version", "revoked", "report_ids"), "id", changed)


def _withdraw(session: Session, report_ids: list[int]) -> set[int]:
    """Remove a peer's earlier reports; return the indicators whose evidence changed."""
    if not report_ids:
        return set()
    touched = set(
        session.scalars(
            select(ReportIndicator.indicator_id).where(ReportIndicator.report_id.in_(report_ids))
        )
    )
    session.execute(delete(ReportSharing).where(ReportSharing.report_id.in_(report_ids)))
    session.execute(delete(ReportIndicator).where(ReportIndicator.report_id.in_(report_ids)))
    session.execute(delete(Report).where(Report.id.in_(report_ids)))
    return touched


def _report_body(p: ParsedIndicator, country: str, tlp: str) -> dict[str, Any]:
    typology = next((t for t in p.labels if t in TYPOLOGIES), "other")
    return {
        "victim_country": country,
        "source": "partner_node",
        "typology": typology,
        "indicators": [{"value": p.value, "kind": p.kind}],
        "external_id": f"{p.stix_id}|{country}",
        "distribution": "national",
        "tlp": tlp,
        "reliability": "B",
        "credibility": 2,
    }


def import_objects(
    session: Session, objects: Sequence[Mapping[str, Any]], source: Source
) -> ImportResult:
    """Import one bundle's objects in the caller's transaction; per-object outcomes."""
    result = ImportResult()
    sightings = _sighted_countries(objects)
    parsed: list[tuple[Mapping[str, Any], ParsedIndicator]] = []
    for obj in objects:
        problem = _problem(obj)
        if problem:
            result.fail(obj, problem)
        elif obj["type"] != "indicator":
            result.ok(obj, "accepted; not stored as evidence")
        else:
            try:
                parsed.append((obj, stix_to_indicator(obj)))
            except ValueError as exc:
                result.fail(obj, f"invalid indicator: {exc}")
    stored = _stored(session, (p.stix_id for _, p in parsed), source.peer)
    newest: dict[str, tuple[Mapping[str, Any], ParsedIndicator]] = {}
    for obj, p in parsed:
        seen = newest.get(p.stix_id)
        if seen is None or p.modified > seen[1].modified:
            newest[p.stix_id] = (obj, p)
    accepted: list[_Accepted] = []
    reporter_key = f"org:{source.principal.org_id}"
    for obj, p in parsed:
        if newest[p.stix_id][0] is not obj:
            result.ok(obj, "superseded by a newer version in the same request")
            continue
        before = stored.get(p.stix_id)
        if before and p.modified == before.version:
            result.ok(obj, "already imported")
            continue
        if before and p.modified < before.version:
            result.fail(obj, f"older than the stored version {before.version}")
            continue
        if p.tlp == "RED":
            result.fail(obj, "TLP:RED is never accepted from another node")
            continue
        tlp = p.tlp if p.tlp in TLP else "AMBER"
        countries = _countries(obj, sightings) or list(p.countries[:MAX_COUNTRIES])
        bodies = [_report_body(p, c, tlp) for c in countries or [source.country]]
        try:  # prepare() validates and normalises the value
            prepared = [prepare(parse_report(b), reporter_key) for b in bodies]
        except InvalidInput as exc:
            result.fail(obj, f"invalid indicator value: {exc.detail}")
            continue
        trusted = source.trusted or (source.vouching and vouched(obj))
        accepted.append(
            _Accepted(
                p, [] if p.revoked else prepared, before.report_ids if before else [], trusted
            )
        )
        result.ok(obj, "revoked" if p.revoked else "imported")
    withdrawn, filed = _apply(session, accepted, source, reporter_key, stored)
    if withdrawn:
        # Filing kept the evidence of the filed reports current (in O(batch)); only the
        # indicators that lost reports are recounted.
        refresh_evidence(session, withdrawn)
    result.indicator_ids = withdrawn | filed
    if result.taken or result.failures:
        record(
            session, source.principal.actor, "share.import", "peer", source.peer,
            remote=source.remote,
            details={"ok": result.taken, "failed": len(result.failures)},
        )  # fmt: skip
    return result


_TOUCHED_SQL = "SELECT indicator_id FROM report_indicators WHERE report_id IN ({marks})"


@dataclass
class _Accepted:
    parsed: ParsedIndicator
    prepared: list[Prepared]
    previous: list[int]
    trusted: bool = False


def _apply(
    session: Session,
    accepted: list[_Accepted],
    source: Source,
    reporter_key: str,
    stored: Mapping[str, _Before],
) -> tuple[set[int], set[int]]:
    """Withdraw earlier versions, file the new ones in one batch.

    Returns the indicators that lost reports and those that gained some.
    """
    if not accepted:
        return set(), set()
    # Withdraw first: the new versions' dedup keys reuse the old ones.
    withdrawn = _withdraw(session, [rid for a in accepted for rid in a.previous])
    touched: set[int] = set()
    batch = [(a.parsed, prep) for a in accepted if not a.trusted for prep in a.prepared]
    batch += [(a.parsed, prep) for a in accepted if a.trusted for prep in a.prepared]
    if not batch:
        _remember(session, source.peer, [a.parsed for a in accepted], {}, stored)
        return withdrawn, touched
    # One batch per trust (untrusted first, as ordered above): file_reports takes one flag.
    split = sum(1 for a in accepted if not a.trusted for _ in a.prepared)
    filed = []
    for trusted, part in ((False, batch[:split]), (True, batch[split:])):
        if part:
            filed += file_reports(
                session, [prep for _, prep in part], reporter_key=reporter_key,
                principal=source.principal, trusted=trusted, remote=source.remote,
                audit_each=False,
            )  # fmt: skip
    bulk.update_rows(
        session,
        Report,
        ("origin_node", "stix_id"),
        "id",
        [(source.peer, p.stix_id, f.report_id) for (p, _), f in zip(batch, filed, strict=True)],
    )
    handled = [
        {"report_id": f.report_id, "handling": ",".join(sorted(p.handling))}
        for (p, _), f in zip(batch, filed, strict=True)
        if p.handling
    ]
    if handled:
        session.execute(insert(ReportSharing), handled)
    produced: dict[str, list[int]] = {}
    for (p, _), f in zip(batch, filed, strict=True):
        produced.setdefault(p.stix_id, []).append(f.report_id)
    _remember(session, source.peer, [a.parsed for a in accepted], produced, stored)
    cur, mark = bulk.cursor(session)
    touched.update(
        int(r[0]) for r in bulk.fetch_in(cur, mark, _TOUCHED_SQL, [f.report_id for f in filed])
    )
    return withdrawn, touched

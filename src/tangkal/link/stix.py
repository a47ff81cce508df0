"""A network as STIX 2.1: a ``grouping`` of its linking indicators, with relationships.

Indicator objects come from ``tangkal.share.stix`` (same ids as every other export), so a
peer that already holds them deduplicates. The grouping and relationship ids are uuid5
over the share namespace, the node and the network id: exporting twice gives the same
objects. Values seen together in one report are ``related-to`` each other (a chain per
report, so the relationships grow with the values, not with their square).
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tangkal.link.hubs import HubRules
from tangkal.link.models import NetworkMember
from tangkal.link.profile import get_network
from tangkal.report.models import Indicator, ReportIndicator
from tangkal.share.stix import (
    EXTENSION_ID,
    NAMESPACE,
    TLP_MARKING_IDS,
    bundle,
    distribution_marking,
    identity,
    indicator_to_stix,
    static_objects,
    timestamp,
)

__all__ = ["MAX_INDICATORS", "network_to_stix"]

MAX_INDICATORS = 2000
_TLP_ORDER = ("CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED")
_DIST_ORDER = ("public", "partners", "asean", "national", "organisation")


def _sid(type_: str, *parts: str) -> str:
    return f"{type_}--{uuid.uuid5(NAMESPACE, '|'.join((type_, *parts)))}"


def network_to_stix(
    session: Session, network_id: str, *, node: str = "tangkal-local", country: str = "ID"
) -> dict[str, Any]:
    """A STIX bundle: the grouping, its indicators, relationships and the static objects.

    The grouping carries the strictest TLP and distribution of its indicators, so the
    Share policy never sends the whole further than its most restricted part.
    """
    net = get_network(session, network_id)
    rules = HubRules.load(session)
    reports_of: dict[int, set[int]] = {}
    for rid, iid, kind, value in session.execute(
        select(ReportIndicator.report_id, Indicator.id, Indicator.kind, Indicator.value)
        .join(Indicator, Indicator.id == ReportIndicator.indicator_id)
        .join(NetworkMember, NetworkMember.report_id == ReportIndicator.report_id)
        .where(NetworkMember.network_id == network_id, Indicator.delisted_at.is_(None))
    ):
        if rules.reason(kind, value) is None:
            reports_of.setdefault(iid, set()).add(rid)
    linking = sorted(
        (iid for iid, rids in reports_of.items() if len(rids) >= 2),
        key=lambda iid: (-len(reports_of[iid]), iid),
    )[:MAX_INDICATORS]
    rows = {
        ind.id: ind
        for ind in session.scalars(select(Indicator).where(Indicator.id.in_(linking)))
    } if linking else {}  # fmt: skip
    node_identity = identity(node, node=node, country=country)
    indicators = []
    tlp, dist = "CLEAR", "public"
    for iid in linking:
        ind = rows[iid]
        tlp = max(tlp, ind.tlp, key=lambda t: _TLP_ORDER.index(t) if t in _TLP_ORDER else 2)
        dist = max(
            dist, ind.distribution, key=lambda d: _DIST_ORDER.index(d) if d in _DIST_ORDER else 3
        )
        indicators.append(
            indicator_to_stix(
                ind, node_identity_id=node_identity["id"], node=node,
                distribution=ind.distribution, tlp=ind.tlp,
                evidence={"network": network_id, "network_reports": len(reports_of[iid])},
            )
        )  # fmt: skip
    stix_of = {iid: obj["id"] for iid, obj in zip(linking, indicators, strict=True)}
    created, modified = timestamp(net.created_at), timestamp(net.updated_at)
    by_report: dict[int, list[int]] = {}
    for iid in linking:
        for rid in reports_of[iid]:
            by_report.setdefault(rid, []).append(iid)
    pairs: set[tuple[str, str]] = set()
    for iids in by_report.values():
        ids = sorted(stix_of[i] for i in iids)
        pairs.update(itertools.pairwise(ids))
    relationships = [
        {
            "type": "relationship", "spec_version": "2.1",
            "id": _sid("relationship", node, network_id, a, b),
            "created": created, "modified": modified,
            "created_by_ref": node_identity["id"],
            "relationship_type": "related-to", "source_ref": a, "target_ref": b,
            "description": f"seen together in reports of scam network {network_id}",
            "object_marking_refs": [TLP_MARKING_IDS.get(tlp, TLP_MARKING_IDS["AMBER"])],
        }
        for a, b in sorted(pairs)
    ]  # fmt: skip
    countries = [c for c in net.countries.split(",") if c]
    marking = distribution_marking(dist)
    grouping = {
        "type": "grouping", "spec_version": "2.1",
        "id": _sid("grouping", node, network_id),
        "created": created, "modified": modified,
        "created_by_ref": node_identity["id"],
        "name": f"Scam network {network_id}",
        "description": (
            f"{net.report_count} reports from victims in {', '.join(countries) or 'no country'}"
            f"; {'cross-border' if net.cross_border else 'national'}"
            f"; first seen {net.first_seen.date() if net.first_seen else '?'}"
            f", last seen {net.last_seen.date() if net.last_seen else '?'}."
        ),
        "context": "suspicious-activity",
        "object_refs": [o["id"] for o in indicators] + [r["id"] for r in relationships]
        or [node_identity["id"]],
        "labels": ["scam-network", *(["cross-border"] if net.cross_border else [])],
        "object_marking_refs": [TLP_MARKING_IDS.get(tlp, TLP_MARKING_IDS["AMBER"]), marking["id"]],
        "extensions": {
            EXTENSION_ID: {
                "extension_type": "property-extension",
                "network": network_id, "reports": net.report_count, "countries": countries,
                "distribution": dist, "tlp": tlp,
            }
        },
    }  # fmt: skip
    static = static_objects(node, country)
    if all(o["id"] != marking["id"] for o in static):
        static.append(marking)
    return bundle([*static, grouping, *indicators, *relationships])

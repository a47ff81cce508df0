"""A network as nodes and edges for drawing: reports and the values they share.

Bounded: at most ``max_nodes`` nodes, filled by the most shared values first, and the
answer says when it was cut (``truncated``, ``total_nodes``) instead of growing without
limit. Only linking values appear — a value in one report explains nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tangkal.link.hubs import HubRules
from tangkal.link.models import NetworkMember
from tangkal.link.profile import get_network
from tangkal.report.models import Indicator, Report, ReportIndicator

__all__ = ["MAX_NODES", "network_graph"]

MAX_NODES = 3000


def network_graph(
    session: Session, network_id: str, *, max_nodes: int = MAX_NODES
) -> dict[str, Any]:
    """``{"nodes": [...], "edges": [...], "truncated", "total_nodes", "node_cap"}``.

    Node ids are ``r<report id>`` and ``i<indicator id>``; edges go report → value.
    """
    get_network(session, network_id)
    rules = HubRules.load(session)
    reports = {
        rid: (ref, country, typology, received)
        for rid, ref, country, typology, received in session.execute(
            select(Report.id, Report.reference, Report.victim_country, Report.typology,
                   Report.received_at)
            .join(NetworkMember, NetworkMember.report_id == Report.id)
            .where(NetworkMember.network_id == network_id)
        )
    }  # fmt: skip
    by_value: dict[int, list[int]] = {}
    values: dict[int, tuple[str, str]] = {}
    for rid, iid, kind, value in session.execute(
        select(ReportIndicator.report_id, Indicator.id, Indicator.kind, Indicator.value)
        .join(Indicator, Indicator.id == ReportIndicator.indicator_id)
        .join(NetworkMember, NetworkMember.report_id == ReportIndicator.report_id)
        .where(NetworkMember.network_id == network_id, Indicator.delisted_at.is_(None))
    ):
        if rules.reason(kind, value) is None:
            by_value.setdefault(iid, []).append(rid)
            values[iid] = (kind, value)
    linking = {iid: sorted(set(rids)) for iid, rids in by_value.items() if len(set(rids)) >= 2}
    total = len(reports) + len(linking)
    kept_reports: set[int] = set()
    kept_values: list[int] = []
    for iid in sorted(linking, key=lambda x: (-len(linking[x]), x)):
        fresh = [r for r in linking[iid] if r not in kept_reports]
        if len(kept_values) + len(kept_reports) + 1 + len(fresh) > max_nodes:
            # Draw the value with as many of its reports as still fit, then stop.
            room = max_nodes - len(kept_values) - len(kept_reports) - 1
            if room <= 0:
                break
            fresh = fresh[:room]
        kept_values.append(iid)
        kept_reports.update(fresh)
    nodes: list[dict[str, Any]] = [
        {"id": f"r{rid}", "type": "report", "label": reports[rid][0],
         "country": reports[rid][1], "typology": reports[rid][2],
         "received_at": reports[rid][3].isoformat()}
        for rid in sorted(kept_reports)
    ]  # fmt: skip
    nodes += [
        {"id": f"i{iid}", "type": "indicator", "kind": values[iid][0],
         "label": values[iid][1], "reports": len(linking[iid])}
        for iid in kept_values
    ]  # fmt: skip
    edges = [
        {"id": f"r{rid}-i{iid}", "source": f"r{rid}", "target": f"i{iid}"}
        for iid in kept_values
        for rid in linking[iid]
        if rid in kept_reports
    ]
    return {
        "network": network_id,
        "nodes": nodes,
        "edges": edges,
        "total_nodes": total,
        "node_cap": max_nodes,
        "truncated": len(nodes) < total,
    }

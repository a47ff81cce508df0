"""How act's records read as plain data: for the API, the case file and the STIX bundle.

The STIX bundle is deterministic (uuid5 ids, timestamps from the data), so exporting the
same case twice yields the same bytes and a package can be rebuilt to check it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tangkal.act.cases import amounts, case_indicator_ids
from tangkal.act.clock import Clock
from tangkal.act.models import (
    Case,
    CaseEvidence,
    CaseMember,
    CaseNote,
    CaseTask,
    CrossBorderRequest,
    Dispute,
    RequestEvent,
)
from tangkal.act.requests import flags
from tangkal.report.models import Indicator
from tangkal.share import stix

__all__ = ["case_dict", "case_file", "dispute_dict", "request_dict", "stix_bundle"]

# Fixed namespace of act's own STIX ids (the bundle's); objects take Share's ids.
NAMESPACE = uuid.UUID("7f1d3c2e-5b8a-4e6f-9a1b-2c3d4e5f6a7b")


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None


def case_dict(session: Session, case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "title": case.title,
        "summary": case.summary,
        "network_id": case.network_id,
        "status": case.status,
        "org_id": case.org_id,
        "created_by": case.created_by,
        "created_at": _iso(case.created_at),
        "amounts": {
            cur: {k: str(v) for k, v in a.items()} for cur, a in amounts(session, case.id).items()
        },
    }


def request_dict(req: CrossBorderRequest, clock: Clock | None = None) -> dict[str, Any]:
    return {
        "id": req.id,
        "case_id": req.case_id,
        "type": req.type,
        "status": req.status,
        "requesting_org_id": req.requesting_org_id,
        "requested_org_id": req.requested_org_id,
        "language": req.language,
        "legal_basis": req.legal_basis,
        "facts": req.facts,
        "indicator_ids": list(req.indicator_ids or []),
        "currency": req.currency,
        "amount_requested": None if req.amount_requested is None else str(req.amount_requested),
        "amount_frozen": str(req.amount_frozen),
        "amount_returned": str(req.amount_returned),
        "reason": req.reason,
        "remote_node": req.remote_node,
        **{
            name: _iso(getattr(req, name))
            for name in (
                "first_report_at",
                "created_at",
                "submitted_at",
                "acknowledged_at",
                "started_at",
                "executed_at",
                "refused_at",
                "withdrawn_at",
                "closed_at",
                "acknowledge_due_at",
                "execute_due_at",
            )
        },
        **flags(req, clock),
    }


def dispute_dict(d: Dispute) -> dict[str, Any]:
    """A dispute as analysts see it (the claimant's contact included: they must answer)."""
    return {
        "id": d.id, "reference": d.reference, "type": d.type, "status": d.status,
        "indicator_id": d.indicator_id, "request_id": d.request_id,
        "claimant_name": d.claimant_name, "claimant_contact": d.claimant_contact,
        "statement": d.statement, "resolution_reason": d.resolution_reason,
        "resolved_by": d.resolved_by, "created_at": _iso(d.created_at),
        "resolved_at": _iso(d.resolved_at),
    }  # fmt: skip


def case_file(
    session: Session,
    case: Case,
    requests: Sequence[CrossBorderRequest],
    clock: Clock | None = None,
) -> dict[str, Any]:
    """The whole case as one document: what the package's signature vouches for."""
    events = {
        r.id: [
            {
                "from": e.from_status,
                "to": e.to_status,
                "actor": e.actor,
                "reason": e.reason,
                "details": e.details,
                "at": _iso(e.at),
            }
            for e in session.scalars(
                select(RequestEvent)
                .where(RequestEvent.request_id == r.id)
                .order_by(RequestEvent.id)
            )
        ]
        for r in requests
    }

    def rows(model: Any) -> list[Any]:
        return list(session.scalars(select(model).where(model.case_id == case.id)))

    return {
        "case": case_dict(session, case),
        "members": [
            {
                "org_id": m.org_id,
                "role": m.role,
                "invited_by": m.invited_by,
                "invited_at": _iso(m.invited_at),
            }
            for m in rows(CaseMember)
        ],
        "notes": [
            {"id": n.id, "author": n.author, "body": n.body, "at": _iso(n.created_at)}
            for n in sorted(rows(CaseNote), key=lambda n: n.id)
        ],
        "tasks": [
            {
                "id": t.id,
                "title": t.title,
                "status": t.status,
                "assignee_org_id": t.assignee_org_id,
                "due_at": _iso(t.due_at),
            }
            for t in sorted(rows(CaseTask), key=lambda t: t.id)
        ],
        "attachments": [
            {
                "id": e.id,
                "filename": e.filename,
                "sha256": e.sha256,
                "size": e.size,
                "uploaded_by": e.uploaded_by,
                "at": _iso(e.uploaded_at),
            }
            for e in sorted(rows(CaseEvidence), key=lambda e: e.id)
        ],
        "requests": [{**request_dict(r, clock), "history": events[r.id]} for r in requests],
    }


def stix_bundle(session: Session, case: Case, node: str, country: str) -> dict[str, Any]:
    """The case's indicators as a STIX 2.1 bundle, mapped exactly as Share serves them.

    The bundle's id is derived from the node and case (Share's bundles are random), so the
    same case exported twice differs only where its data changed.
    """
    ids = case_indicator_ids(session, case.id)
    node_id = str(stix.identity(node, node=node, country=country)["id"])
    objects = stix.static_objects(node, country)
    for ind in session.scalars(
        select(Indicator).where(Indicator.id.in_(ids)).order_by(Indicator.id)
    ):
        objects.append(stix.indicator_to_stix(ind, node_identity_id=node_id, node=node,
                                              distribution=ind.distribution, tlp=ind.tlp))  # fmt: skip
    bundle_id = uuid.uuid5(NAMESPACE, f"case:{node}:{case.id}")
    return {"type": "bundle", "id": f"bundle--{bundle_id}", "objects": objects}

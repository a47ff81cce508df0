"""Requests across nodes: a request to an organisation hosted by a peer travels to that peer,
and every later step travels back, each over the peer's authenticated Tangkal API.

    node A (requester)                               node B (requested)
    submit ──── POST /api/v1/federation/requests ───▶ receive_request: local case + request
    withdraw ── POST …/requests/{B id}/steps ───────▶ apply_step
    apply_step ◀── POST …/requests/{A id}/steps ───── acknowledge, execute, refuse, return

Both sides keep the other's request id in ``remote_id`` and the peer's name in
``remote_node``. Delivery happens inside the local transaction: when the peer cannot be
reached, the step fails with Conflict and nothing is recorded on either side.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from tangkal.access.models import Organisation
from tangkal.access.roles import Principal, require
from tangkal.access.tokens import add_organisation
from tangkal.act.clock import Clock, SystemClock
from tangkal.act.models import Case, CaseMember, CrossBorderRequest, RequestEvent
from tangkal.audit.log import record
from tangkal.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tangkal.report.intake import upsert_indicators
from tangkal.report.models import Indicator
from tangkal.report.normalize import Found
from tangkal.share.peer_models import Peer
from tangkal.share.peers import get_peer, peer_token
from tangkal.vocabulary import check_currency

__all__ = ["Courier", "HttpCourier", "apply_step", "outgoing", "receive_request"]

RECEIVE_PATH = "/api/v1/federation/requests"


class Courier(Protocol):
    """Delivers a JSON payload to a peer's API and returns its JSON answer."""

    def send(self, session: Session, peer: str, path: str, payload: dict[str, Any]) -> Any: ...


class HttpCourier:
    """The real courier: HTTPS POST with the peer's token (unsealed with the node key).

    The key is read on first delivery, so a node that never federates never creates one.
    """

    def __init__(
        self,
        node_key: Callable[[], bytes],
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 15,
    ) -> None:
        self._node_key = node_key
        self.transport = transport
        self.timeout = timeout

    def send(self, session: Session, peer: str, path: str, payload: dict[str, Any]) -> Any:
        row = get_peer(session, peer)
        root = urlsplit(row.api_root)
        url = f"{root.scheme}://{root.netloc}{path}"
        headers = {"Authorization": f"Bearer {peer_token(self._node_key(), row)}"}
        try:
            with httpx.Client(transport=self.transport, timeout=self.timeout) as client:
                resp = client.post(url, json=payload, headers=headers)
        except httpx.HTTPError as exc:
            raise Conflict(f"peer {peer!r} could not be reached: {exc}", field="peer") from None
        if resp.status_code >= 300:
            detail = resp.json().get("detail", resp.text) if resp.content else resp.reason_phrase
            raise Conflict(f"peer {peer!r} refused ({resp.status_code}): {detail}", field="peer")
        return resp.json()


def _org(session: Session, org_id: int) -> Organisation:
    org = session.get(Organisation, org_id)
    assert org is not None  # foreign key
    return org


def outgoing(session: Session, req: CrossBorderRequest, case: Case) -> dict[str, Any]:
    """What the requested node is told when a request is submitted."""
    requesting, requested = (
        _org(session, req.requesting_org_id),
        _org(session, req.requested_org_id),
    )
    subjects = session.scalars(select(Indicator).where(Indicator.id.in_(req.indicator_ids or [])))
    return {
        "remote_id": req.id, "type": req.type, "language": req.language,
        "legal_basis": req.legal_basis, "facts": req.facts, "case_title": case.title,
        "case_summary": case.summary, "currency": req.currency,
        "amount_requested": None if req.amount_requested is None else str(req.amount_requested),
        "subjects": [{"kind": i.kind, "value": i.value} for i in subjects],
        "requesting_org": {"name": requesting.name, "country": requesting.country,
                           "type": requesting.type},
        "requested_org": requested.name,
        "first_report_at": req.first_report_at.isoformat() if req.first_report_at else None,
    }  # fmt: skip


def _peer_of(session: Session, who: Principal) -> Peer:
    require(who, "request:federate")
    peer = session.scalar(select(Peer).where(Peer.org_id == who.org_id))
    if peer is None:
        raise PermissionDenied("this token does not belong to a registered peer")
    return peer


def receive_request(
    session: Session, who: Principal, payload: dict[str, Any], *, deadlines: Any = None,
    clock: Clock | None = None, remote: str | None = None,
) -> CrossBorderRequest:  # fmt: skip
    """File a peer's submitted request here, under a case of the requested organisation."""
    from tangkal.act.requests import DEFAULT_DEADLINES, TYPES, parse_amount

    peer = _peer_of(session, who)
    remote_id = str(payload.get("remote_id", ""))
    existing = session.scalar(select(CrossBorderRequest).where(
        CrossBorderRequest.remote_node == peer.name, CrossBorderRequest.remote_id == remote_id))  # fmt: skip
    if existing is not None:
        return existing  # the same delivery retried
    if payload.get("type") not in TYPES:
        raise InvalidInput(f"must be one of: {', '.join(TYPES)}", field="type")
    target = session.scalar(select(Organisation).where(
        Organisation.name == payload.get("requested_org"), Organisation.node.is_(None)))  # fmt: skip
    if target is None:
        raise NotFound("no such organisation on this node", field="requested_org")
    sender = payload.get("requesting_org") or {}
    requesting = session.scalar(select(Organisation).where(Organisation.name == sender.get("name")))
    if requesting is None:
        requesting = add_organisation(session, str(sender.get("name", "")), str(sender.get("country", "")),
                                      str(sender.get("type", "partner")), node=peer.name,
                                      actor=who.actor)  # fmt: skip
    elif requesting.node != peer.name:
        raise Conflict(
            "the requesting organisation is not hosted by this peer", field="requesting_org"
        )
    now = (clock or SystemClock()).now()
    case = Case(org_id=target.id, title=f"[{peer.name}] {payload.get('case_title', '')}"[:200],
                summary=str(payload.get("case_summary") or ""), created_by=who.actor)  # fmt: skip
    session.add(case)
    session.flush()
    session.add(CaseMember(case_id=case.id, org_id=target.id, role="owner", invited_by=who.actor))
    session.add(CaseMember(case_id=case.id, org_id=requesting.id, invited_by=who.actor))
    found = [Found(str(s["kind"]), str(s["value"]), "", str(s["value"]))
             for s in payload.get("subjects") or []]  # fmt: skip
    ids = upsert_indicators(session, found)
    deadline = (deadlines or DEFAULT_DEADLINES)[payload["type"]]
    currency = check_currency(payload["currency"], "currency") if payload.get("currency") else None
    raw = payload.get("amount_requested")
    amount = parse_amount(raw, "amount_requested") if raw is not None else None
    req = CrossBorderRequest(
        case_id=case.id, type=payload["type"], requesting_org_id=requesting.id,
        requested_org_id=target.id, status="submitted", language=str(payload.get("language") or "en"),
        legal_basis=str(payload.get("legal_basis") or ""), facts=str(payload.get("facts") or ""),
        indicator_ids=[ids[(f.kind, f.value)] for f in found], currency=currency,
        amount_requested=amount, created_by=who.actor,
        created_at=now, submitted_at=now, acknowledge_due_at=now + deadline.acknowledge,
        execute_due_at=now + deadline.execute, remote_node=peer.name, remote_id=remote_id,
    )  # fmt: skip
    session.add(req)
    session.flush()
    session.add(RequestEvent(request_id=req.id, to_status="submitted", actor=who.actor, at=now,
                             details={"from_node": peer.name, "remote_id": remote_id}))  # fmt: skip
    record(session, who.actor, "request.receive", "request", req.id, remote=remote,
           details={"peer": peer.name, "remote_id": remote_id, "type": req.type})  # fmt: skip
    return req


def apply_step(
    session: Session, who: Principal, request_id: int, payload: dict[str, Any], *,
    clock: Clock | None = None, remote: str | None = None,
) -> CrossBorderRequest:  # fmt: skip
    """Apply a step taken on the peer's side (by the party that peer hosts), without echo."""
    from tangkal.act.requests import ACTIONS, record_return, transition

    peer = _peer_of(session, who)
    req = session.get(CrossBorderRequest, request_id)
    if req is None or req.remote_node != peer.name:
        raise NotFound(f"no request {request_id} shared with {peer.name}", field="request_id")
    action = str(payload.get("action", ""))
    if action != "return" and action not in ACTIONS:
        raise InvalidInput("unknown step", field="action")
    # The step was taken by whichever party the peer hosts; the state machine checks the rest.
    hosted = [o for o in (_org(session, req.requesting_org_id), _org(session, req.requested_org_id))
              if o.node == peer.name]  # fmt: skip
    if not hosted:
        raise PermissionDenied(f"{peer.name} hosts neither party of request {request_id}")
    acting = hosted[0]
    party = Principal(acting.id, acting.name, acting.country, acting.type, "admin")
    if action == "return":
        return record_return(session, party, req.id, payload.get("amount"), clock=clock,
                             remote=remote, echo=False)  # fmt: skip
    return transition(session, party, req.id, action, reason=payload.get("reason"),
                      amount_frozen=payload.get("amount_frozen"), clock=clock, remote=remote,
                      echo=False)  # fmt: skip

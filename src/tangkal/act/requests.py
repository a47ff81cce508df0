"""Cross-border requests: a typed record between two authorities, moved by a state machine.

    draft → submitted → acknowledged → in_progress → executed | partially_executed
                                                   | refused | withdrawn → closed

The requesting organisation submits, withdraws and closes; the requested one acknowledges,
starts, executes and refuses (with a reason). Each step is a ``RequestEvent`` and an audit
event, in the caller's transaction, so a refused step records nothing at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tangkal.access.models import Organisation
from tangkal.access.roles import Principal, require
from tangkal.act.cases import get_case, is_member
from tangkal.act.clock import Clock, SystemClock
from tangkal.act.deadlines import DEFAULT_DEADLINES, Deadline, flags, load_deadlines
from tangkal.act.federation import RECEIVE_PATH, Courier, outgoing
from tangkal.act.models import Case, CaseReport, CrossBorderRequest, RequestEvent
from tangkal.audit.log import record
from tangkal.errors import Conflict, IllegalTransition, InvalidInput, NotFound, PermissionDenied
from tangkal.report.intake import upsert_indicators
from tangkal.report.models import Report
from tangkal.report.normalize import normalize
from tangkal.vocabulary import check_currency

__all__ = [
    "ACTIONS",
    "DEFAULT_DEADLINES",
    "LEGAL_TYPES",
    "REQUESTER_MOVES",
    "TRANSITIONS",
    "TYPES",
    "Deadline",
    "create_request",
    "flags",
    "get_request",
    "list_requests",
    "load_deadlines",
    "parse_amount",
    "record_return",
    "transition",
    "visible",
    "visible_requests",
]

TYPES = ("freeze", "takedown", "block_number", "information", "mla", "extradition")
# Mutual legal assistance and extradition are for prosecutors' eyes only.
LEGAL_TYPES = frozenset({"mla", "extradition"})
TERMINAL = ("executed", "partially_executed", "refused", "withdrawn")
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"submitted", "withdrawn"}),
    "submitted": frozenset({"acknowledged", "refused", "withdrawn"}),
    "acknowledged": frozenset({"in_progress", "refused", "withdrawn"}),
    "in_progress": frozenset({"executed", "partially_executed", "refused", "withdrawn"}),
    **{s: frozenset({"closed"}) for s in TERMINAL},
    "closed": frozenset(),
}
# action name (API verb) → target status
ACTIONS = {
    "submit": "submitted",
    "acknowledge": "acknowledged",
    "start": "in_progress",
    "execute": "executed",
    "partially_execute": "partially_executed",
    "refuse": "refused",
    "withdraw": "withdrawn",
    "close": "closed",
}
REQUESTER_MOVES = frozenset({"submitted", "withdrawn"})
REQUESTED_MOVES = frozenset(
    {"acknowledged", "in_progress", "executed", "partially_executed", "refused"}
)
_STAMP = {
    "submitted": "submitted_at",
    "acknowledged": "acknowledged_at",
    "in_progress": "started_at",
    "executed": "executed_at",
    "partially_executed": "executed_at",
    "refused": "refused_at",
    "withdrawn": "withdrawn_at",
    "closed": "closed_at",
}
# Who may be asked for what: a freeze goes to whoever holds the money, and so on.
RECIPIENT_TYPES: dict[str, frozenset[str]] = {
    "freeze": frozenset({"bank", "ewallet", "police", "regulator"}),
    "takedown": frozenset({"platform", "cert", "regulator", "police", "partner"}),
    "block_number": frozenset({"telco", "regulator", "police"}),
    "information": frozenset(
        {
            "police",
            "cert",
            "regulator",
            "bank",
            "ewallet",
            "telco",
            "platform",
            "prosecutor",
            "ministry",
            "partner",
        }
    ),
    "mla": frozenset({"prosecutor", "ministry"}),
    "extradition": frozenset({"prosecutor", "ministry"}),
}


def visible(session: Session, who: Principal, req: CrossBorderRequest) -> bool:
    """Parties and case members see a request (the requested party once it is submitted);
    mutual legal assistance and extradition only with ``request:legal``."""
    if not who.can("request:read"):
        return False
    if req.type in LEGAL_TYPES and not who.can("request:legal"):
        return False
    if who.org_id == req.requesting_org_id or is_member(session, req.case_id, who.org_id):
        return True
    # A draft is the requester's own business until it is submitted.
    return who.org_id == req.requested_org_id and req.status != "draft"


def get_request(
    session: Session,
    who: Principal,
    request_id: int,
    *,
    audit: bool = True,
    remote: str | None = None,
) -> CrossBorderRequest:
    req = session.get(CrossBorderRequest, request_id)
    if req is None or not visible(session, who, req):
        raise NotFound(f"no request {request_id}", field="request_id")
    if audit:
        record(session, who.actor, "request.read", "request", request_id, remote=remote)
    return req


def visible_requests(session: Session, who: Principal, case_id: int) -> list[CrossBorderRequest]:
    """The requests of a case that ``who`` may see, oldest first."""
    query = select(CrossBorderRequest).where(CrossBorderRequest.case_id == case_id)
    return [
        r
        for r in session.scalars(query.order_by(CrossBorderRequest.id))
        if visible(session, who, r)
    ]


def list_requests(session: Session, who: Principal, box: str = "all") -> list[CrossBorderRequest]:
    """``inbox``: addressed to who's organisation; ``outbox``: sent by it; ``all``: both."""
    require(who, "request:read")
    mine = {
        "inbox": CrossBorderRequest.requested_org_id == who.org_id,
        "outbox": CrossBorderRequest.requesting_org_id == who.org_id,
        "all": or_(
            CrossBorderRequest.requested_org_id == who.org_id,
            CrossBorderRequest.requesting_org_id == who.org_id,
        ),
    }
    if box not in mine:
        raise InvalidInput("must be inbox, outbox or all", field="box")
    query = select(CrossBorderRequest).where(mine[box]).order_by(CrossBorderRequest.id.desc())
    if box == "inbox":  # a draft is the requester's own business until it is submitted
        query = query.where(CrossBorderRequest.status != "draft")
    rows = [r for r in session.scalars(query) if visible(session, who, r)]
    record(session, who.actor, "request.list", "request", box, details={"count": len(rows)})
    return rows


def parse_amount(value: object, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput("must be a number", field=field) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal(10) ** 16:
        raise InvalidInput("must be a non-negative amount", field=field)
    return amount.quantize(Decimal("0.01"))


def _subjects(session: Session, values: Sequence[object], country: str) -> list[int]:
    found = []
    for i, raw in enumerate(values):
        value, kind = (raw.get("value"), raw.get("kind")) if isinstance(raw, dict) else (raw, None)
        if not isinstance(value, str) or (kind is not None and not isinstance(kind, str)):
            raise InvalidInput("must be a string or {value, kind}", field=f"subjects.{i}")
        try:
            found.append(normalize(value, kind, country))
        except InvalidInput as exc:
            raise InvalidInput(exc.detail, field=f"subjects.{i}") from None
    ids = upsert_indicators(session, found)
    return list(dict.fromkeys(ids[(f.kind, f.value)] for f in found))


def create_request(
    session: Session,
    who: Principal,
    case_id: int,
    type: str,
    requested_org_id: int,
    *,
    legal_basis: str = "",
    facts: str = "",
    subjects: Sequence[object] = (),
    currency: str | None = None,
    amount_requested: object = None,
    language: str = "en",
    clock: Clock | None = None,
    remote: str | None = None,
) -> CrossBorderRequest:
    """A draft request from ``who``'s organisation, attached to a case it is a member of."""
    require(who, "request:create")
    if type not in TYPES:
        raise InvalidInput(f"must be one of: {', '.join(TYPES)}", field="type")
    if type in LEGAL_TYPES:
        require(who, "request:legal")
    get_case(session, who, case_id, audit=False)
    target = session.get(Organisation, requested_org_id)
    if target is None:
        raise NotFound(f"no organisation {requested_org_id}", field="requested_org_id")
    if target.id == who.org_id:
        raise InvalidInput(
            "an organisation cannot address a request to itself", field="requested_org_id"
        )
    if target.type not in RECIPIENT_TYPES[type]:
        raise InvalidInput(
            f"a {type} request cannot go to a {target.type} organisation", field="requested_org_id"
        )
    if type in LEGAL_TYPES and not legal_basis.strip():
        raise InvalidInput(
            "a legal basis is required (e.g. the ASEAN MLA Treaty)", field="legal_basis"
        )
    if language not in ("en", "id"):
        raise InvalidInput("must be en or id", field="language")
    if not isinstance(subjects, list | tuple):
        raise InvalidInput("must be a list", field="subjects")
    cur = check_currency(currency, "currency") if currency else None
    requested = (
        parse_amount(amount_requested, "amount_requested") if amount_requested is not None else None
    )
    if requested is not None and cur is None:
        raise InvalidInput("an amount needs a currency", field="currency")
    first = session.scalar(
        select(func.min(Report.received_at))
        .join(CaseReport, CaseReport.report_id == Report.id)
        .where(CaseReport.case_id == case_id)
    )
    req = CrossBorderRequest(
        case_id=case_id,
        type=type,
        requesting_org_id=who.org_id,
        requested_org_id=target.id,
        language=language,
        legal_basis=legal_basis.strip()[:5000],
        facts=facts.strip()[:20000],
        indicator_ids=_subjects(session, subjects, target.country),
        currency=cur,
        amount_requested=requested,
        created_by=who.actor,
        first_report_at=first,
        created_at=(clock or SystemClock()).now(),
        remote_node=target.node,
    )
    session.add(req)
    session.flush()
    session.add(
        RequestEvent(request_id=req.id, to_status="draft", actor=who.actor, at=req.created_at)
    )
    record(
        session,
        who.actor,
        "request.create",
        "request",
        req.id,
        remote=remote,
        details={"type": type, "case_id": case_id, "to": target.id},
    )
    return req


def _check_courier(req: CrossBorderRequest, courier: Courier | None, echo: bool) -> None:
    if req.remote_node is not None and echo and courier is None:
        raise Conflict(
            f"the request is shared with node {req.remote_node!r}; "
            "federated delivery is not available here",
            field="requested_org_id",
        )


def _deliver(
    session: Session, req: CrossBorderRequest, courier: Courier, action: str, extra: dict[str, Any]
) -> None:
    """Tell the peer node; a failure raises and the whole step is rolled back."""
    if req.remote_node is None:
        return
    if action == "submit":
        case = session.get(Case, req.case_id)
        assert case is not None  # foreign key
        answer = courier.send(session, req.remote_node, RECEIVE_PATH, outgoing(session, req, case))
        req.remote_id = str(answer["id"])
    elif req.remote_id is not None:  # a draft withdrawn before delivery stays local
        path = f"{RECEIVE_PATH}/{req.remote_id}/steps"
        courier.send(session, req.remote_node, path, {"action": action, **extra})


def transition(
    session: Session,
    who: Principal,
    request_id: int,
    action: str,
    *,
    reason: str | None = None,
    amount_frozen: object = None,
    clock: Clock | None = None,
    deadlines: Mapping[str, Deadline] | None = None,
    remote: str | None = None,
    courier: Courier | None = None,
    echo: bool = True,
) -> CrossBorderRequest:
    """Move a request one step; IllegalTransition when the state machine forbids it.

    A request shared with another node is delivered to it through ``courier`` (submission)
    or told of the step; ``echo=False`` applies a step that came from that node.
    """
    if action not in ACTIONS:
        raise InvalidInput(f"must be one of: {', '.join(ACTIONS)}", field="action")
    target = ACTIONS[action]
    req = get_request(session, who, request_id, audit=False)
    if target in REQUESTER_MOVES:
        require(who, "request:create")
        if who.org_id != req.requesting_org_id:
            raise PermissionDenied("only the requesting organisation may " + action)
    elif target in REQUESTED_MOVES:
        require(who, "request:act")
        if who.org_id != req.requested_org_id:
            raise PermissionDenied("only the requested organisation may " + action)
    elif who.org_id not in (req.requesting_org_id, req.requested_org_id):
        raise PermissionDenied("only the two parties may close a request")
    if target not in TRANSITIONS[req.status]:
        raise IllegalTransition(f"cannot {action} a request that is {req.status}", field="action")
    if target == "refused" and not (reason and reason.strip()):
        raise InvalidInput("a reason is required to refuse", field="reason")
    _check_courier(req, courier, echo)
    details: dict[str, Any] = {}
    if amount_frozen is not None:
        if target not in ("executed", "partially_executed") or req.currency is None:
            raise InvalidInput(
                "an amount frozen is recorded on execution of a request with a currency",
                field="amount_frozen",
            )
        req.amount_frozen = parse_amount(amount_frozen, "amount_frozen")
        details["amount_frozen"] = str(req.amount_frozen)
    now = (clock or SystemClock()).now()
    if target == "submitted":
        deadline = (deadlines or DEFAULT_DEADLINES)[req.type]
        req.acknowledge_due_at = now + deadline.acknowledge
        req.execute_due_at = now + deadline.execute
    before = req.status
    req.status = target
    setattr(req, _STAMP[target], now)
    if reason and reason.strip():
        req.reason = reason.strip()[:5000]
    if echo and courier is not None:
        _deliver(session, req, courier, action, {"reason": reason, **details})
    session.add(
        RequestEvent(
            request_id=req.id,
            from_status=before,
            to_status=target,
            actor=who.actor,
            reason=req.reason if reason else None,
            details=details or None,
            at=now,
        )
    )
    session.flush()
    record(
        session,
        who.actor,
        f"request.{action}",
        "request",
        req.id,
        remote=remote,
        details={"from": before, "to": target, **details},
    )
    return req


def record_return(
    session: Session,
    who: Principal,
    request_id: int,
    amount: object,
    *,
    clock: Clock | None = None,
    remote: str | None = None,
    courier: Courier | None = None,
    echo: bool = True,
) -> CrossBorderRequest:
    """Add funds returned to victims; never more than was frozen."""
    require(who, "request:act")
    req = get_request(session, who, request_id, audit=False)
    if who.org_id != req.requested_org_id:
        raise PermissionDenied("only the requested organisation records returned funds")
    if req.status not in ("executed", "partially_executed", "closed") or req.currency is None:
        raise IllegalTransition(
            f"cannot record returned funds on a {req.status} request", field="amount_returned"
        )
    total = req.amount_returned + parse_amount(amount, "amount_returned")
    if total > req.amount_frozen:
        raise InvalidInput("more returned than was frozen", field="amount_returned")
    _check_courier(req, courier, echo)
    req.amount_returned = total
    if echo and courier is not None:
        _deliver(session, req, courier, "return", {"amount": str(amount)})
    session.add(
        RequestEvent(
            request_id=req.id,
            from_status=req.status,
            to_status=req.status,
            actor=who.actor,
            details={"amount_returned": str(total)},
            at=(clock or SystemClock()).now(),
        )
    )
    session.flush()
    record(
        session,
        who.actor,
        "request.return",
        "request",
        req.id,
        remote=remote,
        details={"amount_returned": str(total)},
    )
    return req

"""Due process: the owner of a flagged value disputes it; an analyst resolves with a reason.

Outcomes: ``uphold`` (the flag stays), ``delist`` (the indicator stops counting as
evidence: ``Indicator.delisted_at``), ``allowlist`` (delisted, and never labelled scam
again). Delistings are re-published through Share (``materialise``), whose sync carries
them to every node that received the value. Unfreeze requests take the same path with
``type="unfreeze"`` and the freeze request they contest.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tangkal.access.roles import Principal, require
from tangkal.act.clock import Clock, SystemClock
from tangkal.act.models import CrossBorderRequest, Dispute
from tangkal.audit.log import record
from tangkal.check import allowlist
from tangkal.errors import IllegalTransition, InvalidInput, NotFound
from tangkal.report.models import Indicator
from tangkal.report.normalize import normalize
from tangkal.share.publish import materialise

__all__ = [
    "OUTCOMES",
    "TYPES",
    "file_dispute",
    "get_dispute",
    "list_disputes",
    "resolve_dispute",
    "upheld_share",
]

TYPES = ("delisting", "unfreeze")
OUTCOMES = {"uphold": "upheld", "delist": "delisted", "allowlist": "allowlisted"}
_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _text(value: object, field: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidInput(f"must be a non-empty string of at most {limit} characters", field=field)
    return value.strip()


def file_dispute(
    session: Session,
    value: str,
    *,
    claimant_name: str,
    claimant_contact: str,
    statement: str,
    kind: str | None = None,
    country: str | None = None,
    type: str = "delisting",
    request_id: int | None = None,
    language: str = "en",
    remote: str | None = None,
    clock: Clock | None = None,
) -> Dispute:
    """Record a public dispute against a value this node flags; returns it with its reference."""
    if type not in TYPES:
        raise InvalidInput(f"must be one of: {', '.join(TYPES)}", field="type")
    name = _text(claimant_name, "claimant_name", 200)
    contact = _text(claimant_contact, "claimant_contact", 200)
    text = _text(statement, "statement", 5000)
    try:
        found = normalize(_text(value, "value", 512), kind, country)
    except InvalidInput as exc:
        raise InvalidInput(exc.detail, field="value") from None
    indicator = session.scalar(
        select(Indicator).where(Indicator.kind == found.kind, Indicator.value == found.value)
    )
    if indicator is None or indicator.report_count == 0:
        raise InvalidInput("this value is not flagged on this node", field="value")
    if indicator.delisted_at is not None:
        raise InvalidInput("this value is already delisted", field="value")
    if type == "unfreeze":
        req = session.get(CrossBorderRequest, request_id) if request_id is not None else None
        if req is None or req.type != "freeze" or indicator.id not in (req.indicator_ids or []):
            raise InvalidInput(
                "name the freeze request that holds this account", field="request_id"
            )
    elif request_id is not None:
        raise InvalidInput("only an unfreeze dispute names a request", field="request_id")
    dispute = Dispute(
        reference="".join(secrets.choice(_REF_ALPHABET) for _ in range(10)),
        type=type,
        indicator_id=indicator.id,
        request_id=request_id,
        claimant_name=name,
        claimant_contact=contact,
        statement=text,
        language=language if language.isalpha() and len(language) <= 8 else "en",
        created_at=(clock or SystemClock()).now(),
    )
    session.add(dispute)
    session.flush()
    record(session, "public", "dispute.file", "dispute", dispute.id, remote=remote,
           details={"indicator_id": indicator.id, "type": type})  # fmt: skip
    return dispute


def get_dispute(session: Session, who: Principal, dispute_id: int) -> Dispute:
    require(who, "dispute:resolve")
    dispute = session.get(Dispute, dispute_id)
    if dispute is None:
        raise NotFound(f"no dispute {dispute_id}", field="dispute_id")
    record(session, who.actor, "dispute.read", "dispute", dispute_id)
    return dispute


def list_disputes(session: Session, who: Principal, status: str | None = "open") -> list[Dispute]:
    require(who, "dispute:resolve")
    query = select(Dispute).order_by(Dispute.id)
    if status is not None:
        query = query.where(Dispute.status == status)
    rows = list(session.scalars(query))
    record(session, who.actor, "dispute.list", "dispute", status or "*",
           details={"count": len(rows)})  # fmt: skip
    return rows


def _propagate(session: Session, indicator_id: int) -> bool:
    """Re-publish the delisted indicator: Share's sync carries it to every peer that has it."""
    materialise(session, [indicator_id])
    return True


def resolve_dispute(
    session: Session,
    who: Principal,
    dispute_id: int,
    outcome: str,
    reason: str,
    *,
    remote: str | None = None,
    clock: Clock | None = None,
) -> Dispute:
    """Close an open dispute with ``uphold``, ``delist`` or ``allowlist`` and a reason."""
    require(who, "dispute:resolve")
    if outcome not in OUTCOMES:
        raise InvalidInput(f"must be one of: {', '.join(OUTCOMES)}", field="outcome")
    why = _text(reason, "reason", 5000)
    dispute = session.get(Dispute, dispute_id)
    if dispute is None:
        raise NotFound(f"no dispute {dispute_id}", field="dispute_id")
    if dispute.status != "open":
        raise IllegalTransition(f"the dispute is already {dispute.status}", field="outcome")
    indicator = session.get(Indicator, dispute.indicator_id)
    assert indicator is not None  # foreign key
    now = (clock or SystemClock()).now()
    propagated = False
    if outcome == "allowlist":
        allowlist.add(session, indicator.value, kind=indicator.kind,
                      label=f"dispute {dispute.reference}", actor=who.actor)  # fmt: skip
    if outcome in ("delist", "allowlist"):
        indicator.delisted_at = now
        session.flush()
        propagated = _propagate(session, indicator.id)
    dispute.status = OUTCOMES[outcome]
    dispute.resolution_reason = why
    dispute.resolved_by = who.actor
    dispute.resolved_at = now
    record(session, who.actor, f"dispute.{outcome}", "dispute", dispute_id, remote=remote,
           details={"indicator_id": indicator.id, "propagated": propagated})  # fmt: skip
    return dispute


def upheld_share(session: Session) -> float | None:
    """Share of resolved disputes where the flag stayed (a Measure dashboard figure)."""
    query = select(Dispute.status, func.count()).where(Dispute.status != "open")
    rows: dict[str, int] = {
        status: n for status, n in session.execute(query.group_by(Dispute.status))
    }
    total = sum(rows.values())
    return rows.get("upheld", 0) / total if total else None

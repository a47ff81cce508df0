"""Append to and verify the hash-chained audit log.

Each event's hash covers its fields and the previous event's hash, so editing or deleting
any row breaks the chain from that row on. ``prev_hash`` is unique: two writers that raced
for the same predecessor cannot both commit (PostgreSQL also serialises appends with an
advisory lock; SQLite writers already hold the database write lock).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tangkal.audit.models import AuditEvent
from tangkal.errors import IntegrityFailure
from tangkal.store.base import utcnow

__all__ = ["GENESIS", "record", "verify"]

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x7461_6E67  # "tang"


def _digest(prev: str, at: dt.datetime, fields: dict[str, Any]) -> str:
    payload = json.dumps(
        {"prev": prev, "at": at.astimezone(dt.UTC).isoformat(), **fields},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session,
    actor: str,
    action: str,
    object_type: str,
    object_id: object,
    *,
    remote: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event inside the caller's transaction: it commits with the change."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    prev = prev or GENESIS
    at = utcnow()
    fields = {
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "remote": remote,
        "details": details,
    }
    event = AuditEvent(at=at, prev_hash=prev, hash=_digest(prev, at, fields), **fields)
    session.add(event)
    session.flush()
    return event


def verify(session: Session) -> int:
    """Check the whole chain; return the number of events, or raise naming the first bad one."""
    prev = GENESIS
    count = 0
    for ev in session.scalars(select(AuditEvent).order_by(AuditEvent.id)).yield_per(5000):
        fields = {
            "actor": ev.actor,
            "action": ev.action,
            "object_type": ev.object_type,
            "object_id": ev.object_id,
            "remote": ev.remote,
            "details": ev.details,
        }
        if ev.prev_hash != prev:
            raise IntegrityFailure(
                f"audit event {ev.id}: chain broken (an event before it was removed or edited)"
            )
        if _digest(prev, ev.at, fields) != ev.hash:
            raise IntegrityFailure(f"audit event {ev.id}: contents were edited")
        prev = ev.hash
        count += 1
    return count

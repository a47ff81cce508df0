"""Cases, their members and working papers, cross-border requests and disputes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tangkal.store.base import Base, utcnow

__all__ = [
    "Case",
    "CaseEvidence",
    "CaseMember",
    "CaseNote",
    "CaseReport",
    "CaseTask",
    "CrossBorderRequest",
    "Dispute",
    "RequestEvent",
]


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_org", "org_id"), Index("ix_cases_network", "network_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # The opening organisation; it is also a member, so visibility is one membership test.
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    # Link's network id, kept as a string without a foreign key: networks are rebuilt.
    network_id: Mapped[str | None] = mapped_column(String(64), default=None)
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class CaseMember(Base):
    """An organisation invited to a case: only members ever learn that the case exists."""

    __tablename__ = "case_members"
    __table_args__ = (Index("ix_case_members_org", "org_id"),)

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), default="member")
    invited_by: Mapped[str] = mapped_column(String(200))
    invited_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CaseReport(Base):
    __tablename__ = "case_reports"
    __table_args__ = (Index("ix_case_reports_report", "report_id"),)

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), primary_key=True)


class CaseNote(Base):
    __tablename__ = "case_notes"
    __table_args__ = (Index("ix_case_notes_case", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    author: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CaseTask(Base):
    __tablename__ = "case_tasks"
    __table_args__ = (Index("ix_case_tasks_case", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    assignee_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), default=None
    )
    status: Mapped[str] = mapped_column(String(20), default="open")
    due_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    done_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class CaseEvidence(Base):
    """An attachment: the bytes live under ``data_dir``, the row keeps their SHA-256."""

    __tablename__ = "case_evidence"
    __table_args__ = (Index("ix_case_evidence_case", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    # Path relative to data_dir, so a node's folder can move.
    path: Mapped[str] = mapped_column(String(500))
    uploaded_by: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CrossBorderRequest(Base):
    """A typed request from one authority to another, moved along ``requests.TRANSITIONS``."""

    __tablename__ = "cross_border_requests"
    __table_args__ = (
        Index("ix_cross_border_requests_case", "case_id"),
        Index("ix_cross_border_requests_requesting", "requesting_org_id"),
        Index("ix_cross_border_requests_requested", "requested_org_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    type: Mapped[str] = mapped_column(String(20))
    requesting_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    requested_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    status: Mapped[str] = mapped_column(String(24), default="draft")
    language: Mapped[str] = mapped_column(String(8), default="en")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    facts: Mapped[str] = mapped_column(Text, default="")
    # Subject indicators (ids into ``indicators``), in the order the requester gave them.
    indicator_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    currency: Mapped[str | None] = mapped_column(String(3), default=None)
    amount_requested: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), default=None)
    amount_frozen: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0))
    amount_returned: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0))
    # Why it was refused or withdrawn, or what was partially done.
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    created_by: Mapped[str] = mapped_column(String(200))
    # The earliest report behind the case: the start of "time to act".
    first_report_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    started_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    executed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    refused_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    closed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    acknowledge_due_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    execute_due_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    # Federation: the peer node holding the other side, and the request's id there.
    remote_node: Mapped[str | None] = mapped_column(String(100), default=None)
    remote_id: Mapped[str | None] = mapped_column(String(80), default=None)


class RequestEvent(Base):
    """One step of a request's history; together they are its due-process record."""

    __tablename__ = "request_events"
    __table_args__ = (Index("ix_request_events_request", "request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("cross_border_requests.id"))
    from_status: Mapped[str | None] = mapped_column(String(24), default=None)
    to_status: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Dispute(Base):
    """A challenge by the owner of a flagged value, or a request to unfreeze funds."""

    __tablename__ = "disputes"
    __table_args__ = (Index("ix_disputes_indicator", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    type: Mapped[str] = mapped_column(String(20), default="delisting")
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("cross_border_requests.id"), default=None
    )
    claimant_name: Mapped[str] = mapped_column(String(200))
    # How to answer the claimant; never shown publicly nor shared off the node.
    claimant_contact: Mapped[str] = mapped_column(String(200))
    statement: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[str] = mapped_column(String(20), default="open")
    resolution_reason: Mapped[str | None] = mapped_column(Text, default=None)
    resolved_by: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(default=None)

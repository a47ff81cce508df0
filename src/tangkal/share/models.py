"""What this node serves over TAXII, and what it knows about how reports may travel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tangkal.store.base import Base, utcnow

__all__ = ["ReceivedVersion", "ReportSharing", "StixObject", "TaxiiStatus"]


class StixObject(Base):
    """One version of one STIX object in one audience collection, serialised once.

    Pages are built by concatenating ``body`` text, so serving never parses or builds a
    STIX object. ``date_added`` is strictly increasing per node (writers are serialised),
    so both the ``(date_added, seq)`` cursor and a plain ``added_after`` lose nothing.
    """

    __tablename__ = "stix_objects"
    __table_args__ = (
        UniqueConstraint("collection", "stix_id", "version", name="uq_stix_objects_version"),
        Index("ix_stix_objects_page", "collection", "latest", "date_added", "seq"),
        Index("ix_stix_objects_id", "stix_id", "collection"),
        Index("ix_stix_objects_indicator", "indicator_id"),
    )

    seq: Mapped[int] = mapped_column(primary_key=True)
    # Audience collection: "asean", "partners" or "public" (see share.policy.AUDIENCES).
    collection: Mapped[str] = mapped_column(String(20))
    stix_id: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(40))
    # The object's ``modified`` (or ``created``) text, verbatim: the TAXII version.
    version: Mapped[str] = mapped_column(String(40))
    date_added: Mapped[dt.datetime] = mapped_column()
    # Only the newest version of each id is served unless a client asks for others.
    latest: Mapped[bool] = mapped_column(default=True)
    distribution: Mapped[str] = mapped_column(String(20))
    tlp: Mapped[str] = mapped_column(String(20))
    # Comma-separated handling codes, re-checked with may_share on every read.
    handling: Mapped[str] = mapped_column(String(400), default="")
    indicator_id: Mapped[int | None] = mapped_column(default=None)
    body: Mapped[str] = mapped_column(Text)


class ReportSharing(Base):
    """Handling codes of a report (local or received); absent means none."""

    __tablename__ = "report_sharing"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    handling: Mapped[str] = mapped_column(String(400), default="")


class ReceivedVersion(Base):
    """The newest version of each STIX indicator a peer sent: replays and stale versions
    are recognised even after a revocation withdrew the reports it had produced."""

    __tablename__ = "received_versions"
    __table_args__ = (UniqueConstraint("peer", "stix_id", name="uq_received_versions_peer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    peer: Mapped[str] = mapped_column(String(200))
    stix_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(40))
    revoked: Mapped[bool] = mapped_column(default=False)
    # The reports this version produced, withdrawn when a newer version or a revocation comes.
    report_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TaxiiStatus(Base):
    """The TAXII status resource of one POST to a collection."""

    __tablename__ = "taxii_status"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    collection: Mapped[str] = mapped_column(String(20))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), default=None)
    status: Mapped[str] = mapped_column(String(20), default="complete")
    request_timestamp: Mapped[dt.datetime] = mapped_column(default=utcnow)
    total_count: Mapped[int] = mapped_column(default=0)
    success_count: Mapped[int] = mapped_column(default=0)
    failure_count: Mapped[int] = mapped_column(default=0)
    pending_count: Mapped[int] = mapped_column(default=0)
    # [{"id": ..., "version": ..., "message": ...}] as the specification shapes them.
    successes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    failures: Mapped[list[Any]] = mapped_column(JSON, default=list)

"""Reports, the indicators drawn from them, and the links between the two."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tangkal.store.base import Base, utcnow

__all__ = ["Indicator", "IndicatorReporter", "Report", "ReportIndicator"]


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("dedup_key", name="uq_reports_dedup_key"),
        Index("ix_reports_received_at", "received_at"),
        Index("ix_reports_victim_country", "victim_country", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short reference a victim can quote on a hotline; unique per node.
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    # Hash of the victim's private status-link secret (issue: victims are told).
    status_secret_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    # Idempotency: the same source row imported twice maps to the same key.
    dedup_key: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(20))
    victim_country: Mapped[str] = mapped_column(String(2))
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    channel: Mapped[str] = mapped_column(String(20), default="other")
    typology: Mapped[str] = mapped_column(String(40), default="other")
    narrative: Mapped[str] = mapped_column(Text, default="")
    loss_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), default=None)
    loss_currency: Mapped[str | None] = mapped_column(String(3), default=None)
    # Converted at intake from the dated rate table, so figures never convert twice.
    loss_usd: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), default=None)
    payment_method: Mapped[str | None] = mapped_column(String(40), default=None)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), default=None)
    # Who stands behind the report for corroboration: an organisation, or a hashed
    # citizen fingerprint, so one person filing ten reports counts once.
    reporter_key: Mapped[str] = mapped_column(String(64))
    reporter_trusted: Mapped[bool] = mapped_column(default=False)
    reliability: Mapped[str] = mapped_column(String(1), default="F")
    credibility: Mapped[int] = mapped_column(default=6)
    # Victim contact details: stored, never returned publicly nor shared off the node.
    victim_contact: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    distribution: Mapped[str] = mapped_column(String(20), default="national")
    tlp: Mapped[str] = mapped_column(String(20), default="AMBER")
    # Where a report came from a peer node, the peer's name and the STIX id.
    origin_node: Mapped[str | None] = mapped_column(String(100), default=None)
    stix_id: Mapped[str | None] = mapped_column(String(80), default=None)
    scam_probability: Mapped[float | None] = mapped_column(default=None)

    links: Mapped[list[ReportIndicator]] = relationship(
        back_populates="report", cascade="all, delete-orphan"
    )


class Indicator(Base):
    """One row per distinct canonical value; the evidence columns are kept current."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_indicators_kind_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(512))
    # A few pairs repeated across millions of rows: the bulk writer may remember their JSON
    # (store/bulk.py). Only columns marked so are remembered, never personal data.
    attributes: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, default=None, info={"memoise_json": True}
    )
    first_seen: Mapped[dt.datetime | None] = mapped_column(default=None)
    last_seen: Mapped[dt.datetime | None] = mapped_column(default=None)
    report_count: Mapped[int] = mapped_column(default=0)
    reporter_count: Mapped[int] = mapped_column(default=0)
    trusted_reporter_count: Mapped[int] = mapped_column(default=0)
    countries: Mapped[str] = mapped_column(String(200), default="")
    typologies: Mapped[str] = mapped_column(String(400), default="")
    loss_usd: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0))
    # Model risk for URL and domain indicators (0–1), set by the detect domain.
    risk: Mapped[float | None] = mapped_column(default=None)
    # Delisted after a dispute: kept for the record, no longer evidence.
    delisted_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    distribution: Mapped[str] = mapped_column(String(20), default="national")
    tlp: Mapped[str] = mapped_column(String(20), default="AMBER")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReportIndicator(Base):
    __tablename__ = "report_indicators"
    __table_args__ = (Index("ix_report_indicators_indicator", "indicator_id", "report_id"),)

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    report: Mapped[Report] = relationship(back_populates="links")
    indicator: Mapped[Indicator] = relationship()


class IndicatorReporter(Base):
    """Who has reported each indicator: lets a new batch update reporter counts in O(batch).

    Without it, counting distinct reporters of a hub value (a platform domain named in a
    million reports) would rescan every report that names it, at every batch.
    """

    __tablename__ = "indicator_reporters"

    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), primary_key=True)
    reporter_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    trusted: Mapped[bool] = mapped_column(default=False)

"""Summary tables: reports and flows per UTC day, so figures never aggregate a million rows.

They are derived data: ``summaries.refresh`` rebuilds or extends them, and every figure
adds the reports filed after the last refresh (``MeasureState.last_report_id``) live.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from tangkal.store.base import Base, utcnow

__all__ = ["DailyFlow", "DailyVolume", "MeasureState"]


class DailyVolume(Base):
    """Reports and losses of one day and victim country, by one dimension's value.

    ``dimension`` is "all" (key "all"), "typology", "channel" or "payment_method": one row
    set per dimension keeps the table small (days × countries × ~40), where a row per
    combination of all four would be as large as the reports themselves.
    """

    __tablename__ = "measure_daily"
    __table_args__ = (Index("ix_measure_daily_country", "dimension", "country", "day"),)

    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    reports: Mapped[int] = mapped_column(default=0)
    # Reports with a loss converted to USD, and those whose currency had no rate.
    loss_reports: Mapped[int] = mapped_column(default=0)
    unconverted: Mapped[int] = mapped_column(default=0)
    loss_usd: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0))


class DailyFlow(Base):
    """Reports of one day whose victim is in one country and whose infrastructure is in
    another (or the same), by the kind of indicator that says so ("any": counted once)."""

    __tablename__ = "measure_flows"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    victim_country: Mapped[str] = mapped_column(String(2), primary_key=True)
    infra_country: Mapped[str] = mapped_column(String(2), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    reports: Mapped[int] = mapped_column(default=0)
    loss_usd: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0))


class MeasureState(Base):
    """One row: the highest report id the summaries include, and when they were refreshed."""

    __tablename__ = "measure_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_report_id: Mapped[int] = mapped_column(default=0)
    refreshed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

"""Summary tables: reports and flows per UTC day and per month, so figures never aggregate
a million rows.

They are derived data: ``summaries.refresh`` rebuilds or extends them, and every figure
adds the reports filed after the last refresh (``MeasureState.last_report_id``) live.
The daily tables carry covering indexes (every column a figure reads, led by the columns
it filters on), so a read never visits the table itself; the monthly rollups answer the
whole months of a range with 30 times fewer rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from tangkal.store.base import Base, utcnow

__all__ = ["DailyFlow", "DailyVolume", "MeasureState", "MonthlyFlow", "MonthlyVolume"]


class DailyVolume(Base):
    """Reports and losses of one day and victim country, by one dimension's value.

    ``dimension`` is "all" (key "all"), "typology", "channel" or "payment_method": one row
    set per dimension keeps the table small (days × countries × ~40), where a row per
    combination of all four would be as large as the reports themselves.
    """

    __tablename__ = "measure_daily"
    __table_args__ = (
        # Covering: a figure's scan by (dimension, day range) or (dimension, country, day
        # range) reads every column it sums from the index alone.
        Index(
            "ix_measure_daily_cover",
            "dimension", "day", "country", "key",
            "reports", "loss_reports", "unconverted", "loss_usd",
        ),
        Index(
            "ix_measure_daily_country_cover",
            "dimension", "country", "day", "key",
            "reports", "loss_reports", "unconverted", "loss_usd",
        ),
    )  # fmt: skip

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
    __table_args__ = (
        Index(
            "ix_measure_flows_cover",
            "kind", "day", "victim_country", "infra_country", "reports", "loss_usd",
        ),
    )  # fmt: skip

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    victim_country: Mapped[str] = mapped_column(String(2), primary_key=True)
    infra_country: Mapped[str] = mapped_column(String(2), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    reports: Mapped[int] = mapped_column(default=0)
    loss_usd: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0))


class MonthlyVolume(Base):
    """``DailyVolume`` rolled up to months (``month`` is the first day): whole months of a
    range are read from here, the days of a partial month from the daily table."""

    __tablename__ = "measure_monthly"

    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    reports: Mapped[int] = mapped_column(default=0)
    loss_reports: Mapped[int] = mapped_column(default=0)
    unconverted: Mapped[int] = mapped_column(default=0)
    loss_usd: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0))


class MonthlyFlow(Base):
    """``DailyFlow`` rolled up to months (``month`` is the first day)."""

    __tablename__ = "measure_flows_monthly"

    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
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

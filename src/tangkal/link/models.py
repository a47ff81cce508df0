"""Networks, their member reports, and the record of merges and splits between recomputes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from tangkal.store.base import Base, utcnow

__all__ = ["Network", "NetworkEvent", "NetworkMember"]


class Network(Base):
    """One network of two or more reports, with the summary the list and filters need.

    The summary columns are recomputed whenever membership changes, so listing and
    filtering (``--country``, ``--cross-border``) never aggregate a million rows.
    """

    __tablename__ = "networks"
    __table_args__ = (Index("ix_networks_report_count", "report_count"),)

    # "N-" + 8 base32 characters; kept while the network grows (see link.identity).
    id: Mapped[str] = mapped_column(String(12), primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    report_count: Mapped[int] = mapped_column(default=0)
    # Victim countries as ",ID,MY," so one LIKE answers --country on both stores.
    countries: Mapped[str] = mapped_column(String(120), default="")
    country_count: Mapped[int] = mapped_column(default=0)
    # Countries of phones and banks the network uses, same form as ``countries``.
    infra_countries: Mapped[str] = mapped_column(String(120), default="")
    cross_border: Mapped[bool] = mapped_column(default=False)
    first_seen: Mapped[dt.datetime | None] = mapped_column(default=None)
    last_seen: Mapped[dt.datetime | None] = mapped_column(default=None)
    loss_usd: Mapped[Decimal] = mapped_column(Numeric(18, 2), default=Decimal(0))


class NetworkMember(Base):
    """Which network a report belongs to; reports in no network have no row."""

    __tablename__ = "network_members"
    __table_args__ = (Index("ix_network_members_network", "network_id"),)

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    network_id: Mapped[str] = mapped_column(String(12))


class NetworkEvent(Base):
    """A merge, split or dissolution, so an analyst can follow an id that disappeared."""

    __tablename__ = "network_events"
    __table_args__ = (Index("ix_network_events_network", "network_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # "merge": others were absorbed into network_id; "split": network_id lost reports to
    # others; "dissolve": network_id no longer has two linked reports.
    kind: Mapped[str] = mapped_column(String(12))
    network_id: Mapped[str] = mapped_column(String(12))
    others: Mapped[list[str]] = mapped_column(JSON, default=list)
    # "batch" or "incremental", with counts; free-form on purpose.
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)

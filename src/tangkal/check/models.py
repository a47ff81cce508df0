"""Allowlist: entities that are never labelled scam (official hotlines, government sites)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tangkal.store.base import Base, utcnow

__all__ = ["AllowlistEntry"]


class AllowlistEntry(Base):
    __tablename__ = "allowlist"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_allowlist_kind_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(512))
    label: Mapped[str] = mapped_column(String(200), default="")
    # "official": the entity and everything under it is genuine (a bank's site or hotline).
    # "platform": the domain is genuine but hosts users' content (t.me, bit.ly), so only the
    # bare domain is vouched for, never a URL or handle on it.
    category: Mapped[str] = mapped_column(String(20), default="official")
    country: Mapped[str | None] = mapped_column(String(2), default=None)
    # "shipped:<version>" for the bundled data file, else the organisation that added it.
    source: Mapped[str] = mapped_column(String(100), default="")
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

"""Peers this node pulls from and pushes to, and how far each collection has been read."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tangkal.store.base import Base, utcnow

__all__ = ["Peer", "SyncCheckpoint"]


class Peer(Base):
    """Another Tangkal (or any TAXII 2.1) node, with the credentials we hold for it."""

    __tablename__ = "peers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # TAXII API root, e.g. https://my.tangkal.example/taxii2/api/ (always ends in "/").
    api_root: Mapped[str] = mapped_column(String(500))
    # Collection ids to pull; empty means every collection the peer lets us read.
    collections: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The token we present to the peer, sealed with AES-GCM under the node key: a
    # database dump alone does not hand out credentials to the whole federation.
    token_sealed: Mapped[str] = mapped_column(Text)
    # Our organisation's name at the peer (the HTTP Basic user name TAXII recommends).
    our_org: Mapped[str | None] = mapped_column(String(200), default=None)
    country: Mapped[str] = mapped_column(String(2))
    # The local organisation that stands for the peer: objects pulled from or pushed by
    # the peer are filed as its reports, so a check answer names where a value came from.
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), default=None)
    push: Mapped[bool] = mapped_column(default=True)
    # Collection on the peer that we POST to; None means the first writable one.
    push_collection: Mapped[str | None] = mapped_column(String(100), default=None)
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SyncCheckpoint(Base):
    """Where the last pull of one peer collection stopped: advanced with the data it covers."""

    __tablename__ = "sync_checkpoints"
    __table_args__ = (
        UniqueConstraint("peer_id", "collection", name="uq_sync_checkpoints_peer_collection"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    peer_id: Mapped[int] = mapped_column(ForeignKey("peers.id", ondelete="CASCADE"))
    collection: Mapped[str] = mapped_column(String(100))
    # The peer's own timestamp text, kept verbatim: re-formatting could lose precision.
    added_after: Mapped[str | None] = mapped_column(String(40), default=None)
    last_run: Mapped[dt.datetime | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(20), default="never")
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    objects_total: Mapped[int] = mapped_column(default=0)

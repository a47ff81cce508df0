"""share: peers and sync checkpoints

Revision ID: 0003_share_peers
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

import tangkal.store.base

revision = "0003_share_peers"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "peers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("api_root", sa.String(length=500), nullable=False),
        sa.Column("collections", sa.JSON(), nullable=False),
        sa.Column("token_sealed", sa.Text(), nullable=False),
        sa.Column("our_org", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("push", sa.Boolean(), nullable=False),
        sa.Column("push_collection", sa.String(length=100), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_peers_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_peers")),
        sa.UniqueConstraint("name", name=op.f("uq_peers_name")),
    )
    op.create_table(
        "sync_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("peer_id", sa.Integer(), nullable=False),
        sa.Column("collection", sa.String(length=100), nullable=False),
        sa.Column("added_after", sa.String(length=40), nullable=True),
        sa.Column("last_run", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("objects_total", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["peer_id"],
            ["peers.id"],
            name=op.f("fk_sync_checkpoints_peer_id_peers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_checkpoints")),
        sa.UniqueConstraint("peer_id", "collection", name="uq_sync_checkpoints_peer_collection"),
    )


def downgrade() -> None:
    op.drop_table("sync_checkpoints")
    op.drop_table("peers")

"""link: networks, their members and the merge/split history

Revision ID: 0004_link
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

import tangkal.store.base

revision = "0004_link"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "networks",
        sa.Column("id", sa.String(length=12), nullable=False),
        sa.Column("created_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("countries", sa.String(length=120), nullable=False),
        sa.Column("country_count", sa.Integer(), nullable=False),
        sa.Column("infra_countries", sa.String(length=120), nullable=False),
        sa.Column("cross_border", sa.Boolean(), nullable=False),
        sa.Column("first_seen", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_seen", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("loss_usd", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_networks")),
    )
    with op.batch_alter_table("networks", schema=None) as batch_op:
        batch_op.create_index("ix_networks_report_count", ["report_count"], unique=False)

    op.create_table(
        "network_members",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_network_members_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_network_members")),
    )
    with op.batch_alter_table("network_members", schema=None) as batch_op:
        batch_op.create_index("ix_network_members_network", ["network_id"], unique=False)

    op.create_table(
        "network_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("network_id", sa.String(length=12), nullable=False),
        sa.Column("others", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_events")),
    )
    with op.batch_alter_table("network_events", schema=None) as batch_op:
        batch_op.create_index("ix_network_events_network", ["network_id"], unique=False)


def downgrade() -> None:
    op.drop_table("network_events")
    op.drop_table("network_members")
    op.drop_table("networks")

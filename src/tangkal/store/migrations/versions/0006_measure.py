"""measure: daily summaries of reports and cross-border flows, and their refresh state

Revision ID: 0006_measure
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

import tangkal.store.base

revision = "0006_measure"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "measure_daily",
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("loss_reports", sa.Integer(), nullable=False),
        sa.Column("unconverted", sa.Integer(), nullable=False),
        sa.Column("loss_usd", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.PrimaryKeyConstraint(
            "dimension", "day", "country", "key", name=op.f("pk_measure_daily")
        ),
    )
    op.create_index(
        "ix_measure_daily_country", "measure_daily", ["dimension", "country", "day"], unique=False
    )
    op.create_table(
        "measure_flows",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("victim_country", sa.String(length=2), nullable=False),
        sa.Column("infra_country", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("loss_usd", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.PrimaryKeyConstraint(
            "day", "victim_country", "infra_country", "kind", name=op.f("pk_measure_flows")
        ),
    )
    op.create_table(
        "measure_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_report_id", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_state")),
    )


def downgrade() -> None:
    op.drop_table("measure_state")
    op.drop_table("measure_flows")
    op.drop_index("ix_measure_daily_country", table_name="measure_daily")
    op.drop_table("measure_daily")

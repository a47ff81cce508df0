"""measure: covering indexes on the daily summaries, and monthly rollups of them

Revision ID: 0008_measure_rollups
Revises: 0006_measure
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_measure_rollups"
down_revision = "0006_measure"
branch_labels = None
depends_on = None

VOLUME = ["reports", "loss_reports", "unconverted", "loss_usd"]


def upgrade() -> None:
    op.drop_index("ix_measure_daily_country", table_name="measure_daily")
    op.create_index(
        "ix_measure_daily_cover", "measure_daily", ["dimension", "day", "country", "key", *VOLUME]
    )
    op.create_index(
        "ix_measure_daily_country_cover",
        "measure_daily",
        ["dimension", "country", "day", "key", *VOLUME],
    )
    op.create_index(
        "ix_measure_flows_cover",
        "measure_flows",
        ["kind", "day", "victim_country", "infra_country", "reports", "loss_usd"],
    )
    op.create_table(
        "measure_monthly",
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("loss_reports", sa.Integer(), nullable=False),
        sa.Column("unconverted", sa.Integer(), nullable=False),
        sa.Column("loss_usd", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.PrimaryKeyConstraint(
            "dimension", "month", "country", "key", name=op.f("pk_measure_monthly")
        ),
    )
    op.create_table(
        "measure_flows_monthly",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("victim_country", sa.String(length=2), nullable=False),
        sa.Column("infra_country", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("loss_usd", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.PrimaryKeyConstraint(
            "month",
            "victim_country",
            "infra_country",
            "kind",
            name=op.f("pk_measure_flows_monthly"),
        ),
    )
    # Roll up what the daily summaries already hold, so no full refresh is needed.
    if op.get_bind().dialect.name == "postgresql":
        month = "CAST(date_trunc('month', day) AS DATE)"
    else:
        month = "date(day, 'start of month')"
    sums = ", ".join(f"SUM({c})" for c in VOLUME)
    op.execute(
        f"INSERT INTO measure_monthly (dimension, month, country, key, {', '.join(VOLUME)}) "
        f"SELECT dimension, {month}, country, key, {sums} FROM measure_daily "
        f"GROUP BY dimension, {month}, country, key"
    )
    op.execute(
        "INSERT INTO measure_flows_monthly "
        "(month, victim_country, infra_country, kind, reports, loss_usd) "
        f"SELECT {month}, victim_country, infra_country, kind, SUM(reports), SUM(loss_usd) "
        f"FROM measure_flows GROUP BY {month}, victim_country, infra_country, kind"
    )


def downgrade() -> None:
    op.drop_table("measure_flows_monthly")
    op.drop_table("measure_monthly")
    op.drop_index("ix_measure_flows_cover", table_name="measure_flows")
    op.drop_index("ix_measure_daily_country_cover", table_name="measure_daily")
    op.drop_index("ix_measure_daily_cover", table_name="measure_daily")
    op.create_index(
        "ix_measure_daily_country", "measure_daily", ["dimension", "country", "day"], unique=False
    )

"""indicator_reporters: who reported each indicator, for O(batch) evidence updates

Revision ID: 0007_core_reporters
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_core_reporters"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicator_reporters",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("reporter_key", sa.String(length=64), nullable=False),
        sa.Column("trusted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_reporters_indicator_id_indicators"),
        ),
        sa.PrimaryKeyConstraint(
            "indicator_id", "reporter_key", name=op.f("pk_indicator_reporters")
        ),
    )
    # Stores upgraded from before this table: derive it from the reports already there.
    op.execute(
        "INSERT INTO indicator_reporters (indicator_id, reporter_key, trusted) "
        "SELECT ri.indicator_id, r.reporter_key, MAX(CASE WHEN r.reporter_trusted THEN 1 ELSE 0 END) = 1 "
        "FROM report_indicators ri JOIN reports r ON r.id = ri.report_id "
        "GROUP BY ri.indicator_id, r.reporter_key"
    )


def downgrade() -> None:
    op.drop_table("indicator_reporters")

"""reports: drop ix_reports_org, an index no query reads

No query filters reports by ``org_id``: the one join on it (``share.sync.provenance``) goes
from a report to its organisation by the organisation's key. Organisations are never
deleted, so the foreign key needs no index either; every import paid one B-tree insert per
report for it.

Revision ID: 0009_core_reports_org
Revises: 0007_core_reporters
"""

from alembic import op

revision = "0009_core_reports_org"
down_revision = "0007_core_reporters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_reports_org", table_name="reports")


def downgrade() -> None:
    op.create_index("ix_reports_org", "reports", ["org_id"])

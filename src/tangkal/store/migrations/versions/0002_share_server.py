"""share: materialised STIX objects, report sharing and TAXII status

Revision ID: 0002_share_server
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

import tangkal.store.base

revision = "0002_share_server"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stix_objects",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("collection", sa.String(length=20), nullable=False),
        sa.Column("stix_id", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("date_added", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("latest", sa.Boolean(), nullable=False),
        sa.Column("distribution", sa.String(length=20), nullable=False),
        sa.Column("tlp", sa.String(length=20), nullable=False),
        sa.Column("handling", sa.String(length=400), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_stix_objects")),
        sa.UniqueConstraint("collection", "stix_id", "version", name="uq_stix_objects_version"),
    )
    op.create_index(
        "ix_stix_objects_page",
        "stix_objects",
        ["collection", "latest", "date_added", "seq"],
        unique=False,
    )
    op.create_index("ix_stix_objects_id", "stix_objects", ["stix_id", "collection"], unique=False)
    op.create_index("ix_stix_objects_indicator", "stix_objects", ["indicator_id"], unique=False)
    op.create_table(
        "report_sharing",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("handling", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_report_sharing_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_report_sharing")),
    )
    op.create_table(
        "received_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("peer", sa.String(length=200), nullable=False),
        sa.Column("stix_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("report_ids", sa.JSON(), nullable=False),
        sa.Column("received_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_versions")),
        sa.UniqueConstraint("peer", "stix_id", name="uq_received_versions_peer"),
    )
    op.create_table(
        "taxii_status",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("collection", sa.String(length=20), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "request_timestamp", tangkal.store.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("total_count", sa.Integer(), nullable=False),
        sa.Column("success_count", sa.Integer(), nullable=False),
        sa.Column("failure_count", sa.Integer(), nullable=False),
        sa.Column("pending_count", sa.Integer(), nullable=False),
        sa.Column("successes", sa.JSON(), nullable=False),
        sa.Column("failures", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_taxii_status_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxii_status")),
    )


def downgrade() -> None:
    op.drop_table("taxii_status")
    op.drop_table("received_versions")
    op.drop_table("report_sharing")
    op.drop_index("ix_stix_objects_indicator", table_name="stix_objects")
    op.drop_index("ix_stix_objects_id", table_name="stix_objects")
    op.drop_index("ix_stix_objects_page", table_name="stix_objects")
    op.drop_table("stix_objects")

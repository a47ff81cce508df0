"""core

Revision ID: 0001_core
Revises:
Create Date: 2026-11-28 06:49:46.292827
"""

import sqlalchemy as sa
from alembic import op

import tangkal.store.base

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "allowlist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=512), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("added_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allowlist")),
        sa.UniqueConstraint("kind", "value", name="uq_allowlist_kind_value"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.String(length=80), nullable=False),
        sa.Column("remote", sa.String(length=80), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_log_hash")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_log_prev_hash")),
    )
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=512), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=True),
        sa.Column("first_seen", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_seen", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("reporter_count", sa.Integer(), nullable=False),
        sa.Column("trusted_reporter_count", sa.Integer(), nullable=False),
        sa.Column("countries", sa.String(length=200), nullable=False),
        sa.Column("typologies", sa.String(length=400), nullable=False),
        sa.Column("loss_usd", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("risk", sa.Double(), nullable=True),
        sa.Column("delisted_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("distribution", sa.String(length=20), nullable=False),
        sa.Column("tlp", sa.String(length=20), nullable=False),
        sa.Column("updated_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
        sa.UniqueConstraint("kind", "value", name="uq_indicators_kind_value"),
    )
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("node", sa.String(length=100), nullable=True),
        sa.Column("trusted", sa.Boolean(), nullable=False),
        sa.Column("created_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("name", name=op.f("uq_organisations_name")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("created_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_api_tokens_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index("ix_api_tokens_org", ["org_id"], unique=False)

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("status_secret_hash", sa.String(length=64), nullable=True),
        sa.Column("dedup_key", sa.String(length=64), nullable=False),
        sa.Column("received_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("victim_country", sa.String(length=2), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("typology", sa.String(length=40), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("loss_amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("loss_currency", sa.String(length=3), nullable=True),
        sa.Column("loss_usd", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("payment_method", sa.String(length=40), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("reporter_key", sa.String(length=64), nullable=False),
        sa.Column("reporter_trusted", sa.Boolean(), nullable=False),
        sa.Column("reliability", sa.String(length=1), nullable=False),
        sa.Column("credibility", sa.Integer(), nullable=False),
        sa.Column("victim_contact", sa.JSON(), nullable=True),
        sa.Column("distribution", sa.String(length=20), nullable=False),
        sa.Column("tlp", sa.String(length=20), nullable=False),
        sa.Column("origin_node", sa.String(length=100), nullable=True),
        sa.Column("stix_id", sa.String(length=80), nullable=True),
        sa.Column("scam_probability", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_reports_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint("dedup_key", name="uq_reports_dedup_key"),
        sa.UniqueConstraint("reference", name=op.f("uq_reports_reference")),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index("ix_reports_org", ["org_id"], unique=False)
        batch_op.create_index("ix_reports_received_at", ["received_at"], unique=False)
        batch_op.create_index(
            "ix_reports_victim_country", ["victim_country", "received_at"], unique=False
        )

    op.create_table(
        "report_indicators",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_report_indicators_indicator_id_indicators"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_report_indicators_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "report_id", "indicator_id", "role", name=op.f("pk_report_indicators")
        ),
    )
    with op.batch_alter_table("report_indicators", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_indicators_indicator", ["indicator_id", "report_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("report_indicators", schema=None) as batch_op:
        batch_op.drop_index("ix_report_indicators_indicator")

    op.drop_table("report_indicators")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index("ix_reports_victim_country")
        batch_op.drop_index("ix_reports_received_at")
        batch_op.drop_index("ix_reports_org")

    op.drop_table("reports")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_api_tokens_org")

    op.drop_table("api_tokens")
    op.drop_table("organisations")
    op.drop_table("indicators")
    op.drop_table("audit_log")
    op.drop_table("allowlist")

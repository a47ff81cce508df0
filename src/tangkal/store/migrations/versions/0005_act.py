"""act: cases, cross-border requests, their history, evidence and disputes

Revision ID: 0005_act
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

import tangkal.store.base

revision = "0005_act"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("network_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_cases_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    op.create_index("ix_cases_network", "cases", ["network_id"], unique=False)
    op.create_index("ix_cases_org", "cases", ["org_id"], unique=False)
    op.create_table(
        "case_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_evidence_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_case_evidence_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_evidence")),
    )
    op.create_index("ix_case_evidence_case", "case_evidence", ["case_id"], unique=False)
    op.create_table(
        "case_members",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("invited_by", sa.String(length=200), nullable=False),
        sa.Column("invited_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_members_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_case_members_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("case_id", "org_id", name=op.f("pk_case_members")),
    )
    op.create_index("ix_case_members_org", "case_members", ["org_id"], unique=False)
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_notes_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_case_notes_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notes")),
    )
    op.create_index("ix_case_notes_case", "case_notes", ["case_id"], unique=False)
    op.create_table(
        "case_reports",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_reports_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_case_reports_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("case_id", "report_id", name=op.f("pk_case_reports")),
    )
    op.create_index("ix_case_reports_report", "case_reports", ["report_id"], unique=False)
    op.create_table(
        "case_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("assignee_org_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("due_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("done_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignee_org_id"],
            ["organisations.id"],
            name=op.f("fk_case_tasks_assignee_org_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_tasks_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_tasks")),
    )
    op.create_index("ix_case_tasks_case", "case_tasks", ["case_id"], unique=False)
    op.create_table(
        "cross_border_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("requesting_org_id", sa.Integer(), nullable=False),
        sa.Column("requested_org_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("indicator_ids", sa.JSON(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("amount_requested", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("amount_frozen", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("amount_returned", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("first_report_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("started_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("executed_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("refused_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "acknowledge_due_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("execute_due_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("remote_node", sa.String(length=100), nullable=True),
        sa.Column("remote_id", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_cross_border_requests_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["requested_org_id"],
            ["organisations.id"],
            name=op.f("fk_cross_border_requests_requested_org_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["requesting_org_id"],
            ["organisations.id"],
            name=op.f("fk_cross_border_requests_requesting_org_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cross_border_requests")),
    )
    op.create_index(
        "ix_cross_border_requests_case", "cross_border_requests", ["case_id"], unique=False
    )
    op.create_index(
        "ix_cross_border_requests_requested",
        "cross_border_requests",
        ["requested_org_id"],
        unique=False,
    )
    op.create_index(
        "ix_cross_border_requests_requesting",
        "cross_border_requests",
        ["requesting_org_id"],
        unique=False,
    )
    op.create_table(
        "disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("claimant_name", sa.String(length=200), nullable=False),
        sa.Column("claimant_contact", sa.String(length=200), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("resolution_reason", sa.Text(), nullable=True),
        sa.Column("resolved_by", sa.String(length=200), nullable=True),
        sa.Column("created_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", tangkal.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"], ["indicators.id"], name=op.f("fk_disputes_indicator_id_indicators")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["cross_border_requests.id"],
            name=op.f("fk_disputes_request_id_cross_border_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disputes")),
        sa.UniqueConstraint("reference", name=op.f("uq_disputes_reference")),
    )
    op.create_index("ix_disputes_indicator", "disputes", ["indicator_id"], unique=False)
    op.create_table(
        "request_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(length=24), nullable=True),
        sa.Column("to_status", sa.String(length=24), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("at", tangkal.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["cross_border_requests.id"],
            name=op.f("fk_request_events_request_id_cross_border_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_events")),
    )
    op.create_index("ix_request_events_request", "request_events", ["request_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_request_events_request", table_name="request_events")
    op.drop_index("ix_disputes_indicator", table_name="disputes")
    op.drop_index("ix_cross_border_requests_requesting", table_name="cross_border_requests")
    op.drop_index("ix_cross_border_requests_requested", table_name="cross_border_requests")
    op.drop_index("ix_cross_border_requests_case", table_name="cross_border_requests")
    op.drop_index("ix_case_tasks_case", table_name="case_tasks")
    op.drop_index("ix_case_reports_report", table_name="case_reports")
    op.drop_index("ix_case_notes_case", table_name="case_notes")
    op.drop_index("ix_case_members_org", table_name="case_members")
    op.drop_index("ix_case_evidence_case", table_name="case_evidence")
    op.drop_index("ix_cases_org", table_name="cases")
    op.drop_index("ix_cases_network", table_name="cases")
    op.drop_table("request_events")
    op.drop_table("disputes")
    op.drop_table("cross_border_requests")
    op.drop_table("case_tasks")
    op.drop_table("case_reports")
    op.drop_table("case_notes")
    op.drop_table("case_members")
    op.drop_table("case_evidence")
    op.drop_table("cases")

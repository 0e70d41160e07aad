"""Timeliness history: the deadline state of every public dataset kept as day intervals,
and the daily counts per body that the public page and the audit plan read.

Revision ID: 7d3e9b1c4a20
Revises: 5a1c0de2f6b1
Create Date: 2026-11-24 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7d3e9b1c4a20"
down_revision = "5a1c0de2f6b1"
branch_labels = None
depends_on = None


def upgrade():
    # One row per stretch of days a dataset spent in one state for one body: a
    # dataset's state changes a few times a month, so this is a fraction of a row
    # per dataset per day. No foreign key: the history outlives a purged dataset.
    op.create_table(
        "lutsk_status_history",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("since", sa.Date, primary_key=True),
        # Exclusive end; NULL while it is the dataset's current state.
        sa.Column("until", sa.Date),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.CheckConstraint("until IS NULL OR until > since", name="lutsk_status_history_days"),
    )
    op.create_index(
        "idx_lutsk_status_history_open",
        "lutsk_status_history",
        ["package_id"],
        unique=True,
        postgresql_where=sa.text("until IS NULL"),
    )
    op.create_table(
        "lutsk_timeliness_daily",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("body", sa.UnicodeText, primary_key=True),
        sa.Column("on_time", sa.Integer, nullable=False, server_default="0"),
        sa.Column("due_soon", sa.Integer, nullable=False, server_default="0"),
        sa.Column("overdue_change", sa.Integer, nullable=False, server_default="0"),
        sa.Column("overdue_frequency", sa.Integer, nullable=False, server_default="0"),
        sa.Column("never_updated", sa.Integer, nullable=False, server_default="0"),
        sa.Column("discontinued", sa.Integer, nullable=False, server_default="0"),
        # A passport the deadline rules cannot read (status.INVALID).
        sa.Column("invalid", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade():
    op.drop_table("lutsk_timeliness_daily")
    op.drop_index("idx_lutsk_status_history_open", "lutsk_status_history")
    op.drop_table("lutsk_status_history")

"""Timeliness history: indexes on the stretches' first and end days, so that the daily
snapshot finds the day's stretches (a re-run undoing the day, the latest day) without
reading the whole table: 1.2 million rows for a year of 100,000 datasets (issue 18).

Revision ID: e7b3c1d5a902
Revises: c4d19e7a5b21
Create Date: 2026-12-05 14:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "e7b3c1d5a902"
down_revision = "c4d19e7a5b21"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("idx_lutsk_status_history_since", "lutsk_status_history", ["since"])
    op.create_index("idx_lutsk_status_history_until", "lutsk_status_history", ["until"])


def downgrade():
    op.drop_index("idx_lutsk_status_history_until", table_name="lutsk_status_history")
    op.drop_index("idx_lutsk_status_history_since", table_name="lutsk_status_history")

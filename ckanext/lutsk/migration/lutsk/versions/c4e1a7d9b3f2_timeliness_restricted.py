"""Timeliness history: count datasets restricted under martial law (deadline state
``restricted``) in their own column of the daily counts.

Revision ID: c4e1a7d9b3f2
Revises: b2c8d4e6f013
Create Date: 2026-12-05 11:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e1a7d9b3f2"
down_revision = "b2c8d4e6f013"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "lutsk_timeliness_daily",
        sa.Column("restricted", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade():
    op.drop_column("lutsk_timeliness_daily", "restricted")

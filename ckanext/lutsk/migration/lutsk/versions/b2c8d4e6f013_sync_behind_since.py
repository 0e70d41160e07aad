"""Sync state: since when the national copy is behind (the first unpushed change).

Revision ID: b2c8d4e6f013
Revises: 9b4f2e7a1c35
Create Date: 2026-11-24 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b2c8d4e6f013"
down_revision = "9b4f2e7a1c35"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("lutsk_datagovua_sync", sa.Column("behind_since", sa.DateTime, nullable=True))


def downgrade():
    op.drop_column("lutsk_datagovua_sync", "behind_since")

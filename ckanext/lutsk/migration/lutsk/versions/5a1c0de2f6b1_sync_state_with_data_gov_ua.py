"""Sync state with data.gov.ua: one row per local dataset that the publisher or the
harvester has linked to a national copy.

Revision ID: 5a1c0de2f6b1
Revises:
Create Date: 2026-11-24 08:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5a1c0de2f6b1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lutsk_datagovua_sync",
        # No foreign key to package: the row outlives a purged dataset until the
        # national copy has been deleted too.
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("remote_id", sa.UnicodeText, unique=True),
        sa.Column("remote_name", sa.UnicodeText),
        sa.Column("remote_org", sa.UnicodeText),
        sa.Column("remote_url", sa.UnicodeText),
        sa.Column("remote_modified", sa.UnicodeText),
        sa.Column("state", sa.UnicodeText, nullable=False, server_default="pending"),
        sa.Column("fingerprint", sa.UnicodeText),
        sa.Column("resource_ids", sa.UnicodeText),
        sa.Column("local_modified", sa.DateTime),
        sa.Column("last_pushed", sa.DateTime),
        sa.Column("last_attempt", sa.DateTime),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("error_kind", sa.UnicodeText),
        sa.Column("error_detail", sa.UnicodeText),
    )
    op.create_index("idx_lutsk_datagovua_sync_state", "lutsk_datagovua_sync", ["state"])


def downgrade():
    op.drop_index("idx_lutsk_datagovua_sync_state", "lutsk_datagovua_sync")
    op.drop_table("lutsk_datagovua_sync")

"""Data checks of tabular resources: the last report per resource (issue 19).

Revision ID: c4d19e7a5b21
Revises: c4e1a7f09d52
Create Date: 2026-12-05 11:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4d19e7a5b21"
down_revision = "c4e1a7f09d52"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lutsk_data_check",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        # valid | invalid | error (could not be checked) | running
        sa.Column("status", sa.UnicodeText, nullable=False),
        # What was checked: the file's url, last_modified, size and the structure's own fingerprint.
        sa.Column("fingerprint", sa.UnicodeText, nullable=False, server_default=""),
        # declared | recommended | NULL (types inferred)
        sa.Column("schema_source", sa.UnicodeText, nullable=True),
        sa.Column("issue_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("report", sa.UnicodeText, nullable=False, server_default="{}"),
        sa.Column("checked_at", sa.DateTime, nullable=False),
        sa.Column("seconds", sa.Float, nullable=True),
    )


def downgrade():
    op.drop_table("lutsk_data_check")

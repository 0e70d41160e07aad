"""Stored computations: what must look at every dataset (the register, the coverage
matrix, the audit plan's facts, a body's completeness) is computed by a background job
or the nightly cron and kept here, so a page or an export reads one row.

Revision ID: c4e1a7f09d52
Revises: c4e1a7d9b3f2
Create Date: 2026-12-05 11:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4e1a7f09d52"
down_revision = "c4e1a7d9b3f2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lutsk_computed",
        sa.Column("key", sa.UnicodeText, primary_key=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        # The last change of a dataset the value depends on; later than computed_at: stale.
        sa.Column("changed_at", sa.DateTime(timezone=True)),
        sa.Column("payload", sa.LargeBinary, nullable=False),
    )
    # Uncompressed out-of-line storage: an export is streamed in slices (substring), which
    # PostgreSQL reads without decompressing the value from its start each time.
    op.execute("ALTER TABLE lutsk_computed ALTER COLUMN payload SET STORAGE EXTERNAL")


def downgrade():
    op.drop_table("lutsk_computed")

"""Deadline mails: what was sent to whom, so that reminders and digests never repeat.

Revision ID: 9b4f2e7a1c35
Revises: 7d3e9b1c4a20
Create Date: 2026-11-24 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9b4f2e7a1c35"
down_revision = "7d3e9b1c4a20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lutsk_deadline_mail",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("recipient", sa.UnicodeText, nullable=False),
        sa.Column("dataset_id", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("state", sa.UnicodeText, nullable=False, server_default=""),
        # The deadline the notice was about, or the ISO week of a digest.
        sa.Column("occurrence", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("sent_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint(
            "kind", "recipient", "dataset_id", "state", "occurrence", name="lutsk_deadline_mail_once"
        ),
    )


def downgrade():
    op.drop_table("lutsk_deadline_mail")

"""What the deadline mails have already told whom (table ``lutsk_deadline_mail``, created by
the lutsk plugin's alembic migration), so that no one gets the same news twice.

A row is one dataset in one state for one recipient: ``occurrence`` is the deadline it
was about (a later deadline of the same dataset is news again). The weekly digest marks
each sent week with a row of kind ``digest_week`` and the ISO week as ``occurrence``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa
from ckan import model
from ckan.model.base import BaseModel
from sqlalchemy.orm import Mapped

from ckanext.lutsk.model.columns import column

REMINDER = "reminder"
DIGEST = "digest"
DIGEST_WEEK = "digest_week"


class SentNotice(BaseModel):
    __tablename__ = "lutsk_deadline_mail"
    __table_args__ = (
        sa.UniqueConstraint(
            "kind", "recipient", "dataset_id", "state", "occurrence", name="lutsk_deadline_mail_once"
        ),
    )

    id: Mapped[int] = column(sa.Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = column(sa.UnicodeText, nullable=False)
    recipient: Mapped[str] = column(sa.UnicodeText, nullable=False)
    dataset_id: Mapped[str] = column(sa.UnicodeText, nullable=False, default="")
    state: Mapped[str] = column(sa.UnicodeText, nullable=False, default="")
    occurrence: Mapped[str] = column(sa.UnicodeText, nullable=False, default="")
    sent_at: Mapped[dt.datetime] = column(sa.DateTime, nullable=False)


Key = tuple[str, str, str]  # dataset_id, state, occurrence


def sent_keys(kind: str, recipient: str) -> set[Key]:
    """Everything of ``kind`` already sent to ``recipient``."""
    rows = (
        model.Session.query(SentNotice.dataset_id, SentNotice.state, SentNotice.occurrence)
        .filter(SentNotice.kind == kind, SentNotice.recipient == recipient)
        .all()
    )
    return {tuple(r) for r in rows}  # type: ignore[misc]


def add(kind: str, recipient: str, keys: Iterable[Key]) -> None:
    """Stage rows in the session; the caller commits once the mail has gone."""
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)  # noqa: UP017
    for dataset_id, state, occurrence in keys:
        model.Session.add(
            SentNotice(
                kind=kind,
                recipient=recipient,
                dataset_id=dataset_id,
                state=state,
                occurrence=occurrence,
                sent_at=now,
            )
        )
    model.Session.flush()


def prune(older_than: dt.datetime, current: set[Key]) -> int:
    """Delete what was sent before ``older_than`` and is no longer news to keep: notices
    whose dataset, state and deadline are not ``current`` (a dataset still overdue for the
    same deadline keeps its row, or it would be told again) and old digest weeks. Returns
    how many rows went; the caller commits."""
    rows = (
        model.Session.query(
            SentNotice.id, SentNotice.kind, SentNotice.dataset_id, SentNotice.state, SentNotice.occurrence
        )
        .filter(SentNotice.sent_at < older_than)
        .all()
    )
    gone = [
        r.id for r in rows if r.kind == DIGEST_WEEK or (r.dataset_id, r.state, r.occurrence) not in current
    ]
    for start in range(0, len(gone), 1000):
        model.Session.query(SentNotice).filter(SentNotice.id.in_(gone[start : start + 1000])).delete(
            synchronize_session=False
        )
    return len(gone)

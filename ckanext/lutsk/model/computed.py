"""Stored computations (table ``lutsk_computed``, lutsk migration ``c4e1a7f09d52``).

One row per key: the payload (bytes: a file or JSON), when it was computed, and when a
dataset it depends on last changed. A value is *stale* when that change is later than
its computation: the change of a dataset made while a refresh runs stays stale after
the refresh stores what it read before, so the next refresh picks it up.
Readers get the stored value at once, with its time; ``oversight.stored`` computes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

__all__ = ["COMPUTED", "Meta", "get", "mark_changed", "meta", "put", "stream"]

metadata = sa.MetaData()

COMPUTED = sa.Table(
    "lutsk_computed",
    metadata,
    sa.Column("key", sa.UnicodeText, primary_key=True),
    sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True)),
    sa.Column("payload", sa.LargeBinary, nullable=False),
)

#: Slice of a stored file one streamed chunk carries.
CHUNK = 1 << 20

_STALE = sa.and_(COMPUTED.c.changed_at.is_not(None), COMPUTED.c.changed_at > COMPUTED.c.computed_at)


@dataclass(frozen=True)
class Meta:
    key: str
    computed_at: dt.datetime
    stale: bool
    size: int


def put(conn: sa.engine.Connection, key: str, payload: bytes, computed_at: dt.datetime) -> None:
    """Store ``payload`` as the value of ``key`` as of ``computed_at`` (when its inputs
    were read), in the caller's transaction."""
    stmt = pg_insert(COMPUTED).values(key=key, computed_at=computed_at, payload=payload)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[COMPUTED.c.key],
            set_={"computed_at": stmt.excluded.computed_at, "payload": stmt.excluded.payload},
        )
    )


def get(conn: sa.engine.Connection, key: str) -> tuple[Meta, bytes] | None:
    row = conn.execute(
        sa.select(COMPUTED.c.computed_at, _STALE.label("stale"), COMPUTED.c.payload).where(
            COMPUTED.c.key == key
        )
    ).one_or_none()
    if row is None:
        return None
    return Meta(key, row.computed_at, bool(row.stale), len(row.payload)), bytes(row.payload)


def meta(conn: sa.engine.Connection, key: str) -> Meta | None:
    row = conn.execute(
        sa.select(
            COMPUTED.c.computed_at,
            _STALE.label("stale"),
            sa.func.octet_length(COMPUTED.c.payload).label("size"),
        ).where(COMPUTED.c.key == key)
    ).one_or_none()
    return Meta(key, row.computed_at, bool(row.stale), int(row.size)) if row else None


def stream(
    conn: sa.engine.Connection, key: str, size: int, chunk: int | None = None, *, start: int = 0
) -> Iterator[bytes]:
    """The stored bytes of ``key`` from offset ``start`` in slices of ``chunk`` (default
    ``CHUNK``): a large file never sits whole in the memory of the request that sends it."""
    chunk = chunk or CHUNK
    for offset in range(max(0, start), size, chunk):
        piece = conn.execute(
            sa.select(sa.func.substring(COMPUTED.c.payload, offset + 1, chunk)).where(COMPUTED.c.key == key)
        ).scalar()
        if not piece:
            return
        yield bytes(piece)


def mark_changed(conn: sa.engine.Connection, keys: Iterable[str], when: dt.datetime) -> None:
    """A dataset the values of ``keys`` depend on changed at ``when``."""
    keys = list(keys)
    if keys:
        conn.execute(COMPUTED.update().where(COMPUTED.c.key.in_(keys)).values(changed_at=when))


def stale_keys(conn: sa.engine.Connection) -> list[str]:
    return [r.key for r in conn.execute(sa.select(COMPUTED.c.key).where(_STALE).order_by(COMPUTED.c.key))]

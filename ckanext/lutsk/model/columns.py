"""``column()``: SQLAlchemy's ``Column``, typed so that it fits a ``Mapped[...]`` annotation
on SQLAlchemy 1.4 (CKAN 2.11) and 2.0 (CKAN 2.12) alike; the annotation gives the type."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def column(*args: Any, **kwargs: Any) -> Any:
    return sa.Column(*args, **kwargs)

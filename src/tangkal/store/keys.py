"""Fetching rows of (kind, value)-keyed tables (indicators, allowlist) in index-friendly chunks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

__all__ = ["by_kind"]

_CHUNK = 500


def by_kind(
    session: Session, model: Any, keys: Sequence[tuple[str, str]], columns: Sequence[str]
) -> list[Row[Any]]:
    """Rows of ``model`` for (kind, value) keys, one ``kind = ? AND value IN (…)`` per chunk.

    That shape uses the (kind, value) index on both stores; a row-value ``IN`` does not on
    SQLite, and turns a 10,000-value batch into table scans.
    """
    grouped: dict[str, list[str]] = {}
    for kind, value in dict.fromkeys(keys):
        grouped.setdefault(kind, []).append(value)
    cols = [model.kind, model.value, *(getattr(model, c) for c in columns)]
    out: list[Row[Any]] = []
    for kind, values in grouped.items():
        for i in range(0, len(values), _CHUNK):
            out.extend(
                session.execute(
                    select(*cols).where(model.kind == kind, model.value.in_(values[i : i + _CHUNK]))
                )
            )
    return out

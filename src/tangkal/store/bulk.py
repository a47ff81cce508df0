"""Batch writes and keyed reads straight to the driver, values converted by the column types.

An import writes millions of rows. Through SQLAlchemy's ``execute(insert(table), rows)``
each row pays for compiling its parameters (names to positions, per-value type dispatch):
most of the writer's time. Here the statement is built once per batch, each column's bind
processor is looked up once, and the driver's ``executemany`` does the rest. The values
stored are exactly those SQLAlchemy would store: the same processors convert them, and
columns left out get their Python-side defaults as a Core insert gives them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session

from tangkal.store.base import Base

__all__ = ["Run", "by_kind", "insert_many", "runner", "select_in", "update_many"]

# Keys per ``IN (…)``: far below SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
CHUNK = 500

Processor = Callable[[Any], Any] | None


def _mark(dialect: Dialect) -> str:
    return "?" if dialect.paramstyle == "qmark" else "%s"


def _processors(table: Table, columns: Sequence[str], dialect: Dialect) -> list[Processor]:
    return [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]


def _defaults(table: Table, given: Iterable[str]) -> dict[str, Any]:
    """Python-side defaults of the columns a row leaves out (what a Core insert adds)."""
    out: dict[str, Any] = {}
    given = set(given)
    for col in table.columns:
        default = col.default
        if col.name in given or default is None or not hasattr(default, "arg"):
            continue
        arg = default.arg
        out[col.name] = arg(None) if callable(arg) else arg
    return out


def _column(values: list[Any], proc: Processor) -> list[Any]:
    """One column's values converted; repeated timestamps (a batch's "now") converted once."""
    if proc is None:
        return values
    if values and isinstance(values[0], dt.datetime):
        memo: dict[Any, Any] = {}
        out = []
        for v in values:
            got = memo.get(v)
            if got is None:
                got = memo[v] = proc(v)
            out.append(got)
        return out
    return list(map(proc, values))


def _rows(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], procs: Sequence[Processor]
) -> list[tuple[Any, ...]]:
    """Positional rows, converted column by column (``map`` over a column beats per-value
    dispatch in a generator)."""
    converted = [_column([row[c] for row in rows], p) for c, p in zip(columns, procs, strict=True)]
    return list(zip(*converted, strict=True))


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def insert_many(
    session: Session | Connection, model: type[Base], rows: Sequence[Mapping[str, Any]]
) -> None:
    """INSERT every row (all with the same keys) into ``model``'s table in one ``executemany``."""
    if not rows:
        return
    table = _table(model)
    conn = session.connection() if isinstance(session, Session) else session
    defaults = _defaults(table, rows[0].keys())
    if defaults:
        rows = [{**defaults, **row} for row in rows]
    columns = list(rows[0].keys())
    mark = _mark(conn.dialect)
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join([mark] * len(columns))})"
    )
    conn.exec_driver_sql(sql, _rows(rows, columns, _processors(table, columns, conn.dialect)))


def update_many(
    session: Session | Connection, model: type[Base], key: str, rows: Sequence[Mapping[str, Any]]
) -> None:
    """UPDATE … SET (every other key) WHERE ``key`` = row[key], for every row, in one go."""
    if not rows:
        return
    table = _table(model)
    conn = session.connection() if isinstance(session, Session) else session
    columns = [c for c in rows[0] if c != key]
    mark = _mark(conn.dialect)
    sets = ", ".join(f"{c} = {mark}" for c in columns)
    sql = f"UPDATE {table.name} SET {sets} WHERE {key} = {mark}"
    ordered = [*columns, key]
    conn.exec_driver_sql(sql, _rows(rows, ordered, _processors(table, ordered, conn.dialect)))


Run = Callable[[str, Sequence[Any]], list[Sequence[Any]]]
"""Runs one SQL statement (the driver's parameter marks) and returns its rows, unprocessed."""


def runner(session: Session | Connection) -> tuple[Run, str]:
    """A ``Run`` on the session's own connection (and transaction), and its parameter mark."""
    conn = session.connection() if isinstance(session, Session) else session

    def run(sql: str, params: Sequence[Any]) -> list[Sequence[Any]]:
        return list(conn.exec_driver_sql(sql, tuple(params)).all())

    return run, _mark(conn.dialect)


@lru_cache(maxsize=512)
def _sql(template: str, mark: str, size: int) -> str:
    return template.format(p=mark, marks=", ".join([mark] * size))


def select_in(
    run: Run, mark: str, sql: str, values: Sequence[Any], *, before: Sequence[Any] = ()
) -> list[Sequence[Any]]:
    """Rows of ``sql`` over all ``values``, one ``IN ({marks})`` per chunk of 500.

    ``{p}`` in ``sql`` stands for one parameter mark; ``before`` are the parameters that
    precede the list in every chunk (``kind = {p}``). Values come as the driver returns them.
    """
    out: list[Sequence[Any]] = []
    for i in range(0, len(values), CHUNK):
        chunk = values[i : i + CHUNK]
        out.extend(run(_sql(sql, mark, len(chunk)), (*before, *chunk)))
    return out


def by_kind(
    run: Run, mark: str, sql: str, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Sequence[Any]]:
    """Rows of a (kind, value)-keyed table, keyed so; ``sql`` selects ``value`` first.

    One ``kind = ? AND value IN (…)`` per kind and chunk: that shape uses the (kind, value)
    index on both stores; a row-value ``IN`` does not on SQLite, and turns a 10,000-value
    batch into table scans.
    """
    grouped: dict[str, list[str]] = {}
    for kind, value in dict.fromkeys(keys):
        grouped.setdefault(kind, []).append(value)
    out: dict[tuple[str, str], Sequence[Any]] = {}
    for kind, values in grouped.items():
        for row in select_in(run, mark, sql, values, before=(kind,)):
            out[(kind, row[0])] = row
    return out

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
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import JSON, DateTime, Table
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session

from tangkal.store.base import Base, UTCDateTime

__all__ = [
    "Cursor",
    "Run",
    "by_kind",
    "cursor",
    "fetch_in",
    "insert_many",
    "insert_rows",
    "reserve_ids",
    "runner",
    "select_in",
    "update_many",
    "update_rows",
]

# Keys per ``IN (…)``: far below SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
CHUNK = 500

Processor = Callable[[Any], Any] | None


def _mark(dialect: Dialect) -> str:
    return "?" if dialect.paramstyle == "qmark" else "%s"


def _processors(table: Table, columns: Sequence[str], dialect: Dialect) -> list[Processor]:
    return [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]


@lru_cache(maxsize=256)
def _row_processors(table: Table, columns: tuple[str, ...], dialect: Dialect) -> list[Processor]:
    """``_processors`` for positional rows, timestamps memoised across columns and calls.

    A report's time is its indicators' first and last seen too: converting each distinct
    timestamp once (zone to UTC, then text on SQLite) instead of once per cell was 10 µs
    per imported report. The conversion depends on the value alone, so a bounded cache
    shared by every column of the same type is safe.
    """
    out: list[Processor] = []
    for name in columns:
        col_type = table.c[name].type
        proc: Processor = col_type.dialect_impl(dialect).bind_processor(dialect)
        if proc is not None and isinstance(getattr(col_type, "impl_instance", col_type), DateTime):
            if isinstance(col_type, UTCDateTime) and dialect.name == "sqlite":
                proc = _sqlite_utc_text(proc)
            proc = _shared_datetime(repr(col_type), dialect.name, proc)
        elif proc is not None and isinstance(col_type, JSON):
            if dialect.name == "sqlite" and getattr(dialect, "_json_serializer", None) is None:
                proc = _sqlite_json(proc)
            if table.c[name].info.get("memoise_json"):
                proc = _small_json(proc)
        out.append(proc)
    return out


def _sqlite_json(proc: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A JSON column's processor on SQLite, a flat object of strings written directly.

    SQLAlchemy writes ``json.dumps(value)`` there, whose Python layers (the encoder object,
    ``iterencode`` and its C encoder built afresh) cost 2.2 µs for a victim's contact
    details, once per report. For a dict whose keys and values are all strings the text is
    ``{"k": "v", "k2": "v2"}``, each string escaped by the same function ``json.dumps``
    uses (``ensure_ascii``); anything else (numbers, None, nesting, other keys) raises
    ``TypeError`` there and takes SQLAlchemy's path.
    """
    escape = json.encoder.encode_basestring_ascii

    def process(value: Any) -> Any:
        if type(value) is dict:
            try:
                return (
                    "{" + ", ".join([escape(k) + ": " + escape(v) for k, v in value.items()]) + "}"
                )
            except TypeError:
                pass
        return proc(value)

    return process


def _small_json(proc: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A JSON column's processor, remembering small flat objects it has serialised.

    An indicator's attributes are a few repeated pairs (``{"country": "VN"}``); serialising
    each again cost more than looking it up. The key keeps each value's type, since
    ``1 == True`` but they serialise differently; anything nested goes straight through.
    Only columns that opt in with ``info={"memoise_json": True}`` get this: a victim's
    contact details are small flat objects too, and must not linger in a process-wide memo.
    """
    memo: dict[tuple[tuple[str, type, Any], ...], Any] = {}

    def process(value: Any) -> Any:
        if type(value) is not dict or len(value) > 4:
            return proc(value)
        try:
            key = tuple([(k, type(v), v) for k, v in value.items()])
            got = memo.get(key)
        except TypeError:  # an unhashable value: a list or an object inside
            return proc(value)
        if got is None:
            if len(memo) >= 4096:
                memo.clear()
            got = memo[key] = proc(value)
        return got

    return process


def _sqlite_utc_text(proc: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``UTCDateTime``'s processor on SQLite, the same text with fewer steps.

    Through the type decorator an aware time is moved to UTC, its zone dropped, then
    formatted field by field (``%(year)04d-…%(microsecond)06d``): 3.4 µs, paid for each
    report's time (a fresh value, so the memo in ``_shared_datetime`` misses). The same
    text is the UTC time's ISO form with a space and microseconds, less its "+00:00".
    Anything but an aware ``datetime`` (None, a naive or foreign value) takes the decorator's
    path, errors included.
    """
    utc = dt.UTC

    def process(value: Any) -> Any:
        if type(value) is not dt.datetime or value.tzinfo is None:
            return proc(value)
        if value.tzinfo is not utc:
            value = value.astimezone(utc)
        return value.isoformat(" ", "microseconds")[:26]

    return process


_DATETIME_PROCS: dict[tuple[str, str], Callable[[Any], Any]] = {}


def _shared_datetime(type_repr: str, dialect: str, proc: Callable[[Any], Any]) -> Processor:
    key = (type_repr, dialect)
    if key not in _DATETIME_PROCS:
        _DATETIME_PROCS[key] = lru_cache(maxsize=1 << 16)(proc)
    return _DATETIME_PROCS[key]


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


# ---- positional rows on the driver's own cursor ------------------------------------------
#
# The writer of an import goes one step further than the functions above: rows are tuples
# (no dict per row, no name lookups) and reads take the driver's rows as they come, without
# SQLAlchemy wrapping each one in a ``Row``. Same transaction: the cursor belongs to the
# connection the session holds.

Cursor = Any
"""A DBAPI cursor (``sqlite3.Cursor`` or ``psycopg.Cursor``)."""


def _conn(session: Session | Connection) -> Connection:
    return session.connection() if isinstance(session, Session) else session


def cursor(session: Session | Connection) -> tuple[Cursor, str]:
    """A driver cursor on the session's connection (and transaction), and its parameter mark."""
    conn = _conn(session)
    return conn.connection.driver_connection.cursor(), _mark(conn.dialect)  # type: ignore[union-attr]  # an open session always holds a driver connection


def fetch_in(
    cur: Cursor, mark: str, sql: str, values: Sequence[Any], *, before: Sequence[Any] = ()
) -> list[tuple[Any, ...]]:
    """``select_in`` on a driver cursor: rows as the driver returns them (tuples)."""
    out: list[tuple[Any, ...]] = []
    for i in range(0, len(values), CHUNK):
        chunk = values[i : i + CHUNK]
        cur.execute(_sql(sql, mark, len(chunk)), (*before, *chunk))
        out.extend(cur.fetchall())
    return out


def reserve_ids(session: Session | Connection, model: type[Base], count: int) -> range | list[int]:
    """The ids the next ``count`` rows of ``model`` would get, taken now.

    Inserting with these ids spares reading them back by another key. The caller must
    hold the table's write lock for the whole transaction: SQLite's (every write
    transaction here is ``BEGIN IMMEDIATE``) gives the next rowids, max(id) + 1 onward,
    as the engine itself would; PostgreSQL takes them from the column's sequence.
    """
    if count <= 0:
        return []
    conn = _conn(session)
    table = _table(model).name
    if conn.dialect.name == "postgresql":
        rows = conn.exec_driver_sql(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",
            (count,),
        ).all()
        return [int(r[0]) for r in rows]
    top = conn.exec_driver_sql(f"SELECT max(id) FROM {table}").scalar() or 0
    return range(top + 1, top + 1 + count)


def _convert(
    rows: Sequence[tuple[Any, ...]], procs: Sequence[Processor]
) -> Sequence[tuple[Any, ...]]:
    """Rows with each column passed through its processor (columns without one untouched)."""
    if not rows or all(p is None for p in procs):
        return rows
    columns = [
        col if p is None else list(map(p, col))
        for col, p in zip(zip(*rows, strict=True), procs, strict=True)
    ]
    return list(zip(*columns, strict=True))


def insert_rows(
    session: Session | Connection,
    model: type[Base],
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """``insert_many`` for positional rows: each tuple holds ``columns`` in order.

    Columns left out get their Python-side defaults, evaluated once per call, as a Core
    insert (and ``insert_many``) gives them.
    """
    if not rows:
        return
    table = _table(model)
    conn = _conn(session)
    defaults = _defaults(table, columns)
    if defaults:
        extra = tuple(defaults.values())
        columns = [*columns, *defaults]
        rows = [row + extra for row in rows]
    mark = _mark(conn.dialect)
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join([mark] * len(columns))})"
    )
    procs = _row_processors(table, tuple(columns), conn.dialect)
    cursor(conn)[0].executemany(sql, _convert(rows, procs))


def update_rows(
    session: Session | Connection,
    model: type[Base],
    columns: Sequence[str],
    key: str,
    rows: Sequence[tuple[Any, ...]],
    *,
    unless_none: Sequence[str] = (),
) -> None:
    """``update_many`` for positional rows: ``columns`` in order, then the key's value.

    A column named in ``unless_none`` keeps its stored value where the row gives None
    (``COALESCE``): a value that did not change need not be converted and sent back.
    """
    if not rows:
        return
    table = _table(model)
    conn = _conn(session)
    mark = _mark(conn.dialect)
    sets = ", ".join(
        f"{c} = COALESCE({mark}, {c})" if c in unless_none else f"{c} = {mark}" for c in columns
    )
    sql = f"UPDATE {table.name} SET {sets} WHERE {key} = {mark}"
    procs = _row_processors(table, (*columns, key), conn.dialect)
    cursor(conn)[0].executemany(sql, _convert(rows, procs))

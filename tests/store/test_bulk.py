"""The bulk writer's converters: same values as SQLAlchemy's, and no personal data kept."""

from __future__ import annotations

from sqlalchemy import create_engine

from tangkal.report.models import Indicator, Report
from tangkal.store.bulk import _row_processors


def test_only_opted_in_json_columns_are_remembered() -> None:
    dialect = create_engine("sqlite://").dialect
    (attributes,) = _row_processors(Indicator.__table__, ("attributes",), dialect)
    (contact,) = _row_processors(Report.__table__, ("victim_contact",), dialect)
    assert attributes is not None and contact is not None
    pairs = {"country": "VN"}
    assert attributes(dict(pairs)) is attributes(dict(pairs))  # served from the memo
    victim = {"phone": "+6281234567890", "name": "Siti"}
    first, second = contact(dict(victim)), contact(dict(victim))
    assert first == second == '{"phone": "+6281234567890", "name": "Siti"}'
    assert first is not second  # converted afresh: nothing remembered the victim's contact


def _awkward_times() -> list[object]:
    import datetime as dt
    import random
    from zoneinfo import ZoneInfo

    from pydantic import TypeAdapter

    parsed = TypeAdapter(dt.datetime).validate_python("2025-12-05T22:35:41.248251Z")
    rng = random.Random(5)
    zones: list[dt.tzinfo] = [
        dt.UTC, parsed.tzinfo, dt.timezone(dt.timedelta(hours=7)),  # type: ignore[list-item]
        dt.timezone(dt.timedelta(hours=-5, minutes=-30)), ZoneInfo("Asia/Jakarta"),
        ZoneInfo("Europe/London"),
    ]  # fmt: skip
    times: list[object] = [
        parsed, parsed.replace(microsecond=0), None,
        dt.datetime(1, 1, 1, 12, tzinfo=dt.UTC), dt.datetime(999, 3, 4, 5, 6, 7, 8, tzinfo=dt.UTC),
        dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
        dt.datetime(2025, 10, 26, 1, 30, fold=1, tzinfo=ZoneInfo("Europe/London")),
    ]  # fmt: skip
    for _ in range(3_000):
        naive = dt.datetime(2000, 1, 1) + dt.timedelta(
            seconds=rng.randrange(0, 40 * 365 * 86400), microseconds=rng.randrange(1_000_000)
        )
        times.append(naive.replace(tzinfo=rng.choice(zones), fold=rng.randrange(2)))
    return times


def _outcome(proc: object, value: object) -> object:
    try:
        return proc(value)  # type: ignore[operator]
    except Exception as exc:  # the same error type either way
        return type(exc)


def test_sqlite_times_convert_as_the_column_type_does() -> None:
    """The writer's shortcut for ``UTCDateTime`` on SQLite gives SQLAlchemy's text, errors
    (a naive time, a time out of range in UTC, a date) included."""
    import datetime as dt

    from tangkal.store.bulk import _sqlite_utc_text

    dialect = create_engine("sqlite://").dialect
    plain = Report.__table__.c.received_at.type.dialect_impl(dialect).bind_processor(dialect)
    assert plain is not None
    fast = _sqlite_utc_text(plain)
    odd = [
        dt.datetime(2025, 1, 2, 3, 4, 5),  # naive: refused
        dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))),  # before year 1 in UTC
        dt.date(2025, 1, 2),
    ]
    for value in [*_awkward_times(), *odd]:
        assert _outcome(fast, value) == _outcome(plain, value), value
    (memoised,) = _row_processors(Report.__table__, ("received_at",), dialect)
    assert memoised is not None
    for value in _awkward_times():
        assert memoised(value) == plain(value), value


class _Text(str):
    pass


AWKWARD_JSON: list[object] = [
    {"name": "Andi Pratama", "phone": "+62 856 8187 0561"},
    {},
    {"name": "สมชาย ใจดี", "email": "ngọc@ví.dụ", "note": "😀 \U0001f4b8 \u2028 \u00e9"},
    {"q": 'say "hi" \\ back\\slash / slash', "ctl": "\x00\x01\n\r\t\x1f\x7f"},
    {"lone": "\ud800 and \udfff"},
    {"k": "v", "": ""},
    {_Text("sub"): _Text("class")},
    {"n": None},
    {"i": 12345678901234567890123, "f": 0.1, "big": 1e300, "t": True, "z": False},
    {"inf": float("inf"), "nan": float("nan")},
    {"nested": {"a": "b"}, "list": ["x", 1]},
    {1: "int key", None: "none key", 2.5: "float key"},
    {False: "bool key", "s": "t"},
    ["a", "b"],
    "a string",
    None,
    7,
]


def test_sqlite_json_columns_write_the_text_sqlalchemy_writes() -> None:
    """The writer's shortcut for flat string objects gives ``json.dumps``'s text (through
    SQLAlchemy's own processor), and leaves every other value to it."""
    dialect = create_engine("sqlite://").dialect
    for table, column in (
        (Report.__table__, "victim_contact"),
        (Indicator.__table__, "attributes"),
    ):
        plain = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
        assert plain is not None
        (fast,) = _row_processors(table, (column,), dialect)
        assert fast is not None
        for value in AWKWARD_JSON:
            assert _outcome(fast, value) == _outcome(plain, value), value

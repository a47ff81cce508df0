"""Measure: every dashboard figure on a store of 1,000,000 reports, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/bench_measure.py [--reports 1000000] [--runs 5] [--backend both]

Builds each store quickly (synthetic rows written with executemany / COPY, not through
intake): reports over two years in the ten ASEAN states, one phone indicator each (with a
country, a third of them abroad), 20,000 networks, 2,000 cross-border requests and 300
disputes. Then, in the same run, times every figure of the dashboard
(one year, the region and one country):

- baseline: no summaries, every figure aggregated from the reports (``refresh`` never run);
- summaries: after ``tangkal measure refresh`` (the daily summaries, their covering indexes
  and the monthly rollups);
- summaries + tail: after filing 1,000 more reports that are aggregated live.

Reports medians (ms) of ``--runs`` runs (the baseline: ``--baseline-runs``), the refresh times and
the incremental refresh of the tail, the summary row counts and the load average at the end.
Prints JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tangkal.measure import compute, parse_filters, refresh
from tangkal.store import Store, upgrade

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
ASEAN = ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN")
WEIGHTS = (1, 6, 30, 2, 12, 5, 18, 4, 14, 8)
TYPOLOGIES = (
    "investment",
    "job_task",
    "romance",
    "impersonation_official",
    "ecommerce",
    "phishing_credentials",
    "loan_app",
    "other",
)
CHANNELS = ("sms", "call", "whatsapp", "telegram", "facebook", "website", "other")
PAYMENTS = ("bank_transfer", "ewallet", "crypto", "card", None)
START = dt.datetime(2024, 12, 1, tzinfo=dt.UTC)
SPAN_SECONDS = 2 * 365 * 86400
TODAY = dt.date(2026, 11, 28)
DASHBOARD = [  # (figure, options) as the dashboard asks for them
    ("volumes", {"by": "typology"}),
    ("volumes", {"by": "total"}),
    ("volumes", {"by": "country"}),
    ("flows", {}),
    ("networks", {}),
    ("action", {}),
    ("outcomes", {}),
]


def _reports(n: int, first_id: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    for i in range(first_id, first_id + n):
        at = START + dt.timedelta(seconds=rng.randrange(SPAN_SECONDS))
        loss = Decimal(rng.randrange(0, 500_000)) / 100 if rng.random() < 0.7 else None
        yield (
            i,
            f"R{i:012d}",
            f"k{i:020d}",
            at,
            "web_form",
            rng.choices(ASEAN, WEIGHTS)[0],
            rng.choice(CHANNELS),
            rng.choice(TYPOLOGIES),
            "",
            loss,
            "USD" if loss is not None else None,
            loss,
            rng.choice(PAYMENTS),
            f"citizen:{i}",
            False,
            "F",
            6,
            "national",
            "AMBER",
        )


REPORT_COLS = (
    "id",
    "reference",
    "dedup_key",
    "received_at",
    "source",
    "victim_country",
    "channel",
    "typology",
    "narrative",
    "loss_amount",
    "loss_currency",
    "loss_usd",
    "payment_method",
    "reporter_key",
    "reporter_trusted",
    "reliability",
    "credibility",
    "distribution",
    "tlp",
)
INDICATOR_COLS = (
    "id",
    "kind",
    "value",
    "attributes",
    "report_count",
    "reporter_count",
    "trusted_reporter_count",
    "countries",
    "typologies",
    "loss_usd",
    "distribution",
    "tlp",
    "updated_at",
)


def _write(
    store: Store, table: str, cols: tuple[str, ...], rows: Iterable[tuple[Any, ...]]
) -> None:
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        if store.dialect == "postgresql":
            with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in cols)

            def sqlite_rows() -> Iterator[tuple[Any, ...]]:
                for row in rows:
                    yield tuple(
                        v.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
                        if isinstance(v, dt.datetime)
                        else (str(v) if isinstance(v, Decimal) else v)
                        for v in row
                    )

            cur.execute("BEGIN")
            cur.executemany(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
                sqlite_rows(),  # type: ignore[arg-type]  # sqlite3 takes any iterable
            )
            cur.execute("COMMIT")
        raw.commit()
    finally:
        raw.close()


def build(store: Store, n: int, seed: int = 7) -> dict[str, float]:
    rng = random.Random(seed)
    t0 = time.perf_counter()
    _write(store, "reports", REPORT_COLS, _reports(n, 1, rng))
    phones = max(1000, n // 20)
    now = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    _write(
        store,
        "indicators",
        INDICATOR_COLS,
        (
            (
                i,
                "phone",
                f"+{i:011d}",
                json.dumps(
                    {"country": rng.choices(ASEAN, WEIGHTS)[0] if rng.random() < 0.66 else "KH"}
                ),
                20,
                20,
                0,
                "",
                "",
                Decimal(0),
                "national",
                "AMBER",
                now,
            )
            for i in range(1, phones + 1)
        ),
    )
    _write(
        store,
        "report_indicators",
        ("report_id", "indicator_id", "role"),
        ((i, rng.randrange(1, phones + 1), "contact") for i in range(1, n + 1)),
    )
    _write(
        store,
        "networks",
        (
            "id",
            "created_at",
            "updated_at",
            "report_count",
            "countries",
            "country_count",
            "infra_countries",
            "cross_border",
            "first_seen",
            "last_seen",
            "loss_usd",
        ),
        (
            (
                f"N-{i:08d}",
                now,
                now,
                rng.randrange(2, 400),
                f",{rng.choice(ASEAN)},",
                1,
                f",{rng.choice(ASEAN)},",
                rng.random() < 0.4,
                START + dt.timedelta(days=rng.randrange(300)),
                now - dt.timedelta(days=rng.randrange(300)),
                Decimal(rng.randrange(10**7)) / 100,
            )
            for i in range(20_000)
        ),
    )
    _write(
        store,
        "organisations",
        ("id", "name", "country", "type", "trusted", "created_at"),
        ((i + 1, f"org-{c}", c, "police", False, now) for i, c in enumerate(ASEAN)),
    )
    _write(
        store,
        "cases",
        ("id", "org_id", "title", "summary", "status", "created_by", "created_at"),
        ((i, rng.randrange(1, 11), f"case {i}", "", "open", "bench", now) for i in range(1, 201)),
    )
    _write(
        store,
        "case_reports",
        ("case_id", "report_id"),
        {(rng.randrange(1, 201), rng.randrange(1, n + 1)) for _ in range(5000)},
    )

    def request(i: int) -> tuple[Any, ...]:
        sub = START + dt.timedelta(days=rng.randrange(700))
        ack = sub + dt.timedelta(hours=rng.randrange(1, 96))
        exe = ack + dt.timedelta(hours=rng.randrange(1, 400)) if rng.random() < 0.6 else None
        kind = rng.choice(("freeze", "takedown", "block_number", "information"))
        frozen = Decimal(rng.randrange(10**6)) if kind == "freeze" and exe else Decimal(0)
        return (
            i,
            rng.randrange(1, 201),
            kind,
            rng.randrange(1, 11),
            rng.randrange(1, 11),
            "executed" if exe else "acknowledged",
            "en",
            "",
            "",
            "[]",
            "USD",
            frozen,
            frozen / 2,
            "bench",
            sub - dt.timedelta(days=3),
            sub,
            sub,
            ack,
            exe,
        )

    _write(
        store,
        "cross_border_requests",
        (
            "id",
            "case_id",
            "type",
            "requesting_org_id",
            "requested_org_id",
            "status",
            "language",
            "legal_basis",
            "facts",
            "indicator_ids",
            "currency",
            "amount_frozen",
            "amount_returned",
            "created_by",
            "first_report_at",
            "created_at",
            "submitted_at",
            "acknowledged_at",
            "executed_at",
        ),
        (request(i) for i in range(1, 2001)),
    )
    _write(
        store,
        "disputes",
        (
            "id",
            "reference",
            "type",
            "indicator_id",
            "claimant_name",
            "claimant_contact",
            "statement",
            "language",
            "status",
            "created_at",
        ),
        (
            (
                i,
                f"D{i:08d}",
                "delisting",
                i,
                "x",
                "x",
                "x",
                "en",
                rng.choice(("open", "upheld", "delisted")),
                START + dt.timedelta(days=rng.randrange(700)),
            )
            for i in range(1, 301)
        ),
    )
    with store.engine.begin() as conn:
        if store.dialect == "postgresql":
            conn.execute(text("SELECT setval('reports_id_seq', (SELECT max(id) FROM reports))"))
            conn.execute(text("ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
    return {"build_s": round(time.perf_counter() - t0, 1)}


def _median_ms(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 1)


def time_figures(store: Store, runs: int) -> dict[str, float]:
    out = {}
    for country in (None, "ID"):
        f = parse_filters(
            {
                "since": "2025-11-28",
                "until": "2026-11-27",
                "country": country,
                "granularity": "month",
            },
            TODAY,
        )
        for name, options in DASHBOARD:
            label = f"{name}{'/' + options['by'] if 'by' in options else ''}@{country or 'region'}"

            def run(name: str = name, options: dict[str, str] = options, f: Any = f) -> None:
                with store.read() as s:
                    compute(s, name, f, options, min_count=5)

            out[label] = _median_ms(run, runs)
    return out


def _tail(store: Store, n: int) -> None:
    rng = random.Random(99)
    with store.engine.connect() as conn:
        top = conn.execute(text("SELECT max(id) FROM reports")).scalar() or 0
    _write(store, "reports", REPORT_COLS, _reports(n, top + 1, rng))


def bench(backend: str, n: int, runs: int, baseline_runs: int) -> dict[str, Any]:
    url = _url(backend, n)
    store = Store(url)
    try:
        upgrade(store.engine)
        result: dict[str, Any] = {"backend": backend, "reports": n, **build(store, n)}
        if baseline_runs:
            result["baseline_ms"] = time_figures(store, baseline_runs)
        t = time.perf_counter()
        with store.begin() as s:
            refresh(s, full=True)
        result["refresh_full_s"] = round(time.perf_counter() - t, 2)
        result["summaries_ms"] = time_figures(store, runs)
        _tail(store, 1000)
        result["summaries_plus_1000_live_ms"] = time_figures(store, runs)
        t = time.perf_counter()
        with store.begin() as s:
            refresh(s)
        result["refresh_incremental_1000_s"] = round(time.perf_counter() - t, 3)
        with store.engine.connect() as conn:
            result["summary_rows"] = {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                for t in (
                    "measure_daily",
                    "measure_flows",
                    "measure_monthly",
                    "measure_flows_monthly",
                )
            }
        result["worst_summaries_ms"] = max(
            max(result["summaries_ms"].values()),
            max(result["summaries_plus_1000_live_ms"].values()),
        )
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
        return result
    finally:
        store.close()
        _drop(url)


def _url(backend: str, n: int) -> str:
    if backend == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / f"measure-{n}-{uuid.uuid4().hex[:6]}.db"
        return f"sqlite:///{path}"
    name = f"tangkal_bench_measure_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


def _drop(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(make_url(url).database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--baseline-runs", type=int, default=3, help="runs without summaries (0: skip)"
    )
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = []
    for b in backends:
        results.append(bench(b, args.reports, args.runs, args.baseline_runs))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)  # progress, one per store
    print(
        json.dumps(
            {
                "benchmark": "measure",
                "machine": platform.machine(),
                "python": platform.python_version(),
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

"""Benchmark: batch linking of a million reports, and incremental linking of one.

Builds a synthetic store (default 1,000,000 reports, about 3,000,000 report–indicator
links: planted networks of 2–40 reports, unique noise values, a few hub values and
values above the degree cap) by inserting rows directly — this measures linking, not
import. Then, in the same run:

- floor: scipy ``connected_components`` over the same edges already in memory;
- batch: ``link.batch.recompute`` from an empty network table, read from the store and
  written back, in a fresh process so its peak RSS is its own;
- batch again with nothing changed (the diff writes nothing);
- incremental: ``link.incremental.link_reports`` for one new report, median of many.

Prints one JSON object. Usage::

    .venv/bin/python benchmarks/bench_link.py [--reports 1000000] [--url URL] [--reuse]

The SQLite store is kept in ``benchmarks/out/link.db``; ``--reuse`` keeps a store that is
already built (the build takes a few minutes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sqlalchemy import text

import tangkal.models  # noqa: F401  (every table, so the ORM resolves foreign keys)
from tangkal.link.batch import read_edges, recompute
from tangkal.link.incremental import link_reports
from tangkal.link.linking import components
from tangkal.report.intake import file_reports
from tangkal.report.prepare import prepare
from tangkal.report.schema import parse_report
from tangkal.store import Store, upgrade

COUNTRIES = ["ID", "MY", "PH", "TH", "VN", "SG", "KH", "MM", "LA", "BN"]
BANK_COUNTRIES = ["KH", "ID", "PH", "TH", "MM"]
CAP = 1000


def _plan(n_reports: int, seed: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Edges (report, indicator) with planted networks; returns (reports, indicators, n_ind)."""
    rng = np.random.default_rng(seed)
    # 60% of reports sit in planted networks of 2-40 reports, the rest share nothing.
    sizes = rng.integers(2, 41, size=n_reports)
    bounds = np.cumsum(sizes)
    n_planted = int(np.searchsorted(bounds, int(n_reports * 0.6)))
    sizes = sizes[:n_planted]
    in_net = int(sizes.sum())
    group = np.repeat(np.arange(n_planted), sizes)
    report = np.arange(1, n_reports + 1, dtype=np.int64)
    # Each planted network has a pool of max(1, size // 4) shared values; every member
    # takes one pool value and a chain value linking it to the previous member.
    pool_size = np.maximum(1, sizes // 4)
    pool_start = np.concatenate([[0], np.cumsum(pool_size)[:-1]])
    shared = pool_start[group] + (rng.integers(0, 1 << 30, size=in_net) % pool_size[group])
    next_id = int(pool_size.sum())
    first_of_group = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    chain = np.arange(in_net, dtype=np.int64) + next_id
    prev = np.arange(in_net) - 1
    is_first = np.zeros(in_net, bool)
    is_first[first_of_group] = True
    next_id += in_net
    ri = [report[:in_net], report[:in_net], report[1:in_net][~is_first[1:]]]
    ii = [shared, chain, chain[prev[1:][~is_first[1:]]]]
    # Every report gets unique values until the total reaches three links per report.
    have = sum(a.size for a in ri)
    need = 3 * n_reports - have - n_reports // 100 - 20 * (CAP + 1)
    extra_reports = rng.integers(1, n_reports + 1, size=need)
    ri.append(extra_reports)
    ii.append(np.arange(need, dtype=np.int64) + next_id)
    next_id += need
    # 1% of reports mention one of three hub values (bit.ly, t.me, gmail.com).
    hub_reports = rng.choice(report, size=n_reports // 100, replace=False)
    ri.append(hub_reports)
    ii.append(next_id + rng.integers(0, 3, size=hub_reports.size))
    next_id += 3
    # 20 values above the degree cap (a shared bank's call-centre number, say).
    for k in range(20):
        ri.append(rng.choice(report, size=CAP + 1, replace=False))
        ii.append(np.full(CAP + 1, next_id + k, dtype=np.int64))
    next_id += 20
    return np.concatenate(ri), np.concatenate(ii) + 1, next_id


def _build(store: Store, n_reports: int, seed: int) -> dict[str, Any]:
    started = time.perf_counter()
    r, i, n_ind = _plan(n_reports, seed)
    degree = np.bincount(i, minlength=n_ind + 1)
    hub_base = n_ind - 23 + 1
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    pg = store.dialect == "postgresql"
    stamp = now.isoformat() if pg else now.replace(tzinfo=None).isoformat(sep=" ")
    rng = np.random.default_rng(seed + 1)
    countries = np.array(COUNTRIES)[rng.integers(0, 10, size=n_reports)]
    losses = rng.integers(0, 5000, size=n_reports)

    def reports() -> Any:
        for k in range(n_reports):
            rid = k + 1
            yield (rid, f"R{rid:09d}", f"{rid:064d}", stamp, "import", str(countries[k]),
                   "other", "other", "", float(losses[k]), "USD", float(losses[k]),
                   "bench", False, "F", 6, "national", "AMBER")  # fmt: skip

    def indicators() -> Any:
        hub_values = ["bit.ly", "t.me", "gmail.com"]
        for iid in range(1, n_ind + 1):
            if hub_base <= iid < hub_base + 3:
                kind, value = "domain", hub_values[iid - hub_base]
            else:
                kind, value = (
                    ("phone", f"+6281{iid:09d}") if iid % 3 else ("bank_account", f"{iid:012d}")
                )
            # As intake stores them: a phone's region, a bank account's bank and country.
            attributes = (
                None if kind == "domain" else '{"country": "ID"}' if kind == "phone"
                else f'{{"bank": "BANK{iid % 5}", "country": "{BANK_COUNTRIES[iid % 5]}"}}'
            )  # fmt: skip
            yield (iid, kind, value, int(degree[iid]), 0, 0, "", "", 0, "national", "AMBER",
                   stamp, attributes)  # fmt: skip

    report_cols = ("id, reference, dedup_key, received_at, source, victim_country, channel, "
                   "typology, narrative, loss_amount, loss_currency, loss_usd, reporter_key, "
                   "reporter_trusted, reliability, credibility, distribution, tlp")  # fmt: skip
    ind_cols = ("id, kind, value, report_count, reporter_count, trusted_reporter_count, "
                "countries, typologies, loss_usd, distribution, tlp, updated_at, attributes")  # fmt: skip
    pairs = np.unique(np.stack([r, i], axis=1), axis=0)
    with store.engine.begin() as conn:
        raw: Any = conn.connection.dbapi_connection
        cur = raw.cursor()
        if pg:
            for table, cols, rows in (
                ("reports", report_cols, reports()),
                ("indicators", ind_cols, indicators()),
                ("report_indicators", "report_id, indicator_id, role",
                 ((int(a), int(b), "contact") for a, b in pairs)),
            ):  # fmt: skip
                with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            q = ",".join("?" * 18)
            cur.executemany(f"INSERT INTO reports ({report_cols}) VALUES ({q})", reports())
            cur.executemany(
                f"INSERT INTO indicators ({ind_cols}) VALUES ({','.join('?' * 13)})", indicators()
            )
            cur.executemany(
                "INSERT INTO report_indicators (report_id, indicator_id, role) VALUES (?, ?, 'contact')",
                ((int(a), int(b)) for a, b in pairs),
            )
        cur.close()
    if pg:
        with store.engine.begin() as conn:
            for table in ("reports", "indicators"):
                conn.execute(
                    text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
                )
            conn.execute(text("ANALYZE"))
    return {"reports": n_reports, "links": int(pairs.shape[0]), "indicators": n_ind,
            "build_seconds": round(time.perf_counter() - started, 1)}  # fmt: skip


def _floor(store: Store) -> dict[str, Any]:
    """scipy connected_components over the same edges, already in memory."""
    with store.read() as session:
        edges = read_edges(session)
    r, i = edges[:, 0], edges[:, 1]
    n_r, n_i = int(r.max()) + 1, int(i.max()) + 1
    times = []
    for _ in range(3):
        t = time.perf_counter()
        g = coo_matrix((np.ones(r.size, np.int8), (r, n_r + i)), shape=(n_r + n_i, n_r + n_i))
        connected_components(g, directed=False)
        times.append(time.perf_counter() - t)
    core = []
    for _ in range(3):
        t = time.perf_counter()
        components(r, i, cap=CAP)
        core.append(time.perf_counter() - t)
    return {"floor_scipy_cc_seconds": round(statistics.median(times), 3),
            "linking_core_seconds": round(statistics.median(core), 3)}  # fmt: skip


def _batch_child(url: str) -> None:
    store = Store(url)
    t = time.perf_counter()
    with store.begin() as session:
        result = recompute(session, degree_cap=CAP, actor="bench")
    total = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({**result.as_dict(), "seconds_with_commit": round(total, 3),
                      "peak_rss_mb": round(peak_mb, 1), "phases": getattr(result, "phases", {})}))  # fmt: skip


def _batch(url: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--batch-child", url], check=True, capture_output=True, text=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _incremental(store: Store, runs: int) -> dict[str, Any]:
    """File a report sharing a value with an existing network, then time linking it."""
    with store.read() as session:
        values = [v for (v,) in session.execute(text(
            "SELECT value FROM indicators WHERE kind = 'phone' AND report_count BETWEEN 3 AND 40 LIMIT :n"
        ), {"n": runs})]  # fmt: skip
    times = []
    for k, value in enumerate(values):
        data = parse_report({"victim_country": "MY", "external_id": f"bench-{time.time_ns()}-{k}",
                             "indicators": [{"value": value, "kind": "phone"},
                                            {"value": f"+6019{k:07d}", "kind": "phone"}]})  # fmt: skip
        with store.begin() as session:
            filed = file_reports(session, [prepare(data, "bench")], reporter_key="bench")
            t = time.perf_counter()
            link_reports(session, [filed[0].report_id], degree_cap=CAP)
            times.append(time.perf_counter() - t)
    return {"incremental_runs": len(times),
            "incremental_median_ms": round(statistics.median(times) * 1000, 2),
            "incremental_p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1] * 1000, 2)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=1_000_000)
    ap.add_argument("--url", default="sqlite:///benchmarks/out/link.db")
    ap.add_argument("--reuse", action="store_true", help="Keep a store built by a previous run.")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--incremental-runs", type=int, default=200)
    ap.add_argument("--batch-child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.batch_child:
        _batch_child(args.batch_child)
        return
    out: dict[str, Any] = {
        "benchmark": "link",
        "url": args.url.split("@")[-1],
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }
    if args.url.startswith("sqlite"):
        path = Path(args.url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm") if not args.reuse else ():
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = Store(args.url)
    upgrade(store.engine)
    with store.read() as session:
        existing = session.scalar(text("SELECT count(*) FROM reports")) or 0
    if not existing:
        out["store"] = _build(store, args.reports, args.seed)
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM network_members"))
        conn.execute(text("DELETE FROM networks"))
        conn.execute(text("DELETE FROM network_events"))
    if store.dialect == "postgresql":
        # Empty means never linked: without this the previous run's 600k dead rows and
        # their index entries stay until autovacuum comes by, and every insert checks them.
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE network_members, networks, network_events"))
    out.update(_floor(store))
    out["batch_from_empty"] = _batch(args.url)
    out["batch_unchanged"] = _batch(args.url)
    out.update(_incremental(store, args.incremental_runs))
    out["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    floor = out["floor_scipy_cc_seconds"]
    out["ratio_to_floor"] = {
        "batch_from_empty": round(out["batch_from_empty"]["seconds_with_commit"] / floor, 1),
        "batch_unchanged": round(out["batch_unchanged"]["seconds_with_commit"] / floor, 1),
    }
    out["targets"] = {"batch_seconds": 10, "peak_rss_mb": 1024, "incremental_median_ms": 5}
    store.close()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()

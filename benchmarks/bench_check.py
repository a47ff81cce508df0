"""Check API throughput on a store of N indicators, against a bare Starlette floor.

    .venv/bin/python benchmarks/bench_check.py [--indicators 10000000] [--duration 15]

Builds (once, cached in benchmarks/out/) a SQLite store with N phone indicators, reads it
into the page cache, serves it with Tangkal's ASGI app and with benchmarks/bare_check_app.py
under the same uvicorn settings (2 workers), loads both with wrk (64 connections, 2 threads)
on the same machine in the same run, and times batch checks of 10,000 values from one and
from two clients at once. Needs `wrk` (apt-get install wrk). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from loadgen import OUT, ROOT, build_store, phone, serve, stop, warm, wrk


def batch_rate(url: str, n: int, clients: int = 1, runs: int = 5) -> float:
    """Median values/s of 10,000-value batches, ``clients`` posting at the same time."""
    rng = random.Random(3)
    batches = [[phone(rng.randrange(n)) for _ in range(10_000)] for _ in range(runs * clients)]

    def post(values: list[str]) -> None:
        with httpx.Client(timeout=120) as c:
            c.post(url, json={"values": values}).raise_for_status()

    rates = []
    with ThreadPoolExecutor(clients) as pool:
        for i in range(runs):
            t = time.perf_counter()
            list(pool.map(post, batches[i * clients : (i + 1) * clients]))
            rates.append(10_000 * clients / (time.perf_counter() - t))
    return statistics.median(rates)


def measure(app: str, port: int, env: dict[str, str], single: str, batch: str, args: argparse.Namespace) -> dict[str, object]:  # fmt: skip
    proc = serve(app, port, env)
    try:
        wrk(single, port, args.indicators, 3)  # warm-up
        out: dict[str, object] = {"single": wrk(single, port, args.indicators, args.duration)}
        for c in (1, 2):
            rate = batch_rate(f"http://127.0.0.1:{port}{batch}", args.indicators, c)
            out[f"batch_values_per_s_{c}_clients"] = round(rate)
        return out
    finally:
        stop(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--indicators", type=int, default=10_000_000)
    ap.add_argument("--duration", type=int, default=15)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"check_{args.indicators}.db"
    t = time.perf_counter()
    build_store(db, args.indicators)
    env = {
        **os.environ,
        "TANGKAL_DATABASE_URL": f"sqlite:///{db}",
        "TANGKAL_PUBLIC_RATE_LIMIT": "0",
        "BARE_DB": str(db),
        "PYTHONPATH": str(ROOT / "benchmarks"),
    }
    results: dict[str, object] = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "indicators": args.indicators, "store_build_s": round(time.perf_counter() - t, 1),
        "load_before": os.getloadavg()[0], "warm_s": warm(db),
    }  # fmt: skip
    results["bare"] = measure("bare_check_app:app", 8101, env, "/check?q=%%2B62812%08d", "/batch", args)  # fmt: skip
    results["tangkal"] = measure(
        "tangkal.web.asgi:app", 8102, env, "/api/v1/check?q=%%2B62812%08d", "/api/v1/check", args
    )
    b, k = results["bare"], results["tangkal"]
    results["single_ratio"] = round(k["single"]["rps"] / b["single"]["rps"], 3)  # type: ignore[index]
    for c in (1, 2):
        key = f"batch_values_per_s_{c}_clients"
        results[f"batch_ratio_{c}_clients"] = round(k[key] / b[key], 3)  # type: ignore[index]
    results["load_after"] = os.getloadavg()[0]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

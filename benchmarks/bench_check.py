"""Check API throughput on a store of N indicators, against a bare Starlette floor.

    .venv/bin/python benchmarks/bench_check.py [--indicators 10000000] [--duration 15] [--rounds 1]

Builds (once, cached in benchmarks/out/) a SQLite store with N phone indicators, reads it
into the page cache, serves it with Tangkal's ASGI app and with benchmarks/bare_check_app.py
under the same uvicorn settings (2 workers), loads both with wrk (64 connections, 2 threads)
on the same machine in the same run, and times batch checks of 10,000 values from one and
from two clients at once. With ``--rounds N`` the two apps take turns N times (bare,
Tangkal, bare, Tangkal…) and the ratios are also given per round and as medians: one run
on a noisy machine says little, a ratio within each round and its median over the rounds
says more. Needs `wrk` (apt-get install wrk). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from loadgen import OUT, ROOT, build_store, phone, serve, stop, warm, wrk


def worker_cpu(parent: int) -> dict[int, float]:
    """CPU seconds used so far by each child process of ``parent`` (Linux ``/proc``)."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            out[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    return out


RUNS = 5  # batches (or pairs of batches) per measurement; the median is kept


def batch_rate(
    url: str, n: int, parent: int, clients: int = 1, runs: int = RUNS
) -> tuple[float, int]:
    """Median values/s of 10,000-value batches, ``clients`` posting at the same time.

    Also how many of the runs kept both of the two busiest server processes working (each
    used at least 30% of the other's CPU): with two clients, whether their batches landed on
    different workers.
    """
    rng = random.Random(3)
    batches = [[phone(rng.randrange(n)) for _ in range(10_000)] for _ in range(runs * clients)]

    def post(values: list[str]) -> None:
        with httpx.Client(timeout=120) as c:
            c.post(url, json={"values": values}).raise_for_status()

    rates = []
    spread = 0
    with ThreadPoolExecutor(clients) as pool:
        for i in range(runs):
            before = worker_cpu(parent)
            t = time.perf_counter()
            list(pool.map(post, batches[i * clients : (i + 1) * clients]))
            rates.append(10_000 * clients / (time.perf_counter() - t))
            after = worker_cpu(parent)
            used = sorted(after[pid] - before.get(pid, 0.0) for pid in after)[-2:]
            spread += len(used) == 2 and used[0] >= 0.3 * used[1] > 0
    return statistics.median(rates), spread


def measure(app: str, port: int, env: dict[str, str], single: str, batch: str, args: argparse.Namespace) -> dict[str, Any]:  # fmt: skip
    proc = serve(app, port, env)
    try:
        wrk(single, port, args.indicators, 3)  # warm-up
        out: dict[str, Any] = {"single": wrk(single, port, args.indicators, args.duration)}
        for c in (1, 2):
            rate, spread = batch_rate(f"http://127.0.0.1:{port}{batch}", args.indicators, proc.pid, c)  # fmt: skip
            out[f"batch_values_per_s_{c}_clients"] = round(rate)
        out["batch_runs_on_both_workers_2_clients"] = f"{spread}/{RUNS}"
        return out
    finally:
        stop(proc)


def ratios(bare: dict[str, Any], tangkal: dict[str, Any]) -> dict[str, float]:
    """Tangkal's rates over the bare app's, measured back to back."""
    out = {"single_ratio": round(tangkal["single"]["rps"] / bare["single"]["rps"], 3)}
    for c in (1, 2):
        key = f"batch_values_per_s_{c}_clients"
        out[f"batch_ratio_{c}_clients"] = round(tangkal[key] / bare[key], 3)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--indicators", type=int, default=10_000_000)
    ap.add_argument("--duration", type=int, default=15)
    ap.add_argument("--rounds", type=int, default=1, help="bare/Tangkal turns; medians of ratios")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"check_{args.indicators}-dated.db"
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
    rounds: list[dict[str, Any]] = []
    for _ in range(args.rounds):
        bare = measure("bare_check_app:app", 8101, env, "/check?q=%%2B62812%08d", "/batch", args)  # fmt: skip
        tangkal = measure(
            "tangkal.web.asgi:app", 8102, env, "/api/v1/check?q=%%2B62812%08d", "/api/v1/check",
            args,
        )  # fmt: skip
        rounds.append({"bare": bare, "tangkal": tangkal, **ratios(bare, tangkal)})
    if args.rounds == 1:
        results.update(rounds[0])
    else:
        results["rounds"] = rounds
        picks: dict[str, Callable[[dict[str, Any]], float]] = {
            "single_ratio": lambda r: r["single_ratio"],
            "batch_ratio_1_clients": lambda r: r["batch_ratio_1_clients"],
            "batch_ratio_2_clients": lambda r: r["batch_ratio_2_clients"],
            "tangkal_single_rps": lambda r: r["tangkal"]["single"]["rps"],
            "tangkal_single_p99_ms": lambda r: r["tangkal"]["single"]["p99_ms"],
            "tangkal_batch_1_client": lambda r: r["tangkal"]["batch_values_per_s_1_clients"],
            "tangkal_batch_2_clients": lambda r: r["tangkal"]["batch_values_per_s_2_clients"],
        }
        results["median"] = {
            name: round(statistics.median(pick(r) for r in rounds), 3)
            for name, pick in picks.items()
        }
    results["load_after"] = os.getloadavg()[0]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

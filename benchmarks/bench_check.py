"""Check API throughput on a store of N indicators, against a bare Starlette floor.

    .venv/bin/python benchmarks/bench_check.py [--indicators 10000000] [--duration 15]

Builds (once, cached in benchmarks/out/) a SQLite store with N phone indicators, serves it
with `tangkal serve --workers 2` and with benchmarks/bare_check_app.py under the same uvicorn
settings, loads both with wrk (64 connections, 2 threads) on the same machine in the same run,
and times batch checks of 10,000 values. Needs `wrk` (apt-get install wrk). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
VENV_BIN = Path(sys.executable).parent


def phone(i: int) -> str:
    # Valid Indonesian mobile numbers: +62 812 xxxx xxxx spans 100M values.
    return f"+62812{i:08d}"


def build_store(path: Path, n: int) -> None:
    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    env = {**os.environ, "TANGKAL_DATABASE_URL": f"sqlite:///{tmp}"}
    subprocess.run([str(VENV_BIN / "tangkal"), "init"], check=True, env=env, capture_output=True)
    db = sqlite3.connect(tmp)
    db.execute("PRAGMA synchronous=OFF")
    rng = random.Random(7)
    now = "2026-11-01 00:00:00.000000"
    batch = 200_000
    for start in range(0, n, batch):
        rows = [
            (
                "phone", phone(i), rng.randint(1, 9), rng.randint(1, 5), rng.randint(0, 1),
                "ID,MY", "investment", now, now, rng.randint(0, 5000), "national", "AMBER", now,
            )
            for i in range(start, min(n, start + batch))
        ]  # fmt: skip
        db.executemany(
            "INSERT INTO indicators (kind, value, report_count, reporter_count, "
            "trusted_reporter_count, countries, typologies, first_seen, last_seen, loss_usd, "
            "distribution, tlp, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    tmp.rename(path)
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)


LUA = """
local n = {n}
math.randomseed(42)
request = function()
  local i = math.random(0, n - 1)
  return wrk.format("GET", string.format("{path}", i))
end
"""


def wrk(url_path: str, port: int, n: int, duration: int) -> dict[str, float]:
    script = OUT / f"wrk_{port}.lua"
    script.write_text(LUA.replace("{n}", str(n)).replace("{path}", url_path))
    done = subprocess.run(
        ["wrk", "-t2", "-c64", f"-d{duration}s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    text = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))  # type: ignore[union-attr]

    def pct(p: str) -> float:
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", text)
        assert m, text
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {"rps": rps, "p50_ms": pct("50"), "p99_ms": pct("99"),
            "non_2xx": int(non2xx.group(1)) if non2xx else 0}  # fmt: skip


def serve(cmd: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=0.5)
            time.sleep(1.0)  # let every worker finish starting
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(
        f"server on {port} did not start: {proc.stderr.read() if proc.stderr else ''}"
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def warm(path: Path) -> float:
    """Read the store once so that both servers find it in the page cache (seconds taken)."""
    t = time.perf_counter()
    with path.open("rb") as f:
        while f.read(1 << 24):
            pass
    return round(time.perf_counter() - t, 1)


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--indicators", type=int, default=10_000_000)
    ap.add_argument("--duration", type=int, default=15)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"check_{args.indicators}.db"
    t = time.perf_counter()
    build_store(db, args.indicators)
    build_s = time.perf_counter() - t
    env = {
        **os.environ,
        "TANGKAL_DATABASE_URL": f"sqlite:///{db}",
        "TANGKAL_PUBLIC_RATE_LIMIT": "0",
    }
    uv = [
        "--workers",
        "2",
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    results: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "indicators": args.indicators, "store_build_s": round(build_s, 1),
        "load_before": os.getloadavg()[0], "warm_s": warm(db),
    }  # fmt: skip

    bare = serve([str(VENV_BIN / "uvicorn"), "bare_check_app:app", "--port", "8101", *uv],
                 {**env, "BARE_DB": str(db), "PYTHONPATH": str(ROOT / "benchmarks")}, 8101)  # fmt: skip
    try:
        wrk("/check?q=%%2B62812%08d", 8101, args.indicators, 3)  # warm-up
        results["bare_single"] = wrk("/check?q=%%2B62812%08d", 8101, args.indicators, args.duration)
        for c in (1, 2):
            results[f"bare_batch_values_per_s_{c}_clients"] = round(
                batch_rate("http://127.0.0.1:8101/batch", args.indicators, c)
            )
    finally:
        stop(bare)

    tk = serve(
        [str(VENV_BIN / "uvicorn"), "tangkal.web.asgi:app", "--port", "8102", *uv], env, 8102
    )
    try:
        wrk("/api/v1/check?q=%%2B62812%08d", 8102, args.indicators, 3)
        results["tangkal_single"] = wrk(
            "/api/v1/check?q=%%2B62812%08d", 8102, args.indicators, args.duration
        )
        for c in (1, 2):
            results[f"tangkal_batch_values_per_s_{c}_clients"] = round(
                batch_rate("http://127.0.0.1:8102/api/v1/check", args.indicators, c)
            )
    finally:
        stop(tk)
    b, k = results["bare_single"], results["tangkal_single"]
    results["single_ratio"] = round(k["rps"] / b["rps"], 3)  # type: ignore[index]
    results["load_after"] = os.getloadavg()[0]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

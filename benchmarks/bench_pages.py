"""Public pages: page weight, and the Check page's throughput against the check API.

    .venv/bin/python benchmarks/bench_pages.py [--indicators 100000] [--duration 10] [--runs 3]

Builds (once, cached in benchmarks/out/) a SQLite store of N reported phone numbers, serves it
with uvicorn (2 workers, as `tangkal serve --workers 2`), and loads, in the same run and alternately, the JSON check API
(the baseline) and the HTML Check page for the same random numbers with wrk (2 threads, 16
connections). Reports medians over the runs, the page/API ratio, and the bytes a phone
downloads for each page (HTML + CSS; nothing else is fetched). Needs `wrk`. Prints JSON.
"""

from __future__ import annotations

import argparse
import gzip
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
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
VENV_BIN = Path(sys.executable).parent
PORT = 8111


def build_store(path: Path, n: int) -> None:
    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    env = {**os.environ, "TANGKAL_DATABASE_URL": f"sqlite:///{tmp}"}
    subprocess.run([str(VENV_BIN / "tangkal"), "init"], check=True, env=env, capture_output=True)
    db = sqlite3.connect(tmp)
    rng = random.Random(7)
    now = "2026-11-01 00:00:00.000000"
    rows = [
        (
            "phone", f"+62812{i:08d}", rng.randint(1, 9), rng.randint(1, 5), rng.randint(0, 1),
            "ID,MY", "investment", now, now, rng.randint(0, 5000), "national", "AMBER", now,
        )
        for i in range(n)
    ]  # fmt: skip
    db.executemany(
        "INSERT INTO indicators (kind, value, report_count, reporter_count, "
        "trusted_reporter_count, countries, typologies, first_seen, last_seen, loss_usd, "
        "distribution, tlp, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    db.commit()
    db.close()
    tmp.rename(path)


LUA = """
math.randomseed(42)
request = function()
  local i = math.random(0, {n} - 1)
  return wrk.format("GET", string.format("{path}", i))
end
"""


def wrk(path: str, n: int, duration: int) -> dict[str, float]:
    script = OUT / "wrk_pages.lua"
    script.write_text(LUA.format(n=n, path=path))
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{duration}s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{PORT}"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip

    def ms(label: str) -> float:
        m = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out)
        assert m, out
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rps and "Non-2xx" not in out, out
    return {"rps": float(rps.group(1)), "p50_ms": ms("50%"), "p99_ms": ms("99%")}


def page_weight(client: httpx.Client) -> dict[str, dict[str, int]]:
    css = client.get("/static/tangkal.css").content
    weights = {}
    for name, path in {
        "check_form": "/check",
        "check_result": "/check?q=%2B6281200000007&country=ID",
        "check_message": "/check?q=Transfer+ke+BCA+7651234567+hubungi+0812-0000-0007&country=ID",
        "report_form": "/report",
    }.items():
        html = client.get(path).content
        weights[name] = {
            "html_bytes": len(html),
            "html_gzip_bytes": len(gzip.compress(html)),
            "with_css_bytes": len(html) + len(css),
        }
    weights["css"] = {"bytes": len(css), "gzip_bytes": len(gzip.compress(css))}
    return weights


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--indicators", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"pages-{args.indicators}.db"
    build_store(db, args.indicators)
    env = {
        **os.environ,
        "TANGKAL_DATABASE_URL": f"sqlite:///{db}",
        "TANGKAL_PUBLIC_RATE_LIMIT": "0",
        "TANGKAL_DATA_DIR": str(OUT / "pages-var"),
    }
    proc = subprocess.Popen(
        [str(VENV_BIN / "uvicorn"), "tangkal.web.asgi:app", "--port", str(PORT),
         "--workers", "2", "--no-access-log", "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120  # imports are slow on a busy machine
        with httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=30) as client:
            while True:
                try:
                    client.get("/healthz")
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            weights = page_weight(client)  # also warms both workers' caches
        api_path = "/api/v1/check?q=%%2B62812%08d&country=ID"
        page_path = "/check?q=%%2B62812%08d&country=ID"
        wrk(api_path, args.indicators, 2)
        wrk(page_path, args.indicators, 2)
        api, page = [], []
        for _ in range(args.runs):  # alternate, so drift affects both alike
            api.append(wrk(api_path, args.indicators, args.duration))
            page.append(wrk(page_path, args.indicators, args.duration))
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)

    def median(runs: list[dict[str, float]]) -> dict[str, float]:
        return {k: round(statistics.median(r[k] for r in runs), 2) for k in runs[0]}

    api_m, page_m = median(api), median(page)
    print(
        json.dumps(
            {
                "benchmark": "public pages",
                "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}",
                "indicators": args.indicators,
                "load": f"wrk -t2 -c16 -d{args.duration}s, {args.runs} runs, medians",
                "check_api_baseline": api_m,
                "check_page": page_m,
                "page_vs_api_rps": round(page_m["rps"] / api_m["rps"], 3),
                "page_weight": weights,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

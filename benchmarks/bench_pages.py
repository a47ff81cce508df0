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
import statistics
import time

import httpx
from loadgen import OUT, build_store, serve, stop, warm, wrk

PORT = 8111


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
    db = OUT / f"check_{args.indicators}-dated.db"
    build_store(db, args.indicators)
    warm(db)
    env = {
        **os.environ,
        "TANGKAL_DATABASE_URL": f"sqlite:///{db}",
        "TANGKAL_PUBLIC_RATE_LIMIT": "0",
        "TANGKAL_DATA_DIR": str(OUT / "pages-var"),
    }
    proc = serve("tangkal.web.asgi:app", PORT, env)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{PORT}", timeout=30) as client:
            weights = page_weight(client)  # also warms both workers' caches
        api_path = "/api/v1/check?q=%%2B62812%08d&country=ID"
        page_path = "/check?q=%%2B62812%08d&country=ID"
        wrk(api_path, PORT, args.indicators, 2, 16)
        wrk(page_path, PORT, args.indicators, 2, 16)
        api, page = [], []
        for _ in range(args.runs):  # alternate, so drift affects both alike
            api.append(wrk(api_path, PORT, args.indicators, args.duration, 16))
            page.append(wrk(page_path, PORT, args.indicators, args.duration, 16))
    finally:
        stop(proc)

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

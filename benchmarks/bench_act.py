"""Act: the cost of a request's due process, its documents and its evidence package.

    .venv/bin/python benchmarks/bench_act.py [--requests 200] [--attachments 20] [--runs 5]

On a fresh SQLite store (in a temporary folder), measures, as medians over the runs:

* one request's whole life (create, submit, acknowledge, start, execute: five transactions,
  each with its history row and audit event) against the baseline of five bare audit events
  in five transactions — the price of the state machine itself;
* rendering one request's document as HTML and as PDF;
* exporting a case with N requests and M attachments of 100 KiB as a signed package, and
  verifying it, against the baseline of zipping the same bytes with no manifest or signature;
* ``response_times`` over every request of the store.

Prints JSON.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tangkal.access.tokens import add_organisation, authenticate, create_token
from tangkal.act import cases, documents, evidence, metrics, requests
from tangkal.act.models import CrossBorderRequest
from tangkal.audit.log import record
from tangkal.store import Store, upgrade


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--attachments", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-act-"))
    store = Store(f"sqlite:///{folder / 'act.db'}")
    upgrade(store.engine)
    with store.begin() as s:
        police = add_organisation(s, "POLRI", "ID", "police")
        bank = add_organisation(s, "Bank TH", "TH", "bank")
        cop = authenticate(s, create_token(s, police, "investigator"))
        teller = authenticate(s, create_token(s, bank, "analyst"))
        case = cases.open_case(s, cop, "Benchmark case")
    subjects = ["https://fake-invest.example.net/pay", "+66 81 234 5678"]

    def lifecycle() -> int:
        with store.begin() as s:
            req = requests.create_request(s, cop, case.id, "freeze", bank.id, subjects=subjects,
                                          currency="THB", amount_requested="1000")  # fmt: skip
        with store.begin() as s:
            requests.transition(s, cop, req.id, "submit")
        for action in ("acknowledge", "start", "execute"):
            with store.begin() as s:
                requests.transition(s, teller, req.id, action)
        return req.id

    def bare_events() -> None:
        for i in range(5):
            with store.begin() as s:
                record(s, "bench", "bench.event", "bench", i)

    per_life = [timed(lifecycle, 1)[0] for _ in range(args.requests)]
    per_bare = [timed(bare_events, 1)[0] for _ in range(args.requests)]
    with store.read() as s:
        req = s.get(CrossBorderRequest, 1)
        assert req is not None
        html_s, doc = timed(
            lambda: documents.render_html(documents.context(s, req), "en"), args.runs
        )
        pdf_s, _ = timed(lambda: documents.render(s, req), args.runs)
    payload = os.urandom(100 * 1024)
    with store.begin() as s:
        for i in range(args.attachments):
            cases.add_evidence(s, cop, case.id, f"file-{i}.bin", payload + i.to_bytes(4, "big"),
                               data_dir=folder)  # fmt: skip

    def export() -> bytes:
        with store.begin() as s:
            return evidence.export_case(s, cop, case.id, data_dir=folder, node="bench").data

    export_s, package = timed(export, args.runs)
    verify_s, _ = timed(lambda: evidence.verify_package(package), args.runs)
    members = zipfile.ZipFile(io.BytesIO(package))
    contents = {n: members.read(n) for n in members.namelist()}

    def plain_zip() -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, body in contents.items():
                zf.writestr(name, body)
        return buf.getvalue()

    zip_s, _ = timed(plain_zip, args.runs)
    with store.read() as s:
        metrics_s, rows = timed(lambda: metrics.response_times(s), args.runs)
    print(json.dumps({
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "store": "sqlite",
        "requests": args.requests,
        "lifecycle_ms_median": round(statistics.median(per_life) * 1000, 2),
        "baseline_five_audit_events_ms_median": round(statistics.median(per_bare) * 1000, 2),
        "document_html_ms_median": round(html_s * 1000, 2),
        "document_html_and_pdf_ms_median": round(pdf_s * 1000, 2),
        "document_html_bytes": len(doc),
        "package": {
            "requests": args.requests, "attachments": args.attachments,
            "files": len(contents), "bytes": len(package),
            "export_ms_median": round(export_s * 1000, 1),
            "verify_ms_median": round(verify_s * 1000, 1),
            "baseline_plain_zip_ms_median": round(zip_s * 1000, 1),
        },
        "response_times_ms_median": round(metrics_s * 1000, 2),
        "response_time_groups": len(rows),
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()

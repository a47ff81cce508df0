"""The import's writer alone: prepared demo reports filed into a fresh SQLite store.

Reports are generated, validated, extracted, normalised and scored once (in worker
processes) and cached as pickled batches under ``benchmarks/out/``; only the writes through
``file_reports`` are timed, batch by batch, so the figures show whether the writer stays
flat as the store grows. ``--intake FILE`` loads ``file_reports`` from another copy of
``report/intake.py`` (e.g. ``git show REV:src/tangkal/report/intake.py > old.py``), to
compare two versions in the same run. Prints JSON.

    python benchmarks/bench_intake.py --reports 100000
    python benchmarks/bench_intake.py --reports 100000 --intake /tmp/old_intake.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import itertools
import json
import os
import pickle
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import orjson
from bench_import import OUT, demo_file, fresh_store

from tangkal.report.importer import prepare_rows
from tangkal.report.prepare import Prepared, prepare
from tangkal.report.schema import parse_report


def _prepare_chunk(start: int, rows: list[bytes], scored: bool) -> list[Prepared]:
    if not scored:  # the writer stores the probability, it does not care which
        return [prepare(parse_report(orjson.loads(r)), "import") for r in rows]
    prepared, rejected = prepare_rows("jsonl", None, list(enumerate(rows, start)), "import")
    assert not rejected, rejected[:3]
    return prepared


def _payloads(n: int, seed: int) -> Iterator[bytes]:
    """The demo reports as JSON, from ``bench_import.py``'s cached file (made on first use)."""
    with demo_file(n, seed).open("rb") as fh:
        yield from (line.rstrip(b"\n") for line in fh)


def _payload_chunks(n: int, seed: int, batch: int) -> Iterator[tuple[int, list[bytes]]]:
    chunk: list[bytes] = []
    start = 1
    for i, payload in enumerate(_payloads(n, seed), start=1):
        chunk.append(payload)
        if len(chunk) >= batch:
            yield start, chunk
            start, chunk = i + 1, []
    if chunk:
        yield start, chunk


def prepared_file(n: int, seed: int, batch: int, workers: int, scored: bool) -> Path:
    """The cached batches of ``n`` prepared demo reports (made on first use)."""
    path = OUT / f"prepared-{n}-seed{seed}-batch{batch}{'' if scored else '-unscored'}.pickle"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    started = time.perf_counter()
    done = 0
    with tmp.open("wb") as fh, ProcessPoolExecutor(workers) as pool:
        window = []
        for start, rows in _payload_chunks(n, seed, batch):
            window.append(pool.submit(_prepare_chunk, start, rows, scored))
            if len(window) >= 2 * workers:
                pickle.dump(window.pop(0).result(), fh, protocol=pickle.HIGHEST_PROTOCOL)
                done += batch
                if done % 100_000 == 0:
                    print(f"prepared {done:,}", file=sys.stderr)
        for future in window:
            pickle.dump(future.result(), fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.rename(path)
    print(f"prepared {n:,} reports in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    return path


def batches(path: Path, join: int = 1) -> Iterator[list[Prepared]]:
    """The cached batches, ``join`` of them at a time as one (to try larger write batches)."""
    out: list[Prepared] = []
    with path.open("rb") as fh:
        for i in itertools.count(1):
            try:
                out.extend(pickle.load(fh))
            except EOFError:
                break
            if i % join == 0:
                yield out
                out = []
    if out:
        yield out


def load_file_reports(intake: str | None) -> Callable[..., Any]:
    if intake is None:
        from tangkal.report.intake import file_reports

        return file_reports
    spec = importlib.util.spec_from_file_location("bench_intake_other", intake)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.file_reports  # type: ignore[no-any-return]


def write_all(
    path: Path, file_reports: Callable[..., Any], segments: int, join: int = 1,
    name: str = "bench-intake",
) -> dict[str, Any]:  # fmt: skip
    """File every cached batch; wall and CPU time per batch, CPU per report per segment."""
    store = fresh_store(name)
    per_batch: list[tuple[int, float, float]] = []
    for prepared in batches(path, join):
        started, cpu = time.perf_counter(), time.process_time()
        with store.begin() as session:
            file_reports(session, prepared, reporter_key="import", audit_each=False)
        per_batch.append((len(prepared), time.perf_counter() - started, time.process_time() - cpu))
    db = OUT / f"{name}.db"
    size = sum(Path(f"{db}{s}").stat().st_size for s in ("", "-wal") if Path(f"{db}{s}").exists())
    store.close()
    reports = sum(n for n, _, _ in per_batch)
    wall = sum(w for _, w, _ in per_batch)
    cpu = sum(c for _, _, c in per_batch)
    step = max(1, len(per_batch) // segments)
    growth = []
    for i in range(0, len(per_batch), step):
        part = per_batch[i : i + step]
        n = sum(p[0] for p in part)
        growth.append(
            {
                "from_report": sum(p[0] for p in per_batch[:i]),
                "cpu_us_per_report": round(sum(p[2] for p in part) / n * 1e6),
                "wall_us_per_report": round(sum(p[1] for p in part) / n * 1e6),
                "median_batch_cpu_ms": round(statistics.median(p[2] for p in part) * 1e3, 1),
            }
        )
    return {
        "reports": reports,
        "seconds": round(wall, 2),
        "reports_per_s": round(reports / wall),
        "cpu_us_per_report": round(cpu / reports * 1e6),
        "cpu_estimate_reports_per_s": round(reports / cpu),
        "store_mb": round(size / 1e6),
        "growth": growth,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2,
                        help="Processes preparing the cached batches (first run only).")  # fmt: skip
    parser.add_argument("--segments", type=int, default=10, help="Growth figures per run.")
    parser.add_argument("--intake", help="Another intake.py to take file_reports from.")
    parser.add_argument("--store", default="bench-intake", help="Store file name in out/.")
    parser.add_argument(
        "--join", type=int, default=1, help="Write this many cached batches as one call."
    )
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument(
        "--unscored",
        action="store_true",
        help="Skip message scoring when preparing (half the cost; for the 1,000,000 run).",
    )
    args = parser.parse_args()
    path = prepared_file(args.reports, args.seed, args.batch, args.workers, not args.unscored)
    if args.prepare_only:
        return
    result = write_all(path, load_file_reports(args.intake), args.segments, args.join, args.store)
    out = {
        "benchmark": "intake (the import's writer alone)",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cpus, "
        f"load {os.getloadavg()[0]:.1f}",
        "python": platform.python_version(),
        "intake": args.intake or "tangkal.report.intake",
        "batch": args.batch * args.join,
        **result,
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

"""The import's main process alone, for instruction counts: what it does besides preparing.

``import_file`` runs as usual (the file read in chunks, worker results received, batches
written to a fresh SQLite store, the collector as the import leaves it), but the pool hands
back results prepared beforehand by the ``prepare`` step, pickled exactly as a worker sends
them: only the main process's share runs. Deterministic under callgrind, so two versions
compare on a loaded machine; run two sizes and take the difference to leave out start-up:

    python benchmarks/bench_import_main.py prepare 2000 --tag new    # and 4000
    valgrind --tool=callgrind python benchmarks/bench_import_main.py run 2000 --tag new
    # (Ir at 4000 − Ir at 2000) / 2000 = instructions per report; the other version
    # (PYTHONPATH=its src) prepares and runs with its own --tag
    # (Ir at 4000 − Ir at 2000) / 2000 = instructions per report

Without valgrind ``run`` prints the CPU time per report as well.
"""

from __future__ import annotations

import argparse
import json
import pickle
import time
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from bench_import import OUT, demo_file, fresh_store

from tangkal.report import importer

BATCH = 2000


def _rows_file(n: int) -> Path:
    """The first ``n`` reports of the 50,000-report demo file."""
    path = OUT / f"demo-first-{n}.jsonl"
    if not path.exists():
        with demo_file(50_000, 1).open("rb") as fh, path.open("wb") as out:
            for _, line in zip(range(n), fh, strict=False):
                out.write(line)
    return path


def _results(n: int, tag: str) -> Path:
    return OUT / f"import-main-{n}{tag}.pickle"


def prepare(n: int, tag: str) -> None:
    """Each worker task's result, pickled as a worker sends it, in file order."""
    path = _rows_file(n)
    chunks = importer._chunks(importer.read_rows(path, "jsonl"), BATCH)
    sent = [
        pickle.dumps(importer._prepare_batch("jsonl", None, c.rows, "import"), protocol=5)
        for c in chunks
    ]
    _results(n, tag).write_bytes(pickle.dumps(sent))


class _Replay:
    """A pool whose tasks are already done: each submit returns the next stored result."""

    def __init__(self, results: Iterator[bytes]) -> None:
        self.results = results

    def __enter__(self) -> _Replay:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(pickle.loads(next(self.results)))
        return future


def run(n: int, tag: str) -> dict[str, Any]:
    results = iter(pickle.loads(_results(n, tag).read_bytes()))
    importer._pool = lambda workers: _Replay(results)  # type: ignore[assignment,return-value]  # the seam a replay needs
    store = fresh_store(f"bench-import-main-{n}")
    cpu = time.process_time()
    result = importer.import_file(store, _rows_file(n), batch=BATCH, workers=2)
    cpu = time.process_time() - cpu
    store.close()
    assert result.stored == n and not result.rejected, result.as_dict()
    return {"reports": n, "main_cpu_us_per_report": round(cpu / n * 1e6, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["prepare", "run"])
    parser.add_argument("reports", type=int)
    parser.add_argument(
        "--tag", default="", help="Names the stored results: one per version compared."
    )
    args = parser.parse_args()
    if args.step == "prepare":
        prepare(args.reports, args.tag)
    else:
        print(json.dumps(run(args.reports, args.tag)))


if __name__ == "__main__":
    main()

"""Instructions per checked value, in-process and over HTTP, counted by callgrind (load-proof).

The check benchmark's wall-clock figures swing with the machine's load; instruction counts do
not. Compare source trees in the same run (the base from ``git archive main src``):

    python benchmarks/instructions_check.py /tmp/base/src src [--server] [--only batch,single]

Works on ``benchmarks/out/check_10000000-dated.db``, the store ``bench_check.py`` builds
(``--db`` for another). In-process, each mode is one fresh process under callgrind,
instrumented after a warm-up on other values, collecting only the measured call
(``callgrind.measure``):

- ``batch``: two 10,000-value screens as ``POST /api/v1/check`` runs them: through
  ``PointReader.answer_texts`` (or, in a tree without it, ``answer_chunks`` and
  ``orjson.dumps``), on random stored phones as the benchmark sends;
- ``single``: 2,000 single checks through ``PointReader.answer`` and ``orjson.dumps``;
- ``normalize``: only the batch's normalisation (``normalize.canonical``) of its values.

With ``--server``, also per value (batch) and per request (single) in one uvicorn process
under callgrind (httptools, uvloop, no fork), loaded by a keep-alive client outside valgrind;
the same for ``benchmarks/bare_check_app.py``, the floor. Prints millions of instructions
per value, one column per tree. Needs valgrind. Use ``PYTHONHASHSEED=0``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Callable
from pathlib import Path

import callgrind
from loadgen import OUT, ROOT, phone

N = 10_000_000
BATCH = 10_000
BATCHES = 2
SINGLES = 2_000
MODES = {
    "batch": "batch screen, whole (per value)",
    "normalize": "  normalize.canonical of its values (per value)",
    "single": "single check, whole (per check)",
}


def _db() -> Path:
    return Path(os.environ.get("CHECK_DB", OUT / f"check_{N}-dated.db"))


def _values(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [phone(rng.randrange(N)) for _ in range(count)]


def _child(mode: str) -> None:
    import orjson
    from sqlalchemy import create_engine

    from tangkal.check.lookup import link_risks
    from tangkal.check.point import PointReader
    from tangkal.report.normalize import canonical
    from tangkal.web.app import _freeze_startup_objects

    reader = PointReader(create_engine(f"sqlite:///{_db()}"))
    warm = _values(1, BATCH)  # other values: caches warm, as in a worker that has served
    # An old tree (before session 7) has no answer_texts: its batch path was answer_chunks.
    old_chunks = None if hasattr(reader, "answer_texts") else reader.answer_chunks  # type: ignore[attr-defined]
    if old_chunks is None:
        list(reader.answer_texts(warm, None))
    else:
        orjson.dumps({"results": [a for c in old_chunks(warm, None) for a in c]})
    for q in warm[:200]:
        orjson.dumps(reader.answer(q, None, link_scorer=link_risks))
    batches = [_values(3 + i, BATCH) for i in range(BATCHES)]
    singles = _values(9, SINGLES)
    _freeze_startup_objects()  # the collector as a server's worker has it

    def batch() -> None:
        """What the route does: JSON text per chunk where the tree has it, else dicts."""
        for values in batches:
            if old_chunks is None:
                texts = list(reader.answer_texts(values, None, link_scorer=link_risks))
                f'{{"results":[{",".join(texts)}]}}'.encode()
                continue
            results = []
            for chunk in old_chunks(values, None, link_scorer=link_risks):
                results += chunk
            orjson.dumps({"results": results})

    def normalize() -> None:
        for values in batches:
            for q in values:
                canonical(q, None, None)

    def single() -> None:
        for q in singles:
            orjson.dumps(reader.answer(q, None, link_scorer=link_risks))

    work: Callable[[], object] = {"batch": batch, "normalize": normalize, "single": single}[mode]
    callgrind.measure(work)


def _per_value(tree: Path, mode: str) -> float:
    units = SINGLES if mode == "single" else BATCH * BATCHES
    return callgrind.count(__file__, tree, mode) / units


def _server_counts(src: Path | None) -> dict[str, float]:
    """Instructions per batch value and per single check in one uvicorn process.

    ``src`` None serves the bare app (``bare_check_app``) instead of Tangkal.
    """
    import orjson

    app = "bare_check_app:app" if src is None else "tangkal.web.asgi:app"
    single, batch = ("/check?q=", "/batch") if src is None else ("/api/v1/check?q=", "/api/v1/check")  # fmt: skip
    path = os.pathsep.join([str(ROOT / "benchmarks"), *([str(src.resolve())] if src else [])])
    env = {
        **os.environ,
        "PYTHONPATH": path,
        "PYTHONHASHSEED": "0",
        "TANGKAL_DATABASE_URL": f"sqlite:///{_db()}",
        "TANGKAL_PUBLIC_RATE_LIMIT": "0",
        "BARE_DB": str(_db()),
    }
    with callgrind.served(app, 8132, env) as server:
        warm = _values(1, BATCH)
        server.request(batch, orjson.dumps({"values": warm}))
        for q in warm[:200]:
            server.request(single + q.replace("+", "%2B"))
        server.instrument()
        batches = [(batch, orjson.dumps({"values": _values(3 + i, BATCH)})) for i in range(BATCHES)]
        singles = [(single + q.replace("+", "%2B"), None) for q in _values(9, SINGLES)]
        return {
            "batch": server.count("batch", batches) / (BATCH * BATCHES),
            "single": server.count("single", singles) / SINGLES,
        }


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _child(sys.argv[2])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("trees", nargs="+", type=Path)
    ap.add_argument("--only", help="comma-separated modes (default: all)")
    ap.add_argument("--server", action="store_true", help="also count requests under uvicorn")
    ap.add_argument("--db", type=Path, help=f"the store (default: {_db()})")
    args = ap.parse_args()
    if args.db:
        os.environ["CHECK_DB"] = str(args.db.resolve())
    if not _db().exists():
        raise SystemExit(f"{_db()} is missing: run bench_check.py once, or pass --db")
    if args.server:
        counts = [_server_counts(tree) for tree in args.trees]
        bare = _server_counts(None)
        for label in ("batch", "single"):
            row = [f"{c[label] / 1e6:8.4f} M" for c in counts]
            print(
                f"{'uvicorn: ' + label:44s}"
                + "  ".join(row)
                + f"   (bare: {bare[label] / 1e6:.4f} M)",
                flush=True,
            )
    for mode in args.only.split(",") if args.only else MODES:
        row = [f"{_per_value(tree, mode) / 1e6:8.4f} M" for tree in args.trees]
        print(f"{MODES[mode]:44s}" + "  ".join(row), flush=True)


if __name__ == "__main__":
    main()

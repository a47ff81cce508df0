"""Check API answers of two source trees, compared byte for byte: speed work must not change them.

    python benchmarks/compare_check.py OLD_SRC NEW_SRC [--reports 20000] [--values 60000]
        [--backends sqlite,postgresql]

For each store (SQLite, and a PostgreSQL database created on 127.0.0.1:5432 and dropped
afterwards): ``tangkal init``, N demo reports (every indicator kind, planted networks),
``tangkal link`` (the networks), and every 37th indicator delisted as an upheld dispute
leaves it. Then both trees serve the same store (uvicorn, one worker each) and are
asked the same things, each request sent to the old server and at once to the new one:

- ``POST /api/v1/check`` in batches of up to 10,000, with and without a country hint, over a
  random sample of ``--values``: stored values of every kind (found), the allowlist (found
  or not, allowlisted), stored phones written nationally and URLs written loosely (found
  after normalisation), near misses of stored values (not found), and strings that are no
  indicator at all (error entries);
- ``GET /api/v1/check?q=`` for the first 3,000 of them.

Response bodies (and status codes) must be identical. Prints the counts per kind and
verdict, and the first differences; exits 1 on any.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import orjson

VENV_BIN = Path(sys.executable).parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
SINGLES = 3_000


_FILE_DEMO = """
import itertools, sys
from tangkal.config import Settings
from tangkal.report.demo import file_demo, generate
from tangkal.store import Store
store = Store(Settings.from_env().database_url)
items = generate(int(sys.argv[1]), 5)
while chunk := list(itertools.islice(items, 1000)):
    with store.begin() as session:
        file_demo(session, chunk)
store.close()
"""


def _build(url: str, reports: int, src: Path) -> None:
    """``init``, the demo reports, then ``link`` (networks recomputed in one go).

    The reports are filed without ``tangkal demo``'s incremental linking: on a fresh
    PostgreSQL store its statement ran for minutes per batch of 1,000 under this machine's
    load (session 7), and ``tangkal link`` makes the same networks from scratch.
    """
    env = {**os.environ, "TANGKAL_DATABASE_URL": url, "PYTHONPATH": str(src)}
    steps = [
        [str(VENV_BIN / "tangkal"), "init"],
        [sys.executable, "-c", _FILE_DEMO, str(reports)],
        [str(VENV_BIN / "tangkal"), "link"],
    ]
    for step in steps:
        done = subprocess.run(step, env=env, capture_output=True)
        if done.returncode:
            raise RuntimeError(f"{step[-1]}: {done.stderr.decode()[-2000:]}")


def _query(url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return db.execute(sql, params).fetchall()
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as db:
        cur = db.execute(sql.replace("%", "%%").replace("?", "%s").encode(), params)
        rows = cur.fetchall() if cur.description else []
        db.commit()
        return rows


def _delist(url: str) -> None:
    """An upheld dispute's mark on every 37th indicator: its reports no longer count."""
    stamp = "2026-10-01 00:00:00.000000" if url.startswith("sqlite") else "2026-10-01T00:00:00Z"
    _query(url, "UPDATE indicators SET delisted_at = ? WHERE id % 37 = 0", (stamp,))


def _near_miss(value: str, rng: random.Random) -> str:
    digits = [i for i, c in enumerate(value) if c.isdigit()]
    if not digits:
        return value + "x"
    i = rng.choice(digits)
    return value[:i] + str((int(value[i]) + 1) % 10) + value[i + 1 :]


def _loose(kind: str, value: str, rng: random.Random) -> str:
    """A stored value written as people write it."""
    if kind == "phone" and value.startswith("+62"):
        rest = value[3:]
        return f"0{rest[:3]}-{rest[3:7]}-{rest[7:]}"
    if kind == "url":
        return value.replace("https://", "hxxps://").replace(".", "[.]", 1)
    if kind == "domain":
        return value.upper() if rng.random() < 0.5 else "www." + value
    return f" {value} "


def sample(url: str, count: int, seed: int = 11) -> list[str]:
    """Stored, allowlisted, loosely written, near-miss and invalid values, shuffled."""
    rng = random.Random(seed)
    stored = _query(url, "SELECT kind, value FROM indicators ORDER BY id")
    allowed = [v for (v,) in _query(url, "SELECT value FROM allowlist ORDER BY id")]
    values = [v for _, v in rng.sample(stored, min(len(stored), count // 2))]
    values += allowed
    values += [_loose(k, v, rng) for k, v in rng.sample(stored, min(len(stored), count // 6))]
    values += [_near_miss(v, rng) for _, v in rng.sample(stored, min(len(stored), count // 6))]
    junk = ["hello there", "###", "12", "0000", "a" * 300, 'quote " and \\ slash', "ünïcödé"]
    values += [rng.choice(junk) + str(i) for i in range(count // 20)]
    rng.shuffle(values)
    return values[:count]


def _serve(src: Path, url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(src),
        "PYTHONHASHSEED": "0",
        "TANGKAL_DATABASE_URL": url,
        "TANGKAL_PUBLIC_RATE_LIMIT": "0",
    }
    proc = subprocess.Popen(
        [str(VENV_BIN / "uvicorn"), "tangkal.web.asgi:app", "--port", str(port),
         "--no-access-log", "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).raise_for_status()
            return proc
        except httpx.HTTPError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.terminate()
                raise RuntimeError(f"server on {port} did not start") from None
            time.sleep(0.2)


def compare(old: Path, new: Path, url: str, values: list[str]) -> tuple[int, list[str]]:
    """Requests sent to both servers, and the differences found."""
    servers = [_serve(old, url, 8141), _serve(new, url, 8142)]
    clients = [httpx.Client(base_url=f"http://127.0.0.1:{p}", timeout=300) for p in (8141, 8142)]
    diffs: list[str] = []
    sent = 0
    tally: collections.Counter[tuple[str, str]] = collections.Counter()
    try:
        for country in (None, "ID", "MY", "TH"):
            for start in range(0, len(values), 10_000):
                body = {"values": values[start : start + 10_000]}
                if country:
                    body["country"] = country  # type: ignore[assignment]
                got = [c.post("/api/v1/check", json=body) for c in clients]
                sent += 1
                if (got[0].status_code, got[0].content) != (got[1].status_code, got[1].content):
                    diffs.append(_first_difference(body, got))
                elif country is None:
                    for r in orjson.loads(got[0].content)["results"]:
                        tally[(r.get("kind", "-"), r.get("verdict", "error"))] += 1
                        for key in ("network", "model_risk", "allowlisted_as"):
                            tally[("(with)", key)] += key in r
                        tally[("(with)", "delisted")] += r.get("evidence", {}).get("delisted", 0)
        for q in values[:SINGLES]:
            got = [c.get("/api/v1/check", params={"q": q}) for c in clients]
            sent += 1
            if (got[0].status_code, got[0].content) != (got[1].status_code, got[1].content):
                diffs.append(f"GET {q!r}: {got[0].content[:300]!r} != {got[1].content[:300]!r}")
    finally:
        for c in clients:
            c.close()
        for s in servers:
            s.terminate()
            s.wait(timeout=60)
    for (kind, verdict), n in sorted(tally.items()):
        print(f"  {kind:14s} {verdict:12s} {n:7d}")
    return sent, diffs


def _first_difference(body: dict[str, Any], got: list[httpx.Response]) -> str:
    if got[0].status_code != got[1].status_code:
        return f"POST: HTTP {got[0].status_code} != {got[1].status_code}"
    a, b = (orjson.loads(g.content)["results"] for g in got)
    for q, x, y in zip(body["values"], a, b, strict=False):
        if x != y:
            return f"POST {q!r}: {x} != {y}"
    return "POST: same answers, different bytes"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--reports", type=int, default=20_000)
    ap.add_argument("--values", type=int, default=60_000)
    ap.add_argument("--backends", default="sqlite,postgresql")
    args = ap.parse_args()
    failed = False
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            if backend == "sqlite":
                url = f"sqlite:///{tmp}/compare.db"
            else:
                name = f"tangkal_compare_{uuid.uuid4().hex[:8]}"
                _admin(f'CREATE DATABASE "{name}"')
                url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
            try:
                _build(url, args.reports, args.new.resolve())
                _delist(url)
                values = sample(url, args.values)
                print(f"{backend}: {len(values)} values", flush=True)
                sent, diffs = compare(args.old.resolve(), args.new.resolve(), url, values)
            finally:
                if backend != "sqlite":
                    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"{backend}: {sent} requests to each tree, {len(diffs)} differing", flush=True)
        for d in diffs[:10]:
            print("  " + d[:600])
        failed = failed or bool(diffs)
    sys.exit(1 if failed else 0)


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as db:
        db.execute(sql.encode())  # names made here, not input


if __name__ == "__main__":
    main()

"""What the HTTP benchmarks share: a store of N phone indicators, a served app, wrk runs.

Used by bench_check.py (the check API against a bare Starlette floor) and bench_pages.py
(the Check page against the check API).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
VENV_BIN = Path(sys.executable).parent
UVICORN = [
    "--workers", "2", "--loop", "uvloop", "--http", "httptools", "--no-access-log",
    "--log-level", "warning",
]  # fmt: skip


def phone(i: int) -> str:
    """The i-th benchmark number: valid Indonesian mobiles, +62 812 xxxx xxxx spans 100M."""
    return f"+62812{i:08d}"


def build_store(path: Path, n: int) -> None:
    """A Tangkal SQLite store holding ``n`` reported phone indicators (built once, cached).

    Each indicator has its own first and last sighting within the year before 2026-11-01,
    as a real store's do: identical timestamps would let every date conversion on the check
    path hit its cache.
    """
    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    env = {**os.environ, "TANGKAL_DATABASE_URL": f"sqlite:///{tmp}"}
    subprocess.run([str(VENV_BIN / "tangkal"), "init"], check=True, env=env, capture_output=True)
    db = sqlite3.connect(tmp)
    db.execute("PRAGMA synchronous=OFF")
    rng = random.Random(7)
    end = dt.datetime(2026, 11, 1)
    year = 365 * 86_400 * 1_000_000  # microseconds

    def when(us_before_end: int) -> str:
        return (end - dt.timedelta(microseconds=us_before_end)).isoformat(" ", "microseconds")

    batch = 200_000
    for start in range(0, n, batch):
        rows = []
        for i in range(start, min(n, start + batch)):
            first = rng.randrange(year)
            last, updated = when(rng.randrange(first + 1)), when(0)
            rows.append((
                "phone", phone(i), rng.randint(1, 9), rng.randint(1, 5), rng.randint(0, 1),
                "ID,MY", "investment", when(first), last, rng.randint(0, 5000), "national",
                "AMBER", updated,
            ))  # fmt: skip
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


def warm(path: Path) -> float:
    """Read the store once so that the servers find it in the page cache (seconds taken)."""
    t = time.perf_counter()
    with path.open("rb") as f:
        while f.read(1 << 24):
            pass
    return round(time.perf_counter() - t, 1)


_LUA = """
local n = {n}
math.randomseed(42)
request = function()
  local i = math.random(0, n - 1)
  return wrk.format("GET", string.format("{path}", i))
end
"""


def wrk(path: str, port: int, n: int, duration: int, connections: int = 64) -> dict[str, float]:
    """Requests/s and latency percentiles of GET ``path % i`` for random i < n."""
    script = OUT / f"wrk_{port}.lua"
    script.write_text(_LUA.replace("{n}", str(n)).replace("{path}", path))
    return run_wrk(script, port, duration, connections)


def run_wrk(script: Path, port: int, duration: int, connections: int = 64) -> dict[str, float]:
    """Requests/s and latency percentiles of a wrk Lua script against the local port."""
    text = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    assert rps, text

    def pct(p: str) -> float:
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", text)
        assert m, text
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {"rps": float(rps.group(1)), "p50_ms": pct("50"), "p99_ms": pct("99"),
            "non_2xx": int(non2xx.group(1)) if non2xx else 0}  # fmt: skip


def serve(app: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """``uvicorn APP`` with the benchmark settings, once every worker answers."""
    proc = subprocess.Popen(
        [str(VENV_BIN / "uvicorn"), app, "--port", str(port), *UVICORN],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120  # imports are slow on a busy machine
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=0.5)
            time.sleep(1.0)  # let every worker finish starting
            return proc
        except httpx.HTTPError:
            if time.monotonic() > deadline or proc.poll() is not None:
                stop(proc)
                err = proc.stderr.read() if proc.stderr else b""
                raise RuntimeError(f"server on {port} did not start: {err!r}") from None
            time.sleep(0.1)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)

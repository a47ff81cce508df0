"""The floor for the check benchmark: a bare Starlette app doing the same SQLite point lookup.

No normalisation, no verdict, no evidence shaping: what a hand-tuned minimal service does.
Run by bench_check.py with the same uvicorn settings as Tangkal.
"""

from __future__ import annotations

import os
import sqlite3

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

DB = os.environ["BARE_DB"]
_conn: sqlite3.Connection | None = None


def conn() -> sqlite3.Connection:
    global _conn
    if _conn is None:
        _conn = sqlite3.connect(f"file:{DB}?mode=ro", uri=True, check_same_thread=False)
    return _conn


async def check(request: Request) -> JSONResponse:
    q = request.query_params["q"]
    row = (
        conn()
        .execute(
            "SELECT kind, value, report_count, reporter_count FROM indicators WHERE kind = ? AND value = ?",
            ("phone", q),
        )
        .fetchone()
    )
    return JSONResponse({"value": q, "row": list(row) if row else None})


async def batch(request: Request) -> JSONResponse:
    values = (await request.json())["values"]
    out = {}
    c = conn()
    for i in range(0, len(values), 500):
        chunk = values[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for v, n in c.execute(
            f"SELECT value, report_count FROM indicators WHERE kind = 'phone' AND value IN ({marks})",
            chunk,
        ):
            out[v] = n
    return JSONResponse({"results": [out.get(v) for v in values]})


app = Starlette(routes=[Route("/check", check), Route("/batch", batch, methods=["POST"])])

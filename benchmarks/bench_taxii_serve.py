"""TAXII serving: a collection of up to 1,000,000 objects read by taxii2-client.

Prints JSON: first-page latency (median of repeated GETs, limit 1000) at each size, the
full-collection read rate with taxii2-client (with the median wait and parse per page and
the CPU per page of server and client), and in the same run these baselines: a bare
SQLite scan of the same stored JSON (the floor), taxii2-client's JSON parse of one page,
taxii2-client reading as many objects from a static server that does no work (the
client's own ceiling over HTTP, ``ratio_to_static_server``), and the OASIS reference
server medallion (memory backend) at 1,000 and 10,000 objects (first page).

    .venv/bin/python benchmarks/bench_taxii_serve.py [--max 1000000] [--medallion 10000]

The Tangkal server runs as ``tangkal serve`` in its own process over a SQLite store whose
``stix_objects`` rows are written in bulk with the real mapping (share.stix).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import orjson
import requests
from requests.compat import json as requests_json  # type: ignore[attr-defined]  # the parser requests uses
from sqlalchemy import insert
from taxii2client.v21 import Collection, as_pages

from tangkal.access.tokens import add_organisation, create_token
from tangkal.share import stix
from tangkal.share.models import StixObject
from tangkal.store import Store, upgrade

VENV_BIN = Path(sys.executable).parent
NODE = "bench-node"
NODE_ID = stix.identity(NODE, node=NODE, country="ID")["id"]
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


class Ind:
    def __init__(self, i: int) -> None:
        self.kind = "phone"
        self.value = f"+62812{i:08d}"
        self.attributes: dict[str, Any] | None = {}
        self.first_seen: dt.datetime | None = START
        self.updated_at = START + dt.timedelta(seconds=i)
        self.delisted_at: dt.datetime | None = None
        self.typologies = "investment"


def _row(i: int) -> dict[str, Any]:
    obj = stix.indicator_to_stix(
        Ind(i), node_identity_id=NODE_ID, node=NODE, distribution="asean", tlp="GREEN",
        evidence={"report_count": 3, "reporter_count": 2, "countries": ["ID", "MY"]},
    )  # fmt: skip
    return {
        "collection": "asean", "stix_id": obj["id"], "type": "indicator",
        "version": obj["modified"], "date_added": START + dt.timedelta(microseconds=i),
        "latest": True, "distribution": "asean", "tlp": "GREEN", "handling": "",
        "indicator_id": None, "body": orjson.dumps(obj).decode(),
    }  # fmt: skip


def fill(store: Store, start: int, stop: int) -> None:
    for lo in range(start, stop, 20_000):
        with store.begin() as session:
            session.execute(
                insert(StixObject), [_row(i) for i in range(lo, min(stop, lo + 20_000))]
            )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited early")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("server did not start")


def first_page(coll: Collection, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        env = coll.get_objects(limit=1000)
        times.append(time.perf_counter() - t)
        assert len(env["objects"]) > 0
    return statistics.median(times)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc): load-independent cost."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def full_read(coll: Collection, per_request: int, server_pid: int) -> dict[str, Any]:
    """Read the whole collection with taxii2-client; split the time per page.

    ``wait`` is the HTTP exchange (the server reading and sending a page), ``parse`` is
    taxii2-client's JSON parse of it; with the server's read-ahead the next page is built
    during the parse, so ``wait`` is what is left of the server on the client's clock.
    """
    session = coll._conn.session  # taxii2-client's requests.Session
    plain_get = session.get
    waits: list[float] = []
    parses: list[float] = []

    def timed_get(*args: Any, **kwargs: Any) -> requests.Response:
        t = time.perf_counter()
        response: requests.Response = plain_get(*args, **kwargs)
        waits.append(time.perf_counter() - t)
        plain_json = response.json

        def timed_json(**kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return plain_json(**kw)
            finally:
                parses.append(time.perf_counter() - t)

        response.json = timed_json  # type: ignore[method-assign]  # timing only
        return response

    session.get = timed_get  # timing only
    server_cpu = _cpu_seconds(server_pid)
    client_cpu = time.process_time()
    t = time.perf_counter()
    ids: set[str] = set()
    count = 0
    try:
        for env in as_pages(coll.get_objects, per_request=per_request):
            for o in env.get("objects", []):
                ids.add(o["id"])
                count += 1
    finally:
        session.get = plain_get
    seconds = time.perf_counter() - t
    pages = max(len(waits), 1)
    return {
        "objects": count, "unique": len(ids), "seconds": round(seconds, 2),
        "objects_per_s": round(count / seconds), "per_request": per_request, "pages": pages,
        "median_wait_ms": round(statistics.median(waits) * 1000, 1),
        "median_parse_ms": round(statistics.median(parses) * 1000, 1),
        "server_cpu_ms_per_page": round((_cpu_seconds(server_pid) - server_cpu) / pages * 1000, 1),
        "client_cpu_ms_per_page": round((time.process_time() - client_cpu) / pages * 1000, 1),
    }  # fmt: skip


def bare_scan(db: Path) -> float:
    """Objects/s reading the stored JSON straight from SQLite and parsing it: the floor."""
    conn = sqlite3.connect(db)
    t = time.perf_counter()
    n = 0
    for (body,) in conn.execute("SELECT body FROM stix_objects ORDER BY date_added, seq"):
        orjson.loads(body)
        n += 1
    conn.close()
    return n / (time.perf_counter() - t)


def client_parse_floor(db: Path, n: int = 10_000) -> float:
    """Objects/s of parsing one stored page with the JSON library taxii2-client uses.

    taxii2-client reads every envelope with ``requests``' ``Response.json()`` (simplejson
    when installed, else the standard library): its ceiling, whatever the server does.
    """
    conn = sqlite3.connect(db)
    rows = [b for (b,) in conn.execute("SELECT body FROM stix_objects LIMIT ?", (n,))]
    conn.close()
    text = '{"more":false,"objects":[' + ",".join(rows) + "]}"
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        requests_json.loads(text)
        best = min(best, time.perf_counter() - t)
    return len(rows) / best


# A TAXII server that does no work: every objects page is the same stored 10,000 objects,
# already joined, behind a counter for ``next``. taxii2-client reading it is the fastest
# this client goes over HTTP here, at this moment: the ceiling of any server.
_STATIC_SERVER = """
import sys
from urllib.parse import parse_qs

import uvicorn

port, path, pages = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
objects = open(path, "rb").read()
info = (b'{"id":"static","title":"static","can_read":true,"can_write":false,'
        b'"media_types":["application/stix+json;version=2.1"]}')


async def app(scope, receive, send):
    if scope["path"].endswith("/objects/"):
        n = int(parse_qs(scope["query_string"].decode()).get("next", ["0"])[0])
        head = (b'{"more":true,"next":"%d","objects":[' % (n + 1) if n + 1 < pages
                else b'{"more":false,"objects":[')
        body = head + objects + b"]}"
    else:
        body = info
    await send({"type": "http.response.start", "status": 200, "headers": [
        (b"content-type", b"application/taxii+json;version=2.1"),
        (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


uvicorn.run(app, host="127.0.0.1", port=port, loop="uvloop", http="httptools",
            lifespan="off", access_log=False, log_level="warning")
"""


def static_server_read(tmp: Path, db: Path, objects: int, per_request: int) -> dict[str, Any]:
    """taxii2-client reading ``objects`` objects from a server that does no work."""
    conn = sqlite3.connect(db)
    rows = [b for (b,) in conn.execute("SELECT body FROM stix_objects LIMIT ?", (per_request,))]
    conn.close()
    (tmp / "static-page.json").write_text(",".join(rows))
    port = free_port()
    pages = max(objects // len(rows), 1)
    proc = subprocess.Popen(
        [sys.executable, "-c", _STATIC_SERVER, str(port), str(tmp / "static-page.json"),
         str(pages)],
    )  # fmt: skip
    try:
        wait_port(port, proc)
        coll = Collection(f"http://127.0.0.1:{port}/static/collections/x/")
        assert coll.can_read  # loads the collection's information before the timed read
        return full_read(coll, len(rows), proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def medallion_first_page(tmp: Path, n: int) -> float:
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    objects, manifest = [], []
    for i in range(n):
        obj = orjson.loads(_row(i)["body"])
        added = stix.timestamp(START + dt.timedelta(milliseconds=i))
        objects.append(obj)
        manifest.append({"id": obj["id"], "date_added": added, "version": obj["modified"],
                         "media_type": "application/stix+json;version=2.1"})  # fmt: skip
    cid = str(uuid.uuid4())
    data = {
        "/discovery": {"title": "m", "default": f"{root}/api1/", "api_roots": [f"{root}/api1/"]},
        "api1": {
            "information": {
                "title": "api1",
                "versions": ["application/taxii+json;version=2.1"],
                "max_content_length": 100_000_000,
            },
            "status": [],
            "collections": [
                {
                    "id": cid,
                    "title": "bench",
                    "can_read": True,
                    "can_write": True,
                    "media_types": ["application/stix+json;version=2.1"],
                    "objects": objects,
                    "manifest": manifest,
                }
            ],
        },
    }
    (tmp / f"medallion-{n}.json").write_text(json.dumps(data))
    config = {
        "backend": {
            "module": "medallion.backends.memory_backend",
            "module_class": "MemoryBackend",
            "filename": str(tmp / f"medallion-{n}.json"),
        },
        "users": {"admin": "Password0"},
        "taxii": {"max_page_size": 1000},
    }
    (tmp / "medallion-config.json").write_text(json.dumps(config))
    proc = subprocess.Popen(
        [str(VENV_BIN / "medallion"), "--port", str(port), str(tmp / "medallion-config.json")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_port(port, proc)
        coll = Collection(f"{root}/api1/collections/{cid}/", user="admin", password="Password0")
        return first_page(coll, 1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max", type=int, default=1_000_000)
    parser.add_argument("--medallion", type=int, default=10_000)
    parser.add_argument("--per-request", type=int, default=10_000)
    args = parser.parse_args()
    sizes = [n for n in (1_000, 10_000, 100_000, 1_000_000) if n <= args.max]
    out: dict[str, Any] = {
        "benchmark": "taxii_serve",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        "sizes": sizes,
    }
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = tmp / "serve.db"
        url = f"sqlite:///{db}"
        store = Store(url)
        upgrade(store.engine)
        with store.begin() as session:
            org = add_organisation(session, "PDRM", "MY", "police")
            token = create_token(session, org, "peer")
        port = free_port()
        env = {**os.environ, "TANGKAL_DATABASE_URL": url, "TANGKAL_NODE_NAME": NODE,
               "TANGKAL_PUBLIC_RATE_LIMIT": "0"}  # fmt: skip
        proc = subprocess.Popen(
            [str(VENV_BIN / "tangkal"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_port(port, proc)
            coll = Collection(
                f"http://127.0.0.1:{port}/taxii2/api/collections/asean/",
                user="PDRM", password=token,
            )  # fmt: skip
            filled = 0
            latency: dict[str, float] = {}
            t_fill = 0.0
            for n in sizes:
                t = time.perf_counter()
                fill(store, filled, n)
                t_fill += time.perf_counter() - t
                filled = n
                latency[str(n)] = round(first_page(coll, 7) * 1000, 1)
                print(f"first page at {n}: {latency[str(n)]} ms", file=sys.stderr, flush=True)
            out["fill_seconds"] = round(t_fill, 1)
            out["first_page_ms_limit_1000"] = latency
            out["full_read"] = full_read(coll, args.per_request, proc.pid)
            print(json.dumps(out["full_read"]), file=sys.stderr, flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            store.close()
        out["baseline_bare_sqlite_scan_objects_per_s"] = round(bare_scan(db))
        out["baseline_client_json_parse_objects_per_s"] = round(client_parse_floor(db))
        static = static_server_read(tmp, db, out["full_read"]["objects"], args.per_request)
        out["baseline_static_server"] = static
        out["ratio_to_static_server"] = round(
            out["full_read"]["objects_per_s"] / static["objects_per_s"], 2
        )
        out["loadavg_after_tangkal"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps(out), file=sys.stderr, flush=True)  # partial results, in case
        med: dict[str, float] = {}
        for n in sorted({1_000, args.medallion} - {0}):
            med[str(n)] = round(medallion_first_page(tmp, n) * 1000, 1)
            print(f"medallion first page at {n}: {med[str(n)]} ms", file=sys.stderr, flush=True)
        out["baseline_medallion_first_page_ms"] = med
        out["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

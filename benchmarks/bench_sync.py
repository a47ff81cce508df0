"""Pulling and pushing between Tangkal nodes on loopback.

Prints JSON with, in one run:
- ``fetch_validate``: objects/s read from a peer's TAXII server and structurally checked
  by ``share.client`` (median of 3 reads of the whole collection);
- ``pull_end_to_end``: objects/s fetched, checked and stored by ``share.sync.pull`` into a
  fresh SQLite store (checkpoints and reports included), the median of ``--pulls`` pulls;
  ``pull_cpu_s``: CPU seconds of this process per pull (fetch thread and store thread),
  which a loaded machine stretches much less than the wall time;
- ``stix2_parse_baseline``: objects/s of ``stix2.parse`` on the same objects (why the hot
  path does not build library objects);
- ``push_latency``: seconds from a report filed and published at node A to a changed
  verdict in node B's check (median and p90 over ``--pushes`` reports).

    .venv/bin/python benchmarks/bench_sync.py [--values 20000] [--pushes 15] [--pulls 2]

Node A runs as ``tangkal serve`` in its own process; its ``stix_objects`` are written with
the real mapping (share.stix) and ``share.publish.write_rows``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

from tangkal.access.tokens import add_organisation, create_token
from tangkal.check.lookup import check_one
from tangkal.config import Secret, Settings
from tangkal.report.intake import file_reports
from tangkal.report.models import ReportIndicator
from tangkal.report.prepare import prepare
from tangkal.report.schema import parse_report
from tangkal.share import stix
from tangkal.share.client import TaxiiClient
from tangkal.share.peers import add_peer, node_key
from tangkal.share.publish import NodeIdentity, Row, materialise, write_rows
from tangkal.share.sync import import_ingest, pull
from tangkal.store import Store, upgrade
from tangkal.web.app import create_app

VENV_BIN = Path(sys.executable).parent
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


class _Ind:
    """The indicator columns the mapping reads, without a database row."""

    def __init__(self, i: int) -> None:
        self.kind, self.value = "phone", f"+60123{i:06d}"
        self.attributes: dict[str, Any] | None = {"country": "MY"}
        self.first_seen: dt.datetime | None = START
        self.updated_at = START + dt.timedelta(seconds=i)
        self.delisted_at: dt.datetime | None = None
        self.typologies = "investment"


def _rows(i: int, node: NodeIdentity) -> list[Row]:
    ind = _Ind(i)
    evidence = {"report_count": 2, "reporter_count": 2, "countries": ["MY"]}
    obj = stix.indicator_to_stix(
        ind, node_identity_id=node.identity_id, node=node.name, distribution="asean",
        tlp="GREEN", evidence=evidence,
    )  # fmt: skip
    sighting = stix.sighting_to_stix(
        indicator=obj, count=2, countries=["MY"], first_seen=START, last_seen=START,
        node_identity_id=node.identity_id,
    )  # fmt: skip
    return [
        Row("asean", obj, "asean", "GREEN"),
        Row("asean", stix.observable(ind.kind, ind.value, ind.attributes), "asean", "GREEN"),
        Row("asean", sighting, "asean", "GREEN"),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("server did not start")


def prepare_a(tmp: Path, values: int) -> tuple[str, str]:
    """Node A's store with ``values`` indicators served; returns (url, token issued to B)."""
    url = f"sqlite:///{tmp / 'a.db'}"
    store = Store(url)
    upgrade(store.engine)
    node = NodeIdentity("MY", "MY")
    with store.begin() as session:
        org = add_organisation(session, "ID", "ID", "partner", node="ID")
        token = create_token(session, org, "peer")
    for lo in range(0, values, 5000):
        with store.begin() as session:
            write_rows(
                session, [r for i in range(lo, min(values, lo + 5000)) for r in _rows(i, node)]
            )
    store.close()
    return url, token


def new_b(tmp: Path, name: str, api_root: str, token: str) -> tuple[Store, bytes]:
    store = Store(f"sqlite:///{tmp / name}")
    upgrade(store.engine)
    key = node_key(Settings(data_dir=str(tmp / "var-b")))
    with store.begin() as session:
        add_organisation(session, "MY", "MY", "partner", trusted=True, node="MY")
        add_peer(session, "MY", api_root, token, key=key, country="MY", collections=["asean"])
    return store, key


def fetch_validate(api_root: str, token: str) -> tuple[int, float]:
    t = time.perf_counter()
    n = 0
    with TaxiiClient(api_root, Secret(token), page_limit=10_000) as client:
        for page in client.pages("asean", None):
            n += len(page.objects)
    return n, time.perf_counter() - t


def stix2_baseline(api_root: str, token: str, sample: int = 3000) -> float:
    import stix2

    with TaxiiClient(api_root, Secret(token), page_limit=sample) as client:
        objects = next(iter(client.pages("asean", None))).objects
    t = time.perf_counter()
    for o in objects:
        stix2.parse(o, allow_custom=True)
    return len(objects) / (time.perf_counter() - t)


class _Server:
    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def push_latency(tmp: Path, pushes: int) -> list[float]:
    """Two in-process nodes: a report published at A, polled for at B's check."""
    nodes: dict[str, tuple[Store, Settings]] = {}
    for name, country in (("MY", "MY"), ("ID", "ID")):
        store = Store(f"sqlite:///{tmp / f'push-{name}.db'}")
        upgrade(store.engine)
        settings = Settings(
            database_url=store.url, node_name=name, node_country=country,
            data_dir=str(tmp / f"var-{name}"), sync_interval_seconds=0,
        )  # fmt: skip
        nodes[name] = (store, settings)
    servers = {n: _Server(create_app(s, st)) for n, (st, s) in nodes.items()}
    (a, a_cfg), (b, _) = nodes["MY"], nodes["ID"]
    with b.begin() as session:
        org = add_organisation(session, "MY", "MY", "partner", node="MY")
        token_for_a = create_token(session, org, "peer")
    with a.begin() as session:
        add_peer(
            session, "ID", f"{servers['ID'].url}/taxii2/api/", token_for_a,
            key=node_key(a_cfg), country="ID", our_org="MY",
        )  # fmt: skip
    me = NodeIdentity("MY", "MY")
    times: list[float] = []
    try:
        for i in range(pushes):
            value = f"+60129{i:06d}"
            t = time.perf_counter()
            data = parse_report({"victim_country": "MY", "indicators": [{"value": value}],
                                 "distribution": "asean", "tlp": "GREEN"})  # fmt: skip
            with a.begin() as session:
                filed = file_reports(session, [prepare(data, "bank:1")], reporter_key="bank:1",
                                     trusted=True)[0]  # fmt: skip
                ids = session.query(ReportIndicator.indicator_id).filter_by(
                    report_id=filed.report_id
                )
                materialise(session, [r[0] for r in ids], node=me)
            while True:
                with b.read() as session:
                    if check_one(session, value).verdict != "no_reports":
                        break
                if time.perf_counter() - t > 30:
                    raise RuntimeError(f"push {i} did not arrive in 30 s")
                time.sleep(0.005)
            times.append(time.perf_counter() - t)
    finally:
        for s in servers.values():
            s.stop()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--values", type=int, default=20_000)
    parser.add_argument("--pushes", type=int, default=15)
    parser.add_argument("--pulls", type=int, default=2, help="whole pulls into fresh stores")
    args = parser.parse_args()
    out: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        "values": args.values,
    }
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        url, token = prepare_a(tmp, args.values)
        port = free_port()
        env = {
            **os.environ, "TANGKAL_DATABASE_URL": url, "TANGKAL_NODE_NAME": "MY",
            "TANGKAL_NODE_COUNTRY": "MY", "TANGKAL_SYNC_INTERVAL_SECONDS": "0",
            "TANGKAL_DATA_DIR": str(tmp / "var-a"),
        }  # fmt: skip
        with (tmp / "a.log").open("wb") as log:
            proc = subprocess.Popen(
                [str(VENV_BIN / "tangkal"), "serve", "--port", str(port)], env=env,
                stdout=subprocess.DEVNULL, stderr=log,
            )  # fmt: skip
        try:
            wait_port(port)
            api_root = f"http://127.0.0.1:{port}/taxii2/api/"
            reads = [fetch_validate(api_root, token) for _ in range(3)]
            n = reads[0][0]
            out["objects"] = n
            out["fetch_validate_objects_per_s"] = round(n / statistics.median(t for _, t in reads))
            rates, cpu = [], []
            for rep in range(args.pulls):
                b, key = new_b(tmp, f"b{rep}.db", api_root, token)
                c, t = time.process_time(), time.perf_counter()
                run = pull(b, "MY", node_key=key,
                           ingest=import_ingest, client_options={"page_limit": 10_000})  # fmt: skip
                elapsed, used = time.perf_counter() - t, time.process_time() - c
                assert run.ok, run.as_dict()
                assert sum(c.objects for c in run.collections) == n
                rates.append(n / elapsed)
                cpu.append(used)
                b.close()
            out["pull_end_to_end_objects_per_s"] = round(statistics.median(rates))
            out["pull_runs_objects_per_s"] = [round(r) for r in rates]
            # CPU of this (the pulling) process, both threads: the load-independent figure.
            out["pull_cpu_s"] = [round(x, 3) for x in cpu]
            out["pull_objects_per_cpu_s"] = round(n / statistics.median(cpu))
            out["pull_indicators_per_s"] = round(statistics.median(rates) * args.values / n)
            out["stix2_parse_baseline_objects_per_s"] = round(stix2_baseline(api_root, token))
        except Exception:
            sys.stderr.write((tmp / "a.log").read_text()[-3000:])
            raise
        finally:
            proc.terminate()
            proc.wait(30)
        lat = push_latency(tmp, args.pushes)
        out["push_latency_s"] = {
            "median": round(statistics.median(lat), 3),
            "p90": round(sorted(lat)[int(0.9 * (len(lat) - 1))], 3),
            "max": round(max(lat), 3),
            "n": len(lat),
        }
    out["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

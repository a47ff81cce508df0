"""Summaries stay fresh in a running node: the refresher of ``tangkal serve``, on both stores."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from tangkal.cli import main
from tangkal.measure import refresh
from tangkal.measure.models import DailyFlow, DailyVolume, MeasureState, MonthlyFlow, MonthlyVolume
from tangkal.measure.refresher import Refresher, refresh_if_due
from tangkal.measure.summaries import tail_size
from tangkal.store import Store
from tangkal.store.base import utcnow
from tests.factories import file_report, org_with_token

REPORT = {
    "victim_country": "MY",
    "narrative": "Told to pay RM900 to Maybank 5140 1234 5678 and WhatsApp +60 12-345 6789",
    "channel": "whatsapp",
    "typology": "job_task",
    "loss_amount": "900.00",
    "loss_currency": "MYR",
    "payment_method": "bank_transfer",
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def summarised(store: Store, country: str) -> tuple[int, int, int]:
    """(last summarised report id, reports of ``country`` in measure_daily, in measure_flows)."""
    with store.read() as s:
        state = s.get(MeasureState, 1)
        daily = s.scalar(
            select(func.coalesce(func.sum(DailyVolume.reports), 0)).where(
                DailyVolume.dimension == "all", DailyVolume.country == country
            )
        )
        flows = s.scalar(
            select(func.coalesce(func.sum(DailyFlow.reports), 0)).where(
                DailyFlow.kind == "any", DailyFlow.victim_country == country
            )
        )
    return (state.last_report_id if state else 0), int(daily or 0), int(flows or 0)


def test_a_report_filed_through_the_api_is_in_the_summaries_after_refresh(
    client: httpx.Client, store: Store
) -> None:
    reporter = org_with_token(store, "Maybank Fraud", "reporter", country="MY", type="bank")[1]
    analyst = org_with_token(store, "Cyber ID", "analyst", country="ID")[1]
    refresher = Refresher(store, 60)
    assert refresher.tick() is None  # an empty store: nothing to fold
    filed = client.post("/api/v1/reports", json=REPORT, headers=bearer(reporter))
    assert filed.status_code == 201, filed.text
    with store.read() as s:
        assert tail_size(s) == 1
    assert summarised(store, "MY") == (0, 0, 0)

    done = refresher.tick()
    assert done is not None and done["to_report_id"] >= 1
    with store.read() as s:
        assert tail_size(s) == 0  # the figures below come from the summaries alone
    last, daily, flows = summarised(store, "MY")
    assert (daily, flows) == (1, 1) and last == done["to_report_id"]
    assert refresher.tick() is None  # nothing new: no write, no lock

    today = utcnow().date().isoformat()
    params = {"since": today, "until": today, "exact": "1"}
    volumes = client.get(
        "/api/v1/stats/volumes", params={**params, "by": "typology"}, headers=bearer(analyst)
    ).json()
    assert [(r["key"], r["reports"]) for r in volumes["rows"]] == [("job_task", 1)]
    assert volumes["rows"][0]["loss_usd"] != "0.00"
    flows_fig = client.get("/api/v1/stats/flows", params=params, headers=bearer(analyst)).json()
    assert [(r["victim_country"], r["infra_country"], r["reports"]) for r in flows_fig["rows"]] == [
        ("MY", "MY", 1)
    ]
    outcomes = client.get("/api/v1/stats/outcomes", params=params, headers=bearer(analyst)).json()
    assert outcomes["totals"]["reports"] == 1


def test_concurrent_refreshes_fold_each_report_once(store: Store) -> None:
    for i in range(30):
        file_report(store, f"citizen:{i}", narrative=f"call +60 12-345 {6700 + i}")
    refresh_if_due(store)  # the state row exists: what follows is the incremental path
    for i in range(30, 70):
        file_report(store, f"citizen:{i}", narrative=f"call +60 12-345 {6700 + i}")
    errors: list[BaseException] = []

    def fold() -> None:
        try:
            refresh_if_due(store)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=fold) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    last, daily, _flows = summarised(store, "ID")
    assert daily == 70
    with store.read() as s:
        assert tail_size(s) == 0 and last == s.scalar(select(func.max(MeasureState.last_report_id)))


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return not any(line.startswith("State:\tZ") for line in status)
    except FileNotFoundError:
        return False


def test_the_refresher_process_folds_new_reports_and_leaves_with_its_parent(
    store: Store, tmp_path: Any
) -> None:
    """What ``serve`` does, with a sleeping stand-in for uvicorn as the parent."""
    env = {
        **os.environ,
        "TANGKAL_DATABASE_URL": store.url,
        "TANGKAL_DATA_DIR": str(tmp_path / "var"),
        "TANGKAL_MEASURE_REFRESH_SECONDS": "1",
    }
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from tangkal.config import Settings\n"
            "from tangkal.measure.refresher import spawn\n"
            "print(spawn(Settings.from_env()).pid, flush=True)\n"
            "time.sleep(120)\n",
        ],
        env=env,
        stdout=subprocess.PIPE,
        cwd=tmp_path,
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        file_report(store, "citizen:1", victim_country="MY", narrative="call +60 12-345 6789")
        deadline = time.monotonic() + 30
        while summarised(store, "MY")[1] != 1:
            assert time.monotonic() < deadline, "the refresher did not fold the report"
            time.sleep(0.2)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 15
    while _alive(child):
        assert time.monotonic() < deadline, "the refresher outlived the serving process"
        time.sleep(0.2)


def test_serve_starts_one_refresher_unless_disabled(
    store: Store, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[list[str]] = []
    execs: list[list[str]] = []

    class FakePopen:
        def __init__(self, args: list[str], **_kw: Any) -> None:
            started.append(args)
            self.pid = 0

    def fake_exec(_path: str, args: list[str]) -> None:
        execs.append(args)

    monkeypatch.setattr("tangkal.measure.refresher.subprocess.Popen", FakePopen)
    monkeypatch.setattr("tangkal.cli.node.os.execv", fake_exec)
    monkeypatch.setenv("TANGKAL_DATABASE_URL", store.url)
    monkeypatch.setenv("TANGKAL_DATA_DIR", str(tmp_path / "var"))
    runner = CliRunner()
    assert runner.invoke(main, ["serve", "--workers", "2"]).exit_code == 0
    assert len(started) == 1 and started[0][1:3] == ["-m", "tangkal.measure.refresher"]
    assert started[0][-2:] == ["--parent", str(os.getpid())]
    assert "--workers" in execs[0] and "2" in execs[0]
    monkeypatch.setenv("TANGKAL_MEASURE_REFRESH_SECONDS", "0")
    assert runner.invoke(main, ["serve"]).exit_code == 0
    assert len(started) == 1 and len(execs) == 2


def _summaries(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    with store.read() as s:
        for model in (DailyVolume, DailyFlow, MonthlyVolume, MonthlyFlow):
            table: Any = model.__table__
            rows = s.execute(select(table).order_by(*table.primary_key.columns))
            out[str(table.name)] = [tuple(str(v) for v in row) for row in rows]
    return out


def test_a_chunked_first_build_equals_one_full_refresh(store: Store) -> None:
    phones = ("+60 12-345 6789", "+855 12 345 678", "+66 81 234 5678")
    for i in range(11):
        file_report(
            store,
            f"citizen:{i}",
            victim_country=("MY", "ID", "TH")[i % 3],
            received_at=f"2026-{9 + i % 2:02d}-{1 + i:02d}T09:00:00Z",
            typology=("investment", "romance")[i % 2],
            loss_amount=str(10 * i + 1),
            loss_currency="USD",
            narrative=f"call {phones[i % 3]}",
        )
    done = refresh_if_due(store, chunk=3)
    assert done is not None and done["full"] and done["remaining"] == 0
    with store.read() as s:
        assert tail_size(s) == 0
    chunked = _summaries(store)
    assert chunked["measure_monthly"] and chunked["measure_flows_monthly"]
    with store.begin() as s:
        refresh(s, full=True)
    assert _summaries(store) == chunked

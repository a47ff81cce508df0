"""The core commands, run in-process against real stores (the console script in one test)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tangkal.cli import main
from tangkal.store import Store
from tests.conftest import drop_store_url, new_store_url


def test_init_is_idempotent(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = new_store_url(backend, tmp_path)
    monkeypatch.setenv("TANGKAL_DATABASE_URL", url)
    try:
        first = CliRunner().invoke(main, ["init", "--json"])
        second = CliRunner().invoke(main, ["init", "--json"])
        assert first.exit_code == 0, first.output
        assert second.exit_code == 0, second.output
        assert json.loads(first.output)["allowlist_added"] > 0
        assert json.loads(second.output)["allowlist_added"] == 0
    finally:
        drop_store_url(url)


def test_commands_refuse_an_uninitialised_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TANGKAL_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    result = CliRunner().invoke(main, ["check", "+6281234567890"])
    assert result.exit_code != 0
    assert "tangkal init" in result.output


def test_org_and_token_then_check(runner: CliRunner) -> None:
    r = runner.invoke(main, ["org", "add", "--name", "PDRM", "--country", "MY", "--type", "police"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["token", "create", "--org", "PDRM", "--role", "analyst"])
    assert r.exit_code == 0 and r.output.startswith("tgk_")
    r = runner.invoke(main, ["check", "0812-3456-7890", "--country", "ID", "--json"])
    assert r.exit_code == 0
    assert json.loads(r.output)["verdict"] == "no_reports"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["org", "add", "--name", "X", "--country", "XX", "--type", "police"], 2),
        (["token", "create", "--org", "Nobody", "--role", "analyst"], 3),
        (["check", "hello world"], 2),
        (["check", "+6281234567890", "--country", "ZZ"], 2),
    ],
)
def test_bad_input_gives_message_and_exit_code(
    runner: CliRunner, args: list[str], code: int
) -> None:
    r = runner.invoke(main, args)
    assert r.exit_code == code, r.output
    assert "Error" in r.output


def test_analyze_jsonl_keeps_order_and_flags_bad_lines(runner: CliRunner) -> None:
    lines = [
        {"text": "WA 0812-3456-7890", "country": "ID"},
        {"text": "โอนเงินเข้าบัญชีกสิกร 123-4-56789-0", "country": "TH"},
        "not an object",
    ]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\n"
    r = runner.invoke(main, ["analyze", "--jsonl"], input=stdin)
    assert r.exit_code == 1
    out = [json.loads(x) for x in r.output.strip().splitlines()]
    assert len(out) == 3
    assert out[0]["indicators"][0]["value"] == "+6281234567890"
    assert out[1]["language"] == "th"
    assert "line 3" in out[2]["error"]


def test_console_script_runs(store: Store) -> None:
    env = {**os.environ, "TANGKAL_DATABASE_URL": store.url}
    exe = Path(sys.executable).with_name("tangkal")
    done = subprocess.run(
        [str(exe), "analyze", "--json", "Call +60 12-345 6789 now"],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["indicators"][0]["value"] == "+60123456789"


def test_audit_verify_reports_tampering(runner: CliRunner, store: Store) -> None:
    runner.invoke(main, ["org", "add", "--name", "A", "--country", "TH", "--type", "police"])
    runner.invoke(main, ["org", "add", "--name", "B", "--country", "TH", "--type", "police"])
    assert runner.invoke(main, ["audit", "verify"]).exit_code == 0
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE audit_log SET actor = 'x' WHERE id = (SELECT min(id) FROM audit_log)"
        )
    r = runner.invoke(main, ["audit", "verify"])
    assert r.exit_code == 1
    assert "FAILED" in r.output


def test_serve_with_two_workers_answers(store: Store) -> None:
    """Worker processes must start: uvicorn.run() inside click once let them die silently."""
    import time

    import httpx

    from tests.conftest import free_port

    port = free_port()
    env = {**os.environ, "TANGKAL_DATABASE_URL": store.url}
    exe = Path(sys.executable).with_name("tangkal")
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.HTTPError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "tangkal serve did not answer"
                time.sleep(0.5)
        assert r.json()["status"] == "ok"
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
        if proc.stderr:
            proc.stderr.close()

"""``tangkal import`` in-process against real stores: exit codes, output and idempotency."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import orjson
from click.testing import CliRunner
from sqlalchemy import func, select

from tangkal.cli import main
from tangkal.report.demo import generate
from tangkal.report.models import Report
from tangkal.store import Store

UNTIL = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def reports(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Report)) or 0)


def jsonl(path: Path, n: int, extra: list[bytes] = []) -> Path:  # noqa: B006 - read only
    rows = [orjson.dumps(d.report) for d in generate(n, seed=8, until=UNTIL)]
    path.write_bytes(b"\n".join(rows + extra) + b"\n")
    return path


def test_import_twice_adds_nothing(runner: CliRunner, store: Store, tmp_path: Path) -> None:
    path = jsonl(tmp_path / "r.jsonl", 25)
    first = runner.invoke(main, ["import", str(path), "--batch", "10", "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["stored"] == 25
    second = runner.invoke(main, ["import", str(path), "--workers", "0"])
    assert second.exit_code == 0, second.output
    assert "0 stored, 25 already there, 0 rejected" in second.stdout
    assert reports(store) == 25


def test_rejected_rows_exit_1_and_are_listed(
    runner: CliRunner, store: Store, tmp_path: Path
) -> None:
    path = jsonl(tmp_path / "r.jsonl", 5, [b'{"victim_country": "ID", "channel": "pigeon"}'])
    result = runner.invoke(main, ["import", str(path), "--workers", "0"])
    assert result.exit_code == 1
    assert "line 6: channel:" in result.stderr
    assert reports(store) == 5
    as_json = runner.invoke(main, ["import", str(path), "--json", "--workers", "0"])
    assert json.loads(as_json.stdout)["rejected"][0]["line"] == 6


def test_strict_exit_1_and_nothing_stored(runner: CliRunner, store: Store, tmp_path: Path) -> None:
    path = jsonl(tmp_path / "r.jsonl", 5, [b"not json"])
    result = runner.invoke(main, ["import", str(path), "--strict"])
    assert result.exit_code == 1
    assert "Nothing was stored" in result.stdout and "line 6: line: invalid JSON" in result.stderr
    assert reports(store) == 0


def test_csv_by_option_on_any_extension(runner: CliRunner, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text(
        "victim_country,typology,phone,bank_account\n"
        "PH,job_task,0917 123 4567,BDO 1234 5678 9012\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["import", str(path), "--format", "csv", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stored"] == 1


def test_missing_and_unreadable_files_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    missing = runner.invoke(main, ["import", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    utf16 = tmp_path / "excel.csv"
    utf16.write_bytes("victim_country\nID\n".encode("utf-16"))
    result = runner.invoke(main, ["import", str(utf16)])
    assert result.exit_code == 2 and "save it as UTF-8" in result.stderr
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert runner.invoke(main, ["import", str(empty)]).exit_code == 0

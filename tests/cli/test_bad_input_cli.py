"""Bad input to the commands ends in one line on stderr and an exit code, never a traceback.

Found in the session 10 QA pass (docs/qa.md): each case here printed a traceback before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from tangkal.cli import main
from tangkal.report.models import Report
from tangkal.store import Store
from tests.conftest import free_port

TANGKAL = Path(sys.executable).with_name("tangkal")
NOT_UTF8 = b"Visit http://exa\xe9mple.com/a\xffb now, rek BCA 1234567890"


def _clean_exit(result: Result, code: int) -> None:
    """``code``, a message, and no exception escaping the command."""
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Error" in result.stderr


def test_analyze_stdin_that_is_not_utf8_is_refused_in_a_utf8_locale(store: Store) -> None:
    # The console script in a real process: C.UTF-8 hands Python lone surrogates for the
    # bad bytes, which --json could not write (TypeError traceback).
    env = {**os.environ, "TANGKAL_DATABASE_URL": store.url, "LC_ALL": "C.UTF-8"}
    env.pop("PYTHONIOENCODING", None)
    done = subprocess.run(
        [str(TANGKAL), "analyze", "--json", "-"],
        input=NOT_UTF8, capture_output=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert b"Traceback" not in done.stderr
    assert b"not UTF-8 (byte 17)" in done.stderr
    assert done.stdout == b""


def test_analyze_stdin_that_is_not_utf8_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(main, ["analyze", "-"], input=NOT_UTF8)
    _clean_exit(result, 2)
    assert "not UTF-8" in result.stderr


def test_analyze_stdin_in_utf8_with_a_byte_order_mark_is_read(runner: CliRunner) -> None:
    text = "\ufeffWA 0812-3456-7890".encode()
    result = runner.invoke(main, ["analyze", "--json", "--country", "ID", "-"], input=text)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["indicators"][0]["value"] == "+6281234567890"


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "--json", "http://exa\udce9mple.com"],
        ["org", "add", "--name", "Bank\udcff", "--country", "ID", "--type", "bank"],
    ],
    ids=["analyze", "org-add"],
)
def test_arguments_that_are_not_utf8_are_refused(runner: CliRunner, args: list[str]) -> None:
    # What a shell passes for bytes that are not UTF-8 (Python's surrogateescape).
    result = runner.invoke(main, args)
    _clean_exit(result, 2)
    assert "is not UTF-8 text" in result.stderr


def test_demo_truth_file_in_a_missing_folder(
    runner: CliRunner, store: Store, tmp_path: Path
) -> None:
    truth = tmp_path / "no" / "such" / "truth.jsonl"
    result = runner.invoke(main, ["demo", "--reports", "5", "--truth", str(truth)])
    _clean_exit(result, 2)
    assert f"{truth}: No such file or directory" in result.stderr
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Report)) == 0


@pytest.mark.parametrize("command", [["check", "+6281234567890"], ["init"]])
def test_a_store_url_with_an_unknown_driver(
    monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setenv("TANGKAL_DATABASE_URL", "bogus://x/y")
    result = CliRunner().invoke(main, command)
    _clean_exit(result, 1)
    assert "cannot open the store bogus://x/y" in result.stderr


@pytest.mark.parametrize("command", [["check", "+6281234567890"], ["init"]])
def test_a_store_that_is_down_and_its_password_is_not_printed(
    monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    url = f"postgresql+psycopg://tangkal:s3cret@127.0.0.1:{free_port()}/nowhere"
    monkeypatch.setenv("TANGKAL_DATABASE_URL", url)
    result = CliRunner().invoke(main, command)
    _clean_exit(result, 1)
    assert "cannot open the store postgresql+psycopg://tangkal:***@127.0.0.1" in result.stderr
    assert "s3cret" not in result.output


def test_analyze_jsonl_refuses_a_country_that_is_not_a_string(runner: CliRunner) -> None:
    lines = [{"text": "WA 0812-3456-7890", "country": 62}, {"text": "WA 0812-3456-7890"}]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\n"
    result = runner.invoke(main, ["analyze", "--jsonl", "--country", "ID"], input=stdin)
    assert result.exit_code == 1
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(out) == 2
    assert out[0]["error"].startswith("line 1: country: must be a string")
    assert out[1]["indicators"][0]["value"] == "+6281234567890"


def test_check_names_its_argument_not_the_api_parameter(runner: CliRunner) -> None:
    """QA session 10: the error said "q: 'hello world' is not …", the API's parameter."""
    result = runner.invoke(main, ["check", "hello world"])
    _clean_exit(result, 2)
    assert result.stderr == "Error: VALUE: 'hello world' is not a recognisable indicator\n"

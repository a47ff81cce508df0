"""``tangkal allowlist import``: a published list in, all or nothing, with a clear exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from tangkal.check.models import AllowlistEntry
from tangkal.cli import main
from tangkal.store import Store


def _entries(store: Store) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(AllowlistEntry)) or 0)


def test_a_list_is_imported_then_found_by_check(
    runner: CliRunner, store: Store, tmp_path: Path
) -> None:
    listing = tmp_path / "trusted.txt"
    listing.write_text("# SG\nipi-singapore.org\ndsta.x0pa.ai\n")
    args = ["allowlist", "import", str(listing), "--label", "SG trusted", "--country", "SG"]
    first = runner.invoke(main, [*args, "--json"])
    assert first.exit_code == 0, first.output
    body = json.loads(first.output)
    assert (body["read"], body["added"], body["rejected"]) == (2, 2, [])
    assert body["widened"] == [{"value": "dsta.x0pa.ai", "stored_as": "x0pa.ai"}]
    again = runner.invoke(main, args)
    assert again.exit_code == 0
    assert "0 added, 2 already there" in again.output
    assert "dsta.x0pa.ai is allowlisted as its domain x0pa.ai" in again.output
    check = runner.invoke(main, ["check", "https://ipi-singapore.org/x", "--json"])
    assert json.loads(check.output)["verdict"] == "allowlisted"


def test_a_bad_line_exits_1_and_stores_nothing(
    runner: CliRunner, store: Store, tmp_path: Path
) -> None:
    listing = tmp_path / "hotlines.csv"
    listing.write_text("value,label\n+65 6222 0000,Hotline\nnot a value,Oops\n")
    before = _entries(store)
    result = runner.invoke(main, ["allowlist", "import", str(listing)])
    assert result.exit_code == 1
    assert "Nothing was stored." in result.output
    assert "line 3: not a value: value:" in result.output
    assert _entries(store) == before


@pytest.mark.parametrize(
    ("name", "content", "args", "message"),
    [
        ("plain.txt", "x.sg\n", [], "give --label"),
        ("cols.csv", "domain,label\nx.sg,y\n", [], "'value' column"),
        ("latin.txt", "caf\xe9.sg\n", ["--label", "x"], "not UTF-8"),
        ("ok.txt", "x.sg\n", ["--label", "x", "--country", "Singapore"], "country"),
    ],
)
def test_unusable_files_and_options_exit_non_zero_with_a_message(
    runner: CliRunner, store: Store, tmp_path: Path,
    name: str, content: str, args: list[str], message: str,
) -> None:  # fmt: skip
    path = tmp_path / name
    path.write_bytes(content.encode("latin-1"))
    before = _entries(store)
    result = runner.invoke(main, ["allowlist", "import", str(path), *args])
    assert result.exit_code != 0
    assert message in result.output
    assert _entries(store) == before

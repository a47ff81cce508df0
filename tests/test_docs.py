"""Documentation that cannot drift: CLI help and settings are pasted in by a tool and checked."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tangkal.cli.docs import render

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current() -> None:
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == render(), (
        "docs/cli.md is stale: run `python -m tangkal.cli.docs > docs/cli.md`"
    )


def test_every_documented_file_mentioned_in_readme_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in readme.splitlines():
        if line.startswith("- `docs/"):
            name = line.split("`")[1]
            assert (ROOT / name).is_file(), f"README names {name}, which does not exist"


def test_make_run_serves_on_the_port_asked() -> None:
    """QA session 10: the port was fixed at 8000, so `make run` failed where it was taken."""
    done = subprocess.run(
        ["make", "-n", "run", "PORT=8059"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    serve = [line for line in done.stdout.splitlines() if " serve " in line]
    assert serve == [".venv/bin/tangkal serve --host 127.0.0.1 --port 8059"]

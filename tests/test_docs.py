"""Documentation that cannot drift: CLI help and settings are pasted in by a tool and checked."""

from __future__ import annotations

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

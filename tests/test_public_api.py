"""The public API is explicit, and the architecture's import rules hold."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import tangkal

ROOT = Path(__file__).resolve().parents[1]


def test_public_api_is_pinned() -> None:
    assert tangkal.__all__ == [
        "Settings", "Store", "TangkalError", "analyze", "check_many", "check_one", "extract",
        "file_reports", "normalize", "parse_report", "prepare", "upgrade",
    ]  # fmt: skip
    for name in tangkal.__all__:
        assert getattr(tangkal, name) is not None


def test_import_rules_hold() -> None:
    exe = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(exe)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:]

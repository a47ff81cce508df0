"""Instruction counts of one call in a fresh process, by callgrind (load-proof).

The ``instructions_*.py`` scripts re-run themselves as ``SCRIPT --child MODE`` under valgrind
with instrumentation off; the child warms up and hands ``measure()`` the call to count, run
inside ``functools.reduce`` (a C function nothing else here calls), which is the
only function whose instructions are collected.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path


def measure(work: Callable[[], object]) -> None:
    """In the child, after its warm-up: instrument from here, and run ``work`` as the one call
    whose instructions are collected."""
    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True)
    functools.reduce(lambda _, call: call(), [work], None)


def count(script: str, src: Path, mode: str) -> int:
    """Instructions collected in ``functools.reduce`` of ``script --child mode`` on ``src``."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no", "--collect-atstart=no",
            "--toggle-collect=functools_reduce", f"--callgrind-out-file={tmp}/out",
            sys.executable, script, "--child", mode,
        ]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(src.resolve()), "PYTHONHASHSEED": "0"}
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    found = re.search(r"Collected : ([\d,]+)", done.stderr)
    if found is None:
        raise RuntimeError(done.stderr[-2000:])
    return int(found.group(1).replace(",", ""))

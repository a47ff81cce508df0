"""Instructions per demo narrative of message scoring, counted by callgrind (load-proof).

Wall-clock and CPU time swing by a factor of two on a shared 2-core machine; instruction
counts do not. Each figure is one fresh process under ``valgrind --tool=callgrind`` with
instrumentation switched on only after a warm-up (models loaded, patterns compiled) and
collection limited to the measured call (run inside ``functools.reduce``, a C function
nothing else here calls). Compare two source trees in the same run, e.g. the base commit
checked out with ``git worktree add /tmp/base main``:

    python benchmarks/instructions_detect.py /tmp/base/src src

prints, per tree, instructions per narrative for ``scam_probabilities`` (1,000 narratives),
``score_messages`` (1,000) and ``score_message`` (200, one at a time). Needs valgrind.
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

COUNTS = {"bulk": 1_000, "full": 1_000, "single": 200}


def _child(mode: str) -> None:
    from tangkal.detect import scam_probabilities, score_message, score_messages
    from tangkal.report.demo import generate

    texts = [item.report["narrative"] for item in generate(1_300, seed=11)]
    scam_probabilities(texts[:20])
    score_messages(texts[20:40])
    score_message(texts[40])
    part = texts[100 : 100 + COUNTS[mode]]
    work: Callable[[], object] = {
        "bulk": lambda: scam_probabilities(part),
        "full": lambda: score_messages(part),
        "single": lambda: [score_message(text) for text in part],
    }[mode]
    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True)
    functools.reduce(lambda _, call: call(), [work], None)


def _count(src: Path, mode: str) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no", "--collect-atstart=no",
            "--toggle-collect=functools_reduce", f"--callgrind-out-file={tmp}/out",
            sys.executable, __file__, "--child", mode,
        ]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(src.resolve()), "PYTHONHASHSEED": "0"}
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    found = re.search(r"Collected : ([\d,]+)", done.stderr)
    if found is None:
        raise RuntimeError(done.stderr[-2000:])
    return int(found.group(1).replace(",", ""))


def main() -> None:
    if sys.argv[1] == "--child":
        _child(sys.argv[2])
        return
    trees = [Path(arg) for arg in sys.argv[1:]]
    for mode, count in COUNTS.items():
        row = [f"{_count(tree, mode) / count / 1e6:.3f} M" for tree in trees]
        print(f"{mode:7s} instructions per narrative: " + "  ".join(row), flush=True)


if __name__ == "__main__":
    main()

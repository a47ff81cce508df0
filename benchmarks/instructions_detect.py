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

import sys
from collections.abc import Callable
from pathlib import Path

import callgrind

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
    callgrind.measure(work)


def main() -> None:
    if sys.argv[1] == "--child":
        _child(sys.argv[2])
        return
    trees = [Path(arg) for arg in sys.argv[1:]]
    for mode, count in COUNTS.items():
        row = [f"{callgrind.count(__file__, tree, mode) / count / 1e6:.3f} M" for tree in trees]
        print(f"{mode:7s} instructions per narrative: " + "  ".join(row), flush=True)


if __name__ == "__main__":
    main()

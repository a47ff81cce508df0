"""Scam probabilities of two source trees, compared text by text: cue edits must be shown.

    python benchmarks/compare_message_scores.py OLD_SRC NEW_SRC

Each tree runs in its own process (``PYTHONPATH=<tree>``, ``PYTHONHASHSEED=0``) and scores,
with ``scam_probabilities``, every hand-written set in ``tests/detect/fixtures`` (the
JSONL sets and ``legit_notices.txt``) and every labelled message in ``../shared/data``
when present. Prints how many probabilities changed per set and every text whose verdict
at 0.5 flipped; exits 1 on a flip. Used in session 7 to show that the cue fixes changed no
score outside the texts they were written for (docs/detection.md, "Session 7, fresh sets").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

DATA = Path(os.environ.get("TANGKAL_SHARED_DATA", "/work/shared/data"))
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "detect" / "fixtures"


def _rows() -> list[tuple[str, int, str]]:
    """(set, label, text) of every text scored: fixtures first, then the labelled data."""
    from tangkal.detect.corpus import read_messages

    rows: list[tuple[str, int, str]] = []
    for path in sorted(FIXTURES.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            case = json.loads(line)
            if "text" not in case:  # links_*.jsonl hold URLs
                continue
            legit = case.get("label") == "legit" or case.get("kind") == "notice"
            rows.append((path.name, int(not legit), case["text"]))
    for text in (FIXTURES / "legit_notices.txt").read_text("utf-8").splitlines():
        if text.strip():
            rows.append(("legit_notices.txt", 0, text))
    rows.extend((e.dataset, e.label, e.text) for e in read_messages(DATA))
    return rows


def _child(out: Path) -> None:
    from tangkal.detect import scam_probabilities

    rows = _rows()
    probabilities = scam_probabilities([text for _, _, text in rows])
    out.write_text(json.dumps([[*row, p] for row, p in zip(rows, probabilities, strict=True)]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        _child(args.child)
        return 0
    results: list[list[Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for tree in (args.old, args.new):
            out = Path(tmp) / f"{len(results)}.json"
            env = {**os.environ, "PYTHONPATH": str(tree.resolve()), "PYTHONHASHSEED": "0"}
            command = [sys.executable, __file__, str(args.old), str(args.new), "--child", str(out)]
            subprocess.run(command, env=env, check=True)
            results.append(json.loads(out.read_text()))
    old, new = results
    assert [row[:3] for row in old] == [row[:3] for row in new]
    changed: Counter[str] = Counter()
    flips = 0
    for (name, label, text, before), (*_, after) in zip(old, new, strict=True):
        if before != after:
            changed[name] += 1
        if (before >= 0.5) != (after >= 0.5):
            flips += 1
            print(f"flip {name} label={label} {before:.4f} -> {after:.4f}: {text[:100]}")
    print(
        f"{len(old)} texts, probabilities changed: {dict(changed) or 0}, verdicts flipped: {flips}"
    )
    return 1 if flips else 0


if __name__ == "__main__":
    raise SystemExit(main())

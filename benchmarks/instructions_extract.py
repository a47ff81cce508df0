"""Instructions per report or message of extraction and preparing, counted by callgrind.

Load-proof, like ``instructions_detect.py``: each figure is one fresh process under
``valgrind --tool=callgrind``, instrumented only after a warm-up (the first 500 demo reports
prepared and scored: models loaded, patterns compiled, ``phonenumbers`` metadata read) and
collecting only inside the measured call (run inside ``functools.reduce``). Compare two
source trees in the same run, e.g. ``git worktree add /tmp/base main``:

    python benchmarks/instructions_extract.py /tmp/base/src src [--modes extract,worker]

Modes, each over the 2,000 demo reports that follow the warm-up (``generate(2500, seed=11)``):

- ``extract``: ``extract(narrative, country)``;
- ``language``: ``detect_language(narrative)``;
- ``given``: ``normalize`` of each report's own indicators, as ``prepare`` calls it;
- ``unscored``: what a worker does per row without scoring (JSON, validation, ``prepare``,
  the pickled ``send()``);
- ``worker``: ``importer._prepare_batch`` (scoring included) and its result pickled;
- ``analyze``: ``extract`` + ``detect_language`` on 2,000 of ``bench_analyze``'s messages
  (every value fresh).

Prints instructions per item for each tree. Needs valgrind.
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Callable
from pathlib import Path

import callgrind

MODES = ("extract", "language", "given", "unscored", "worker", "analyze")
WARM, COUNT = 500, 2_000


def _child(mode: str) -> None:
    import orjson

    from tangkal.report import importer
    from tangkal.report.extract import extract
    from tangkal.report.language import detect_language
    from tangkal.report.normalize import normalize
    from tangkal.report.prepare import prepare
    from tangkal.report.schema import parse_report

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_analyze import messages

    from tangkal.report.demo import generate

    lines = [orjson.dumps(item.report) for item in generate(WARM + COUNT, seed=11)]
    rows = list(enumerate(lines, start=1))
    importer._start_worker()
    importer._prepare_batch("jsonl", None, rows[:WARM], "import")
    for text, country in messages(200, seed=1):
        detect_language(text)
        extract(text, country)
    part = rows[WARM:]
    reports = [parse_report(orjson.loads(line)) for _, line in part]

    def unscored() -> None:
        for _, line in part:
            data = parse_report(orjson.loads(line))
            pickle.dumps(prepare(data, "import").send(), protocol=5)

    fresh = messages(COUNT)
    work: Callable[[], object] = {
        "extract": lambda: [extract(r.narrative or "", r.victim_country) for r in reports],
        "language": lambda: [detect_language(r.narrative or "") for r in reports],
        "given": lambda: [
            normalize(i.value, i.kind, r.victim_country, role=i.role)
            for r in reports
            for i in r.indicators
        ],
        "unscored": unscored,
        "worker": lambda: pickle.dumps(
            importer._prepare_batch("jsonl", None, part, "import"), protocol=5
        ),
        "analyze": lambda: [(detect_language(t), extract(t, c)) for t, c in fresh],
    }[mode]
    callgrind.measure(work)


def main() -> None:
    if sys.argv[1] == "--child":
        _child(sys.argv[2])
        return
    args = sys.argv[1:]
    modes: tuple[str, ...] = MODES
    if "--modes" in args:
        at = args.index("--modes")
        modes = tuple(args[at + 1].split(","))
        del args[at : at + 2]
    trees = [Path(arg) for arg in args]
    for mode in modes:
        row = [f"{callgrind.count(__file__, tree, mode) / COUNT / 1e3:,.1f}k" for tree in trees]
        print(f"{mode:9s} instructions per item: " + "  ".join(row), flush=True)


if __name__ == "__main__":
    main()

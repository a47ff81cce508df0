"""Instructions to compile every shipped translation catalogue, counted by callgrind.

A node reads and compiles each ``.po`` file once, at start-up (``Catalogues``); a fuller
catalogue costs start-up time, not request time. Compare two source trees in the same run:

    python benchmarks/instructions_catalogues.py /tmp/base/src src

prints, per tree, millions of instructions for one ``Catalogues([PACKAGE_LOCALE_DIR])`` after
a warm-up (imports done, one load already made). Needs valgrind. Use ``PYTHONHASHSEED=0``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import callgrind


def _child() -> None:
    from tangkal.web.i18n import PACKAGE_LOCALE_DIR, Catalogues

    Catalogues([PACKAGE_LOCALE_DIR])
    callgrind.measure(lambda: Catalogues([PACKAGE_LOCALE_DIR]))


def main() -> None:
    if sys.argv[1] == "--child":
        _child()
        return
    trees = [Path(arg) for arg in sys.argv[1:]]
    row = [f"{callgrind.count(__file__, tree, 'load') / 1e6:.1f} M" for tree in trees]
    print("instructions to compile the catalogues: " + "  ".join(row), flush=True)


if __name__ == "__main__":
    main()

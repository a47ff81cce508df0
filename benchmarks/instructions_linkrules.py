"""Instructions per link of the link rules alone, counted by callgrind (load-proof).

    python benchmarks/instructions_linkrules.py /tmp/base/src src

Runs the rules (``linkrules._run_rules``, no per-link cache) on 2,000 URLs of the
validation part of ``../shared/data`` (phishing and legitimate, as ``url_examples`` lists
them; parsed during the warm-up), in a fresh process per tree, and prints instructions per
link. ``unknown`` treats every host as off the popular list, so the brand tests (look-alike,
brand inside) run on all of them: the cost a little-known host pays. Needs valgrind.
"""

from __future__ import annotations

import sys
from pathlib import Path
from unittest.mock import patch

import callgrind

COUNT = 2_000
MODES = ("as_is", "unknown")
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _child(mode: str) -> None:
    import tangkal.detect.linkrules as rules
    from tangkal.detect.domains import parse_url
    from tangkal.detect.split import is_held_out, is_validation
    from tangkal.detect.urlset import url_examples, url_key

    urls = []
    for example in url_examples(DATA):
        key = f"url:{url_key(example.url)}"
        if not is_held_out(key) and is_validation(key):
            urls.append(example.url)
    parsed = [parse_url(url) for url in urls[::3][:COUNT]]
    if mode == "unknown":
        patch.object(rules, "popular_rank", lambda registrable: None).start()
    for url in parsed[:50]:
        rules._run_rules(url)
    callgrind.measure(lambda: [rules._run_rules(url) for url in parsed])


def main() -> None:
    if sys.argv[1] == "--child":
        _child(sys.argv[2])
        return
    trees = [Path(arg) for arg in sys.argv[1:]]
    for mode in MODES:
        row = [f"{callgrind.count(__file__, tree, mode) / COUNT / 1e3:.1f} k" for tree in trees]
        print(f"{mode:8s} instructions per link: " + "  ".join(row), flush=True)


if __name__ == "__main__":
    main()

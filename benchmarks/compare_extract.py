"""Extraction results of two source trees, compared text by text: speed work must not change them.

    python benchmarks/compare_extract.py OLD_SRC NEW_SRC [--narratives 20000] [--urls 50000]

Each tree runs in its own process (``PYTHONPATH=<tree>``, ``PYTHONHASHSEED=0``) over:

- ``--narratives`` demo reports (``generate(n, seed=7)``): ``extract(narrative, country)``,
  ``detect_language(narrative)``, ``normalize`` of each report's own indicators and the
  indicators and dedup key of ``prepare``;
- ``bench_analyze``'s 5,000 messages (fresh values in eight languages);
- every labelled message in ``../shared/data`` when present (``tangkal.detect.corpus``), each
  with no country and with the country of its set;
- the first ``--urls`` URLs of the labelled URL sets, through ``canonical_url``.

Every indicator is compared whole: kind, canonical value, role, raw text and attributes, in
order, and the language. Prints the counts and the first differences; exits 1 on any.
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

DATA = Path(os.environ.get("TANGKAL_SHARED_DATA", "/work/shared/data"))
_SET_COUNTRY = {"id_": "ID", "th_": "TH", "vi_": "VN", "ph_": "PH"}


def _found(items: Any) -> list[tuple[Any, ...]]:
    return [(f.kind, f.value, f.role, f.raw, sorted(f.attributes.items())) for f in items]


def _child(out: Path, narratives: int, urls: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_analyze import messages

    from tangkal.detect.corpus import read_messages, read_urls
    from tangkal.errors import InvalidInput
    from tangkal.report.demo import generate
    from tangkal.report.extract import extract
    from tangkal.report.language import detect_language
    from tangkal.report.normalize import canonical_url, normalize
    from tangkal.report.prepare import prepare
    from tangkal.report.schema import parse_report

    results: dict[str, list[Any]] = {"demo": [], "given": [], "prepared": [], "analyze": []}
    for item in generate(narratives, seed=7):
        data = parse_report(item.report)
        text = data.narrative or ""
        country = data.victim_country
        results["demo"].append((_found(extract(text, country)), detect_language(text)))
        for given in data.indicators:
            try:
                found = normalize(given.value, given.kind, country, role=given.role)
                results["given"].append(_found([found]))
            except InvalidInput as exc:
                results["given"].append(str(exc))
        prepared = prepare(data, "import")
        results["prepared"].append((prepared.dedup_key, _found(prepared.indicators)))
    for text, hint in messages(5_000):
        results["analyze"].append((_found(extract(text, hint)), detect_language(text)))
    sms = read_messages(DATA) if DATA.is_dir() else []
    results["sms"] = []
    for example in sms:
        region = next((c for p, c in _SET_COUNTRY.items() if example.dataset.startswith(p)), None)
        results["sms"].append(
            (
                _found(extract(example.text, None)),
                _found(extract(example.text, region)) if region else None,
                detect_language(example.text),
            )
        )
    url_list = [u.url for u in read_urls(DATA)[:urls]] if DATA.is_dir() else []
    results["urls"] = [(canonical_url(u),) for u in url_list]
    out.write_bytes(pickle.dumps(results))


def _indicators(part: str, item: Any) -> int:
    if part in ("given", "urls"):
        return int(isinstance(item, list) or (isinstance(item, tuple) and item[0] is not None))
    return len(item[-1] if part == "prepared" else item[0])


def _run(src: Path, out: Path, narratives: int, urls: int) -> dict[str, list[Any]]:
    env = {**os.environ, "PYTHONPATH": str(src.resolve()), "PYTHONHASHSEED": "0"}
    command = [sys.executable, __file__, "--child", str(out), str(narratives), str(urls)]
    subprocess.run(command, env=env, check=True)
    results: dict[str, list[Any]] = pickle.loads(out.read_bytes())
    return results


def main() -> None:
    if sys.argv[1] == "--child":
        _child(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--narratives", type=int, default=20_000)
    parser.add_argument("--urls", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = _run(args.old, Path(tmp) / "old", args.narratives, args.urls)
        new = _run(args.new, Path(tmp) / "new", args.narratives, args.urls)
    differ = 0
    for part, items in old.items():
        other = new[part]
        bad = [i for i, (a, b) in enumerate(zip(items, other, strict=True)) if a != b]
        indicators = sum(_indicators(part, x) for x in items)
        print(f"{part:9s} {len(items):7,d} items, {indicators:7,d} indicators, {len(bad)} differ")
        for i in bad[:5]:
            print(f"  #{i}: old {items[i]!r}\n       new {other[i]!r}")
        differ += len(bad)
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()

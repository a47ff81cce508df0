"""Instructions per analysed message, split by stage, counted by callgrind (load-proof).

``POST /api/v1/analyze`` does language detection, extraction, message scoring, link
scoring and JSON encoding. This script counts each stage on its own, in a fresh process
per stage (the same warm-up, the same 200 fresh demo messages: extraction and link caches
see every message for the first time), plus the whole ``check.analyze`` and, with
``--server``, the whole request served by uvicorn (one process, httptools, uvloop) to a
keep-alive client outside valgrind. Compare source trees in the same run:

    python benchmarks/instructions_analyze.py /tmp/base/src src [--server] [--only analyze,links]

prints, per stage, millions of instructions per message (per link for the link stages),
one column per tree. Instrumentation is switched on after the warm-up and collection is
limited to the measured call, run inside ``functools.reduce`` (a C function nothing else
here calls), as in ``instructions_detect.py``. Needs valgrind. Use ``PYTHONHASHSEED=0``.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import callgrind

MESSAGES = 200
SEED = 11
# One link of each kind, scored alone 10 times each with fresh numbers (as session 5 did).
LINK_KINDS = [
    "http://login-{i}.verify-account.top/x",
    "https://www.example{i}.com/a/b?c={i}",
    "https://shop{i}.co.id/produk/{i}",
    "bca.co.id.promo-{i}.xyz",
    "https://bit.ly/a{i}b",
    "http://192.168.{i}.7/paypal/login.php",
    "https://klikbca-{i}.com/verify",
    "https://docs.google.com/forms/d/{i}/viewform",
    "https://www.google.com/url?q=https://evil{i}.top",
    "http://xn--bc-{i}ca.com/",
    "https://tokopedia.co.id.bonus{i}.club/claim",
    "http://m.shopee{i}.ph/promo/{i}",
]


def _texts() -> list[tuple[str, str | None]]:
    from tangkal.report.demo import generate

    out = []
    for item in generate(MESSAGES + 50, seed=SEED):
        text = item.report.get("narrative") or "Transfer ke BCA 7651234567 a.n. Budi"
        out.append((text, item.report.get("victim_country")))
    return out


def _stage(name: str) -> tuple[Callable[[], object], int]:
    """The measured call of stage ``name`` and how many units (messages or links) it covers."""
    import orjson

    from tangkal.check.analyze import analyze, found_as_dict
    from tangkal.detect import score_link, score_links, score_message
    from tangkal.detect.domains import parse_url
    from tangkal.detect.link import _combine
    from tangkal.detect.shipped import link_model
    from tangkal.detect.urlfeatures import url_feature_matrix
    from tangkal.detect.urlmodel import linear_logits
    from tangkal.report.extract import extract
    from tangkal.report.language import detect_language

    texts = _texts()
    warm, part = texts[:50], texts[50:]
    for text, country in warm:  # patterns compiled, models loaded, first-use tables built
        analyze(text, country)
    score_link("https://example.com/warm")
    if name == "analyze":
        return (lambda: [analyze(t, c) for t, c in part]), len(part)
    if name == "language":
        return (lambda: [detect_language(t) for t, _ in part]), len(part)
    if name == "extract":
        return (lambda: [extract(t, c) for t, c in part]), len(part)
    if name == "message":
        langs = [detect_language(t) for t, _ in part]
        return (
            lambda: [
                score_message(t, None if lang == "und" else lang)
                for (t, _), lang in zip(part, langs, strict=True)
            ]
        ), len(part)
    if name == "json":
        results = [analyze(t, c) for t, c in part]  # warms everything: only encoding is counted
        return (lambda: [orjson.dumps(r) for r in results]), len(part)
    if name == "as_dict":
        found = [extract(t, c) for t, c in part]
        return (lambda: [[found_as_dict(f) for f in fs] for fs in found]), len(part)
    if name == "score_link":
        urls = [kind.format(i=100 + i) for i in range(10) for kind in LINK_KINDS]
        return (lambda: [score_link(u) for u in urls]), len(urls)
    if name == "score_links5":
        batches = [
            [LINK_KINDS[(i + k) % len(LINK_KINDS)].format(i=300 + i) for k in range(5)]
            for i in range(60)
        ]
        return (lambda: [score_links(b) for b in batches]), len(batches)
    # Link stages, on the links of the 200 messages, one batch per message as analyze does.
    links = [[f.value for f in extract(t, c) if f.kind in ("url", "domain")] for t, c in part]
    links = [batch for batch in links if batch]
    n_links = sum(map(len, links))
    model = link_model()
    if name == "links":
        return (lambda: [score_links(b) for b in links]), n_links
    if name == "parse":
        return (lambda: [[parse_url(v) for v in b] for b in links]), n_links
    parsed = [[parse_url(v) for v in b] for b in links]
    if name == "linear":
        return (lambda: [linear_logits(model.linear, p) for p in parsed]), n_links
    logits = [linear_logits(model.linear, p) for p in parsed]
    if name == "features":
        return (
            lambda: [url_feature_matrix(p, lg) for p, lg in zip(parsed, logits, strict=True)]
        ), n_links
    matrices = [url_feature_matrix(p, lg) for p, lg in zip(parsed, logits, strict=True)]
    trees = model.trees
    assert trees is not None
    if name == "trees":
        return (lambda: [trees.probabilities(m) for m in matrices]), n_links
    risks = [trees.probabilities(m) for m in matrices]
    if name == "rules":
        return (
            lambda: [
                [_combine(float(r), u) for r, u in zip(rs, p, strict=True)]
                for rs, p in zip(risks, parsed, strict=True)
            ]
        ), n_links
    raise SystemExit(f"unknown stage {name}")


STAGES = {
    "analyze": "check.analyze, whole (per message)",
    "language": "  detect_language",
    "extract": "  extract (report/, not ours)",
    "as_dict": "  found_as_dict",
    "message": "  score_message",
    "links": "  score_links of the message's links (per link)",
    "json": "orjson.dumps of the result (per message)",
    "parse": "    parse_url (per link)",
    "linear": "    linear stage: n-grams, words, logit (per link)",
    "features": "    URL features (per link)",
    "trees": "    tree stage (per link)",
    "rules": "    link rules + reasons (per link)",
    "score_link": "one score_link (120 calls, 12 kinds)",
    "score_links5": "score_links of 5 URLs (60 calls)",
}


def _child(name: str) -> None:
    work, units = _stage(name)
    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True)
    functools.reduce(lambda _, call: call(), [work], None)
    print(units)


def _valgrind(out: str, *, toggle: bool) -> list[str]:
    command = [
        "valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
    ]  # fmt: skip
    if toggle:
        command += ["--collect-atstart=no", "--toggle-collect=functools_reduce"]
    return command


def _env(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src.resolve()), "PYTHONHASHSEED": "0"}


def _count(src: Path, name: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        command = [*_valgrind(f"{tmp}/out", toggle=True), sys.executable, __file__, "--child", name]
        done = subprocess.run(command, capture_output=True, text=True, env=_env(src), check=True)
    found = re.search(r"Collected : ([\d,]+)", done.stderr)
    if found is None:
        raise RuntimeError(done.stderr[-2000:])
    units = int(done.stdout.split()[-1])
    return int(found.group(1).replace(",", "")) / units


def _server_counts(src: Path) -> dict[str, float]:
    """Instructions per request in a uvicorn process: healthz, then analyze."""
    import orjson

    bodies = [orjson.dumps({"text": t, "country": c}) for t, c in _texts()]
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **_env(src),
            "TANGKAL_DATABASE_URL": f"sqlite:///{tmp}/db.sqlite",
            "TANGKAL_PUBLIC_RATE_LIMIT": "0",
        }
        bin_dir = Path(sys.executable).parent
        subprocess.run([str(bin_dir / "tangkal"), "init"], env=env, check=True, capture_output=True)
        with callgrind.served("tangkal.web.asgi:app", 8131, env) as server:
            for body in bodies[:50]:
                server.request("/api/v1/analyze", body)
            for _ in range(20):
                server.request("/healthz")
            server.instrument()
            analyses = [("/api/v1/analyze", body) for body in bodies[50:]]
            return {
                "healthz": server.count("healthz", [("/healthz", None)] * MESSAGES) / MESSAGES,
                "request": server.count("request", analyses) / len(analyses),
            }


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _child(sys.argv[2])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("trees", nargs="+", type=Path)
    ap.add_argument("--only", help="comma-separated stages (default: all)")
    ap.add_argument("--server", action="store_true", help="also count requests under uvicorn")
    args = ap.parse_args()
    names = args.only.split(",") if args.only else list(STAGES)
    if args.server:
        counts = [_server_counts(tree) for tree in args.trees]
        for label in ("healthz", "request"):
            row = [f"{c[label] / 1e6:8.3f} M" for c in counts]
            print(f"{'uvicorn: ' + label:52s}" + "  ".join(row), flush=True)
    for name in names:
        row = [f"{_count(tree, name) / 1e6:8.3f} M" for tree in args.trees]
        print(f"{STAGES[name]:52s}" + "  ".join(row), flush=True)


if __name__ == "__main__":
    main()

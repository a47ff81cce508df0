"""Hand-written links (legitimate and scam) through the link model and the check's verdict rule.

    python benchmarks/fresh_links.py links_fresh4 [--json]

Each argument is a fixture stem in ``tests/detect/fixtures`` (``links_fresh4`` reads
``links_fresh4.jsonl``) or a path to a JSONL file of ``{"url", "label": "legit" | "scam",
"country"}``. Every link is read as ``tangkal check`` reads it (``normalize.canonical``
with the row's country, then ``lookup.scored_link``: a defanged ``hxxps://x[.]top`` is
scored as ``https://x.top/``, a bare host as typed) and scored with ``score_links``; a link Check refuses counts as missed (scam) or not flagged
(legitimate). Two lines are counted:

* **flagged**: risk at or above the URL model's shipped threshold (the link model's own
  operating point, docs/detection.md);
* **suspicious in Check**: the verdict ``tangkal check`` gives a value nobody has
  reported, from the model risk alone (``check.verdict.rule`` with no reporters).

The table is split by how the link is written (bare host, ``www.`` host, full URL), since
a user types all three into Check. Prints every legitimate link flagged or made
suspicious and every scam link missed; ``--json`` prints the same as one JSON object.

``--check`` also asks the store named by ``TANGKAL_DATABASE_URL`` (after ``tangkal init``)
what ``tangkal check VALUE`` answers for each link (``check.lookup.check_one`` with the
link scorer the command uses: reports, allowlist and model together) and counts the
verdicts per kind and form (session 12).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "detect" / "fixtures"


def form(url: str) -> str:
    """How a user wrote the link: ``bare``, ``www`` or ``url`` (a scheme or a path)."""
    if "://" in url or "/" in url.strip("/"):
        return "url"
    return "www" if url.lower().startswith("www.") else "bare"


def load(arg: str) -> list[dict[str, Any]]:
    path = Path(arg) if arg.endswith(".jsonl") else FIXTURES / f"{arg}.jsonl"
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def checked_value(url: str, country: str | None) -> str | None:
    """The URL or domain ``tangkal check`` scores for what the user typed, or None if refused."""
    from tangkal.check.lookup import scored_link
    from tangkal.errors import InvalidInput
    from tangkal.report.normalize import canonical

    try:
        found = canonical(url, None, country)
    except InvalidInput:
        return None
    return scored_link(found) if found.kind in ("url", "domain") else None


def measure(rows: list[dict[str, Any]]) -> dict[str, Any]:
    from tangkal.check.verdict import rule
    from tangkal.detect import score_links
    from tangkal.detect.result import LinkScore, Reason
    from tangkal.detect.shipped import link_model

    threshold = link_model().threshold
    refused = LinkScore(0.0, [Reason.of("no_link_risk_signs")])
    now = dt.datetime.now(dt.UTC)
    values = [checked_value(row["url"], row.get("country")) for row in rows]
    kept = iter(score_links([value for value in values if value is not None]))
    scores = [refused if value is None else next(kept) for value in values]
    counts: Counter[tuple[str, str, str]] = Counter()
    misses: list[dict[str, Any]] = []
    for row, score in zip(rows, scores, strict=True):
        verdict, _ = rule(0, 0, None, False, now, False, score.risk)
        kind, written = row["label"], form(row["url"])
        flagged = score.risk >= threshold
        counts[(kind, written, "n")] += 1
        counts[(kind, written, "flagged")] += flagged
        counts[(kind, written, "suspicious")] += verdict == "suspicious"
        wrong = (kind == "legit" and verdict == "suspicious") or (kind == "scam" and not flagged)
        if wrong:
            misses.append(
                {
                    "url": row["url"],
                    "label": kind,
                    "risk": score.risk,
                    "verdict": verdict,
                    "reasons": [reason.code for reason in score.reasons],
                }
            )
    table = {
        f"{kind}/{written}": {
            "n": counts[(kind, written, "n")],
            "flagged": counts[(kind, written, "flagged")],
            "suspicious": counts[(kind, written, "suspicious")],
        }
        for kind in ("legit", "scam")
        for written in ("bare", "www", "url")
    }
    return {"threshold": threshold, "table": table, "wrong": misses}


def ask_check(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What ``tangkal check`` answers for each link, in the store of ``TANGKAL_DATABASE_URL``."""
    from tangkal.check.lookup import check_one, link_risks
    from tangkal.cli.base import open_store
    from tangkal.errors import InvalidInput

    counts: Counter[str] = Counter()
    answers: list[dict[str, Any]] = []
    store = open_store()
    try:
        with store.read() as session:
            for row in rows:
                try:
                    verdict = check_one(session, row["url"], link_scorer=link_risks).verdict
                except InvalidInput:  # the command refuses it too (``gov.bn``)
                    verdict = "invalid"
                counts[f"{row['label']}/{form(row['url'])}/{verdict}"] += 1
                if row["label"] == "legit" and verdict not in ("no_reports", "allowlisted"):
                    answers.append({"url": row["url"], "verdict": verdict})
    finally:
        store.close()
    return {"verdicts": dict(sorted(counts.items())), "legit_not_no_reports": answers}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="+", help="fixture stems or JSONL paths")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--check", action="store_true", help="also ask the store (tangkal check)")
    args = parser.parse_args(argv)
    rows = [row for arg in args.sets for row in load(arg)]
    result = measure(rows)
    if args.check:
        result["check"] = ask_check(rows)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print(f"threshold {result['threshold']}")
    print("| links | n | flagged (risk >= threshold) | suspicious in Check (no reports) |")
    print("|---|---|---|---|")
    for key, cell in result["table"].items():
        if cell["n"]:
            print(f"| {key} | {cell['n']} | {cell['flagged']} | {cell['suspicious']} |")
    print("\nLegitimate links made suspicious, scam links not flagged:")
    for miss in result["wrong"]:
        print(
            f"- {miss['label']} {miss['risk']:.3f} {miss['verdict']} {miss['url']} {miss['reasons']}"
        )
    if args.check:
        print("\n`tangkal check` verdicts (kind/form/verdict: count):")
        for key, count in result["check"]["verdicts"].items():
            print(f"- {key}: {count}")
        for answer in result["check"]["legit_not_no_reports"]:
            print(f"- legit {answer['verdict']} {answer['url']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

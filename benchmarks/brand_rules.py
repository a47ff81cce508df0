"""How often the brand rules fire on legitimate and phishing URLs the rules were never tuned on.

    PYTHONPATH=src .venv/bin/python benchmarks/brand_rules.py [validation|held_out|all] [--model]
        [--dump FILE]

Rules only (no model fit): the URLs of ``../shared/data`` as ``tangkal detect evaluate``
assembles them (``url_examples``), in the validation part of the training part (URL keys,
own salt) or the held-out part (URL keys). For each source and label it counts URLs with
a brand reason: ``imitates_brand`` (look-alike), ``brand_in_domain``, ``brand_in_subdomain``.
Legitimate URLs with such a reason are brand false alarms (a bank's own site said to imitate
another bank); phishing URLs with one are the rules' recall, which a fix must not lose.
With ``--model`` it also counts URLs at or above the shipped link threshold with the shipped
link model (trained on every part: only the before/after difference means anything).
``--dump FILE`` writes every URL with a brand reason (part, label, source, code, brand) as
JSON lines, to diff two trees: run once with ``PYTHONPATH=/tmp/base/src`` for the old rules.
``--as-unknown`` judges every host as if it were off the popular list (the rules skip
brand tests on popular domains, so Tranco's 50k legitimate domains otherwise count zero by
construction): how a little-known legitimate site, such as a small bank, would fare.
``--leave-one-out`` instead scores each protected brand's own domain with the brand (and
every brand of the same label) taken off the list: what a real bank missing from the list
would be told. ``--generic bank,money`` sets the generic words of the look-alike test
(``linkrules.GENERIC_WORDS``; ``--generic ""`` for none), to compare choices. Prints JSON.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from unittest.mock import patch

from tangkal.detect.domains import parse_url
from tangkal.detect.errors import DetectInputError
from tangkal.detect.linkrules import link_rules
from tangkal.detect.split import is_held_out, is_validation
from tangkal.detect.urlset import url_examples, url_key

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
BRAND_CODES = ("imitates_brand", "brand_in_domain", "brand_in_subdomain")


def _part(key: str) -> str:
    if is_held_out(f"url:{key}"):
        return "held_out"
    return "validation" if is_validation(f"url:{key}") else "train"


def leave_one_out() -> dict[str, Any]:
    """Each brand's domain scored by the rules with its label's brands off the list."""
    import tangkal.detect.linkrules as rules
    from tangkal.detect.domains import brands

    everything = brands()
    told: dict[str, str] = {}
    for brand in everything:
        rest = tuple(b for b in everything if b.label != brand.label)
        with patch.object(rules, "brands", lambda rest=rest: rest):
            rules._brand_index.cache_clear()
            rules._inside_gate.cache_clear()
            hits = rules._run_rules(parse_url(brand.domain))
        reason = next((h.reason for h in hits if h.reason.code in BRAND_CODES), None)
        if reason is not None:
            told[brand.domain] = f"{reason.code} {reason.params.get('brand')}"
    rules._brand_index.cache_clear()
    rules._inside_gate.cache_clear()
    return {"brands": len(everything), "told_imitation": len(told), "which": told}


def main(args: list[str]) -> dict[str, Any]:
    if "--generic" in args:
        import tangkal.detect.linkrules as rules

        words = args[args.index("--generic") + 1]
        rules.GENERIC_WORDS = tuple(w for w in words.split(",") if w)
        args = [a for a in args if a not in ("--generic", words)]
    if "--leave-one-out" in args:
        return leave_one_out()
    if "--as-unknown" in args:
        import tangkal.detect.linkrules as rules

        patch.object(rules, "popular_rank", lambda registrable: None).start()
    dump = args[args.index("--dump") + 1] if "--dump" in args else None
    parts = [a for a in args if not a.startswith("--") and a != dump]
    every = {"validation", "held_out", "train"}
    wanted = every if parts == ["all"] else set(parts or ["validation"])
    examples = [(e, _part(url_key(e.url))) for e in url_examples(DATA)]
    examples = [(e, p) for e, p in examples if p in wanted]
    counts: Counter[tuple[str, str, str, str]] = Counter()
    lines = []
    for example, part in examples:
        label = "phishing" if example.label else "legitimate"
        counts[(part, label, example.dataset, "urls")] += 1
        try:
            hits = link_rules(parse_url(example.url))
        except DetectInputError:
            continue
        brand = next((h.reason for h in hits if h.reason.code in BRAND_CODES), None)
        if brand is None:
            continue
        counts[(part, label, example.dataset, brand.code)] += 1
        counts[(part, label, example.dataset, "any_brand_reason")] += 1
        lines.append(
            {
                "part": part,
                "label": label,
                "source": example.dataset,
                "url": example.url,
                "code": brand.code,
                "brand": brand.params.get("brand"),
            }
        )
    out: dict[str, Any] = {}
    for (part, label, source, what), n in sorted(counts.items()):
        out.setdefault(part, {}).setdefault(label, {}).setdefault(source, {})[what] = n
    for part, by_label in out.items():
        for by_source in by_label.values():
            total: Counter[str] = Counter()
            for figures in by_source.values():
                total.update(figures)
            by_source["ALL"] = dict(total)
        out[part] = by_label
    if "--model" in args:
        from tangkal.detect.link import score_links
        from tangkal.detect.shipped import link_model

        threshold = link_model().threshold
        scores = score_links([e.url for e, _ in examples])
        flagged: Counter[tuple[str, str]] = Counter()
        for (example, part), score in zip(examples, scores, strict=True):
            if score.risk >= threshold:
                flagged[(part, "phishing" if example.label else "legitimate")] += 1
        out["shipped_model_flagged"] = {
            "threshold": threshold,
            **{f"{p}/{lab}": n for (p, lab), n in sorted(flagged.items())},
        }
    if dump:
        with open(dump, "w", encoding="utf-8") as handle:
            for line in lines:
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), indent=1, ensure_ascii=False))

"""Held-out URL figures per source, for comparing link recipes or shipped lists.

    PYTHONPATH=src .venv/bin/python benchmarks/eval_urls_by_source.py [random_by_url] [host_disjoint]

``tangkal detect evaluate`` reports Hannousse and all sources together; this refits the same
recipe on each named split's training part (threshold chosen on its validation part) and
breaks recall and legitimate URLs flagged down by source, plus the URLs on the hand-kept
shorteners (``src/tangkal/data/link_shorteners.txt``). Needs ``../shared/data``; one split
is two model fits (an hour on a loaded 2-core machine). Prints JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

from tangkal.detect.domains import parse_url
from tangkal.detect.link import score_links_with
from tangkal.detect.reference import extra_shorteners
from tangkal.detect.train import fit_url_model, url_threshold
from tangkal.detect.urlset import split_flags, url_examples

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def main(names: list[str]) -> dict[str, Any]:
    extra = extra_shorteners()
    examples = url_examples(DATA)
    by_key, by_host = split_flags(examples)
    out: dict[str, Any] = {}
    for name, held in (("random_by_url", by_key), ("host_disjoint", by_host)):
        if name not in names:
            continue
        train = [e for e, h in zip(examples, held, strict=True) if not h]
        test = [e for e, h in zip(examples, held, strict=True) if h]
        threshold, _ = url_threshold(train)
        model = fit_url_model(train)
        risk = np.array([s.risk for s in score_links_with(model, [e.url for e in test])])
        y = np.array([e.label for e in test])
        flag = risk >= threshold
        part: dict[str, Any] = {
            "threshold": threshold,
            "roc_auc": float(roc_auc_score(y, risk)),
            "recall": float(flag[y == 1].mean()),
            "legit_flagged": float(flag[y == 0].mean()),
        }
        for source in sorted({e.dataset for e in test}):
            m = np.array([e.dataset == source for e in test])
            pos, neg = m & (y == 1), m & (y == 0)
            part[source] = {
                "positives": int(pos.sum()),
                "recall": float(flag[pos].mean()) if pos.any() else None,
                "negatives": int(neg.sum()),
                "legit_flagged": float(flag[neg].mean()) if neg.any() else None,
            }
        m = np.array([parse_url(e.url).registrable in extra for e in test])
        part["hand_kept_shorteners"] = {
            "positives": int((m & (y == 1)).sum()),
            "caught": int((flag & m & (y == 1)).sum()),
            "negatives": int((m & (y == 0)).sum()),
            "flagged": int((flag & m & (y == 0)).sum()),
        }
        out[name] = part
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:] or ["random_by_url"]), indent=1))

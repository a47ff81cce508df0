"""Tree-stage variants of the link model on one set of linear fits (session 8 error analysis).

    PYTHONPATH=src .venv/bin/python benchmarks/link_tree_variants.py SPLIT PART [VARIANT ...]

SPLIT is ``random_by_url`` or ``host_disjoint``; PART ``validation`` (fit on the split's
training part without its validation URLs, score those: where choices are made) or
``held_out`` (fit on the training part, score the held-out part: once, at the end). The
linear stage and its three out-of-fold fits are computed once, as ``train.fit_url_model``
does, and every VARIANT refits only the trees on them: ``shipped`` (with the root pages of
session 9), ``no_root_pages`` (the session-8 recipe), ``root_pages_x2`` (root pages weigh
twice), ``tranco_rank_hidden``
(the Tranco rows' rank set to "unranked" for the trees), ``tail_rank_hidden`` (only ranks
beyond 10k), ``half_rank_hidden`` (half of the Tranco rows, by hash), ``no_rank``,
``hannousse16`` and ``hannousse4`` (Hannousse weight in the trees), ``both_forms`` and
``both_forms_half`` (the root pages also in their other form, ``foo.com`` for
``www.foo.com``, at full or half weight; session 9 lead; since session 10 every home page
is read as its bare host, so the other forms only add weight), ``root_pages_half``,
``hannousse_home_x8`` and ``hannousse_home_x2`` (Hannousse home pages weigh 8x, as before
session 10, or twice a plain row). Scores go through ``link._combine`` (rules and caps).
Prints JSON: Hannousse and all-source figures at the thresholds 0.95-0.70, legitimate
Hannousse URLs flagged at exactly 90% recall, recall and flagged per source at 0.85 and
0.90, home pages of little-known legitimate sites flagged (as written, and both forms of
each by form), and how many values of each kind the check would call suspicious with no
report (``check_*``: with a link risk counted from 0.44, as before session 10, and from
0.85). Four linear fits, then about a minute per variant.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.metrics import roc_auc_score

from tangkal.detect.corpus import UrlExample
from tangkal.detect.domains import ParsedUrl, home_page_form, parse_url
from tangkal.detect.link import _combine
from tangkal.detect.linkrules import link_rules
from tangkal.detect.split import is_validation
from tangkal.detect.train import (
    URL_TREE_SETTINGS,
    fit_linear_url_model,
    root_pages,
    url_folds,
    url_tree_weights,
    url_trees,
)
from tangkal.detect.urlfeatures import URL_FEATURE_NAMES, url_feature_matrix
from tangkal.detect.urlmodel import linear_logits
from tangkal.detect.urlset import split_flags, url_examples, url_key

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
RANK = URL_FEATURE_NAMES.index("popular_log_rank")
UNRANKED = 5.0
Floats = npt.NDArray[np.float64]


def parts(split: str, part: str) -> tuple[list[UrlExample], list[UrlExample]]:
    """The fit part and the scored part of ``split`` (see the module docstring)."""
    examples = url_examples(DATA)
    by_key, by_host = split_flags(examples)
    held = by_key if split == "random_by_url" else by_host
    train = [e for e, h in zip(examples, held, strict=True) if not h]
    if part == "held_out":
        return train, [e for e, h in zip(examples, held, strict=True) if h]
    flags = [is_validation(f"url:{url_key(e.url)}") for e in train]
    return (
        [e for e, f in zip(train, flags, strict=True) if not f],
        [e for e, f in zip(train, flags, strict=True) if f],
    )


def other_forms(roots: list[UrlExample], avoid: list[UrlExample]) -> list[UrlExample]:
    """The other way of writing each root page (``foo.com`` for ``www.foo.com`` and back),
    unless written so already: what a user types into Check is often the bare form, and the
    bare-domain scam feeds write theirs that way (``url_key`` takes the two as one host)."""
    written = {e.url for e in [*avoid, *roots]}
    out: list[UrlExample] = []
    for example in roots:
        host = example.url
        other = host.removeprefix("www.") if host.startswith("www.") else f"www.{host}"
        if other not in written:
            written.add(other)
            out.append(UrlExample(other, 0, "root_page"))
    return out


def home_pages(fit: list[UrlExample], test: list[UrlExample]) -> list[UrlExample]:
    """Home pages of the little-known legitimate sites the scored part links deeper into
    (``root_pages`` of its Hannousse rows), unless the fit part or the scored part holds
    them: how the model treats a small legitimate site's bare address (government, school,
    shop), which the lists hardly hold."""
    keys = {url_key(e.url) for e in [*fit, *test]}
    return [e for e in root_pages(test) if url_key(e.url) not in keys]


def all_home_pages(fit: list[UrlExample], test: list[UrlExample]) -> list[UrlExample]:
    """``home_pages`` as written, then each in its other form (see ``other_forms``)."""
    written = home_pages(fit, test)
    return [*written, *other_forms(written, [*fit, *test])]


def stage_one(fit: list[UrlExample], test: list[UrlExample]) -> tuple[Floats, Floats, Floats]:
    """Tree inputs: the fit part, its root pages (``train.root_pages``) and their other forms
    (last) with out-of-fold logits, the test part and its home pages with the full fit's."""
    roots = root_pages(fit)
    rows = [*fit, *roots, *other_forms(roots, fit)]
    # The trees read a home page as its bare host, as ``train.fit_url_model`` (session 10).
    parsed = [home_page_form(parse_url(e.url)) for e in rows]
    folds = url_folds(rows, int(URL_TREE_SETTINGS["folds"]))
    oof = np.zeros(len(rows), dtype=np.float64)
    for k in range(int(URL_TREE_SETTINGS["folds"])):
        held = np.flatnonzero(folds == k)
        model = fit_linear_url_model(
            [e for e, f in zip(fit, folds[: len(fit)], strict=True) if f != k]
        )
        oof[held] = linear_logits(model, [parsed[i] for i in held])
    tparsed = [home_page_form(parse_url(e.url)) for e in test]
    hparsed = [home_page_form(parse_url(e.url)) for e in all_home_pages(fit, test)]
    full = fit_linear_url_model(fit)
    return (
        url_feature_matrix(parsed, oof),
        url_feature_matrix(tparsed, linear_logits(full, tparsed)),
        url_feature_matrix(hparsed, linear_logits(full, hparsed)),
    )


def inputs(
    variant: str, fit: list[UrlExample], x: Floats, tx: Floats, hx: Floats
) -> tuple[Floats, Floats, Floats, Floats]:
    """Training matrix, weights, test matrix and home-page matrix of one variant."""
    x, tx, hx = x.copy(), tx.copy(), hx.copy()
    roots = root_pages(fit)
    extra = other_forms(roots, fit)
    weights: Floats = url_tree_weights(fit, [*roots, *extra])
    if variant in {"both_forms", "both_forms_half"}:
        if variant == "both_forms_half":
            weights[len(fit) + len(roots) :] *= 0.5
        return x, weights, tx, hx
    # Every other variant leaves the other forms out.
    x, weights = x[: len(fit) + len(roots)], weights[: len(fit) + len(roots)]
    if variant == "root_pages_half":
        weights[len(fit) :] *= 0.5
        return x, weights, tx, hx
    rows = [*fit, *roots]
    tranco = np.array([e.dataset == "tranco" for e in rows])
    hannousse = np.array([e.dataset == "hannousse" for e in rows])
    if variant == "no_root_pages":  # the session-8 recipe
        x, weights = x[: len(fit)], weights[: len(fit)]
    elif variant == "root_pages_x2":
        weights[len(fit) :] *= 2.0
    elif variant == "tranco_rank_hidden":
        x[tranco, RANK] = UNRANKED
    elif variant == "tail_rank_hidden":
        x[tranco & (x[:, RANK] > 4.0), RANK] = UNRANKED
    elif variant == "half_rank_hidden":
        odd = np.array(
            [hashlib.blake2b(e.url.encode(), digest_size=2).digest()[0] % 2 == 0 for e in fit]
        )
        x[tranco & odd, RANK] = UNRANKED
    elif variant == "no_rank":
        x[:, RANK] = UNRANKED
        tx[:, RANK] = UNRANKED
        hx[:, RANK] = UNRANKED
    elif variant == "hannousse16":
        weights[hannousse] *= 2.0
    elif variant == "hannousse4":
        weights[hannousse] *= 0.5
    elif variant in {"hannousse_home_x8", "hannousse_home_x2"}:
        # Hannousse home pages (no path) weigh as a plain row in the shipped trees (session
        # 10); these give them back the 8x of full URLs, or twice a plain row.
        home = hannousse & np.array([parse_url(e.url).path in ("", "/") for e in rows])
        weights[home] *= 8.0 if variant == "hannousse_home_x8" else 2.0
    elif variant != "shipped":
        raise SystemExit(f"unknown variant {variant}")
    return x, weights, tx, hx


# ``check.verdict.rule``: a value with no report is "suspicious" when round(45 x risk) >= 20.
CHECK_LINE = 19.5 / 45


def check_line(risk: Floats, only: npt.NDArray[np.bool_], threshold: float) -> list[int]:
    """How many of these values the check would call suspicious with no report: as shipped
    (risk at the check line), and if a model-only risk (no rule of any strength, no cap)
    counted only from the link threshold on."""
    return [
        int((risk >= CHECK_LINE).sum()),
        int(((risk >= CHECK_LINE) & (~only | (risk >= threshold))).sum()),
    ]


def figures(
    test: list[UrlExample],
    risk: Floats,
    home: Floats,
    written: int,
    www: npt.NDArray[np.bool_],
    only: npt.NDArray[np.bool_],
    home_only: npt.NDArray[np.bool_],
) -> dict[str, Any]:
    y = np.array([e.label for e in test])
    source = np.array([e.dataset for e in test])
    h = source == "hannousse"
    caught = np.sort(risk[h & (y == 1)])[::-1]
    at90 = caught[int(np.ceil(0.9 * caught.size)) - 1]
    out: dict[str, Any] = {
        "hannousse_roc_auc": round(float(roc_auc_score(y[h], risk[h])), 4),
        "all_roc_auc": round(float(roc_auc_score(y, risk)), 4),
        "hannousse_flagged_at_90_recall": round(float((risk[h & (y == 0)] >= at90).mean()), 4),
        "home_pages": written,
        "home_pages_flagged_85_90": [int((home[:written] >= t).sum()) for t in (0.85, 0.9)],
        # Both forms of every home page: flagged at 0.85 and how many, per form.
        "home_pages_www_flagged_85": [int((home[www] >= 0.85).sum()), int(www.sum())],
        "home_pages_bare_flagged_85": [int((home[~www] >= 0.85).sum()), int((~www).sum())],
        "home_pages_bare_flagged_90": [int((home[~www] >= 0.9).sum()), int((~www).sum())],
        "home_pages_bare_flagged_75_80": [int((home[~www] >= t).sum()) for t in (0.75, 0.8)],
        # Suspicious to the check with no report (as shipped, model-only counted from 0.85).
        "check_home_pages_www": check_line(home[www], home_only[www], 0.85),
        "check_home_pages_bare": check_line(home[~www], home_only[~www], 0.85),
        "check_model_only": [int(only[y == 1].sum()), int(only[y == 0].sum())],
    }
    # Legitimate Hannousse URLs flagged that are home pages (no path), at 0.85 and 0.90.
    home_row = np.array([parse_url(e.url).path in ("", "/") for e in test], dtype=bool)
    out["hannousse_legit_home_pages"] = int((h & (y == 0) & home_row).sum())
    out["hannousse_flagged_home_pages_85_90"] = [
        int((h & (y == 0) & home_row & (risk >= t)).sum()) for t in (0.85, 0.9)
    ]
    for t in (0.95, 0.9, 0.85, 0.8, 0.75, 0.7):
        out[f"at_{t}"] = {
            "hannousse_recall": round(float((risk[h & (y == 1)] >= t).mean()), 4),
            "hannousse_flagged": int((risk[h & (y == 0)] >= t).sum()),
            "all_recall": round(float((risk[y == 1] >= t).mean()), 4),
            "all_flagged": round(float((risk[y == 0] >= t).mean()), 4),
        }
    for name in sorted(set(source)):
        m = source == name
        pos, neg = m & (y == 1), m & (y == 0)
        out[name] = {
            "positives": int(pos.sum()),
            "recall_85_90": [round(float((risk[pos] >= t).mean()), 4) for t in (0.85, 0.9)]
            if pos.any()
            else None,
            "negatives": int(neg.sum()),
            "flagged_85_90": [int((risk[neg] >= t).sum()) for t in (0.85, 0.9)],
            "check_pos": check_line(risk[pos], only[pos], 0.85),
            "check_neg": check_line(risk[neg], only[neg], 0.85),
        }
    return out


def model_only(parsed: list[ParsedUrl]) -> npt.NDArray[np.bool_]:
    """Whether each risk is the URL model's alone: no rule with a strength, no cap."""
    return np.array(
        [not any(h.strength > 0 or h.cap is not None for h in link_rules(u)) for u in parsed],
        dtype=bool,
    )


def main(split: str, part: str, variants: list[str]) -> dict[str, Any]:
    fit, test = parts(split, part)
    x, tx, hx = stage_one(fit, test)
    parsed = [parse_url(e.url) for e in test]
    homes = all_home_pages(fit, test)
    written = len(home_pages(fit, test))
    www = np.array([e.url.startswith("www.") for e in homes], dtype=bool)
    hparsed = [parse_url(e.url) for e in homes]
    out: dict[str, Any] = {"split": split, "part": part, "n_fit": len(fit), "n_scored": len(test)}
    for variant in variants:
        xv, weights, txv, hxv = inputs(variant, fit, x, tx, hx)
        y = np.array([e.label for e in fit] + [0] * (len(xv) - len(fit)))
        trees = url_trees().fit(xv, y, sample_weight=weights)
        model = trees.predict_proba(txv)[:, 1]
        scores = [_combine(float(p), u) for p, u in zip(model, parsed, strict=True)]
        risk = np.array([s.risk for s in scores])
        hmodel = trees.predict_proba(hxv)[:, 1] if len(hxv) else np.zeros(0)
        hscores = [_combine(float(p), u) for p, u in zip(hmodel, hparsed, strict=True)]
        home = np.array([s.risk for s in hscores])
        out[variant] = figures(
            test, risk, home, written, www, model_only(parsed), model_only(hparsed)
        )
    return out


if __name__ == "__main__":
    split, part, *names = sys.argv[1:]
    print(json.dumps(main(split, part, names or ["shipped"]), indent=1))

"""Held-out evaluation: the shipped recipe retrained on the training part, scored on the rest.

Messages: near-duplicate groups across all sets, 20% held out (``split.py``). URLs: a
random split by URL key and a host-disjoint split by registrable domain. A multinomial
naive Bayes on the same hashed n-grams and the same split is the baseline. The false-
positive rate on legitimate notices uses held-out Thai ``OK``/``OTP`` messages, held-out
ham of the other sets that reads like a bank, OTP, delivery or transaction notice, and
hand-written notices (never trained on).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from tangkal.detect.corpus import MessageExample, read_lines, read_messages
from tangkal.detect.domains import parse_url
from tangkal.detect.features import url_model_text
from tangkal.detect.link import score_links_with, url_logits
from tangkal.detect.message import score_with
from tangkal.detect.shipped import MessageModels
from tangkal.detect.split import group_ids, is_held_out, is_validation
from tangkal.detect.text import normalise
from tangkal.detect.train import (
    fit_cue_model,
    fit_language_models,
    fit_message_model,
    fit_url_model,
    synthetic_examples,
    url_threshold,
)
from tangkal.detect.urlmodel import model_risks
from tangkal.detect.urlset import split_flags, url_examples

__all__ = ["NOTICE_WORDS", "evaluate_all", "is_notice"]

NOTICE_WORDS = re.compile(
    r"otp|kode|code|verif|rekening|saldo|transaksi|transfer|paket|kiriman|resi|tagihan|"
    r"account|bank|deliver|parcel|order|payment|balance|debit|credit|"
    r"tài khoản|tai khoan|số dư|so du|giao dịch|giao dich|đơn hàng|don hang|mã|ma xac",
    re.I,
)


def is_notice(example: MessageExample) -> bool:
    """Whether a legitimate message reads like a bank/OTP/delivery/transaction notice."""
    if example.label != 0 or example.kind in {"spam"}:
        return False
    if example.dataset == "th_scam":
        return example.kind in {"ok", "otp"}
    return NOTICE_WORDS.search(example.text) is not None


def _rate(flags: npt.NDArray[np.bool_]) -> float | None:
    """Share of True values, or None for an empty selection."""
    return round(float(flags.mean()), 4) if flags.size else None


def _metrics(
    y: npt.NDArray[np.int64], p: npt.NDArray[np.float64], threshold: float
) -> dict[str, Any]:
    from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

    pred = p >= threshold
    out: dict[str, Any] = {"n": int(y.size), "positives": int(y.sum())}
    if 0 < y.sum() < y.size:
        out["precision"] = round(float(precision_score(y, pred, zero_division=0)), 4)
        out["recall"] = round(float(recall_score(y, pred)), 4)
        out["f1"] = round(float(f1_score(y, pred)), 4)
        out["roc_auc"] = round(float(roc_auc_score(y, p)), 4)
    else:
        out["flagged"] = _rate(pred)
    return out


def _nb_scores(
    train_texts: Sequence[str], y: Sequence[int], test_texts: Sequence[str], n_min: int, n_max: int
) -> npt.NDArray[np.float64]:
    from sklearn.naive_bayes import MultinomialNB

    from tangkal.detect.hashing import hash_ngrams

    def matrix(texts: Sequence[str]) -> sparse.csr_matrix:
        h = hash_ngrams(texts, n_min, n_max, 20)
        return sparse.csr_matrix((h.values, (h.rows, h.cols)), shape=(h.n_rows, 1 << 20))

    model = MultinomialNB(alpha=0.1).fit(matrix(train_texts), np.asarray(y))
    return np.asarray(model.predict_proba(matrix(test_texts))[:, 1], dtype=np.float64)


def evaluate_messages(
    root: Path,
    notices: Sequence[str],
    progress: Callable[[str], None],
    validation: bool = False,
) -> dict[str, Any]:
    """Per-set metrics of the message model and the NB baseline on the held-out groups.

    With ``validation``, the held-out groups are left out altogether: the recipe is fitted
    on the training part without its validation groups and scored on those. Recipe choices
    (features, C, routing, cues) are compared this way, never on the held-out figures.
    """
    examples = read_messages(root)
    groups = group_ids([e.text for e in examples])
    if validation:
        kept = [(e, g) for e, g in zip(examples, groups, strict=True) if not is_held_out(g)]
        train = [e for e, g in kept if not is_validation(g)]
        test = [e for e, g in kept if is_validation(g)]
    else:
        train = [e for e, g in zip(examples, groups, strict=True) if not is_held_out(g)]
        test = [e for e, g in zip(examples, groups, strict=True) if is_held_out(g)]
    synthetic = synthetic_examples()  # generated notices: training only, never scored
    progress(
        f"messages: training on {len(train)} (+{len(synthetic)} synthetic), scoring {len(test)}"
    )
    models = MessageModels(
        fit_message_model([*train, *synthetic]), fit_cue_model(train), fit_language_models(train)
    )
    threshold = models.threshold
    progress("messages: scoring held-out part")
    p = np.array([s.scam_probability for s in score_with(models, [e.text for e in test])])
    nb = _nb_scores(
        [normalise(e.text) for e in train],
        [e.label for e in train],
        [normalise(e.text) for e in test],
        1,
        5,
    )
    y = np.array([e.label for e in test], dtype=np.int64)
    sets = sorted({e.dataset for e in test})
    part = "validation" if validation else "held_out"
    report: dict[str, Any] = {
        "threshold": threshold, "part": part, "synthetic_trained": len(synthetic), "sets": {}
    }  # fmt: skip
    for name in sets:
        i = np.array([e.dataset == name for e in test])
        report["sets"][name] = {
            "model": _metrics(y[i], p[i], threshold),
            "naive_bayes": _metrics(y[i], nb[i], 0.5),
        }
    i = np.array([is_notice(e) for e in test])
    notice_p = (
        np.array([s.scam_probability for s in score_with(models, list(notices))])
        if notices
        else np.zeros(0)
    )
    report["legit_notices"] = {
        "held_out": {"n": int(i.sum()), "flagged": _rate(p[i] >= threshold)},
        "hand_written": {
            "n": len(notices),
            "flagged": _rate(notice_p >= threshold),
        },
        "naive_bayes_held_out_flagged": _rate(nb[i] >= 0.5),
    }
    return report


def evaluate_urls(root: Path, progress: Callable[[str], None]) -> dict[str, Any]:
    """URL model + rules on the random and host-disjoint splits, with the NB baseline.

    ``model_only`` is the URL model without the rules (tree stage over the linear logit),
    ``linear_only`` its linear stage alone (the shipped model before the tree stage).
    """
    examples = url_examples(root)
    by_key, by_host = split_flags(examples)
    report: dict[str, Any] = {}
    for split_name, held in (("random_by_url", by_key), ("host_disjoint", by_host)):
        train = [e for e, h in zip(examples, held, strict=True) if not h]
        test = [e for e, h in zip(examples, held, strict=True) if h]
        progress(f"urls ({split_name}): training on {len(train)}, holding out {len(test)}")
        progress(f"urls ({split_name}): choosing the threshold on validation URLs")
        threshold, _ = url_threshold(train)
        model = fit_url_model(train)
        risks = np.array([s.risk for s in score_links_with(model, [e.url for e in test])])
        parsed = [parse_url(e.url) for e in test]
        model_only = model_risks(model, parsed)
        linear_only = 1.0 / (1.0 + np.exp(-url_logits(model.linear, parsed)))
        nb = _nb_scores(
            [url_model_text(e.url) for e in train],
            [e.label for e in train],
            [url_model_text(e.url) for e in test],
            2,
            6,
        )
        y = np.array([e.label for e in test], dtype=np.int64)
        part: dict[str, Any] = {}
        for subset, chosen in (
            ("hannousse", np.array([e.dataset == "hannousse" for e in test])),
            ("all_sources", np.ones(len(test), dtype=bool)),
        ):
            part[subset] = {
                "model_and_rules": _metrics(y[chosen], risks[chosen], threshold),
                "model_only": _metrics(y[chosen], model_only[chosen], threshold),
                "linear_only": _metrics(y[chosen], linear_only[chosen], threshold),
                "naive_bayes": _metrics(y[chosen], nb[chosen], 0.5),
                "legit_flagged": _rate(risks[chosen][y[chosen] == 0] >= threshold),
                "threshold": threshold,
            }
        report[split_name] = part
    return report


def evaluate_all(
    root: Path,
    notices_path: Path | None,
    progress: Callable[[str], None],
    validation: bool = False,
    messages_only: bool = False,
    links_only: bool = False,
) -> dict[str, Any]:
    """The whole evaluation report (the output of ``tangkal detect evaluate --json``).

    ``validation`` scores only the message recipe on the validation part of the training
    part (``--validation``), the figures recipe choices are made on; ``messages_only``
    (``--only messages``) the message figures of the held-out part without the URL models;
    ``links_only`` (``--only links``) the URL figures of both splits without the messages.
    """
    if links_only and not validation:
        return {"urls": evaluate_urls(root, progress)}
    notices = read_lines(notices_path) if notices_path is not None else []
    if validation or messages_only:
        return {"messages": evaluate_messages(root, notices, progress, validation=validation)}
    return {
        "messages": evaluate_messages(root, notices, progress),
        "urls": evaluate_urls(root, progress),
    }

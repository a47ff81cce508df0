"""Message recipes compared on the validation part: the shipped one, n-gram variants, a tree stage.

    PYTHONPATH=src .venv/bin/python benchmarks/message_recipes.py [shipped] [ngrams] [trees]

Every recipe is fitted on the training part without its validation groups and scored on
those groups (``tangkal detect evaluate --validation``); the held-out groups are left out
altogether and never scored. Per recipe it prints F1 and ROC-AUC per set, errors (false
alarms + misses) per set, the share of validation notices flagged, and the hand-written
tuning set (``dev_nine.jsonl``: scams caught, legitimate messages flagged) and notices
(``legit_notices.txt``) scored by the same fit. Needs ``../shared/data``; a fit takes
20-100 s on a loaded 2-core machine (the tree stage adds three fits for its out-of-fold
logits). Session 7's figures are in docs/detection.md ("What was tried and not kept").

The tree stage is the link model's recipe applied to messages: a gradient-boosted tree
ensemble over the out-of-fold logits of the joint and companion models (three folds of
near-duplicate groups), the genuine-notice damping, the rule logit, the 27 cue and link
flags, and optionally length and digit share; its logit replaces ``model logit +
damping`` in ``max(…, rule)``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import f1_score, roc_auc_score

from tangkal.detect import train
from tangkal.detect.corpus import MessageExample, read_lines, read_messages
from tangkal.detect.cues import load_cues
from tangkal.detect.evaluate import is_notice
from tangkal.detect.features import message_signals
from tangkal.detect.message import PRETEXT_BONUS, PRETEXT_CUES, probabilities_with
from tangkal.detect.shipped import MessageModels
from tangkal.detect.split import group_ids, is_held_out, is_validation
from tangkal.detect.text import (
    SCRIPTS_WITHOUT_TRAINING_DATA,
    dominant_scripts,
    model_language,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "detect" / "fixtures"
SETS = ("en_uci", "en_mishra_soni", "id_fraud", "th_scam", "vi_smishing")
ALL_SCAMS = ("ph_reports", "id_scam_bopbi")
NGRAM_VARIANTS: tuple[tuple[str, dict[str, float]], ...] = (
    ("n 1-6", {"n_max": 6}),
    ("n 2-5", {"n_min": 2}),
    ("n 2-6", {"n_min": 2, "n_max": 6}),
    ("n 1-4", {"n_max": 4}),
    ("bits 21", {"bits": 21}),
    ("bits 19", {"bits": 19}),
    ("bits 18", {"bits": 18}),
)
# (label, tree settings, monotonic constraints on the first five columns, shape columns,
# share of the tree logit in a blend with the linear one)
TREE_VARIANTS = (
    ("trees depth 3, 200 rounds", 3, 200, False, True, 1.0),
    ("trees depth 4, 200 rounds", 4, 200, False, True, 1.0),
    ("trees depth 6, 300 rounds (URL stage)", 6, 300, False, True, 1.0),
    ("trees depth 3, monotonic, no shape", 3, 200, True, False, 1.0),
    ("trees depth 2, monotonic, no shape", 2, 200, True, False, 1.0),
    ("trees depth 3, monotonic, no shape, blend 0.5", 3, 200, True, False, 0.5),
)
_FOLD_SALT = "tangkal-detect-20261128-message-fold:"


@dataclass(frozen=True, slots=True)
class Batch:
    """Texts with labels, sets and the signals the score formula needs."""

    texts: list[str]
    labels: npt.NDArray[np.int64]
    sets: list[str]
    notices: npt.NDArray[np.bool_]


def _batch(examples: Sequence[MessageExample]) -> Batch:
    return Batch(
        [e.text for e in examples],
        np.array([e.label for e in examples], dtype=np.int64),
        [e.dataset for e in examples],
        np.array([is_notice(e) for e in examples], dtype=bool),
    )


def _fixture(name: str) -> Batch:
    cases = [json.loads(line) for line in (FIXTURES / name).read_text("utf-8").splitlines()]
    labels = np.array([int(c["label"] == "scam") for c in cases], dtype=np.int64)
    return Batch([c["text"] for c in cases], labels, [name] * len(cases), labels == 0)


@contextmanager
def _settings(change: dict[str, float]) -> Iterator[None]:
    saved = dict(train.MESSAGE_SETTINGS)
    train.MESSAGE_SETTINGS.update(change)
    try:
        yield
    finally:
        train.MESSAGE_SETTINGS.clear()
        train.MESSAGE_SETTINGS.update(saved)


def _fit(examples: Sequence[MessageExample]) -> MessageModels:
    # As ``train`` and ``evaluate`` do: the joint model also reads the synthetic notices.
    return MessageModels(
        train.fit_message_model([*examples, *train.synthetic_examples()]),
        train.fit_cue_model(examples),
        train.fit_language_models(examples),
    )


def _figures(p: npt.NDArray[np.float64], batch: Batch) -> dict[str, Any]:
    flagged = p >= 0.5
    out: dict[str, Any] = {}
    sets = np.array(batch.sets)
    for name in SETS:
        m = sets == name
        y = batch.labels[m]
        out[name] = {
            "f1": round(float(f1_score(y, flagged[m])), 3),
            "roc_auc": round(float(roc_auc_score(y, p[m])), 3),
            "errors": int(((flagged[m]) != (y == 1)).sum()),
        }
    for name in ALL_SCAMS:
        m = sets == name
        out[name] = {
            "recall": round(float(flagged[m].mean()), 3),
            "errors": int((~flagged[m]).sum()),
        }
    out["errors"] = sum(int(v["errors"]) for v in out.values())
    out["notices_flagged"] = f"{int(flagged[batch.notices].sum())}/{int(batch.notices.sum())}"
    return out


def _fixture_figures(p: npt.NDArray[np.float64], batch: Batch) -> str:
    flagged = p >= 0.5
    scams = batch.labels == 1
    return f"{int(flagged[scams].sum())}/{int(scams.sum())} caught, {int(flagged[~scams].sum())}/{int((~scams).sum())} flagged"


def _linear(models: MessageModels, batches: dict[str, Batch]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, batch in batches.items():
        p = np.array(probabilities_with(models, batch.texts))
        out[name] = _figures(p, batch) if name == "validation" else _fixture_figures(p, batch)
    return out


def _parts(models: MessageModels, texts: Sequence[str]) -> dict[str, npt.NDArray[np.float64]]:
    """The pieces of the score formula (``message._probabilities``) for a tree stage."""
    signals = message_signals(texts)
    cues = load_cues()
    weights = np.array([cue.weight for cue in cues])
    pretext = np.array([cue.code in PRETEXT_CUES for cue in cues])
    hashed = models.joint.hash(signals.model_texts)
    joint = models.joint.logits(hashed, signals.extras, len(texts))
    own = np.full(len(texts), np.nan)
    languages = [model_language(t) for t in signals.model_texts]
    for language, model in models.by_language.items():
        rows = [r for r, found in enumerate(languages) if found == language]
        if rows:
            part = models.joint.hash([signals.model_texts[r] for r in rows])
            own[rows] = model.logits(part, signals.extras[rows], len(rows))
    routed = ~np.isnan(own)
    lengths = np.array([len(t) for t in signals.model_texts], dtype=np.float64)
    zeros = np.array([t.count("0") for t in signals.model_texts], dtype=np.float64)
    return {
        "model": np.where(routed, (joint + np.nan_to_num(own)) / 2.0, joint),
        "damping": np.array([sum(min(weights[c], 0.0) for c in cl) for cl in signals.cues]),
        "rule": np.array([-3.5 + sum(weights[c] for c in cl) for cl in signals.cues])
        + 2.0 * np.array(signals.strong_link),
        "joint": joint,
        "own": np.where(routed, np.nan_to_num(own), 0.0),
        "thai": np.array([found == "th" for found in languages], dtype=np.float64),
        "vietnamese": np.array([found == "vi" for found in languages], dtype=np.float64),
        "extras": signals.extras.astype(np.float64),
        "length": np.log1p(lengths),
        "digits": zeros / np.maximum(lengths, 1.0),
        "pretext": np.array([bool(pretext[cl].any()) for cl in signals.cues], dtype=np.float64),
        "unseen": np.array(
            [s in SCRIPTS_WITHOUT_TRAINING_DATA for s in dominant_scripts(texts)], dtype=bool
        ),
    }


def _tree_matrix(parts: dict[str, npt.NDArray[np.float64]], shape: bool) -> npt.NDArray[np.float64]:
    names = ["model", "damping", "rule", "joint", "own", "thai", "vietnamese"]
    columns = [parts[name][:, None] for name in names] + [parts["extras"]]
    if shape:
        columns += [parts["length"][:, None], parts["digits"][:, None]]
    return np.hstack(columns)


def _combine(
    stage: npt.NDArray[np.float64], parts: dict[str, npt.NDArray[np.float64]], blend: float
) -> npt.NDArray[np.float64]:
    linear = parts["model"] + parts["damping"]
    z = blend * stage + (1.0 - blend) * linear
    z = np.maximum(z, parts["rule"])
    z = np.where(parts["unseen"], parts["rule"] + PRETEXT_BONUS * parts["pretext"], z)
    out: npt.NDArray[np.float64] = np.round(1.0 / (1.0 + np.exp(-z)), 4)
    return out


def _fold(group: str) -> int:
    digest = hashlib.blake2b(f"{_FOLD_SALT}{group}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % 3


def _trees(
    fit_part: Sequence[MessageExample],
    groups: Sequence[str],
    models: MessageModels,
    batches: dict[str, Batch],
) -> dict[str, Any]:
    folds = np.array([_fold(g) for g in groups])
    oof: dict[str, npt.NDArray[np.float64]] = {}
    for k in range(3):
        inside = [e for e, f in zip(fit_part, folds, strict=True) if f != k]
        held = np.flatnonzero(folds == k)
        parts = _parts(_fit(inside), [fit_part[i].text for i in held.tolist()])
        for name, values in parts.items():
            if name not in oof:
                oof[name] = np.zeros((len(fit_part), *values.shape[1:]), dtype=values.dtype)
            oof[name][held] = values
    y = np.array([e.label for e in fit_part], dtype=np.int64)
    scored = {name: _parts(models, batch.texts) for name, batch in batches.items()}
    out: dict[str, Any] = {}
    for label, depth, rounds, monotonic, shape, blend in TREE_VARIANTS:
        x = _tree_matrix(oof, shape)
        constraints = [1, -1, 1, 1, 1] + [0] * (x.shape[1] - 5) if monotonic else None
        clf = HistGradientBoostingClassifier(
            max_depth=depth,
            max_iter=rounds,
            learning_rate=0.05,
            l2_regularization=1.0,
            min_samples_leaf=20,
            early_stopping=False,
            monotonic_cst=constraints,
            random_state=train.SEED,
        ).fit(x, y)
        figures: dict[str, Any] = {}
        for name, parts in scored.items():
            stage = clf.decision_function(_tree_matrix(parts, shape))
            p = _combine(stage, parts, blend)
            batch = batches[name]
            figures[name] = (
                _figures(p, batch) if name == "validation" else _fixture_figures(p, batch)
            )
        out[label] = figures
    return out


def main(what: Sequence[str]) -> dict[str, Any]:
    examples = read_messages(DATA)
    groups = group_ids([e.text for e in examples])
    kept = [(e, g) for e, g in zip(examples, groups, strict=True) if not is_held_out(g)]
    fit_part = [e for e, g in kept if not is_validation(g)]
    fit_groups = [g for _, g in kept if not is_validation(g)]
    notices = read_lines(FIXTURES / "legit_notices.txt")
    batches = {
        "validation": _batch([e for e, g in kept if is_validation(g)]),
        "dev_nine": _fixture("dev_nine.jsonl"),
        "notices": Batch(
            notices,
            np.zeros(len(notices), dtype=np.int64),
            ["notices"] * len(notices),
            np.ones(len(notices), dtype=bool),
        ),
    }
    out: dict[str, Any] = {}
    shipped = _fit(fit_part)
    if "shipped" in what or "trees" in what:
        out["shipped"] = _linear(shipped, batches)
        shipped_p = np.array(probabilities_with(shipped, batches["validation"].texts))
        n = len(batches["validation"].texts)
        rebuilt = _combine(np.zeros(n), _parts(shipped, batches["validation"].texts), 0.0)
        # The tree stage's formula with the tree left out must be the shipped formula.
        out["shipped"]["formula_rebuilt"] = bool(np.allclose(rebuilt, shipped_p, atol=2e-4))
    if "ngrams" in what:
        for label, change in NGRAM_VARIANTS:
            with _settings(change):
                out[label] = _linear(_fit(fit_part), batches)
    if "trees" in what:
        out.update(_trees(fit_part, fit_groups, shipped, batches))
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:] or ["shipped", "ngrams", "trees"]), indent=1))

"""Message training variants compared on the validation part (session 10; none shipped).

    PYTHONPATH=src .venv/bin/python benchmarks/message_companions.py [VARIANT ...]

Every variant is fitted on the training part without its validation groups (the joint
model also on the synthetic notices, as ``train`` and ``evaluate`` do) and scored on those
groups, as ``tangkal detect evaluate --validation`` does; the held-out groups are left out
altogether. One line per variant: F1 / ROC-AUC / errors of the five sets, the Philippine
and bopbi reports missed, validation notices flagged (``evaluate.is_notice``), errors in
all, and the fixture sets scored by the same fit (legitimate flagged, scams caught):
``fresh3`` (``notices_fresh3`` + ``scams_fresh3``), ``fresh12`` (the session 7 and 8 fresh
sets), ``dev_stories`` and ``dev_nine``. ``--save DIR`` writes each variant's validation
probabilities (``DIR/p_VARIANT.npy``) for a message-by-message comparison.

Variants (``VARIANTS``; docs/detection.md, "Session 10, messages"):

* ``shipped``: the shipped recipe.
* ``adapt``, ``adapt_by_set``: one joint fit over the n-grams and cue flags *plus a copy of
  them for Thai and for Vietnamese rows* (and one indicator per language; Daume's
  "frustratingly easy domain adaptation"), rows chosen by ``text.model_language`` or by
  data set. The shared weights are the joint model and ``shared + 2 * copy`` the companion,
  so that the shipped average of the two logits gives the adapted fit's logit: the
  companions are fitted *with* the joint model instead of apart from it. No scoring change.
* ``vi_balanced``, ``th_balanced``: the companion fitted with classes balanced.
* ``rest_LAMBDA[_th|_vi]``: the companion fitted on all training messages, its own set at
  weight 1 and every other message at ``LAMBDA`` times its joint weight.
* ``synthetic_0.5``, ``synthetic_0.125``: the synthetic notices' weight (shipped 0.25).
* ``joint_c300``: the joint model's plain fit at C = 300 (shipped 100).
* ``vi_both_forms``: every Vietnamese text with diacritics is read as itself followed by
  itself without diacritics (both models, training and scoring), so accented and
  unaccented copies of one template share n-grams.
"""

from __future__ import annotations

import argparse
import json
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.metrics import f1_score, roc_auc_score

import tangkal.detect.features as features
from tangkal.detect import train
from tangkal.detect.corpus import MessageExample, read_messages
from tangkal.detect.evaluate import is_notice
from tangkal.detect.features import message_extra_names, message_parts
from tangkal.detect.hashing import hash_ngrams
from tangkal.detect.linear import LinearModel
from tangkal.detect.message import score_with
from tangkal.detect.shipped import MessageModels
from tangkal.detect.split import group_ids, is_held_out, is_validation
from tangkal.detect.text import _VIETNAMESE, model_language, normalise_folded

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "detect" / "fixtures"
SETS = ("en_uci", "en_mishra_soni", "id_fraud", "th_scam", "vi_smishing")
ALL_SCAMS = ("ph_reports", "id_scam_bopbi")
FIXTURE_SETS = {
    "fresh3": ("notices_fresh3", "scams_fresh3"),
    "fresh12": ("notices_fresh", "scams_fresh", "notices_fresh2", "scams_fresh2"),
    "dev_stories": ("dev_stories",),
    "dev_nine": ("dev_nine",),
}
COMPANION_SETS = {"th": "th_scam", "vi": "vi_smishing"}
Fit = tuple[npt.NDArray[np.float64], float]


def _fixture(stems: Sequence[str]) -> tuple[list[str], npt.NDArray[np.int64]]:
    """Texts and labels (1 scam) of fixture sets, read as ``benchmarks/fresh_sets.py`` does."""
    texts: list[str] = []
    labels: list[int] = []
    for stem in stems:
        for line in (FIXTURES / f"{stem}.jsonl").read_text("utf-8").splitlines():
            case = json.loads(line)
            legit = case.get("kind") == "notice" or case.get("label") in ("legit", 0)
            scam = not legit and (case.get("label") in ("scam", 1) or "typology" in case)
            if legit or scam:
                texts.append(case["text"])
                labels.append(int(scam))
    return texts, np.array(labels, dtype=np.int64)


class Rows:
    """The training messages as the fits read them (hashed once per variant family)."""

    def __init__(self, examples: Sequence[MessageExample]) -> None:
        s = train.MESSAGE_SETTINGS
        self.bits = int(s["bits"])
        parts = message_parts([e.text for e in examples])
        hashed = hash_ngrams(parts.model_texts, int(s["n_min"]), int(s["n_max"]), self.bits)
        self.grams = sparse.csr_matrix(
            (hashed.values, (hashed.rows, hashed.cols)), shape=(hashed.n_rows, 1 << self.bits)
        )
        self.extras = sparse.csr_matrix(parts.extras)
        self.y = np.array([e.label for e in examples], dtype=np.int64)
        self.sets = np.array([e.dataset for e in examples])
        self.languages = np.array([model_language(t) or "" for t in parts.model_texts])
        self.weights = train.example_weights(examples)

    def fit(
        self, mask: npt.NDArray[np.bool_], weights: npt.NDArray[np.float64], **change: float
    ) -> Fit:
        settings = {key: float(value) for key, value in train.MESSAGE_SETTINGS.items()}
        settings.update(change)
        i = np.flatnonzero(mask)
        return train._fit_averaged(self.grams[i], self.extras[i], self.y[i], weights[i], settings)

    def model(self, fit: Fit) -> LinearModel:
        coef, intercept = fit
        width = 1 << self.bits
        s = train.MESSAGE_SETTINGS
        return LinearModel(
            self.bits, int(s["n_min"]), int(s["n_max"]),
            coef[:width].astype(np.float32),
            message_extra_names(),
            coef[width:].astype(np.float32),
            intercept,
            {"kind": "message"},
        )  # fmt: skip


class Lab:
    """The fit part, the validation part and what every variant shares."""

    def __init__(self) -> None:
        examples = read_messages(DATA)
        groups = group_ids([e.text for e in examples])
        kept = [(e, g) for e, g in zip(examples, groups, strict=True) if not is_held_out(g)]
        self.fit_part = [e for e, g in kept if not is_validation(g)]
        self.validation = [e for e, g in kept if is_validation(g)]
        self.training = [*self.fit_part, *train.synthetic_examples()]
        self.cues = train.fit_cue_model(self.fit_part)
        self.fixtures = {name: _fixture(stems) for name, stems in FIXTURE_SETS.items()}
        self._rows: Rows | None = None
        self._joint: dict[str, Fit] = {}

    @property
    def rows(self) -> Rows:
        if self._rows is None:
            self._rows = Rows(self.training)
        return self._rows

    def joint(self, key: str = "shipped", **change: float) -> Fit:
        if key not in self._joint:
            r = self.rows
            self._joint[key] = r.fit(np.ones(r.y.size, dtype=bool), r.weights, **change)
        return self._joint[key]

    def companion(self, language: str, weights: npt.NDArray[np.float64] | None = None) -> Fit:
        r = self.rows
        own = r.sets == COMPANION_SETS[language]
        return r.fit(own, np.ones(r.y.size) if weights is None else weights)

    def rest(self, language: str, share: float) -> Fit:
        r = self.rows
        own = r.sets == COMPANION_SETS[language]
        return r.fit(np.ones(r.y.size, dtype=bool), np.where(own, 1.0, share * r.weights))

    def models(self, joint: Fit, companions: dict[str, Fit]) -> MessageModels:
        r = self.rows
        by_language = {language: r.model(fit) for language, fit in companions.items()}
        return MessageModels(r.model(joint), self.cues, by_language)

    def shipped_companions(self) -> dict[str, Fit]:
        return {language: self.companion(language) for language in COMPANION_SETS}


def _adapt(lab: Lab, by_set: bool) -> MessageModels:
    """One fit with shared features and a Thai and a Vietnamese copy (module docstring)."""
    r = lab.rows
    width = 1 << r.bits
    n_extras = r.extras.shape[1]
    gram_blocks = [r.grams]
    extra_blocks = [r.extras]
    indicators = []
    languages = tuple(COMPANION_SETS)
    for language in languages:
        chosen = r.sets == COMPANION_SETS[language] if by_set else r.languages == language
        scale = sparse.diags(chosen.astype(np.float64))
        gram_blocks.append(scale @ r.grams)
        extra_blocks.append(scale @ r.extras)
        indicators.append(sparse.csr_matrix(chosen.astype(np.float64)[:, None]))
    grams = sparse.hstack(gram_blocks, format="csr")
    extras = sparse.hstack([*extra_blocks, *indicators], format="csr")
    settings = {key: float(value) for key, value in train.MESSAGE_SETTINGS.items()}
    coef, intercept = train._fit_averaged(grams, extras, r.y, r.weights, settings)
    after = coef[len(gram_blocks) * width :]
    shared = np.concatenate([coef[:width], after[:n_extras]])
    companions: dict[str, Fit] = {}
    for k, language in enumerate(languages, start=1):
        copy = np.concatenate(
            [coef[k * width : (k + 1) * width], after[k * n_extras : (k + 1) * n_extras]]
        )
        bias = float(after[len(extra_blocks) * n_extras + k - 1])
        companions[language] = (shared + 2.0 * copy, intercept + 2.0 * bias)
    return lab.models((shared, intercept), companions)


def _balanced(lab: Lab, language: str) -> MessageModels:
    r = lab.rows
    weights = train._balanced(r.y.tolist(), r.sets.tolist())
    companions = lab.shipped_companions()
    companions[language] = lab.companion(language, weights)
    return lab.models(lab.joint(), companions)


def _rest(lab: Lab, share: float, languages: Sequence[str]) -> MessageModels:
    companions = lab.shipped_companions()
    for language in languages:
        companions[language] = lab.rest(language, share)
    return lab.models(lab.joint(), companions)


def _synthetic(lab: Lab, weight: float) -> MessageModels:
    r = lab.rows
    saved = r.weights
    r.weights = np.where(np.isin(r.sets, train.SYNTHETIC_SETS), weight, 1.0)
    try:
        joint = lab.joint(f"synthetic {weight}")
    finally:
        r.weights = saved
    return lab.models(joint, lab.shipped_companions())


def _strip(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d"))
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def _both_forms(text: str) -> str:
    out = normalise_folded(text)
    if not out.isascii() and _VIETNAMESE.search(out):
        return f"{out} {_strip(out)}"
    return out


_PATCHED = "normalise_folded"  # the name ``features.message_parts`` calls


@contextmanager
def _vietnamese_both_forms(lab: Lab) -> Iterator[None]:
    """Model texts of Vietnamese with diacritics read twice (training and scoring)."""
    saved = getattr(features, _PATCHED)
    saved_rows, saved_joint = lab._rows, lab._joint
    setattr(features, _PATCHED, _both_forms)
    lab._rows, lab._joint = None, {}
    try:
        yield
    finally:
        setattr(features, _PATCHED, saved)
        lab._rows, lab._joint = saved_rows, saved_joint


VARIANTS: dict[str, Callable[[Lab], MessageModels]] = {
    "shipped": lambda lab: lab.models(lab.joint(), lab.shipped_companions()),
    "adapt": lambda lab: _adapt(lab, by_set=False),
    "adapt_by_set": lambda lab: _adapt(lab, by_set=True),
    "vi_balanced": lambda lab: _balanced(lab, "vi"),
    "th_balanced": lambda lab: _balanced(lab, "th"),
    "rest_0.03": lambda lab: _rest(lab, 0.03, ("th", "vi")),
    "rest_0.1": lambda lab: _rest(lab, 0.1, ("th", "vi")),
    "rest_0.3": lambda lab: _rest(lab, 0.3, ("th", "vi")),
    "rest_0.1_th": lambda lab: _rest(lab, 0.1, ("th",)),
    "rest_0.1_vi": lambda lab: _rest(lab, 0.1, ("vi",)),
    "synthetic_0.5": lambda lab: _synthetic(lab, 0.5),
    "synthetic_0.125": lambda lab: _synthetic(lab, 0.125),
    "joint_c300": lambda lab: lab.models(lab.joint("C 300", C=300.0), lab.shipped_companions()),
}
NEEDS_BOTH_FORMS = "vi_both_forms"


def _line(name: str, models: MessageModels, lab: Lab) -> tuple[str, npt.NDArray[np.float64]]:
    validation = lab.validation
    p = np.array([s.scam_probability for s in score_with(models, [e.text for e in validation])])
    y = np.array([e.label for e in validation], dtype=np.int64)
    sets = np.array([e.dataset for e in validation])
    flagged = p >= 0.5
    out = [f"{name:16s}"]
    errors = 0
    for dataset in SETS:
        m = sets == dataset
        wrong = int((flagged[m] != (y[m] == 1)).sum())
        errors += wrong
        f1, auc = f1_score(y[m], flagged[m]), roc_auc_score(y[m], p[m])
        out.append(f"{dataset} {f1:.3f}/{auc:.3f}/{wrong}")
    for dataset in ALL_SCAMS:
        m = sets == dataset
        missed = int((~flagged[m]).sum())
        errors += missed
        out.append(f"{dataset} missed {missed}/{int(m.sum())}")
    notice = np.array([is_notice(e) for e in validation])
    out.append(f"notices {int(flagged[notice].sum())}/{int(notice.sum())}, errors {errors}")
    for fixture, (texts, labels) in lab.fixtures.items():
        q = np.array([s.scam_probability for s in score_with(models, texts)]) >= 0.5
        legit, scams = labels == 0, labels == 1
        out.append(
            f"{fixture} {int(q[legit].sum())}/{int(legit.sum())}, {int(q[scams].sum())}/{int(scams.sum())}"
        )
    return "  ".join(out), p


def main(names: Sequence[str], save: Path | None) -> None:
    lab = Lab()
    for name in names:
        start = time.perf_counter()
        if name == NEEDS_BOTH_FORMS:
            with _vietnamese_both_forms(lab):
                line, p = _line(name, lab.models(lab.joint(), lab.shipped_companions()), lab)
        else:
            line, p = _line(name, VARIANTS[name](lab), lab)
        print(f"{line}  ({time.perf_counter() - start:.0f} s)", flush=True)
        if save is not None:
            np.save(save / f"p_{name}.npy", p)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("variants", nargs="*", default=["shipped"])
    parser.add_argument("--save", type=Path, default=None)
    args = parser.parse_args()
    unknown = set(args.variants) - {*VARIANTS, NEEDS_BOTH_FORMS}
    if unknown:
        parser.error(f"unknown variants: {sorted(unknown)}")
    main(args.variants, args.save)

"""The shipped model format: a hashed linear model in a pickle-free ``.npz`` file.

A model is ``2**bits`` n-gram weights, a few weights for named extra features (cues, link
flags) and an intercept. ``numpy.load(allow_pickle=False)`` reads it: no code runs when a
model file is opened, unlike pickle/joblib, and the file is a few megabytes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tangkal.detect.hashing import Hashed, hash_ngrams, hash_words, join_hashed

__all__ = ["LinearModel", "load_model", "save_model"]

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Weights of one logistic model over hashed n-grams plus named extra features."""

    bits: int
    n_min: int
    n_max: int
    ngram_coef: npt.NDArray[np.float32]
    extra_names: tuple[str, ...]
    extra_coef: npt.NDArray[np.float32]
    intercept: float
    meta: dict[str, Any]
    words: int = 0  # word 1..words-grams of a second text, hashed into the same buckets
    # extra_coef in float64, as every score multiplies it (converted once, not per call)
    extra_coef64: npt.NDArray[np.float64] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra_coef64", self.extra_coef.astype(np.float64))

    def hash(self, texts: Sequence[str], word_texts: Sequence[str] | None = None) -> Hashed:
        """Hash texts with this model's n-gram settings (plus word n-grams when it has them)."""
        hashed = hash_ngrams(texts, self.n_min, self.n_max, self.bits)
        if self.words and word_texts is not None:
            hashed = join_hashed(hashed, hash_words(word_texts, self.words, self.bits))
        return hashed

    def logits(
        self, hashed: Hashed | None, extras: npt.NDArray[np.float32], n_rows: int
    ) -> npt.NDArray[np.float64]:
        """Decision values: n-gram part (when ``hashed`` is given) + extras + intercept."""
        out = np.full(n_rows, self.intercept, dtype=np.float64)
        if hashed is not None and hashed.rows.size:
            contrib = self.ngram_coef.take(hashed.cols) * hashed.values
            out += np.bincount(hashed.rows, weights=contrib, minlength=n_rows)
        if self.extra_coef.size:
            out += extras.astype(np.float64) @ self.extra_coef64
        return out


def save_model(model: LinearModel, path: Path) -> None:
    """Write a model as compressed ``.npz`` (byte-identical for identical weights)."""
    header = {
        "format": FORMAT_VERSION,
        "bits": model.bits,
        "n_min": model.n_min,
        "n_max": model.n_max,
        "words": model.words,
        "extra_names": list(model.extra_names),
        "intercept": model.intercept,
        "meta": model.meta,
    }
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        header=np.array(json.dumps(header, sort_keys=True)),
        ngram_coef=model.ngram_coef.astype(np.float32),
        extra_coef=model.extra_coef.astype(np.float32),
    )
    path.write_bytes(buffer.getvalue())


def npz_header(data: Any, version: int, what: str) -> dict[str, Any]:
    """The JSON header of a shipped npz file, refused when written in another format."""
    header: dict[str, Any] = json.loads(str(data["header"]))
    if header["format"] != version:
        raise ValueError(f"{what} format {header['format']} is not {version}")
    return header


def load_model(raw: bytes) -> LinearModel:
    """Read a model written by :func:`save_model` (no pickle)."""
    with np.load(io.BytesIO(raw), allow_pickle=False) as data:
        header = npz_header(data, FORMAT_VERSION, "model")
        return LinearModel(
            bits=int(header["bits"]),
            n_min=int(header["n_min"]),
            n_max=int(header["n_max"]),
            ngram_coef=data["ngram_coef"].astype(np.float32),
            extra_names=tuple(header["extra_names"]),
            extra_coef=data["extra_coef"].astype(np.float32),
            intercept=float(header["intercept"]),
            meta=dict(header["meta"]),
            words=int(header.get("words", 0)),
        )

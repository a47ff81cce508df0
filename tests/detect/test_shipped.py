"""Shipped files: small, pickle-free, loadable from the package alone, exported API pinned."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import tangkal.detect
from tangkal.detect.shipped import link_model, message_models


def test_public_api() -> None:
    assert sorted(tangkal.detect.__all__) == [
        "DetectInputError",
        "LinkScore",
        "MessageScore",
        "Reason",
        "scam_probabilities",
        "score_link",
        "score_links",
        "score_message",
        "score_messages",
    ]


def test_models_load_and_are_small() -> None:
    models = message_models()
    assert models.joint.ngram_coef.size == 1 << models.joint.bits
    assert link_model().linear.bits > 0
    folder = resources.files("tangkal.detect")
    total = sum(
        entry.stat().st_size  # type: ignore[attr-defined]  # a real path in a src checkout
        for sub in ("models", "data")
        for entry in folder.joinpath(sub).iterdir()  # type: ignore[union-attr]
    )
    assert total <= 20 * 1024 * 1024


def test_import_is_cheap() -> None:
    code = "import sys, tangkal.detect; print('sklearn' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]

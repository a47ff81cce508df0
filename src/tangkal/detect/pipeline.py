"""``tangkal detect train``: rebuild every shipped model and list from ``../shared/data``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tangkal.detect.corpus import read_messages
from tangkal.detect.linear import save_model
from tangkal.detect.reference import write_reference_lists
from tangkal.detect.text import MODEL_LANGUAGES
from tangkal.detect.train import (
    fit_cue_model,
    fit_language_models,
    fit_message_model,
    fit_url_model,
    synthetic_examples,
    url_threshold,
)
from tangkal.detect.trees import save_trees
from tangkal.detect.urlset import url_examples

__all__ = ["MESSAGE_THRESHOLD", "PARTS", "package_dir", "train_all"]

# Per-language thresholds chosen on a validation part did worse on the held-out part than
# one shared 0.5 (docs/detection.md); the link threshold is chosen on validation data.
MESSAGE_THRESHOLD = 0.5


def package_dir() -> Path:
    """The source folder of ``tangkal.detect`` (models/ and data/ live under it)."""
    return Path(__file__).resolve().parent


PARTS = ("messages", "links")


def train_all(
    root: Path,
    progress: Callable[[str], None],
    out: Path | None = None,
    only: str | None = None,
) -> dict[str, Any]:
    """Fit all models on every available example and write them into the package.

    ``only="messages"`` writes the message files alone (``message*.npz``, ``cues.npz``),
    byte-identical to what the full run writes; ``only="links"`` the domain lists and the
    link files. Message features read the link rules, whose lists (``brands.json``,
    shorteners, popular domains) are the ones in the package either way.
    """
    if only is not None and only not in PARTS:
        raise ValueError(f"only must be one of {PARTS}, not {only!r}")
    base = out or package_dir()
    (base / "models").mkdir(parents=True, exist_ok=True)
    (base / "data").mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {}
    if only in (None, "links"):
        progress("writing domain lists")
        report["lists"] = write_reference_lists(root, base / "data")
    if only in (None, "messages"):
        report["messages"] = _train_messages(root, base, progress)
    if only in (None, "links"):
        report["urls"] = _train_links(root, base, progress)
    return report


def _train_messages(root: Path, base: Path, progress: Callable[[str], None]) -> int:
    examples = read_messages(root)
    if not examples:
        raise FileNotFoundError(f"no labelled messages under {root}")
    # The joint model also reads the generated notices (``notices.py``, training only).
    synthetic = synthetic_examples()
    progress(f"fitting message model on {len(examples)} messages and {len(synthetic)} synthetic")
    joint = fit_message_model([*examples, *synthetic])
    joint.meta["threshold"] = MESSAGE_THRESHOLD
    save_model(joint, base / "models/message.npz")
    save_model(fit_cue_model(examples), base / "models/cues.npz")
    companions = fit_language_models(examples)
    progress(f"fitted language models: {', '.join(companions) or 'none'}")
    for language in MODEL_LANGUAGES:
        path = base / f"models/message_{language}.npz"
        if language in companions:
            companions[language].meta["threshold"] = MESSAGE_THRESHOLD
            save_model(companions[language], path)
        else:
            path.unlink(missing_ok=True)  # no set for it: the joint model serves it alone
    return len(examples)


def _train_links(root: Path, base: Path, progress: Callable[[str], None]) -> int:
    urls = url_examples(root)
    progress(f"fitting URL model on {len(urls)} URLs and domains")
    progress("choosing the link threshold on a validation part")
    threshold, info = url_threshold(urls)
    link = fit_url_model(urls)
    link.linear.meta["threshold"] = threshold
    link.linear.meta.update(info)
    save_model(link.linear, base / "models/link.npz")
    if link.trees is not None:
        (base / "models/link_trees.npz").write_bytes(save_trees(link.trees))
    return len(urls)

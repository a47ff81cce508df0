"""The shipped model files, loaded lazily once per process.

Importing ``tangkal.detect`` reads nothing; the first score call loads the ``.npz`` files
from the package (``models/``), never from ``../shared/data``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from tangkal.detect.linear import LinearModel, load_model
from tangkal.detect.text import MODEL_LANGUAGES
from tangkal.detect.trees import load_trees
from tangkal.detect.urlmodel import UrlModel

__all__ = ["MessageModels", "link_model", "message_models", "model_bytes"]


@dataclass(frozen=True, slots=True)
class MessageModels:
    """The joint n-gram + cue model, the cue-only model, and per-language companions.

    ``by_language`` maps a language (``text.model_language``) to a model of the same
    n-gram settings fitted on that language's set alone; its logit is averaged with the
    joint model's for texts in that language.
    """

    joint: LinearModel
    cues: LinearModel
    by_language: dict[str, LinearModel] = field(default_factory=dict)

    @property
    def threshold(self) -> float:
        """Probability at or above which a message counts as a scam."""
        return float(self.joint.meta.get("threshold", 0.5))


def model_bytes(name: str) -> bytes:
    """Raw bytes of a shipped model file."""
    return resources.files("tangkal.detect").joinpath(f"models/{name}").read_bytes()


@cache
def message_models() -> MessageModels:
    """The shipped message models (loaded on first use)."""
    by_language = {
        language: load_model(model_bytes(f"message_{language}.npz")) for language in MODEL_LANGUAGES
    }
    return MessageModels(
        load_model(model_bytes("message.npz")), load_model(model_bytes("cues.npz")), by_language
    )


@cache
def link_model() -> UrlModel:
    """The shipped URL model: linear stage and, when shipped, the tree stage (first use)."""
    linear = load_model(model_bytes("link.npz"))
    try:
        trees = load_trees(model_bytes("link_trees.npz"))
    except FileNotFoundError:
        trees = None  # a model built before the tree stage: the linear model alone
    return UrlModel(linear, trees)

"""The URL model: a linear model over URL n-grams, stacked under a small tree ensemble.

Stage one (``link.npz``) is the hashed linear model: which strings look like phishing.
Stage two (``link_trees.npz``, optional) is a gradient-boosted tree ensemble over the
lexical features of ``urlfeatures.py`` plus stage one's logit: how long, how deep, how
digit-heavy, on which kind of host — and how far to trust the logit for such a URL.
Without the second file the linear model's probability is the model risk, as before.
Both stages read a home page in one form, the bare host (``domains.home_page_form``), in
training and in scoring: how a host is written is no evidence (session 10).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tangkal.detect.domains import ParsedUrl, home_page_form
from tangkal.detect.features import url_model_text, url_tokens
from tangkal.detect.linear import LinearModel
from tangkal.detect.trees import TreeEnsemble
from tangkal.detect.urlfeatures import url_feature_matrix

__all__ = ["UrlModel", "linear_logits", "model_risks"]


@dataclass(frozen=True, slots=True)
class UrlModel:
    """The linear URL model and, when shipped, the tree stage stacked on its logit."""

    linear: LinearModel
    trees: TreeEnsemble | None = None

    @property
    def threshold(self) -> float:
        """Link risk at or above which a link counts as phishing (chosen on validation)."""
        return float(self.linear.meta.get("threshold", 0.7))


def linear_logits(model: LinearModel, parsed: Sequence[ParsedUrl]) -> npt.NDArray[np.float64]:
    """Decision values of the linear stage: character n-grams of the URL and its words
    (a home page read as its bare host, ``home_page_form``)."""
    parsed = [home_page_form(url) for url in parsed]
    texts = [url_model_text(url.text) for url in parsed]
    words = [url_tokens(url) for url in parsed] if model.words else None
    return model.logits(model.hash(texts, words), np.zeros((len(texts), 0), np.float32), len(texts))


def model_risks(model: UrlModel, parsed: Sequence[ParsedUrl]) -> npt.NDArray[np.float64]:
    """Model probability per URL: the tree stage's when present, else the linear model's.

    A home page is read as its bare host (``home_page_form``): ``foo.com``,
    ``www.foo.com`` and ``https://www.foo.com/`` get one probability.
    """
    parsed = [home_page_form(url) for url in parsed]
    logits = linear_logits(model.linear, parsed)
    if model.trees is None:
        out: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-logits))
        return out
    return model.trees.probabilities(url_feature_matrix(parsed, logits))

"""Detect: scores how likely a message or link is a scam, with reasons a person can read.

Importing this package is cheap: numpy and the model files load on the first score call.

>>> from tangkal.detect import score_link
>>> score_link("bca.co.id.verify-login.top").risk >= 0.9
True
"""

from __future__ import annotations

from collections.abc import Sequence

from tangkal.detect.errors import DetectInputError
from tangkal.detect.result import LinkScore, MessageScore, Reason
from tangkal.once import once

__all__ = [
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


@once
def _load() -> None:
    """Models, cues, brands and domain lists, loaded by the first score call, in one thread.

    They sit behind ``functools.cache``, which lets many threads load the same model at once
    (see ``tangkal.once``): warming them up here, under the lock, makes the others wait instead.
    """
    from tangkal.detect import link, message

    message.score_messages(["warm up: transfer to 0812 3456 7890 https://example.com"])
    link.score_links(["https://example.com/login", "bca.co.id.verify-login.top"])


def score_message(text: str, language: str | None = None) -> MessageScore:
    """Scam probability, typology and reasons for one message (see ``message.py``)."""
    _load()
    from tangkal.detect import message

    return message.score_message(text, language)


def score_messages(texts: Sequence[str]) -> list[MessageScore]:
    """Score a batch of messages at once (vectorised; use it for imports)."""
    _load()
    from tangkal.detect import message

    return message.score_messages(texts)


def scam_probabilities(texts: Sequence[str]) -> list[float]:
    """Only the scam probability of each text, equal to ``score_messages``' (bulk import).

    Skips match texts, reasons and typology, which cost most of ``score_messages``' time.
    """
    _load()
    from tangkal.detect import message

    return message.scam_probabilities(texts)


def score_link(url_or_domain: str) -> LinkScore:
    """Risk and reasons for one URL or bare domain (see ``link.py``)."""
    _load()
    from tangkal.detect import link

    return link.score_link(url_or_domain)


def score_links(values: Sequence[str]) -> list[LinkScore]:
    """Score a batch of URLs or domains."""
    _load()
    from tangkal.detect import link

    return link.score_links(values)

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

__all__ = [
    "DetectInputError",
    "LinkScore",
    "MessageScore",
    "Reason",
    "score_link",
    "score_links",
    "score_message",
    "score_messages",
]


def score_message(text: str, language: str | None = None) -> MessageScore:
    """Scam probability, typology and reasons for one message (see ``message.py``)."""
    from tangkal.detect import message

    return message.score_message(text, language)


def score_messages(texts: Sequence[str]) -> list[MessageScore]:
    """Score a batch of messages at once (vectorised; use it for imports)."""
    from tangkal.detect import message

    return message.score_messages(texts)


def score_link(url_or_domain: str) -> LinkScore:
    """Risk and reasons for one URL or bare domain (see ``link.py``)."""
    from tangkal.detect import link

    return link.score_link(url_or_domain)


def score_links(values: Sequence[str]) -> list[LinkScore]:
    """Score a batch of URLs or domains."""
    from tangkal.detect import link

    return link.score_links(values)

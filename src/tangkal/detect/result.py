"""Result types of the detectors: scores with reasons a person can read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

__all__ = ["LinkScore", "MessageScore", "Reason"]


@dataclass(frozen=True, slots=True)
class Reason:
    """One plain-language reason; ``code`` + ``params`` let the web layer translate it.

    >>> Reason("imitates_brand", "Link imitates bca.co.id", {"brand": "bca.co.id"}).code
    'imitates_brand'
    """

    code: str
    text: str
    params: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, code: str, **params: str) -> Reason:
        """The reason ``code`` with its shipped English text (``data/reasons.json``).

        One text per code, kept where the translators' tools read it, so that a reason
        shown in Thai says what the English one says.

        >>> Reason.of("imitates_brand", brand="bca.co.id").text
        'Link imitates bca.co.id'
        """
        return cls(code, _texts()[code].format_map(params), params)


@cache
def _texts() -> dict[str, str]:
    raw = resources.files("tangkal.detect").joinpath("data/reasons.json").read_text("utf-8")
    return {item["code"]: item["text"] for item in json.loads(raw)["reasons"]}


@dataclass(frozen=True, slots=True)
class MessageScore:
    """How likely a message is a scam, which kind, and why (at most five reasons)."""

    scam_probability: float
    typology: str | None
    reasons: list[Reason]


@dataclass(frozen=True, slots=True)
class LinkScore:
    """How risky a URL or domain is, and why."""

    risk: float
    reasons: list[Reason]

"""Result types of the detectors: scores with reasons a person can read."""

from __future__ import annotations

from dataclasses import dataclass, field

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

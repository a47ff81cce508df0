"""Errors the detectors raise on input they refuse to score.

InvalidInput (tangkal.errors)
└── DetectInputError        also a ValueError: not a str, empty link, unparsable link
"""

from __future__ import annotations

from tangkal.errors import InvalidInput

__all__ = ["DetectInputError"]


class DetectInputError(InvalidInput, ValueError):
    """Raised for input no detector can score; a ValueError so plain callers can catch it."""

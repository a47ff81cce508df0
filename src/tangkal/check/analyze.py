"""Analyse a message: its language and the indicators in it (the ``analyze`` contract)."""

from __future__ import annotations

from typing import Any

from tangkal.report.extract import Found, extract
from tangkal.report.language import detect_language

__all__ = ["MAX_TEXT", "analyze", "found_as_dict"]

# Longer texts are refused by the API (413); extraction itself also bounds its work.
MAX_TEXT = 100_000


def found_as_dict(f: Found) -> dict[str, Any]:
    return {"kind": f.kind, "value": f.value, "role": f.role, "raw": f.raw, **f.attributes}


def analyze(text: str, country: str | None = None) -> dict[str, Any]:
    """``{"language": ..., "indicators": [{"kind", "value", ...}], ...}`` — a stable shape."""
    return {
        "language": detect_language(text),
        "country": country,
        "indicators": [found_as_dict(f) for f in extract(text, country)],
    }

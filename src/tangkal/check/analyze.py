"""Analyse a message: language, indicators, and the models' opinion (the ``analyze`` contract)."""

from __future__ import annotations

from typing import Any

from tangkal.detect import Reason, score_links, score_message
from tangkal.report.extract import Found, extract
from tangkal.report.language import detect_language

__all__ = ["MAX_TEXT", "analyze", "found_as_dict", "reason_as_dict"]

# Longer texts are refused by the API (413); extraction itself also bounds its work.
MAX_TEXT = 100_000


def found_as_dict(f: Found) -> dict[str, Any]:
    return {"kind": f.kind, "value": f.value, "role": f.role, "raw": f.raw, **f.attributes}


def reason_as_dict(r: Reason) -> dict[str, Any]:
    return {"code": r.code, "text": r.text, "params": dict(r.params)}


def analyze(text: str, country: str | None = None) -> dict[str, Any]:
    """``{"language", "indicators", "scam_probability", "typology", "reasons"}``.

    A stable shape used outside the test suite: keys are only ever added. URL and domain
    indicators carry the link model's ``risk`` and its ``reasons``.
    """
    language = detect_language(text)
    found = extract(text, country)
    indicators = [found_as_dict(f) for f in found]
    links = [i for i in indicators if i["kind"] in ("url", "domain")]
    if links:
        for item, scored in zip(links, score_links([i["value"] for i in links]), strict=True):
            item["risk"] = round(scored.risk, 3)
            item["reasons"] = [reason_as_dict(r) for r in scored.reasons]
    message = score_message(text, None if language == "und" else language)
    return {
        "language": language,
        "country": country,
        "indicators": indicators,
        "scam_probability": round(message.scam_probability, 4),
        "typology": message.typology,
        "reasons": [reason_as_dict(r) for r in message.reasons],
    }

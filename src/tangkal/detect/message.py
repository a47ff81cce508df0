"""Scoring messages: probability of a scam, its typology and plain-language reasons."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tangkal.detect.cues import load_cues
from tangkal.detect.errors import DetectInputError
from tangkal.detect.features import message_parts
from tangkal.detect.result import MessageScore, Reason
from tangkal.detect.shipped import MessageModels, message_models
from tangkal.detect.text import SCRIPTS_WITHOUT_TRAINING_DATA, dominant_script
from tangkal.detect.typology import typology_of

__all__ = ["LANGUAGES", "MAX_BATCH", "score_message", "score_messages", "score_with"]

LANGUAGES = frozenset({"id", "ms", "th", "vi", "tl", "km", "my", "lo", "en"})
_UNSEEN_LANGUAGES = frozenset({"km", "my", "lo"})
MAX_REASONS = 5
MAX_BATCH = 100_000  # bounded work per call; callers split larger imports


def _check(texts: Sequence[object]) -> None:
    if isinstance(texts, str):
        raise DetectInputError("pass a sequence of texts, not one string", field="texts")
    if len(texts) > MAX_BATCH:
        raise DetectInputError(f"at most {MAX_BATCH} texts per call", field="texts")
    for text in texts:
        if not isinstance(text, str):
            raise DetectInputError("every message must be a str", field="text")


RULE_BIAS = -3.5
STRONG_LINK_BONUS = 2.0


def _rule_logit(cue_weights: list[float], strong_link: bool) -> float:
    """Hand-set rule score: weights from ``cues.json``, plus a bonus for an imitating link."""
    return RULE_BIAS + sum(cue_weights) + (STRONG_LINK_BONUS if strong_link else 0.0)


def score_with(
    models: MessageModels, texts: Sequence[str], languages: Sequence[str | None] | None = None
) -> list[MessageScore]:
    """Score texts with the given models (the shipped ones or freshly trained ones).

    The probability is the larger of the character model and the hand-set cue rules, so a
    message must look like known scams *or* show several scam cues. For Khmer, Burmese and
    Lao (no training data) only the cue rules apply.
    """
    _check(texts)
    if not texts:
        return []
    parts = message_parts(texts)
    n = len(texts)
    joint = models.joint.logits(models.joint.hash(parts.model_texts), parts.extras, n)
    cues = {cue.code: cue for cue in load_cues()}
    threshold = models.threshold
    scores: list[MessageScore] = []
    for row, text in enumerate(texts):
        if not parts.model_texts[row]:
            reason = Reason("empty_message", "The message is empty", {})
            scores.append(MessageScore(0.0, None, [reason]))
            continue
        language = languages[row] if languages else None
        unseen = (
            language in _UNSEEN_LANGUAGES or dominant_script(text) in SCRIPTS_WITHOUT_TRAINING_DATA
        )
        hits = sorted(parts.cues[row], key=lambda hit: -cues[hit.code].weight)
        strong_links = [hit for hit in parts.link_hits[row] if hit.strength >= 0.7]
        rule = _rule_logit([cues[h.code].weight for h in hits], bool(strong_links))
        # Genuine-notice cues (receipts, "never share this code") also pull the character
        # model down: its n-grams cannot tell a real OTP from a phishing one.
        damping = sum(min(cues[h.code].weight, 0.0) for h in hits)
        logit = rule if unseen else max(float(joint[row]) + damping, rule)
        probability = float(1.0 / (1.0 + np.exp(-logit)))
        reasons = [hit.reason for hit in strong_links]
        for hit in hits:
            cue = cues[hit.code]
            if cue.is_reason and cue.weight > 0.0:
                reasons.append(Reason(cue.code, cue.text, {"match": hit.match}))
        flagged = probability >= threshold
        if flagged and parts.urls[row] and not strong_links:
            url = parts.urls[row][0]
            reasons.append(
                Reason("contains_link", f"Asks you to open a link ({url})", {"url": url})
            )
        if flagged and not reasons:
            text_ = "Wording closely resembles known scam messages"
            reasons.append(Reason("resembles_known_scams", text_, {}))
        if not flagged and not reasons:
            reasons.append(Reason("no_scam_signs", "No common scam signs found", {}))
        typology = None
        if flagged:
            link_codes = {h.reason.code for h in parts.link_hits[row]}
            typology = typology_of({h.code for h in hits}, link_codes)
        scores.append(MessageScore(round(probability, 4), typology, reasons[:MAX_REASONS]))
    return scores


def score_messages(texts: Sequence[str]) -> list[MessageScore]:
    """Score many messages at once (vectorised; the way to score imports).

    >>> [s.typology for s in score_messages(["Selamat! Anda menang hadiah Rp 50 juta"])]
    ['lottery_prize']
    """
    return score_with(message_models(), texts)


def score_message(text: str, language: str | None = None) -> MessageScore:
    """Score one message; ``language`` (ISO 639-1) is a hint, detected when omitted.

    >>> score_message("Your OTP is 123456. Do not share it with anyone.").typology is None
    True
    """
    if language is not None and language not in LANGUAGES:
        language = None  # an unknown hint is ignored rather than refused
    return score_with(message_models(), [text], [language])[0]

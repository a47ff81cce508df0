"""Evidence (and the models' opinion) in, verdict and score out — pure, so it is easy to test.

The rules are written out for people in docs/verdicts.md; keep the two in step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["Evidence", "Verdict", "decide", "rule", "rule_seen"]

HALF_LIFE_DAYS = 365.0
SCAM_SCORE = 50
SUSPICIOUS_SCORE = 20
# The models alone can make a value suspicious, never scam: a verdict of scam needs people.
MODEL_CAP = 45
# A link risk counts only from the link model's operating threshold up (``link.npz``, chosen
# on validation data; a test holds the two together). Below it the link model itself says
# "not phishing", yet 45 x risk reached the suspicious line from 0.44 on: on validation
# (session 10, random split) that called 21 % of legitimate Hannousse URLs and 53 % of the
# home pages of little-known legitimate sites suspicious, against 5 % and 9 % from the
# threshold (0.90) up. Every link rule with a strength scores 0.90 or more, so this drops
# model-only risks only.
MODEL_FLOOR = 0.90


@dataclass(frozen=True, slots=True)
class Evidence:
    reports: int = 0
    reporters: int = 0
    trusted_reporters: int = 0
    countries: tuple[str, ...] = ()
    typologies: tuple[str, ...] = ()
    first_seen: dt.datetime | None = None
    last_seen: dt.datetime | None = None
    loss_usd: float = 0.0
    delisted: bool = False


@dataclass(frozen=True, slots=True)
class Verdict:
    verdict: str  # scam | suspicious | no_reports | allowlisted
    score: int  # 0–100


def decide(
    evidence: Evidence,
    now: dt.datetime,
    *,
    allowlisted: bool = False,
    model_risk: float | None = None,
) -> Verdict:
    """Combine corroboration, age and model risk (the rules: ``rule``)."""
    verdict, score = rule(
        evidence.reporters, evidence.trusted_reporters, evidence.last_seen, evidence.delisted,
        now, allowlisted, model_risk,
    )  # fmt: skip
    return Verdict(verdict, score)


def rule(
    reporters: int,
    trusted: int,
    last_seen: dt.datetime | None,
    delisted: bool,
    now: dt.datetime,
    allowlisted: bool,
    model_risk: float | None,
) -> tuple[str, int]:
    """The verdict and score from the fields they depend on.

    Anti-poisoning: one report from an untrusted reporter never makes ``scam``; it takes
    two independent reporters, or one trusted organisation (police, CERT, bank…). Plain
    arguments rather than an ``Evidence``: a bank's 10,000-value screen calls this straight
    from the stored rows.
    """
    if allowlisted:
        return "allowlisted", 0
    if delisted:
        reporters = trusted = 0
    weight = reporters + 2 * trusted
    raw = 100.0 * (1.0 - 0.5 ** (weight / 2.0))
    if last_seen is not None and weight:
        age_days = (now - last_seen).total_seconds() / 86400.0
        if age_days > 0.0:
            raw *= 0.5 ** (age_days / HALF_LIFE_DAYS)
    if model_risk is not None and model_risk >= MODEL_FLOOR:
        raw = max(raw, min(model_risk, 1.0) * MODEL_CAP)
    score = round(min(raw, 100.0))
    if (reporters >= 2 or trusted >= 1) and score >= SCAM_SCORE:
        return "scam", score
    if score >= SUSPICIOUS_SCORE or reporters >= 1:
        return "suspicious", max(score, SUSPICIOUS_SCORE)
    return "no_reports", score


# ``rule``'s score before decay for each weight (reporters + 2 × trusted), computed as it does.
_BASE = tuple(100.0 * (1.0 - 0.5 ** (weight / 2.0)) for weight in range(64))


def rule_seen(reporters: int, trusted: int, age: dt.timedelta) -> tuple[str, int]:
    """``rule`` for a value last seen ``age`` ago, neither delisted nor allowlisted, without
    a model risk: a bank's screen asks this of almost every reported value.

    The same arithmetic in the same order, so the same floats and the same answer
    (``tests/check/test_verdict.py``): the score before decay comes from a table, and
    ``min(raw, 100.0)`` is left out because neither factor exceeds 100 or 1.
    """
    weight = reporters + 2 * trusted
    raw = _BASE[weight] if weight < 64 else 100.0 * (1.0 - 0.5 ** (weight / 2.0))
    if weight:
        age_days = age.total_seconds() / 86400.0
        if age_days > 0.0:
            raw *= 0.5 ** (age_days / HALF_LIFE_DAYS)
    score = round(raw)
    if (reporters >= 2 or trusted >= 1) and score >= SCAM_SCORE:
        return "scam", score
    if score >= SUSPICIOUS_SCORE or reporters >= 1:
        return "suspicious", max(score, SUSPICIOUS_SCORE)
    return "no_reports", score

"""Scoring links: risk of a URL or domain from the URL model and the link rules."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from tangkal.detect.domains import ParsedUrl, parse_url
from tangkal.detect.errors import DetectInputError
from tangkal.detect.linear import LinearModel
from tangkal.detect.linkrules import link_rules
from tangkal.detect.result import LinkScore, Reason
from tangkal.detect.shipped import link_model
from tangkal.detect.urlmodel import UrlModel, linear_logits, model_risks

__all__ = ["MAX_LINKS", "score_link", "score_links", "score_links_with", "url_logits"]

MAX_LINKS = 100_000
_OWN_ENDING = frozenset({"url_shortener", "free_hosting", "popular_domain"})


def _combine(model_risk: float, url: ParsedUrl) -> LinkScore:
    hits = link_rules(url)
    risk = max([model_risk, *(hit.strength for hit in hits)])
    caps = [hit.cap for hit in hits if hit.cap is not None]
    if caps:
        risk = min(risk, *caps)
    reasons = [hit.reason for hit in hits]
    codes = {reason.code for reason in reasons}
    if "abused_tld" in codes and codes & _OWN_ENDING:
        # bit.ly's .ly, t.me's .me, web.app's .app: the site chose the ending, not the
        # scammer; calling it cheap points the reader at the wrong site. (The rule still
        # fires: the message model's link flags were trained with it.)
        reasons = [reason for reason in reasons if reason.code != "abused_tld"]
    if model_risk >= 0.5 and not any(hit.strength > 0 for hit in hits) and not caps:
        reasons.insert(0, Reason.of("resembles_phishing_urls", model_risk=f"{model_risk:.2f}"))
    if not reasons:
        reasons.append(Reason.of("no_link_risk_signs"))
    return LinkScore(round(float(risk), 4), reasons[:5])


def url_logits(model: LinearModel, parsed: Sequence[ParsedUrl]) -> npt.NDArray[np.float64]:
    """Decision values of the linear URL model: character n-grams of the URL and its words."""
    return linear_logits(model, parsed)


def _refuse_bad_batch(values: Sequence[str]) -> None:
    if isinstance(values, str):
        raise DetectInputError("pass a sequence of links, not one string", field="values")
    if len(values) > MAX_LINKS:
        raise DetectInputError(f"at most {MAX_LINKS} links per call", field="values")


def score_links_with(model: UrlModel, values: Sequence[str]) -> list[LinkScore]:
    """Score links with a given URL model (shipped or freshly trained)."""
    _refuse_bad_batch(values)
    parsed = [parse_url(value) for value in values]
    risks = model_risks(model, parsed)
    return [_combine(float(risk), url) for risk, url in zip(risks, parsed, strict=True)]


def score_links(values: Sequence[str]) -> list[LinkScore]:
    """Score many URLs or domains at once; raises DetectInputError on an empty value.

    The shipped model's answers are kept per link: a campaign sends one link to many people,
    who paste it into Check and `POST /api/v1/analyze`, and a link costs ~0.5–1 ms to score
    (parsing, two n-gram hashings, the trees) against ~1 µs to look up. The answer depends on
    the link alone, so a kept one is the one scoring would give again.
    """
    _refuse_bad_batch(values)
    found: dict[str, LinkScore] = {}
    fresh: list[str] = []
    for value in dict.fromkeys(values):
        kept = _KEPT.get(value)  # .get: another thread may clear the dict meanwhile
        if kept is None:
            fresh.append(value)
        else:
            found[value] = kept
    if fresh:
        scores = score_links_with(link_model(), fresh)
        found.update(zip(fresh, scores, strict=True))
        if len(_KEPT) + len(fresh) > _KEPT_MAX:
            _KEPT.clear()
        if len(fresh) <= _KEPT_MAX:
            _KEPT.update(zip(fresh, scores, strict=True))
    return [found[value] for value in values]


# The shipped model's score of each link seen lately (a bound on memory: ~1 KB a link).
# Cleared whole when full, as the message features' link cache is: a campaign's link comes
# back within minutes, so a simple bound loses little against an LRU's bookkeeping.
_KEPT: dict[str, LinkScore] = {}
_KEPT_MAX = 65_536


def score_link(url_or_domain: str) -> LinkScore:
    """Score one URL or bare domain.

    >>> score_link("bca.co.id.verify-login.top").reasons[0].code
    'brand_in_subdomain'
    """
    return score_links([url_or_domain])[0]

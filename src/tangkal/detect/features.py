"""Feature extraction shared by training and scoring (messages and URLs)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from tangkal.detect.cues import CueHit, cue_codes, find_cues, prepare
from tangkal.detect.domains import ParsedUrl, parse_url
from tangkal.detect.errors import DetectInputError
from tangkal.detect.linkrules import RuleHit, link_rules
from tangkal.detect.text import find_urls, normalise

__all__ = [
    "LINK_FLAGS",
    "MessageParts",
    "message_extra_names",
    "message_parts",
    "url_model_text",
    "url_tokens",
]

# Link facts a message model may use without running the URL model (cheap rules only).
LINK_FLAGS = ("has_link", "link_rule_strong", "link_rule_weak")


@dataclass(frozen=True, slots=True)
class MessageParts:
    """What scoring needs from a batch of messages: model text, extras, and evidence."""

    model_texts: list[str]
    extras: npt.NDArray[np.float32]
    cues: list[list[CueHit]]
    urls: list[list[str]]
    link_hits: list[list[RuleHit]]


def message_extra_names() -> tuple[str, ...]:
    """Names of the extra (non n-gram) message features, in column order."""
    return (*cue_codes(), *LINK_FLAGS)


@lru_cache(maxsize=65_536)
def _link_hits(url: str) -> tuple[RuleHit, ...]:
    try:
        return tuple(link_rules(parse_url(url)))
    except DetectInputError:
        return ()


def message_parts(texts: Sequence[str]) -> MessageParts:
    """Normalise texts and compute their cue and link features."""
    codes = cue_codes()
    column = {code: i for i, code in enumerate(codes)}
    extras = np.zeros((len(texts), len(codes) + len(LINK_FLAGS)), dtype=np.float32)
    all_cues: list[list[CueHit]] = []
    all_urls: list[list[str]] = []
    all_links: list[list[RuleHit]] = []
    base = len(codes)
    for row, text in enumerate(texts):
        prepared = prepare(text)
        hits = find_cues(prepared)
        for hit in hits:
            extras[row, column[hit.code]] = 1.0
        urls = find_urls(prepared, limit=3)
        links = [hit for url in urls for hit in _link_hits(url)]
        if urls:
            extras[row, base] = 1.0
        if any(hit.strength >= 0.7 for hit in links):
            extras[row, base + 1] = 1.0
        if any(hit.strength == 0.0 and hit.cap is None for hit in links):
            extras[row, base + 2] = 1.0
        all_cues.append(hits)
        all_urls.append(urls)
        all_links.append(links)
    return MessageParts([normalise(t) for t in texts], extras, all_cues, all_urls, all_links)


def url_model_text(value: str) -> str:
    """The string the URL model reads: lower case, digits kept, at most 300 characters."""
    return value.strip().lower()[:300]


_URL_TOKEN = re.compile(r"[a-z0-9]+")


def url_tokens(url: ParsedUrl) -> str:
    """Words of the URL by part, for the URL model's word features.

    Host words (``h:``), the first 30 path and query words (``p:``), the registrable domain
    (``r:``), the public suffix (``t:``) and the number of dots in the host (``d:``): the
    same word means something else in the host ("h:login") than in the path ("p:login").

    >>> url_tokens(parse_url("https://bca.co.id.verify-login.top/Secure?x=1"))
    'h:bca h:co h:id h:verify h:login h:top p:secure p:x p:1 r:verify-login.top t:top d:4'
    """
    words = [f"h:{word}" for word in _URL_TOKEN.findall(url.host)]
    words += [f"p:{word}" for word in _URL_TOKEN.findall(url.path.lower())[:30]]
    words += [f"r:{url.registrable}", f"t:{url.suffix or 'ip'}", f"d:{min(url.host.count('.'), 6)}"]
    return " ".join(words)

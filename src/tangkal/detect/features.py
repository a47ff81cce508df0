"""Feature extraction shared by training and scoring (messages and URLs)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np
import numpy.typing as npt

from tangkal.detect.cues import CueHit, cue_codes, cue_numbers, find_cues, prepare
from tangkal.detect.domains import ParsedUrl, brands, parse_url
from tangkal.detect.errors import DetectInputError
from tangkal.detect.linkrules import (
    RuleHit,
    is_strong,
    is_weak,
    link_rules,
    official_brand,
    rule_flags,
)
from tangkal.detect.text import find_urls, normalise_folded

__all__ = [
    "LINK_FLAGS",
    "MessageParts",
    "MessageSignals",
    "message_extra_names",
    "message_parts",
    "message_signals",
    "url_model_text",
    "url_tokens",
]

# Link facts a message model may use without running the URL model (cheap rules only).
# ``official_link``: every link of the message is on the official domain of a bank,
# wallet, courier, telco, utility, government body or airline of ``brands.json`` (not of a
# marketplace or platform, whose shop pages and chat links scams use too; airlines since
# session 12, whose promotions link to their own sites; retailers are protected brands but
# not official senders here: docs/detection.md, "Session 12, English smishing"). It is a
# feature the models weigh beside ``has_link``, not a switch: scams quote real domains too.
LINK_FLAGS = ("has_link", "link_rule_strong", "link_rule_weak", "official_link")
_TRUSTED_SECTORS = frozenset({"bank", "wallet", "courier", "telco", "utility", "gov", "airline"})


@dataclass(frozen=True, slots=True)
class MessageParts:
    """What scoring needs from a batch of messages: model text, extras, and evidence."""

    model_texts: list[str]
    extras: npt.NDArray[np.float32]
    cues: list[list[CueHit]]
    urls: list[list[str]]
    link_hits: list[list[RuleHit]]


@dataclass(frozen=True, slots=True)
class MessageSignals:
    """What the scam probability alone needs from a batch (no match texts, no link reasons)."""

    model_texts: list[str]
    extras: npt.NDArray[np.float32]
    cues: list[list[int]]  # cue numbers (positions in ``load_cues()``), in cue order
    strong_link: list[bool]  # a link rule of strength >= 0.7 (a brand imitation) fired


def message_extra_names() -> tuple[str, ...]:
    """Names of the extra (non n-gram) message features, in column order."""
    return (*cue_codes(), *LINK_FLAGS)


@lru_cache(maxsize=65_536)
def _link_hits(url: str) -> tuple[RuleHit, ...]:
    try:
        return tuple(link_rules(parse_url(url)))
    except DetectInputError:
        return ()


_NO_LINK = (False, False, False, False)


@lru_cache(maxsize=1)
def _trusted_domains() -> frozenset[str]:
    return frozenset(b.domain for b in brands() if b.sector in _TRUSTED_SECTORS)


@lru_cache(maxsize=65_536)
def _link_flags(url: str) -> tuple[bool, bool, bool]:
    """(strong, weak, official) of ``_link_hits(url)``, without building its reasons."""
    try:
        parsed = parse_url(url)
    except DetectInputError:
        return False, False, False
    strong, weak = rule_flags(parsed)
    return strong, weak, official_brand(parsed) in _trusted_domains()


def _extras(
    cue_lists: Sequence[Sequence[int]], links: Sequence[tuple[bool, bool, bool, bool]]
) -> npt.NDArray[np.float32]:
    """Extra features of a batch: one column per cue, then ``LINK_FLAGS`` (has, strong, weak,
    official).

    Filled at once: assigning numpy rows one text at a time costs more than finding the cues.
    """
    n_cues = len(cue_codes())
    extras = np.zeros((len(cue_lists), n_cues + len(LINK_FLAGS)), dtype=np.float32)
    sizes = np.fromiter(map(len, cue_lists), dtype=np.int64, count=len(cue_lists))
    rows = np.repeat(np.arange(len(cue_lists)), sizes)
    columns = np.fromiter(chain.from_iterable(cue_lists), dtype=np.int64, count=int(sizes.sum()))
    extras[rows, columns] = 1.0
    if links:
        extras[:, n_cues:] = np.array(links, dtype=np.float32)
    return extras


def message_parts(texts: Sequence[str]) -> MessageParts:
    """Normalise texts and compute their cue and link features, with the evidence for reasons."""
    column = {code: i for i, code in enumerate(cue_codes())}
    model_texts: list[str] = []
    all_cues: list[list[CueHit]] = []
    all_urls: list[list[str]] = []
    all_links: list[list[RuleHit]] = []
    flags: list[tuple[bool, bool, bool, bool]] = []
    for text in texts:
        prepared = prepare(text)
        hits = find_cues(prepared)
        urls = find_urls(prepared, limit=3)
        links = [hit for url in urls for hit in _link_hits(url)]
        official = bool(urls) and all(_link_flags(url)[2] for url in urls)
        flags.append((bool(urls), any(map(is_strong, links)), any(map(is_weak, links)), official))
        model_texts.append(normalise_folded(prepared))
        all_cues.append(hits)
        all_urls.append(urls)
        all_links.append(links)
    extras = _extras([[column[hit.code] for hit in hits] for hits in all_cues], flags)
    return MessageParts(model_texts, extras, all_cues, all_urls, all_links)


def message_signals(texts: Sequence[str]) -> MessageSignals:
    """The features of :func:`message_parts` without the evidence: the probability-only path."""
    model_texts: list[str] = []
    all_cues: list[list[int]] = []
    flags: list[tuple[bool, bool, bool, bool]] = []
    for text in texts:
        prepared = prepare(text)
        all_cues.append(cue_numbers(prepared))
        urls = find_urls(prepared, limit=3)
        if urls:
            by_url = [_link_flags(url) for url in urls]
            flags.append(
                (
                    True,
                    any(f[0] for f in by_url),
                    any(f[1] for f in by_url),
                    all(f[2] for f in by_url),
                )
            )
        else:
            flags.append(_NO_LINK)
        model_texts.append(normalise_folded(prepared))
    strong = [f[1] for f in flags]
    return MessageSignals(model_texts, _extras(all_cues, flags), all_cues, strong)


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
